import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Activity, ActivityKind, ActivityStatus, CallDirection, CallResult } from "../../lib/types";
import { Button } from "../../components/Button";
import { DateInput } from "../../components/DateInput";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import type { FieldError } from "../../lib/types";
import { useAppInfo, useUsers } from "../../shared/lookups";
import { useFieldErrors } from "../../shared/useFieldErrors";
import {
  ACTIVITY_FIELDS,
  ACTIVITY_KINDS,
  CALL_DIRECTIONS,
  CALL_RESULTS,
  REMINDER_CHOICES,
  SUBJECT_MAX,
  activityFieldFor,
  canRemind,
  changeKind,
  changeStatus,
  formFromActivity,
  localActivityErrors,
  presetForm,
  statusesFor,
  toActivityInput,
  type ActivityField,
  type ActivityFormState,
  type ActivityPreset,
} from "./activityModel";
import { useReminderLabel } from "./labels";
import { useSaveActivity } from "./queries";
import "./activities.css";

export type ActivityDialogProps = {
  open: boolean;
  onClose: () => void;
  /** The activity to edit; none (or null) for a new one. */
  activity?: Activity | null;
  /** How a new activity starts (a follow-up unless given). */
  preset?: ActivityPreset;
  /** The opportunity a new activity follows up. */
  opportunityId?: number | null;
  /** The identity a new activity is on (without an opportunity). */
  identityId: number;
  onSaved?: (activity: Activity) => void;
};

const TITLE_KEYS = {
  followup: "dialog.newFollowup",
  reminder: "dialog.newReminder",
  call: "dialog.newCall",
  meeting: "dialog.newMeeting",
  note: "dialog.newNote",
} as const;

/**
 * A new or saved activity in a modal form. The form starts fresh each time it
 * opens; Ctrl+Enter saves; the backend's field errors show on their controls.
 */
export function ActivityDialog(props: ActivityDialogProps) {
  if (!props.open) return null;
  return <ActivityDialogSurface {...props} />;
}

