// The UI's layering rules (docs/ARCHITECTURE.md), checked on the sources:
// - `lib/`, `components/` and `shared/` never import a feature, nor the app shell
//   except the settings everyone reads (`app/settings.tsx`: language, calendar, zone);
// - no two modules import each other in a cycle (a parent's type imported back by its
//   children was one: `ViewProps` lived in PipelinePage).
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["./**/*.ts", "./**/*.tsx", "!./**/*.test.ts", "!./**/*.test.tsx", "!./test/**", "!./bindings.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** "./features/pipeline/ListView.tsx" → the module ids its relative imports resolve to. */
function importsOf(file: string, text: string): string[] {
  const dir = file.slice(0, file.lastIndexOf("/"));
  const out: string[] = [];
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']/g;
  for (const m of text.matchAll(re)) {
    const target = resolve(dir, m[1]);
    if (target) out.push(target);
  }
  return out;
}

function resolve(dir: string, spec: string): string | null {
  const parts = dir.split("/");
  for (const seg of spec.split("/")) {
    if (seg === "." || seg === "") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  const base = parts.join("/");
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (candidate in sources) return candidate;
  }
  return null; // CSS, JSON, assets
}

const graph = new Map(Object.entries(sources).map(([file, text]) => [file, importsOf(file, text)]));

function findCycle(g: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    path.push(n);
    for (const m of g.get(n) ?? []) {
      if (state.get(m) === 1) return [...path.slice(path.indexOf(m)), m];
      if (!state.has(m)) {
        const found = visit(m);
        if (found) return found;
      }
    }
    path.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of g.keys()) {
    if (!state.has(n)) {
      const found = visit(n);
      if (found) return found;
    }
  }
  return null;
}

describe("UI architecture", () => {
  it("reads the sources", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("./features/pipeline/ListView.tsx")).toContain("./features/pipeline/viewProps.ts");
  });

  it("keeps lib, components and shared free of features and the app shell", () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      if (!/^\.\/(lib|components|shared)\//.test(file)) continue;
      for (const t of targets) {
        if (/^\.\/(features|app)\//.test(t) && t !== "./app/settings.tsx") wrong.push(`${file} → ${t}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("has no import cycles between modules", () => {
    expect(findCycle(graph)).toBeNull();
    // The check finds one when there is one.
    const looped = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    expect(findCycle(looped)).toEqual(["a", "b", "c", "a"]);
  });
});
