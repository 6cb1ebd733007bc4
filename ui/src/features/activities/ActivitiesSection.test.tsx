import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClientProvider } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { ToastProvider } from "../../components/Toast";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, stages, type MockBackend } from "../../test/mockBackend";
import { activitiesMock, makeSavedActivity } from "../../test/mockActivities";
import { ActivitiesSection } from "./ActivitiesSection";
import { Timeline } from "./Timeline";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme" })],
    settings: { language: "en", calendar: "gregorian", timeZone: "UTC" },
  }).backend;
  activitiesMock.activities = [
    makeSavedActivity(1, { subject: "Send the quote", opportunityId: 5, opportunityTitle: "Laptops for Acme", identityName: "Acme Trading", dueOn: "2025-03-18", dueTime: "09:30", overdue: true }),
    makeSavedActivity(2, { kind: "note", subject: "Met at the fair", status: "done", outcome: "Wants 20 laptops", identityName: "Acme Trading", dueOn: null, dueAt: null }),
  ];
  activitiesMock.timeline = [
    { kind: "stage", at: "2025-03-15T08:00:00Z", userName: "Sara Karimi", opportunityId: 5, opportunityTitle: "Laptops for Acme", activity: null, comment: null, fromStageId: 1, toStageId: 2, change: null, changeEntity: null, record: null },
    {
      kind: "change",
      at: "2025-03-14T08:00:00Z",
      userName: "Admin",
      opportunityId: 5,
      opportunityTitle: "Laptops for Acme",
      activity: null,
      comment: null,
      fromStageId: null,
      toStageId: null,
      change: { action: "update", userId: 1, at: "2025-03-14T08:00:00Z", changes: [{ field: "title", old: "Laptops", new: "Laptops for Acme" }, { field: "estimatedAmount", old: "1", new: "2" }] },
      changeEntity: "opportunity",
      record: null,
    },
  ];
});

afterEach(() => {
  clearMocks();
});

function renderTab(ui: React.ReactNode) {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <SettingsProvider>
        <ToastProvider>{ui}</ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>,
  );
}

describe("ActivitiesSection", () => {
  it("lists an identity's activities, marks one done with its outcome and exports the list", async () => {
    const user = userEvent.setup();
    renderTab(<ActivitiesSection identityId={1} />);
    const table = await screen.findByTestId("activities-table");
    const row = within(table).getByTestId("activity-row-1");
    expect(row.textContent).toContain("Send the quote");
    expect(row.textContent).toContain("Laptops for Acme");
    expect(row.textContent).toContain("2025/03/18 09:30");
    expect(within(row).getByText("Overdue")).toBeTruthy();
    expect(within(table).getByTestId("activity-row-2").textContent).toContain("Wants 20 laptops");
    expect(within(table).queryByTestId("activity-done-2")).toBeNull();

    await user.click(within(row).getByTestId("activity-done-1"));
    const finish = await screen.findByTestId("activity-finish-dialog");
    await user.type(within(finish).getByLabelText("Outcome"), "Sent by e-mail");
    await user.click(within(finish).getByTestId("activity-finish-confirm"));
    await waitFor(() => expect(screen.queryByTestId("activity-finish-dialog")).toBeNull());
    expect(backend.calls.find((c) => c.cmd === "finish_activity")?.args).toEqual({ id: 1, version: 1, status: "done", outcome: "Sent by e-mail" });
    await waitFor(() => expect(within(screen.getByTestId("activity-row-1")).getByText("Done")).toBeTruthy());

    // Only the planned ones: none is left.
    await user.click(screen.getByLabelText("Planned"));
    expect(await screen.findByText("No activities yet")).toBeTruthy();

    await user.click(screen.getByTestId("activities-export"));
    expect(await screen.findByText("Saved 0 rows to /home/sara/Downloads/activities-2025-03-20.csv")).toBeTruthy();
    expect(backend.calls.find((c) => c.cmd === "export_activities")?.args).toEqual({ query: { identityId: 1, statuses: ["planned"] }, language: "en" });
  });

  it("deletes an activity after asking", async () => {
    const user = userEvent.setup();
    renderTab(<ActivitiesSection opportunityId={5} identityId={1} />);
    await user.click(await screen.findByTestId("activity-delete-1"));
    const confirm = screen.getByTestId("activity-delete-dialog");
    expect(confirm.textContent).toContain("Delete “Send the quote”?");
    await user.click(within(confirm).getByTestId("activity-delete-confirm"));
    await waitFor(() => expect(screen.queryByTestId("activity-row-1")).toBeNull());
    expect(await screen.findByText("No activities yet")).toBeTruthy();
  });
});

describe("Timeline", () => {
  it("tells each entry in a sentence and filters by kind", async () => {
    const user = userEvent.setup();
    renderTab(<Timeline opportunityId={5} />);
    const timeline = await screen.findByTestId("timeline");
    await waitFor(() => expect(within(timeline).getAllByTestId("timeline-item")).toHaveLength(3));
    const texts = within(timeline).getAllByTestId("timeline-item").map((i) => `${i.dataset.kind}: ${i.querySelector(".timeline__text")?.textContent}`);
    const [from, to] = [stages[0]?.titleEn, stages[1]?.titleEn];
    expect(texts).toEqual([
      "activity: Follow-up “Send the quote”: Planned",
      `stage: Stage changed from ${from} to ${to}`,
      "change: Changed the opportunity: Title, Estimated amount",
    ]);

    const chip = within(timeline).getByTestId("timeline-kind-activity");
    expect(chip.getAttribute("aria-pressed")).toBe("true");
    await user.click(chip);
    expect(chip.getAttribute("aria-pressed")).toBe("false");
    await waitFor(() => expect(within(timeline).getAllByTestId("timeline-item").map((i) => i.dataset.kind)).toEqual(["stage", "change"]));
    expect(backend.calls.filter((c) => c.cmd === "timeline").at(-1)?.args).toEqual({ request: { opportunityId: 5, kinds: ["comment", "stage", "change", "financial"] } });
  });
});
