// The activity dialog's state and what it sends: the form as typed (texts for
// numbers and the time, so half-typed values stay), the presets of the record
// pages' quick actions, and where the backend's field errors show.

import { normalizeDigits } from "../../lib/format";
import { currentTimeZone, isoDateIn } from "../../lib/clock";
import type { Activity, ActivityInput, ActivityKind, ActivityStatus, CallDirection, CallResult, FieldError } from "../../lib/types";
import { camelPath } from "../../shared/fieldErrors";

export const ACTIVITY_KINDS: readonly ActivityKind[] = ["task", "call", "meeting", "note"];
export const ACTIVITY_STATUSES: readonly ActivityStatus[] = ["planned", "done", "cancelled"];
export const CALL_DIRECTIONS: readonly CallDirection[] = ["outgoing", "incoming"];
export const CALL_RESULTS: readonly CallResult[] = ["reached", "no_answer", "busy", "voicemail", "wrong_number"];

/** The reminder choices, in minutes before the due time (0: at the time). */
export const REMINDER_CHOICES: readonly number[] = [0, 5, 15, 30, 60, 1440];

/** The longest duration the backend takes (a week, in minutes). */
export const DURATION_MAX = 7 * 24 * 60;
/** The longest subject the backend takes. */
export const SUBJECT_MAX = 300;

export type ActivityPreset = "followup" | "reminder" | "call" | "meeting" | "note";

/** The controls of the dialog, named like the input's fields (their data-field). */
export const ACTIVITY_FIELDS = [
  "kind",
  "subject",
  "assignedUserId",
  "dueOn",
  "dueTime",
  "durationMinutes",
  "remindBeforeMinutes",
  "status",
  "direction",
  "callResult",
  "outcome",
] as const;

export type ActivityField = (typeof ACTIVITY_FIELDS)[number];

export type ActivityFormState = {
  kind: ActivityKind;
  subject: string;
  /** A user id as text; "" for nobody. */
  assignedUserId: string;
  /** ISO date, or null. */
  dueOn: string | null;
  /** As typed ("9:30", "۰۹:۳۰"); "" for none. */
  dueTime: string;
  /** Minutes as typed; "" for none. */
  durationMinutes: string;
  /** Minutes before the due time as text ("0": at the time); "" for no reminder. */
  remindBeforeMinutes: string;
  status: ActivityStatus;
  direction: CallDirection | "";
  callResult: CallResult | "";
  outcome: string;
};

/** What the activity is on: its opportunity, else its identity. */
export type ActivityTarget = { opportunityId: number | null; identityId: number };

export function emptyActivityForm(currentUserId: number | null): ActivityFormState {
  return {
    kind: "task",
    subject: "",
    assignedUserId: currentUserId !== null ? String(currentUserId) : "",
    dueOn: null,
    dueTime: "",
    durationMinutes: "",
    remindBeforeMinutes: "",
    status: "planned",
    direction: "",
    callResult: "",
    outcome: "",
  };
}

/** The ISO date `days` after `iso`. */
export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The wall-clock hour and minute of an instant in `timeZone` (default: the zone in force). */
export function clockIn(instant: Date, timeZone?: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: timeZone ?? currentTimeZone(), hour: "2-digit", minute: "2-digit", hourCycle: "h23", numberingSystem: "latn" }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  return { hour: get("hour") % 24, minute: get("minute") };
}

/**
 * The next full quarter hour after `now` in the zone (10:07 → 10:15, 10:15 → 10:30):
 * its day (tomorrow after 23:45) and "HH:MM".
 */
export function nextQuarterHour(now: Date, timeZone?: string): { dueOn: string; dueTime: string } {
  const today = isoDateIn(now, timeZone);
  const { hour, minute } = clockIn(now, timeZone);
  const total = (Math.floor((hour * 60 + minute) / 15) + 1) * 15;
  if (total >= 24 * 60) return { dueOn: addDays(today, 1), dueTime: "00:00" };
  return { dueOn: today, dueTime: `${pad2(Math.floor(total / 60))}:${pad2(total % 60)}` };
}

export type PresetContext = {
  currentUserId: number | null;
  /** "Now" (tests pass a fixed one). */
  now?: Date;
  /** The zone "today" is taken in (default: the zone in force). */
  timeZone?: string;
};

/**
 * A new activity's form for a quick action: a follow-up is a task due tomorrow; a
 * reminder a task due at the next full quarter hour today with a reminder at the
 * time; a phone call an outgoing call due today; a meeting is due tomorrow; a note
 * records what happened (done, today).
 */
export function presetForm(preset: ActivityPreset | undefined, { currentUserId, now = new Date(), timeZone }: PresetContext): ActivityFormState {
  const base = emptyActivityForm(currentUserId);
  const today = isoDateIn(now, timeZone);
  switch (preset) {
    case "reminder": {
      const at = nextQuarterHour(now, timeZone);
      return { ...base, kind: "task", dueOn: at.dueOn, dueTime: at.dueTime, remindBeforeMinutes: "0" };
    }
    case "call":
      return { ...base, kind: "call", dueOn: today, direction: "outgoing" };
    case "meeting":
      return { ...base, kind: "meeting", dueOn: addDays(today, 1) };
    case "note":
      return { ...base, kind: "note", status: "done", dueOn: today };
    case "followup":
    default:
      return { ...base, kind: "task", dueOn: addDays(today, 1) };
  }
}

