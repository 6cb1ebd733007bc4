import { describe, expect, it } from "vitest";
import { jalaaliMonthLength, toGregorian } from "jalaali-js";
import { DEFAULT_FILTERS, resolveFilter } from "./filters";
import { localToday, monthRange, presetRange, quarterRange, yearRange } from "./periods";

/** The ISO date of a Jalali day, straight from jalaali-js. */
function jalali(jy: number, jm: number, jd: number): string {
  const g = toGregorian(jy, jm, jd);
  return `${g.gy}-${String(g.gm).padStart(2, "0")}-${String(g.gd).padStart(2, "0")}`;
}

describe("Jalali report periods", () => {
  it("gives a Jalali month's first and last day", () => {
    // Esfand 1404 has 29 days: 1404/12/01 … 1404/12/29.
    expect(monthRange("jalali", 1404, 12)).toEqual({ from: "2026-02-20", to: "2026-03-20" });
    expect(monthRange("jalali", 1404, 12)).toEqual({ from: jalali(1404, 12, 1), to: jalali(1404, 12, jalaaliMonthLength(1404, 12)) });
    // In a leap year Esfand has 30 days (1403/12/30 = 2025-03-20).
    expect(monthRange("jalali", 1403, 12)).toEqual({ from: "2025-02-19", to: "2025-03-20" });
    // Farvardin has 31 days.
    expect(monthRange("jalali", 1405, 1)).toEqual({ from: jalali(1405, 1, 1), to: jalali(1405, 1, 31) });
  });

  it("gives Jalali quarters (Farvardin, Tir, Mehr, Dey) and years", () => {
    expect(quarterRange("jalali", 1404, 1)).toEqual({ from: jalali(1404, 1, 1), to: jalali(1404, 3, 31) });
    expect(quarterRange("jalali", 1404, 3)).toEqual({ from: jalali(1404, 7, 1), to: jalali(1404, 9, 30) });
    expect(quarterRange("jalali", 1404, 4)).toEqual({ from: "2025-12-22", to: "2026-03-20" });
    expect(yearRange("jalali", 1404)).toEqual({ from: "2025-03-21", to: "2026-03-20" });
  });

  it("turns the presets into the periods around today", () => {
    const today = "2026-03-01"; // 1404/12/10
    expect(presetRange("thisMonth", "jalali", today)).toEqual({ from: "2026-02-20", to: "2026-03-20" });
    expect(presetRange("lastMonth", "jalali", today)).toEqual({ from: jalali(1404, 11, 1), to: jalali(1404, 11, 30) });
    expect(presetRange("thisQuarter", "jalali", today)).toEqual({ from: "2025-12-22", to: "2026-03-20" });
    expect(presetRange("thisYear", "jalali", today)).toEqual({ from: "2025-03-21", to: "2026-03-20" });
    // The first and last days of a month belong to it.
    expect(presetRange("thisMonth", "jalali", "2026-02-20")).toEqual({ from: "2026-02-20", to: "2026-03-20" });
    expect(presetRange("thisMonth", "jalali", "2026-03-20")).toEqual({ from: "2026-02-20", to: "2026-03-20" });
  });

  it("steps back over the new year for last month", () => {
    // 1405/01/05 → Esfand 1404.
    expect(presetRange("lastMonth", "jalali", "2026-03-25")).toEqual({ from: "2026-02-20", to: "2026-03-20" });
    expect(presetRange("thisYear", "jalali", "2026-03-25")).toEqual({ from: jalali(1405, 1, 1), to: jalali(1405, 12, jalaaliMonthLength(1405, 12)) });
  });
});

describe("Gregorian report periods", () => {
  it("uses Gregorian months, quarters and years", () => {
    expect(presetRange("thisMonth", "gregorian", "2024-02-10")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(presetRange("thisMonth", "gregorian", "2026-02-10")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetRange("lastMonth", "gregorian", "2026-01-10")).toEqual({ from: "2025-12-01", to: "2025-12-31" });
    expect(presetRange("thisQuarter", "gregorian", "2026-05-31")).toEqual({ from: "2026-04-01", to: "2026-06-30" });
    expect(presetRange("thisYear", "gregorian", "2026-12-31")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
  });

  it("reads today from the local calendar day", () => {
    expect(localToday(new Date(2026, 2, 1, 23, 59))).toBe("2026-03-01");
  });
});

describe("report filter", () => {
  it("sends the period as ISO dates with the other filters", () => {
    const resolved = resolveFilter({ ...DEFAULT_FILTERS, preset: "thisMonth", assignedUserId: 2, sourceId: 3 }, "jalali", "2026-03-01");
    expect(resolved.filter).toEqual({ from: "2026-02-20", to: "2026-03-20", assignedUserId: 2, typeId: null, sourceId: 3, campaignId: null, pipelineId: null });
    expect(resolved.invalid).toBe(false);
  });

  it("keeps a custom range's open ends open and refuses an end before the start", () => {
    expect(resolveFilter({ ...DEFAULT_FILTERS, preset: "custom", customFrom: "2026-01-01" }, "jalali", "2026-03-01").filter).toMatchObject({ from: "2026-01-01", to: null });
    expect(resolveFilter({ ...DEFAULT_FILTERS, preset: "custom", customFrom: "2026-02-01", customTo: "2026-01-01" }, "jalali", "2026-03-01").invalid).toBe(true);
  });
});
