// Pure helpers of the import and export screens: reading a picked file as base64,
// the mapping table, what is still missing before a run, and the words for the
// backend's problem codes.

import type { TFunction } from "i18next";
import { toCsv } from "../../lib/csv";
import { fieldErrorsOf } from "../../lib/api";
import { normalizeDigits } from "../../lib/format";
import type { ColumnMapping, FileValue, ImportField, ImportIssue, ImportKind, ImportOptions, ImportProblem, ValueChoice } from "../../lib/types";

type TransferT = TFunction<"transfer">;

/** Every import field, in the order the mapping select offers them. */
export const IMPORT_FIELDS: readonly ImportField[] = [
  "title",
  "identity_name",
  "identity_code",
  "pipeline",
  "stage",
  "assigned_user",
  "type",
  "source",
  "campaign",
  "close_date",
  "created_on",
  "closed_on",
  "estimated_amount",
  "probability",
  "reason",
  "reason_note",
  "product_code",
  "product_name",
  "quantity",
  "unit_price",
];

/** What a file may hold, in the order offered. */
export const IMPORT_KINDS: readonly ImportKind[] = ["opportunities", "identities", "products", "users"];

/** The fields of each kind of file, in the order the mapping select offers them (the backend's `ImportKind::fields`). */
export const KIND_FIELDS: Record<ImportKind, readonly ImportField[]> = {
  opportunities: IMPORT_FIELDS,
  identities: ["identity_name", "identity_kind", "first_name", "last_name", "national_code", "economic_code", "phone", "mobile", "email", "city", "address", "postal_code", "source", "assigned_user", "notes"],
  products: ["product_code", "product_name", "category", "unit_price", "unit", "taxable", "active"],
  users: ["username", "display_name", "role", "team"],
};

export function isImportField(value: string): value is ImportField {
  return Object.values(KIND_FIELDS).some((fields) => fields.includes(value as ImportField));
}

// ------------------------------------------------------------ reading the file

export { base64OfDataUrl, bytesToBase64 } from "../../lib/files";
import { base64OfDataUrl } from "../../lib/files";

/** Reads a picked file as base64 with a FileReader. */
export function readFileAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? base64OfDataUrl(reader.result) : "");
    reader.onerror = () => reject(reader.error ?? new Error("the file could not be read"));
    reader.readAsDataURL(file);
  });
}

/** A file size in words: "820 bytes", "12.4 KB", "3.1 MB" (digits are localised by the caller). */
export function sizeParts(bytes: number): { unit: "bytes" | "kb" | "mb"; value: number } {
  if (bytes < 1024) return { unit: "bytes", value: bytes };
  if (bytes < 1024 * 1024) return { unit: "kb", value: Math.round((bytes / 1024) * 10) / 10 };
  return { unit: "mb", value: Math.round((bytes / (1024 * 1024)) * 10) / 10 };
}

// ------------------------------------------------------------ file-level problems

export type FileProblem =
  | { kind: "issue"; issue: ImportIssue; line: number | null }
  | { kind: "tooLarge" }
  | { kind: "notReadable" };

/**
 * The problem with the whole file in a thrown import error: the backend answers a
 * validation error on the field `file`, its `min` the issue and `max` the line.
 */
export function fileProblemOf(error: unknown): FileProblem | null {
  const field = fieldErrorsOf(error).find((f) => f.field === "file");
  if (!field) return null;
  if (field.code === "too_long") return { kind: "tooLarge" };
  const issue = field.min;
  if (issue === null) return { kind: "notReadable" };
  const line = field.max !== null && /^\d+$/.test(field.max) ? Number(field.max) : null;
  return { kind: "issue", issue: issue as ImportIssue, line: line !== null && line > 0 ? line : null };
}

/** The sentence for a file-level problem. `num` renders numbers in the UI's digits. */
export function describeFileProblem(problem: FileProblem, t: TransferT, num: (n: number) => string): string {
  if (problem.kind === "tooLarge") return t("fileErrors.tooLarge");
  if (problem.kind === "notReadable") return t("fileErrors.notReadable");
  const line = problem.line;
  switch (problem.issue) {
    case "encoding":
      return line !== null ? t("fileErrors.encoding", { line: num(line) }) : t("fileErrors.encodingNoLine");
    case "unreadable":
      return line !== null ? t("fileErrors.unreadable", { line: num(line) }) : t("fileErrors.unreadableNoLine");
    case "empty_file":
      return t("fileErrors.empty_file");
    case "too_many_columns":
      return t("fileErrors.too_many_columns", { max: num(500) });
    case "too_many_rows":
      // The backend reports the first line past the limit (limit + header + 1).
      return t("fileErrors.too_many_rows", { max: num(line !== null ? Math.max(line - 2, 1) : 1_000_000) });
    default:
      return t("fileErrors.other");
  }
}

