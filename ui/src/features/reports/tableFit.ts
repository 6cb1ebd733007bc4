// How a report card lays out its chart and its table so that the table shows all its
// columns without scrolling from a 1280 px window up: beside the chart when the table
// is narrow, beside it on wide screens only, or under it. The widths are the least a
// column of the compact table needs (numbers never wrap; names and headers do), and
// the room is what the grid of reports.css leaves the table at its breakpoints.

/** What a column holds: a name or text (wraps), a date, or a figure (kept on one line). */
export type ColumnKind = "name" | "text" | "date" | "count" | "percent" | "days" | "amount";

/** The least width (px) of a column, its padding included. */
const LEAST_WIDTH: Record<ColumnKind, number> = {
  name: 150,
  text: 110,
  date: 96,
  count: 56,
  percent: 68,
  days: 84,
  amount: 124,
};

/** Figures line up at the end of their column and never wrap. */
export function isFigure(kind: ColumnKind): boolean {
  return kind === "count" || kind === "percent" || kind === "days" || kind === "amount";
}

/** The least width (px) the table needs to show all of its columns. */
export function tableMinWidth(columns: readonly ColumnKind[]): number {
  return columns.reduce((sum, kind) => sum + LEAST_WIDTH[kind], 0);
}

/**
 * Where the table sits: beside the chart from `BESIDE_FROM` px (in 2 of 5 parts of the
 * card), beside it from `WIDE_FROM` px only (in 3 of 5 parts), or always under it.
 */
export type CardLayout = "beside" | "wide" | "stacked";

/** The window widths (px) of the breakpoints in reports.css. */
export const BESIDE_FROM = 1200;
export const WIDE_FROM = 1600;

/** The navigation bar, the page's and the card's padding and border, the panel's scroll bar. */
const CHROME = 216 + 44 + 34 + 12;
/** The gap between the chart and the table. */
const GAP = 16;

/** The width (px) left to the table in a window `viewport` px wide, for a layout. */
export function tableRoom(viewport: number, layout: CardLayout): number {
  const card = viewport - CHROME;
  if (layout === "stacked" || (layout === "beside" && viewport < BESIDE_FROM) || (layout === "wide" && viewport < WIDE_FROM)) return card;
  return (card - GAP) * (layout === "beside" ? 2 / 5 : 3 / 5);
}

/** The layout that shows all the table's columns at every window width from the smallest breakpoint. */
export function cardLayout(columns: readonly ColumnKind[]): CardLayout {
  const need = tableMinWidth(columns);
  if (need <= tableRoom(BESIDE_FROM, "beside")) return "beside";
  if (need <= tableRoom(WIDE_FROM, "wide")) return "wide";
  return "stacked";
}
