// A financial record form open while someone else saves the same record (live updates).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { FinancialDetail } from "../../lib/types";
import { installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";
import { catalogueMock, makeFinancial } from "../../test/mockCatalogue";
import { changeRef, emitRecordsChanged } from "../../test/mockLiveEvents";

vi.mock("../../app/live/events", async () => (await import("../../test/mockLiveEvents")).liveEventsModule);

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  backend = installMockBackend({
    identities: [makeIdentity(1, { displayName: "Acme Trading", kind: "organization" })],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
  }).backend;
  catalogueMock.records = [makeFinancial(7, { kind: "receipt", number: "RC-7", title: "Advance", identityName: "Acme Trading", amount: "1000", method: "cash" })];
  window.history.replaceState(null, "", "#/records/7");
});

afterEach(() => {
  clearMocks();
});

function savedElsewhere(change: Partial<FinancialDetail>) {
  catalogueMock.records = catalogueMock.records.map((r) => (r.id === 7 ? { ...r, ...change, version: r.version + 1 } : r));
  emitRecordsChanged({ changes: [changeRef("financial_record", 7, { userId: 2 })], refreshAll: false });
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe("A financial record changed elsewhere", () => {
  it("keeps mine on top and saves on their version", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("financial-form");
    await user.type(field("Description"), "Paid at the office");
    savedElsewhere({ referenceNo: "R-9" });

    const notice = await screen.findByTestId("form-changed-elsewhere");
    expect(notice.textContent).toContain("Sara Karimi changed this record while you were editing it.");
    expect(within(notice).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Reference number"]);
    expect(field("Reference number").value).toBe("");
    await user.click(within(notice).getByTestId("keep-mine"));
    expect(field("Reference number").value).toBe("R-9");
    expect(field("Description").value).toBe("Paid at the office");

    await user.click(screen.getByTestId("record-save"));
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === "update_financial_record")).toBe(true));
    const sent = backend.calls.filter((c) => c.cmd === "update_financial_record").at(-1)?.args as { version: number; input: { referenceNo: string; description: string } };
    expect(sent.version).toBe(2);
    expect(sent.input).toMatchObject({ referenceNo: "R-9", description: "Paid at the office" });
    await waitFor(() => expect(screen.queryByTestId("form-alert")).toBeNull());
    expect(screen.queryByTestId("conflict-banner")).toBeNull();
  });

  it("offers only their version once they approved it", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("financial-form");
    await user.type(field("Description"), "x");
    savedElsewhere({ status: "approved" });
    const notice = await screen.findByTestId("form-changed-elsewhere");
    expect(within(notice).queryByTestId("keep-mine")).toBeNull();
    await user.click(within(notice).getByTestId("take-theirs"));
    expect(await screen.findByTestId("approved-note")).toBeTruthy();
    // Their approved version, read-only: what I typed is gone and no box is left to type in.
    expect(screen.queryByLabelText("Description")).toBeNull();
    expect(screen.getByTestId("record-value-description").textContent).toBe("—");
  });
});