// ------------------------------------------------------------ the mapping

/** The field each header feeds (by header index; null = ignored). */
export type MappingChoice = (ImportField | null)[];

/**
 * The choices for a file picked again (a corrected copy): a column the previous file
 * also had keeps the field chosen for it (or "ignored"); a new column takes the
 * suggestion. A duplicate field the carried choices would create goes to the carried
 * one, never both.
 */
export function carryChoices(previousHeaders: readonly string[], previous: MappingChoice, headers: readonly string[], suggested: MappingChoice): MappingChoice {
  const kept = headers.map((h) => {
    const at = previousHeaders.indexOf(h);
    return at >= 0 ? { field: previous[at] ?? null, carried: true } : { field: suggested[headers.indexOf(h)] ?? null, carried: false };
  });
  const carriedFields = new Set(kept.filter((k) => k.carried && k.field).map((k) => k.field));
  return kept.map((k) => (!k.carried && k.field && carriedFields.has(k.field) ? null : k.field));
}

/** The choices of a suggested mapping, one per header. */
export function choicesFromMapping(headers: string[], mapping: ColumnMapping[]): MappingChoice {
  const used = new Set<ImportField>();
  return headers.map((header) => {
    const found = mapping.find((m) => m.column === header && !used.has(m.field));
    if (!found) return null;
    used.add(found.field);
    return found.field;
  });
}

/** The mapping sent to the backend (ignored columns left out). */
export function mappingFromChoices(headers: string[], choices: MappingChoice): ColumnMapping[] {
  const out: ColumnMapping[] = [];
  headers.forEach((column, i) => {
    const field = choices[i];
    if (field) out.push({ field, column });
  });
  return out;
}

/** Fields chosen for more than one column. */
export function duplicateFields(choices: MappingChoice): ImportField[] {
  const seen = new Set<ImportField>();
  const dup = new Set<ImportField>();
  for (const f of choices) {
    if (!f) continue;
    if (seen.has(f)) dup.add(f);
    seen.add(f);
  }
  return [...dup];
}

/**
 * What the backend will refuse the mapping for: a title; the identity's name or
 * number; a type and a source, unless defaulted. (The identity is named by its name field.)
 */
export function missingRequired(choices: MappingChoice, options: Partial<Pick<ImportOptions, "defaultTypeId" | "defaultSourceId">>, kind: ImportKind = "opportunities"): ImportField[] {
  const has = (f: ImportField) => choices.includes(f);
  const missing: ImportField[] = [];
  if (kind === "identities") return has("identity_name") || has("last_name") ? [] : ["identity_name"];
  if (kind === "products") return (["product_code", "product_name"] as const).filter((f) => !has(f));
  if (kind === "users") return has("username") || has("display_name") ? [] : ["display_name"];
  if (!has("title")) missing.push("title");
  if (!has("identity_name") && !has("identity_code")) missing.push("identity_name");
  if (!has("type") && options.defaultTypeId == null) missing.push("type");
  if (!has("source") && options.defaultSourceId == null) missing.push("source");
  return missing;
}

// ------------------------------------------------------------ row problems

/** Why a row was refused, in plain words. */
export function describeIssue(problem: Pick<ImportProblem, "issue" | "column">, t: TransferT): string {
  if (problem.issue === "missing_column" && problem.column) return t("issues.missing_column_named", { column: problem.column });
  return t(`issues.${problem.issue}`);
}

/** The column a problem is about: its header, else the field's name, else "—". */
export function problemColumn(problem: Pick<ImportProblem, "column" | "field">, t: TransferT): string {
  if (problem.column) return problem.column;
  if (problem.field) return t(`fields.${problem.field}`);
  return t("report.wholeFile");
}

export { csvCell } from "../../lib/csv";

/** The problems as a CSV text (UTF-8 with a byte order mark, CRLF lines), in the UI's language. */
export function problemsCsv(problems: readonly ImportProblem[], t: TransferT): string {
  return toCsv(
    [t("report.line"), t("report.column"), t("report.value"), t("report.reason")],
    problems.map((p) => [p.line, problemColumn(p, t), p.value ?? "", describeIssue(p, t)]),
  );
}

