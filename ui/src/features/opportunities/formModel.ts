// The opportunity form's state and rules, kept apart from the screen so they can be
// tested on their own:
//  - 9 probability: typed = manual; otherwise the stage's default; won 100, lost 0;
//  - 10 reasons: the win reason only while the stage is won, the loss reason only
//    while lost; leaving that stage clears them (and the note);
//  - 12 win/loss dates: sent back exactly as loaded;
//  - 8 estimated amount: while there are product lines and the user has not typed
//    an amount, it follows the lines' final sum (automatic); typing makes it manual,
//    and "back to automatic" returns to the sum; an amount typed before the first
//    lines is never replaced without asking (typedAmountAtStake, setLines' choice);
//  - 15 product lines: edited as drafts, sent as LineInput in their order;
//  - backend field paths ("customFields.7", "competitors.0.note") onto controls.

import type { CustomFieldDef, FieldError, OpportunityDetail, OpportunityInput, Stage, StageKind } from "../../lib/types";
import { normalizeDigits } from "../../lib/format";
import { camelPath, groupFieldErrors, type ControlErrors } from "../../shared/fieldErrors";
import { draftFromLine, toLineInput, totalsOf, type LineDraft } from "../../shared/lines/lineModel";

export type CompetitorRow = { competitorId: number; name: string; note: string };

export type OpportunityFormState = {
  identityId: number;
  title: string;
  assignedUserId: string;
  typeId: string;
  sourceId: string;
  campaignId: string;
  closeDate: string | null;
  estimatedAmount: string;
  /** The user typed the amount (otherwise it follows the product lines, when there are any). */
  amountIsManual: boolean;
  probability: string;
  probabilityIsManual: boolean;
  winReasonId: string;
  lossReasonId: string;
  reasonNote: string;
  purchaseProcessId: string;
  wonOn: string | null;
  lostOn: string | null;
  /** By custom field id; "" is empty. */
  customFields: Record<number, string>;
  competitors: CompetitorRow[];
  /** 15: the product lines, in order. */
  lines: LineDraft[];
  stageId: number | null;
};

const idText = (id: number | null | undefined) => (id === null || id === undefined ? "" : String(id));

/** Stages in bar order (sort order, then id). */
export function orderStages(stages: readonly Stage[]): Stage[] {
  return [...stages].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
}

/**
 * The stages of one pipeline, in bar order: the pipeline of `stageId` (an existing
 * opportunity's stage), else the pipeline of the first stage in order (a new one).
 * The chevron bar never mixes the stages of two pipelines.
 */
export function pipelineStages(stages: readonly Stage[], stageId: number | null): Stage[] {
  const ordered = orderStages(stages);
  const pipelineId = ordered.find((s) => s.id === stageId)?.pipelineId ?? ordered[0]?.pipelineId;
  return ordered.filter((s) => s.pipelineId === pipelineId);
}

/**
 * Where a new opportunity goes when its type is chosen: the first open stage of the
 * pipeline the type starts in (`typePipelineId`, set by the admin), or null when the
 * type names no pipeline, the pipeline has no open stage, or the form is already there.
 */
export function typeStartStage(stages: readonly Stage[], typePipelineId: number | null, stageId: number | null): Stage | null {
  if (typePipelineId === null) return null;
  const current = stages.find((s) => s.id === stageId)?.pipelineId;
  if (current === typePipelineId) return null;
  return orderStages(stages).find((s) => s.pipelineId === typePipelineId && s.kind === "open") ?? null;
}

/** The stage a new opportunity starts in: the first open stage. */
export function initialStage(stages: readonly Stage[]): Stage | null {
  const ordered = orderStages(stages);
  return ordered.find((s) => s.kind === "open") ?? ordered[0] ?? null;
}

export function emptyOpportunityForm(identityId: number, stages: readonly Stage[], assignedUserId: number | null): OpportunityFormState {
  const stage = initialStage(stages);
  return {
    identityId,
    title: "",
    assignedUserId: idText(assignedUserId),
    typeId: "",
    sourceId: "",
    campaignId: "",
    closeDate: null,
    estimatedAmount: "",
    amountIsManual: false,
    probability: stage ? String(probabilityFor(stage, null)) : "",
    probabilityIsManual: false,
    winReasonId: "",
    lossReasonId: "",
    reasonNote: "",
    purchaseProcessId: "",
    wonOn: null,
    lostOn: null,
    customFields: {},
    competitors: [],
    lines: [],
    stageId: stage?.id ?? null,
  };
}

