import { describe, expect, it } from "vitest";
import type { Stage, StageKind } from "../../lib/types";
import { defaultMapping } from "./pipelineMerge";

let next = 1;
const stage = (pipelineId: number, kind: StageKind, titleEn: string, sortOrder: number, titleFa = ""): Stage => ({
  id: next++,
  key: `s${next}`,
  titleFa,
  titleEn,
  kind,
  sortOrder,
  active: true,
  defaultProbability: kind === "open" ? 10 : null,
  version: 1,
  pipelineId,
});

describe("the mapping a pipeline merge starts from", () => {
  it("maps by name within a kind, else to the first stage of the kind, never across kinds", () => {
    const proposal = stage(2, "open", "Proposal", 2);
    const start = stage(2, "open", "New", 1);
    const won = stage(2, "won", "Won", 3);
    const lost = stage(2, "lost", "Lost", 4);
    const dNew = stage(1, "open", "Lead", 1);
    const dProposal = stage(1, "open", "  proposal ", 5);
    const dWon = stage(1, "won", "Closed won", 9);
    const dLost = stage(1, "lost", "Lost", 10);
    const mapping = defaultMapping([proposal, won, lost, start], [dWon, dProposal, dNew, dLost]);
    expect(mapping).toEqual([
      { fromStageId: start.id, toStageId: dNew.id },
      { fromStageId: proposal.id, toStageId: dProposal.id },
      { fromStageId: won.id, toStageId: dWon.id },
      { fromStageId: lost.id, toStageId: dLost.id },
    ]);
  });

  it("matches a Persian name and says 0 where the target has no stage of the kind", () => {
    const fa = stage(2, "open", "", 1, "مذاکره");
    const won = stage(2, "won", "Won", 2);
    const target = [stage(1, "open", "Negotiation", 3, "مذاکره"), stage(1, "open", "Lead", 1)];
    expect(defaultMapping([fa, won], target)).toEqual([
      { fromStageId: fa.id, toStageId: target[0]!.id },
      { fromStageId: won.id, toStageId: 0 },
    ]);
  });
});
