// The in-memory stand-in for the import and export commands, for component tests
// only. It reads small CSV files the way the backend does (UTF-8, a header row),
// refuses the same file-level problems (field "file", min = issue, max = line),
// checks a few row rules (stage, date, amount, identity) and reports progress over
// the channel. A test can hold a run half-way with `transferMock.gate`.

import type { Channel } from "@tauri-apps/api/core";
import type {
  AppError,
  ColumnMapping,
  ExportRequest,
  ExportResult,
  FileValue,
  ImportField,
  ImportValues,
  ValueTarget,
  ImportOptions,
  ImportProblem,
  ImportReport,
  StagedImport,
  TransferProgress,
} from "../lib/types";

/** The parts of the shared fake backend this module reads. */
export type TransferHost = {
  identities: { displayName: string; customerNumber: string }[];
  opportunities: unknown[];
};

type Staged = { fileName: string; headers: string[]; rows: string[][] };

export const transferMock = {
  staged: new Map<number, Staged>(),
  nextToken: 1,
  cancelled: new Set<number>(),
  /** When set, a run or export waits for it after its first progress report. */
  gate: null as Promise<void> | null,
  /** Imports that were written (their rows). */
  written: [] as string[][][],
  /** When set, the next export answers with this error. */
  nextExportError: null as AppError | null,
  exportPath: "/home/sara/Downloads/opportunities-2026-11-29.csv",
  /** Files saved from the window (report CSVs and PNGs, problem lists), decoded. */
  saved: [] as { fileName: string; bytes: Uint8Array }[],
  /** When set, the next save answers with this error. */
  nextSaveError: null as AppError | null,
  /** When set, the next save's or export's dialog is closed by the user (nothing written). */
  nextSaveDialogClosed: false,
  /** What the system's file dialog answers (null: the user closed it). */
  picked: null as StagedImport | null,
  /** The options of the last good import, offered with the next file. */
  remembered: null as ImportOptions | null,
};

export function resetTransferMock() {
  transferMock.staged = new Map();
  transferMock.nextToken = 1;
  transferMock.cancelled = new Set();
  transferMock.gate = null;
  transferMock.written = [];
  transferMock.nextExportError = null;
  transferMock.saved = [];
  transferMock.nextSaveError = null;
  transferMock.nextSaveDialogClosed = false;
  transferMock.picked = null;
  transferMock.remembered = null;
}

/** The text of a file saved from the window (UTF-8, a byte order mark kept). */
export function savedText(index = -1): string {
  const file = transferMock.saved.at(index);
  return file ? new TextDecoder("utf-8", { ignoreBOM: true }).decode(file.bytes) : "";
}

const COMMANDS = new Set(["import_preview", "import_pick", "import_values", "import_run", "import_discard", "cancel_transfer", "export_opportunities", "save_export"]);

export function isTransferCommand(cmd: string): boolean {
  return COMMANDS.has(cmd);
}

const fileError = (issue: string, line: number): AppError => ({
  kind: "validation",
  fields: [{ field: "file", code: "invalid", min: issue, max: String(line) }],
});

/** A minimal CSV reader: commas, double quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const NAMES: Record<string, ImportField> = {
  title: "title",
  customer: "identity_name",
  identity: "identity_name",
  "customer number": "identity_code",
  stage: "stage",
  type: "type",
  source: "source",
  "close date": "close_date",
  amount: "estimated_amount",
  probability: "probability",
  product: "product_name",
};

function suggest(headers: string[]): ColumnMapping[] {
  const out: ColumnMapping[] = [];
  for (const h of headers) {
    const field = NAMES[h.trim().toLowerCase()];
    if (field && !out.some((m) => m.field === field)) out.push({ field, column: h });
  }
  return out;
}

function preview(fileName: string, contentBase64: string): StagedImport {
  const bytes = Uint8Array.from(atob(contentBase64), (c) => c.charCodeAt(0));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // The line of the first byte that is not UTF-8.
    let line = 1;
    for (let i = 0; i < bytes.length; i += 1) {
      if (bytes[i] === 0x0a) line += 1;
      if (bytes[i] >= 0x80) break;
    }
    throw fileError("encoding", line);
  }
  const table = parseCsv(text.replace(/^\uFEFF/, "")).filter((r) => r.some((c) => c.trim() !== ""));
  const [headers, ...rows] = table;
  if (!headers) throw fileError("empty_file", 1);
  const token = transferMock.nextToken++;
  transferMock.staged.set(token, { fileName, headers, rows });
  return { token, fileName, size: bytes.length, preview: { headers, sample: rows.slice(0, 20), rowCount: rows.length, mapping: suggest(headers), dateFormat: "auto", options: transferMock.remembered } };
}

/** A file as the system's file dialog would hand it over (read by the app, staged). */
export function stagedFile(fileName: string, text: string): StagedImport {
  return preview(fileName, btoa(String.fromCharCode(...new TextEncoder().encode(text))));
}

