// The opportunity form's edits put on top of a newer version someone else saved
// (shared/rebase.ts does the three-way merge; this says what the fields are).
// Fields are compared as they would be sent (toOpportunityInput), so typing a
// value back to what it was counts as no change. Coupled values travel together:
// the amount with its automatic / hand-set flag, the probability with its flag.
// The win / loss dates are the backend's (read-only): they always come from theirs.

import type { Stage } from "../../lib/types";
import { rebase, type RebaseField, type RebaseResult } from "../../shared/rebase";
import { stageKindOf, toOpportunityInput, type OpportunityFormState } from "./formModel";

type S = OpportunityFormState;

const sent = (s: S) => toOpportunityInput(s, []);

/** A field read from what would be sent, copied as the listed state keys. */
function field(key: string, read: (input: ReturnType<typeof sent>) => unknown, copies: readonly (keyof S)[]): RebaseField<S> {
  return {
    key,
    read: (s) => read(sent(s)),
    take: (into, from) => {
      const next = { ...into };
      for (const k of copies) (next as Record<string, unknown>)[k] = from[k];
      return next;
    },
  };
}

const simple = (key: keyof ReturnType<typeof sent> & keyof S) => field(key, (input) => input[key], [key]);

function customField(id: number): RebaseField<S> {
  const value = (s: S) => (s.customFields[id] ?? "").trim();
  return {
    key: `customFields.${id}`,
    read: value,
    take: (into, from) => ({ ...into, customFields: { ...into.customFields, [id]: from.customFields[id] ?? "" } }),
  };
}

/** The fields of the form in screen order; custom fields by the ids any of the versions holds. */
export function opportunityRebaseFields(...states: S[]): RebaseField<S>[] {
  const customIds = [...new Set(states.flatMap((s) => Object.keys(s.customFields).map(Number)))].sort((a, b) => a - b);
  return [
    simple("stageId"),
    simple("identityId"),
    simple("title"),
    simple("assignedUserId"),
    simple("typeId"),
    simple("sourceId"),
    simple("campaignId"),
    simple("closeDate"),
    field("estimatedAmount", (i) => [i.estimatedAmount, i.amountIsManual], ["estimatedAmount", "amountIsManual"]),
    field("probability", (i) => [i.probability, i.probabilityIsManual], ["probability", "probabilityIsManual"]),
    simple("winReasonId"),
    simple("lossReasonId"),
    simple("reasonNote"),
    simple("purchaseProcessId"),
    simple("wonOn"),
    simple("lostOn"),
    ...customIds.map(customField),
    field("competitors", (i) => i.competitors, ["competitors"]),
    field("lines", (i) => i.lines, ["lines"]),
  ];
}

/**
 * Mine (edited from `base`) on top of theirs. `stages` (inactive ones too) give the
 * merged stage's kind, whose rules then hold: a reason only for its outcome, the
 * probability fixed once closed, no reason note while open.
 */
export function rebaseOpportunity(base: S, mine: S, theirs: S, stages: readonly Stage[]): RebaseResult<S> {
  const result = rebase(base, mine, theirs, opportunityRebaseFields(base, mine, theirs));
  const merged = { ...result.merged };
  const kind = stageKindOf(merged, stages);
  if (kind !== "won") merged.winReasonId = "";
  if (kind !== "lost") merged.lossReasonId = "";
  if (kind === "open") merged.reasonNote = "";
  else {
    merged.probability = kind === "won" ? "100" : "0";
    merged.probabilityIsManual = false;
  }
  return { ...result, merged };
}
