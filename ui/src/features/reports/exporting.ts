// A report's tables as CSV: UTF-8 with a byte order mark, so Excel reads the Persian
// text correctly. Saving the file goes through `useExports` (ReportCard.tsx).

import { formatDate } from "../../lib/format";
import type { Calendar } from "../../lib/types";

/** A decimal number kept as its exact digits (amounts never go through a float). */
export type CsvDecimal = { decimal: string };

/** A cell: text is quoted as needed; numbers and decimals are written as they are. */
export type CsvCell = string | number | CsvDecimal;

const DECIMAL = /^-?\d+(\.\d+)?$/;

const BOM = "\uFEFF";

/** Text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: CsvCell): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "object") return DECIMAL.test(value.decimal) ? value.decimal : csvCell(value.decimal);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text of a table: a byte order mark, then the rows, comma-separated with
 * CRLF line ends (RFC 4180). Numbers are written in ASCII digits without grouping
 * so that spreadsheets read them as numbers.
 */
export function toCsv(header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

/** A decimal string in ASCII digits ("12500.5") as a CSV number cell. */
export function csvDecimal(value: string): CsvDecimal {
  return { decimal: value };
}

/**
 * An ISO date ("2026-02-10") as a CSV cell, written as the opportunity list's export
 * writes dates: in the calendar of the setting and in ASCII digits, "1404/11/21"
 * (Jalali) or "2026-02-10" (Gregorian), so that a spreadsheet can read it.
 */
export function csvDate(iso: string, calendar: Calendar): string {
  return calendar === "jalali" ? formatDate(iso, "jalali", "en") : iso;
}

/** A file name part for a date range ("2026-02-20_2026-03-20", "all"). */
export function rangeSlug(from: string | null | undefined, to: string | null | undefined): string {
  if (!from && !to) return "all";
  return `${from ?? "start"}_${to ?? "today"}`;
}
