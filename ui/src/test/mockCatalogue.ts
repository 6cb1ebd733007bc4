// The in-memory stand-in for the product catalogue, opportunity lines, per-user
// preferences and financial records, for component tests only. It answers the
// generated bindings' command names and shapes and refuses input the way the backend
// does (field paths such as "lines.0.quantity").

import type {
  AppError,
  AppSettings,
  Category,
  CategoryInput,
  FieldError,
  FinancialDetail,
  FinancialInput,
  FinancialKind,
  LineInput,
  LineOut,
  OpportunityDetail,
  OpportunityInput,
  Page,
  Product,
  ProductInput,
  ProductQuery,
  RecordRow,
  UserPrefs,
  ValidationCode,
} from "../lib/types";
import { lineFigures, parseExact, prorate, sumFigures } from "../shared/lines/lineMath";

/** The parts of the shared fake backend this module reads and writes. */
export type CatalogueHost = {
  settings: AppSettings;
  opportunities: OpportunityDetail[];
  identities: { id: number; displayName: string }[];
  financialRecords: (RecordRow & { identityId: number; parentId: number | null })[];
};

export const catalogueMock = {
  categories: [] as Category[],
  products: [] as Product[],
  prefs: { keepCategoryOpen: false } as UserPrefs,
  records: [] as FinancialDetail[],
  /** When set, the next catalogue or financial command answers with this error. */
  nextError: null as AppError | null,
};

export function resetCatalogueMock() {
  catalogueMock.categories = [];
  catalogueMock.products = [];
  catalogueMock.prefs = { keepCategoryOpen: false };
  catalogueMock.records = [];
  catalogueMock.nextError = null;
}

export function makeCategory(id: number, name: string, parentId: number | null = null, partial: Partial<Category> = {}): Category {
  return { id, parentId, name, sortOrder: id, version: 1, productCount: 0, ...partial };
}

export function makeProduct(id: number, partial: Partial<Product> = {}): Product {
  return {
    id,
    code: `P${id}`,
    name: `Product ${id}`,
    categoryId: 1,
    kind: "product",
    unitId: null,
    unitFa: "عدد",
    unitEn: "pcs",
    salePrice: "1000000",
    taxable: true,
    saleable: true,
    active: true,
    version: 1,
    ...partial,
  };
}

export function makeFinancial(id: number, partial: Partial<FinancialDetail> = {}): FinancialDetail {
  return {
    id,
    kind: "invoice",
    number: `INV-${id}`,
    title: `Record ${id}`,
    identityId: 1,
    identityName: "Person 1",
    opportunityId: null,
    parentRecordId: null,
    issueDate: "2024-05-01",
    status: "draft",
    description: null,
    expiryDate: null,
    method: null,
    referenceNo: null,
    contractKind: null,
    startDate: null,
    endDate: null,
    amount: "0",
    totals: { sum: "0", discount: "0", tax: "0", total: "0" },
    lines: [],
    version: 1,
    createdAt: "2024-05-01T10:00:00Z",
    updatedAt: "2024-05-01T10:00:00Z",
    ...partial,
  };
}

const COMMANDS = new Set([
  "list_categories",
  "create_category",
  "update_category",
  "reorder_categories",
  "delete_category",
  "list_products",
  "get_product",
  "create_product",
  "update_product",
  "delete_product",
  "get_user_prefs",
  "set_keep_category_open",
  "get_financial_record",
  "create_financial_record",
  "update_financial_record",
  "approve_financial_record",
  "delete_financial_record",
  "issue_from_opportunity",
  "invoice_from_proforma",
]);

export function isCatalogueCommand(cmd: string): boolean {
  return COMMANDS.has(cmd);
}

type Refusals = { push: (field: string, code: ValidationCode, max?: string | null) => void; finish: () => void };

function refusals(): Refusals {
  const fields: FieldError[] = [];
  return {
    push: (field, code, max = null) => fields.push({ field, code, min: max === null ? null : "0", max }),
    finish: () => {
      if (fields.length > 0) throw { kind: "validation", fields } satisfies AppError;
    },
  };
}

const notFound = (entity: string, id: unknown): AppError => ({ kind: "not_found", entity, id: String(id) });
const conflict = (entity: string, id: unknown): AppError => ({ kind: "conflict", entity, id: String(id) });
const refuse = (field: string, code: ValidationCode): AppError => ({ kind: "validation", fields: [{ field, code, min: null, max: null }] });

const fold = (text: string) => text.replace(/[\u06F0-\u06F9]/g, (ch) => String(ch.charCodeAt(0) - 0x06f0)).toLowerCase();

