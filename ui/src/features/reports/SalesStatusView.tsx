import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { Segmented } from "../../components/Field";
import { currencyName, formatDecimal, formatMoney, formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { SalesStatus, SourceBucket, StageBucket } from "../../lib/types";
import { funnelOption, sortSources, sourcesOption, stageColor, type ChartContext, type Measure } from "./chartOptions";
import { sumDecimals } from "./decimals";
import { EChart, type ChartHandle } from "./EChart";
import { csvDecimal, toCsv } from "./exporting";
import { ReportCard, useExports } from "./ReportCard";

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
  const exports = useExports();
  const chart = useRef<ChartHandle>(null);
  const { lang } = ctx;
  const option = useMemo(() => funnelOption(stages, measure, ctx), [stages, measure, ctx]);
  const totalAmount = sumDecimals(stages.map((s) => s.amount));
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false });
  const amountHeader = t("salesStatus.amountColumn", { currency: currencyName(ctx.currency, lang) });
  const measureLabel = t(measure === "count" ? "salesStatus.count" : "salesStatus.amount");

  const exportCsv = () => {
    const csv = toCsv(
      [t("salesStatus.stage"), t("salesStatus.countColumn"), amountHeader],
      [...stages.map((s) => [localTitle(s, lang), s.count, csvDecimal(s.amount)]), [t("salesStatus.totalRow"), total, csvDecimal(totalAmount)]],
    );
    exports.csv(`sales-stages_${fileSlug}.csv`, csv);
  };

  let open = 0;
  const colors = stages.map((s) => stageColor(s.kind, s.kind === "open" ? open++ : 0));

  return (
    <ReportCard
      title={t("salesStatus.stagesTitle")}
      subtitle={t("salesStatus.total", { count: total, total: formatNumber(total, lang) })}
      testId="report-stages"
      tools={
        <>
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
          <Button size="sm" onClick={exportCsv} aria-label={t("export.stagesCsv")} data-testid="report-stages-csv">
            {t("export.csv")}
          </Button>
          <Button size="sm" onClick={() => exports.png(`sales-stages_${fileSlug}.png`, chart.current)} aria-label={t("export.stagesPng")} data-testid="report-stages-png">
            {t("export.png")}
          </Button>
        </>
      }
    >
      <EChart
        ref={chart}
        option={option}
        height={Math.max(280, stages.length * 46 + 24)}
        label={t("salesStatus.funnelLabel", { measure: measureLabel })}
        onClick={(click) => {
          const stage = click.componentType === "series" ? stages[click.dataIndex] : undefined;
          if (stage) onOpenStage(stage.stageId);
        }}
        testId="report-funnel"
      />
      <div className="table-wrap report-table">
        <table className="table table--compact" data-testid="report-stages-table">
          <caption className="visually-hidden">{t("salesStatus.stagesTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("salesStatus.stage")}</th>
              <th scope="col" className="col-amount">
                {t("salesStatus.countColumn")}
              </th>
              <th scope="col" className="col-amount">
                {amountHeader}
              </th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s, i) => {
              const title = localTitle(s, lang);
              return (
                <tr key={s.stageId} data-stage-kind={s.kind}>
                  <th scope="row">
                    <span className="report-table__name">
                      <span className="report-swatch" style={{ background: colors[i] }} aria-hidden="true" />
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
        </table>
      </div>
    </ReportCard>
  );
}

type SourcesCardProps = { sources: SourceBucket[]; ctx: ChartContext; fileSlug: string; onOpenSource?: (sourceId: number) => void };

function SourcesCard({ sources, ctx, fileSlug, onOpenSource }: SourcesCardProps) {
  const { t } = useTranslation("reports");
  const exports = useExports();
  const chart = useRef<ChartHandle>(null);
  const { lang } = ctx;
  const sorted = useMemo(() => sortSources(sources, lang), [sources, lang]);
  const option = useMemo(() => sourcesOption(sorted, ctx), [sorted, ctx]);
  const percentHeader = t("salesStatus.percentColumn");

  const exportCsv = () => {
    const csv = toCsv(
      [t("salesStatus.source"), t("salesStatus.countColumn"), `${percentHeader} (%)`],
      sorted.map((s) => [localTitle(s, lang), s.count, csvDecimal(s.percent)]),
    );
    exports.csv(`sales-sources_${fileSlug}.csv`, csv);
  };

  return (
    <ReportCard
      title={t("salesStatus.sourcesTitle")}
      subtitle={t("salesStatus.sourcesSubtitle")}
      testId="report-sources"
      tools={
        <>
          <Button size="sm" onClick={exportCsv} aria-label={t("export.sourcesCsv")} data-testid="report-sources-csv">
            {t("export.csv")}
          </Button>
          <Button
            size="sm"
            onClick={() => exports.png(`sales-sources_${fileSlug}.png`, chart.current)}
            aria-label={t("export.sourcesPng")}
            disabled={sorted.length === 0}
            data-testid="report-sources-png"
          >
            {t("export.png")}
          </Button>
        </>
      }
    >
      {sorted.length === 0 ? (
        <p className="muted report-card__none">{t("salesStatus.noSources")}</p>
      ) : (
        <EChart
          ref={chart}
          option={option}
          height={Math.max(140, sorted.length * 40 + 40)}
          label={t("salesStatus.barsLabel")}
          onClick={(click) => {
            const source = click.componentType === "series" ? sorted[click.dataIndex] : undefined;
            if (source && onOpenSource) onOpenSource(source.sourceId);
          }}
          testId="report-sources-chart"
        />
      )}
      <div className="table-wrap report-table">
        <table className="table table--compact" data-testid="report-sources-table">
          <caption className="visually-hidden">{t("salesStatus.sourcesTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("salesStatus.source")}</th>
              <th scope="col" className="col-amount">
                {t("salesStatus.countColumn")}
              </th>
              <th scope="col" className="col-amount">
                {percentHeader}
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={s.sourceId}>
                <th scope="row">{localTitle(s, lang)}</th>
                <td className="col-amount">{formatNumber(s.count, lang)}</td>
                <td className="col-amount">{t("salesStatus.percent", { value: formatDecimal(s.percent, lang) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ReportCard>
  );
}
