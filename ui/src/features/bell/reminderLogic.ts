// What the reminder watcher and the bell decide, kept apart from React so that it can
// be tested on its own:
//
//  - which due reminders to show as OS notifications (not shown yet, not asked for
//    already in this window);
//  - when the next upcoming reminder comes (the watcher asks again exactly then);
//  - which reminders were missed: they came while the app was closed (their time is
//    before the app started, and no earlier run of the app showed them);
//  - how many things the bell counts;
//  - where an activity's record is (a reminder opens it).

import { paths } from "../../app/router";
import { formatDate, formatDateTime, toLocalDigits, type Lang } from "../../lib/format";
import type { Calendar, FollowUpActivity } from "../../lib/types";

/** When this window started (the module is read once, at start). */
export const APP_STARTED_AT = Date.now();

/** The longest delay a browser timer accepts (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/** A little after the reminder's time, so the backend counts it due when asked. */
export const RING_MARGIN_MS = 250;

const instant = (text: string | null): number | null => {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
};

/** Whether a reminder still rings: planned, its reminder not dismissed. */
export function isOpenReminder(a: FollowUpActivity): boolean {
  return a.status === "planned" && a.reminderDismissedAt === null;
}

/**
 * The due reminders to show as OS notifications now: open, never shown, and not
 * asked for already (`asked`: the ids this window has sent to notifyReminders).
 */
export function remindersToNotify(due: readonly FollowUpActivity[], asked: ReadonlySet<number>): number[] {
  const ids: number[] = [];
  for (const a of due) {
    if (isOpenReminder(a) && a.reminderShownAt === null && !asked.has(a.id) && !ids.includes(a.id)) ids.push(a.id);
  }
  return ids;
}

/**
 * How long to wait (ms) until the next upcoming reminder is due, or null when none
 * is ahead. Reminders whose time has passed already are left to the regular asking.
 */
export function nextRingDelay(upcoming: readonly FollowUpActivity[], now: number): number | null {
  let next: number | null = null;
  for (const a of upcoming) {
    const at = instant(a.remindAt);
    if (at === null || at <= now || !isOpenReminder(a)) continue;
    if (next === null || at < next) next = at;
  }
  return next === null ? null : Math.min(next - now + RING_MARGIN_MS, MAX_TIMER_MS);
}

/**
 * A reminder that came while the app was closed: its time is before the app started
 * and no earlier run showed it (it is not shown yet, or was shown by this run).
 */
export function isMissed(a: FollowUpActivity, appStartedAt: number = APP_STARTED_AT): boolean {
  const at = instant(a.remindAt);
  if (at === null || at >= appStartedAt) return false;
  const shown = instant(a.reminderShownAt);
  return shown === null || shown >= appStartedAt;
}

/** What the bell's badge counts: the due reminders not dismissed and the unread mentions. */
export function bellCount(due: readonly FollowUpActivity[], unreadMentions: number): number {
  return due.filter(isOpenReminder).length + Math.max(0, unreadMentions);
}

/** An activity's due day (and time), in the calendar of the settings; "" without one. */
export function dueLabel(a: Pick<FollowUpActivity, "dueOn" | "dueTime" | "dueAt">, calendar: Calendar, lang: Lang): string {
  if (a.dueOn) {
    const day = formatDate(a.dueOn, calendar, lang);
    return a.dueTime ? `${day} ${toLocalDigits(a.dueTime.slice(0, 5), lang)}` : day;
  }
  return formatDateTime(a.dueAt, calendar, lang);
}

/** Just the time of day (HH:MM) of an activity due today, or "" without one. */
export function dueTimeLabel(a: Pick<FollowUpActivity, "dueTime">, lang: Lang): string {
  return a.dueTime ? toLocalDigits(a.dueTime.slice(0, 5), lang) : "";
}

/** Where an activity's record is: its opportunity, else its identity. */
export function activityHash(a: Pick<FollowUpActivity, "opportunityId" | "identityId">): string {
  return a.opportunityId !== null ? paths.opportunity(a.opportunityId) : paths.identity(a.identityId);
}
