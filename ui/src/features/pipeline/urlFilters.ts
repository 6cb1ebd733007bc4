// The opportunity list's filters and sort as they appear in its address, e.g.
// #/opportunities?stage=3&stage=4&user=none&q=network&closeTo=2025-03-20&overdue=1&sort=estimated.desc,title.asc
//
// Other screens link to the list with this contract (the reports' funnel opens
// `?stage=ID`), so the keys and their meaning must not change:
//
//   stage, user, type, source, campaign, reason   ids, may repeat (user=none: unassigned)
//   status                                        open | won | lost
//   competitor, product, category, pipeline       one id each
//   q                                             text (title, identity name, number, phone)
//   createdFrom, createdTo, closeFrom, closeTo,
//   wonFrom, wonTo, lostFrom, lostTo              ISO dates (YYYY-MM-DD), inclusive
//   amountMin, amountMax                          decimal text (the estimated amount)
//   overdue=1                                     open and past the close date
//   nostep=1                                      open, with no planned activity ("no next step")
//   cf.ID, cf.ID.min, cf.ID.max                   a custom field's value or bounds
//   sort                                          the list's order: up to 4 keys, the first
//                                                 deciding first, separated by commas, each
//                                                 COLUMN.asc or COLUMN.desc (a bare COLUMN is
//                                                 ascending), e.g. sort=estimated.desc,title.asc.
//                                                 COLUMN is one of ALL_COLUMNS (columns.ts):
//                                                 title, identity, stage, assigned_to, type,
//                                                 source, campaign, estimated, probability,
//                                                 expected, realized, close_date, created,
//                                                 days_open. Without it: newest first.
//
// Values that cannot be read (a stage "abc", a date "2025-13-40", a sort column
// "price" or direction "up") are left out rather than guessed; amounts are kept as
// typed so the backend can say what is wrong with them next to the field. The
// board reads the same address and ignores the sort, so switching views keeps it.

import type { CustomFilter, OpportunityFilter, SortKey, StageKind } from "../../lib/types";
import { normalizeDigits } from "../../lib/format";
import { ALL_COLUMNS } from "./columns";

export type DateKey = "createdFrom" | "createdTo" | "closeFrom" | "closeTo" | "wonFrom" | "wonTo" | "lostFrom" | "lostTo";
export type MultiKey = "stageIds" | "userIds" | "typeIds" | "sourceIds" | "campaignIds" | "reasonIds";
export type SingleKey = "competitorId" | "productId" | "categoryId" | "pipelineId";

export type ListFilters = {
  text: string;
  stageIds: number[];
  status: StageKind | null;
  userIds: number[];
  /** `user=none`: the opportunities nobody is assigned to. */
  unassigned: boolean;
  typeIds: number[];
  sourceIds: number[];
  campaignIds: number[];
  reasonIds: number[];
  competitorId: number | null;
  productId: number | null;
  categoryId: number | null;
  /** One pipeline's opportunities (the board always shows one pipeline). */
  pipelineId: number | null;
  amountMin: string | null;
  amountMax: string | null;
  overdue: boolean;
  /** `nostep=1`: open opportunities with no planned activity. */
  noNextStep: boolean;
  custom: CustomFilter[];
} & Record<DateKey, string | null>;

export const EMPTY_FILTERS: ListFilters = {
  text: "",
  stageIds: [],
  status: null,
  userIds: [],
  unassigned: false,
  typeIds: [],
  sourceIds: [],
  campaignIds: [],
  reasonIds: [],
  competitorId: null,
  productId: null,
  categoryId: null,
  pipelineId: null,
  createdFrom: null,
  createdTo: null,
  closeFrom: null,
  closeTo: null,
  wonFrom: null,
  wonTo: null,
  lostFrom: null,
  lostTo: null,
  amountMin: null,
  amountMax: null,
  overdue: false,
  noNextStep: false,
  custom: [],
};