/** The form of a saved activity. */
export function formFromActivity(a: Activity): ActivityFormState {
  return {
    kind: a.kind,
    subject: a.subject,
    assignedUserId: a.assignedUserId !== null ? String(a.assignedUserId) : "",
    dueOn: a.dueOn,
    dueTime: a.dueTime ?? "",
    durationMinutes: a.durationMinutes !== null ? String(a.durationMinutes) : "",
    remindBeforeMinutes: a.remindBeforeMinutes !== null ? String(a.remindBeforeMinutes) : "",
    status: a.status,
    direction: a.direction ?? "",
    callResult: a.callResult ?? "",
    outcome: a.outcome ?? "",
  };
}

/** The due time as the backend reads it ("۹:۳۰" → "09:30"); null when empty, the text itself when it is no time. */
export function normalizeTime(text: string): string | null {
  const t = normalizeDigits(text).trim().replace(/[٫.]/, ":");
  if (t === "") return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  return m ? `${(m[1] as string).padStart(2, "0")}:${m[2] as string}` : t;
}

/** Whether a typed time is a valid wall-clock time (or empty). */
export function isValidTime(text: string): boolean {
  const t = normalizeTime(text);
  if (t === null) return true;
  const m = /^(\d{2}):(\d{2})$/.exec(t);
  return m !== null && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** A typed whole number ("۹۰" → 90); null when empty, NaN when it is no whole number. */
export function parseMinutes(text: string): number | null {
  const t = normalizeDigits(text).trim();
  if (t === "") return null;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Whether the reminder can be chosen: it needs a due time and a planned activity. */
export function canRemind(form: ActivityFormState): boolean {
  return form.status === "planned" && normalizeTime(form.dueTime) !== null;
}

/** The statuses a kind may have (a note is never planned). */
export function statusesFor(kind: ActivityKind): readonly ActivityStatus[] {
  return kind === "note" ? ["done", "cancelled"] : ACTIVITY_STATUSES;
}

/** Another kind: a note is done rather than planned; only a call keeps its direction and result. */
export function changeKind(form: ActivityFormState, kind: ActivityKind): ActivityFormState {
  const next = { ...form, kind };
  if (kind === "note" && next.status === "planned") {
    next.status = "done";
    next.remindBeforeMinutes = "";
  }
  if (kind !== "call") {
    next.direction = "";
    next.callResult = "";
  } else if (next.direction === "") {
    next.direction = "outgoing";
  }
  return next;
}

/** Another status: only a planned activity reminds. */
export function changeStatus(form: ActivityFormState, status: ActivityStatus): ActivityFormState {
  return { ...form, status, remindBeforeMinutes: status === "planned" ? form.remindBeforeMinutes : "" };
}

const text = (value: string) => (value.trim() === "" ? null : value.trim());

/**
 * What the form sends. The opportunity's activity names only the opportunity (its
 * identity follows it); one on no opportunity names the identity. A reminder goes
 * only with a due time on a planned activity, a direction and a result only with a call.
 */
export function toActivityInput(form: ActivityFormState, target: ActivityTarget): ActivityInput {
  const isCall = form.kind === "call";
  const dueTime = normalizeTime(form.dueTime);
  const duration = parseMinutes(form.durationMinutes);
  const remind = form.remindBeforeMinutes === "" ? null : Number(form.remindBeforeMinutes);
  return {
    kind: form.kind,
    subject: form.subject.trim(),
    opportunityId: target.opportunityId,
    identityId: target.opportunityId !== null ? null : target.identityId,
    assignedUserId: form.assignedUserId === "" ? null : Number(form.assignedUserId),
    dueOn: form.dueOn,
    dueTime,
    durationMinutes: duration === null || Number.isNaN(duration) ? null : duration,
    status: form.status,
    direction: isCall && form.direction !== "" ? form.direction : null,
    callResult: isCall && form.callResult !== "" ? form.callResult : null,
    outcome: text(form.outcome),
    remindBeforeMinutes: remind !== null && canRemind(form) ? remind : null,
  };
}

const fieldError = (field: ActivityField, code: FieldError["code"], min: string | null = null, max: string | null = null): FieldError => ({ field, code, min, max });

/** Mistakes the form can see itself, the way the backend would name them. */
export function localActivityErrors(form: ActivityFormState): FieldError[] {
  const errors: FieldError[] = [];
  const subject = form.subject.trim();
  if (subject === "") errors.push(fieldError("subject", "required"));
  else if ([...subject].length > SUBJECT_MAX) errors.push(fieldError("subject", "too_long", null, String(SUBJECT_MAX)));
  if (!isValidTime(form.dueTime)) errors.push(fieldError("dueTime", "invalid"));
  const needsDay = (form.status === "planned" && form.kind !== "note") || normalizeTime(form.dueTime) !== null;
  if (needsDay && form.dueOn === null) errors.push(fieldError("dueOn", "required"));
  const duration = parseMinutes(form.durationMinutes);
  if (duration !== null && (Number.isNaN(duration) || duration > DURATION_MAX)) errors.push(fieldError("durationMinutes", "out_of_range", "0", String(DURATION_MAX)));
  if (form.kind === "note" && form.status === "planned") errors.push(fieldError("status", "not_allowed"));
  return errors;
}

/**
 * The control that shows a backend field path; null when the dialog has none for it
 * (the error is then listed above the form). Snake-case paths are read too.
 */
export function activityFieldFor(field: string): ActivityField | null {
  const path = camelPath(field);
  if ((ACTIVITY_FIELDS as readonly string[]).includes(path)) return path as ActivityField;
  switch (path) {
    case "dueAt":
      return "dueOn";
    case "remindAt":
      return "remindBeforeMinutes";
    case "assignedUser":
      return "assignedUserId";
    default:
      return null;
  }
}
