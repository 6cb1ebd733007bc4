import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError } from "../../lib/api";
import { formatDecimal } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { BulkChange, BulkItem, StageKind } from "../../lib/types";
import { useDescribeFieldError } from "../../shared/useFieldErrors";
import { FIELD_LABEL_KEYS, type LabelledField } from "../opportunities/labels";
import type { Lookups } from "./lookups";
import { useBulkUpdate } from "./queries";
import { ReasonFields } from "./ReasonFields";

export type BulkField = "assign" | "stage" | "type" | "source" | "campaign";

const FIELDS: readonly BulkField[] = ["assign", "stage", "type", "source", "campaign"];

export type BulkBarProps = {
  /** Selected ids with the version the list showed, and their titles for messages. */
  selected: ReadonlyMap<number, number>;
  titles: ReadonlyMap<number, string>;
  lookups: Lookups;
  onClear: () => void;
  onDone: () => void;
};

/** Shown while rows are selected: change one field of all of them at once. */
export function BulkBar({ selected, titles, lookups, onClear, onDone }: BulkBarProps) {
  const { t } = useTranslation("pipeline");
  const { language } = useAppSettings();
  const [field, setField] = useState<BulkField | null>(null);
  const n = formatDecimal(String(selected.size), language);
  return (
    <div className="pl-bulk" role="region" aria-label={t("bulk.label")} data-testid="bulk-bar">
      <span className="pl-bulk__count" aria-live="polite">
        {t("bulk.selected", { count: selected.size, n })}
      </span>
      {FIELDS.map((f) => (
        <Button key={f} size="sm" onClick={() => setField(f)} data-testid={`bulk-${f}`}>
          {t(`bulk.fields.${f}`)}
        </Button>
      ))}
      <span className="toolbar__spacer" />
      <Button size="sm" variant="ghost" onClick={onClear}>
        {t("bulk.clear")}
      </Button>
      <Dialog open={field !== null} onClose={() => setField(null)} title={field ? t(`bulk.titles.${field}`, { n }) : ""} variant="modal" testId="bulk-dialog">
        {field ? (
          <BulkForm
            field={field}
            selected={selected}
            titles={titles}
            lookups={lookups}
            onCancel={() => setField(null)}
            onDone={() => {
              setField(null);
              onDone();
            }}
          />
        ) : null}
      </Dialog>
    </div>
  );
}

function BulkForm({ field, selected, titles, lookups, onCancel, onDone }: { field: BulkField; selected: ReadonlyMap<number, number>; titles: ReadonlyMap<number, string>; lookups: Lookups; onCancel: () => void; onDone: () => void }) {
  const { t } = useTranslation("pipeline");
  const { t: tc } = useTranslation("common");
  const { t: to } = useTranslation("opportunity");
  const { language } = useAppSettings();
  const describeField = useDescribeFieldError();
  const toast = useToast();
  const bulk = useBulkUpdate();
  const [value, setValue] = useState("");
  const [reason, setReason] = useState<{ reasonId: number | null; note: string }>({ reasonId: null, note: "" });
  const [problem, setProblem] = useState<string | null>(null);
  const [tried, setTried] = useState(false);

  const stageKind: StageKind | null = field === "stage" ? (lookups.stages.find((s) => String(s.id) === value)?.kind ?? null) : null;
  const needsReason = stageKind === "won" || stageKind === "lost";
  const items: BulkItem[] = [...selected].map(([id, version]) => ({ id, version }));

  let options: { value: string; label: string }[] = [];
  if (field === "assign") options = [{ value: "none", label: t("bulk.unassign") }, ...lookups.users.filter((u) => u.active).map((u) => ({ value: String(u.id), label: u.displayName }))];
  if (field === "stage") options = lookups.stages.filter((s) => s.active).map((s) => ({ value: String(s.id), label: localTitle(s, language) }));
  if (field === "type") options = lookups.types.filter((i) => i.active).map((i) => ({ value: String(i.id), label: localTitle(i, language) }));
  if (field === "source") options = lookups.sources.filter((i) => i.active).map((i) => ({ value: String(i.id), label: localTitle(i, language) }));
  if (field === "campaign") options = [{ value: "none", label: t("bulk.noCampaign") }, ...lookups.campaigns.filter((c) => c.active).map((c) => ({ value: String(c.id), label: c.name }))];

  const change = (): BulkChange => {
    const id = value === "none" ? null : Number(value);
    switch (field) {
      case "assign":
        return { assign: { userId: id } };
      case "stage":
        return { stageId: id, reasonId: needsReason ? reason.reasonId : null, reasonNote: needsReason && reason.note.trim() ? reason.note.trim() : null };
      case "type":
        return { typeId: id };
      case "source":
        return { sourceId: id };
      case "campaign":
        return { campaign: { campaignId: id } };
    }
  };

  /** A refusal in plain words: which opportunity, which field, why. */
  const explain = (error: unknown): string => {
    const appError = appErrorOf(error);
    if (appError?.kind === "conflict") return t("bulk.conflict");
    if (appError?.kind === "validation") {
      return appError.fields
        .map((fe) => {
          const m = /^items\.(\d+)\.(.+)$/.exec(fe.field);
          const item = m ? items[Number(m[1])] : undefined;
          const name = m ? m[2] : fe.field;
          const key = (name === "reasonId" ? (stageKind === "won" ? "winReasonId" : "lossReasonId") : name) as LabelledField;
          const label = FIELD_LABEL_KEYS[key] ? to(FIELD_LABEL_KEYS[key] as "fields.title") : t("bulk.fields.generic");
          const message = describeField(fe);
          const title = item ? titles.get(item.id) : undefined;
          return title ? t("bulk.refusedOne", { title, field: label, message }) : t("bulk.refused", { field: label, message });
        })
        .join(" ");
    }
    return describeError(error, tc);
  };

  const submit = () => {
    setTried(true);
    setProblem(null);
    if (value === "" || (needsReason && reason.reasonId === null)) return;
    bulk.mutate(
      { items, change: change() },
      {
        onSuccess: (result) => {
          toast.show(t("bulk.updated", { count: result.updated, n: formatDecimal(String(result.updated), language) }), "success");
          onDone();
        },
        onError: (error) => setProblem(explain(error)),
      },
    );
  };

  return (
    <form
      className="form pl-bulk-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Field label={t(`bulk.fields.${field}`)} required error={tried && value === "" ? tc("validation.required") : null}>
        {(p) => (
          <select {...p} className="input" value={value} onChange={(e) => setValue(e.target.value)} data-autofocus data-testid="bulk-value">
            <option value="">{t("bulk.choose")}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {needsReason && stageKind ? <ReasonFields kind={stageKind} value={reason} onChange={setReason} error={tried && reason.reasonId === null ? tc("validation.required") : null} /> : null}
      <p className="muted">{t("bulk.confirmText", { count: selected.size, n: formatDecimal(String(selected.size), language) })}</p>
      {problem ? (
        <p className="form-alert" role="alert" data-testid="bulk-error">
          {problem}
        </p>
      ) : null}
      <div className="dialog__actions">
        <Button onClick={onCancel}>{tc("actions.cancel")}</Button>
        <Button type="submit" variant="primary" busy={bulk.isPending} data-testid="bulk-apply">
          {t("bulk.apply", { count: selected.size, n: formatDecimal(String(selected.size), language) })}
        </Button>
      </div>
    </form>
  );
}