/** Keeps the problems of one line (the text is a number), or whose column, value or reason contains the text. */
export function filterProblems(problems: readonly ImportProblem[], query: string, t: TransferT): ImportProblem[] {
  const q = normalizeDigits(query.trim()).toLowerCase();
  if (!q) return [...problems];
  // A number is a line number (in Persian or Latin digits).
  if (/^\d+$/.test(q)) return problems.filter((p) => p.line === Number(q));
  return problems.filter((p) => `${problemColumn(p, t)} ${p.value ?? ""} ${describeIssue(p, t)}`.toLowerCase().includes(q));
}

// ------------------------------------------------------------ jobs

const JOB_BASE = Math.floor(Math.random() * 2 ** 30);
let jobCounter = 0;

/** A fresh job number for one import or export run (the backend's cancel handle). */
export function nextJobId(): number {
  jobCounter += 1;
  return JOB_BASE + jobCounter;
}

// ------------------------------------------------------------ the values step

/** What a file value becomes: left (its rows refused), created, sent to the placeholder customer, or an existing value. */
export type ValueDecision = "" | "create" | "placeholder" | `id:${number}`;

/** The fields the values step lists (the backend's VALUE_FIELDS). */
export type ValueField = "pipeline" | "stage" | "assigned_user" | "type" | "source" | "campaign" | "reason" | "product_name" | "product_code" | "identity_name";

/** Fields whose values may be created from the file. */
export const CREATABLE_FIELDS: readonly ImportField[] = ["identity_name", "product_name", "product_code", "assigned_user", "type", "source", "reason"];

/** The key of one file value among the decisions. */
export const valueKey = (v: Pick<FileValue, "field" | "value">): string => `${v.field}\u0000${v.value}`;

export type CreateOptions = Pick<ImportOptions, "createMissingIdentities" | "createMissingProducts" | "createMissingUsers">;

/**
 * What a value becomes until the user says otherwise: what it names (exactly or
 * nearly); else created when the options say so for its kind; else left.
 */
export function defaultDecision(v: FileValue, options: CreateOptions): ValueDecision {
  if (v.matchId !== null) return `id:${v.matchId}`;
  if (v.field === "identity_name" && options.createMissingIdentities) return "create";
  if ((v.field === "product_name" || v.field === "product_code") && options.createMissingProducts) return "create";
  if (v.field === "assigned_user" && options.createMissingUsers) return "create";
  return "";
}

/** The choices sent with the import: one per listed value. */
export function valueChoices(values: readonly FileValue[], decisions: Readonly<Record<string, ValueDecision>>, options: CreateOptions, placeholderId: number | null): ValueChoice[] {
  return values.map((v) => {
    const d = decisions[valueKey(v)] ?? defaultDecision(v, options);
    const base = { field: v.field, value: v.value };
    if (d === "create") return { ...base, targetId: null, create: true };
    if (d === "placeholder") return { ...base, targetId: placeholderId, create: false };
    if (d.startsWith("id:")) return { ...base, targetId: Number(d.slice(3)), create: false };
    return { ...base, targetId: null, create: false };
  });
}

/** Decisions for the values of a new file from the choices remembered of the last import. */
export function decisionsFromChoices(values: readonly FileValue[], remembered: readonly ValueChoice[], placeholderId: number | null): Record<string, ValueDecision> {
  const out: Record<string, ValueDecision> = {};
  const fold = (s: string) => s.trim().toLowerCase();
  for (const v of values) {
    const c = remembered.find((r) => r.field === v.field && fold(r.value) === fold(v.value));
    if (!c) continue;
    if (c.create) out[valueKey(v)] = "create";
    else if (c.targetId !== null && v.field === "identity_name" && c.targetId === placeholderId) out[valueKey(v)] = "placeholder";
    else if (c.targetId !== null) out[valueKey(v)] = `id:${c.targetId}`;
    else out[valueKey(v)] = "";
  }
  return out;
}

/** The values grouped by field, in the order they came (the backend orders the fields). */
export function groupValues(values: readonly FileValue[]): { field: ImportField; values: FileValue[] }[] {
  const groups: { field: ImportField; values: FileValue[] }[] = [];
  for (const v of values) {
    const g = groups.find((x) => x.field === v.field);
    if (g) g.values.push(v);
    else groups.push({ field: v.field, values: [v] });
  }
  return groups;
}
