import { describe, expect, it } from "vitest";
import glossaryText from "../../../docs/glossary.md?raw";

// One vocabulary (docs/glossary.md): wherever an English string uses a glossary term,
// its Persian string uses the glossary's Persian term, and never a wording the
// glossary retired.
const fa = import.meta.glob<Record<string, unknown>>("./fa/*.json", { eager: true, import: "default" });
const en = import.meta.glob<Record<string, unknown>>("./en/*.json", { eager: true, import: "default" });

type Term = { english: string[]; persian: string[]; not: string[] };

/** Zero-width non-joiners and spaces count the same; Arabic yeh and kaf are the Persian ones. */
const fold = (text: string) => text.replace(/\u200c/g, " ").replace(/ي/g, "ی").replace(/ك/g, "ک").replace(/\s+/g, " ");
const list = (cell: string) =>
  cell
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The glossary's table: English | Persian | Source | Not | Notes. */
function parseGlossary(markdown: string): Term[] {
  const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
  return rows.slice(2).map((line) => {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    return { english: list(cells[0] ?? ""), persian: list(cells[1] ?? "").map(fold), not: list(cells[3] ?? "").map(fold) };
  });
}

/** Every (namespace:key, en, fa) of the catalogs. */
function pairs(): { key: string; en: string; fa: string }[] {
  const out: { key: string; en: string; fa: string }[] = [];
  const walk = (e: unknown, f: unknown, key: string) => {
    if (typeof e === "string") out.push({ key, en: e, fa: typeof f === "string" ? f : "" });
    else if (e && typeof e === "object") for (const [k, v] of Object.entries(e)) walk(v, (f as Record<string, unknown> | undefined)?.[k], `${key}.${k}`);
  };
  for (const path of Object.keys(en)) {
    const file = path.split("/").pop() as string;
    walk(en[path], fa[`./fa/${file}`], file.replace(/\.json$/, ":"));
  }
  return out;
}

/** The catalog entries that break a term: the English uses it, the Persian does not (or uses a retired wording). */
function violations(term: Term, entries: { key: string; en: string; fa: string }[]): string[] {
  const word = new RegExp(`(?<![\\p{L}-])(?:${term.english.map(escape).join("|")})(?![\\p{L}-])`, "iu");
  const found: string[] = [];
  for (const { key, en: english, fa: persian } of entries) {
    if (!word.test(english.replace(/\{\{[^}]*\}\}/g, " "))) continue;
    const text = fold(persian);
    if (!term.persian.some((p) => text.includes(p))) found.push(`${key}: "${english}" → "${persian}" (use ${term.persian[0]})`);
    for (const retired of term.not) if (text.includes(retired)) found.push(`${key}: "${persian}" says ${retired} (use ${term.persian[0]})`);
  }
  return found;
}

const glossary = parseGlossary(glossaryText);

describe("the glossary", () => {
  it("is read from docs/glossary.md", () => {
    expect(glossary.length).toBeGreaterThan(20);
    for (const term of glossary) {
      expect(term.english.length).toBeGreaterThan(0);
      expect(term.persian.length).toBeGreaterThan(0);
    }
  });

  it("catches a term under another translation, and a retired wording", () => {
    const term: Term = { english: ["assigned to"], persian: [fold("تخصیص داده شده به")], not: ["مسئول"] };
    expect(violations(term, [{ key: "x:a", en: "Assigned to", fa: "ارجاع به" }])).toHaveLength(1);
    expect(violations(term, [{ key: "x:b", en: "Assigned to", fa: "تخصیص داده شده به (مسئول)" }])).toHaveLength(1);
    expect(violations(term, [{ key: "x:c", en: "Assigned to {{user}}", fa: "تخصیص داده شده به {{user}}" }])).toEqual([]);
    // Only as a word: "reassigned to" is not the term, nor is a placeholder's name.
    expect(violations(term, [{ key: "x:d", en: "Reassigned to {{assigned to}}", fa: "—" }])).toEqual([]);
  });

  for (const term of glossary) {
    it(`"${term.english[0]}" is ${term.persian[0]} in every catalog`, () => {
      expect(violations(term, pairs())).toEqual([]);
    });
  }
});