/** The values step: the stage column's distinct values, matched by title. */
function values(a: Record<string, unknown>): ImportValues {
  const staged = transferMock.staged.get(a.token as number);
  if (!staged) throw { kind: "not_found", entity: "import", id: String(a.token) } satisfies AppError;
  const mapping = a.mapping as ColumnMapping[];
  const at = staged.headers.indexOf(mapping.find((m) => m.field === "stage")?.column ?? "\u0000");
  const out: FileValue[] = [];
  if (at >= 0) {
    for (const row of staged.rows) {
      const value = (row[at] ?? "").trim();
      if (!value) continue;
      const seen = out.find((v) => v.value.toLowerCase() === value.toLowerCase());
      if (seen) {
        seen.rows += 1;
        continue;
      }
      const index = STAGE_TITLES.indexOf(value.toLowerCase());
      out.push({ field: "stage", value, rows: 1, matchId: index >= 0 ? (index % 5) + 1 : null, matchName: index >= 0 ? value : null, near: false });
    }
  }
  const targets: ValueTarget[] = ["Establishing contact", "Needs analysis", "Negotiation", "Won", "Lost"].map((name, i) => ({ field: "stage", id: i + 1, nameFa: name, nameEn: name }));
  return { values: out, targets, rowsWithoutIdentity: 0, truncated: [] };
}

const STAGE_TITLES = ["establishing contact", "needs analysis", "negotiation", "won", "lost", "برقراری ارتباط", "نیازسنجی", "مذاکره"];

