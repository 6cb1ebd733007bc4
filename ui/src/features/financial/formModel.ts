// The financial record form's state and rules (domain §7), apart from the screen:
// which fields each kind has, what is sent, and backend field paths onto controls.

import { todayIso } from "../../lib/clock";
import type { ContractKind, FieldError, FinancialDetail, FinancialInput, FinancialKind, PaymentMethod, RecordStatus } from "../../lib/types";
import { camelPath } from "../../shared/fieldErrors";
import { draftFromLine, toLineInput, type LineDraft } from "../../shared/lines/lineModel";

export const FINANCIAL_KINDS: readonly FinancialKind[] = ["proforma", "invoice", "sales_return", "receipt", "payment", "contract"];
export const PAYMENT_METHODS: readonly PaymentMethod[] = ["cash", "card", "bank_transfer", "cheque"];
export const CONTRACT_KINDS: readonly ContractKind[] = ["financial", "legal"];

/** Kinds a user starts from a Records tab (returns start from an approved invoice). */
export const NEW_RECORD_KINDS: readonly FinancialKind[] = ["receipt", "payment", "contract", "invoice", "proforma"];

/** Proformas, invoices and returns carry product lines; the others an amount. */
export function hasLines(kind: FinancialKind): boolean {
  return kind === "proforma" || kind === "invoice" || kind === "sales_return";
}

export function hasAmount(kind: FinancialKind): boolean {
  return kind === "receipt" || kind === "payment" || kind === "contract";
}

/**
 * Only drafts can be edited (or deleted, or approved): an approved record counts in
 * the balances and stays as it is; any later status is as final.
 */
export function isLocked(status: RecordStatus): boolean {
  return status !== "draft";
}

export type FinancialFormState = {
  kind: FinancialKind;
  identityId: number;
  opportunityId: number | null;
  /** Returns: the approved invoice; invoices: the proforma they came from. */
  parentRecordId: number | null;
  title: string;
  issueDate: string | null;
  description: string;
  expiryDate: string | null;
  method: PaymentMethod | "";
  referenceNo: string;
  contractKind: ContractKind | "";
  startDate: string | null;
  endDate: string | null;
  /** Receipts, payments and contracts (decimal string). */
  amount: string;
  lines: LineDraft[];
};


export type NewRecordStart = { kind: FinancialKind; identityId: number; opportunityId: number | null; parentRecordId: number | null };

/**
 * A new record's form. `title` is the suggested title (the kind and the customer,
 * "Receipt — Acme Trading"), so that a record can be saved at once.
 */
export function emptyFinancialForm(start: NewRecordStart, { title = "", today = todayIso() }: { title?: string; today?: string } = {}): FinancialFormState {
  return {
    kind: start.kind,
    identityId: start.identityId,
    opportunityId: start.opportunityId,
    parentRecordId: start.kind === "sales_return" ? start.parentRecordId : null,
    title,
    issueDate: today,
    description: "",
    expiryDate: null,
    method: "",
    referenceNo: "",
    contractKind: "",
    startDate: null,
    endDate: null,
    amount: "",
    lines: [],
  };
}

export function formFromFinancial(d: FinancialDetail): FinancialFormState {
  return {
    kind: d.kind,
    identityId: d.identityId,
    opportunityId: d.opportunityId,
    parentRecordId: d.parentRecordId,
    title: d.title,
    issueDate: d.issueDate,
    description: d.description ?? "",
    expiryDate: d.expiryDate,
    method: d.method ?? "",
    referenceNo: d.referenceNo ?? "",
    contractKind: d.contractKind ?? "",
    startDate: d.startDate,
    endDate: d.endDate,
    amount: hasAmount(d.kind) ? d.amount : "",
    lines: d.lines.map((l) => draftFromLine(l, { keepTax: true })),
  };
}

const text = (value: string): string | null => {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
};

/** The input the backend expects; fields another kind does not have are sent empty. */
export function toFinancialInput(s: FinancialFormState): FinancialInput {
  const payment = s.kind === "receipt" || s.kind === "payment";
  const contract = s.kind === "contract";
  return {
    kind: s.kind,
    identityId: s.identityId,
    opportunityId: s.opportunityId,
    parentRecordId: s.parentRecordId,
    title: s.title.trim(),
    issueDate: s.issueDate ?? "",
    description: text(s.description),
    expiryDate: s.kind === "proforma" ? s.expiryDate : null,
    method: payment && s.method !== "" ? s.method : null,
    referenceNo: payment ? text(s.referenceNo) : null,
    contractKind: contract && s.contractKind !== "" ? s.contractKind : null,
    startDate: contract ? s.startDate : null,
    endDate: contract ? s.endDate : null,
    amount: hasAmount(s.kind) ? s.amount.trim() : null,
    lines: hasLines(s.kind) ? s.lines.map(toLineInput) : [],
  };
}

/** Refusals the form makes before asking the backend (a date the backend cannot even read). */
export function localFinancialErrors(s: FinancialFormState): FieldError[] {
  return s.issueDate === null ? [{ field: "issueDate", code: "required", min: null, max: null }] : [];
}

export const FINANCIAL_FIELDS = [
  "title",
  "identityId",
  "opportunityId",
  "parentRecordId",
  "issueDate",
  "expiryDate",
  "amount",
  "method",
  "referenceNo",
  "contractKind",
  "startDate",
  "endDate",
  "description",
  "lines",
  "status",
  "id",
] as const;

const KNOWN = new Set<string>(FINANCIAL_FIELDS);

/** The control key of a backend path, or null when the form has no such control. */
export function financialFieldFor(field: string): string | null {
  const path = camelPath(field);
  if (KNOWN.has(path)) return path;
  if (/^lines\.\d+\.(productId|quantity|unitPrice|discountKind|discountValue|description|sourceLineId)$/.test(path)) return path;
  return null;
}
