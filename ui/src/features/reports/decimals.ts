// Decimal strings as chart sizes (amounts are summed exactly in shared/decimals.ts).

/** A decimal string as a number, for drawing only (chart sizes), never for display. */
export function toChartNumber(value: string): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}
