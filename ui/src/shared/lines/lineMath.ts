// Line arithmetic of product lines, exactly as the backend does it (domain/lines.rs):
//
//   gross    = quantity × unit price, rounded to the currency's decimals
//   discount = percent: gross × value / 100, rounded; amount: the value, rounded
//   net      = gross − discount
//   tax      = net × tax percent / 100, rounded
//   total    = net + tax
//
// Rounding is half away from zero. Totals are sums of the rounded line figures, so a
// document's total always equals the sum of its lines. Everything is done on BigInt
// scaled integers; a value never passes through a float.

import type { DiscountKind } from "../../lib/types";
import { normalizeDigits } from "../../lib/format";

/** value = units / 10^scale */
type Dec = { units: bigint; scale: number };

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);

/**
 * Reads a decimal typed or sent as text: ASCII, Persian or Arabic digits, "." or
 * "٫" as the decimal mark, grouping separators ignored. Null when it is not a number.
 */
export function parseExact(text: string | null | undefined): Dec | null {
  if (text === null || text === undefined) return null;
  const cleaned = normalizeDigits(text)
    .trim()
    .replace(/[,\u066C\s]/g, "")
    .replace(/\u066B/g, ".");
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return null;
  const int = m[2] ?? "";
  const frac = m[3] ?? "";
  if (int === "" && frac === "") return null;
  const units = BigInt((int || "0") + frac);
  return { units: m[1] === "-" ? -units : units, scale: frac.length };
}

function rescale(d: Dec, scale: number): bigint {
  return d.units * pow10(scale - d.scale);
}

function add(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

function sub(a: Dec, b: Dec): Dec {
  return add(a, { units: -b.units, scale: b.scale });
}

function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** a / 100 (exact: only the scale moves). */
function percentOf(a: Dec): Dec {
  return { units: a.units, scale: a.scale + 2 };
}

/** Rounds half away from zero to `decimals` fraction digits. */
export function roundExact(d: Dec, decimals: number): Dec {
  if (d.scale <= decimals) return { units: rescale(d, decimals), scale: decimals };
  const divisor = pow10(d.scale - decimals);
  const negative = d.units < 0n;
  const abs = negative ? -d.units : d.units;
  let q = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) q += 1n;
  return { units: negative ? -q : q, scale: decimals };
}

/** A plain decimal string ("2425000", "12.50", "-3"), without trailing fraction zeros. */
export function exactToString(d: Dec): string {
  const negative = d.units < 0n;
  let digits = (negative ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, "0");
    const int = digits.slice(0, digits.length - d.scale);
    const frac = digits.slice(digits.length - d.scale).replace(/0+$/, "");
    digits = frac ? `${int}.${frac}` : int;
  }
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

const ZERO: Dec = { units: 0n, scale: 0 };
const HUNDRED: Dec = { units: 100n, scale: 0 };

export type LineFigures = {
  /** quantity × unit price */
  gross: string;
  discount: string;
  /** gross − discount */
  net: string;
  tax: string;
  /** net + tax */
  total: string;
};

export type LineArithmeticInput = {
  quantity: string;
  unitPrice: string;
  discountKind: DiscountKind;
  discountValue: string;
  /** Percent; null or "" for untaxed lines (opportunity lines never carry tax). */
  taxPercent?: string | null;
};

/** The figures of one line, or null while the quantity or the price is not a number. */
export function lineFigures(line: LineArithmeticInput, decimals: number): LineFigures | null {
  const quantity = parseExact(line.quantity);
  const price = parseExact(line.unitPrice);
  if (!quantity || !price) return null;
  const discountValue = line.discountValue.trim() === "" ? ZERO : parseExact(line.discountValue);
  if (!discountValue) return null;
  const taxPercent = line.taxPercent ? (parseExact(line.taxPercent) ?? ZERO) : ZERO;
  const gross = roundExact(mul(quantity, price), decimals);
  const discount = line.discountKind === "percent" ? roundExact(percentOf(mul(gross, discountValue)), decimals) : roundExact(discountValue, decimals);
  const net = sub(gross, discount);
  const tax = roundExact(percentOf(mul(net, taxPercent)), decimals);
  const total = add(net, tax);
  return {
    gross: exactToString(gross),
    discount: exactToString(discount),
    net: exactToString(net),
    tax: exactToString(tax),
    total: exactToString(total),
  };
}

/** Whether a discount is more than its line allows (over 100 %, or more than the gross). */
export function discountTooLarge(line: LineArithmeticInput, decimals: number): boolean {
  const value = parseExact(line.discountValue);
  if (!value) return false;
  if (line.discountKind === "percent") return sub(value, HUNDRED).units > 0n;
  const figures = lineFigures(line, decimals);
  if (!figures) return false;
  const gross = parseExact(figures.gross) as Dec;
  return sub(roundExact(value, decimals), gross).units > 0n;
}

export type Totals = { sum: string; discount: string; tax: string; total: string };

/** Sum, total discount, total tax and final total over the lines' rounded figures. */
export function sumFigures(lines: readonly (LineFigures | null)[]): Totals {
  let sum = ZERO;
  let discount = ZERO;
  let tax = ZERO;
  let total = ZERO;
  for (const l of lines) {
    if (!l) continue;
    sum = add(sum, parseExact(l.gross) as Dec);
    discount = add(discount, parseExact(l.discount) as Dec);
    tax = add(tax, parseExact(l.tax) as Dec);
    total = add(total, parseExact(l.total) as Dec);
  }
  return { sum: exactToString(sum), discount: exactToString(discount), tax: exactToString(tax), total: exactToString(total) };
}

/** Whether two decimal strings are the same number ("1.50" = "1.5"). */
export function sameNumber(a: string, b: string): boolean {
  const x = parseExact(a);
  const y = parseExact(b);
  if (!x || !y) return a.trim() === b.trim();
  return sub(x, y).units === 0n;
}

/**
 * value × part / whole, kept to 10 fraction digits (a sales return's share of an
 * amount discount: the invoiced discount × returned quantity / invoiced quantity).
 */
export function prorate(value: string, part: string, whole: string): string {
  const v = parseExact(value);
  const p = parseExact(part);
  const w = parseExact(whole);
  if (!v || !p || !w || w.units === 0n) return value;
  const PRECISION = 10;
  // (v × p) / w with at least one guard digit, then rounded half away from zero.
  const numerator = mul(v, p);
  const quotientScale = Math.max(PRECISION + 1, numerator.scale);
  const scaled = rescale(numerator, quotientScale + w.scale);
  const quotient: Dec = { units: scaled / w.units, scale: quotientScale };
  return exactToString(roundExact(quotient, PRECISION));
}
