// The activities part of the fake backend: the list of a record, creating,
// editing, finishing and deleting activities, their CSV export and the timeline.
// Like the backend: a subject is required (at most 300 characters); a planned
// task, call or meeting needs a due day; a due time is "HH:MM" (Persian digits
// read); a reminder needs a due time and a planned activity; a note is never
// planned; a direction and a call result go with calls only; a stale version is a
// conflict. A test can make the next write fail with `activitiesMock.nextError`.

import type { Activity, ActivityInput, ActivityQuery, AppError, ExportResult, FieldError, TimelineItem, TimelineRequest, UserSummary, ValidationCode } from "../lib/types";

/** The parts of the shared fake backend this module reads. */
export type ActivitiesHost = {
  /** The signed-in user. */
  userId: number;
  users: readonly UserSummary[];
  identities: readonly { id: number; displayName: string }[];
  opportunities: readonly { id: number; title: string; identityId: number }[];
  /** "Today" of the fake backend (what is overdue). */
  today: string;
};

export const activitiesMock = {
  activities: [] as Activity[],
  /** When set, the next create, update, finish or delete answers with this error. */
  nextError: null as AppError | null,
  /** Extra timeline entries (comments, stage changes, …) next to those of the activities. */
  timeline: [] as TimelineItem[],
  exportPath: "/home/sara/Downloads/activities-2025-03-20.csv",
  /** The "now" the mock writes (creation and completion times). */
  now: "2025-03-20T09:00:00Z",
  nextId: 500,
};

export function resetActivitiesMock(): void {
  activitiesMock.activities = [];
  activitiesMock.nextError = null;
  activitiesMock.timeline = [];
  activitiesMock.exportPath = "/home/sara/Downloads/activities-2025-03-20.csv";
  activitiesMock.now = "2025-03-20T09:00:00Z";
  activitiesMock.nextId = 500;
}

/** A saved activity (a planned follow-up of identity 1 unless told otherwise). */
export function makeSavedActivity(id: number, partial: Partial<Activity> = {}): Activity {
  return {
    id,
    version: 1,
    kind: "task",
    subject: `Follow-up ${id}`,
    identityId: 1,
    identityName: "Person 1",
    opportunityId: null,
    opportunityTitle: null,
    assignedUserId: 1,
    assignedUserName: "Admin",
    dueAt: "2025-03-21T00:00:00Z",
    dueOn: "2025-03-21",
    dueTime: null,
    durationMinutes: null,
    status: "planned",
    direction: null,
    callResult: null,
    outcome: null,
    remindAt: null,
    remindBeforeMinutes: null,
    reminderShownAt: null,
    reminderDismissedAt: null,
    overdue: false,
    completedAt: null,
    createdAt: "2025-03-19T08:00:00Z",
    createdByName: "Admin",
    ...partial,
  };
}

const COMMANDS = new Set(["list_activities", "get_activity", "create_activity", "update_activity", "finish_activity", "delete_activity", "export_activities", "timeline"]);

/**
 * Whether this module answers the command. finish_activity is answered here only for
 * the activities it holds (the reminders and "my day" keep their own).
 */
export function isActivityCommand(cmd: string, a: Record<string, unknown>): boolean {
  if (cmd === "finish_activity") return activitiesMock.activities.some((x) => x.id === a.id);
  return COMMANDS.has(cmd);
}

function takeError(): void {
  const error = activitiesMock.nextError;
  if (error) {
    activitiesMock.nextError = null;
    throw error;
  }
}

function find(id: unknown): Activity {
  const found = activitiesMock.activities.find((x) => x.id === id);
  if (!found) throw { kind: "not_found", entity: "activity", id: String(id) } satisfies AppError;
  return found;
}

const PERSIAN = /[\u06F0-\u06F9]/g;
const ascii = (text: string) => text.replace(PERSIAN, (d) => String(d.charCodeAt(0) - 0x06f0));