export function formFromDetail(d: OpportunityDetail): OpportunityFormState {
  return {
    identityId: d.identityId,
    title: d.title,
    assignedUserId: idText(d.assignedUserId),
    typeId: idText(d.typeId),
    sourceId: idText(d.sourceId),
    campaignId: idText(d.campaignId),
    closeDate: d.closeDate,
    estimatedAmount: d.estimatedAmount,
    // Without lines the backend always keeps the amount as typed; on this form the
    // amount only counts as hand-set once there are lines to follow.
    amountIsManual: d.lines.length > 0 && d.amountIsManual,
    probability: String(d.probability),
    probabilityIsManual: d.probabilityIsManual,
    winReasonId: idText(d.winReasonId),
    lossReasonId: idText(d.lossReasonId),
    reasonNote: d.reasonNote ?? "",
    purchaseProcessId: idText(d.purchaseProcessId),
    wonOn: d.wonOn,
    lostOn: d.lostOn,
    customFields: Object.fromEntries(d.customFields.map((c) => [c.fieldId, c.value ?? ""])),
    competitors: d.competitors.map((c) => ({ competitorId: c.competitorId, name: c.name, note: c.note ?? "" })),
    lines: d.lines.map((l) => draftFromLine(l)),
    stageId: d.stageId,
  };
}

/** The probability a stage implies: won 100, lost 0, an open stage its default (or the current value when it has none). */
export function probabilityFor(stage: Pick<Stage, "kind" | "defaultProbability">, current: number | null): number {
  if (stage.kind === "won") return 100;
  if (stage.kind === "lost") return 0;
  return stage.defaultProbability ?? current ?? 0;
}

export function stageKindOf(state: Pick<OpportunityFormState, "stageId">, stages: readonly Stage[]): StageKind {
  return stages.find((s) => s.id === state.stageId)?.kind ?? "open";
}

const currentNumber = (text: string): number | null => {
  const n = Number(normalizeDigits(text).trim());
  return text.trim() !== "" && Number.isFinite(n) ? n : null;
};

/** Moves the form to another stage, applying the probability and reason rules. */
export function changeStage(state: OpportunityFormState, stage: Stage, stages: readonly Stage[]): OpportunityFormState {
  if (state.stageId === stage.id) return state;
  const fromKind = stageKindOf(state, stages);
  const next: OpportunityFormState = { ...state, stageId: stage.id };
  if (stage.kind !== "open") {
    // Closing fixes the probability; a hand-set value does not survive it.
    next.probability = String(probabilityFor(stage, null));
    next.probabilityIsManual = false;
  } else if (!state.probabilityIsManual) {
    next.probability = String(probabilityFor(stage, currentNumber(state.probability)));
  }
  if (stage.kind !== "won") next.winReasonId = "";
  if (stage.kind !== "lost") next.lossReasonId = "";
  if (stage.kind !== fromKind) next.reasonNote = "";
  return next;
}

/** The user typed an estimated amount: from now on it is hand-set. */
export function typeAmount(state: OpportunityFormState, value: string): OpportunityFormState {
  return { ...state, estimatedAmount: value, amountIsManual: true };
}

/** Whether field 8 currently follows the lines' final sum. */
export function amountIsAutomatic(state: Pick<OpportunityFormState, "lines" | "amountIsManual">): boolean {
  return state.lines.length > 0 && !state.amountIsManual;
}

/** What becomes of a typed amount when the first product lines arrive. */
export type TypedAmountChoice = "replace" | "keep";

/**
 * The estimated amount the user typed that the first product lines would replace, or
 * null: there are lines already, or the amount is empty or zero. Without lines the
 * amount can only have been typed (the sum of lines that were all removed is zero).
 */
export function typedAmountAtStake(state: Pick<OpportunityFormState, "lines" | "estimatedAmount">): string | null {
  if (state.lines.length > 0) return null;
  const amount = currentNumber(state.estimatedAmount);
  return amount === null || amount === 0 ? null : state.estimatedAmount.trim();
}

