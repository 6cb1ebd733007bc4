// A form open on an opportunity that someone else saves meanwhile (live updates).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { OpportunityDetail } from "../../lib/types";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { changeRef, emitRecordsChanged } from "../../test/mockLiveEvents";

vi.mock("../../app/live/events", async () => (await import("../../test/mockLiveEvents")).liveEventsModule);

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme", sourceId: 3 })],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
  window.history.replaceState(null, "", "#/opportunities/5");
});

afterEach(() => {
  clearMocks();
});

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;

/** Someone else saves opportunity 5 on the server, and the backend announces it. */
function savedElsewhere(change: Partial<OpportunityDetail>, userId: number | null = 2) {
  backend.opportunities = backend.opportunities.map((o) => (o.id === 5 ? { ...o, ...change, version: o.version + 1 } : o));
  emitRecordsChanged({ changes: [changeRef("opportunity", 5, { userId })], refreshAll: false });
}

async function openForm() {
  render(<App />);
  await screen.findByTestId("opportunity-form");
  await waitFor(() => expect(input("Title").value).toBe("Laptops for Acme"));
}

describe("A form open on an opportunity changed elsewhere", () => {
  it("does not overwrite what was typed: it says who changed what, and keeps mine on top", async () => {
    const user = userEvent.setup();
    await openForm();
    await user.type(input("Title"), " (mine)");
    savedElsewhere({ title: "Laptops for Acme Co", sourceId: 4 });

    const notice = await screen.findByTestId("form-changed-elsewhere");
    expect(notice.getAttribute("role")).toBe("status");
    expect(notice.textContent).toContain("Sara Karimi changed this opportunity while you were editing it.");
    const fields = within(within(notice).getByTestId("changed-fields")).getAllByRole("listitem").map((li) => li.textContent);
    expect(fields).toEqual(["Title (you changed this too)", "Source"]);
    // Nothing typed was replaced.
    expect(input("Title").value).toBe("Laptops for Acme (mine)");
    expect(input("Source").value).toBe("3");

    await user.click(within(notice).getByTestId("keep-mine"));
    expect(screen.queryByTestId("form-changed-elsewhere")).toBeNull();
    expect(input("Title").value).toBe("Laptops for Acme (mine)");
    expect(input("Source").value).toBe("4");

    // The next save goes through, on top of their version.
    await user.click(screen.getByTestId("opportunity-save"));
    await screen.findByText("“Laptops for Acme (mine)” was saved.");
    const sent = backend.calls.filter((c) => c.cmd === "update_opportunity").at(-1)?.args as { version: number; input: { title: string; sourceId: number } };
    expect(sent.version).toBe(2);
    expect(sent.input).toMatchObject({ title: "Laptops for Acme (mine)", sourceId: 4 });
    expect(screen.queryByTestId("conflict-banner")).toBeNull();
  });

  it("takes their version, dropping the edits", async () => {
    const user = userEvent.setup();
    await openForm();
    await user.type(input("Title"), " (mine)");
    savedElsewhere({ sourceId: 4 }, null);

    const notice = await screen.findByTestId("form-changed-elsewhere");
    expect(notice.textContent).toContain("Someone else changed this opportunity while you were editing it.");
    await user.click(within(notice).getByTestId("take-theirs"));
    expect(screen.queryByTestId("form-changed-elsewhere")).toBeNull();
    expect(input("Title").value).toBe("Laptops for Acme");
    expect(input("Source").value).toBe("4");
  });

  it("refreshes an untouched form quietly", async () => {
    await openForm();
    savedElsewhere({ title: "Renamed by Sara" });
    await waitFor(() => expect(input("Title").value).toBe("Renamed by Sara"));
    expect(screen.queryByTestId("form-changed-elsewhere")).toBeNull();
  });

  it("says nothing about the user's own changes made elsewhere", async () => {
    const user = userEvent.setup();
    await openForm();
    await user.type(input("Title"), " (mine)");
    savedElsewhere({ sourceId: 4 }, 1);
    // The detail was asked again, and nothing was announced.
    await waitFor(() => expect(backend.calls.filter((c) => c.cmd === "get_opportunity").length).toBeGreaterThan(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId("form-changed-elsewhere")).toBeNull();
    expect(input("Title").value).toBe("Laptops for Acme (mine)");
  });

  it("speaks Persian in Persian", async () => {
    initI18n("fa");
    backend.settings = { ...backend.settings, language: "fa" };
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("opportunity-form");
    const title = (await screen.findByLabelText("عنوان")) as HTMLInputElement;
    await waitFor(() => expect(title.value).toBe("Laptops for Acme"));
    await user.type(title, "!");
    savedElsewhere({ sourceId: 4 });
    const notice = await screen.findByTestId("form-changed-elsewhere");
    expect(notice.textContent).toContain("«Sara Karimi» هم‌زمان با ویرایش شما این فرصت را تغییر داد.");
    expect(within(notice).getByTestId("keep-mine").textContent).toBe("نگه‌داشتن تغییرات من");
  });
});
