import { useRef, useState, type KeyboardEvent } from "react";
import type { Stage } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { localTitle } from "../../lib/titles";

export type StageBarProps = {
  /** Accessible name of the group ("Sales stage"). */
  label: string;
  stages: readonly Stage[];
  value: number | null;
  onChange: (stage: Stage) => void;
  /** Ids for aria-describedby (help, error). */
  describedBy?: string;
  invalid?: boolean;
};

/**
 * 19 — the sales stage as a chevron bar in stage order, pointing the reading
 * direction. A radio group: arrow keys move between the chevrons (following the
 * reading direction), Enter or Space picks the focused one, a click picks too.
 */
export function StageBar({ label, stages, value, onChange, describedBy, invalid }: StageBarProps) {
  const { language } = useAppSettings();
  const refs = useRef<(HTMLDivElement | null)[]>([]);
  const selectedIndex = stages.findIndex((s) => s.id === value);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const tabStop = focusIndex ?? (selectedIndex >= 0 ? selectedIndex : 0);

  const move = (index: number) => {
    const next = (index + stages.length) % stages.length;
    setFocusIndex(next);
    refs.current[next]?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>, index: number) => {
    const rtl = getComputedStyle(e.currentTarget).direction === "rtl";
    const forward = rtl ? "ArrowLeft" : "ArrowRight";
    const backward = rtl ? "ArrowRight" : "ArrowLeft";
    const stage = stages[index];
    if (e.key === forward || e.key === "ArrowDown") move(index + 1);
    else if (e.key === backward || e.key === "ArrowUp") move(index - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(stages.length - 1);
    else if ((e.key === "Enter" || e.key === " ") && stage) onChange(stage);
    else return;
    e.preventDefault();
  };

  return (
    <div
      className={invalid ? "stage-bar is-invalid" : "stage-bar"}
      role="radiogroup"
      aria-label={label}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      data-testid="stage-bar"
      data-field="stageId"
    >
      {stages.map((stage, index) => {
        const checked = stage.id === value;
        const passed = selectedIndex >= 0 && index < selectedIndex && stage.kind === "open";
        const classes = [
          "stage-bar__step",
          `stage-bar__step--${stage.kind}`,
          checked ? "is-current" : "",
          passed ? "is-passed" : "",
          index === 0 ? "is-first" : "",
          index === stages.length - 1 ? "is-last" : "",
        ]
          .filter(Boolean)
          .join(" ");
        return (
          <div
            key={stage.id}
            ref={(el) => {
              refs.current[index] = el;
            }}
            role="radio"
            aria-checked={checked}
            tabIndex={index === tabStop ? 0 : -1}
            className={classes}
            data-testid={`stage-${stage.key}`}
            data-kind={stage.kind}
            onClick={() => {
              setFocusIndex(index);
              onChange(stage);
            }}
            onKeyDown={(e) => onKeyDown(e, index)}
            onFocus={() => setFocusIndex(index)}
          >
            <span className="stage-bar__label">{localTitle(stage, language)}</span>
          </div>
        );
      })}
    </div>
  );
}