/**
 * New product lines; an automatic amount follows their final sum. When the first lines
 * arrive, an amount the user typed (typedAmountAtStake) is replaced by their sum only
 * when `typed` is "replace" (the user answered so); by default it is kept, as a
 * hand-set amount. Nothing typed (empty or zero): the amount follows the lines.
 */
export function setLines(state: OpportunityFormState, lines: LineDraft[], decimals: number, typed: TypedAmountChoice = "keep"): OpportunityFormState {
  const next = { ...state, lines };
  const sum = () => totalsOf(lines, decimals).total;
  if (state.lines.length === 0 && lines.length > 0) {
    const keep = typed === "keep" && typedAmountAtStake(state) !== null;
    return keep ? { ...next, amountIsManual: true } : { ...next, amountIsManual: false, estimatedAmount: sum() };
  }
  return next.amountIsManual ? next : { ...next, estimatedAmount: sum() };
}

/** "Back to automatic": the amount follows the lines' final sum again. */
export function amountBackToAutomatic(state: OpportunityFormState, decimals: number): OpportunityFormState {
  return { ...state, amountIsManual: false, estimatedAmount: totalsOf(state.lines, decimals).total };
}

/** The user typed in the probability box: from now on it is hand-set. */
export function typeProbability(state: OpportunityFormState, text: string): OpportunityFormState {
  return { ...state, probability: text, probabilityIsManual: true };
}

const text = (value: string): string | null => {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
};
const id = (value: string): number | null => (value === "" || !Number.isInteger(Number(value)) ? null : Number(value));

/**
 * The input the backend expects. Custom values are sent for every active field
 * (empty ones as null so the backend can enforce required fields).
 */
export function toOpportunityInput(state: OpportunityFormState, customFieldDefs: readonly Pick<CustomFieldDef, "id" | "active">[]): OpportunityInput {
  const probability = text(normalizeDigits(state.probability).replace(/[%٪]/g, ""));
  return {
    identityId: state.identityId,
    title: state.title.trim(),
    assignedUserId: id(state.assignedUserId),
    typeId: id(state.typeId),
    sourceId: id(state.sourceId),
    campaignId: id(state.campaignId),
    closeDate: state.closeDate,
    estimatedAmount: state.estimatedAmount.trim() === "" ? "0" : state.estimatedAmount.trim(),
    amountIsManual: state.amountIsManual,
    probability,
    probabilityIsManual: state.probabilityIsManual && probability !== null,
    winReasonId: id(state.winReasonId),
    lossReasonId: id(state.lossReasonId),
    reasonNote: text(state.reasonNote),
    purchaseProcessId: id(state.purchaseProcessId),
    wonOn: state.wonOn,
    lostOn: state.lostOn,
    customFields: customFieldDefs
      .filter((d) => d.active)
      .map((d) => ({ fieldId: d.id, value: text(state.customFields[d.id] ?? "") })),
    competitors: state.competitors.map((c) => ({ competitorId: c.competitorId, note: text(c.note) })),
    lines: state.lines.map(toLineInput),
    stageId: state.stageId ?? 0,
  };
}

/** The controls of the form, in screen order (to focus the first one with an error). */
export const OPPORTUNITY_FIELDS = [
  "stageId",
  "identityId",
  "title",
  "assignedUserId",
  "typeId",
  "sourceId",
  "campaignId",
  "closeDate",
  "estimatedAmount",
  "probability",
  "winReasonId",
  "lossReasonId",
  "reasonNote",
  "purchaseProcessId",
  "wonOn",
  "lostOn",
] as const;

const KNOWN = new Set<string>(OPPORTUNITY_FIELDS);

/** The control key of a backend path, or null when the form has no such control. */
export function opportunityFieldFor(field: string): string | null {
  const path = camelPath(field);
  if (KNOWN.has(path)) return path;
  if (/^customFields\.\d+$/.test(path)) return path;
  if (/^competitors\.\d+\.(competitorId|note)$/.test(path)) return path;
  if (path === "competitors") return path;
  if (path === "lines" || /^lines\.\d+\.(productId|quantity|unitPrice|discountKind|discountValue|description|sourceLineId)$/.test(path)) return path;
  return null;
}

/** The errors by control (the form keeps them with useFieldErrors and opportunityFieldFor). */
export function mapOpportunityErrors(errors: readonly FieldError[]): ControlErrors {
  return groupFieldErrors(errors, opportunityFieldFor);
}
