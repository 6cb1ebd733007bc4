// Locale-aware formatting shared by every screen.
//
// Display goes through Intl (Persian digits and the Persian calendar come from the
// platform's ICU data); converting typed Jalali dates back to ISO uses jalaali-js.
// Money arrives from the backend as decimal strings and is never passed through a
// float: grouping and rounding are done on the digits themselves.

import { isValidJalaaliDate, toGregorian } from "jalaali-js";
import { currentTimeZone } from "./clock";
import type { Calendar, Language } from "./types";

export type Lang = Language;

const LOCALE: Record<Lang, string> = { fa: "fa-IR", en: "en-US" };

export function localeOf(lang: Lang): string {
  return LOCALE[lang];
}

// ---------------------------------------------------------------- digits

const PERSIAN_ZERO = 0x06f0;
const ARABIC_ZERO = 0x0660;

/** Turns Persian (۰-۹) and Arabic-Indic (٠-٩) digits into ASCII digits; other text is kept. */
export function normalizeDigits(text: string): string {
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return String(code >= PERSIAN_ZERO ? code - PERSIAN_ZERO : code - ARABIC_ZERO);
  });
}

/** Writes ASCII digits in the language's own digits (Persian digits in fa). */
export function toLocalDigits(text: string, lang: Lang): string {
  if (lang !== "fa") return text;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(PERSIAN_ZERO + Number(d)));
}

// ---------------------------------------------------------------- numbers

type NumberSymbols = { group: string; decimal: string; minus: string };
const symbolCache = new Map<Lang, NumberSymbols>();

/** The grouping, decimal and minus signs Intl uses for the language. */
export function numberSymbols(lang: Lang): NumberSymbols {
  const cached = symbolCache.get(lang);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(localeOf(lang)).formatToParts(-1234.5);
  let group = ",";
  let decimal = ".";
  let minus = "";
  for (const p of parts) {
    if (p.type === "group") group = p.value;
    else if (p.type === "decimal") decimal = p.value;
    else if (p.type === "minusSign" || (p.type === "literal" && minus === "" && parts.indexOf(p) === 0)) {
      // fa-IR puts a left-to-right mark before the minus sign; keep both.
      minus += p.value;
    }
  }
  if (!minus.includes("-") && !minus.includes("\u2212")) minus = "-";
  const symbols = { group, decimal, minus };
  symbolCache.set(lang, symbols);
  return symbols;
}

type ParsedDecimal = { negative: boolean; int: string; frac: string };

/** Parses a plain decimal string ("-1234.50", Persian digits allowed). Returns null when it is not one. */
export function parseDecimal(value: string): ParsedDecimal | null {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/.exec(normalizeDigits(value));
  if (!m) return null;
  const rawInt = m[2] ?? "";
  const frac = m[3] ?? "";
  if (rawInt === "" && frac === "") return null;
  const int = rawInt.replace(/^0+(?=\d)/, "") || "0";
  return { negative: m[1] === "-", int, frac };
}

function isZero(d: ParsedDecimal): boolean {
  return /^0*$/.test(d.int) && /^0*$/.test(d.frac);
}

/** Rounds half away from zero to `decimals` fraction digits, padding with zeros when shorter. */
function roundDecimal(d: ParsedDecimal, decimals: number): ParsedDecimal {
  if (d.frac.length <= decimals) return { ...d, frac: d.frac.padEnd(decimals, "0") };
  const keep = d.int + d.frac.slice(0, decimals);
  const roundUp = Number(d.frac[decimals]) >= 5;
  let digits = keep;
  if (roundUp) {
    const arr = keep.split("");
    let i = arr.length - 1;
    for (; i >= 0; i--) {
      if (arr[i] === "9") arr[i] = "0";
      else {
        arr[i] = String(Number(arr[i]) + 1);
        break;
      }
    }
    digits = (i < 0 ? "1" : "") + arr.join("");
  }
  const intLen = digits.length - decimals;
  return {
    negative: d.negative,
    int: digits.slice(0, intLen).replace(/^0+(?=\d)/, "") || "0",
    frac: digits.slice(intLen),
  };
}

