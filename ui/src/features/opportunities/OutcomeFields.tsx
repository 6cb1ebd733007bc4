import type { StageKind } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Field } from "../../components/Field";
import { formatDate } from "../../lib/format";
import { useAllSystemItems } from "../../shared/lookups";
import { useFieldLabel } from "./labels";
import type { SectionProps } from "./sectionProps";
import { SystemItemSelect } from "./SystemItemSelect";

export type OutcomeFieldsProps = Omit<SectionProps, "change"> & {
  /** The kind of the stage the form is in: the win reason only while won, the loss reason only while lost. */
  kind: StageKind;
};

/** 10 and 12: why the opportunity was won or lost, and when (fields of the specifications grid). */
export function OutcomeFields({ kind, form, set, errorText, num, tip }: OutcomeFieldsProps) {
  const { language, calendar } = useAppSettings();
  const label = useFieldLabel();
  const winReasons = useAllSystemItems("win_reason");
  const lossReasons = useAllSystemItems("loss_reason");
  const won = kind === "won";
  const lost = kind === "lost";
  const closed = won || lost;

  return (
    <>
      <Field label={label("winReasonId")} badge={num(10)} tip={tip(10)} required={won} error={errorText("winReasonId")} className="span-2">
        {(p) => <SystemItemSelect {...p} field="winReasonId" items={winReasons.data} value={form.winReasonId} onChange={(v) => set("winReasonId", v)} disabled={!won} required={won} />}
      </Field>
      <Field label={label("lossReasonId")} badge={num(10)} tip={tip(10)} required={lost} error={errorText("lossReasonId")} className="span-2">
        {(p) => <SystemItemSelect {...p} field="lossReasonId" items={lossReasons.data} value={form.lossReasonId} onChange={(v) => set("lossReasonId", v)} disabled={!lost} required={lost} />}
      </Field>
      <Field label={label("reasonNote")} error={errorText("reasonNote")} className="span-4">
        {(p) => <textarea {...p} data-field="reasonNote" className="input" rows={2} disabled={!closed} value={form.reasonNote} onChange={(e) => set("reasonNote", e.target.value)} />}
      </Field>

      <Field label={label("wonOn")} badge={num(12)} tip={tip(12)} error={errorText("wonOn")} className="span-2">
        {(p) => <input {...p} data-field="wonOn" className="input" disabled value={formatDate(form.wonOn, calendar, language)} />}
      </Field>
      <Field label={label("lostOn")} badge={num(12)} tip={tip(12)} error={errorText("lostOn")} className="span-2">
        {(p) => <input {...p} data-field="lostOn" className="input" disabled value={formatDate(form.lostOn, calendar, language)} />}
      </Field>
    </>
  );
}
