// Backend field errors onto a form's controls. A validation AppError names each
// field by its path in the input ("title", "lines.2.quantity", "type_id"); a form
// says which of its controls shows each path, or that none does (the error is then
// listed in the form's summary). The first error of a control wins.

import type { FieldError } from "../lib/types";

/** A path in the forms' spelling: "addresses.0.postal_code" → "addresses.0.postalCode". */
export function camelPath(field: string): string {
  return field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Which control shows a backend path (`field`), or null when the form has none for it. */
export type ControlFor<K extends string = string> = (field: string) => K | null;

/** A field error and the control that shows it (null: none does). */
export type PlacedError<K extends string = string> = { error: FieldError; control: K | null };

/** Field errors by control. */
export type ControlErrors<K extends string = string> = {
  byField: Partial<Record<K, FieldError>>;
  /** Errors no control shows; listed in the form's summary. */
  unmatched: FieldError[];
};

export function placeFieldErrors<K extends string>(errors: readonly FieldError[], controlFor: ControlFor<K>): PlacedError<K>[] {
  return errors.map((error) => ({ error, control: controlFor(error.field) }));
}

export function byControl<K extends string>(placed: readonly PlacedError<K>[]): ControlErrors<K> {
  const byField: Partial<Record<K, FieldError>> = {};
  const unmatched: FieldError[] = [];
  for (const { error, control } of placed) {
    if (control === null) unmatched.push(error);
    else if (!byField[control]) byField[control] = error;
  }
  return { byField, unmatched };
}

/** The errors by the control that shows each one; the first error of a control wins. */
export function groupFieldErrors<K extends string>(errors: readonly FieldError[], controlFor: ControlFor<K>): ControlErrors<K> {
  return byControl(placeFieldErrors(errors, controlFor));
}
