import { useRef, type KeyboardEvent, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { formatDate, formatDecimal, formatMoney } from "../../lib/format";
import type { ListColumn, OpportunityRow, SortKey } from "../../lib/types";
import { NUMERIC_COLUMNS } from "./columns";
import type { Lookups } from "./lookups";

export const COLUMN_LABEL: Record<ListColumn, string> = {
  title: "columns.title",
  identity: "columns.identity",
  stage: "columns.stage",
  pipeline: "columns.pipeline",
  assigned_to: "columns.assignedTo",
  type: "columns.type",
  source: "columns.source",
  campaign: "columns.campaign",
  estimated: "columns.estimated",
  probability: "columns.probability",
  expected: "columns.expected",
  realized: "columns.realized",
  close_date: "columns.closeDate",
  created: "columns.created",
  days_open: "columns.daysOpen",
  reason: "columns.reason",
  reason_note: "columns.reasonNote",
  closed_on: "columns.closedOn",
};

export type OpportunityTableProps = {
  rows: OpportunityRow[];
  columns: ListColumn[];
  sort: SortKey[];
  onSort: (column: ListColumn, shift: boolean) => void;
  /** The chosen rows (id → version); without `onSelect` the table has no checkboxes. */
  selected?: ReadonlyMap<number, number>;
  onSelect?: (rows: OpportunityRow[], on: boolean) => void;
  busy: boolean;
  lookups: Lookups;
  /**
   * Every column at once (a report): wider than the window on purpose, it scrolls
   * sideways inside its frame with the title column kept in sight.
   */
  wide?: boolean;
};

const NONE: ReadonlyMap<number, number> = new Map();

/** Text columns that end in "…" past their width (the whole text on hover). */
const CLIPPED: ReadonlySet<ListColumn> = new Set(["title", "identity", "assigned_to", "type", "source", "campaign", "pipeline"]);

/** The list's table: sortable headers, a checkbox per row, rows open the opportunity. */
export function OpportunityTable({ rows, columns, sort, onSort, selected = NONE, onSelect, busy, lookups, wide = false }: OpportunityTableProps) {
  const { t } = useTranslation("pipeline");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const body = useRef<HTMLTableSectionElement>(null);
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someOnPage = rows.some((r) => selected.has(r.id));
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, decimals: currencyDecimals, withCurrency: false });
  const num = (v: number) => formatDecimal(String(v), language);

  /** The whole of a text cell that may end in "…". */
  const hoverText = (row: OpportunityRow, column: ListColumn): string | undefined => {
    switch (column) {
      case "title":
        return row.title;
      case "identity":
        return row.identityName;
      case "assigned_to":
        return row.assignedUserName ?? undefined;
      case "type":
        return lookups.itemName(row.typeId) || undefined;
      case "source":
        return lookups.itemName(row.sourceId) || undefined;
      case "campaign":
        return row.campaignName ?? undefined;
      default:
        return undefined;
    }
  };

  const cell = (row: OpportunityRow, column: ListColumn) => {
    switch (column) {
      case "title":
        return <bdi className="cell-name">{row.title}</bdi>;
      case "identity":
        return <bdi>{row.identityName}</bdi>;
      case "stage":
        return (
          <span className={`pl-stage pl-stage--${row.stageKind}`} title={lookups.stageName(row.stageId)}>
            {lookups.stageName(row.stageId)}
          </span>
        );
      case "pipeline":
        return lookups.pipelineName(row.stageId);
      case "assigned_to":
        return row.assignedUserName ? <bdi>{row.assignedUserName}</bdi> : <span className="muted">{t("unassigned")}</span>;
      case "type":
        return lookups.itemName(row.typeId);
      case "source":
        return lookups.itemName(row.sourceId);
      case "campaign":
        return row.campaignName ?? <span className="muted">—</span>;
      case "estimated":
        return money(row.estimatedAmount);
      case "probability":
        return t("percent", { value: num(row.probability) });
      case "expected":
        return money(row.expectedAmount);
      case "realized":
        return money(row.realizedAmount);
      case "close_date":
        if (!row.closeDate) return <span className="muted">—</span>;
        return (
          <span className={row.overdue ? "pl-overdue" : undefined}>
            {formatDate(row.closeDate, calendar, language)}
            {row.overdue ? <span className="badge badge--overdue">{t("overdue")}</span> : null}
          </span>
        );
      case "created":
        return formatDate(row.createdAt, calendar, language);
      case "days_open":
        return num(row.daysOpen);
      case "reason": {
        const reason = row.winReasonId ?? row.lossReasonId;
        return reason === null ? <span className="muted">—</span> : lookups.itemName(reason);
      }
      case "reason_note":
        return row.reasonNote ? <span className="pl-note" title={row.reasonNote}>{row.reasonNote}</span> : <span className="muted">—</span>;
      case "closed_on": {
        const on = row.wonOn ?? row.lostOn;
        return on ? formatDate(on, calendar, language) : <span className="muted">—</span>;
      }
    }
  };

  const focusRow = (index: number) => {
    const rowsEl = body.current?.querySelectorAll<HTMLTableRowElement>("tr");
    const target = rowsEl?.[Math.max(0, Math.min(index, rowsEl.length - 1))];
    target?.focus();
  };

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, row: OpportunityRow, index: number) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === "Enter") navigate(paths.opportunity(row.id));
    else if (e.key === "ArrowDown") focusRow(index + 1);
    else if (e.key === "ArrowUp") focusRow(index - 1);
    else if (e.key === "Home") focusRow(0);
    else if (e.key === "End") focusRow(rows.length - 1);
    else if (e.key === " " && onSelect) onSelect([row], !selected.has(row.id));
    else return;
    e.preventDefault();
  };

  const header = (column: ListColumn) => {
    const index = sort.findIndex((k) => k.column === column);
    const key = sort[index];
    const ariaSort = index === 0 && key ? (key.desc ? "descending" : "ascending") : undefined;
    const label = t(COLUMN_LABEL[column] as "columns.title");
    return (
      <th key={column} scope="col" aria-sort={ariaSort} className={NUMERIC_COLUMNS.has(column) ? "col-amount" : undefined}>
        <button
          type="button"
          className="pl-sort"
          onClick={(e: MouseEvent) => onSort(column, e.shiftKey)}
          title={t("sortHint")}
          data-testid={`sort-${column}`}
          data-sort={key ? (key.desc ? "desc" : "asc") : undefined}
        >
          {label}
          {key ? (
            <span className="pl-sort__mark" aria-hidden="true">
              {key.desc ? "↓" : "↑"}
              {sort.length > 1 ? num(index + 1) : null}
            </span>
          ) : null}
        </button>
      </th>
    );
  };

  return (
    <div className={["table-wrap", busy ? "is-busy" : "", wide ? "pl-wide" : ""].filter(Boolean).join(" ")} data-overflow-ok={wide || undefined}>
      {busy ? <div className="table-wrap__progress" aria-hidden="true" /> : null}
      <table className="table pl-table" data-testid="opportunity-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">{t("list.caption")}</caption>
        <thead>
          <tr>
            {onSelect ? (
              <th scope="col" className="pl-check">
                <input
                  type="checkbox"
                  aria-label={t("bulk.selectPage")}
                  checked={allOnPage}
                  ref={(el) => {
                    if (el) el.indeterminate = someOnPage && !allOnPage;
                  }}
                  onChange={(e) => onSelect(rows, e.target.checked)}
                  data-testid="select-page"
                />
              </th>
            ) : null}
            {columns.map(header)}
          </tr>
        </thead>
        <tbody ref={body}>
          {rows.map((row, index) => (
            <tr
              key={row.id}
              data-opportunity-id={row.id}
              tabIndex={0}
              className={selected.has(row.id) ? "row-link is-selected" : "row-link"}
              aria-selected={onSelect ? selected.has(row.id) : undefined}
              onClick={(e) => {
                if ((e.target as HTMLElement).closest("input, button, a")) return;
                navigate(paths.opportunity(row.id));
              }}
              onKeyDown={(e) => onRowKey(e, row, index)}
            >
              {onSelect ? (
                <td className="pl-check">
                  <input type="checkbox" aria-label={t("bulk.selectRow", { title: row.title })} checked={selected.has(row.id)} onChange={(e) => onSelect([row], e.target.checked)} />
                </td>
              ) : null}
              {columns.map((column) => (
                <td
                  key={column}
                  className={NUMERIC_COLUMNS.has(column) ? "col-amount" : `pl-col-${column}`}
                  // Long names end in "…": the whole of them on hover.
                  title={hoverText(row, column)}
                >
                  {CLIPPED.has(column) ? <span className="pl-clip">{cell(row, column)}</span> : cell(row, column)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
