import { describe, expect, it } from "vitest";
import { makeActivity } from "../../test/mockFollowup";
import { bellCount, dueLabel, isMissed, nextRingDelay, remindersToNotify, RING_MARGIN_MS } from "./reminderLogic";

const at = (iso: string) => Date.parse(iso);

describe("which reminders to notify", () => {
  it("takes the due reminders never shown, once", () => {
    const due = [
      makeActivity(1),
      makeActivity(2, { reminderShownAt: "2025-03-20T09:46:00Z" }),
      makeActivity(3),
      makeActivity(4, { reminderDismissedAt: "2025-03-20T09:50:00Z" }),
      makeActivity(5, { status: "done" }),
      makeActivity(6, { status: "cancelled" }),
    ];
    expect(remindersToNotify(due, new Set())).toEqual([1, 3]);
    // Asked for already by this window: not again (also while the backend has not noted them shown yet).
    expect(remindersToNotify(due, new Set([1]))).toEqual([3]);
    expect(remindersToNotify(due, new Set([1, 3]))).toEqual([]);
    expect(remindersToNotify([], new Set())).toEqual([]);
  });

  it("notifies the missed ones too (they came while the app was closed) and lists an id once", () => {
    const missed = makeActivity(7, { remindAt: "2025-03-19T08:00:00Z" });
    expect(remindersToNotify([missed, missed], new Set())).toEqual([7]);
  });
});

describe("when to ask again", () => {
  const now = at("2025-03-20T09:00:00Z");

  it("rings exactly at the next upcoming reminder (a little after it)", () => {
    const upcoming = [makeActivity(1, { remindAt: "2025-03-20T09:30:00Z" }), makeActivity(2, { remindAt: "2025-03-20T09:05:00Z" }), makeActivity(3, { remindAt: null })];
    expect(nextRingDelay(upcoming, now)).toBe(5 * 60_000 + RING_MARGIN_MS);
  });

  it("leaves past, dismissed and finished ones to the regular asking", () => {
    expect(nextRingDelay([], now)).toBeNull();
    expect(nextRingDelay([makeActivity(1, { remindAt: "2025-03-20T08:59:59Z" })], now)).toBeNull();
    expect(nextRingDelay([makeActivity(1, { remindAt: "2025-03-20T09:10:00Z", reminderDismissedAt: "2025-03-20T08:00:00Z" })], now)).toBeNull();
    expect(nextRingDelay([makeActivity(1, { remindAt: "2025-03-20T09:10:00Z", status: "done" })], now)).toBeNull();
  });

  it("never waits longer than a timer can", () => {
    expect(nextRingDelay([makeActivity(1, { remindAt: "2026-03-20T09:00:00Z" })], now)).toBe(2_147_483_647);
  });
});

describe("missed reminders and the bell's count", () => {
  const started = at("2025-03-20T09:00:00Z");

  it("calls missed what came before the app started and no earlier run showed", () => {
    expect(isMissed(makeActivity(1, { remindAt: "2025-03-20T08:00:00Z" }), started)).toBe(true);
    // Shown by this run (after it started): still missed.
    expect(isMissed(makeActivity(1, { remindAt: "2025-03-20T08:00:00Z", reminderShownAt: "2025-03-20T09:00:05Z" }), started)).toBe(true);
    // Shown by an earlier run: seen, not missed.
    expect(isMissed(makeActivity(1, { remindAt: "2025-03-20T08:00:00Z", reminderShownAt: "2025-03-20T08:00:01Z" }), started)).toBe(false);
    // Came while the app was open.
    expect(isMissed(makeActivity(1, { remindAt: "2025-03-20T09:30:00Z" }), started)).toBe(false);
    expect(isMissed(makeActivity(1, { remindAt: null }), started)).toBe(false);
  });

  it("counts the due reminders not dismissed and the unread mentions", () => {
    const due = [makeActivity(1), makeActivity(2, { reminderDismissedAt: "2025-03-20T09:50:00Z" }), makeActivity(3, { reminderShownAt: "2025-03-20T09:46:00Z" })];
    expect(bellCount(due, 2)).toBe(4);
    expect(bellCount([], 0)).toBe(0);
  });

  it("writes the due day and time in the calendar, with Persian digits in Persian", () => {
    const a = makeActivity(1, { dueOn: "2025-03-20", dueTime: "13:30:00" });
    expect(dueLabel(a, "gregorian", "en")).toBe("2025/03/20 13:30");
    expect(dueLabel(a, "jalali", "fa")).toBe("۱۴۰۳/۱۲/۳۰ ۱۳:۳۰");
    expect(dueLabel(makeActivity(2, { dueOn: "2025-03-20", dueTime: null }), "gregorian", "en")).toBe("2025/03/20");
    expect(dueLabel(makeActivity(3, { dueOn: null, dueTime: null, dueAt: null }), "gregorian", "en")).toBe("");
  });
});
