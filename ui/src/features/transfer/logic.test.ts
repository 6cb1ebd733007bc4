import { beforeAll, describe, expect, it } from "vitest";
import i18n from "i18next";
import { initI18n } from "../../i18n";
import { AppErrorException } from "../../lib/api";
import type { FileValue, ImportProblem, ValueChoice } from "../../lib/types";
import {
  decisionsFromChoices,
  defaultDecision,
  groupValues,
  valueChoices,
  valueKey,
  type ValueDecision,
  base64OfDataUrl,
  bytesToBase64,
  carryChoices,
  choicesFromMapping,
  csvCell,
  describeFileProblem,
  describeIssue,
  duplicateFields,
  fileProblemOf,
  filterProblems,
  mappingFromChoices,
  missingRequired,
  problemColumn,
  problemsCsv,
  readFileAsBase64,
  sizeParts,
} from "./logic";

beforeAll(() => {
  initI18n("en");
});

const t = () => i18n.getFixedT("en", "transfer");
const tFa = () => i18n.getFixedT("fa", "transfer");
const num = (n: number) => String(n);

describe("reading the file", () => {
  it("encodes bytes (also more than one chunk) as base64", () => {
    expect(bytesToBase64(new TextEncoder().encode("Title,Customer\n"))).toBe(btoa("Title,Customer\n"));
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(atob(bytesToBase64(big)).length).toBe(100_000);
  });

  it("reads a picked file through FileReader", async () => {
    const text = "Title,مشتری\nA,B\n";
    const file = new File([text], "deals.csv", { type: "text/csv" });
    const b64 = await readFileAsBase64(file);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe(text);
  });

  it("takes the base64 part of a data URL", () => {
    expect(base64OfDataUrl("data:text/csv;base64,QUJD")).toBe("QUJD");
    expect(base64OfDataUrl("nonsense")).toBe("");
  });

  it("sizes files in bytes, KB and MB", () => {
    expect(sizeParts(820)).toEqual({ unit: "bytes", value: 820 });
    expect(sizeParts(12_700)).toEqual({ unit: "kb", value: 12.4 });
    expect(sizeParts(3_250_000)).toEqual({ unit: "mb", value: 3.1 });
  });
});

describe("file-level problems", () => {
  const thrown = (code: "invalid" | "too_long", min: string | null, max: string | null) =>
    new AppErrorException({ kind: "validation", fields: [{ field: "file", code, min, max }] });

  it("reads the issue and line from the validation error on `file`", () => {
    expect(fileProblemOf(thrown("invalid", "encoding", "3"))).toEqual({ kind: "issue", issue: "encoding", line: 3 });
    expect(fileProblemOf(thrown("invalid", "unreadable", "0"))).toEqual({ kind: "issue", issue: "unreadable", line: null });
    expect(fileProblemOf(thrown("too_long", null, null))).toEqual({ kind: "tooLarge" });
    expect(fileProblemOf(thrown("invalid", null, null))).toEqual({ kind: "notReadable" });
    expect(fileProblemOf(new Error("x"))).toBeNull();
  });

  it("says what is wrong in plain words", () => {
    expect(describeFileProblem({ kind: "issue", issue: "encoding", line: 3 }, t(), num)).toBe(
      "The file is not UTF-8 text (line 3). Save it as “CSV UTF-8” and try again.",
    );
    expect(describeFileProblem({ kind: "issue", issue: "empty_file", line: 1 }, t(), num)).toBe("The file is empty: it has no row of column names.");
    expect(describeFileProblem({ kind: "issue", issue: "too_many_rows", line: 1_000_002 }, t(), (n) => n.toLocaleString("en"))).toContain("more than 1,000,000 rows");
    expect(describeFileProblem({ kind: "issue", issue: "unreadable", line: null }, t(), num)).toMatch(/could not be read\. /);
    expect(describeFileProblem({ kind: "tooLarge" }, t(), num)).toMatch(/64 MB/);
    expect(describeFileProblem({ kind: "issue", issue: "encoding", line: 3 }, tFa(), (n) => String(n).replace(/\d/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[Number(d)]))).toContain("سطر ۳");
  });
});

describe("the mapping", () => {
  const headers = ["Title", "Customer", "Stage", "Notes"];

  it("pre-fills one field per header from the suggestion and sends only mapped columns", () => {
    const choices = choicesFromMapping(headers, [
      { field: "title", column: "Title" },
      { field: "identity_name", column: "Customer" },
      { field: "stage", column: "Stage" },
    ]);
    expect(choices).toEqual(["title", "identity_name", "stage", null]);
    expect(mappingFromChoices(headers, ["title", null, "stage", "reason_note"])).toEqual([
      { field: "title", column: "Title" },
      { field: "stage", column: "Stage" },
      { field: "reason_note", column: "Notes" },
    ]);
  });

  it("knows what is still required and what is chosen twice", () => {
    expect(missingRequired(["title", "identity_name", null, null], { defaultTypeId: 1, defaultSourceId: 3 })).toEqual([]);
    expect(missingRequired(["title", null, null, null], { defaultTypeId: null, defaultSourceId: 3 })).toEqual(["identity_name", "type"]);
    expect(missingRequired([null, "identity_code", "type", "source"], {})).toEqual(["title"]);
    expect(duplicateFields(["title", "title", "stage", null])).toEqual(["title"]);
  });
});

