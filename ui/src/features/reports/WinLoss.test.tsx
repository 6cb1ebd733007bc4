import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configure, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity } from "../../test/mockBackend";

// ECharts needs a real canvas; a stand-in keeps the options it is given.
vi.mock("./echarts", () => ({
  loadChartParts: () => Promise.resolve(),
  createChart: () => ({ setOption() {}, resize() {}, dispose() {}, getDataURL: () => null, on() {}, off() {} }),
}));

const rowsOf = (table: HTMLElement) => within(table).getAllByRole("row").map((row) => Array.from(row.children).map((cell) => cell.textContent?.trim() ?? ""));

// The reports chunk (ECharts included) loads lazily and the whole app renders: give
// a busy machine room before a wait or a test counts as failed.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme" });
  installMockBackend({
    identities: [acme],
    opportunities: [
      makeOpportunity(1, acme, { stageId: 1, estimatedAmount: "5000000", createdAt: "2026-03-05T08:00:00Z" }),
      makeOpportunity(2, acme, { stageId: 4, stageKind: "won", winReasonId: 20, estimatedAmount: "30000000", assignedUserId: 2, createdAt: "2026-03-06T08:00:00Z" }),
      makeOpportunity(3, acme, { stageId: 4, stageKind: "won", winReasonId: 20, estimatedAmount: "10000000", createdAt: "2026-03-07T08:00:00Z" }),
      makeOpportunity(4, acme, { stageId: 5, stageKind: "lost", lossReasonId: 21, estimatedAmount: "1000000", createdAt: "2026-03-02T08:00:00Z" }),
    ],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
  });
  window.history.replaceState(null, "", "#/reports");
});

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

describe("Reports — win / loss", () => {
  it("shows the summary and the table by assigned user", async () => {
    const user = userEvent.setup();
    render(<App />);
    const tab = await screen.findByTestId("report-tab-winloss");
    expect(screen.getByRole("tablist", { name: "Reports" })).toBeTruthy();
    await user.click(tab);
    expect(tab.getAttribute("aria-selected")).toBe("true");

    const summary = await screen.findByTestId("report-winloss-summary");
    const stat = (key: string) => summary.querySelector(`[data-stat="${key}"] .report-stat__value`)?.textContent;
    expect(stat("won")).toBe("2");
    expect(stat("lost")).toBe("1");
    expect(stat("rate")).toBe("66.7%");
    expect(stat("wonAmount")).toContain("40,000,000");

    expect(rowsOf(within(screen.getByTestId("report-winloss-users")).getByRole("table"))).toEqual([
      ["User", "Won", "Won amount (IRR)", "Lost", "Lost amount (IRR)", "Win rate"],
      ["Admin", "1", "10,000,000", "1", "1,000,000", "50%"],
      ["Sara Karimi", "1", "30,000,000", "0", "0", "100%"],
    ]);
  });
});