function parseTime(raw: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(ascii(raw.trim()));
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${(m[1] as string).padStart(2, "0")}:${m[2] as string}`;
}

function saveActivity(host: ActivitiesHost, input: ActivityInput, old: Activity | null): Activity {
  const errors: FieldError[] = [];
  const push = (field: string, code: ValidationCode, max: string | null = null) => errors.push({ field, code, min: null, max });
  const subject = input.subject.trim();
  if (subject === "") push("subject", "required");
  else if ([...subject].length > 300) push("subject", "too_long", "300");

  let identityId = input.identityId ?? 0;
  const opportunity = input.opportunityId != null ? host.opportunities.find((o) => o.id === input.opportunityId) : undefined;
  if (input.opportunityId != null) {
    if (!opportunity) push("opportunityId", "unknown_reference");
    else {
      if (input.identityId != null && input.identityId !== opportunity.identityId) push("identityId", "invalid");
      identityId = opportunity.identityId;
    }
  } else if (input.identityId == null) push("identityId", "required");
  else if (!host.identities.some((i) => i.id === input.identityId)) push("identityId", "unknown_reference");

  const assigned = input.assignedUserId ?? null;
  if (assigned !== null && assigned !== (old?.assignedUserId ?? null)) {
    const user = host.users.find((u) => u.id === assigned);
    if (!user) push("assignedUserId", "unknown_reference");
    else if (!user.active) push("assignedUserId", "inactive_reference");
  }

  const rawTime = (input.dueTime ?? "").trim();
  const time = rawTime === "" ? null : parseTime(rawTime);
  if (rawTime !== "" && time === null) push("dueTime", "invalid");
  const dueOn = input.dueOn ?? null;
  if (time !== null && dueOn === null) push("dueOn", "required");
  const planned = input.status === "planned";
  if (input.kind === "note" && planned) push("status", "not_allowed");
  else if (planned && dueOn === null && !errors.some((e) => e.field === "dueOn")) push("dueOn", "required");
  const duration = input.durationMinutes ?? null;
  if (duration !== null && (duration < 0 || duration > 10080)) errors.push({ field: "durationMinutes", code: "out_of_range", min: "0", max: "10080" });
  if (input.kind !== "call") {
    if (input.direction != null) push("direction", "not_allowed");
    if (input.callResult != null) push("callResult", "not_allowed");
  }
  const remind = input.remindBeforeMinutes ?? null;
  if (remind !== null && (time === null || !planned)) push("remindBeforeMinutes", "not_allowed");
  if (errors.length > 0) throw { kind: "validation", fields: errors } satisfies AppError;

  // The fake backend's zone is UTC: the due instant is the day and time as given.
  const dueAt = dueOn === null ? null : `${dueOn}T${time ?? "00:00"}:00Z`;
  const remindAt = dueAt !== null && time !== null && remind !== null ? new Date(Date.parse(dueAt) - remind * 60_000).toISOString().replace(".000Z", "Z") : null;
  const overdue = planned && dueOn !== null && dueOn < host.today;
  const id = old?.id ?? ++activitiesMock.nextId;
  return {
    id,
    version: (old?.version ?? 0) + 1,
    kind: input.kind,
    subject,
    identityId,
    identityName: host.identities.find((i) => i.id === identityId)?.displayName ?? "",
    opportunityId: opportunity?.id ?? null,
    opportunityTitle: opportunity?.title ?? null,
    assignedUserId: assigned,
    assignedUserName: assigned === null ? null : (host.users.find((u) => u.id === assigned)?.displayName ?? null),
    dueAt,
    dueOn,
    dueTime: time,
    durationMinutes: duration,
    status: input.status,
    direction: input.kind === "call" ? (input.direction ?? null) : null,
    callResult: input.kind === "call" ? (input.callResult ?? null) : null,
    outcome: input.outcome?.trim() ? input.outcome.trim() : null,
    remindAt,
    remindBeforeMinutes: remindAt !== null ? remind : null,
    reminderShownAt: null,
    reminderDismissedAt: null,
    overdue,
    completedAt: planned ? null : (old?.completedAt ?? activitiesMock.now),
    createdAt: old?.createdAt ?? activitiesMock.now,
    createdByName: old?.createdByName ?? host.users.find((u) => u.id === host.userId)?.displayName ?? null,
  };
}

function inputOf(a: Activity): ActivityInput {
  return {
    kind: a.kind,
    subject: a.subject,
    opportunityId: a.opportunityId,
    identityId: a.opportunityId === null ? a.identityId : null,
    assignedUserId: a.assignedUserId,
    dueOn: a.dueOn,
    dueTime: a.dueTime,
    durationMinutes: a.durationMinutes,
    status: a.status,
    direction: a.direction,
    callResult: a.callResult,
    outcome: a.outcome,
    remindBeforeMinutes: a.remindBeforeMinutes,
  };
}

function matches(a: Activity, q: ActivityQuery): boolean {
  if (q.opportunityId != null && a.opportunityId !== q.opportunityId) return false;
  if (q.identityId != null && a.identityId !== q.identityId) return false;
  if (q.assignedUserId != null && a.assignedUserId !== q.assignedUserId) return false;
  if (q.statuses && q.statuses.length > 0 && !q.statuses.includes(a.status)) return false;
  if (q.kinds && q.kinds.length > 0 && !q.kinds.includes(a.kind)) return false;
  const day = a.dueOn ?? a.createdAt.slice(0, 10);
  if (q.from && day < q.from) return false;
  if (q.to && day > q.to) return false;
  return true;
}

function list(q: ActivityQuery): Activity[] {
  // Planned first by due day, then the rest newest first.
  return activitiesMock.activities
    .filter((a) => matches(a, q))
    .sort((x, y) => {
      if ((x.status === "planned") !== (y.status === "planned")) return x.status === "planned" ? -1 : 1;
      const dx = x.dueAt ?? x.createdAt;
      const dy = y.dueAt ?? y.createdAt;
      return x.status === "planned" ? dx.localeCompare(dy) : dy.localeCompare(dx);
    });
}

function timeline(host: ActivitiesHost, r: TimelineRequest): TimelineItem[] {
  const kinds = r.kinds ?? [];
  const want = (k: TimelineItem["kind"]) => kinds.length === 0 || kinds.includes(k);
  const ofRecord = (opportunityId: number | null) =>
    r.opportunityId != null ? opportunityId === r.opportunityId : opportunityId === null || host.opportunities.some((o) => o.id === opportunityId && o.identityId === r.identityId);
  const items: TimelineItem[] = [];
  if (want("activity")) {
    for (const a of activitiesMock.activities.filter((x) => (r.opportunityId != null ? x.opportunityId === r.opportunityId : x.identityId === r.identityId))) {
      items.push({
        kind: "activity",
        at: a.completedAt ?? a.dueAt ?? a.createdAt,
        userName: a.assignedUserName ?? a.createdByName,
        opportunityId: a.opportunityId,
        opportunityTitle: a.opportunityTitle,
        activity: a,
        comment: null,
        fromStageId: null,
        toStageId: null,
        change: null,
        changeEntity: null,
        record: null,
      });
    }
  }
  items.push(...activitiesMock.timeline.filter((i) => want(i.kind) && ofRecord(i.opportunityId)));
  return items.sort((x, y) => y.at.localeCompare(x.at));
}

export function activityCommand(host: ActivitiesHost, cmd: string, a: Record<string, unknown>): unknown {
  switch (cmd) {
    case "list_activities":
      return list(a.query as ActivityQuery);
    case "get_activity":
      return find(a.id);
    case "create_activity": {
      takeError();
      const created = saveActivity(host, a.input as ActivityInput, null);
      activitiesMock.activities.push(created);
      return created;
    }
    case "update_activity": {
      takeError();
      const old = find(a.id);
      if (old.version !== a.version) throw { kind: "conflict", entity: "activity", id: String(a.id) } satisfies AppError;
      const saved = saveActivity(host, a.input as ActivityInput, old);
      activitiesMock.activities = activitiesMock.activities.map((x) => (x.id === saved.id ? saved : x));
      return saved;
    }
    case "finish_activity": {
      takeError();
      const old = find(a.id);
      if (a.status === "planned") throw { kind: "validation", fields: [{ field: "status", code: "invalid", min: null, max: null }] } satisfies AppError;
      if (old.version !== a.version) throw { kind: "conflict", entity: "activity", id: String(a.id) } satisfies AppError;
      const outcome = typeof a.outcome === "string" && a.outcome.trim() !== "" ? a.outcome : old.outcome;
      const saved = saveActivity(host, { ...inputOf(old), status: a.status as Activity["status"], outcome, remindBeforeMinutes: null }, old);
      activitiesMock.activities = activitiesMock.activities.map((x) => (x.id === saved.id ? saved : x));
      return saved;
    }
    case "delete_activity": {
      takeError();
      find(a.id);
      activitiesMock.activities = activitiesMock.activities.filter((x) => x.id !== a.id);
      return null;
    }
    case "export_activities":
      return { path: activitiesMock.exportPath, rows: list(a.query as ActivityQuery).length } satisfies ExportResult;
    case "timeline":
      return timeline(host, a.request as TimelineRequest);
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}
