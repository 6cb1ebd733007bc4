// The Reports home: the common filters and the sales status chart (domain §8.1).
// Loaded on demand (React.lazy) so that ECharts stays out of the main chunk.

import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { navigate } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { IconChart } from "../../components/icons";
import { Tabs, tabPanelProps } from "../../components/Tabs";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import type { ChartContext, Measure } from "./chartOptions";
import { rangeSlug } from "./exporting";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { DEFAULT_FILTERS, isFiltered, resolveFilter, type ReportFilterState, type ResolvedFilter } from "./filters";
import { hasScreenFor, stageListHash } from "./navigation";
import { localToday } from "./periods";
import { useSalesStatus, useWinLoss } from "./queries";
import { ReportFilters } from "./ReportFilters";
import { SalesStatusView } from "./SalesStatusView";
import { WinLossView } from "./WinLossView";
import "./reports.css";

const TYPING_SETTLE_MS = 400;

type ReportTab = "status" | "winloss";

function prefersReducedMotion(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export default function ReportsPage() {
  const { t } = useTranslation("reports");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const toast = useToast();
  const [filters, setFilters] = useState<ReportFilterState>(DEFAULT_FILTERS);
  const [measure, setMeasure] = useState<Measure>("count");
  const [today] = useState(localToday);
  const [still] = useState(prefersReducedMotion);
  const [tab, setTab] = useState<ReportTab>("status");

  // What is chosen shows at once; the report follows once typed dates have settled
  // (a half-typed date would otherwise ask for an open-ended period on every key).
  const chosen = resolveFilter(filters, calendar, today);
  const settled = useDebouncedValue(JSON.stringify(chosen), filters.preset === "custom" ? TYPING_SETTLE_MS : 0);
  const resolved = useMemo(() => JSON.parse(settled) as ResolvedFilter, [settled]);
  const report = useSalesStatus(resolved.filter, !resolved.invalid && tab === "status");
  const winLoss = useWinLoss(resolved.filter, !resolved.invalid && tab === "winloss");
  const active = tab === "status" ? report : winLoss;

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

  const openStage = (stageId: number) => {
    const hash = stageListHash(stageId);
    if (hasScreenFor(hash)) navigate(hash);
    else toast.show(t("salesStatus.listLater"), "info");
  };

  const reset = isFiltered(filters) ? <Button onClick={() => setFilters(DEFAULT_FILTERS)}>{t("filters.reset")}</Button> : undefined;

  let body;
  if (resolved.invalid) {
    body = <EmptyState icon={<IconChart size={28} />} title={t("state.fixDatesTitle")} body={t("state.fixDatesBody")} />;
  } else if (tab === "winloss") {
    const total = winLoss.data?.total;
    if (winLoss.isPending) body = <Loading label={t("state.loading")} />;
    else if (winLoss.isError && !winLoss.data) body = <ErrorState error={winLoss.error} title={t("state.error")} onRetry={() => void winLoss.refetch()} />;
    else if (winLoss.data && total && total.wonCount + total.lostCount === 0)
      body = <EmptyState icon={<IconChart size={28} />} title={t("state.winLossEmptyTitle")} body={t("state.winLossEmptyBody")} action={reset} />;
    else if (winLoss.data)
      body = (
        <>
          {winLoss.isError ? <ErrorState error={winLoss.error} title={t("state.error")} onRetry={() => void winLoss.refetch()} /> : null}
          <WinLossView data={winLoss.data} ctx={ctx} fileSlug={rangeSlug(resolved.from, resolved.to)} />
        </>
      );
  } else if (report.isPending) {
    body = <Loading label={t("state.loading")} />;
  } else if (report.isError && !report.data) {
    body = <ErrorState error={report.error} title={t("state.error")} onRetry={() => void report.refetch()} />;
  } else if (report.data && report.data.total === 0) {
    body = <EmptyState icon={<IconChart size={28} />} title={t("state.emptyTitle")} body={t("state.emptyBody")} action={reset} />;
  } else if (report.data) {
    body = (
      <>
        {report.isError ? <ErrorState error={report.error} title={t("state.error")} onRetry={() => void report.refetch()} /> : null}
        <SalesStatusView
          data={report.data}
          measure={measure}
          onMeasureChange={setMeasure}
          ctx={ctx}
          fileSlug={rangeSlug(resolved.from, resolved.to)}
          onOpenStage={openStage}
        />
      </>
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
        items={[
          { value: "status", label: t("tabs.status"), testId: "report-tab-status" },
          { value: "winloss", label: t("tabs.winLoss"), testId: "report-tab-winloss" },
        ]}
      />
      <div
        {...tabPanelProps("reports", tab)}
        className={active.isFetching && !active.isPending ? "page__body reports__body is-busy" : "page__body reports__body"}
        aria-busy={active.isFetching || undefined}
      >
        {body}
      </div>
    </div>
  );
}
