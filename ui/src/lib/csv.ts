// CSV text for spreadsheets: UTF-8 with a byte order mark (so Excel reads Persian
// text correctly), comma-separated, CRLF line ends (RFC 4180). Used by the reports'
// tables and the import's problem list.

/** A decimal number kept as its exact digits (amounts never go through a float). */
export type CsvDecimal = { decimal: string };

/** A cell: text is quoted as needed; numbers and decimals are written as they are. */
export type CsvCell = string | number | CsvDecimal;

const DECIMAL = /^-?\d+(\.\d+)?$/;

const BOM = "\uFEFF";

/** Text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: text quoted when it holds a quote, a line break or a separator
 * (comma, or the semicolon some locales' spreadsheets split on); a leading formula
 * sign is neutralised.
 */
export function csvCell(value: CsvCell): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "object") return DECIMAL.test(value.decimal) ? value.decimal : csvCell(value.decimal);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text of a table: a byte order mark, then the rows. Numbers are written in
 * ASCII digits without grouping so that spreadsheets read them as numbers.
 */
export function toCsv(header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(","));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

/** A decimal string in ASCII digits ("12500.5") as a CSV number cell. */
export function csvDecimal(value: string): CsvDecimal {
  return { decimal: value };
}
