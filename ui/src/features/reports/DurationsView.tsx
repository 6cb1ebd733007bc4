import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Segmented } from "../../components/Field";
import { formatDecimal, formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { DurationGroup, DurationStat, Durations } from "../../lib/types";
import { barsOption, SERIES, type ChartContext } from "./chartOptions";
import { toChartNumber } from "./decimals";
import { csvDecimal, toCsv } from "./exporting";
import type { ListTarget } from "./navigation";
import { ChartTableCard } from "./ChartTableCard";
import { Stat } from "./Stat";
import { TABLE_COLUMNS } from "./tableColumns";

export type DurationDimension = "type" | "source" | "user";

export type DurationsViewProps = {
  data: Durations;
  ctx: ChartContext;
  fileSlug: string;
  onOpen: (target: ListTarget) => void;
};

/** Report 4: average and median days from creation to win and to loss, by type, source or user. */
export function DurationsView({ data, ctx, fileSlug, onOpen }: DurationsViewProps) {
  const { t } = useTranslation("reports");
  const [dimension, setDimension] = useState<DurationDimension>("type");
  const { lang } = ctx;
  const groups = dimension === "type" ? data.byType : dimension === "source" ? data.bySource : data.byUser;
  const name = (g: DurationGroup) => (g.id === null ? t("winLoss.notSet") : localTitle(g, lang));
  const days = (value: string | null) => (value === null ? "—" : t("durations.days", { value: formatDecimal(value, lang) }));

  const option = useMemo(
    () =>
      barsOption(
        {
          categories: groups.map(name),
          horizontal: true,
          labels: true,
          axisFormat: (v) => formatNumber(v, lang),
          series: [
            { name: t("durations.toWin"), color: SERIES.won, values: groups.map((g) => toChartNumber(g.durations.won.average ?? "0")), shown: groups.map((g) => days(g.durations.won.average)) },
            { name: t("durations.toLoss"), color: SERIES.lost, values: groups.map((g) => toChartNumber(g.durations.lost.average ?? "0")), shown: groups.map((g) => days(g.durations.lost.average)) },
          ],
        },
        ctx,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the formatters follow ctx and t
    [groups, ctx, t],
  );
  const open = (g: DurationGroup) => {
    if (dimension === "user") onOpen({ user: g.id ?? "none" });
    else if (g.id !== null) onOpen(dimension === "type" ? { type: g.id } : { source: g.id });
  };

  const nameColumn = t(`durations.${dimension}`);
  const header = [nameColumn, t("durations.won"), t("durations.avgWin"), t("durations.medianWin"), t("durations.lost"), t("durations.avgLoss"), t("durations.medianLoss")];
  const cells = (s: DurationStat) => [s.count, s.average === null ? "" : csvDecimal(s.average), s.median === null ? "" : csvDecimal(s.median)];
  const csv = () => toCsv(header, groups.map((g) => [name(g), ...cells(g.durations.won), ...cells(g.durations.lost)]));

  return (
    <div className="report-cards">
      <section className="report-stats" aria-label={t("durations.summary")} data-testid="report-durations-summary">
        <Stat label={t("durations.avgWin")} value={days(data.total.won.average)} note={t("durations.closedCount", { count: data.total.won.count, n: formatNumber(data.total.won.count, lang) })} tone="won" testId="avgWin" />
        <Stat label={t("durations.medianWin")} value={days(data.total.won.median)} tone="won" testId="medianWin" />
        <Stat label={t("durations.avgLoss")} value={days(data.total.lost.average)} note={t("durations.closedCount", { count: data.total.lost.count, n: formatNumber(data.total.lost.count, lang) })} tone="lost" testId="avgLoss" />
        <Stat label={t("durations.medianLoss")} value={days(data.total.lost.median)} tone="lost" testId="medianLoss" />
      </section>
      <ChartTableCard
        title={t("durations.title")}
        subtitle={t("durations.subtitle")}
        testId="report-durations"
        tools={
          <Segmented
            legend={t("durations.groupBy")}
            hideLegend
            name="report-durations-by"
            value={dimension}
            options={[
              { value: "type", label: t("durations.byType") },
              { value: "source", label: t("durations.bySource") },
              { value: "user", label: t("durations.byUser") },
            ]}
            onChange={setDimension}
            testId="report-durations-by"
          />
        }
        csv={{ file: `durations-${dimension}_${fileSlug}.csv`, label: t("export.durationsCsv"), content: csv, disabled: groups.length === 0 }}
        png={{ file: `durations-${dimension}_${fileSlug}.png`, label: t("export.durationsPng"), disabled: groups.length === 0 }}
        chart={{
          option,
          height: Math.max(180, groups.length * 52 + 48),
          label: t("durations.chartLabel"),
          testId: "report-durations-chart",
          onRowClick: (i) => {
            const g = groups[i];
            if (g) open(g);
          },
        }}
        table={{ testId: "report-durations-table", caption: t("durations.title"), header, columns: TABLE_COLUMNS.durations }}
      >
        <tbody>
          {groups.map((g) => (
            <tr key={g.id ?? "none"}>
              <th scope="row">
                <button type="button" className="report-link" onClick={() => open(g)}>
                  {name(g)}
                </button>
              </th>
              {[g.durations.won, g.durations.lost].flatMap((s, i) => [
                <td key={`n${i}`} className="col-amount">
                  {formatNumber(s.count, lang)}
                </td>,
                <td key={`a${i}`} className="col-amount report-days">
                  {days(s.average)}
                </td>,
                <td key={`m${i}`} className="col-amount report-days">
                  {days(s.median)}
                </td>,
              ])}
            </tr>
          ))}
        </tbody>
      </ChartTableCard>
    </div>
  );
}
