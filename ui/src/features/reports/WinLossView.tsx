import { useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { currencyName, formatDecimal, formatMoney, formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { OutcomeGroup, Outcomes, WinLoss } from "../../lib/types";
import { reasonsOption, type ChartContext, type ReasonBar } from "./chartOptions";
import { EChart, type ChartHandle } from "./EChart";
import type { ListTarget } from "./navigation";
import { csvDecimal, toCsv } from "./exporting";
import { ReportCard, useExports } from "./ReportCard";

export type WinLossViewProps = {
  data: WinLoss;
  ctx: ChartContext;
  /** Part of the exported files' names, e.g. "2026-02-20_2026-03-20". */
  fileSlug: string;
  /** Opens the opportunity list filtered to a clicked reason (and its outcome). */
  onOpen?: (target: ListTarget) => void;
};

/** The win / loss analysis: summary figures, the reasons chart and the tables by reason, user, type and source. */
export function WinLossView({ data, ctx, fileSlug, onOpen }: WinLossViewProps) {
  const { t } = useTranslation("reports");
  const reasons = useMemo(
    () => [...data.winReasons.map((g) => ({ group: g, won: true })), ...data.lossReasons.map((g) => ({ group: g, won: false }))],
    [data.winReasons, data.lossReasons],
  );
  return (
    <div className="report-cards">
      <Summary total={data.total} ctx={ctx} />
      <ReasonsCard reasons={reasons} ctx={ctx} fileSlug={fileSlug} onOpen={onOpen} />
      <GroupCard title={t("winLoss.usersTitle")} nameColumn={t("winLoss.user")} groups={data.byUser} ctx={ctx} file={`win-loss-users_${fileSlug}.csv`} exportLabel={t("export.usersCsv")} testId="report-winloss-users" />
      <GroupCard title={t("winLoss.typesTitle")} nameColumn={t("winLoss.type")} groups={data.byType} ctx={ctx} file={`win-loss-types_${fileSlug}.csv`} exportLabel={t("export.typesCsv")} testId="report-winloss-types" />
      <GroupCard title={t("winLoss.sourcesTitle")} nameColumn={t("winLoss.source")} groups={data.bySource} ctx={ctx} file={`win-loss-sources_${fileSlug}.csv`} exportLabel={t("export.winLossSourcesCsv")} testId="report-winloss-sources" />
    </div>
  );
}

function Summary({ total, ctx }: { total: Outcomes; ctx: ChartContext }) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals });
  const stats = [
    { key: "won", label: t("winLoss.wonCount"), value: formatNumber(total.wonCount, lang), tone: "won" },
    { key: "wonAmount", label: t("winLoss.wonAmount"), value: money(total.wonAmount), tone: "won" },
    { key: "lost", label: t("winLoss.lostCount"), value: formatNumber(total.lostCount, lang), tone: "lost" },
    { key: "lostAmount", label: t("winLoss.lostAmount"), value: money(total.lostAmount), tone: "lost" },
    { key: "rate", label: t("winLoss.winRate"), value: t("salesStatus.percent", { value: formatDecimal(total.winRate, lang) }), tone: "rate" },
  ];
  return (
    <section className="report-stats" aria-label={t("winLoss.summaryTitle")} data-testid="report-winloss-summary">
      {stats.map((s) => (
        <div key={s.key} className={`card report-stat report-stat--${s.tone}`} data-stat={s.key}>
          <span className="report-stat__label muted">{s.label}</span>
          <span className="report-stat__value">{s.value}</span>
        </div>
      ))}
    </section>
  );
}

/** A group's name in the language of the setting; a group without id is "Not set". */
function useGroupName(lang: ChartContext["lang"]) {
  const { t } = useTranslation("reports");
  return (g: OutcomeGroup) => (g.id === null ? t("winLoss.notSet") : localTitle(g, lang));
}

type ReasonsCardProps = { reasons: { group: OutcomeGroup; won: boolean }[]; ctx: ChartContext; fileSlug: string; onOpen?: (target: ListTarget) => void };

