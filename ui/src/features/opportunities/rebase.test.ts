import { describe, expect, it } from "vitest";
import type { LineOut } from "../../lib/types";
import { makeIdentity, makeOpportunity, stages } from "../../test/mockBackend";
import { changeStage, formFromDetail, typeAmount } from "./formModel";
import { rebaseOpportunity } from "./rebase";

const acme = makeIdentity(1, { displayName: "Acme Trading" });
const line = (partial: Partial<LineOut> = {}): LineOut => ({
  id: 500, position: 1, productId: 1, productCode: "LP-100", productName: "Laptop", unitFa: "عدد", unitEn: "pcs", quantity: "2", unitPrice: "1000", discountKind: "percent",
  discountValue: "0", discountAmount: "0", taxPercent: null, taxAmount: "0", net: "2000", total: "2000", description: null, sourceLineId: null, ...partial,
} as LineOut);

const start = makeOpportunity(5, acme, { title: "Laptops", sourceId: 3, typeId: 10, estimatedAmount: "1000", customFields: [{ fieldId: 12, value: "post" }, { fieldId: 13, value: "a" }], lines: [] });
const won = stages.find((s) => s.kind === "won");
const lost = stages.find((s) => s.kind === "lost");

describe("rebaseOpportunity", () => {
  it("keeps the fields I changed, takes theirs for the rest, and lists what they changed in form order", () => {
    const base = formFromDetail(start);
    const mine = { ...typeAmount(base, "2500"), title: "Laptops (mine)", customFields: { ...base.customFields, 12: "courier" } };
    const theirs = formFromDetail({ ...start, version: 2, title: "Laptops (theirs)", sourceId: 4, customFields: [{ fieldId: 12, value: "post" }, { fieldId: 13, value: "b" }] });
    const { merged, conflicts, changedByThem } = rebaseOpportunity(base, mine, theirs, stages);
    expect(changedByThem).toEqual(["title", "sourceId", "customFields.13"]);
    expect(conflicts).toEqual(["title"]);
    expect(merged.title).toBe("Laptops (mine)");
    expect(merged.sourceId).toBe("4");
    expect(merged.estimatedAmount).toBe("2500");
    expect(merged.amountIsManual).toBe(true);
    expect(merged.customFields).toEqual({ 12: "courier", 13: "b" });
  });

  it("compares product lines by content, not by their keys on the form", () => {
    const withLines = { ...start, lines: [line()] };
    const base = formFromDetail(withLines);
    const mine = { ...base, title: "Edited" };
    // The same lines loaded again get new keys: no change.
    const same = rebaseOpportunity(base, mine, formFromDetail({ ...withLines, version: 2 }), stages);
    expect(same.changedByThem).toEqual([]);
    const theirs = formFromDetail({ ...withLines, version: 2, lines: [line({ quantity: "3" })], estimatedAmount: "3000" });
    const changed = rebaseOpportunity(base, mine, theirs, stages);
    expect(changed.changedByThem).toEqual(["estimatedAmount", "lines"]);
    expect(changed.merged.lines.map((l) => l.quantity)).toEqual(["3"]);
    expect(changed.merged.estimatedAmount).toBe("3000");
    expect(changed.merged.title).toBe("Edited");
  });

  it("keeps the stage rules: my stage wins a conflict, their reason for another outcome is dropped", () => {
    if (!won || !lost) throw new Error("mock stages");
    const base = formFromDetail(start);
    const mine = { ...changeStage(base, lost, stages), lossReasonId: "21" };
    const theirs = formFromDetail({ ...start, version: 2, stageId: won.id, stageKind: "won", winReasonId: 20, probability: 100, wonOn: "2025-03-19" });
    const { merged, conflicts } = rebaseOpportunity(base, mine, theirs, stages);
    expect(conflicts).toEqual(expect.arrayContaining(["stageId", "probability"]));
    expect(merged.stageId).toBe(lost.id);
    expect(merged.lossReasonId).toBe("21");
    expect(merged.winReasonId).toBe("");
    expect(merged.probability).toBe("0");
    // The dates are the backend's: sent back as it has them.
    expect(merged.wonOn).toBe("2025-03-19");
  });

  it("takes their stage with its reason and probability when I did not touch them", () => {
    if (!won) throw new Error("mock stages");
    const base = formFromDetail(start);
    const mine = { ...base, title: "Mine" };
    const theirs = formFromDetail({ ...start, version: 2, stageId: won.id, stageKind: "won", winReasonId: 20, probability: 100, wonOn: "2025-03-19" });
    const { merged, conflicts, changedByThem } = rebaseOpportunity(base, mine, theirs, stages);
    expect(conflicts).toEqual([]);
    expect(changedByThem).toEqual(["stageId", "probability", "winReasonId", "wonOn"]);
    expect(merged).toMatchObject({ title: "Mine", stageId: won.id, winReasonId: "20", probability: "100", wonOn: "2025-03-19" });
  });
});
