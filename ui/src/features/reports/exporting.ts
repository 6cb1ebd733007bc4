// A report's tables as CSV (the writer is lib/csv.ts) and the cells only reports
// need. Saving the file goes through `useExports` (ReportCard.tsx).

import { formatDate } from "../../lib/format";
import type { Calendar } from "../../lib/types";

export { csvDecimal, toCsv, type CsvCell, type CsvDecimal } from "../../lib/csv";

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
