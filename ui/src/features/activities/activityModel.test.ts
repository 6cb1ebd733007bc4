import { describe, expect, it } from "vitest";
import type { Activity } from "../../lib/types";
import {
  activityFieldFor,
  addDays,
  canRemind,
  changeKind,
  changeStatus,
  emptyActivityForm,
  formFromActivity,
  isValidTime,
  localActivityErrors,
  nextQuarterHour,
  normalizeTime,
  parseMinutes,
  presetForm,
  statusesFor,
  toActivityInput,
} from "./activityModel";

// 2025-03-20 10:07 in Tehran (UTC+03:30).
const NOW = new Date("2025-03-20T06:37:00Z");
const TEHRAN = "Asia/Tehran";

function activity(partial: Partial<Activity> = {}): Activity {
  return {
    id: 7,
    version: 3,
    kind: "call",
    subject: "Ask about the order",
    identityId: 1,
    identityName: "Acme Trading",
    opportunityId: 5,
    opportunityTitle: "Laptops",
    assignedUserId: 2,
    assignedUserName: "Sara Karimi",
    dueAt: "2025-03-21T06:00:00Z",
    dueOn: "2025-03-21",
    dueTime: "09:30",
    durationMinutes: 20,
    status: "planned",
    direction: "incoming",
    callResult: "busy",
    outcome: null,
    remindAt: "2025-03-21T05:45:00Z",
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

describe("activity presets", () => {
  it("makes a follow-up a task due tomorrow, for the signed-in user", () => {
    const form = presetForm("followup", { currentUserId: 2, now: NOW, timeZone: TEHRAN });
    expect(form).toMatchObject({ kind: "task", status: "planned", dueOn: "2025-03-21", dueTime: "", remindBeforeMinutes: "", assignedUserId: "2" });
    expect(presetForm(undefined, { currentUserId: null, now: NOW, timeZone: TEHRAN })).toMatchObject({ kind: "task", dueOn: "2025-03-21", assignedUserId: "" });
  });

  it("makes a reminder due today at the next full quarter hour, reminding at the time", () => {
    const form = presetForm("reminder", { currentUserId: 1, now: NOW, timeZone: TEHRAN });
    expect(form).toMatchObject({ kind: "task", status: "planned", dueOn: "2025-03-20", dueTime: "10:15", remindBeforeMinutes: "0" });
    expect(toActivityInput(form, { opportunityId: 5, identityId: 1 })).toMatchObject({ dueOn: "2025-03-20", dueTime: "10:15", remindBeforeMinutes: 0 });
  });

  it("makes a phone call an outgoing call due today, and a note a done record", () => {
    expect(presetForm("call", { currentUserId: 1, now: NOW, timeZone: TEHRAN })).toMatchObject({ kind: "call", direction: "outgoing", status: "planned", dueOn: "2025-03-20" });
    expect(presetForm("note", { currentUserId: 1, now: NOW, timeZone: TEHRAN })).toMatchObject({ kind: "note", status: "done" });
    expect(presetForm("meeting", { currentUserId: 1, now: NOW, timeZone: TEHRAN })).toMatchObject({ kind: "meeting", dueOn: "2025-03-21" });
  });

  it("rounds up to the next quarter hour, past midnight into tomorrow", () => {
    expect(nextQuarterHour(new Date("2025-03-20T06:30:00Z"), TEHRAN)).toEqual({ dueOn: "2025-03-20", dueTime: "10:15" });
    expect(nextQuarterHour(new Date("2025-03-20T06:44:59Z"), TEHRAN)).toEqual({ dueOn: "2025-03-20", dueTime: "10:15" });
    expect(nextQuarterHour(new Date("2025-03-20T06:59:00Z"), "UTC")).toEqual({ dueOn: "2025-03-20", dueTime: "07:00" });
    expect(nextQuarterHour(new Date("2025-03-20T23:50:00Z"), "UTC")).toEqual({ dueOn: "2025-03-21", dueTime: "00:00" });
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
  });
});

describe("form and input", () => {
  it("reads a saved activity back into the form and sends it unchanged", () => {
    const a = activity();
    const form = formFromActivity(a);
    expect(form).toMatchObject({ kind: "call", assignedUserId: "2", dueTime: "09:30", durationMinutes: "20", remindBeforeMinutes: "15", direction: "incoming", callResult: "busy", outcome: "" });
    expect(toActivityInput(form, { opportunityId: a.opportunityId, identityId: a.identityId })).toEqual({
      kind: "call",
      subject: "Ask about the order",
      opportunityId: 5,
      identityId: null,
      assignedUserId: 2,
      dueOn: "2025-03-21",
      dueTime: "09:30",
      durationMinutes: 20,
      status: "planned",
      direction: "incoming",
      callResult: "busy",
      outcome: null,
      remindBeforeMinutes: 15,
    });
  });

  it("names the identity only for an activity on no opportunity", () => {
    const form = { ...emptyActivityForm(1), subject: " Visit ", dueOn: "2025-03-22" };
    expect(toActivityInput(form, { opportunityId: null, identityId: 9 })).toMatchObject({ opportunityId: null, identityId: 9, subject: "Visit", assignedUserId: 1 });
  });

  it("reads Persian digits in the time and the duration", () => {
    expect(normalizeTime("۹:۳۰")).toBe("09:30");
    expect(normalizeTime(" ")).toBeNull();
    expect(isValidTime("۲۳:۵۹")).toBe(true);
    expect(isValidTime("24:00")).toBe(false);
    expect(isValidTime("nine")).toBe(false);
    expect(parseMinutes("۹۰")).toBe(90);
    expect(parseMinutes("")).toBeNull();
    expect(parseMinutes("1.5")).toBeNaN();
    const form = { ...emptyActivityForm(1), subject: "Call", dueOn: "2025-03-22", dueTime: "۱۴:۰۵", durationMinutes: "۴۵" };
    expect(toActivityInput(form, { opportunityId: 5, identityId: 1 })).toMatchObject({ dueTime: "14:05", durationMinutes: 45 });
  });

  it("sends a reminder only with a due time on a planned activity", () => {
    const form = { ...emptyActivityForm(1), subject: "Call", dueOn: "2025-03-22", dueTime: "", remindBeforeMinutes: "30" };
    expect(canRemind(form)).toBe(false);
    expect(toActivityInput(form, { opportunityId: 5, identityId: 1 }).remindBeforeMinutes).toBeNull();
    expect(toActivityInput({ ...form, dueTime: "10:00" }, { opportunityId: 5, identityId: 1 }).remindBeforeMinutes).toBe(30);
    const done = changeStatus({ ...form, dueTime: "10:00" }, "done");
    expect(done.remindBeforeMinutes).toBe("");
    expect(toActivityInput(done, { opportunityId: 5, identityId: 1 }).remindBeforeMinutes).toBeNull();
  });

  it("keeps a direction and a result for calls only, and never plans a note", () => {
    const call = changeKind({ ...emptyActivityForm(1), direction: "incoming", callResult: "reached" }, "call");
    expect(call).toMatchObject({ direction: "incoming", callResult: "reached" });
    const task = changeKind(call, "task");
    expect(task).toMatchObject({ direction: "", callResult: "" });
    expect(toActivityInput({ ...call, kind: "meeting" }, { opportunityId: 5, identityId: 1 })).toMatchObject({ direction: null, callResult: null });
    expect(changeKind(emptyActivityForm(1), "call").direction).toBe("outgoing");
    const note = changeKind({ ...emptyActivityForm(1), remindBeforeMinutes: "0" }, "note");
    expect(note).toMatchObject({ status: "done", remindBeforeMinutes: "" });
    expect(statusesFor("note")).toEqual(["done", "cancelled"]);
    expect(statusesFor("task")).toEqual(["planned", "done", "cancelled"]);
  });
});

describe("errors", () => {
  it("finds what the backend would refuse before asking it", () => {
    const codes = (form: Parameters<typeof localActivityErrors>[0]) => localActivityErrors(form).map((e) => `${e.field}:${e.code}`);
    expect(codes(emptyActivityForm(1))).toEqual(["subject:required", "dueOn:required"]);
    expect(codes({ ...emptyActivityForm(1), subject: "x".repeat(301), dueOn: "2025-03-22" })).toEqual(["subject:too_long"]);
    expect(codes({ ...emptyActivityForm(1), subject: "Call", dueOn: "2025-03-22", dueTime: "25:00", durationMinutes: "99999" })).toEqual(["dueTime:invalid", "durationMinutes:out_of_range"]);
    // A done call needs no day, unless it has a time.
    expect(codes({ ...emptyActivityForm(1), kind: "call", subject: "Call", status: "done" })).toEqual([]);
    expect(codes({ ...emptyActivityForm(1), kind: "call", subject: "Call", status: "done", dueTime: "10:00" })).toEqual(["dueOn:required"]);
    expect(codes({ ...emptyActivityForm(1), kind: "note", subject: "Met", status: "planned" })).toEqual(["status:not_allowed"]);
  });

  it("places backend field paths on the dialog's controls", () => {
    expect(activityFieldFor("subject")).toBe("subject");
    expect(activityFieldFor("assignedUserId")).toBe("assignedUserId");
    expect(activityFieldFor("remind_before_minutes")).toBe("remindBeforeMinutes");
    expect(activityFieldFor("call_result")).toBe("callResult");
    expect(activityFieldFor("dueAt")).toBe("dueOn");
    expect(activityFieldFor("opportunityId")).toBeNull();
    expect(activityFieldFor("identityId")).toBeNull();
  });
});
