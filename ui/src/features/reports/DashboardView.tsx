import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import type { Calendar, Dashboard, OverdueRow } from "../../lib/types";
import type { ChartContext, Measure } from "./chartOptions";
import { toChartNumber } from "./decimals";
import { csvDate, toCsv } from "./exporting";
import { ForecastCard } from "./ForecastView";
import type { ListTarget } from "./navigation";
import { localToday } from "./periods";
import { useExports } from "./ReportCard";
import { ReportTable } from "./ReportTable";
import { StagesCard } from "./SalesStatusView";
import { Stat } from "./Stat";
import { TABLE_COLUMNS } from "./tableColumns";

export type DashboardViewProps = {
  data: Dashboard;
  ctx: ChartContext;
  calendar: Calendar;
  fileSlug: string;
  measure: Measure;
  onMeasureChange: (measure: Measure) => void;
  onOpen: (target: ListTarget) => void;
  /** Opens one opportunity (#/opportunities/ID). */
  onOpenOpportunity: (id: number) => void;
};

/** The change from `previous` to `current` in whole percent, or null when there was nothing before. */
export function changePercent(current: string, previous: string): number | null {
  const before = toChartNumber(previous);
  if (before === 0) return null;
  return Math.round(((toChartNumber(current) - before) / before) * 100);
}

/** Report 9, the Reports home: won this period against the last, the pipeline, the funnel, the forecast and what is overdue. */
export function DashboardView({ data, ctx, calendar, fileSlug, measure, onMeasureChange, onOpen, onOpenOpportunity }: DashboardViewProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals });
  const date = (iso: string | null) => (iso ? formatDate(iso, calendar, lang) : "");
  const previous = data.previousWon;
  const change = previous ? changePercent(data.won.amount, previous.amount) : null;
  let wonNote: string;
  if (!previous) wonNote = t("dashboard.noPrevious");
  else if (change === null) wonNote = t("dashboard.previousNone", { amount: money(previous.amount) });
  else
    wonNote = t(change >= 0 ? "dashboard.up" : "dashboard.down", {
      value: formatNumber(Math.abs(change), lang),
      amount: money(previous.amount),
    });
  const tone = change === null ? "won" : change >= 0 ? "won report-stat--up" : "won report-stat--down";

  return (
    <div className="report-cards">
      <section className="report-stats" aria-label={t("dashboard.summary")} data-testid="report-dashboard-summary">
        <Stat label={t("dashboard.wonThisPeriod")} value={money(data.won.amount)} note={wonNote} tone={tone} testId="won" />
        <Stat
          label={t("dashboard.previousPeriod")}
          value={previous ? money(previous.amount) : "—"}
          note={previous ? t("filters.range", { from: date(previous.from), to: date(previous.to) }) : t("dashboard.noPrevious")}
          tone="rate"
          testId="previous"
        />
        <Stat
          label={t("dashboard.pipeline")}
          value={money(data.openAmount)}
          note={t("dashboard.openCount", { count: data.openCount, n: formatNumber(data.openCount, lang) })}
          tone="open"
          testId="pipeline"
        />
        <Stat label={t("forecast.weighted")} value={money(data.weightedAmount)} tone="open" testId="weighted" />
        <Stat label={t("dashboard.overdue")} value={formatNumber(data.overdueCount, lang)} note={t("dashboard.overdueNote")} tone={data.overdueCount > 0 ? "warn" : "rate"} testId="overdue" />
      </section>
      <StagesCard
        stages={data.status.stages}
        total={data.status.total}
        measure={measure}
        onMeasureChange={onMeasureChange}
        ctx={ctx}
        fileSlug={fileSlug}
        onOpenStage={(stage) => onOpen({ stage })}
      />
      <OverdueCard rows={data.overdue} count={data.overdueCount} ctx={ctx} calendar={calendar} onOpen={onOpen} onOpenOpportunity={onOpenOpportunity} />
      <ForecastCard months={data.forecast} ctx={ctx} calendar={calendar} fileSlug={fileSlug} onOpen={onOpen} />
    </div>
  );
}

type OverdueCardProps = Pick<DashboardViewProps, "ctx" | "calendar" | "onOpen" | "onOpenOpportunity"> & { rows: OverdueRow[]; count: number };

function OverdueCard({ rows, count, ctx, calendar, onOpen, onOpenOpportunity }: OverdueCardProps) {
  const { t } = useTranslation("reports");
  const exports = useExports();
  const { lang } = ctx;
  const assignee = (r: OverdueRow) => r.assignedUserName ?? t("winLoss.notSet");
  // The rows shown (the most overdue), as of today whatever the period: the file is named by the day.
  const exportCsv = () =>
    exports.csv(
      `overdue_${localToday()}.csv`,
      toCsv(
        [t("dashboard.opportunity"), t("dashboard.identity"), t("dashboard.assignedTo"), t("dashboard.closeDate"), t("dashboard.daysOverdueColumn")],
        rows.map((r) => [r.title, r.identityName, assignee(r), csvDate(r.closeDate, calendar), r.daysOverdue]),
      ),
    );
  return (
    <section className="card report-card report-card--table" aria-labelledby="report-overdue-title" data-testid="report-overdue">
      <header className="report-card__header">
        <div>
          <h2 className="report-card__title" id="report-overdue-title">
            {t("dashboard.overdueTitle")}
          </h2>
          <p className="report-card__subtitle muted">{t("dashboard.overdueSubtitle", { count, n: formatNumber(count, lang) })}</p>
        </div>
        <div className="report-card__tools">
          {count > 0 ? (
            <button type="button" className="report-link" onClick={() => onOpen({ status: "open", overdue: true, anyCreated: true })} data-testid="report-overdue-all">
              {t("dashboard.overdueAll")}
            </button>
          ) : null}
          <Button size="sm" onClick={exportCsv} aria-label={t("export.overdueCsv")} disabled={rows.length === 0} data-testid="report-overdue-csv">
            {t("export.csv")}
          </Button>
        </div>
      </header>
      {rows.length === 0 ? (
        <p className="muted report-card__none">{t("dashboard.noOverdue")}</p>
      ) : (
        <ReportTable
          testId="report-overdue-table"
          caption={t("dashboard.overdueTitle")}
          header={[t("dashboard.opportunity"), t("dashboard.identity"), t("dashboard.assignedTo"), t("dashboard.closeDate"), t("dashboard.daysOverdue")]}
          columns={TABLE_COLUMNS.overdue}
        >
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <a
                    className="report-link"
                    href={`#/opportunities/${r.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      onOpenOpportunity(r.id);
                    }}
                  >
                    {r.title}
                  </a>
                </th>
                <td>{r.identityName}</td>
                <td>{assignee(r)}</td>
                <td className="col-date">{formatDate(r.closeDate, calendar, lang)}</td>
                <td className="col-amount report-days">{t("durations.days", { value: formatNumber(r.daysOverdue, lang) })}</td>
              </tr>
            ))}
          </tbody>
        </ReportTable>
      )}
    </section>
  );
}
