import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { formatDecimal, formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { StageFlow } from "../../lib/types";
import { barsOption, stageColor, type ChartContext } from "./chartOptions";
import { toChartNumber } from "./decimals";
import { csvDecimal, toCsv } from "./exporting";
import type { ListTarget } from "./navigation";
import { ChartTableCard } from "./ChartTableCard";
import { TABLE_COLUMNS } from "./tableColumns";

export type StageHistoryViewProps = {
  stages: StageFlow[];
  ctx: ChartContext;
  fileSlug: string;
  onOpen: (target: ListTarget) => void;
};

/** Report 7: average days in each open stage, and how many went on from each stage and how many were won. */
export function StageHistoryView({ stages, ctx, fileSlug, onOpen }: StageHistoryViewProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const open = stages.filter((s) => s.kind === "open");
  const days = (value: string | null) => (value === null ? "—" : t("durations.days", { value: formatDecimal(value, lang) }));
  const pct = (value: string | null) => (value === null ? "—" : t("salesStatus.percent", { value: formatDecimal(value, lang) }));
  const option = useMemo(
    () =>
      barsOption(
        {
          categories: open.map((s) => localTitle(s, lang)),
          horizontal: true,
          labels: true,
          axisFormat: (v) => formatNumber(v, lang),
          series: [{ name: t("stages.averageDays"), color: stageColor("open", 3), values: open.map((s) => toChartNumber(s.averageDays ?? "0")), shown: open.map((s) => days(s.averageDays)) }],
        },
        ctx,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the formatters follow ctx and t
    [open, ctx, t],
  );
  const header = [t("salesStatus.stage"), t("stages.stays"), t("stages.averageDays"), t("stages.entered"), t("stages.advanced"), t("stages.advancedRate"), t("stages.won"), t("stages.wonRate")];
  const opt = (v: string | null) => (v === null ? "" : csvDecimal(v));
  const csv = () => toCsv(header, stages.map((s) => [localTitle(s, lang), s.stays, opt(s.averageDays), s.entered, s.advanced, opt(s.advancedRate), s.won, opt(s.wonRate)]));

  return (
    <div className="report-cards">
      <ChartTableCard
        title={t("stages.title")}
        subtitle={t("stages.subtitle")}
        testId="report-stages-history"
        csv={{ file: `stage-history_${fileSlug}.csv`, label: t("export.stageHistoryCsv"), content: csv }}
        png={{ file: `stage-history_${fileSlug}.png`, label: t("export.stageHistoryPng") }}
        chart={{
          option,
          height: Math.max(180, open.length * 44 + 24),
          label: t("stages.chartLabel"),
          testId: "report-stages-history-chart",
          onRowClick: (i) => {
            const s = open[i];
            if (s) onOpen({ stage: s.stageId });
          },
        }}
        table={{ testId: "report-stages-history-table", caption: t("stages.title"), header, columns: TABLE_COLUMNS.stageHistory }}
      >
        <tbody>
          {stages.map((s) => (
            <tr key={s.stageId} data-stage-kind={s.kind}>
              <th scope="row">
                <button type="button" className="report-link" onClick={() => onOpen({ stage: s.stageId })} title={t("salesStatus.openStage", { stage: localTitle(s, lang) })}>
                  {localTitle(s, lang)}
                </button>
              </th>
              <td className="col-amount">{formatNumber(s.stays, lang)}</td>
              <td className="col-amount report-days">{days(s.averageDays)}</td>
              <td className="col-amount">{formatNumber(s.entered, lang)}</td>
              <td className="col-amount">{s.kind === "open" ? formatNumber(s.advanced, lang) : "—"}</td>
              <td className="col-amount">{pct(s.advancedRate)}</td>
              <td className="col-amount">{formatNumber(s.won, lang)}</td>
              <td className="col-amount">{pct(s.wonRate)}</td>
            </tr>
          ))}
        </tbody>
      </ChartTableCard>
      <p className="muted report-note">{t("stages.method")}</p>
    </div>
  );
}
