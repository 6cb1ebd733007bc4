import { useEffect, useRef, type ReactNode } from "react";

export type PopoverProps = {
  /** The button's text. */
  label: ReactNode;
  /** The button's accessible name when the text alone does not say enough. */
  ariaLabel?: string;
  className?: string;
  panelClassName?: string;
  children: ReactNode;
  testId?: string;
  /** Marks the button as holding a value (a chosen filter). */
  active?: boolean;
};

/**
 * A button that opens a small panel under it (a disclosure: <details>). It closes
 * on Escape, and on a click outside it.
 */
export function Popover({ label, ariaLabel, className, panelClassName, children, testId, active }: PopoverProps) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const el = ref.current;
      if (el?.open && e.target instanceof Node && !el.contains(e.target)) el.open = false;
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, []);
  return (
    <details
      ref={ref}
      className={["popover", active ? "is-active" : "", className ?? ""].filter(Boolean).join(" ")}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === "Escape" && ref.current?.open) {
          e.preventDefault();
          e.stopPropagation();
          ref.current.open = false;
          ref.current.querySelector("summary")?.focus();
        }
      }}
    >
      <summary className="popover__button btn btn--secondary btn--sm" aria-label={ariaLabel}>
        {label}
        <span className="popover__caret" aria-hidden="true">
          ▾
        </span>
      </summary>
      <div className={["popover__panel", panelClassName ?? ""].filter(Boolean).join(" ")}>{children}</div>
    </details>
  );
}

export type MultiOption = { value: string; label: string };

export type MultiSelectProps = {
  label: string;
  options: readonly MultiOption[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  /** Shown when nothing is chosen ("Any"). */
  anyText: string;
  /** "{{count}} chosen" text for more than one choice. */
  countText: (count: number) => string;
  testId?: string;
};

/** A filter button listing checkboxes; its text says what is chosen. */
export function MultiSelect({ label, options, selected, onChange, anyText, countText, testId }: MultiSelectProps) {
  const chosen = options.filter((o) => selected.includes(o.value));
  const summary = chosen.length === 0 ? anyText : chosen.length === 1 ? (chosen[0]?.label ?? "") : countText(chosen.length);
  return (
    <Popover
      label={
        <>
          <span className="popover__name">{label}</span>
          <span className="popover__value">{summary}</span>
        </>
      }
      ariaLabel={`${label}: ${summary}`}
      active={chosen.length > 0}
      testId={testId}
    >
      <fieldset className="multi">
        <legend className="visually-hidden">{label}</legend>
        {options.map((o) => (
          <label key={o.value} className="check multi__option">
            <input
              type="checkbox"
              checked={selected.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...selected, o.value] : selected.filter((v) => v !== o.value))}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </fieldset>
    </Popover>
  );
}
