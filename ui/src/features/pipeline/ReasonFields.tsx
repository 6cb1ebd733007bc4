import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { localTitle } from "../../lib/titles";
import type { StageKind } from "../../lib/types";
import { useSystemItems } from "../../shared/lookups";

export type Reason = { reasonId: number; reasonNote: string | null };

/** The win or loss reason (from the system lists) and an optional note. */
export function ReasonFields({ kind, value, onChange, error }: { kind: StageKind; value: { reasonId: number | null; note: string }; onChange: (v: { reasonId: number | null; note: string }) => void; error?: string | null }) {
  const { t } = useTranslation("pipeline");
  const { language } = useAppSettings();
  const reasons = useSystemItems(kind === "won" ? "win_reason" : "loss_reason");
  return (
    <>
      <Field label={t(kind === "won" ? "reason.win" : "reason.loss")} required error={error ?? null}>
        {(p) => (
          <select {...p} className="input" value={value.reasonId ?? ""} onChange={(e) => onChange({ ...value, reasonId: e.target.value === "" ? null : Number(e.target.value) })} data-autofocus>
            <option value="">{t("reason.choose")}</option>
            {(reasons.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {localTitle(r, language)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("reason.note")}>
        {(p) => <textarea {...p} className="input" rows={3} maxLength={2000} value={value.note} onChange={(e) => onChange({ ...value, note: e.target.value })} />}
      </Field>
    </>
  );
}

export type ReasonDialogProps = {
  open: boolean;
  kind: StageKind;
  /** The opportunity's title and the stage it goes to, for the question. */
  title: string;
  stageName: string;
  onCancel: () => void;
  onConfirm: (reason: Reason) => void;
};

/** Asked before a card lands on won or lost: why? Escape or Cancel leaves it where it was. */
export function ReasonDialog({ open, kind, title, stageName, onCancel, onConfirm }: ReasonDialogProps) {
  const { t } = useTranslation("pipeline");
  return (
    <Dialog open={open} onClose={onCancel} title={t(kind === "won" ? "reason.titleWon" : "reason.titleLost")} variant="modal" testId="reason-dialog">
      <ReasonForm kind={kind} title={title} stageName={stageName} onCancel={onCancel} onConfirm={onConfirm} />
    </Dialog>
  );
}

function ReasonForm({ kind, title, stageName, onCancel, onConfirm }: Omit<ReasonDialogProps, "open">) {
  const { t } = useTranslation("pipeline");
  const { t: tc } = useTranslation("common");
  const [value, setValue] = useState<{ reasonId: number | null; note: string }>({ reasonId: null, note: "" });
  return (
    <form
      className="form pl-reason"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.reasonId !== null) onConfirm({ reasonId: value.reasonId, reasonNote: value.note.trim() === "" ? null : value.note.trim() });
      }}
    >
      <p>
        <Trans t={t} i18nKey="reason.question" values={{ title, stage: stageName }} components={{ b: <bdi /> }} />
      </p>
      <ReasonFields kind={kind} value={value} onChange={setValue} />
      <div className="dialog__actions">
        <Button onClick={onCancel}>{tc("actions.cancel")}</Button>
        {/* Not before a reason is chosen: the required reason is what this step is for. */}
        <Button type="submit" variant="primary" disabled={value.reasonId === null} data-testid="reason-confirm">
          {t(kind === "won" ? "reason.confirmWon" : "reason.confirmLost")}
        </Button>
      </div>
    </form>
  );
}