function ActivityDialogSurface({ onClose, activity = null, preset, opportunityId = null, identityId, onSaved }: ActivityDialogProps) {
  const { t } = useTranslation("activities");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const users = useUsers();
  const me = useAppInfo().data?.currentUser ?? null;
  const currentUserId = me?.id ?? null;
  const reminderLabel = useReminderLabel();

  const [form, setForm] = useState<ActivityFormState>(() => (activity ? formFromActivity(activity) : presetForm(preset, { currentUserId })));
  // The signed-in user is known a moment later on a cold start: a new activity is theirs.
  const [defaulted, setDefaulted] = useState(activity !== null || currentUserId !== null);
  if (!defaulted && currentUserId !== null) {
    setDefaulted(true);
    setForm((f) => (f.assignedUserId === "" ? { ...f, assignedUserId: String(currentUserId) } : f));
  }

  const errors = useFieldErrors<ActivityField>(activityFieldFor);
  const [alert, setAlert] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const save = useSaveActivity();

  const set = <K extends keyof ActivityFormState>(key: K, value: ActivityFormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };

  const showErrors = (list: readonly FieldError[]) => {
    const placed = errors.show(list);
    setConflict(false);
    setAlert(tc("errors.validation"));
    const first = ACTIVITY_FIELDS.find((f) => placed.byField[f]);
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus());
  };

  const onError = (error: unknown) => {
    const fields = fieldErrorsOf(error);
    if (fields.length > 0) showErrors(fields);
    else if (appErrorOf(error)?.kind === "conflict") {
      errors.reset();
      setAlert(null);
      setConflict(true);
    } else {
      errors.reset();
      setConflict(false);
      setAlert(describeError(error, tc));
    }
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (save.isPending) return;
    const local = localActivityErrors(form);
    if (local.length > 0) {
      showErrors(local);
      return;
    }
    const target = activity ? { opportunityId: activity.opportunityId, identityId: activity.identityId } : { opportunityId, identityId };
    save.mutate(
      { existing: activity, input: toActivityInput(form, target) },
      {
        onSuccess: (saved) => {
          toast.show(t("saved", { subject: saved.subject }), "success");
          onSaved?.(saved);
          onClose();
        },
        onError,
      },
    );
  };

  const remindable = canRemind(form);
  const isCall = form.kind === "call";
  const title = activity ? t("dialog.edit") : t(TITLE_KEYS[preset ?? "followup"]);

  // Whom it may be for: the active users (a salesperson: themselves), and whoever it is assigned to now.
  const activeUsers = users.data ?? [];
  const choosable = me?.role === "salesperson" ? activeUsers.filter((u) => u.id === me.id) : activeUsers;
  const userOptions = choosable.map((u) => ({ id: String(u.id), name: u.displayName }));
  if (form.assignedUserId !== "" && !userOptions.some((o) => o.id === form.assignedUserId)) {
    const known = activeUsers.find((u) => String(u.id) === form.assignedUserId)?.displayName;
    const name = known ?? (activity && String(activity.assignedUserId) === form.assignedUserId ? activity.assignedUserName : null) ?? (me && String(me.id) === form.assignedUserId ? me.displayName : null);
    userOptions.unshift({ id: form.assignedUserId, name: name ?? t("unknownUser") });
  }

  // A reminder of another length than the choices (set elsewhere) stays choosable.
  const reminderChoices = [...REMINDER_CHOICES];
  const current = form.remindBeforeMinutes === "" ? null : Number(form.remindBeforeMinutes);
  if (current !== null && !reminderChoices.includes(current)) reminderChoices.push(current);
  const reminderHelp = remindable ? null : form.status !== "planned" ? t("reminder.needsPlanned") : t("reminder.needsTime");

  return (
    <Dialog open onClose={onClose} title={title} variant="modal" testId="activity-dialog" className="activity-dialog">
      <form
        ref={formRef}
        className="form"
        onSubmit={submit}
        noValidate
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            formRef.current?.requestSubmit();
          }
        }}
      >
        <div className="form__scroll">
          {conflict ? (
            <div className="banner banner--conflict" role="alert">
              <p>{t("conflict")}</p>
            </div>
          ) : null}
          {alert || errors.unmatched.length > 0 ? (
            <div className="form-alert" role="alert" data-testid="activity-alert">
              {alert ? <p>{alert}</p> : null}
              {errors.unmatched.length > 0 ? (
                <ul>
                  {errors.unmatched.map((fe, i) => (
                    <li key={i}>{errors.describe(fe)}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}

          <div className="form__grid">
            <Field label={t("fields.kind")} className="span-1" error={errors.errorText("kind")}>
              {(p) => (
                <select
                  {...p}
                  className="input"
                  data-field="kind"
                  value={form.kind}
                  onChange={(e) => {
                    setForm((f) => changeKind(f, e.target.value as ActivityKind));
                    for (const key of ["kind", "status", "direction", "callResult", "remindBeforeMinutes"] as const) errors.clear(key);
                  }}
                >
                  {ACTIVITY_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`kind.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("fields.subject")} className="span-3" required error={errors.errorText("subject")}>
              {(p) => (
                <input
                  {...p}
                  className="input"
                  data-field="subject"
                  data-autofocus
                  autoComplete="off"
                  maxLength={SUBJECT_MAX}
                  value={form.subject}
                  onChange={(e) => set("subject", e.target.value)}
                />
              )}
            </Field>

            <Field label={t("fields.assignedTo")} className="span-2" error={errors.errorText("assignedUserId")}>
              {(p) => (
                <select {...p} className="input" data-field="assignedUserId" value={form.assignedUserId} onChange={(e) => set("assignedUserId", e.target.value)}>
                  <option value="">{t("nobody")}</option>
                  {userOptions.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("fields.status")} className="span-2" error={errors.errorText("status")}>
              {(p) => (
                <select
                  {...p}
                  className="input"
                  data-field="status"
                  value={form.status}
                  onChange={(e) => {
                    setForm((f) => changeStatus(f, e.target.value as ActivityStatus));
                    errors.clear("status");
                    errors.clear("remindBeforeMinutes");
                    errors.clear("dueOn");
                  }}
                >
                  {statusesFor(form.kind).map((s) => (
                    <option key={s} value={s}>
                      {t(`status.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>

            <Field label={t("fields.dueOn")} className="span-2" error={errors.errorText("dueOn")}>
              {(p) => <DateInput {...p} data-field="dueOn" value={form.dueOn} onChange={(iso) => set("dueOn", iso)} />}
            </Field>
            <Field label={t("fields.dueTime")} className="span-1" error={errors.errorText("dueTime")}>
              {(p) => (
                <input
                  {...p}
                  className="input activity-dialog__time"
                  data-field="dueTime"
                  dir="ltr"
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder={t("timePlaceholder")}
                  value={form.dueTime}
                  onChange={(e) => {
                    set("dueTime", e.target.value);
                    errors.clear("remindBeforeMinutes");
                  }}
                />
              )}
            </Field>
            <Field label={t("fields.duration")} className="span-1" error={errors.errorText("durationMinutes")}>
              {(p) => (
                <input
                  {...p}
                  className="input"
                  data-field="durationMinutes"
                  dir="ltr"
                  inputMode="numeric"
                  autoComplete="off"
                  value={form.durationMinutes}
                  onChange={(e) => set("durationMinutes", e.target.value)}
                />
              )}
            </Field>

            <Field label={t("fields.reminder")} className="span-2" help={reminderHelp} error={errors.errorText("remindBeforeMinutes")}>
              {(p) => (
                <select
                  {...p}
                  className="input"
                  data-field="remindBeforeMinutes"
                  disabled={!remindable}
                  value={remindable ? form.remindBeforeMinutes : ""}
                  onChange={(e) => set("remindBeforeMinutes", e.target.value)}
                >
                  <option value="">{t("reminder.none")}</option>
                  {reminderChoices.map((m) => (
                    <option key={m} value={String(m)}>
                      {reminderLabel(m)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {isCall ? (
              <>
                <Field label={t("fields.direction")} className="span-1" error={errors.errorText("direction")}>
                  {(p) => (
                    <select {...p} className="input" data-field="direction" value={form.direction} onChange={(e) => set("direction", e.target.value as CallDirection | "")}>
                      <option value="">—</option>
                      {CALL_DIRECTIONS.map((d) => (
                        <option key={d} value={d}>
                          {t(`direction.${d}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t("fields.callResult")} className="span-1" error={errors.errorText("callResult")}>
                  {(p) => (
                    <select {...p} className="input" data-field="callResult" value={form.callResult} onChange={(e) => set("callResult", e.target.value as CallResult | "")}>
                      <option value="">—</option>
                      {CALL_RESULTS.map((r) => (
                        <option key={r} value={r}>
                          {t(`callResult.${r}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </>
            ) : null}

            <Field label={t("fields.outcome")} className="span-4" error={errors.errorText("outcome")}>
              {(p) => <textarea {...p} className="input" data-field="outcome" rows={3} value={form.outcome} onChange={(e) => set("outcome", e.target.value)} />}
            </Field>
          </div>
        </div>
        <div className="form__footer">
          <Button type="submit" variant="primary" busy={save.isPending} data-testid="activity-save" shortcut="Ctrl+Enter" aria-keyshortcuts="Control+Enter">
            {save.isPending ? tc("actions.saving") : tc("actions.save")}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            {tc("actions.cancel")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
