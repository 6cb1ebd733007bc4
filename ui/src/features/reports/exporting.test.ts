import { describe, expect, it } from "vitest";
import { sumDecimals } from "../../shared/decimals";
import { csvDate, csvDecimal, rangeSlug, toCsv } from "./exporting";

describe("CSV export", () => {
  it("starts with a byte order mark and ends rows with CRLF", () => {
    const csv = toCsv(["مرحله", "تعداد", "مبلغ"], [["مذاکره", 3, csvDecimal("12000000")]]);
    expect(csv).toBe("\uFEFFمرحله,تعداد,مبلغ\r\nمذاکره,3,12000000\r\n");
  });

  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    const csv = toCsv(["a"], [['Say "hi", then'], ["two\nlines"], ["=HYPERLINK(1)"], [csvDecimal("-1500.5")], [csvDecimal("not a number")]]);
    expect(csv.slice(1).split("\r\n")).toEqual(["a", '"Say ""hi"", then"', '"two\nlines"', "'=HYPERLINK(1)", "-1500.5", "not a number", ""]);
  });

  it("names files after the period", () => {
    expect(rangeSlug("2026-02-20", "2026-03-20")).toBe("2026-02-20_2026-03-20");
    expect(rangeSlug(null, null)).toBe("all");
  });

  it("writes dates in the calendar of the setting with ASCII digits, as the opportunity export does", () => {
    expect(csvDate("2026-02-10", "gregorian")).toBe("2026-02-10");
    expect(csvDate("2026-02-10", "jalali")).toBe("1404/11/21");
    expect(csvDate("2025-03-21", "jalali")).toBe("1404/01/01");
    expect(toCsv(["d"], [[csvDate("2026-02-10", "jalali")]])).toBe("\uFEFFd\r\n1404/11/21\r\n");
  });
});

describe("decimal sums", () => {
  it("adds amounts exactly", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["12000000000000000001", "1"])).toBe("12000000000000000002");
    expect(sumDecimals(["1200.5", "-200"])).toBe("1000.5");
    expect(sumDecimals(["-5", "2"])).toBe("-3");
    expect(sumDecimals([])).toBe("0");
  });
});
