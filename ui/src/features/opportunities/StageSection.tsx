import type { ReactNode } from "react";
import type { Stage } from "../../lib/types";
import { useFieldLabel, type FieldNumber } from "./labels";
import { StageBar } from "./StageBar";

export type StageSectionProps = {
  /** The form's id prefix. */
  uid: string;
  /** Active stages in bar order. */
  stages: Stage[];
  value: number | null;
  error: string | null;
  num: (n: FieldNumber) => ReactNode;
  tip: (n: FieldNumber) => string;
  onChange: (stage: Stage) => void;
};

/** 19 — the sales stage, as the chevron bar. */
export function StageSection({ uid, stages, value, error, num, tip, onChange }: StageSectionProps) {
  const label = useFieldLabel();
  const labelId = `${uid}-stage-label`;
  const helpId = `${uid}-stage-help`;
  const errorId = `${uid}-stage-error`;
  return (
    <section className="card form-card stage-section" aria-labelledby={labelId}>
      <div className="field__head">
        {num(19)}
        <h2 className="form__section-title" id={labelId}>
          {label("stageId")}
        </h2>
      </div>
      <StageBar
        label={label("stageId")}
        stages={stages}
        value={value}
        describedBy={[error ? errorId : null, helpId].filter(Boolean).join(" ")}
        invalid={!!error}
        onChange={onChange}
      />
      <p className="visually-hidden" id={helpId}>
        {tip(19)}
      </p>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </section>
  );
}
