import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useState } from "react";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClientProvider } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { ToastProvider } from "../../components/Toast";
import { initI18n } from "../../i18n";
import { setTimeZone } from "../../lib/clock";
import type { Activity } from "../../lib/types";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { activitiesMock } from "../../test/mockActivities";
import { ActivityDialog } from "./ActivityDialog";
import type { ActivityPreset } from "./activityModel";

let backend: MockBackend;

beforeEach(() => {
  // Only the clock is fixed (10:07 UTC); timers stay real for the user events.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2025-03-20T10:07:00Z"));
  window.localStorage.clear();
  initI18n("en");
  setTimeZone("UTC");
  const acme = makeIdentity(1, { displayName: "Acme Trading" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme" })],
    settings: { language: "en", calendar: "gregorian", timeZone: "UTC" },
  }).backend;
});

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

function Harness({ preset, onSaved }: { preset: ActivityPreset; onSaved: (a: Activity) => void }) {
  const [open, setOpen] = useState(true);
  return <ActivityDialog open={open} onClose={() => setOpen(false)} preset={preset} opportunityId={5} identityId={1} onSaved={onSaved} />;
}

async function openDialog(preset: ActivityPreset) {
  const onSaved = vi.fn();
  render(
    <QueryClientProvider client={createQueryClient()}>
      <SettingsProvider>
        <ToastProvider>
          <Harness preset={preset} onSaved={onSaved} />
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>,
  );
  const dialog = await screen.findByTestId("activity-dialog");
  // The signed-in user (Admin) is the default assignee once known.
  await waitFor(() => expect((within(dialog).getByLabelText("Assigned to") as HTMLSelectElement).value).toBe("1"));
  return { dialog, onSaved };
}

const createdInput = () => backend.calls.filter((c) => c.cmd === "create_activity").map((c) => (c.args as { input: unknown }).input);

describe("ActivityDialog", () => {
  it("sends a reminder due at the next quarter hour, reminding at the time", async () => {
    const user = userEvent.setup();
    const { dialog, onSaved } = await openDialog("reminder");
    expect(within(dialog).getByRole("heading", { name: "New reminder" })).toBeTruthy();
    expect((within(dialog).getByLabelText("Kind") as HTMLSelectElement).value).toBe("task");
    expect((within(dialog).getByLabelText("Due date") as HTMLInputElement).value).toBe("2025/03/20");
    expect((within(dialog).getByLabelText("Time") as HTMLInputElement).value).toBe("10:15");
    const reminder = within(dialog).getByLabelText("Reminder") as HTMLSelectElement;
    expect(reminder.disabled).toBe(false);
    expect(reminder.selectedOptions[0]?.textContent).toBe("At the due time");
    // Calls only: no direction or result here.
    expect(dialog.querySelector('[data-field="direction"]')).toBeNull();

    await user.type(within(dialog).getByLabelText("Subject"), "Send the revised quote");
    await user.click(within(dialog).getByTestId("activity-save"));

    await waitFor(() => expect(screen.queryByTestId("activity-dialog")).toBeNull());
    expect(createdInput()).toEqual([
      {
        kind: "task",
        subject: "Send the revised quote",
        opportunityId: 5,
        identityId: null,
        assignedUserId: 1,
        dueOn: "2025-03-20",
        dueTime: "10:15",
        durationMinutes: null,
        status: "planned",
        direction: null,
        callResult: null,
        outcome: null,
        remindBeforeMinutes: 0,
      },
    ]);
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ subject: "Send the revised quote", remindBeforeMinutes: 0, opportunityTitle: "Laptops for Acme" }));
    expect(await screen.findByText("“Send the revised quote” was saved.")).toBeTruthy();
  });

  it("shows a field error the backend returns on its control, and keeps the dialog open", async () => {
    const user = userEvent.setup();
    const { dialog } = await openDialog("followup");
    activitiesMock.nextError = { kind: "validation", fields: [{ field: "assignedUserId", code: "not_allowed", min: null, max: null }] };
    await user.type(within(dialog).getByLabelText("Subject"), "Check the delivery");
    await user.click(within(dialog).getByTestId("activity-save"));

    const assigned = within(dialog).getByLabelText("Assigned to");
    await waitFor(() => expect(assigned.getAttribute("aria-invalid")).toBe("true"));
    const errorId = assigned.getAttribute("aria-describedby")?.split(" ").find((id) => id.endsWith("-error"));
    expect(errorId && document.getElementById(errorId)?.textContent).toBe("This value is not allowed here.");
    expect(within(dialog).getByTestId("activity-alert").textContent).toContain("Some fields need attention");
    await waitFor(() => expect(document.activeElement).toBe(assigned));
    expect(screen.getByTestId("activity-dialog")).toBeTruthy();

    // Choosing again clears the error; the next save goes through.
    await user.selectOptions(assigned, "2");
    expect(assigned.getAttribute("aria-invalid")).toBeNull();
    await user.click(within(dialog).getByTestId("activity-save"));
    await waitFor(() => expect(screen.queryByTestId("activity-dialog")).toBeNull());
    expect(createdInput().at(-1)).toMatchObject({ kind: "task", assignedUserId: 2, dueOn: "2025-03-21", dueTime: null, remindBeforeMinutes: null });
  });

  it("offers a reminder only once a time is typed, and saves with Ctrl+Enter", async () => {
    const user = userEvent.setup();
    const { dialog } = await openDialog("followup");
    const reminder = within(dialog).getByLabelText("Reminder") as HTMLSelectElement;
    expect(reminder.disabled).toBe(true);
    expect(within(dialog).getByText("Enter a time to set a reminder.")).toBeTruthy();

    await user.type(within(dialog).getByLabelText("Time"), "۱۴:۳۰");
    expect(reminder.disabled).toBe(false);
    await user.selectOptions(reminder, "15");
    await user.type(within(dialog).getByLabelText("Subject"), "Call about the contract");
    await user.keyboard("{Control>}{Enter}{/Control}");

    await waitFor(() => expect(screen.queryByTestId("activity-dialog")).toBeNull());
    expect(createdInput().at(-1)).toMatchObject({ dueOn: "2025-03-21", dueTime: "14:30", remindBeforeMinutes: 15 });
  });

  it("asks for a subject before saving", async () => {
    const user = userEvent.setup();
    const { dialog } = await openDialog("call");
    expect((within(dialog).getByLabelText("Call direction") as HTMLSelectElement).value).toBe("outgoing");
    await user.click(within(dialog).getByTestId("activity-save"));
    const subject = within(dialog).getByLabelText("Subject");
    await waitFor(() => expect(subject.getAttribute("aria-invalid")).toBe("true"));
    expect(within(dialog).getByText("This field is required.")).toBeTruthy();
    expect(createdInput()).toEqual([]);
  });
});