/** Inserts the grouping separator every three digits of an ASCII integer string. */
export function groupDigits(int: string, separator: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

export type DecimalFormatOptions = {
  /** Exact number of fraction digits to show (rounded half away from zero / padded). */
  decimals?: number;
  /** Whether to insert thousands separators (default true). */
  grouping?: boolean;
};

/** Formats a decimal string for display without going through a float. Unparseable input is returned as it was. */
export function formatDecimal(value: string, lang: Lang, options: DecimalFormatOptions = {}): string {
  let parsed = parseDecimal(value);
  if (!parsed) return value;
  if (options.decimals !== undefined) parsed = roundDecimal(parsed, Math.max(0, options.decimals));
  const sym = numberSymbols(lang);
  const int = options.grouping === false ? parsed.int : groupDigits(parsed.int, sym.group);
  const body = parsed.frac ? `${int}${sym.decimal}${parsed.frac}` : int;
  const sign = parsed.negative && !isZero(parsed) ? sym.minus : "";
  return sign + toLocalDigits(body, lang);
}

/** Formats a number (or a decimal string) with the language's digits and grouping. */
export function formatNumber(value: number | string, lang: Lang, options?: Intl.NumberFormatOptions): string {
  if (typeof value === "string") return formatDecimal(value, lang);
  return new Intl.NumberFormat(localeOf(lang), options).format(value);
}

// ---------------------------------------------------------------- money

const CURRENCY_NAMES: Record<string, { fa: string; en: string }> = {
  IRR: { fa: "ریال", en: "IRR" },
  IRT: { fa: "تومان", en: "Toman" },
  TOMAN: { fa: "تومان", en: "Toman" },
  USD: { fa: "دلار", en: "USD" },
  EUR: { fa: "یورو", en: "EUR" },
  AED: { fa: "درهم", en: "AED" },
};

/** The currency's name as shown next to amounts ("ریال" in fa, "IRR" in en). Unknown codes show as the code. */
export function currencyName(code: string, lang: Lang): string {
  const names = CURRENCY_NAMES[code.toUpperCase()];
  return names ? names[lang] : code;
}

export type MoneyFormatOptions = {
  /** Currency code from the settings; Rial when not given. */
  currency?: string;
  /** Fraction digits to show; when not given the value's own fraction is kept. */
  decimals?: number;
  /** Set false to leave the currency name off. */
  withCurrency?: boolean;
};

/** "12345" -> "۱۲٬۳۴۵ ریال" (fa) / "12,345 IRR" (en). `value` is the backend's decimal string. */
export function formatMoney(value: string, lang: Lang, options: MoneyFormatOptions = {}): string {
  const amount = formatDecimal(value, lang, { decimals: options.decimals });
  if (options.withCurrency === false) return amount;
  return `${amount} ${currencyName(options.currency ?? "IRR", lang)}`;
}

// ---------------------------------------------------------------- dates

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDate(value: string): { date: Date; dateOnly: boolean } | null {
  const trimmed = value.trim();
  if (DATE_ONLY.test(trimmed)) {
    const date = new Date(`${trimmed}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : { date, dateOnly: true };
  }
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) ? null : { date, dateOnly: false };
}

function calendarLocale(calendar: Calendar, lang: Lang): string {
  const base = localeOf(lang);
  return calendar === "jalali" ? `${base}-u-ca-persian` : `${base}-u-ca-gregory`;
}

function dateParts(date: Date, calendar: Calendar, lang: Lang, timeZone: string | undefined) {
  const parts = new Intl.DateTimeFormat(calendarLocale(calendar, lang), {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZone,
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return { year: get("year"), month: get("month"), day: get("day") };
}

/**
 * Formats an ISO date ("2024-03-20") or date-time as YYYY/MM/DD in the chosen calendar,
 * with Persian digits in fa. Date-only values are taken as calendar dates (no time zone
 * shift); date-times are shown in the configured time zone (lib/clock.ts). Returns "" for empty input.
 */
export function formatDate(value: string | null | undefined, calendar: Calendar, lang: Lang): string {
  if (!value) return "";
  const parsed = toDate(value);
  if (!parsed) return value;
  const { year, month, day } = dateParts(parsed.date, calendar, lang, parsed.dateOnly ? "UTC" : currentTimeZone());
  // Pad the year to four digits in the language's digits.
  const zero = lang === "fa" ? "۰" : "0";
  return `${year.padStart(4, zero)}/${month}/${day}`;
}

/** Formats an ISO date-time as "YYYY/MM/DD HH:MM" in the chosen calendar. */
export function formatDateTime(value: string | null | undefined, calendar: Calendar, lang: Lang): string {
  if (!value) return "";
  const parsed = toDate(value);
  if (!parsed) return value;
  if (parsed.dateOnly) return formatDate(value, calendar, lang);
  const time = new Intl.DateTimeFormat(localeOf(lang), {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: currentTimeZone(),
  }).format(parsed.date);
  return `${formatDate(value, calendar, lang)} ${time}`;
}

export type DateParseError = "empty" | "format" | "invalid";
export type DateParseResult = { ok: true; iso: string } | { ok: false; error: DateParseError };

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * Reads a date typed by a user in the given calendar ("1403/01/15", "۱۴۰۳-۱-۱۵",
 * "2024/03/20", "20240320") and returns it as an ISO yyyy-mm-dd date.
 */
export function parseDateInput(text: string, calendar: Calendar): DateParseResult {
  const s = normalizeDigits(text).trim();
  if (s === "") return { ok: false, error: "empty" };
  const m = /^(\d{4})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return { ok: false, error: "format" };
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (calendar === "jalali") {
    if (y < 1 || !isValidJalaaliDate(y, mo, d)) return { ok: false, error: "invalid" };
    const g = toGregorian(y, mo, d);
    return { ok: true, iso: `${String(g.gy).padStart(4, "0")}-${pad2(g.gm)}-${pad2(g.gd)}` };
  }
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return { ok: false, error: "invalid" };
  const probe = new Date(Date.UTC(2000, mo - 1, d));
  probe.setUTCFullYear(y);
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    return { ok: false, error: "invalid" };
  }
  return { ok: true, iso: `${String(y).padStart(4, "0")}-${pad2(mo)}-${pad2(d)}` };
}

/**
 * The month an ISO date falls in, named in the calendar: "فروردین ۱۴۰۵" (fa, Jalali),
 * "Farvardin 1405" (en, Jalali), "March 2026" (en, Gregorian). Returns "" for empty input.
 */
export function formatMonth(value: string | null | undefined, calendar: Calendar, lang: Lang): string {
  if (!value) return "";
  const parsed = toDate(value);
  if (!parsed) return value;
  const parts = new Intl.DateTimeFormat(calendarLocale(calendar, lang), {
    year: "numeric",
    month: "long",
    timeZone: parsed.dateOnly ? "UTC" : undefined,
  }).formatToParts(parsed.date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return toLocalDigits(`${get("month")} ${normalizeDigits(get("year"))}`, lang);
}
