// The list's columns: which ones show and in what order (remembered per user), and
// how header clicks change the sort.

import type { ListColumn, SortKey } from "../../lib/types";

/** Every column, in the default order. */
export const ALL_COLUMNS: readonly ListColumn[] = [
  "title",
  "identity",
  "stage",
  "pipeline",
  "assigned_to",
  "type",
  "source",
  "campaign",
  "estimated",
  "probability",
  "expected",
  "realized",
  "close_date",
  "created",
  "days_open",
  "reason",
  "reason_note",
  "closed_on",
];

/** Shown until the user chooses: the rest are one click away in the chooser. */
const HIDDEN_BY_DEFAULT: readonly ListColumn[] = ["pipeline", "type", "source", "campaign", "realized", "created", "reason", "reason_note", "closed_on"];

export const NUMERIC_COLUMNS: ReadonlySet<ListColumn> = new Set(["estimated", "probability", "expected", "realized", "days_open"]);

export type ColumnSetting = { column: ListColumn; visible: boolean };

/** The key of the per-user remembered value. */
export const COLUMNS_KEY = "ui.opportunityList.columns";

export const DEFAULT_COLUMNS: readonly ColumnSetting[] = ALL_COLUMNS.map((column) => ({ column, visible: !HIDDEN_BY_DEFAULT.includes(column) }));

const isColumn = (value: unknown): value is ListColumn => typeof value === "string" && (ALL_COLUMNS as readonly string[]).includes(value);

/**
 * Reads the remembered setting. Unknown or repeated columns are dropped, columns
 * the setting does not know yet are added at the end (shown or hidden as by default), and at least one
 * column always stays visible.
 */
export function parseColumns(stored: string | null): ColumnSetting[] {
  if (!stored) return [...DEFAULT_COLUMNS];
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return [...DEFAULT_COLUMNS];
  }
  if (!Array.isArray(raw)) return [...DEFAULT_COLUMNS];
  const seen = new Set<ListColumn>();
  const result: ColumnSetting[] = [];
  for (const item of raw) {
    const column: unknown = item && typeof item === "object" ? (item as { column?: unknown }).column : undefined;
    if (!isColumn(column) || seen.has(column)) continue;
    seen.add(column);
    result.push({ column, visible: (item as { visible?: unknown }).visible !== false });
  }
  for (const column of ALL_COLUMNS) if (!seen.has(column)) result.push({ column, visible: !HIDDEN_BY_DEFAULT.includes(column) });
  if (!result.some((c) => c.visible)) return [...DEFAULT_COLUMNS];
  return result;
}

export function serializeColumns(columns: readonly ColumnSetting[]): string {
  return JSON.stringify(columns.map(({ column, visible }) => ({ column, visible })));
}

/** Moves a column one place earlier (-1) or later (+1). */
export function moveColumn(columns: readonly ColumnSetting[], column: ListColumn, by: -1 | 1): ColumnSetting[] {
  const from = columns.findIndex((c) => c.column === column);
  const to = from + by;
  if (from < 0 || to < 0 || to >= columns.length) return [...columns];
  const next = [...columns];
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return next;
}

/** Shows or hides a column; the last visible one cannot be hidden. */
export function toggleColumn(columns: readonly ColumnSetting[], column: ListColumn): ColumnSetting[] {
  const next = columns.map((c) => (c.column === column ? { ...c, visible: !c.visible } : c));
  return next.some((c) => c.visible) ? next : [...columns];
}

/**
 * A click on a column's header: a new column sorts by it alone (ascending); the
 * column sorted first reverses. With Shift the column is added as a further key
 * (or, when it is already one, reversed in place).
 */
export function nextSort(sort: readonly SortKey[], column: ListColumn, shift: boolean): SortKey[] {
  const index = sort.findIndex((k) => k.column === column);
  if (shift) {
    if (index < 0) return [...sort, { column, desc: false }].slice(0, 4);
    return sort.map((k, i) => (i === index ? { ...k, desc: !k.desc } : k));
  }
  const current = sort[index];
  if (index === 0 && current) return [{ column, desc: !current.desc }];
  return [{ column, desc: false }];
}
