// Report: activities per user and kind over the reports' period — how many are still
// planned, done, cancelled, how many of the planned are overdue now, and in all.

import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { formatNumber, type Lang } from "../../lib/format";
import type { ActivityReportRow } from "../../lib/types";
import { toCsv } from "./exporting";
import { ReportCard, useExports } from "./ReportCard";
import { ReportTable } from "./ReportTable";
import { TABLE_COLUMNS } from "./tableColumns";

type Figures = Pick<ActivityReportRow, "planned" | "done" | "cancelled" | "overdue" | "total">;
const FIGURES = ["planned", "done", "cancelled", "overdue", "total"] as const satisfies readonly (keyof Figures)[];

type Group = { key: string; name: string; rows: ActivityReportRow[] };

/** The rows by user, in the order the backend gives them. */
function byUser(rows: readonly ActivityReportRow[], unassigned: string): Group[] {
  const groups: Group[] = [];
  for (const row of rows) {
    const key = row.userId === null ? "none" : String(row.userId);
    let group = groups.find((g) => g.key === key);
    if (!group) {
      group = { key, name: row.userName ?? unassigned, rows: [] };
      groups.push(group);
    }
    group.rows.push(row);
  }
  return groups;
}

function sum(rows: readonly ActivityReportRow[]): Figures {
  const total: Figures = { planned: 0, done: 0, cancelled: 0, overdue: 0, total: 0 };
  for (const row of rows) for (const f of FIGURES) total[f] += row[f];
  return total;
}

export type ActivitiesViewProps = {
  rows: ActivityReportRow[];
  lang: Lang;
  fileSlug: string;
};

export function ActivitiesView({ rows, lang, fileSlug }: ActivitiesViewProps) {
  const { t } = useTranslation("reports");
  const { t: tf } = useTranslation("followup");
  const exports = useExports();
  const n = (value: number) => formatNumber(value, lang);
  const kind = (row: ActivityReportRow) => tf(`kinds.${row.kind}`);
  const groups = byUser(rows, t("activities.unassigned"));
  const totals = sum(rows);
  const header = [t("activities.user"), t("activities.kind"), ...FIGURES.map((f) => t(`activities.${f}`))];
  const csv = () =>
    toCsv(
      header,
      rows.map((r) => [r.userName ?? t("activities.unassigned"), kind(r), r.planned, r.done, r.cancelled, r.overdue, r.total]),
    );

  return (
    <div className="report-cards">
      <ReportCard
        title={t("activities.title")}
        subtitle={t("activities.subtitle")}
        testId="report-activities"
        layout="stacked"
        tools={
          <Button size="sm" onClick={() => exports.csv(`activities_${fileSlug}.csv`, csv())} aria-label={t("export.activitiesCsv")}>
            {t("export.csv")}
          </Button>
        }
      >
        <ReportTable testId="report-activities-table" caption={t("activities.title")} header={header} columns={TABLE_COLUMNS.activities}>
          <tbody>
            {groups.map((g) =>
              g.rows.map((r, i) => (
                <tr key={`${g.key}-${r.kind}`} data-testid={`report-activities-row-${g.key}-${r.kind}`}>
                  {i === 0 ? (
                    <th scope="rowgroup" rowSpan={g.rows.length}>
                      {g.name}
                    </th>
                  ) : null}
                  <td>{kind(r)}</td>
                  {FIGURES.map((f) => (
                    <td key={f} className="col-amount">
                      {n(r[f])}
                    </td>
                  ))}
                </tr>
              )),
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t("activities.totalRow")}
              </th>
              {FIGURES.map((f) => (
                <td key={f} className="col-amount" data-testid={`report-activities-total-${f}`}>
                  {n(totals[f])}
                </td>
              ))}
            </tr>
          </tfoot>
        </ReportTable>
      </ReportCard>
    </div>
  );
}
