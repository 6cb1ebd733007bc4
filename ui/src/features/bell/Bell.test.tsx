import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { emit } from "@tauri-apps/api/event";
import { activitiesMock, makeSavedActivity } from "../../test/mockActivities";
import { followupMock, makeActivity } from "../../test/mockFollowup";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme" })],
    settings: { language: "en", calendar: "gregorian" },
  }).backend;
  window.history.replaceState(null, "", "#/identities");
});

afterEach(() => {
  clearMocks();
});

const notified = () => followupMock.notified.map((n) => n.ids);

describe("the bell and the reminder watcher", () => {
  it("notifies the due reminders never shown once, counts them with the unread mentions, and lists them", async () => {
    const user = userEvent.setup();
    // Notified by this run: noted shown after the app started.
    followupMock.now = new Date(Date.now() + 1000).toISOString();
    followupMock.due = [
      makeActivity(11, { subject: "Call Acme back", opportunityId: 5, opportunityTitle: "Laptops for Acme", identityName: "Acme Trading" }),
      // Shown by an earlier run of the app: not notified again, and not "missed".
      makeActivity(12, { subject: "Send the catalogue", reminderShownAt: "2025-03-20T09:46:00Z" }),
    ];
    followupMock.mentions = [
      { id: 31, userId: 1, opportunityId: 5, opportunityTitle: "Laptops for Acme", authorName: "Sara Karimi", body: "@admin the quote is ready", createdAt: "2025-03-20T08:00:00Z", read: false },
    ];
    render(<App />);
    await waitFor(() => expect(screen.getByTestId("bell-count").textContent).toBe("3"));
    await waitFor(() => expect(notified()).toEqual([[11]]));
    expect(followupMock.notified[0]?.language).toBe("en");

    await user.click(screen.getByTestId("bell"));
    const panel = screen.getByTestId("bell-panel");
    const first = within(panel).getByTestId("bell-reminder-11");
    expect(first.textContent).toContain("Call Acme back");
    expect(first.textContent).toContain("Laptops for Acme");
    // It came while the app was closed.
    expect(within(first).getByTestId("bell-missed-11")).toBeTruthy();
    expect(within(panel).queryByTestId("bell-missed-12")).toBeNull();
    expect(within(panel).getByTestId("bell-mention-31").textContent).toContain("Sara Karimi mentioned you");

    // Asked again (focus): nothing is notified twice.
    window.dispatchEvent(new Event("focus"));
    await waitFor(() => expect(backend.calls.filter((c) => c.cmd === "reminders").length).toBeGreaterThanOrEqual(3));
    expect(notified()).toEqual([[11]]);

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("bell-panel")).toBeNull();
  });

  it("dismisses, marks done and opens", async () => {
    const user = userEvent.setup();
    followupMock.due = [makeActivity(11, { opportunityId: 5, opportunityTitle: "Laptops for Acme" }), makeActivity(12), makeActivity(13, { identityId: 1 })];
    render(<App />);
    await waitFor(() => expect(screen.getByTestId("bell-count").textContent).toBe("3"));
    await user.click(screen.getByTestId("bell"));
    await user.click(screen.getByTestId("bell-dismiss-12"));
    await waitFor(() => expect(screen.queryByTestId("bell-reminder-12")).toBeNull());
    await user.click(screen.getByTestId("bell-done-13"));
    await waitFor(() => expect(screen.queryByTestId("bell-reminder-13")).toBeNull());
    expect(backend.calls.find((c) => c.cmd === "finish_activity")?.args).toMatchObject({ id: 13, version: 1, status: "done", outcome: null });
    await waitFor(() => expect(screen.getByTestId("bell-count").textContent).toBe("1"));
    await user.click(screen.getByTestId("bell-open-11"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/5"));
    expect(screen.queryByTestId("bell-panel")).toBeNull();
  });

  it("opens a mention's opportunity and reads it; says so plainly when there is nothing", async () => {
    const user = userEvent.setup();
    followupMock.mentions = [
      { id: 31, userId: 1, opportunityId: 5, opportunityTitle: "Laptops for Acme", authorName: "Sara Karimi", body: "@admin look", createdAt: "2025-03-20T08:00:00Z", read: false },
      { id: 32, userId: 1, opportunityId: 5, opportunityTitle: "Laptops for Acme", authorName: "Sara Karimi", body: "@admin again", createdAt: "2025-03-20T08:10:00Z", read: false },
    ];
    render(<App />);
    await waitFor(() => expect(screen.getByTestId("bell-count").textContent).toBe("2"));
    await user.click(screen.getByTestId("bell"));
    await user.click(screen.getByTestId("bell-mention-31"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/5"));
    await waitFor(() => expect(screen.getByTestId("bell-count").textContent).toBe("1"));
    await user.click(screen.getByTestId("bell"));
    await user.click(screen.getByTestId("bell-mark-all-read"));
    await waitFor(() => expect(screen.queryByTestId("bell-count")).toBeNull());
    expect(followupMock.mentions.every((m) => m.read)).toBe(true);
    followupMock.mentions = [];
    await user.click(document.body);
    await user.click(screen.getByTestId("bell"));
    await waitFor(() => expect(screen.getByTestId("bell-panel").textContent).toContain("Mentions"));
  });

  it("opens the record of a reminder whose OS notification was clicked", async () => {
    activitiesMock.activities = [
      makeSavedActivity(41, { subject: "Call Acme back", opportunityId: 5, opportunityTitle: "Laptops for Acme" }),
      makeSavedActivity(42, { subject: "Visit", opportunityId: null, identityId: 1 }),
    ];
    render(<App />);
    await screen.findByTestId("bell");
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === "reminders")).toBe(true));
    await emit("reminder-clicked", { activityId: 41 });
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/5"));
    await emit("reminder-clicked", { activityId: 42 });
    await waitFor(() => expect(window.location.hash).toBe("#/identities/1"));
    // One that is gone leaves the window where it is.
    await emit("reminder-clicked", { activityId: 99 });
    await waitFor(() => expect(backend.calls.filter((c) => c.cmd === "get_activity").length).toBe(3));
    expect(window.location.hash).toBe("#/identities/1");
  });

  it("shows the empty state in plain words", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("bell"));
    expect(await screen.findByTestId("bell-empty")).toBeTruthy();
  });
});