describe("a file picked again", () => {
  it("keeps the choices of the columns it had, suggests the new ones, never a field twice", () => {
    const previous = ["Deal", "Agent", "Notes", "Value"];
    const headers = ["Deal", "Value", "Owner", "Notes", "Close"];
    // "Notes" was set to ignored and stays so; the new "Owner" and "Close" take their suggestions.
    expect(carryChoices(previous, ["title", "assigned_user", null, "estimated_amount"], headers, ["title", null, "assigned_user", "reason_note", "close_date"])).toEqual([
      "title",
      "estimated_amount",
      "assigned_user",
      null,
      "close_date",
    ]);
    // A new column whose suggestion a kept column already has yields to it.
    expect(carryChoices(["Deal", "Value"], ["title", "estimated_amount"], ["Deal", "Value", "Amount"], ["title", null, "estimated_amount"])).toEqual(["title", "estimated_amount", null]);
  });
});

describe("row problems", () => {
  const problems: ImportProblem[] = [
    { line: 3, column: "Stage", field: "stage", issue: "unknown_stage", value: "Engaging" },
    { line: 4, column: "Close date", field: "close_date", issue: "invalid_date", value: "3/4/2026" },
    { line: 5, column: "Amount", field: "estimated_amount", issue: "out_of_range", value: "-5" },
    { line: 1, column: null, field: "type", issue: "missing_column", value: null },
  ];

  it("translates every issue and names the column", () => {
    expect(describeIssue(problems[0], t())).toBe("No sales stage has this name.");
    expect(describeIssue(problems[1], tFa())).toContain("قالبی که برای فایل انتخاب شده");
    expect(problemColumn(problems[3], t())).toBe("Type");
    expect(describeIssue({ issue: "missing_column", column: "Stage" }, t())).toBe("The column “Stage” is not in the file.");
  });

  it("writes the problems as CSV with a BOM, quoting where needed", () => {
    const csv = problemsCsv(problems, t());
    expect(csv.startsWith("\uFEFFLine,Column,Value in the file,Reason\r\n")).toBe(true);
    expect(csv).toContain("3,Stage,Engaging,No sales stage has this name.\r\n");
    expect(csv).toContain('4,Close date,3/4/2026,"This is not a date in the format');
    expect(csv).toContain("5,Amount,'-5,\"The value is outside");
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  });

  it("filters by line, column or reason", () => {
    expect(filterProblems(problems, "", t())).toHaveLength(4);
    expect(filterProblems(problems, "date", t()).map((p) => p.line)).toEqual([4]);
    expect(filterProblems(problems, "5", t()).map((p) => p.line)).toEqual([5]);
    expect(filterProblems(problems, "۴", t()).map((p) => p.line)).toEqual([4]);
    expect(filterProblems(problems, "STAGE", t()).map((p) => p.line)).toEqual([3]);
    expect(filterProblems(problems, "engaging", t()).map((p) => p.line)).toEqual([3]);
  });
});

describe("the values step", () => {
  const value = (over: Partial<FileValue>): FileValue => ({ field: "stage", value: "Won", rows: 3, matchId: null, matchName: null, near: false, ...over });
  const none = { createMissingIdentities: false, createMissingProducts: false, createMissingUsers: false };

  it("suggests what a value names, else creates it where the options say so, else leaves it", () => {
    expect(defaultDecision(value({ matchId: 7 }), none)).toBe("id:7");
    expect(defaultDecision(value({ field: "stage" }), { ...none, createMissingUsers: true })).toBe("");
    expect(defaultDecision(value({ field: "assigned_user" }), { ...none, createMissingUsers: true })).toBe("create");
    expect(defaultDecision(value({ field: "identity_name" }), { ...none, createMissingIdentities: true })).toBe("create");
    expect(defaultDecision(value({ field: "product_code" }), { ...none, createMissingProducts: true })).toBe("create");
    expect(defaultDecision(value({ field: "product_name", matchId: 4, near: true }), { ...none, createMissingProducts: true })).toBe("id:4");
  });

  it("sends one choice per value: a target, a creation, the placeholder, or left", () => {
    const values = [value({ value: "A", matchId: 1 }), value({ field: "identity_name", value: "B" }), value({ field: "identity_name", value: "C" }), value({ field: "assigned_user", value: "D" })];
    const decisions: Record<string, ValueDecision> = { [valueKey(values[1])]: "placeholder", [valueKey(values[2])]: "create" };
    expect(valueChoices(values, decisions, none, 42)).toEqual([
      { field: "stage", value: "A", targetId: 1, create: false },
      { field: "identity_name", value: "B", targetId: 42, create: false },
      { field: "identity_name", value: "C", targetId: null, create: true },
      { field: "assigned_user", value: "D", targetId: null, create: false },
    ]);
  });

  it("takes back the choices of the last import for the same values", () => {
    const values = [value({ value: "Engaging" }), value({ field: "identity_name", value: "Kavir" }), value({ field: "assigned_user", value: "Nina" })];
    const remembered: ValueChoice[] = [
      { field: "stage", value: "engaging ", targetId: 3, create: false },
      { field: "identity_name", value: "Kavir", targetId: 9, create: false },
      { field: "assigned_user", value: "Nina", targetId: null, create: true },
    ];
    expect(decisionsFromChoices(values, remembered, 9)).toEqual({
      [valueKey(values[0])]: "id:3",
      [valueKey(values[1])]: "placeholder",
      [valueKey(values[2])]: "create",
    });
  });

  it("groups the values by field in their order", () => {
    const groups = groupValues([value({ value: "A" }), value({ field: "type", value: "B" }), value({ value: "C" })]);
    expect(groups.map((g) => [g.field, g.values.map((v) => v.value)])).toEqual([
      ["stage", ["A", "C"]],
      ["type", ["B"]],
    ]);
  });
});
