import { describe, expect, it } from "vitest";
import type { Stage } from "../../lib/types";
import { amountBackToAutomatic, changeStage, emptyOpportunityForm, formFromDetail, mapOpportunityErrors, pipelineStages, setLines, toOpportunityInput, typeAmount, typedAmountAtStake, typeProbability, typeStartStage } from "./formModel";
import { makeIdentity, makeOpportunity } from "../../test/mockBackend";
import { makeProduct } from "../../test/mockCatalogue";
import { draftFromProduct } from "../../shared/lines/lineModel";
import { parseRoute } from "../../app/router";

const stage = (id: number, kind: Stage["kind"], defaultProbability: number | null, sortOrder = id): Stage => ({
  id,
  key: `s${id}`,
  titleFa: `مرحله ${id}`,
  titleEn: `Stage ${id}`,
  kind,
  sortOrder,
  active: true,
  defaultProbability,
  version: 1,
  pipelineId: 1,
});
const contact = stage(1, "open", 10);
const proposal = stage(2, "open", 50);
const noDefault = stage(3, "open", null);
const won = stage(4, "won", null);
const lost = stage(5, "lost", null);
const stages = [lost, won, noDefault, proposal, contact];

describe("opportunity form model", () => {
  it("starts in the first open stage with its default probability", () => {
    const form = emptyOpportunityForm(7, stages, 2);
    expect(form.stageId).toBe(1);
    expect(form.probability).toBe("10");
    expect(form.probabilityIsManual).toBe(false);
    expect(form.assignedUserId).toBe("2");
  });

  it("applies the stage's default probability until the user types one", () => {
    let form = emptyOpportunityForm(7, stages, null);
    form = changeStage(form, proposal, stages);
    expect(form.probability).toBe("50");
    form = changeStage(form, noDefault, stages);
    expect(form.probability).toBe("50"); // no default: kept
    form = typeProbability(form, "35");
    form = changeStage(form, contact, stages);
    expect(form.probability).toBe("35");
    expect(toOpportunityInput(form, []).probabilityIsManual).toBe(true);
  });

  it("fixes won at 100 and lost at 0, dropping a hand-set value", () => {
    let form = typeProbability(emptyOpportunityForm(7, stages, null), "70");
    form = changeStage(form, won, stages);
    expect(form.probability).toBe("100");
    expect(form.probabilityIsManual).toBe(false);
    form = changeStage(form, lost, stages);
    expect(form.probability).toBe("0");
    form = changeStage(form, proposal, stages);
    expect(form.probability).toBe("50");
  });

  it("clears the reasons when the stage moves away from won or lost", () => {
    let form = changeStage(emptyOpportunityForm(7, stages, null), won, stages);
    form = { ...form, winReasonId: "20", reasonNote: "Best price" };
    const toLost = changeStage(form, lost, stages);
    expect(toLost.winReasonId).toBe("");
    expect(toLost.reasonNote).toBe("");
    form = { ...toLost, lossReasonId: "21" };
    const reopened = changeStage(form, contact, stages);
    expect(reopened.lossReasonId).toBe("");
    expect(reopened.winReasonId).toBe("");
  });

  it("sends custom values for every active field, empty ones as null, and the loaded dates back", () => {
    const form = { ...emptyOpportunityForm(7, stages, null), title: " Deal ", customFields: { 3: "x" }, wonOn: null };
    const defs = [
      { id: 3, active: true },
      { id: 4, active: true },
      { id: 5, active: false },
    ];
    const input = toOpportunityInput(form, defs);
    expect(input.title).toBe("Deal");
    expect(input.customFields).toEqual([
      { fieldId: 3, value: "x" },
      { fieldId: 4, value: null },
    ]);
    expect(input.wonOn).toBeNull();
    expect(input.estimatedAmount).toBe("0");
  });

  it("sends the loaded product lines back unchanged and marks a typed amount as hand-set", () => {
    const line = {
      id: 1, position: 1, productId: 9, productCode: "P9", productName: "Laptop", unitFa: null, unitEn: null, quantity: "2", unitPrice: "500",
      discountKind: "amount" as const, discountValue: "0", discountAmount: "0", taxPercent: "0", taxAmount: "0", net: "1000", total: "1000", description: null, sourceLineId: null,
    };
    const detail = makeOpportunity(3, makeIdentity(1), { lines: [line], estimatedAmount: "1000", wonOn: null });
    const form = formFromDetail(detail);
    const input = toOpportunityInput(form, []);
    expect(input.lines).toEqual([{ productId: 9, quantity: "2", unitPrice: "500", discountKind: "amount", discountValue: "0", description: null, sourceLineId: null }]);
    expect(input.amountIsManual).toBe(false);
    expect(toOpportunityInput(typeAmount(form, "1200"), []).amountIsManual).toBe(true);
  });

  it("maps backend field paths onto controls", () => {
    const e = (field: string) => ({ field, code: "required" as const, min: null, max: null });
    const mapped = mapOpportunityErrors([e("title"), e("customFields.12"), e("competitors.0.note"), e("type_id"), e("somethingElse")]);
    expect(Object.keys(mapped.byField).sort()).toEqual(["competitors.0.note", "customFields.12", "title", "typeId"]);
    expect(mapped.unmatched.map((u) => u.field)).toEqual(["somethingElse"]);
  });
});

