// Report periods: "this month", "this quarter", … turned into the inclusive ISO
// dates (yyyy-mm-dd) the reports filter on. Months, quarters and years are those of
// the calendar setting: with the Jalali calendar "this month" is e.g. Esfand 1404
// (2026-02-20 … 2026-03-20), with the Gregorian one February 2026.

import { todayIso } from "../../lib/clock";
import { jalaaliMonthLength, toGregorian, toJalaali } from "jalaali-js";
import type { Calendar } from "../../lib/types";

export type PeriodPreset = "thisMonth" | "lastMonth" | "thisQuarter" | "thisYear" | "custom";

export const PERIOD_PRESETS: readonly PeriodPreset[] = ["thisMonth", "lastMonth", "thisQuarter", "thisYear", "custom"];

export function isPeriodPreset(value: string): value is PeriodPreset {
  return (PERIOD_PRESETS as readonly string[]).includes(value);
}

/** Inclusive first and last day, as ISO dates. */
export type DateRange = { from: string; to: string };

/** A year, month (1-12) and day in the calendar the period is counted in. */
type Ymd = { y: number; m: number; d: number };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function iso(gy: number, gm: number, gd: number): string {
  return `${pad(gy, 4)}-${pad(gm)}-${pad(gd)}`;
}

function parseIso(value: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new Error(`not an ISO date: ${value}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

function gregorianMonthLength(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The ISO date of a day given in the calendar. */
function toIso(calendar: Calendar, y: number, m: number, d: number): string {
  if (calendar === "jalali") {
    const g = toGregorian(y, m, d);
    return iso(g.gy, g.gm, g.gd);
  }
  return iso(y, m, d);
}

function monthLength(calendar: Calendar, y: number, m: number): number {
  return calendar === "jalali" ? jalaaliMonthLength(y, m) : gregorianMonthLength(y, m);
}

/** Months `fromMonth`..`toMonth` (1-12) of `year` in the calendar. */
function monthsRange(calendar: Calendar, year: number, fromMonth: number, toMonth: number): DateRange {
  return {
    from: toIso(calendar, year, fromMonth, 1),
    to: toIso(calendar, year, toMonth, monthLength(calendar, year, toMonth)),
  };
}

/** A month of the calendar (month 1-12), e.g. monthRange("jalali", 1404, 12) → Esfand 1404. */
export function monthRange(calendar: Calendar, year: number, month: number): DateRange {
  return monthsRange(calendar, year, month, month);
}

/** A quarter (1-4) of the calendar's year; Jalali quarters start in Farvardin, Tir, Mehr and Dey. */
export function quarterRange(calendar: Calendar, year: number, quarter: number): DateRange {
  const first = (quarter - 1) * 3 + 1;
  return monthsRange(calendar, year, first, first + 2);
}

/** A whole year of the calendar. */
export function yearRange(calendar: Calendar, year: number): DateRange {
  return monthsRange(calendar, year, 1, 12);
}

/** An ISO date as a day of the calendar. */
function inCalendar(calendar: Calendar, isoDate: string): Ymd {
  const g = parseIso(isoDate);
  if (calendar === "gregorian") return g;
  const j = toJalaali(g.y, g.m, g.d);
  return { y: j.jy, m: j.jm, d: j.jd };
}

/** The dates a preset stands for on `today` (an ISO date). A custom range has none. */
export function presetRange(preset: Exclude<PeriodPreset, "custom">, calendar: Calendar, today: string): DateRange {
  const { y, m } = inCalendar(calendar, today);
  switch (preset) {
    case "thisMonth":
      return monthRange(calendar, y, m);
    case "lastMonth":
      return m === 1 ? monthRange(calendar, y - 1, 12) : monthRange(calendar, y, m - 1);
    case "thisQuarter":
      return quarterRange(calendar, y, Math.floor((m - 1) / 3) + 1);
    case "thisYear":
      return yearRange(calendar, y);
  }
}

/** Today as an ISO date, in the configured time zone (lib/clock.ts). */
export function localToday(now: Date = new Date()): string {
  return todayIso(now);
}
