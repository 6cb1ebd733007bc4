import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { currencyName, formatDecimal, formatMoney, formatNumber } from "../../lib/format";
import type { CampaignRow } from "../../lib/types";
import { sumDecimals } from "../../shared/decimals";
import { barsOption, compactAmount, SERIES, type ChartContext } from "./chartOptions";
import { toChartNumber } from "./decimals";
import { csvDecimal, toCsv } from "./exporting";
import type { ListTarget } from "./navigation";
import { ChartTableCard } from "./ChartTableCard";
import { TABLE_COLUMNS } from "./tableColumns";

export type CampaignsViewProps = {
  rows: CampaignRow[];
  ctx: ChartContext;
  fileSlug: string;
  onOpen: (target: ListTarget) => void;
};

/** Report 3: per campaign, the opportunities it brought, what was won and invoiced, against its cost. */
export function CampaignsView({ rows, ctx, fileSlug, onOpen }: CampaignsViewProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false });
  const moneyWith = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals });
  const currency = currencyName(ctx.currency, lang);
  const ratio = (r: CampaignRow) => (r.wonPerCost === null ? t("campaigns.noCost") : t("campaigns.ratio", { value: formatDecimal(r.wonPerCost, lang) }));

  const option = useMemo(
    () =>
      barsOption(
        {
          categories: rows.map((r) => r.name),
          horizontal: true,
          axisFormat: (v) => compactAmount(v, ctx),
          series: [
            { name: t("campaigns.estimated"), color: SERIES.main, values: rows.map((r) => toChartNumber(r.estimatedAmount)), shown: rows.map((r) => moneyWith(r.estimatedAmount)) },
            { name: t("campaigns.wonAmount"), color: SERIES.won, values: rows.map((r) => toChartNumber(r.wonAmount)), shown: rows.map((r) => moneyWith(r.wonAmount)) },
            { name: t("campaigns.invoiced"), color: SERIES.invoiced, values: rows.map((r) => toChartNumber(r.invoicedAmount)), shown: rows.map((r) => moneyWith(r.invoicedAmount)) },
          ],
        },
        ctx,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the formatters follow ctx
    [rows, ctx, t],
  );

  const header = [
    t("campaigns.campaign"),
    t("campaigns.created"),
    t("campaigns.estimatedColumn", { currency }),
    t("campaigns.won"),
    t("campaigns.wonAmountColumn", { currency }),
    t("campaigns.invoicedColumn", { currency }),
    t("campaigns.costColumn", { currency }),
    t("campaigns.wonPerCost"),
  ];
  const total = {
    created: rows.reduce((n, r) => n + r.createdCount, 0),
    won: rows.reduce((n, r) => n + r.wonCount, 0),
    estimated: sumDecimals(rows.map((r) => r.estimatedAmount)),
    wonAmount: sumDecimals(rows.map((r) => r.wonAmount)),
    invoiced: sumDecimals(rows.map((r) => r.invoicedAmount)),
    cost: sumDecimals(rows.map((r) => r.cost)),
  };
  const csv = () =>
    toCsv(
      header,
      rows.map((r) => [r.name, r.createdCount, csvDecimal(r.estimatedAmount), r.wonCount, csvDecimal(r.wonAmount), csvDecimal(r.invoicedAmount), csvDecimal(r.cost), r.wonPerCost === null ? "" : csvDecimal(r.wonPerCost)]),
    );

  return (
    <div className="report-cards">
      <ChartTableCard
        title={t("campaigns.title")}
        subtitle={t("campaigns.subtitle")}
        testId="report-campaigns"
        csv={{ file: `campaigns_${fileSlug}.csv`, label: t("export.campaignsCsv"), content: csv, testId: "report-campaigns-csv" }}
        png={{ file: `campaigns_${fileSlug}.png`, label: t("export.campaignsPng") }}
        chart={{
          option,
          height: Math.max(200, rows.length * 64 + 48),
          label: t("campaigns.chartLabel"),
          testId: "report-campaigns-chart",
          onRowClick: (i) => {
            const row = rows[i];
            if (row) onOpen({ campaign: row.campaignId });
          },
        }}
        table={{ testId: "report-campaigns-table", caption: t("campaigns.title"), header, columns: TABLE_COLUMNS.campaigns }}
      >
        <tbody>
          {rows.map((r) => (
            <tr key={r.campaignId}>
              <th scope="row">
                <button type="button" className="report-link" onClick={() => onOpen({ campaign: r.campaignId })} title={t("campaigns.open", { name: r.name })}>
                  {r.active ? r.name : t("filters.inactive", { name: r.name })}
                </button>
              </th>
              <td className="col-amount">{formatNumber(r.createdCount, lang)}</td>
              <td className="col-amount">{money(r.estimatedAmount)}</td>
              <td className="col-amount">{formatNumber(r.wonCount, lang)}</td>
              <td className="col-amount">{money(r.wonAmount)}</td>
              <td className="col-amount">{money(r.invoicedAmount)}</td>
              <td className="col-amount">{money(r.cost)}</td>
              <td className="col-amount">{ratio(r)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("salesStatus.totalRow")}</th>
            <td className="col-amount">{formatNumber(total.created, lang)}</td>
            <td className="col-amount">{money(total.estimated)}</td>
            <td className="col-amount">{formatNumber(total.won, lang)}</td>
            <td className="col-amount">{money(total.wonAmount)}</td>
            <td className="col-amount">{money(total.invoiced)}</td>
            <td className="col-amount">{money(total.cost)}</td>
            <td className="col-amount" />
          </tr>
        </tfoot>
      </ChartTableCard>
    </div>
  );
}
