import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { ActivityReportRequest } from "../../lib/types";
import { installMockBackend } from "../../test/mockBackend";
import { followupMock } from "../../test/mockFollowup";

configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  // Today is 2026-03-01 (1404/12/10); "this year" is 1404 on the Jalali calendar.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
  window.localStorage.clear();
});

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
  window.location.hash = "";
});

describe("the activities report", () => {
  it("asks for the period and shows planned, done, cancelled, overdue and total per user and kind, in Persian digits", async () => {
    initI18n("fa");
    const { backend } = installMockBackend({ settings: { language: "fa", calendar: "jalali" } });
    followupMock.report = [
      { userId: 2, userName: "Sara Karimi", kind: "call", planned: 3, done: 12, cancelled: 1, overdue: 2, total: 16 },
      { userId: 2, userName: "Sara Karimi", kind: "meeting", planned: 1, done: 2, cancelled: 0, overdue: 0, total: 3 },
      { userId: null, userName: null, kind: "task", planned: 4, done: 0, cancelled: 0, overdue: 4, total: 4 },
    ];
    window.location.hash = "#/reports?tab=activities";
    render(<App />);
    const table = await screen.findByTestId("report-activities-table");
    expect(screen.getByTestId("report-tab-activities").getAttribute("aria-selected")).toBe("true");
    const request = backend.calls.find((c) => c.cmd === "activity_report")?.args as { request: ActivityReportRequest };
    expect(request.request).toEqual({ from: "2025-03-21", to: "2026-03-20", userIds: [] });
    const call = within(table).getByTestId("report-activities-row-2-call");
    expect(call.textContent).toContain("Sara Karimi");
    expect(call.textContent).toContain("تماس");
    expect([...call.querySelectorAll("td.col-amount")].map((c) => c.textContent)).toEqual(["۳", "۱۲", "۱", "۲", "۱۶"]);
    expect(within(table).getByTestId("report-activities-row-none-task").textContent).toContain("بدون تخصیص");
    expect(within(table).getByTestId("report-activities-total-total").textContent).toBe("۲۳");
  });

  it("says so plainly when the period has no activities", async () => {
    initI18n("en");
    installMockBackend({ settings: { language: "en", calendar: "gregorian" } });
    window.location.hash = "#/reports?tab=activities";
    render(<App />);
    await waitFor(() => expect(screen.getByText("No activities in this period")).toBeTruthy());
  });
});
