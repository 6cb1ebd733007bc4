import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useState } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { ToastProvider } from "../../components/Toast";
import { initI18n } from "../../i18n";
import type { AppSettings } from "../../lib/types";
import { adminMock, DEFAULT_SETTINGS, installMockBackend, type MockBackend } from "../../test/mockBackend";
import { GeneralSettings } from "./GeneralSettings";
import { currentYears, renderNumber } from "./numbering";

let backend: MockBackend;

function Harness() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <SettingsProvider>
        <ToastProvider>
          <GeneralSettings />
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>
  );
}

function install(settings: Partial<AppSettings> = {}) {
  backend = installMockBackend({ settings: { language: "en", calendar: "jalali", ...settings } }).backend;
}

beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  initI18n("en");
  install();
});

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

describe("Money settings", () => {
  it("shows a currencyDecimals out_of_range error on the Decimal places field", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const decimals = await screen.findByLabelText("Decimal places");
    expect((screen.getByLabelText("Currency code") as HTMLInputElement).value).toBe("IRR");
    expect((screen.getByLabelText("Tax rate (%)") as HTMLInputElement).value).toBe("10");

    await user.clear(decimals);
    await user.type(decimals, "7");
    await user.click(screen.getByTestId("settings-money-save"));

    const message = "Enter a value between 0 and 4.";
    await screen.findByText(message);
    expect(decimals.getAttribute("aria-invalid")).toBe("true");
    const describedBy = decimals.getAttribute("aria-describedby") ?? "";
    expect(describedBy.split(" ").map((id) => document.getElementById(id)?.textContent)).toContain(message);
    expect(backend.settings.currencyDecimals).toBe(0);

    // Fixing it saves and confirms.
    await user.clear(decimals);
    await user.type(decimals, "2");
    await user.click(screen.getByTestId("settings-money-save"));
    expect(await screen.findByText("Money settings saved.")).toBeTruthy();
    expect(backend.settings.currencyDecimals).toBe(2);
    expect(decimals.getAttribute("aria-invalid")).toBeNull();
  });

  it("tells a non-administrator plainly that they may not change it", async () => {
    const user = userEvent.setup();
    adminMock.signedInUserId = 2;
    render(<Harness />);
    await user.type(await screen.findByLabelText("Company name"), "Acme Trading");
    await user.click(screen.getByTestId("settings-company-save"));
    const card = screen.getByTestId("settings-company");
    expect((await within(card).findByRole("alert")).textContent).toMatch(/Only an administrator/);
    expect(backend.settings.companyName).toBe("");
  });
});

describe("Numbering settings", () => {
  it("renders the next number from a template", () => {
    expect(renderNumber("INV-{jy}-{seq:4}", 1, { jy: 1405, gy: 2026 })).toBe("INV-1405-0001");
    expect(renderNumber("{gy}/{seq}", 12, { jy: 1405, gy: 2026 })).toBe("2026/12");
    expect(renderNumber("INV-{jy}", 1, { jy: 1405, gy: 2026 })).toBeNull();
    expect(currentYears(new Date(2026, 4, 1))).toEqual({ jy: 1405, gy: 2026 });
  });

  it("shows INV-1405-0001 for INV-{jy}-{seq:4} in the Jalali year 1405, live while typing", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(2026, 4, 1)); // 11 Ordibehesht 1405
    install({ numbering: DEFAULT_SETTINGS.numbering.map((n) => (n.kind === "invoice" ? { ...n, template: "INV-{jy}-{seq:4}" } : n)) });
    const user = userEvent.setup();
    render(<Harness />);

    const template = await screen.findByLabelText("Invoice");
    expect((template as HTMLInputElement).value).toBe("INV-{jy}-{seq:4}");
    expect(screen.getByTestId("settings-numbering-example-invoice").textContent).toBe("INV-1405-0001");

    fireEvent.change(template, { target: { value: "F{gy}-{seq:3}" } });
    expect(screen.getByTestId("settings-numbering-example-invoice").textContent).toBe("F2026-001");

    // A template without the sequence is refused on its row.
    fireEvent.change(template, { target: { value: "F{gy}" } });
    await user.click(screen.getByTestId("settings-numbering-save"));
    expect(template.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Include the sequence, e.g. {seq:4}.")).toBeTruthy();

    fireEvent.change(template, { target: { value: "F-{jy}-{seq:4}" } });
    await user.click(screen.getByTestId("settings-numbering-save"));
    expect(await screen.findByText("Numbering saved.")).toBeTruthy();
    expect(backend.settings.numbering.find((n) => n.kind === "invoice")?.template).toBe("F-{jy}-{seq:4}");
  });
});

describe("Time zone", () => {
  it("follows the computer until an administrator picks a zone, then every today follows it", async () => {
    const user = userEvent.setup();
    // 00:30 on 2 December in Tehran, still 1 December in UTC.
    vi.useFakeTimers({ now: new Date(Date.UTC(2026, 11, 1, 21, 0)), shouldAdvanceTime: true });
    install({ calendar: "gregorian", timeZone: "UTC", timeZoneConfigured: false });
    render(<Harness />);
    const zone = (await screen.findByLabelText("Zone")) as HTMLSelectElement;
    expect(zone.value).toBe("");
    expect(within(zone).getByRole("option", { name: "This computer's zone (UTC)" })).toBeTruthy();
    expect(screen.getByText(/Today: 2026\/12\/01/)).toBeTruthy();

    await user.selectOptions(zone, "Asia/Tehran");
    await user.click(screen.getByTestId("settings-time-zone-save"));
    await screen.findByText("Time zone saved.");
    expect(backend.settings.timeZone).toBe("Asia/Tehran");
    expect(backend.settings.timeZoneConfigured).toBe(true);
    // The calendar's "today" is now the Tehran date.
    await screen.findByText(/Today: 2026\/12\/02/);
  });
});
