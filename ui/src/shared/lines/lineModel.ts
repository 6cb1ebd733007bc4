// Product lines as the forms edit them (opportunity field 15, proformas, invoices,
// sales returns), and their conversion to and from what the backend speaks.

import type { DiscountKind, LineInput, LineOut, Product } from "../../lib/types";
import { lineFigures, sumFigures, type LineFigures, type Totals } from "./lineMath";

export type LineDraft = {
  /** A stable key for React and for focusing a new row. */
  key: string;
  productId: number;
  productCode: string;
  productName: string;
  unitFa: string | null;
  unitEn: string | null;
  /** ASCII decimal text, as typed ("2.5"). */
  quantity: string;
  /** Decimal string ("" = the product's price, which the backend fills in). */
  unitPrice: string;
  discountKind: DiscountKind;
  /** Decimal text: a percent or an amount, by `discountKind`. */
  discountValue: string;
  description: string;
  sourceLineId: number | null;
  /** Tax percent of a document line (null on opportunity lines, which carry no tax). */
  taxPercent: string | null;
  /** Sales returns: the most that may still be returned of the invoice line. */
  maxQuantity: string | null;
};

let counter = 0;
const nextKey = () => `line-${++counter}`;

/** A new line for a picked product; documents pass the tax percent that applies to it. */
export function draftFromProduct(product: Product, taxPercent: string | null = null): LineDraft {
  return {
    key: nextKey(),
    productId: product.id,
    productCode: product.code,
    productName: product.name,
    unitFa: product.unitFa,
    unitEn: product.unitEn,
    quantity: "1",
    unitPrice: product.salePrice,
    discountKind: "percent",
    discountValue: "0",
    description: "",
    sourceLineId: null,
    taxPercent,
    maxQuantity: null,
  };
}

export function draftFromLine(line: LineOut, { keepTax = false }: { keepTax?: boolean } = {}): LineDraft {
  return {
    key: nextKey(),
    productId: line.productId,
    productCode: line.productCode,
    productName: line.productName,
    unitFa: line.unitFa,
    unitEn: line.unitEn,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discountKind: line.discountKind,
    discountValue: line.discountValue,
    description: line.description ?? "",
    sourceLineId: line.sourceLineId,
    taxPercent: keepTax ? line.taxPercent : null,
    maxQuantity: null,
  };
}

export function toLineInput(line: LineDraft): LineInput {
  const description = line.description.trim();
  return {
    productId: line.productId,
    quantity: line.quantity.trim(),
    unitPrice: line.unitPrice.trim() === "" ? null : line.unitPrice.trim(),
    discountKind: line.discountKind,
    discountValue: line.discountValue.trim() === "" ? "0" : line.discountValue.trim(),
    description: description === "" ? null : description,
    sourceLineId: line.sourceLineId,
  };
}

/** The live figures of a line (tax only when the line carries a known tax percent). */
export function figuresOf(line: LineDraft, decimals: number): LineFigures | null {
  return lineFigures(
    {
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      discountKind: line.discountKind,
      discountValue: line.discountValue,
      taxPercent: line.taxPercent,
    },
    decimals,
  );
}

export function totalsOf(lines: readonly LineDraft[], decimals: number): Totals {
  return sumFigures(lines.map((l) => figuresOf(l, decimals)));
}

export function moveLine(lines: readonly LineDraft[], index: number, by: -1 | 1): LineDraft[] {
  const target = index + by;
  if (target < 0 || target >= lines.length) return [...lines];
  const next = [...lines];
  const [moved] = next.splice(index, 1);
  next.splice(target, 0, moved as LineDraft);
  return next;
}
