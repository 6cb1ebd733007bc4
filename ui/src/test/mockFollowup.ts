// The follow-up part of the fake backend: reminders (and their OS notifications),
// "my day", comments with @mentions, the mentions of the bell and the activities
// report. Like the backend: a comment needs a body; a comment mentions the users
// named `@username` (not its author); each user reads their own mentions only; a
// stale version is a conflict.

import type { ActivityReportRow, AppError, Comment, CommentInput, FollowUpActivity, Language, Mention, MyDay, UserSummary } from "../lib/types";

/** The parts of the shared fake backend this module reads. */
export type FollowupHost = {
  /** The signed-in user. */
  userId: number;
  users: readonly UserSummary[];
  opportunities: readonly { id: number; title: string }[];
  /** "Today" of the fake backend (my day's default). */
  today: string;
};

type StoredMention = Mention & { userId: number };

export const followupMock = {
  /** The signed-in user's reminders that are due. */
  due: [] as FollowUpActivity[],
  /** Those of the next day. */
  upcoming: [] as FollowUpActivity[],
  /** Each notify_reminders call: the ids asked for and its language. */
  notified: [] as { ids: number[]; language: Language }[],
  /** When set, "my day" answers with it; otherwise an empty day. */
  myDay: null as MyDay | null,
  comments: [] as Comment[],
  mentions: [] as StoredMention[],
  report: [] as ActivityReportRow[],
  /** Opportunities a planned activity follows up besides those above (the pipeline's "next step"). */
  nextSteps: new Set<number>(),
  /** When set, the next add_comment answers with this error. */
  nextCommentError: null as AppError | null,
  /** The "now" the mock writes (shown and dismissed times, comment times). */
  now: "2025-03-20T09:00:00Z",
  nextId: 1000,
};

export function resetFollowupMock(): void {
  followupMock.due = [];
  followupMock.upcoming = [];
  followupMock.notified = [];
  followupMock.myDay = null;
  followupMock.comments = [];
  followupMock.mentions = [];
  followupMock.report = [];
  followupMock.nextSteps = new Set();
  followupMock.nextCommentError = null;
  followupMock.now = "2025-03-20T09:00:00Z";
  followupMock.nextId = 1000;
}

/** A planned activity assigned to the signed-in user, with a reminder. */
export function makeActivity(id: number, partial: Partial<FollowUpActivity> = {}): FollowUpActivity {
  return {
    id,
    version: 1,
    kind: "call",
    subject: `Call ${id}`,
    identityId: 1,
    identityName: "Person 1",
    opportunityId: null,
    opportunityTitle: null,
    assignedUserId: 1,
    assignedUserName: "Admin",
    dueAt: "2025-03-20T10:00:00Z",
    dueOn: "2025-03-20",
    dueTime: "13:30",
    durationMinutes: null,
    status: "planned",
    direction: null,
    callResult: null,
    outcome: null,
    remindAt: "2025-03-20T09:45:00Z",
    remindBeforeMinutes: 15,
    reminderShownAt: null,
    reminderDismissedAt: null,
    overdue: false,
    completedAt: null,
    createdAt: "2025-03-19T08:00:00Z",
    createdByName: "Admin",
    ...partial,
  };
}

/** Whether a planned activity follows the opportunity up (the pipeline's "next step"). */
export function hasPlannedActivity(opportunityId: number): boolean {
  return everyActivity().some((a) => a.opportunityId === opportunityId && a.status === "planned") || followupMock.nextSteps.has(opportunityId);
}

const COMMANDS = new Set([
  "reminders",
  "notify_reminders",
  "mark_reminders_shown",
  "dismiss_reminder",
  "finish_activity",
  "my_day",
  "list_comments",
  "add_comment",
  "mentions",
  "mark_mentions_read",
  "activity_report",
]);

export const isFollowupCommand = (cmd: string) => COMMANDS.has(cmd);

const validation = (field: string, code: "required" | "too_long"): AppError => ({ kind: "validation", fields: [{ field, code, min: null, max: code === "too_long" ? "2000" : null }] });

function everyActivity(): FollowUpActivity[] {
  const day = followupMock.myDay;
  return [...followupMock.due, ...followupMock.upcoming, ...(day ? [...day.overdue, ...day.dueToday] : [])];
}

function replaceActivity(next: FollowUpActivity): void {
  const swap = (list: FollowUpActivity[]) => list.map((a) => (a.id === next.id ? next : a));
  followupMock.due = swap(followupMock.due);
  followupMock.upcoming = swap(followupMock.upcoming);
  const day = followupMock.myDay;
  if (day) {
    // Finished activities leave "my day" as they do in the backend.
    const open = (list: FollowUpActivity[]) => swap(list).filter((a) => a.status === "planned");
    followupMock.myDay = { ...day, overdue: open(day.overdue), dueToday: open(day.dueToday) };
  }
}

