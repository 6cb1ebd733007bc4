// The financial record form's edits put on top of a newer version someone else
// saved (shared/rebase.ts does the three-way merge). Fields are compared as they
// would be sent (toFinancialInput); the kind, the identity and the opportunity
// cannot change on the form.

import { rebase, type RebaseField, type RebaseResult } from "../../shared/rebase";
import { toFinancialInput, type FinancialFormState } from "./formModel";

type S = FinancialFormState;
type Sent = ReturnType<typeof toFinancialInput>;

const field = <K extends keyof Sent & keyof S>(key: K): RebaseField<S> => ({
  key,
  read: (s) => toFinancialInput(s)[key],
  take: (into, from) => ({ ...into, [key]: from[key] }),
});

/** The form's fields in screen order. */
export const FINANCIAL_REBASE_FIELDS: readonly RebaseField<S>[] = [
  field("parentRecordId"),
  field("title"),
  field("issueDate"),
  field("expiryDate"),
  field("contractKind"),
  field("amount"),
  field("method"),
  field("referenceNo"),
  field("startDate"),
  field("endDate"),
  field("description"),
  field("lines"),
];

/** Mine (edited from `base`) on top of theirs. */
export function rebaseFinancial(base: S, mine: S, theirs: S): RebaseResult<S> {
  return rebase(base, mine, theirs, FINANCIAL_REBASE_FIELDS);
}