function subtree(id: number): Set<number> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of catalogueMock.categories) {
      if (c.parentId !== null && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

function withCounts(c: Category): Category {
  return { ...c, productCount: catalogueMock.products.filter((p) => p.categoryId === c.id).length };
}

function listProducts(q: ProductQuery): Page<Product> {
  const term = q.search?.trim() ? fold(q.search.trim()) : null;
  const within = q.categoryId != null ? subtree(q.categoryId) : null;
  const matches = catalogueMock.products
    .filter((p) => (term === null || fold(p.name).includes(term) || fold(p.code).includes(term)) && (within === null || within.has(p.categoryId)) && (!q.forSale || (p.active && p.saleable)))
    .sort((a, b) => a.code.localeCompare(b.code));
  const start = (q.page - 1) * q.pageSize;
  return { items: matches.slice(start, start + q.pageSize), total: matches.length, page: q.page, pageSize: q.pageSize };
}

function usedProduct(host: CatalogueHost, id: number): boolean {
  return host.opportunities.some((o) => o.lines.some((l) => l.productId === id)) || catalogueMock.records.some((r) => r.lines.some((l) => l.productId === id));
}

/** Lines as the backend checks and computes them (tax only for documents, from the settings). */
function computeLines(host: CatalogueHost, input: readonly LineInput[], allowed: readonly number[], documents: boolean, v: Refusals): LineOut[] {
  const decimals = host.settings.currencyDecimals;
  const out: LineOut[] = [];
  input.forEach((l, i) => {
    const f = (name: string) => `lines.${i}.${name}`;
    const product = catalogueMock.products.find((p) => p.id === l.productId);
    if (!product) return v.push(f("productId"), "unknown_reference");
    if ((!product.active || !product.saleable) && !allowed.includes(product.id)) return v.push(f("productId"), "inactive_reference");
    const quantity = parseExact(l.quantity);
    if (!quantity || quantity.units < 0n) return v.push(f("quantity"), "invalid");
    if (quantity.units === 0n) return v.push(f("quantity"), "out_of_range");
    const unitPrice = l.unitPrice?.trim() ? l.unitPrice.trim() : product.salePrice;
    if (!parseExact(unitPrice)) return v.push(f("unitPrice"), "invalid");
    const discountValue = l.discountValue.trim() || "0";
    if (!parseExact(discountValue)) return v.push(f("discountValue"), "invalid");
    const taxPercent = documents && product.taxable ? host.settings.taxPercent : "0";
    const figures = lineFigures({ quantity: l.quantity, unitPrice, discountKind: l.discountKind, discountValue, taxPercent }, decimals);
    if (!figures) return v.push(f("quantity"), "invalid");
    const tooMuch = l.discountKind === "percent" ? Number(discountValue) > 100 : Number(figures.discount) > Number(figures.gross);
    if (tooMuch) return v.push(f("discountValue"), "out_of_range");
    out.push({
      id: 0,
      position: i + 1,
      productId: product.id,
      productCode: product.code,
      productName: product.name,
      unitFa: product.unitFa,
      unitEn: product.unitEn,
      quantity: l.quantity,
      unitPrice,
      discountKind: l.discountKind,
      discountValue,
      discountAmount: figures.discount,
      taxPercent,
      taxAmount: figures.tax,
      net: figures.net,
      total: figures.total,
      description: l.description?.trim() || null,
      sourceLineId: l.sourceLineId ?? null,
    });
  });
  return out;
}

let nextLineId = 1000;
const numbered = (lines: LineOut[]) => lines.map((l) => ({ ...l, id: nextLineId++ }));

function totalsOf(lines: readonly LineOut[], decimals: number) {
  return sumFigures(lines.map((l) => lineFigures(l, decimals)));
}

/** Field 15 and 8 on a saved opportunity: the lines, their totals and the automatic amount. */
export function applyOpportunityLines(host: CatalogueHost, input: OpportunityInput, saved: OpportunityDetail, old: OpportunityDetail | null): OpportunityDetail {
  const v = refusals();
  const lines = computeLines(host, input.lines, old?.lines.map((l) => l.productId) ?? [], false, v);
  v.finish();
  const totals = totalsOf(lines, host.settings.currencyDecimals);
  const manual = input.amountIsManual || input.lines.length === 0;
  const estimatedAmount = manual ? input.estimatedAmount : totals.total;
  return {
    ...saved,
    lines: numbered(lines),
    lineTotals: totals,
    estimatedAmount,
    amountIsManual: manual,
    expectedAmount: String(Math.round((Number(estimatedAmount) * saved.probability) / 100)),
  };
}

const hasLines = (kind: FinancialKind) => kind === "proforma" || kind === "invoice" || kind === "sales_return";
const PREFIX: Record<FinancialKind, string> = { proforma: "PF", invoice: "INV", sales_return: "RET", receipt: "RC", payment: "PM", contract: "CT" };

function nextNumber(kind: FinancialKind): string {
  return `${PREFIX[kind]}-${catalogueMock.records.filter((r) => r.kind === kind).length + 1}`;
}

function syncRow(host: CatalogueHost, d: FinancialDetail | null, id: number) {
  host.financialRecords = host.financialRecords.filter((r) => !(r.kind !== "opportunity" && r.id === id));
  if (d) {
    host.financialRecords.push({
      kind: d.kind,
      id: d.id,
      title: d.title,
      number: d.number,
      stageId: null,
      status: d.status,
      amount: d.amount,
      date: d.issueDate,
      createdAt: d.createdAt,
      identityId: d.identityId,
      parentId: d.opportunityId,
    });
  }
}

function plan(host: CatalogueHost, input: FinancialInput, old: FinancialDetail | null): Omit<FinancialDetail, "id" | "number" | "status" | "version" | "createdAt" | "updatedAt"> {
  const v = refusals();
  if (input.title.trim() === "") v.push("title", "required");
  const identity = host.identities.find((i) => i.id === input.identityId);
  if (!identity) v.push("identityId", "unknown_reference");
  if (input.opportunityId != null && !host.opportunities.some((o) => o.id === input.opportunityId && o.identityId === input.identityId)) v.push("opportunityId", "invalid");
  if (input.kind === "proforma" && input.expiryDate && input.expiryDate < input.issueDate) v.push("expiryDate", "out_of_range");
  if ((input.kind === "receipt" || input.kind === "payment") && !input.method) v.push("method", "required");
  if (input.kind === "contract" && !input.contractKind) v.push("contractKind", "required");
  if (input.kind === "contract" && input.startDate && input.endDate && input.endDate < input.startDate) v.push("endDate", "out_of_range");
  let lines: LineOut[] = [];
  let amount = "0";
  if (hasLines(input.kind)) {
    if (input.lines.length === 0) v.push("lines", "required");
    lines = computeLines(host, input.lines, old?.lines.map((l) => l.productId) ?? [], true, v);
    if (input.kind === "sales_return") {
      const invoice = catalogueMock.records.find((r) => r.id === input.parentRecordId && r.kind === "invoice" && r.status === "approved" && r.identityId === input.identityId);
      if (input.parentRecordId == null) v.push("parentRecordId", "required");
      else if (!invoice) v.push("parentRecordId", "invalid");
      else {
        lines = lines.map((line, i) => {
          const src = invoice.lines.find((s) => s.id === line.sourceLineId);
          if (!src) {
            v.push(`lines.${i}.sourceLineId`, "invalid");
            return line;
          }
          if (Number(line.quantity) > Number(src.quantity)) v.push(`lines.${i}.quantity`, "out_of_range", src.quantity);
          const discountValue = src.discountKind === "amount" ? prorate(src.discountValue, line.quantity, src.quantity) : src.discountValue;
          const f = lineFigures({ quantity: line.quantity, unitPrice: src.unitPrice, discountKind: src.discountKind, discountValue, taxPercent: src.taxPercent }, host.settings.currencyDecimals);
          return f ? { ...line, unitPrice: src.unitPrice, discountKind: src.discountKind, discountValue, taxPercent: src.taxPercent, discountAmount: f.discount, taxAmount: f.tax, net: f.net, total: f.total } : line;
        });
      }
    }
  } else {
    if (input.lines.length > 0) v.push("lines", "not_allowed");
    const raw = input.amount?.trim() ?? "";
    if (raw !== "" && !parseExact(raw)) v.push("amount", "invalid");
    else if (raw === "" || parseExact(raw)?.units === 0n) v.push("amount", "required");
    amount = raw;
  }
  v.finish();
  const totals = hasLines(input.kind) ? totalsOf(lines, host.settings.currencyDecimals) : { sum: "0", discount: "0", tax: "0", total: "0" };
  return {
    kind: input.kind,
    title: input.title.trim(),
    identityId: input.identityId,
    identityName: identity?.displayName ?? "?",
    opportunityId: input.opportunityId ?? null,
    parentRecordId: input.parentRecordId ?? null,
    issueDate: input.issueDate,
    description: input.description?.trim() || null,
    expiryDate: input.kind === "proforma" ? (input.expiryDate ?? null) : null,
    method: input.method ?? null,
    referenceNo: input.referenceNo?.trim() || null,
    contractKind: input.kind === "contract" ? (input.contractKind ?? null) : null,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    amount: hasLines(input.kind) ? totals.total : amount,
    totals: { ...totals, total: hasLines(input.kind) ? totals.total : amount },
    lines: numbered(lines),
  };
}

function insert(host: CatalogueHost, p: ReturnType<typeof plan>): FinancialDetail {
  const now = new Date().toISOString();
  const id = Math.max(100, ...catalogueMock.records.map((r) => r.id), ...host.financialRecords.map((r) => r.id)) + 1;
  const detail: FinancialDetail = { ...p, id, number: nextNumber(p.kind), status: "draft", version: 1, createdAt: now, updatedAt: now };
  catalogueMock.records.push(detail);
  syncRow(host, detail, id);
  return detail;
}

function findRecord(id: unknown): FinancialDetail {
  const found = catalogueMock.records.find((r) => r.id === id);
  if (!found) throw notFound("financial_record", id);
  return found;
}

function inputOf(d: FinancialDetail): FinancialInput {
  return {
    ...d,
    amount: d.amount,
    lines: d.lines.map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discountKind: l.discountKind,
      discountValue: l.discountValue,
      description: l.description,
      sourceLineId: l.sourceLineId,
    })),
  };
}

