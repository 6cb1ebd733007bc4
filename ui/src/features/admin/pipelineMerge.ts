// The stage mapping a merge starts from: each stage of the merged pipeline goes to
// the stage of the other pipeline with the same name (either language, case and
// spacing ignored) and kind, else to the first of its kind there. 0: none of its kind.

import type { Stage, StageMapping } from "../../lib/types";

const key = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

export function defaultMapping(from: readonly Stage[], to: readonly Stage[]): StageMapping[] {
  const ordered = [...to].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  return [...from]
    .sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
    .map((s) => {
      const sameKind = ordered.filter((t) => t.kind === s.kind);
      const names = [key(s.titleFa), key(s.titleEn)].filter((n) => n !== "");
      const named = sameKind.find((t) => names.includes(key(t.titleFa)) || names.includes(key(t.titleEn)));
      return { fromStageId: s.id, toStageId: (named ?? sameKind[0])?.id ?? 0 };
    });
}