describe("8 and 15: an estimated amount typed before the first product lines", () => {
  const laptop = () => draftFromProduct(makeProduct(1, { salePrice: "1000000" }));
  const pro = () => draftFromProduct(makeProduct(2, { salePrice: "2000000" }));
  const typed = typeAmount(emptyOpportunityForm(7, stages, null), "5000000");

  it("is at stake only while there are no lines and it is not empty or zero", () => {
    expect(typedAmountAtStake(typed)).toBe("5000000");
    expect(typedAmountAtStake(typeAmount(typed, "۵۰۰"))).toBe("۵۰۰");
    expect(typedAmountAtStake(emptyOpportunityForm(7, stages, null))).toBeNull();
    expect(typedAmountAtStake(typeAmount(typed, "0"))).toBeNull();
    expect(typedAmountAtStake(typeAmount(typed, ""))).toBeNull();
    expect(typedAmountAtStake(setLines(typed, [laptop()], 0))).toBeNull();
    // Saved without lines: the backend kept the amount as typed.
    expect(typedAmountAtStake(formFromDetail(makeOpportunity(3, makeIdentity(1), { estimatedAmount: "5000000", amountIsManual: true })))).toBe("5000000");
  });

  it("is replaced by the lines' sum only when the user says so", () => {
    const replaced = setLines(typed, [laptop()], 0, "replace");
    expect(replaced).toMatchObject({ estimatedAmount: "1000000", amountIsManual: false });
    // From then on it follows the lines.
    expect(setLines(replaced, [...replaced.lines, pro()], 0)).toMatchObject({ estimatedAmount: "3000000", amountIsManual: false });
  });

  it("is kept, as hand-set, when the user says so and by default", () => {
    for (const kept of [setLines(typed, [laptop()], 0, "keep"), setLines(typed, [laptop()], 0)]) {
      expect(kept).toMatchObject({ estimatedAmount: "5000000", amountIsManual: true });
      expect(kept.lines).toHaveLength(1);
      expect(setLines(kept, [...kept.lines, pro()], 0)).toMatchObject({ estimatedAmount: "5000000", amountIsManual: true });
      // "Back to automatic" still returns to the sum.
      expect(amountBackToAutomatic(kept, 0)).toMatchObject({ estimatedAmount: "1000000", amountIsManual: false });
    }
    // A saved opportunity without lines: its typed amount survives the first pick.
    const saved = formFromDetail(makeOpportunity(3, makeIdentity(1), { estimatedAmount: "5000000", amountIsManual: true }));
    expect(saved.amountIsManual).toBe(false);
    expect(setLines(saved, [laptop()], 0)).toMatchObject({ estimatedAmount: "5000000", amountIsManual: true });
    expect(setLines(saved, [laptop()], 0, "replace")).toMatchObject({ estimatedAmount: "1000000", amountIsManual: false });
  });

  it("with nothing typed, the first lines set the amount", () => {
    expect(setLines(emptyOpportunityForm(7, stages, null), [laptop()], 0)).toMatchObject({ estimatedAmount: "1000000", amountIsManual: false });
    expect(setLines(typeAmount(typed, ""), [laptop()], 0)).toMatchObject({ estimatedAmount: "1000000", amountIsManual: false });
    // Removing every line of an automatic amount leaves zero: nothing to ask about next time.
    const none = setLines(setLines(emptyOpportunityForm(7, stages, null), [laptop()], 0), [], 0);
    expect(typedAmountAtStake(none)).toBeNull();
  });
});