function ReasonsCard({ reasons, ctx, fileSlug, onOpen }: ReasonsCardProps) {
  const { t } = useTranslation("reports");
  const exports = useExports();
  const chart = useRef<ChartHandle>(null);
  const bars = useMemo<ReasonBar[]>(
    () =>
      reasons.map(({ group, won }) => ({
        title: t(won ? "winLoss.winReason" : "winLoss.lossReason", { name: group.id === null ? t("winLoss.notSet") : localTitle(group, ctx.lang) }),
        count: won ? group.outcomes.wonCount : group.outcomes.lostCount,
        won,
      })),
    [reasons, t, ctx.lang],
  );
  const option = useMemo(() => reasonsOption(bars, ctx), [bars, ctx]);
  const rows = reasons.map((r) => r.group);
  return (
    <ReportCard
      title={t("winLoss.reasonsTitle")}
      subtitle={t("winLoss.reasonsSubtitle")}
      testId="report-winloss-reasons"
      tools={
        <>
          <CsvButton groups={rows} nameColumn={t("winLoss.reason")} ctx={ctx} file={`win-loss-reasons_${fileSlug}.csv`} label={t("export.reasonsCsv")} />
          <Button size="sm" onClick={() => exports.png(`win-loss-reasons_${fileSlug}.png`, chart.current)} aria-label={t("export.reasonsPng")} disabled={bars.length === 0}>
            {t("export.png")}
          </Button>
        </>
      }
    >
      {bars.length === 0 ? (
        <p className="muted report-card__none">{t("winLoss.noReasons")}</p>
      ) : (
        <EChart
          ref={chart}
          option={option}
          height={Math.max(140, bars.length * 40 + 40)}
          label={t("winLoss.reasonsLabel")}
          onClick={(click) => {
            const reason = click.componentType === "series" ? reasons[click.dataIndex] : undefined;
            if (reason && onOpen) onOpen({ status: reason.won ? "won" : "lost", ...(reason.group.id === null ? {} : { reason: reason.group.id }) });
          }}
          testId="report-winloss-reasons-chart"
        />
      )}
      <GroupTable groups={rows} nameColumn={t("winLoss.reason")} caption={t("winLoss.reasonsTitle")} ctx={ctx} testId="report-winloss-reasons-table" />
    </ReportCard>
  );
}

type GroupCardProps = { title: string; nameColumn: string; groups: OutcomeGroup[]; ctx: ChartContext; file: string; exportLabel: string; testId: string };

function GroupCard({ title, nameColumn, groups, ctx, file, exportLabel, testId }: GroupCardProps) {
  const { t } = useTranslation("reports");
  return (
    <section className="card report-card report-card--table" aria-label={title} data-testid={testId}>
      <header className="report-card__header">
        <h2 className="report-card__title">{title}</h2>
        <div className="report-card__tools">
          <CsvButton groups={groups} nameColumn={nameColumn} ctx={ctx} file={file} label={exportLabel} />
        </div>
      </header>
      {groups.length === 0 ? <p className="muted report-card__none">{t("winLoss.noGroups")}</p> : <GroupTable groups={groups} nameColumn={nameColumn} caption={title} ctx={ctx} testId={`${testId}-table`} />}
    </section>
  );
}

function useColumns(ctx: ChartContext) {
  const { t } = useTranslation("reports");
  const currency = currencyName(ctx.currency, ctx.lang);
  return [t("winLoss.won"), t("winLoss.wonAmountColumn", { currency }), t("winLoss.lost"), t("winLoss.lostAmountColumn", { currency }), t("winLoss.winRate")];
}

function CsvButton({ groups, nameColumn, ctx, file, label }: { groups: OutcomeGroup[]; nameColumn: string; ctx: ChartContext; file: string; label: string }) {
  const { t } = useTranslation("reports");
  const exports = useExports();
  const columns = useColumns(ctx);
  const name = useGroupName(ctx.lang);
  const exportCsv = () => {
    const [won = "", wonAmount = "", lost = "", lostAmount = "", rate = ""] = columns;
    const csv = toCsv(
      [nameColumn, won, wonAmount, lost, lostAmount, `${rate} (%)`],
      groups.map((g) => [name(g), g.outcomes.wonCount, csvDecimal(g.outcomes.wonAmount), g.outcomes.lostCount, csvDecimal(g.outcomes.lostAmount), csvDecimal(g.outcomes.winRate)]),
    );
    exports.csv(file, csv);
  };
  return (
    <Button size="sm" onClick={exportCsv} aria-label={label} disabled={groups.length === 0}>
      {t("export.csv")}
    </Button>
  );
}

function GroupTable({ groups, nameColumn, caption, ctx, testId }: { groups: OutcomeGroup[]; nameColumn: string; caption: string; ctx: ChartContext; testId: string }) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const columns = useColumns(ctx);
  const name = useGroupName(lang);
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false });
  return (
    <div className="table-wrap report-table">
      <table className="table table--compact" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{nameColumn}</th>
            {columns.map((c) => (
              <th key={c} scope="col" className="col-amount">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((g, i) => (
            <tr key={`${g.id ?? "none"}-${i}`}>
              <th scope="row">{name(g)}</th>
              <td className="col-amount">{formatNumber(g.outcomes.wonCount, lang)}</td>
              <td className="col-amount">{money(g.outcomes.wonAmount)}</td>
              <td className="col-amount">{formatNumber(g.outcomes.lostCount, lang)}</td>
              <td className="col-amount">{money(g.outcomes.lostAmount)}</td>
              <td className="col-amount">{t("salesStatus.percent", { value: formatDecimal(g.outcomes.winRate, lang) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
