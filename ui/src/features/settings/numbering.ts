// Record numbering templates: `{seq}` / `{seq:N}` (the sequence, zero-padded to N
// digits), `{jy}` (the Jalali year) and `{gy}` (the Gregorian year).

import { toJalaali } from "jalaali-js";
import { todayIso } from "../../lib/clock";

/** The record kinds that have a numbering template, in the order Settings lists them. */
export const NUMBERING_KINDS = ["identity", "proforma", "invoice", "sales_return", "receipt", "payment", "contract"] as const;

export type NumberingKind = (typeof NUMBERING_KINDS)[number];

export type NumberingYears = { jy: number; gy: number };

/** This year in both calendars, by the configured clock. */
export function currentYears(now: Date = new Date()): NumberingYears {
  const [gy, gm, gd] = todayIso(now).split("-").map(Number);
  return { jy: toJalaali(gy, gm, gd).jy, gy };
}

const SEQ = /\{seq(?::(\d+))?\}/;
const TOKENS = /\{(seq(?::(\d+))?|jy|gy)\}/g;

/** True when the template has a sequence token (the backend refuses one without it). */
export function hasSequence(template: string): boolean {
  return SEQ.test(template);
}

/** The number a template gives for a sequence value and year; null when it has no sequence. */
export function renderNumber(template: string, seq: number, years: NumberingYears): string | null {
  if (!hasSequence(template)) return null;
  return template.replace(TOKENS, (_token, name: string, width: string | undefined) => {
    if (name === "jy") return String(years.jy);
    if (name === "gy") return String(years.gy);
    return String(seq).padStart(width ? Number(width) : 0, "0");
  });
}
