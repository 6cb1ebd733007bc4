import type { ReactNode } from "react";
import type { OpportunityFormState } from "./formModel";
import type { FieldNumber } from "./labels";

/** What the opportunity form gives each of its sections. */
export type SectionProps = {
  form: OpportunityFormState;
  /** Sets one field and forgets its error. */
  set: <K extends keyof OpportunityFormState>(key: K, value: OpportunityFormState[K]) => void;
  /** Applies a rule of the form model (formModel.ts) and forgets the errors of the controls named in `clear`. */
  change: (update: (form: OpportunityFormState) => OpportunityFormState, ...clear: string[]) => void;
  /** The message of a backend error on a control ("title", "customFields.7"), if any. */
  errorText: (key: string) => string | null;
  /** A field's number badge (shown while field numbers are switched on). */
  num: (n: FieldNumber) => ReactNode;
  /** A field's help text. */
  tip: (n: FieldNumber) => string;
};
