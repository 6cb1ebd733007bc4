import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { ListRequest } from "../../lib/types";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { followupMock } from "../../test/mockFollowup";

// Whole-app renders in jsdom are slow on a busy machine.
vi.setConfig({ testTimeout: 20_000 });
configure({ asyncUtilTimeout: 5_000 });

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [
      makeOpportunity(1, acme, { title: "Network upgrade", stageId: 1 }),
      makeOpportunity(2, acme, { title: "Server room", stageId: 2 }),
      makeOpportunity(5, acme, { title: "Printers", stageId: 4, stageKind: "won", winReasonId: 20, wonOn: "2025-03-10" }),
    ],
    settings: { language: "en", calendar: "gregorian" },
  }).backend;
  // A planned call follows "Server room" up.
  followupMock.nextSteps = new Set([2]);
});

afterEach(() => {
  clearMocks();
  window.location.hash = "";
});

const listRequests = () => backend.calls.filter((c) => c.cmd === "list_opportunities").map((c) => (c.args as { request: ListRequest }).request);

describe("no next step", () => {
  it("marks the open cards that no planned activity follows up", async () => {
    window.location.hash = "#/opportunities/board";
    render(<App />);
    const card = await screen.findByTestId("card-1");
    expect(within(card).getByTestId("card-no-step-1").textContent).toBe("No next step");
    await screen.findByTestId("card-2");
    expect(screen.queryByTestId("card-no-step-2")).toBeNull();
    // Closed opportunities need no next step.
    expect(screen.queryByTestId("card-no-step-5")).toBeNull();
  });

  it("filters the list by it, in the address as nostep=1", async () => {
    const user = userEvent.setup();
    window.location.hash = "#/opportunities";
    render(<App />);
    await screen.findByTestId("opportunity-table");
    await user.click(screen.getByTestId("filters-toggle"));
    await user.click(screen.getByTestId("filter-no-next-step"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?nostep=1"));
    await waitFor(() => expect(listRequests().at(-1)?.filter.noNextStep).toBe(true));
    await waitFor(() => expect(within(screen.getByTestId("opportunity-table")).queryByText("Server room")).toBeNull());
    expect(within(screen.getByTestId("opportunity-table")).getByText("Network upgrade")).toBeTruthy();
    expect(within(screen.getByTestId("filter-chips")).getByText("No next step")).toBeTruthy();
  });
});
