import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { currencyName, formatDecimal, formatMoney, formatNumber } from "../../lib/format";
import type { CompetitorRow } from "../../lib/types";
import { barsOption, SERIES, type ChartContext } from "./chartOptions";
import { csvDecimal, toCsv } from "./exporting";
import type { ListTarget } from "./navigation";
import { ChartTableCard } from "./ChartTableCard";
import { TABLE_COLUMNS } from "./tableColumns";

export type CompetitorsViewProps = {
  rows: CompetitorRow[];
  ctx: ChartContext;
  fileSlug: string;
  onOpen: (target: ListTarget) => void;
};

/** Report 5: per competitor, the opportunities where it appeared and how they ended. */
export function CompetitorsView({ rows, ctx, fileSlug, onOpen }: CompetitorsViewProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const n = (value: number) => formatNumber(value, lang);
  const rate = (r: CompetitorRow) => (r.winRate === null ? "—" : t("salesStatus.percent", { value: formatDecimal(r.winRate, lang) }));
  const option = useMemo(
    () =>
      barsOption(
        {
          categories: rows.map((r) => r.name),
          horizontal: true,
          stacked: true,
          labels: true,
          axisFormat: (v) => formatNumber(v, lang),
          series: [
            { name: t("competitors.won"), color: SERIES.won, values: rows.map((r) => r.wonCount), shown: rows.map((r) => formatNumber(r.wonCount, lang)) },
            { name: t("competitors.lost"), color: SERIES.lost, values: rows.map((r) => r.lostCount), shown: rows.map((r) => formatNumber(r.lostCount, lang)) },
            { name: t("competitors.open"), color: SERIES.open, values: rows.map((r) => r.openCount), shown: rows.map((r) => formatNumber(r.openCount, lang)) },
          ],
        },
        ctx,
      ),
    [rows, ctx, t, lang],
  );
  const currency = currencyName(ctx.currency, lang);
  const header = [t("competitors.competitor"), t("competitors.appeared"), t("competitors.open"), t("competitors.won"), t("competitors.lost"), t("winLoss.winRate"), t("competitors.amountColumn", { currency })];
  const csv = () =>
    toCsv(
      [...header.slice(0, 5), `${header[5] ?? ""} (%)`, header[6] ?? ""],
      rows.map((r) => [r.name, r.count, r.openCount, r.wonCount, r.lostCount, r.winRate === null ? "" : csvDecimal(r.winRate), csvDecimal(r.amount)]),
    );

  return (
    <div className="report-cards">
      <ChartTableCard
        title={t("competitors.title")}
        subtitle={t("competitors.subtitle")}
        testId="report-competitors"
        csv={{ file: `competitors_${fileSlug}.csv`, label: t("export.competitorsCsv"), content: csv }}
        png={{ file: `competitors_${fileSlug}.png`, label: t("export.competitorsPng") }}
        chart={{
          option,
          height: Math.max(180, rows.length * 40 + 48),
          label: t("competitors.chartLabel"),
          testId: "report-competitors-chart",
          onRowClick: (i) => {
            const row = rows[i];
            if (row) onOpen({ competitor: row.competitorId });
          },
        }}
        table={{ testId: "report-competitors-table", caption: t("competitors.title"), header, columns: TABLE_COLUMNS.competitors }}
      >
        <tbody>
          {rows.map((r) => (
            <tr key={r.competitorId}>
              <th scope="row">
                <button type="button" className="report-link" onClick={() => onOpen({ competitor: r.competitorId })} title={t("competitors.openList", { name: r.name })}>
                  {r.name}
                </button>
              </th>
              <td className="col-amount">{n(r.count)}</td>
              <td className="col-amount">{n(r.openCount)}</td>
              <td className="col-amount">{n(r.wonCount)}</td>
              <td className="col-amount">{n(r.lostCount)}</td>
              <td className="col-amount">{rate(r)}</td>
              <td className="col-amount">{formatMoney(r.amount, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false })}</td>
            </tr>
          ))}
        </tbody>
      </ChartTableCard>
    </div>
  );
}
