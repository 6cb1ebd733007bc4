import { describe, expect, it } from "vitest";

// Every namespace file must exist in both languages with exactly the same keys.
const fa = import.meta.glob<Record<string, unknown>>("./fa/*.json", { eager: true, import: "default" });
const en = import.meta.glob<Record<string, unknown>>("./en/*.json", { eager: true, import: "default" });

function keysOf(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

const names = (files: Record<string, unknown>) => Object.keys(files).map((p) => p.split("/").pop()).sort();

describe("translation catalogs", () => {
  it("have the same namespaces in fa and en", () => {
    expect(names(fa).length).toBeGreaterThan(0);
    expect(names(fa)).toEqual(names(en));
  });

  for (const path of Object.keys(fa)) {
    const file = path.split("/").pop() as string;
    it(`${file} has identical keys in fa and en`, () => {
      const faKeys = keysOf(fa[path]).sort();
      const enKeys = keysOf(en[`./en/${file}`]).sort();
      expect(faKeys).toEqual(enKeys);
    });

    it(`${file} has no empty strings`, () => {
      for (const lang of [fa[path], en[`./en/${file}`]]) {
        const check = (v: unknown): void => {
          if (typeof v === "string") expect(v.trim()).not.toBe("");
          else if (v && typeof v === "object") Object.values(v).forEach(check);
        };
        check(lang);
      }
    });
  }
});
