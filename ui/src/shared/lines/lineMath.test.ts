import { describe, expect, it } from "vitest";
import { discountTooLarge, exactToString, lineFigures, parseExact, prorate, roundExact, sameNumber, sumFigures } from "./lineMath";
import { draftFromLine, moveLine, toLineInput, totalsOf } from "./lineModel";
import type { LineOut } from "../../lib/types";

describe("line arithmetic (as the backend's domain/lines.rs)", () => {
  it("2.5 × 1,000,000 − 3% = 2,425,000", () => {
    const l = lineFigures({ quantity: "2.5", unitPrice: "1000000", discountKind: "percent", discountValue: "3" }, 0);
    expect(l).toEqual({ gross: "2500000", discount: "75000", net: "2425000", tax: "0", total: "2425000" });
  });

  it("adds tax on the net for document lines", () => {
    const l = lineFigures({ quantity: "2.5", unitPrice: "1000000", discountKind: "percent", discountValue: "3", taxPercent: "10" }, 0);
    expect(l).toMatchObject({ net: "2425000", tax: "242500", total: "2667500" });
  });

  it("rounds each figure half away from zero to the currency's decimals", () => {
    const l = lineFigures({ quantity: "3", unitPrice: "0.335", discountKind: "amount", discountValue: "0.10", taxPercent: "9" }, 2);
    expect(l).toMatchObject({ gross: "1.01", net: "0.91", tax: "0.08", total: "0.99" });
    expect(exactToString(roundExact(parseExact("-2.5") as never, 0))).toBe("-3");
    expect(exactToString(roundExact(parseExact("1234567.5") as never, 0))).toBe("1234568");
  });

  it("reads Persian digits, the Persian decimal mark and grouping separators", () => {
    expect(lineFigures({ quantity: "۲٫۵", unitPrice: "۱٬۰۰۰٬۰۰۰", discountKind: "percent", discountValue: "۳" }, 0)?.total).toBe("2425000");
    expect(parseExact("abc")).toBeNull();
    expect(lineFigures({ quantity: "", unitPrice: "1", discountKind: "percent", discountValue: "0" }, 0)).toBeNull();
  });

  it("never drifts: totals are sums of rounded lines", () => {
    const one = lineFigures({ quantity: "1.5", unitPrice: "33333.33", discountKind: "percent", discountValue: "3", taxPercent: "9" }, 2);
    expect(one).toMatchObject({ gross: "50000", discount: "1500", net: "48500", tax: "4365", total: "52865" });
    const totals = sumFigures(Array.from({ length: 1000 }, () => one));
    expect(totals).toEqual({ sum: "50000000", discount: "1500000", tax: "4365000", total: "52865000" });
    const odd = lineFigures({ quantity: "1", unitPrice: "0.015", discountKind: "percent", discountValue: "0" }, 2);
    expect(sumFigures([odd, odd, odd]).total).toBe("0.06");
    expect(sameNumber("1.50", "1.5")).toBe(true);
  });

  it("flags discounts over 100% or over the gross", () => {
    expect(discountTooLarge({ quantity: "1", unitPrice: "100", discountKind: "percent", discountValue: "100.5" }, 0)).toBe(true);
    expect(discountTooLarge({ quantity: "1", unitPrice: "100", discountKind: "amount", discountValue: "101" }, 0)).toBe(true);
    expect(discountTooLarge({ quantity: "1", unitPrice: "100", discountKind: "amount", discountValue: "100" }, 0)).toBe(false);
  });

  it("prorates an amount discount for a partial return", () => {
    expect(prorate("90000", "1", "3")).toBe("30000");
    expect(prorate("100", "1", "3")).toBe("33.3333333333");
  });
});

describe("line drafts", () => {
  const out: LineOut = {
    id: 7, position: 1, productId: 3, productCode: "LP-1", productName: "Laptop", unitFa: "عدد", unitEn: "pcs", quantity: "2", unitPrice: "500",
    discountKind: "amount", discountValue: "100", discountAmount: "100", taxPercent: "9", taxAmount: "81", net: "900", total: "981", description: null, sourceLineId: null,
  };

  it("sends what the backend expects and keeps the order", () => {
    const a = { ...draftFromLine(out), description: "  gift wrap " };
    const b = draftFromLine({ ...out, productId: 4, productName: "Mouse" });
    expect(toLineInput(a)).toEqual({ productId: 3, quantity: "2", unitPrice: "500", discountKind: "amount", discountValue: "100", description: "gift wrap", sourceLineId: null });
    expect(moveLine([a, b], 1, -1).map((l) => l.productId)).toEqual([4, 3]);
    expect(moveLine([a, b], 0, -1).map((l) => l.productId)).toEqual([3, 4]);
  });

  it("computes tax only for document lines that carry a tax percent", () => {
    expect(totalsOf([draftFromLine(out)], 0)).toEqual({ sum: "1000", discount: "100", tax: "0", total: "900" });
    expect(totalsOf([draftFromLine(out, { keepTax: true })], 0)).toEqual({ sum: "1000", discount: "100", tax: "81", total: "981" });
  });
});