export function catalogueCommand(host: CatalogueHost, cmd: string, a: Record<string, unknown>): unknown {
  if (catalogueMock.nextError && cmd !== "get_user_prefs" && !cmd.startsWith("list_") && !cmd.startsWith("get_")) {
    const error = catalogueMock.nextError;
    catalogueMock.nextError = null;
    throw error;
  }
  const id = a.id as number;
  switch (cmd) {
    case "list_categories":
      return [...catalogueMock.categories].sort((x, y) => x.sortOrder - y.sortOrder || x.id - y.id).map(withCounts);
    case "create_category":
    case "update_category": {
      const input = a.input as CategoryInput;
      const old = cmd === "update_category" ? catalogueMock.categories.find((c) => c.id === id) : undefined;
      if (cmd === "update_category") {
        if (!old) throw notFound("product_category", id);
        if (old.version !== a.version) throw conflict("product_category", id);
      }
      const v = refusals();
      if (input.name.trim() === "") v.push("name", "required");
      if (input.parentId != null) {
        if (!catalogueMock.categories.some((c) => c.id === input.parentId)) v.push("parentId", "unknown_reference");
        else if (old && subtree(old.id).has(input.parentId)) v.push("parentId", "invalid");
      }
      v.finish();
      if (old) {
        Object.assign(old, { name: input.name.trim(), parentId: input.parentId ?? null, version: old.version + 1 });
        return withCounts(old);
      }
      const siblings = catalogueMock.categories.filter((c) => c.parentId === (input.parentId ?? null));
      const created = makeCategory(Math.max(0, ...catalogueMock.categories.map((c) => c.id)) + 1, input.name.trim(), input.parentId ?? null, {
        sortOrder: Math.max(0, ...siblings.map((c) => c.sortOrder)) + 1,
      });
      catalogueMock.categories.push(created);
      return withCounts(created);
    }
    case "reorder_categories": {
      const ids = a.ids as number[];
      const rows = ids.map((i) => catalogueMock.categories.find((c) => c.id === i));
      if (rows.some((r) => !r) || new Set(rows.map((r) => r?.parentId)).size > 1) throw refuse("ids", "invalid");
      rows.forEach((r, i) => Object.assign(r as Category, { sortOrder: i + 1, version: (r as Category).version + 1 }));
      return catalogueCommand(host, "list_categories", {});
    }
    case "delete_category": {
      if (!catalogueMock.categories.some((c) => c.id === id)) throw notFound("product_category", id);
      if (catalogueMock.categories.some((c) => c.parentId === id) || catalogueMock.products.some((p) => p.categoryId === id)) throw refuse("id", "not_allowed");
      catalogueMock.categories = catalogueMock.categories.filter((c) => c.id !== id);
      return null;
    }
    case "list_products":
      return listProducts(a.query as ProductQuery);
    case "get_product": {
      const product = catalogueMock.products.find((p) => p.id === id);
      if (!product) throw notFound("product", id);
      return product;
    }
    case "create_product":
    case "update_product": {
      const input = a.input as ProductInput;
      const old = cmd === "update_product" ? catalogueMock.products.find((p) => p.id === id) : undefined;
      if (cmd === "update_product") {
        if (!old) throw notFound("product", id);
        if (old.version !== a.version) throw conflict("product", id);
      }
      const v = refusals();
      if (input.code.trim() === "") v.push("code", "required");
      else if (catalogueMock.products.some((p) => p.code === input.code.trim() && p.id !== old?.id)) v.push("code", "duplicate");
      if (input.name.trim() === "") v.push("name", "required");
      if (!catalogueMock.categories.some((c) => c.id === input.categoryId)) v.push("categoryId", "unknown_reference");
      if (!parseExact(input.salePrice)) v.push("salePrice", "invalid");
      v.finish();
      const product = makeProduct(old?.id ?? Math.max(0, ...catalogueMock.products.map((p) => p.id)) + 1, {
        ...old,
        code: input.code.trim(),
        name: input.name.trim(),
        categoryId: input.categoryId,
        kind: input.kind,
        unitId: input.unitId ?? null,
        salePrice: input.salePrice,
        taxable: input.taxable,
        saleable: input.saleable,
        active: input.active,
        version: (old?.version ?? 0) + 1,
      });
      catalogueMock.products = old ? catalogueMock.products.map((p) => (p.id === id ? product : p)) : [...catalogueMock.products, product];
      return product;
    }
    case "delete_product": {
      if (!catalogueMock.products.some((p) => p.id === id)) throw notFound("product", id);
      if (usedProduct(host, id)) throw refuse("id", "not_allowed");
      catalogueMock.products = catalogueMock.products.filter((p) => p.id !== id);
      return null;
    }
    case "get_user_prefs":
      return { ...catalogueMock.prefs };
    case "set_keep_category_open":
      catalogueMock.prefs = { ...catalogueMock.prefs, keepCategoryOpen: a.on as boolean };
      return { ...catalogueMock.prefs };
    case "get_financial_record":
      return findRecord(id);
    case "create_financial_record":
      return insert(host, plan(host, a.input as FinancialInput, null));
    case "update_financial_record": {
      const old = findRecord(id);
      if (old.version !== a.version) throw conflict("financial_record", id);
      if (old.status !== "draft") throw refuse("status", "read_only");
      const input = a.input as FinancialInput;
      if (input.kind !== old.kind) throw refuse("kind", "read_only");
      const next: FinancialDetail = { ...old, ...plan(host, input, old), version: old.version + 1, updatedAt: new Date().toISOString() };
      catalogueMock.records = catalogueMock.records.map((r) => (r.id === id ? next : r));
      syncRow(host, next, id);
      return next;
    }
    case "approve_financial_record": {
      const old = findRecord(id);
      if (old.version !== a.version) throw conflict("financial_record", id);
      if (old.status !== "draft") throw refuse("status", "read_only");
      const next: FinancialDetail = { ...old, status: "approved", version: old.version + 1 };
      catalogueMock.records = catalogueMock.records.map((r) => (r.id === id ? next : r));
      syncRow(host, next, id);
      return next;
    }
    case "delete_financial_record": {
      const old = findRecord(id);
      if (old.version !== a.version) throw conflict("financial_record", id);
      if (old.status !== "draft") throw refuse("status", "read_only");
      if (catalogueMock.records.some((r) => r.parentRecordId === id)) throw refuse("id", "not_allowed");
      catalogueMock.records = catalogueMock.records.filter((r) => r.id !== id);
      syncRow(host, null, id);
      return null;
    }
    case "issue_from_opportunity": {
      const kind = a.kind as FinancialKind;
      if (kind !== "proforma" && kind !== "invoice") throw refuse("kind", "invalid");
      const o = host.opportunities.find((x) => x.id === a.opportunityId);
      if (!o) throw notFound("opportunity", a.opportunityId);
      if (o.lines.length === 0) throw refuse("lines", "required");
      const today = new Date().toISOString().slice(0, 10);
      const input: FinancialInput = {
        kind,
        identityId: o.identityId,
        opportunityId: o.id,
        parentRecordId: null,
        title: o.title,
        issueDate: today,
        lines: o.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, discountKind: l.discountKind, discountValue: l.discountValue, description: l.description, sourceLineId: null })),
      };
      return insert(host, plan(host, input, { ...makeFinancial(0), lines: o.lines }));
    }
    case "invoice_from_proforma": {
      const pf = findRecord(a.proformaId);
      if (pf.kind !== "proforma") throw refuse("kind", "invalid");
      const input = { ...inputOf(pf), kind: "invoice" as const, parentRecordId: pf.id, expiryDate: null, issueDate: new Date().toISOString().slice(0, 10) };
      return insert(host, plan(host, input, pf));
    }
  }
  throw new Error(`unknown command ${cmd}`);
}