describe("hash routes", () => {
  it("reads every screen's address", () => {
    expect(parseRoute("")).toEqual({ name: "identities" });
    expect(parseRoute("#/identities/12")).toEqual({ name: "identity", id: 12, tab: "specifications" });
    expect(parseRoute("#/identities/12/records")).toEqual({ name: "identity", id: 12, tab: "records" });
    expect(parseRoute("#/opportunities/new?identity=3")).toEqual({ name: "opportunityNew", identityId: 3 });
    expect(parseRoute("#/opportunities/8/records")).toEqual({ name: "opportunity", id: 8, tab: "records" });
    expect(parseRoute("#/opportunities/x")).toEqual({ name: "notFound" });
    expect(parseRoute("#/settings")).toEqual({ name: "section", section: "settings" });
    expect(parseRoute("#/opportunities")).toEqual({ name: "opportunityList", view: "list", query: "" });
    expect(parseRoute("#/opportunities?stage=2&q=net")).toEqual({ name: "opportunityList", view: "list", query: "stage=2&q=net" });
    expect(parseRoute("#/opportunities/board?user=none")).toEqual({ name: "opportunityList", view: "board", query: "user=none" });
  });
});

describe("pipelineStages", () => {
  const other = (id: number, kind: Stage["kind"], sortOrder: number): Stage => ({ ...stage(id, kind, null, sortOrder), pipelineId: 2 });
  const all = [other(21, "open", 10), stage(2, "open", 25, 2), other(22, "won", 11), stage(1, "open", 10, 1), stage(4, "won", null, 4)];

  it("keeps the bar to the pipeline of the opportunity's stage, in order", () => {
    expect(pipelineStages(all, 22).map((s) => s.id)).toEqual([21, 22]);
    expect(pipelineStages(all, 2).map((s) => s.id)).toEqual([1, 2, 4]);
  });

  it("gives a new opportunity the pipeline of the first stage in order", () => {
    expect(pipelineStages(all, null).map((s) => s.id)).toEqual([1, 2, 4]);
  });
});

describe("the pipeline an opportunity type starts in", () => {
  const st = (id: number, pipelineId: number, kind: Stage["kind"], sortOrder: number): Stage => ({
    id,
    key: `k${id}`,
    titleFa: "",
    titleEn: `S${id}`,
    kind,
    sortOrder,
    active: true,
    defaultProbability: null,
    version: 1,
    pipelineId,
  });
  const all = [st(1, 1, "open", 1), st(2, 1, "won", 2), st(3, 2, "won", 3), st(4, 2, "open", 5), st(5, 2, "open", 4)];
  it("goes to that pipeline's first open stage", () => {
    expect(typeStartStage(all, 2, 1)?.id).toBe(5);
  });
  it("stays where it is when already in that pipeline or the type names none", () => {
    expect(typeStartStage(all, 2, 4)).toBeNull();
    expect(typeStartStage(all, null, 1)).toBeNull();
    expect(typeStartStage(all, 9, 1)).toBeNull();
  });
});