/** The query key of each list filter, in the order they are written. */
export const MULTI_PARAMS: readonly [MultiKey, string][] = [
  ["stageIds", "stage"],
  ["userIds", "user"],
  ["typeIds", "type"],
  ["sourceIds", "source"],
  ["campaignIds", "campaign"],
  ["reasonIds", "reason"],
];

export const SINGLE_PARAMS: readonly [SingleKey, string][] = [
  ["competitorId", "competitor"],
  ["productId", "product"],
  ["categoryId", "category"],
  ["pipelineId", "pipeline"],
];

export const DATE_KEYS: readonly DateKey[] = ["createdFrom", "createdTo", "closeFrom", "closeTo", "wonFrom", "wonTo", "lostFrom", "lostTo"];

const STATUSES: readonly StageKind[] = ["open", "won", "lost"];

function positiveId(text: string): number | null {
  const plain = normalizeDigits(text.trim());
  if (!/^\d+$/.test(plain)) return null;
  const n = Number(plain);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A real calendar date written YYYY-MM-DD, or null. */
export function isoDate(text: string | null): string | null {
  if (text === null) return null;
  const plain = normalizeDigits(text.trim());
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(plain);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d ? plain : null;
}

function unique(ids: number[]): number[] {
  return [...new Set(ids)];
}

const optionalText = (text: string | null): string | null => {
  const trimmed = text === null ? "" : normalizeDigits(text.trim());
  return trimmed === "" ? null : trimmed;
};

/** Reads the query part of the address ("stage=3&q=net", with or without "?"). */
export function parseListQuery(query: string): ListFilters {
  const params = new URLSearchParams(query.replace(/^\?/, ""));
  const filters: ListFilters = { ...EMPTY_FILTERS, custom: [] };
  filters.text = (params.get("q") ?? "").trim();
  for (const [key, param] of MULTI_PARAMS) {
    const values = params.getAll(param);
    if (key === "userIds") filters.unassigned = values.includes("none");
    filters[key] = unique(values.map(positiveId).filter((n): n is number => n !== null));
  }
  const status = params.get("status");
  filters.status = STATUSES.find((s) => s === status) ?? null;
  for (const [key, param] of SINGLE_PARAMS) {
    const value = params.get(param);
    filters[key] = value === null ? null : positiveId(value);
  }
  for (const key of DATE_KEYS) filters[key] = isoDate(params.get(key));
  filters.amountMin = optionalText(params.get("amountMin"));
  filters.amountMax = optionalText(params.get("amountMax"));
  filters.overdue = params.get("overdue") === "1";
  filters.noNextStep = params.get("nostep") === "1";
  const custom = new Map<number, CustomFilter>();
  for (const [name, value] of params) {
    const m = /^cf\.(\d+)(?:\.(min|max))?$/.exec(name);
    const fieldId = m ? positiveId(m[1] ?? "") : null;
    if (!m || fieldId === null || value.trim() === "") continue;
    const entry = custom.get(fieldId) ?? { fieldId, value: null, min: null, max: null };
    entry[m[2] === "min" ? "min" : m[2] === "max" ? "max" : "value"] = value.trim();
    custom.set(fieldId, entry);
  }
  filters.custom = [...custom.values()];
  return filters;
}

/** How many sort keys the address (and the backend) keeps. */
export const SORT_MAX = 4;

/** Reads the list's sort from the query part of the address; unreadable keys are left out. */
export function parseListSort(query: string): SortKey[] {
  const params = new URLSearchParams(query.replace(/^\?/, ""));
  const sort: SortKey[] = [];
  for (const value of params.getAll("sort")) {
    for (const part of value.split(",")) {
      const m = /^([a-z_]+)(?:\.(asc|desc))?$/.exec(part.trim().toLowerCase());
      const column = m ? ALL_COLUMNS.find((c) => c === m[1]) : undefined;
      if (!m || column === undefined || sort.some((k) => k.column === column)) continue;
      if (sort.length < SORT_MAX) sort.push({ column, desc: m[2] === "desc" });
    }
  }
  return sort;
}

/** The `sort` value of the address, e.g. "estimated.desc,title.asc"; "" when unsorted. */
export function serializeListSort(sort: readonly SortKey[]): string {
  return sort
    .slice(0, SORT_MAX)
    .map((k) => `${k.column}.${k.desc ? "desc" : "asc"}`)
    .join(",");
}

/**
 * Writes filters (and the sort, last) back as the query part of the address
 * (without "?"); empty filters and no sort give "".
 */
export function serializeListQuery(filters: ListFilters, sort: readonly SortKey[] = []): string {
  const params = new URLSearchParams();
  for (const [key, param] of MULTI_PARAMS) {
    for (const id of filters[key]) params.append(param, String(id));
    if (key === "userIds" && filters.unassigned) params.append(param, "none");
  }
  if (filters.status) params.set("status", filters.status);
  for (const [key, param] of SINGLE_PARAMS) {
    const id = filters[key];
    if (id !== null) params.set(param, String(id));
  }
  const text = filters.text.trim();
  if (text !== "") params.set("q", text);
  for (const key of DATE_KEYS) {
    const date = filters[key];
    if (date) params.set(key, date);
  }
  if (filters.amountMin) params.set("amountMin", filters.amountMin);
  if (filters.amountMax) params.set("amountMax", filters.amountMax);
  if (filters.overdue) params.set("overdue", "1");
  if (filters.noNextStep) params.set("nostep", "1");
  for (const c of filters.custom) {
    if (c.value) params.set(`cf.${c.fieldId}`, c.value);
    if (c.min) params.set(`cf.${c.fieldId}.min`, c.min);
    if (c.max) params.set(`cf.${c.fieldId}.max`, c.max);
  }
  // Column names and directions need no escaping: the commas stay readable.
  const order = serializeListSort(sort);
  const query = params.toString();
  if (order === "") return query;
  return `${query}${query === "" ? "" : "&"}sort=${order}`;
}

/** What the backend is asked for. */
export function toOpportunityFilter(filters: ListFilters): OpportunityFilter {
  const text = filters.text.trim();
  return {
    text: text === "" ? null : text,
    stageIds: filters.stageIds,
    status: filters.status,
    assignedUserIds: filters.userIds,
    unassigned: filters.unassigned,
    typeIds: filters.typeIds,
    sourceIds: filters.sourceIds,
    campaignIds: filters.campaignIds,
    reasonIds: filters.reasonIds,
    productId: filters.productId,
    categoryId: filters.categoryId,
    competitorId: filters.competitorId,
    pipelineId: filters.pipelineId,
    custom: filters.custom.filter((c) => c.value || c.min || c.max),
    amountMin: filters.amountMin,
    amountMax: filters.amountMax,
    createdFrom: filters.createdFrom,
    createdTo: filters.createdTo,
    closeFrom: filters.closeFrom,
    closeTo: filters.closeTo,
    wonFrom: filters.wonFrom,
    wonTo: filters.wonTo,
    lostFrom: filters.lostFrom,
    lostTo: filters.lostTo,
    overdue: filters.overdue,
    noNextStep: filters.noNextStep,
  };
}

/** How many filters are set (for the "Filters (3)" button). */
export function countActive(filters: ListFilters): number {
  let n = 0;
  if (filters.text.trim() !== "") n += 1;
  for (const [key] of MULTI_PARAMS) if (filters[key].length > 0) n += 1;
  if (filters.unassigned && filters.userIds.length === 0) n += 1;
  if (filters.status) n += 1;
  for (const [key] of SINGLE_PARAMS) if (filters[key] !== null) n += 1;
  for (const key of DATE_KEYS) if (filters[key]) n += 1;
  if (filters.amountMin) n += 1;
  if (filters.amountMax) n += 1;
  if (filters.overdue) n += 1;
  if (filters.noNextStep) n += 1;
  n += filters.custom.filter((c) => c.value || c.min || c.max).length;
  return n;
}
