import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Segmented } from "../../components/Field";
import { currencyName, formatDecimal, formatMoney, formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { SalesStatus, SourceBucket, StageBucket } from "../../lib/types";
import { sumDecimals } from "../../shared/decimals";
import { funnelHeight, funnelOption, sortSources, sourcesOption, type ChartContext, type Measure } from "./chartOptions";
import { csvDecimal, toCsv } from "./exporting";
import { ChartTableCard } from "./ChartTableCard";
import { funnelRowAt, funnelShape } from "./funnel";
import { TABLE_COLUMNS } from "./tableColumns";

export type SalesStatusViewProps = {
  data: SalesStatus;
  measure: Measure;
  onMeasureChange: (measure: Measure) => void;
  ctx: ChartContext;
  /** Part of the exported files' names, e.g. "2026-02-20_2026-03-20". */
  fileSlug: string;
  onOpenStage: (stageId: number) => void;
  /** Opens the opportunity list filtered to a clicked source. */
  onOpenSource?: (sourceId: number) => void;
};

/** The sales status chart: the stage funnel and the share per source, each with its table and exports. */
export function SalesStatusView({ data, measure, onMeasureChange, ctx, fileSlug, onOpenStage, onOpenSource }: SalesStatusViewProps) {
  return (
    <div className="report-cards">
      <StagesCard stages={data.stages} total={data.total} measure={measure} onMeasureChange={onMeasureChange} ctx={ctx} fileSlug={fileSlug} onOpenStage={onOpenStage} />
      <SourcesCard sources={data.sources} ctx={ctx} fileSlug={fileSlug} onOpenSource={onOpenSource} />
    </div>
  );
}

type StagesCardProps = Omit<SalesStatusViewProps, "data"> & { stages: StageBucket[]; total: number };

export function StagesCard({ stages, total, measure, onMeasureChange, ctx, fileSlug, onOpenStage }: StagesCardProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const shape = useMemo(() => funnelShape(stages, measure, lang), [stages, measure, lang]);
  const option = useMemo(() => funnelOption(shape, measure, ctx), [shape, measure, ctx]);
  const totalAmount = sumDecimals(stages.map((s) => s.amount));
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false });
  const amountHeader = t("salesStatus.amountColumn", { currency: currencyName(ctx.currency, lang) });
  const measureLabel = t(measure === "count" ? "salesStatus.count" : "salesStatus.amount");
  const header = [t("salesStatus.stage"), t("salesStatus.countColumn"), amountHeader];

  const csv = () =>
    toCsv(header, [...stages.map((s) => [localTitle(s, lang), s.count, csvDecimal(s.amount)]), [t("salesStatus.totalRow"), total, csvDecimal(totalAmount)]]);

  const colors = new Map([...shape.steps, ...shape.outcomes].map((r) => [r.index, r.color]));

  return (
    <ChartTableCard
      title={t("salesStatus.stagesTitle")}
      subtitle={t("salesStatus.stagesSubtitle", { count: total, total: formatNumber(total, lang) })}
      testId="report-stages"
      tools={
        <Segmented
          legend={t("salesStatus.measure")}
          hideLegend
          name="report-measure"
          value={measure}
          options={[
            { value: "count", label: t("salesStatus.count") },
            { value: "amount", label: t("salesStatus.amount") },
          ]}
          onChange={onMeasureChange}
          testId="report-measure"
        />
      }
      csv={{ file: `sales-stages_${fileSlug}.csv`, label: t("export.stagesCsv"), content: csv, testId: "report-stages-csv" }}
      png={{ file: `sales-stages_${fileSlug}.png`, label: t("export.stagesPng"), testId: "report-stages-png" }}
      chart={{
        option,
        height: funnelHeight(shape),
        label: t("salesStatus.funnelLabel", { measure: measureLabel }),
        testId: "report-funnel",
        rowAt: (click) => funnelRowAt(shape, click.seriesName, click.dataIndex),
        onRowClick: (i) => {
          const stage = stages[i];
          if (stage) onOpenStage(stage.stageId);
        },
      }}
      table={{ testId: "report-stages-table", caption: t("salesStatus.stagesTitle"), header, columns: TABLE_COLUMNS.stages }}
    >
      <tbody>
        {stages.map((s, i) => {
          const title = localTitle(s, lang);
          return (
            <tr key={s.stageId} data-stage-kind={s.kind}>
              <th scope="row">
                <span className="report-table__name">
                  <span className="report-swatch" style={{ background: colors.get(i) }} aria-hidden="true" />
                  <button type="button" className="report-link" onClick={() => onOpenStage(s.stageId)} title={t("salesStatus.openStage", { stage: title })}>
                    {title}
                  </button>
                </span>
              </th>
              <td className="col-amount">{formatNumber(s.count, lang)}</td>
              <td className="col-amount">{money(s.amount)}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t("salesStatus.totalRow")}</th>
          <td className="col-amount">{formatNumber(total, lang)}</td>
          <td className="col-amount">{money(totalAmount)}</td>
        </tr>
      </tfoot>
    </ChartTableCard>
  );
}

type SourcesCardProps = { sources: SourceBucket[]; ctx: ChartContext; fileSlug: string; onOpenSource?: (sourceId: number) => void };

function SourcesCard({ sources, ctx, fileSlug, onOpenSource }: SourcesCardProps) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const sorted = useMemo(() => sortSources(sources, lang), [sources, lang]);
  const option = useMemo(() => sourcesOption(sorted, ctx), [sorted, ctx]);
  const percentHeader = t("salesStatus.percentColumn");
  const header = [t("salesStatus.source"), t("salesStatus.countColumn"), percentHeader];

  const csv = () =>
    toCsv(
      [t("salesStatus.source"), t("salesStatus.countColumn"), `${percentHeader} (%)`],
      sorted.map((s) => [localTitle(s, lang), s.count, csvDecimal(s.percent)]),
    );

  return (
    <ChartTableCard
      title={t("salesStatus.sourcesTitle")}
      subtitle={t("salesStatus.sourcesSubtitle")}
      testId="report-sources"
      csv={{ file: `sales-sources_${fileSlug}.csv`, label: t("export.sourcesCsv"), content: csv, testId: "report-sources-csv" }}
      png={{ file: `sales-sources_${fileSlug}.png`, label: t("export.sourcesPng"), testId: "report-sources-png", disabled: sorted.length === 0 }}
      chart={{
        option,
        height: Math.max(140, sorted.length * 40 + 40),
        label: t("salesStatus.barsLabel"),
        testId: "report-sources-chart",
        onRowClick: (i) => {
          const source = sorted[i];
          if (source && onOpenSource) onOpenSource(source.sourceId);
        },
        empty: sorted.length === 0 ? t("salesStatus.noSources") : undefined,
      }}
      table={{ testId: "report-sources-table", caption: t("salesStatus.sourcesTitle"), header, columns: TABLE_COLUMNS.sources }}
    >
      <tbody>
        {sorted.map((s) => (
          <tr key={s.sourceId}>
            <th scope="row">{localTitle(s, lang)}</th>
            <td className="col-amount">{formatNumber(s.count, lang)}</td>
            <td className="col-amount">{t("salesStatus.percent", { value: formatDecimal(s.percent, lang) })}</td>
          </tr>
        ))}
      </tbody>
    </ChartTableCard>
  );
}