async function run(host: TransferHost, a: Record<string, unknown>): Promise<ImportReport> {
  const staged = transferMock.staged.get(a.token as number);
  if (!staged) throw { kind: "not_found", entity: "import", id: String(a.token) } satisfies AppError;
  const mapping = a.mapping as ColumnMapping[];
  const options = a.options as ImportOptions;
  const dryRun = a.dryRun as boolean;
  const job = a.job as number;
  const channel = a.onProgress as Channel<TransferProgress>;
  const report: ImportReport = { rows: staged.rows.length, goodRows: 0, problems: [], createdIdentities: 0, createdProducts: 0, createdUsers: 0, createdValues: 0, dryRun, written: false, cancelled: false,
    unmapped: (["stage", "assigned_user", "estimated_amount", "close_date"] as const).filter((f) => !mapping.some((m) => m.field === f)),
  };
  const col = new Map<ImportField, number>();
  for (const m of mapping) {
    const i = staged.headers.indexOf(m.column);
    if (i < 0) report.problems.push({ line: 1, column: m.column, field: m.field, issue: "missing_column", value: null });
    else col.set(m.field, i);
  }
  const missing = (field: ImportField): ImportProblem => ({ line: 1, column: null, field, issue: "missing_column", value: null });
  if (!col.has("title")) report.problems.push(missing("title"));
  if (!col.has("identity_name") && !col.has("identity_code")) report.problems.push(missing("identity_name"));
  if (!col.has("type") && options.defaultTypeId == null) report.problems.push(missing("type"));
  if (!col.has("source") && options.defaultSourceId == null) report.problems.push(missing("source"));
  if (report.problems.length > 0) return report;

  const cell = (row: string[], f: ImportField) => (col.has(f) ? (row[col.get(f) as number] ?? "").trim() : "");
  const newIdentities = new Set<string>();
  channel.onmessage({ done: 0, total: staged.rows.length });
  if (transferMock.gate) await transferMock.gate;
  for (const [i, row] of staged.rows.entries()) {
    if (transferMock.cancelled.has(job)) {
      report.cancelled = true;
      return report;
    }
    const line = i + 2;
    const problems: ImportProblem[] = [];
    const at = (field: ImportField) => staged.headers[col.get(field) as number] ?? null;
    if (!cell(row, "title")) problems.push({ line, column: at("title"), field: "title", issue: "required", value: cell(row, "title") || null });
    const stage = cell(row, "stage");
    const chosen = options.values.find((v) => v.field === "stage" && v.value.toLowerCase() === stage.toLowerCase());
    if (stage && !STAGE_TITLES.includes(stage.toLowerCase()) && !chosen?.targetId) problems.push({ line, column: at("stage"), field: "stage", issue: "unknown_stage", value: cell(row, "stage") || null });
    const date = cell(row, "close_date");
    if (date && !/^\d{4}[-/]\d{2}[-/]\d{2}$/.test(date)) problems.push({ line, column: at("close_date"), field: "close_date", issue: "invalid_date", value: cell(row, "close_date") || null });
    const amount = cell(row, "estimated_amount");
    if (amount && !/^-?\d+(\.\d+)?$/.test(amount)) problems.push({ line, column: at("estimated_amount"), field: "estimated_amount", issue: "invalid_number", value: cell(row, "estimated_amount") || null });
    else if (amount.startsWith("-")) problems.push({ line, column: at("estimated_amount"), field: "estimated_amount", issue: "out_of_range", value: cell(row, "estimated_amount") || null });
    const identity = cell(row, "identity_name");
    if (identity && !host.identities.some((d) => d.displayName === identity)) {
      if (options.createMissingIdentities) newIdentities.add(identity);
      else problems.push({ line, column: at("identity_name"), field: "identity_name", issue: "unknown_identity", value: cell(row, "identity_name") || null });
    }
    if (problems.length === 0) report.goodRows += 1;
    report.problems.push(...problems);
  }
  channel.onmessage({ done: staged.rows.length, total: staged.rows.length });
  report.createdIdentities = newIdentities.size;
  if (!dryRun && report.problems.length === 0 && report.rows > 0) {
    report.written = true;
    transferMock.written.push(staged.rows);
    transferMock.staged.delete(a.token as number);
  }
  return report;
}

async function exportRows(host: TransferHost, a: Record<string, unknown>): Promise<ExportResult | null> {
  if (transferMock.nextSaveDialogClosed) {
    transferMock.nextSaveDialogClosed = false;
    return null;
  }
  const request = a.request as ExportRequest;
  const job = a.job as number;
  const channel = a.onProgress as Channel<TransferProgress>;
  if (transferMock.nextExportError) {
    const error = transferMock.nextExportError;
    transferMock.nextExportError = null;
    throw error;
  }
  const total = host.opportunities.length;
  channel.onmessage({ done: 0, total });
  if (transferMock.gate) await transferMock.gate;
  if (transferMock.cancelled.has(job)) throw { kind: "conflict", entity: "export", id: "cancelled" } satisfies AppError;
  channel.onmessage({ done: total, total });
  const path = request.format === "xlsx" ? transferMock.exportPath.replace(/\.csv$/, ".xlsx") : transferMock.exportPath;
  return { path, rows: total };
}

export function transferCommand(host: TransferHost, cmd: string, a: Record<string, unknown>): unknown {
  switch (cmd) {
    case "import_preview":
      return preview(a.fileName as string, a.contentBase64 as string);
    case "import_pick":
      return transferMock.picked;
    case "import_values":
      return values(a);
    case "import_run":
      return run(host, a);
    case "import_discard":
      transferMock.staged.delete(a.token as number);
      return null;
    case "cancel_transfer":
      transferMock.cancelled.add(a.job as number);
      return null;
    case "export_opportunities":
      return exportRows(host, a);
    case "save_export": {
      if (transferMock.nextSaveError) {
        const error = transferMock.nextSaveError;
        transferMock.nextSaveError = null;
        throw error;
      }
      if (transferMock.nextSaveDialogClosed) {
        transferMock.nextSaveDialogClosed = false;
        return null;
      }
      const fileName = a.fileName as string;
      const binary = atob(a.contentBase64 as string);
      transferMock.saved.push({ fileName, bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)) });
      return `/home/sara/Downloads/${fileName}`;
    }
    default:
      throw new Error(`not a transfer command: ${cmd}`);
  }
}
