// The opportunity's fields: their catalog keys and their numbers on the form
// (the numbers of the source documentation, 1–19).

import { useTranslation } from "react-i18next";

export const FIELD_LABEL_KEYS = {
  balance: "fields.balance",
  title: "fields.title",
  assignedUserId: "fields.assignedTo",
  typeId: "fields.type",
  sourceId: "fields.source",
  campaignId: "fields.campaign",
  closeDate: "fields.closeDate",
  estimatedAmount: "fields.estimatedAmount",
  probability: "fields.probability",
  winReasonId: "fields.winReason",
  lossReasonId: "fields.lossReason",
  reasonNote: "fields.reasonNote",
  purchaseProcessId: "fields.purchaseProcess",
  wonOn: "fields.wonOn",
  lostOn: "fields.lostOn",
  competitors: "fields.competitors",
  stageId: "fields.stage",
  identityId: "fields.relatedTo",
} as const;

export type LabelledField = keyof typeof FIELD_LABEL_KEYS;

/** A field's label in the current language. */
export function useFieldLabel(): (field: LabelledField) => string {
  const { t } = useTranslation("opportunity");
  return (field) => t(FIELD_LABEL_KEYS[field]);
}

/** The help text (from the source documentation) of each numbered field. */
export const HELP_KEYS = {
  1: "help.f1",
  2: "help.f2",
  3: "help.f3",
  4: "help.f4",
  5: "help.f5",
  6: "help.f6",
  7: "help.f7",
  8: "help.f8",
  9: "help.f9",
  10: "help.f10",
  11: "help.f11",
  12: "help.f12",
  13: "help.f13",
  14: "help.f14",
  15: "help.f15",
  16: "help.f16",
  17: "help.f17",
  18: "help.f18",
  19: "help.f19",
} as const;

export type FieldNumber = keyof typeof HELP_KEYS;
