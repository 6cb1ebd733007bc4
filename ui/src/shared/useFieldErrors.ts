// The field-error state of a form: backend (or local) validation errors placed on
// the controls that show them, their sentences in the current language, and
// forgetting them as the user edits.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../app/settings";
import { describeFieldError } from "../lib/api";
import { formatDecimal } from "../lib/format";
import type { FieldError } from "../lib/types";
import { byControl, placeFieldErrors, type ControlFor, type PlacedError } from "./fieldErrors";

/** One field error in words, with min / max in the language's digits. */
export function useDescribeFieldError(): (error: FieldError) => string {
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  return (error) => describeFieldError(error, tc, (v) => formatDecimal(v, language));
}

export type FieldErrors<K extends string = string> = {
  /** The first error of each control. */
  byField: Partial<Record<K, FieldError>>;
  /** Errors no control shows; listed in the form's summary. */
  unmatched: FieldError[];
  /** Every error still standing, in the order they came. */
  all: FieldError[];
  /** The sentence for a control's error, or null. */
  errorText: (key: K) => string | null;
  /** The sentence for any one field error. */
  describe: (error: FieldError) => string;
  /** Shows these errors instead of the current ones; returns where they landed (to focus the first). */
  show: (errors: readonly FieldError[]) => { byField: Partial<Record<K, FieldError>>; unmatched: FieldError[] };
  /** Forgets a control's errors (when the user edits it). */
  clear: (key: K) => void;
  /** Forgets the errors of every control whose key passes `test` (rows were added, removed or moved). */
  clearWhere: (test: (key: K) => boolean) => void;
  reset: () => void;
};

/**
 * Field errors of a form. `controlFor` says which control shows a backend path
 * (null: none, the error goes to the summary); it is applied when errors are shown.
 */
export function useFieldErrors<K extends string = string>(controlFor: ControlFor<K>): FieldErrors<K> {
  const describe = useDescribeFieldError();
  const [placed, setPlaced] = useState<PlacedError<K>[]>([]);
  const { byField, unmatched } = byControl(placed);

  return {
    byField,
    unmatched,
    all: placed.map((p) => p.error),
    errorText: (key) => {
      const error = byField[key];
      return error ? describe(error) : null;
    },
    describe,
    show: (errors) => {
      const next = placeFieldErrors(errors, controlFor);
      setPlaced(next);
      return byControl(next);
    },
    clear: (key) => setPlaced((list) => (list.some((p) => p.control === key) ? list.filter((p) => p.control !== key) : list)),
    clearWhere: (test) => setPlaced((list) => list.filter((p) => p.control === null || !test(p.control))),
    reset: () => setPlaced([]),
  };
}