describe("my day", () => {
  it("lists the overdue, today's, the opportunities without a next step and those closing; Done and open work", async () => {
    const user = userEvent.setup();
    followupMock.myDay = {
      today: "2025-03-20",
      weekEnd: "2025-03-23",
      overdue: [makeActivity(21, { subject: "Late call", overdue: true, dueOn: "2025-03-18", opportunityId: 5, opportunityTitle: "Laptops for Acme" })],
      dueToday: [makeActivity(22, { subject: "Meet Acme", kind: "meeting", identityId: 1 })],
      withoutNextStep: [{ id: 5, title: "Laptops for Acme", identityId: 1, identityName: "Acme Trading", stageId: 1, closeDate: null, estimatedAmount: "1000" }],
      withoutNextStepCount: 7,
      closingThisWeek: [{ id: 5, title: "Laptops for Acme", identityId: 1, identityName: "Acme Trading", stageId: 1, closeDate: "2025-03-22", estimatedAmount: "1000" }],
    };
    window.history.replaceState(null, "", "#/today");
    render(<App />);
    const page = await screen.findByTestId("my-day");
    expect(screen.getByTestId("nav-today").getAttribute("aria-current")).toBe("page");
    await waitFor(() => expect(within(page).getByTestId("my-day-overdue").textContent).toContain("Late call"));
    expect(within(page).getByTestId("my-day-today").textContent).toContain("Meet Acme");
    expect(within(page).getByTestId("my-day-no-step-count").textContent).toBe("7");
    expect(within(page).getByTestId("my-day-no-step-all").getAttribute("href")).toBe("#/opportunities?nostep=1");
    expect(within(within(page).getByTestId("my-day-closing")).getByTestId("my-day-opportunity-5").textContent).toContain("2025/03/22");

    await user.click(within(page).getByTestId("my-day-done-22"));
    await waitFor(() => expect(within(page).queryByTestId("my-day-activity-22")).toBeNull());
    expect(window.location.hash).toBe("#/today");
    await user.click(within(page).getByTestId("my-day-activity-21"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/5"));
  });
});
