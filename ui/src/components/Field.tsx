import { useId, type ReactNode } from "react";

/** Props a Field hands to its control so the control is labelled and described. */
export type FieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
};

export type FieldProps = {
  label: string;
  /** Help text shown under the control. */
  help?: ReactNode;
  /** Error message shown under the control (replaces nothing; help stays). */
  error?: string | null;
  /** A non-blocking warning shown under the control (e.g. a possible duplicate). */
  warning?: ReactNode;
  /**
   * A longer help text shown only while the field is hovered or focused (a tooltip),
   * still linked to the control with aria-describedby.
   */
  tip?: ReactNode;
  /** Shown beside the label, outside it (e.g. a field-number badge); keep it aria-hidden. */
  badge?: ReactNode;
  /** Marks the field as required with a visual asterisk (outside the label text). */
  required?: boolean;
  /** Use a fixed id instead of a generated one. */
  id?: string;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
};

/**
 * Label + control + help + error. The control's accessible name is exactly the
 * visible label (label[for]), and help/error are linked with aria-describedby.
 */
export function Field({ label, help, tip, badge, required, error, warning, id: fixedId, className, children }: FieldProps) {
  const generated = useId();
  const id = fixedId ?? `f${generated.replace(/:/g, "")}`;
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const warningId = warning ? `${id}-warning` : undefined;
  const tipId = tip ? `${id}-tip` : undefined;
  const describedBy = [errorId, warningId, helpId, tipId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={["field", error ? "field--invalid" : "", tip ? "field--tip" : "", className ?? ""].filter(Boolean).join(" ")}>
      {badge || required ? (
        <div className="field__head">
          {badge}
          <label className="field__label" htmlFor={id}>
            {label}
          </label>
          {required ? (
            <span className="field__required" aria-hidden="true">
              *
            </span>
          ) : null}
        </div>
      ) : (
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      )}
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {help ? (
        <p className="field__help" id={helpId}>
          {help}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      {warning ? (
        <p className="field__warning" id={warningId} role="status">
          {warning}
        </p>
      ) : null}
      {tip ? (
        <p className="field__tip" id={tipId} role="tooltip">
          {tip}
        </p>
      ) : null}
    </div>
  );
}

export type CheckboxProps = {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
  disabled?: boolean;
  /** The id of a help line under it (aria-describedby). */
  describedBy?: string;
  testId?: string;
};

/** A checkbox whose accessible name is its visible label. */
export function Checkbox({ label, checked, onChange, name, disabled, describedBy, testId }: CheckboxProps) {
  return (
    <label className="check">
      <input type="checkbox" name={name} checked={checked} disabled={disabled} aria-describedby={describedBy} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span>{label}</span>
    </label>
  );
}

export type SegmentedOption<T extends string> = { value: T; label: string };

export type SegmentedProps<T extends string> = {
  legend: string;
  /** Hide the legend visually (it stays the group's accessible name). */
  hideLegend?: boolean;
  name: string;
  value: T;
  options: readonly SegmentedOption<T>[];
  onChange: (value: T) => void;
  testId?: string;
};

/** A radio group drawn as a segmented switch. */
export function Segmented<T extends string>({ legend, hideLegend, name, value, options, onChange, testId }: SegmentedProps<T>) {
  return (
    <fieldset className="segmented" data-testid={testId}>
      <legend className={hideLegend ? "visually-hidden" : "field__label"}>{legend}</legend>
      <div className="segmented__options">
        {options.map((o) => (
          <label key={o.value} className={o.value === value ? "segmented__option is-active" : "segmented__option"}>
            <input type="radio" name={name} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
