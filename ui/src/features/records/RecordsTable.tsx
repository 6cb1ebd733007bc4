import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { RecordRow, Stage } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { formatDate, toLocalDigits } from "../../lib/format";
import { localTitle } from "../../lib/titles";

/** Newest first: by date, then by creation time. */
export function sortRecords(rows: readonly RecordRow[]): RecordRow[] {
  return [...rows].sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
}

export type RecordsTableProps = {
  rows: readonly RecordRow[];
  stages: readonly Stage[];
  onOpen: (row: RecordRow) => void;
  testId?: string;
  busy?: boolean;
};

/** The Records tab's table (identities and opportunities): each row opens its record (click or Enter). */
export function RecordsTable({ rows, stages, onOpen, testId, busy = false }: RecordsTableProps) {
  const { t } = useTranslation();
  const { language, calendar } = useAppSettings();
  const money = useMoney();
  const stageTitle = (id: number | null) => {
    const stage = id === null ? undefined : stages.find((s) => s.id === id);
    return stage ? localTitle(stage, language) : null;
  };
  const onKey = (e: KeyboardEvent<HTMLTableRowElement>, row: RecordRow) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onOpen(row);
    }
  };
  return (
    <div className={busy ? "table-wrap is-busy" : "table-wrap"}>
      <table className="table table--rows" data-testid={testId} aria-busy={busy || undefined}>
        <caption className="visually-hidden">{t("records.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("records.kind")}</th>
            <th scope="col">{t("records.title")}</th>
            <th scope="col">{t("records.state")}</th>
            <th scope="col" className="col-amount">
              {t("records.amount")}
            </th>
            <th scope="col">{t("records.date")}</th>
          </tr>
        </thead>
        <tbody>
          {sortRecords(rows).map((row) => {
            const stage = row.kind === "opportunity" ? stageTitle(row.stageId) : null;
            const state = stage ?? (row.status ? t(`recordStatus.${row.status}`) : null);
            return (
              <tr
                key={`${row.kind}-${row.id}`}
                tabIndex={0}
                className="row-link"
                data-record-kind={row.kind}
                data-record-id={row.id}
                onClick={() => onOpen(row)}
                onKeyDown={(e) => onKey(e, row)}
              >
                <td>{t(`recordKind.${row.kind}`)}</td>
                <td className="cell-name">
                  <bdi>{row.title}</bdi>
                  {row.number ? (
                    <span className="muted">
                      {" "}
                      <bdi>{toLocalDigits(row.number, language)}</bdi>
                    </span>
                  ) : null}
                </td>
                <td>{state ?? <span className="muted">—</span>}</td>
                <td className="col-amount">{money(row.amount)}</td>
                <td className="col-number">{formatDate(row.date, calendar, language)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
