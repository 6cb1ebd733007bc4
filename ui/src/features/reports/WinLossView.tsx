import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { currencyName, formatDecimal, formatMoney, formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { OutcomeGroup, Outcomes, WinLoss } from "../../lib/types";
import { reasonsOption, type ChartContext, type ReasonBar } from "./chartOptions";
import type { ListTarget } from "./navigation";
import { csvDecimal, toCsv } from "./exporting";
import { ChartTableCard } from "./ChartTableCard";
import { useExports } from "./ReportCard";
import { ReportTable } from "./ReportTable";
import { Stat } from "./Stat";
import { TABLE_COLUMNS } from "./tableColumns";

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
        <Stat key={s.key} label={s.label} value={s.value} tone={s.tone} testId={s.key} />
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
  const bars = useMemo<ReasonBar[]>(
    () =>
      reasons.map(({ group, won }) => ({
        title: group.id === null ? t("winLoss.notSet") : localTitle(group, ctx.lang),
        count: won ? group.outcomes.wonCount : group.outcomes.lostCount,
        won,
      })),
    [reasons, t, ctx.lang],
  );
  const option = useMemo(() => reasonsOption(bars, { won: t("winLoss.winReasons"), lost: t("winLoss.lossReasons") }, ctx), [bars, t, ctx]);
  const rows = reasons.map((r) => r.group);
  const nameColumn = t("winLoss.reason");
  const columns = useColumns(ctx);
  const csv = useGroupCsv(rows, nameColumn, ctx);
  return (
    <ChartTableCard
      title={t("winLoss.reasonsTitle")}
      subtitle={t("winLoss.reasonsSubtitle")}
      testId="report-winloss-reasons"
      csv={{ file: `win-loss-reasons_${fileSlug}.csv`, label: t("export.reasonsCsv"), content: csv, disabled: rows.length === 0 }}
      png={{ file: `win-loss-reasons_${fileSlug}.png`, label: t("export.reasonsPng"), disabled: bars.length === 0 }}
      chart={{
        option,
        height: Math.max(160, bars.length * 40 + 64),
        label: t("winLoss.reasonsLabel"),
        testId: "report-winloss-reasons-chart",
        onRowClick: (i) => {
          const reason = reasons[i];
          if (reason && onOpen) onOpen({ status: reason.won ? "won" : "lost", ...(reason.group.id === null ? {} : { reason: reason.group.id }) });
        },
        empty: bars.length === 0 ? t("winLoss.noReasons") : undefined,
      }}
      table={{ testId: "report-winloss-reasons-table", caption: t("winLoss.reasonsTitle"), header: [nameColumn, ...columns], columns: TABLE_COLUMNS.outcomeGroups }}
    >
      <GroupRows groups={rows} ctx={ctx} />
    </ChartTableCard>
  );
}

type GroupCardProps = { title: string; nameColumn: string; groups: OutcomeGroup[]; ctx: ChartContext; file: string; exportLabel: string; testId: string };

function GroupCard({ title, nameColumn, groups, ctx, file, exportLabel, testId }: GroupCardProps) {
  const { t } = useTranslation("reports");
  const exports = useExports();
  const columns = useColumns(ctx);
  const csv = useGroupCsv(groups, nameColumn, ctx);
  return (
    <section className="card report-card report-card--table" aria-label={title} data-testid={testId}>
      <header className="report-card__header">
        <h2 className="report-card__title">{title}</h2>
        <div className="report-card__tools">
          <Button size="sm" onClick={() => exports.csv(file, csv())} aria-label={exportLabel} disabled={groups.length === 0}>
            {t("export.csv")}
          </Button>
        </div>
      </header>
      {groups.length === 0 ? (
        <p className="muted report-card__none">{t("winLoss.noGroups")}</p>
      ) : (
        <ReportTable testId={`${testId}-table`} caption={title} header={[nameColumn, ...columns]} columns={TABLE_COLUMNS.outcomeGroups}>
          <GroupRows groups={groups} ctx={ctx} />
        </ReportTable>
      )}
    </section>
  );
}

function useColumns(ctx: ChartContext) {
  const { t } = useTranslation("reports");
  const currency = currencyName(ctx.currency, ctx.lang);
  return [t("winLoss.won"), t("winLoss.wonAmountColumn", { currency }), t("winLoss.lost"), t("winLoss.lostAmountColumn", { currency }), t("winLoss.winRate")];
}

/** The CSV text of a table of groups (built when asked for). */
function useGroupCsv(groups: OutcomeGroup[], nameColumn: string, ctx: ChartContext) {
  const columns = useColumns(ctx);
  const name = useGroupName(ctx.lang);
  return () => {
    const [won = "", wonAmount = "", lost = "", lostAmount = "", rate = ""] = columns;
    return toCsv(
      [nameColumn, won, wonAmount, lost, lostAmount, `${rate} (%)`],
      groups.map((g) => [name(g), g.outcomes.wonCount, csvDecimal(g.outcomes.wonAmount), g.outcomes.lostCount, csvDecimal(g.outcomes.lostAmount), csvDecimal(g.outcomes.winRate)]),
    );
  };
}

/** The body of a table of groups: won, won amount, lost, lost amount and win rate per group. */
function GroupRows({ groups, ctx }: { groups: OutcomeGroup[]; ctx: ChartContext }) {
  const { t } = useTranslation("reports");
  const { lang } = ctx;
  const name = useGroupName(lang);
  const money = (value: string) => formatMoney(value, lang, { currency: ctx.currency, decimals: ctx.decimals, withCurrency: false });
  return (
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
  );
}