function findActivity(id: unknown): FollowUpActivity {
  const found = everyActivity().find((a) => a.id === id);
  if (!found) throw { kind: "not_found", entity: "activity", id: String(id) } satisfies AppError;
  return found;
}

const USERNAME = /@([\p{L}\p{N}._-]+)/gu;

function addComment(host: FollowupHost, input: CommentInput): Comment {
  if (followupMock.nextCommentError) {
    const error = followupMock.nextCommentError;
    followupMock.nextCommentError = null;
    throw error;
  }
  const body = input.body.trim();
  if (body === "") throw validation("body", "required");
  if (body.length > 2000) throw validation("body", "too_long");
  const author = host.users.find((u) => u.id === host.userId) ?? null;
  followupMock.nextId += 1;
  const comment: Comment = {
    id: followupMock.nextId,
    opportunityId: input.opportunityId,
    authorId: author?.id ?? null,
    authorName: author?.displayName ?? null,
    body,
    createdAt: followupMock.now,
  };
  followupMock.comments.push(comment);
  const title = host.opportunities.find((o) => o.id === input.opportunityId)?.title ?? null;
  const named = new Set([...body.matchAll(USERNAME)].map((m) => (m[1] ?? "").toLowerCase()));
  for (const user of host.users) {
    if (!user.active || user.id === host.userId || !named.has(user.username.toLowerCase())) continue;
    followupMock.nextId += 1;
    followupMock.mentions.push({ id: followupMock.nextId, userId: user.id, opportunityId: input.opportunityId, opportunityTitle: title, authorName: comment.authorName, body, createdAt: comment.createdAt, read: false });
  }
  return comment;
}

export function followupCommand(host: FollowupHost, cmd: string, a: Record<string, unknown>): unknown {
  switch (cmd) {
    case "reminders":
      return {
        due: followupMock.due.filter((r) => r.status === "planned" && r.reminderDismissedAt === null),
        upcoming: followupMock.upcoming.filter((r) => r.status === "planned" && r.reminderDismissedAt === null),
      };
    case "notify_reminders":
    case "mark_reminders_shown": {
      const ids = (a.ids as number[]) ?? [];
      if (cmd === "notify_reminders") followupMock.notified.push({ ids: [...ids], language: a.language as Language });
      const shown: number[] = [];
      followupMock.due = followupMock.due.map((r) => {
        if (!ids.includes(r.id) || r.reminderShownAt !== null) return r;
        shown.push(r.id);
        return { ...r, reminderShownAt: followupMock.now };
      });
      return cmd === "notify_reminders" ? shown : null;
    }
    case "dismiss_reminder": {
      const found = findActivity(a.id);
      replaceActivity({ ...found, reminderDismissedAt: followupMock.now });
      return null;
    }
    case "finish_activity": {
      const found = findActivity(a.id);
      if (found.version !== a.version) throw { kind: "conflict", entity: "activity", id: String(a.id) } satisfies AppError;
      const next: FollowUpActivity = { ...found, version: found.version + 1, status: a.status as FollowUpActivity["status"], outcome: (a.outcome as string | null) ?? null, completedAt: followupMock.now, overdue: false };
      replaceActivity(next);
      return next;
    }
    case "my_day":
      return followupMock.myDay ?? ({ today: host.today, weekEnd: host.today, dueToday: [], overdue: [], withoutNextStep: [], withoutNextStepCount: 0, closingThisWeek: [] } satisfies MyDay);
    case "list_comments":
      return followupMock.comments.filter((c) => c.opportunityId === a.opportunityId).sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id - x.id);
    case "add_comment":
      return addComment(host, a.input as CommentInput);
    case "mentions": {
      const mine = followupMock.mentions
        .filter((m) => m.userId === host.userId)
        .sort((x, y) => Number(x.read) - Number(y.read) || y.createdAt.localeCompare(x.createdAt) || y.id - x.id)
        .map(({ userId: _u, ...m }) => m);
      return { items: mine, unread: mine.filter((m) => !m.read).length };
    }
    case "mark_mentions_read": {
      const ids = (a.ids as number[]) ?? [];
      followupMock.mentions = followupMock.mentions.map((m) => (m.userId === host.userId && (ids.length === 0 || ids.includes(m.id)) ? { ...m, read: true } : m));
      return null;
    }
    case "activity_report":
      return followupMock.report;
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}
