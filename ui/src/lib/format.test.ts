import { describe, expect, it } from "vitest";
import {
  currencyName,
  formatDate,
  formatMonth,
  formatDateTime,
  formatDecimal,
  formatMoney,
  formatNumber,
  normalizeDigits,
  parseDateInput,
  toLocalDigits,
} from "./format";

const LRM = "\u200E";

describe("normalizeDigits", () => {
  it("turns Persian and Arabic-Indic digits into ASCII", () => {
    expect(normalizeDigits("۰۱۲۳۴۵۶۷۸۹")).toBe("0123456789");
    expect(normalizeDigits("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(normalizeDigits("تلفن: ۰۹۱۲-abc 7")).toBe("تلفن: 0912-abc 7");
  });
  it("round-trips with toLocalDigits", () => {
    expect(toLocalDigits("1403/01/15", "fa")).toBe("۱۴۰۳/۰۱/۱۵");
    expect(toLocalDigits("1403/01/15", "en")).toBe("1403/01/15");
    expect(normalizeDigits(toLocalDigits("9876543210", "fa"))).toBe("9876543210");
  });
});

describe("formatNumber", () => {
  it("uses Persian digits and separators in fa", () => {
    expect(formatNumber(12345, "fa")).toBe("۱۲٬۳۴۵");
    expect(formatNumber(12345, "en")).toBe("12,345");
    expect(formatNumber(0, "fa")).toBe("۰");
  });
  it("formats decimal strings without floats", () => {
    expect(formatNumber("99999999999999.99", "en")).toBe("99,999,999,999,999.99");
  });
});

describe("formatDecimal", () => {
  it("groups on the string", () => {
    expect(formatDecimal("1234567.89", "en")).toBe("1,234,567.89");
    expect(formatDecimal("1234567.89", "fa")).toBe("۱٬۲۳۴٬۵۶۷٫۸۹");
    expect(formatDecimal("0012", "en")).toBe("12");
    expect(formatDecimal("123", "en")).toBe("123");
  });
  it("keeps exact values a float would lose", () => {
    expect(formatDecimal("123456789012345678901234.10", "en")).toBe("123,456,789,012,345,678,901,234.10");
  });
  it("handles negatives", () => {
    expect(formatDecimal("-1500", "en")).toBe("-1,500");
    expect(formatDecimal("-1500", "fa")).toBe(`${LRM}\u2212۱٬۵۰۰`);
    expect(formatDecimal("-0.00", "en")).toBe("0.00");
  });
  it("rounds half away from zero and pads", () => {
    expect(formatDecimal("1.005", "en", { decimals: 2 })).toBe("1.01");
    expect(formatDecimal("999.995", "en", { decimals: 2 })).toBe("1,000.00");
    expect(formatDecimal("-2.5", "en", { decimals: 0 })).toBe("-3");
    expect(formatDecimal("7", "en", { decimals: 2 })).toBe("7.00");
    expect(formatDecimal("12.3449", "en", { decimals: 2 })).toBe("12.34");
  });
  it("returns unparseable input unchanged", () => {
    expect(formatDecimal("abc", "en")).toBe("abc");
    expect(formatDecimal("", "en")).toBe("");
  });
});

describe("formatMoney", () => {
  it("shows the currency name, Rial by default", () => {
    expect(formatMoney("12345", "fa")).toBe("۱۲٬۳۴۵ ریال");
    expect(formatMoney("12345", "en")).toBe("12,345 IRR");
  });
  it("supports other currencies and decimals", () => {
    expect(formatMoney("1500000", "fa", { currency: "IRT" })).toBe("۱٬۵۰۰٬۰۰۰ تومان");
    expect(formatMoney("10.5", "en", { currency: "USD", decimals: 2 })).toBe("10.50 USD");
    expect(formatMoney("10", "en", { withCurrency: false })).toBe("10");
  });
  it("shows unknown codes as they are", () => {
    expect(currencyName("XYZ", "fa")).toBe("XYZ");
  });
});

describe("formatDate", () => {
  it("shows Jalali dates as YYYY/MM/DD", () => {
    expect(formatDate("2024-03-20", "jalali", "fa")).toBe("۱۴۰۳/۰۱/۰۱");
    expect(formatDate("2024-03-20", "jalali", "en")).toBe("1403/01/01");
    expect(formatDate("2025-03-20", "jalali", "en")).toBe("1403/12/30");
  });
  it("shows Gregorian dates as YYYY/MM/DD", () => {
    expect(formatDate("2024-03-20", "gregorian", "en")).toBe("2024/03/20");
    expect(formatDate("2024-03-20", "gregorian", "fa")).toBe("۲۰۲۴/۰۳/۲۰");
  });
  it("accepts date-times", () => {
    const local = new Date(2024, 2, 20, 12, 0, 0);
    expect(formatDate(local.toISOString(), "gregorian", "en")).toBe("2024/03/20");
    expect(formatDateTime(local.toISOString(), "gregorian", "en")).toBe("2024/03/20 12:00");
  });
  it("handles empty and bad input", () => {
    expect(formatDate(null, "jalali", "fa")).toBe("");
    expect(formatDate("not a date", "jalali", "fa")).toBe("not a date");
  });
});

describe("parseDateInput", () => {
  it("reads Jalali dates in any digits and separators", () => {
    expect(parseDateInput("1403/01/01", "jalali")).toEqual({ ok: true, iso: "2024-03-20" });
    expect(parseDateInput("۱۴۰۳/۱/۱", "jalali")).toEqual({ ok: true, iso: "2024-03-20" });
    expect(parseDateInput(" ۱۴۰۲-۱۲-۲۹ ", "jalali")).toEqual({ ok: true, iso: "2024-03-19" });
    expect(parseDateInput("14030101", "jalali")).toEqual({ ok: true, iso: "2024-03-20" });
  });
  it("rejects impossible Jalali dates", () => {
    expect(parseDateInput("1402/12/30", "jalali")).toEqual({ ok: false, error: "invalid" }); // 1402 is not leap
    expect(parseDateInput("1403/12/30", "jalali")).toEqual({ ok: true, iso: "2025-03-20" }); // 1403 is leap
    expect(parseDateInput("1403/13/01", "jalali")).toEqual({ ok: false, error: "invalid" });
    expect(parseDateInput("1403/07/31", "jalali")).toEqual({ ok: false, error: "invalid" });
  });
  it("reads Gregorian dates", () => {
    expect(parseDateInput("2024/2/29", "gregorian")).toEqual({ ok: true, iso: "2024-02-29" });
    expect(parseDateInput("2023-02-29", "gregorian")).toEqual({ ok: false, error: "invalid" });
    expect(parseDateInput("2024.12.31", "gregorian")).toEqual({ ok: true, iso: "2024-12-31" });
  });
  it("reports empty and malformed text", () => {
    expect(parseDateInput("  ", "jalali")).toEqual({ ok: false, error: "empty" });
    expect(parseDateInput("1403/01", "jalali")).toEqual({ ok: false, error: "format" });
    expect(parseDateInput("tomorrow", "gregorian")).toEqual({ ok: false, error: "format" });
  });
});

describe("formatMonth", () => {
  it("names the month in the calendar, with Persian digits in fa", () => {
    expect(formatMonth("2026-03-21", "jalali", "fa")).toBe("فروردین ۱۴۰۵");
    expect(formatMonth("2026-03-20", "jalali", "fa")).toBe("اسفند ۱۴۰۴");
    expect(formatMonth("2026-03-21", "jalali", "en")).toBe("Farvardin 1405");
    expect(formatMonth("2026-03-21", "gregorian", "en")).toBe("March 2026");
    expect(formatMonth("2026-03-21", "gregorian", "fa")).toBe("مارس ۲۰۲۶");
    expect(formatMonth(null, "jalali", "fa")).toBe("");
  });
});
