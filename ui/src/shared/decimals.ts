// Exact sums of the backend's decimal strings (amounts never go through a float).

import { parseDecimal } from "../lib/format";

/** The sum of decimal strings ("1200.5" + "-200" → "1000.5"); unreadable values count as 0. */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map(parseDecimal).filter((d) => d !== null);
  const scale = Math.max(0, ...parsed.map((d) => d.frac.length));
  let total = 0n;
  for (const d of parsed) {
    const digits = BigInt(d.int + d.frac.padEnd(scale, "0"));
    total += d.negative ? -digits : digits;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}
