// The Reports area (domain §8): the common filters, then one tab per report — the
// dashboard first. Loaded on demand (React.lazy) so that ECharts stays out of the
// main chunk, and each tab's view loads on its own when the tab is opened (see
// tabViews.tsx) while the page asks for its numbers. The open tab is part of the
// address (#/reports?tab=forecast).

import { Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { UseQueryResult } from "@tanstack/react-query";
import { navigate } from "../../app/router";
import { useAppSettings, useToday } from "../../app/settings";
import { Button } from "../../components/Button";
import { IconChart } from "../../components/icons";
import { Tabs, tabPanelProps } from "../../components/Tabs";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import type { ChartContext, Measure } from "./chartOptions";
import { rangeSlug } from "./exporting";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { DEFAULT_FILTERS, isFiltered, resolveFilter, type ReportFilterState, type ResolvedFilter } from "./filters";
import { hasScreenFor, opportunityListHash, type ListTarget } from "./navigation";
import { useOpportunitiesReport } from "./opportunitiesReport";
import { useActivityReport, useCampaignsReport, useCompetitorsReport, useDashboard, useDurations, useForecast, useSalesStatus, useStageHistory, useWinLoss } from "./queries";
import { ReportFilters } from "./ReportFilters";
import { REPORT_TABS, TAB_VIEWS, ViewBoundary, type ReportTab } from "./tabViews";
import "./reports.css";

const TYPING_SETTLE_MS = 400;

export { REPORT_TABS, type ReportTab };

const {
  dashboard: { View: DashboardView },
  status: { View: SalesStatusView },
  winloss: { View: WinLossView },
  campaigns: { View: CampaignsView },
  durations: { View: DurationsView },
  competitors: { View: CompetitorsView },
  stages: { View: StageHistoryView },
  forecast: { View: ForecastView },
  opportunities: { View: OpportunitiesView },
  activities: { View: ActivitiesView },
} = TAB_VIEWS;

/** The tab named in the address (#/reports?tab=…), the dashboard otherwise. */
function tabFromHash(hash: string): ReportTab {
  const query = new URLSearchParams(hash.split("?", 2)[1] ?? "");
  const tab = query.get("tab");
  return REPORT_TABS.find((t) => t === tab) ?? "dashboard";
}

function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

const TAB_LABELS = {
  dashboard: "tabs.dashboard",
  status: "tabs.status",
  winloss: "tabs.winLoss",
  campaigns: "tabs.campaigns",
  durations: "tabs.durations",
  competitors: "tabs.competitors",
  stages: "tabs.stages",
  forecast: "tabs.forecast",
  opportunities: "tabs.opportunities",
  activities: "tabs.activities",
} as const satisfies Record<ReportTab, string>;

export default function ReportsPage() {
  const { t } = useTranslation("reports");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const toast = useToast();
  const [filters, setFilters] = useState<ReportFilterState>(DEFAULT_FILTERS);
  const [measure, setMeasure] = useState<Measure>("count");
  const today = useToday();
  const [still] = useState(prefersReducedMotion);
  const [tab, setTabState] = useState<ReportTab>(() => tabFromHash(window.location.hash));
  // An address typed or opened while the page shows (#/reports?tab=…) switches the tab.
  useEffect(() => {
    const follow = () => setTabState(tabFromHash(window.location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  // Another report starts at its top, not where the last one was scrolled to.
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (panel.current) panel.current.scrollTop = 0;
    // A tab scrolled out of the tab strip (narrow windows) comes into view when chosen.
    document.getElementById(`reports-tab-${tab}`)?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    // The tab's view (and what it draws with) loads while its numbers do; a failure shows when it renders.
    TAB_VIEWS[tab].preload().catch(() => undefined);
  }, [tab]);
  const setTab = (next: ReportTab) => {
    setTabState(next);
    window.history.replaceState(window.history.state, "", next === "dashboard" ? "#/reports" : `#/reports?tab=${next}`);
  };

  // What is chosen shows at once; the report follows once typed dates have settled
  // (a half-typed date would otherwise ask for an open-ended period on every key).
  const chosen = resolveFilter(filters, calendar, today);
  const settled = useDebouncedValue(JSON.stringify(chosen), filters.preset === "custom" ? TYPING_SETTLE_MS : 0);
  const resolved = useMemo(() => JSON.parse(settled) as ResolvedFilter, [settled]);
  const ok = !resolved.invalid;
  const filter = resolved.filter;
  const opportunities = useOpportunitiesReport(filter, ok && tab === "opportunities");
  const queries = {
    dashboard: useDashboard(filter, calendar, ok && tab === "dashboard"),
    status: useSalesStatus(filter, ok && tab === "status"),
    winloss: useWinLoss(filter, ok && tab === "winloss"),
    campaigns: useCampaignsReport(filter, ok && tab === "campaigns"),
    durations: useDurations(filter, ok && tab === "durations"),
    competitors: useCompetitorsReport(filter, ok && tab === "competitors"),
    stages: useStageHistory(filter, ok && tab === "stages"),
    forecast: useForecast(filter, calendar, ok && tab === "forecast"),
    opportunities: opportunities.query,
    activities: useActivityReport(filter, ok && tab === "activities"),
  };
  const active: UseQueryResult<unknown> = queries[tab];

  const ctx = useMemo<ChartContext>(
    () => ({
      lang: language,
      currency: currencyCode,
      decimals: currencyDecimals,
      still,
      text: {
        tooltipCount: (value) => t("salesStatus.tooltipCount", { value }),
        tooltipAmount: (value) => t("salesStatus.tooltipAmount", { value }),
        tooltipShare: (value) => t("salesStatus.tooltipShare", { value }),
        percent: (value) => t("salesStatus.percent", { value }),
      },
    }),
    [language, currencyCode, currencyDecimals, still, t],
  );

  // A click on a bar, a funnel step or a row opens the opportunity list filtered to it.
  const open = (target: ListTarget) => {
    const hash = opportunityListHash(filter, target);
    if (hasScreenFor(hash)) navigate(hash);
    else toast.show(t("salesStatus.listLater"), "info");
  };
  const fileSlug = rangeSlug(resolved.from, resolved.to);
  const reset = isFiltered(filters) ? <Button onClick={() => setFilters(DEFAULT_FILTERS)}>{t("filters.reset")}</Button> : undefined;
  const empty = (title: string, body = t("state.emptyBody")) => <EmptyState icon={<IconChart size={28} />} title={title} body={body} action={reset} />;

  /** Loading, error (with a retry), empty or the report, for one query. */
  function show<T>(q: UseQueryResult<T>, isEmpty: (data: T) => ReactNode | null, view: (data: T) => ReactNode): ReactNode {
    if (q.isPending) return <Loading label={t("state.loading")} />;
    if (q.isError && !q.data) return <ErrorState error={q.error} title={t("state.error")} onRetry={() => void q.refetch()} />;
    if (q.data === undefined) return null;
    const none = isEmpty(q.data);
    if (none) return none;
    return (
      <>
        {q.isError ? <ErrorState error={q.error} title={t("state.error")} onRetry={() => void q.refetch()} /> : null}
        {view(q.data)}
      </>
    );
  }

  let body: ReactNode;
  if (resolved.invalid) {
    body = <EmptyState icon={<IconChart size={28} />} title={t("state.fixDatesTitle")} body={t("state.fixDatesBody")} />;
  } else if (tab === "dashboard") {
    body = show(
      queries.dashboard,
      (d) => (d.status.total === 0 && d.won.count === 0 && d.overdueCount === 0 && d.openCount === 0 ? empty(t("state.emptyTitle")) : null),
      (d) => (
        <DashboardView
          data={d}
          ctx={ctx}
          calendar={calendar}
          fileSlug={fileSlug}
          measure={measure}
          onMeasureChange={setMeasure}
          onOpen={open}
          onOpenOpportunity={(id) => navigate(`#/opportunities/${id}`)}
        />
      ),
    );
  } else if (tab === "status") {
    body = show(
      queries.status,
      (d) => (d.total === 0 ? empty(t("state.emptyTitle")) : null),
      (d) => <SalesStatusView data={d} measure={measure} onMeasureChange={setMeasure} ctx={ctx} fileSlug={fileSlug} onOpenStage={(stage) => open({ stage })} onOpenSource={(source) => open({ source })} />,
    );
  } else if (tab === "winloss") {
    body = show(
      queries.winloss,
      (d) => (d.total.wonCount + d.total.lostCount === 0 ? empty(t("state.winLossEmptyTitle"), t("state.winLossEmptyBody")) : null),
      (d) => <WinLossView data={d} ctx={ctx} fileSlug={fileSlug} onOpen={open} />,
    );
  } else if (tab === "campaigns") {
    body = show(
      queries.campaigns,
      (rows) => (rows.every((r) => r.createdCount === 0) ? empty(t("state.campaignsEmptyTitle")) : null),
      (rows) => <CampaignsView rows={rows} ctx={ctx} fileSlug={fileSlug} onOpen={open} />,
    );
  } else if (tab === "durations") {
    body = show(
      queries.durations,
      (d) => (d.total.won.count + d.total.lost.count === 0 ? empty(t("state.winLossEmptyTitle"), t("state.winLossEmptyBody")) : null),
      (d) => <DurationsView data={d} ctx={ctx} fileSlug={fileSlug} onOpen={open} />,
    );
  } else if (tab === "competitors") {
    body = show(
      queries.competitors,
      (rows) => (rows.length === 0 ? empty(t("state.competitorsEmptyTitle"), t("state.competitorsEmptyBody")) : null),
      (rows) => <CompetitorsView rows={rows} ctx={ctx} fileSlug={fileSlug} onOpen={open} />,
    );
  } else if (tab === "stages") {
    body = show(
      queries.stages,
      (rows) => (rows.every((s) => s.entered === 0) ? empty(t("state.emptyTitle")) : null),
      (rows) => <StageHistoryView stages={rows} ctx={ctx} fileSlug={fileSlug} onOpen={open} />,
    );
  } else if (tab === "opportunities") {
    body = show(
      queries.opportunities,
      (d) => (d.totals.count === 0 ? empty(t("state.emptyTitle")) : null),
      (d) => <OpportunitiesView data={d} report={opportunities} filter={filter} busy={queries.opportunities.isFetching && queries.opportunities.isPlaceholderData} />,
    );
  } else if (tab === "activities") {
    body = show(
      queries.activities,
      (rows) => (rows.every((r) => r.total === 0) ? empty(t("state.activitiesEmptyTitle"), t("state.activitiesEmptyBody")) : null),
      (rows) => <ActivitiesView rows={rows} lang={language} fileSlug={fileSlug} />,
    );
  } else {
    body = show(
      queries.forecast,
      (months) => (months.length === 0 ? empty(t("state.forecastEmptyTitle"), t("state.forecastEmptyBody")) : null),
      (months) => <ForecastView months={months} ctx={ctx} calendar={calendar} fileSlug={fileSlug} onOpen={open} />,
    );
  }

  return (
    <div className="page reports">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t("title")}</h1>
          <p className="page__subtitle">{t("subtitle")}</p>
        </div>
      </header>
      <ReportFilters value={filters} onChange={setFilters} from={chosen.from} to={chosen.to} invalid={chosen.invalid} />
      <Tabs
        label={t("tabs.label")}
        idPrefix="reports"
        value={tab}
        onChange={setTab}
        items={REPORT_TABS.map((value) => ({ value, label: t(TAB_LABELS[value]), testId: `report-tab-${value}` }))}
      />
      <div
        ref={panel}
        {...tabPanelProps("reports", tab)}
        // Dimmed while other filters load; a refresh of the same numbers (live updates) does not flicker.
        className={active.isFetching && active.isPlaceholderData ? "page__body reports__body is-busy" : "page__body reports__body"}
        aria-busy={active.isFetching || undefined}
      >
        <ViewBoundary key={tab} title={t("state.viewError")} onRetry={() => TAB_VIEWS[tab].retry()}>
          {/* The same words as while the numbers load, so that the two waits read as one. */}
          <Suspense fallback={<Loading label={t("state.loading")} />}>{body}</Suspense>
        </ViewBoundary>
      </div>
    </div>
  );
}
