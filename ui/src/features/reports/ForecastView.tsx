import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { currencyName, formatMonth, formatMoney, formatNumber } from "../../lib/format";
import type { Calendar, ForecastMonth } from "../../lib/types";
import { sumDecimals } from "../../shared/decimals";
import { barsOption, compactAmount, SERIES, type ChartContext } from "./chartOptions";
import { toChartNumber } from "./decimals";
import { csvDecimal, toCsv } from "./exporting";
import type { ListTarget } from "./navigation";
import { monthRange } from "./periods";
import { ChartTableCard } from "./ChartTableCard";
import { Stat } from "./Stat";
import { TABLE_COLUMNS } from "./tableColumns";

export type ForecastViewProps = {
  months: ForecastMonth[];
  ctx: ChartContext;
  calendar: Calendar;
  fileSlug: string;
  onOpen: (target: ListTarget) => void;
};

/** The close-date range of a forecast month, or nothing for "no close date". */
export function monthTarget(m: ForecastMonth, calendar: Calendar): ListTarget {
  if (m.year === null || m.month === null) return { status: "open" };
  const range = monthRange(calendar, m.year, m.month);
  return { status: "open", closeFrom: range.from, closeTo: range.to };
}

/** Report 6: the open pipeline by close month, weighted by probability and not. */
export function ForecastView(props: ForecastViewProps) {
  const { t } = useTranslation("reports");
  const { months, ctx } = props;
  const money = (value: string) => formatMoney(value, ctx.lang, { currency: ctx.currency, decimals: ctx.decimals });
  const count = months.reduce((n, m) => n + m.count, 0);
  return (
    <div className="report-cards">
      <section className="report-stats" aria-label={t("forecast.summary")} data-testid="report-forecast-summary">
        <Stat label={t("forecast.openCount")} value={formatNumber(count, ctx.lang)} tone="open" testId="count" />
        <Stat label={t("forecast.unweighted")} value={money(sumDecimals(months.map((m) => m.amount)))} tone="open" testId="amount" />
        <Stat label={t("forecast.weighted")} value={money(sumDecimals(months.map((m) => m.weighted)))} tone="won" testId="weighted" />
      </section>
      <ForecastCard {...props} />
    </div>
  );
}

export function ForecastCard({ months, ctx, calendar, fileSlug, onOpen }: ForecastViewProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const name = (m: ForecastMonth) => (m.year === null || m.month === null ? t("forecast.noDate") : formatMonth(monthRange(calendar, m.year, m.month).from, calendar, lang));
  const moneyWith = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals });
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false });
  const option = useMemo(
    () =>
      barsOption(
        {
          categories: months.map(name),
          horizontal: false,
          axisFormat: (v) => compactAmount(v, ctx),
          series: [
            { name: t("forecast.unweighted"), color: SERIES.unweighted, values: months.map((m) => toChartNumber(m.amount)), shown: months.map((m) => moneyWith(m.amount)) },
            { name: t("forecast.weighted"), color: SERIES.weighted, values: months.map((m) => toChartNumber(m.weighted)), shown: months.map((m) => moneyWith(m.weighted)) },
          ],
        },
        ctx,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the formatters follow ctx, calendar and t
    [months, ctx, calendar, t],
  );
  const currency = currencyName(ctx.currency, lang);
  const header = [t("forecast.month"), t("salesStatus.countColumn"), t("forecast.unweightedColumn", { currency }), t("forecast.weightedColumn", { currency })];
  const csv = () => toCsv(header, months.map((m) => [name(m), m.count, csvDecimal(m.amount), csvDecimal(m.weighted)]));
  const total = { count: months.reduce((n, m) => n + m.count, 0), amount: sumDecimals(months.map((m) => m.amount)), weighted: sumDecimals(months.map((m) => m.weighted)) };

  return (
    <ChartTableCard
      title={t("forecast.title")}
      subtitle={t("forecast.subtitle")}
      testId="report-forecast"
      csv={{ file: `forecast_${fileSlug}.csv`, label: t("export.forecastCsv"), content: csv, disabled: months.length === 0 }}
      png={{ file: `forecast_${fileSlug}.png`, label: t("export.forecastPng"), disabled: months.length === 0 }}
      chart={{
        option,
        height: 300,
        label: t("forecast.chartLabel"),
        testId: "report-forecast-chart",
        onRowClick: (i) => {
          const m = months[i];
          if (m) onOpen(monthTarget(m, calendar));
        },
        empty: months.length === 0 ? t("forecast.none") : undefined,
      }}
      table={{ testId: "report-forecast-table", caption: t("forecast.title"), header, columns: TABLE_COLUMNS.forecast }}
    >
      <tbody>
        {months.map((m) => (
          <tr key={`${m.year ?? "none"}-${m.month ?? ""}`}>
            <th scope="row">
              <button type="button" className="report-link" onClick={() => onOpen(monthTarget(m, calendar))}>
                {name(m)}
              </button>
            </th>
            <td className="col-amount">{formatNumber(m.count, lang)}</td>
            <td className="col-amount">{money(m.amount)}</td>
            <td className="col-amount">{money(m.weighted)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t("salesStatus.totalRow")}</th>
          <td className="col-amount">{formatNumber(total.count, lang)}</td>
          <td className="col-amount">{money(total.amount)}</td>
          <td className="col-amount">{money(total.weighted)}</td>
        </tr>
      </tfoot>
    </ChartTableCard>
  );
}
