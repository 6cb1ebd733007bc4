import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClientProvider } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { transferMock } from "../../test/mockTransfer";
import { ExportButton, shortPath } from "./ExportButton";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [makeOpportunity(1, acme), makeOpportunity(2, acme), makeOpportunity(3, acme)],
    settings: { language: "en" },
  }).backend;
});

afterEach(() => {
  clearMocks();
});

function renderButton() {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <SettingsProvider>
        <ExportButton filter={{ stageIds: [3] }} sort={[{ column: "title", desc: false }]} columns={["title", "stage"]} />
      </SettingsProvider>
    </QueryClientProvider>,
  );
}

describe("ExportButton", () => {
  it("offers CSV and Excel, exports the given filter and says where the file went", async () => {
    const user = userEvent.setup();
    renderButton();
    await user.click(screen.getByRole("button", { name: "Export" }));
    const menu = screen.getByRole("menu", { name: "Export format" });
    expect(within(menu).getAllByRole("menuitem").map((i) => i.textContent)).toEqual(["CSV (UTF-8)", "Excel (XLSX)", "CSV, every column (imports back)"]);
    // The menu is keyboard-friendly: focus starts on the first entry, arrows move, Escape closes.
    expect(document.activeElement?.textContent).toBe("CSV (UTF-8)");
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement?.textContent).toBe("Excel (XLSX)");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Export" }));
    await user.click(screen.getByRole("menuitem", { name: "CSV (UTF-8)" }));
    const result = await screen.findByTestId("export-result");
    expect(result.textContent).toContain("Saved 3 rows to …/Downloads/opportunities-2026-11-29.csv");
    const call = backend.calls.find((c) => c.cmd === "export_opportunities")?.args as { request: unknown; job: number };
    expect(call.request).toEqual({ filter: { stageIds: [3] }, sort: [{ column: "title", desc: false }], columns: ["title", "stage"], format: "csv", language: "en" });
    expect(call.job).toBeGreaterThan(0);
  });

  it("says nothing when the save dialog is closed: nothing was written", async () => {
    const user = userEvent.setup();
    transferMock.nextSaveDialogClosed = true;
    renderButton();
    await user.click(screen.getByRole("button", { name: "Export" }));
    await user.click(screen.getByRole("menuitem", { name: "CSV (UTF-8)" }));
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === "export_opportunities")).toBe(true));
    await waitFor(() => expect(screen.getByRole("button", { name: "Export" })).toHaveProperty("disabled", false));
    expect(screen.queryByTestId("export-result")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("exports every column, whatever the list shows, for a file that imports back whole", async () => {
    const user = userEvent.setup();
    renderButton();
    await user.click(screen.getByRole("button", { name: "Export" }));
    await user.click(screen.getByRole("menuitem", { name: "CSV, every column (imports back)" }));
    await screen.findByTestId("export-result");
    const call = backend.calls.find((c) => c.cmd === "export_opportunities")?.args as { request: { columns: unknown; format: unknown } };
    expect(call.request.columns).toEqual([]);
    expect(call.request.format).toBe("csv");
  });

  it("shows a progress bar with Cancel for a long export, and cancels it", async () => {
    const user = userEvent.setup();
    let release = () => undefined as void;
    transferMock.gate = new Promise<void>((r) => {
      release = r;
    });
    renderButton();
    await user.click(screen.getByRole("button", { name: "Export" }));
    await user.click(screen.getByRole("menuitem", { name: "Excel (XLSX)" }));
    // Not at once: only once the export has taken longer than about 300 ms.
    expect(screen.queryByTestId("export-progress")).toBeNull();
    const progress = await screen.findByTestId("export-progress", {}, { timeout: 2000 });
    expect(within(progress).getByText("0 of 3 rows")).toBeTruthy();
    await user.click(within(progress).getByRole("button", { name: "Cancel export" }));
    release();
    expect((await screen.findByTestId("export-result")).textContent).toContain("The export was cancelled. No file was kept.");
    expect(screen.queryByTestId("export-progress")).toBeNull();
  });

  it("explains errors in plain words", async () => {
    const user = userEvent.setup();
    transferMock.nextExportError = { kind: "validation", fields: [{ field: "format", code: "too_long", min: null, max: "1048575" }] };
    renderButton();
    await user.click(screen.getByRole("button", { name: "Export" }));
    await user.click(screen.getByRole("menuitem", { name: "Excel (XLSX)" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Too many rows for one Excel sheet (at most 1,048,575). Export as CSV, or narrow the filter.");
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByTestId("export-result")).toBeNull());

    transferMock.nextExportError = { kind: "database", message: "export folder: permission denied" };
    await user.click(screen.getByRole("button", { name: "Export" }));
    await user.click(screen.getByRole("menuitem", { name: "CSV (UTF-8)" }));
    expect((await screen.findByRole("alert")).textContent).toContain("The file could not be written.");
  });

  it("shortens the saved path to its folder and file", () => {
    expect(shortPath("/home/sara/Downloads/opportunities-2026-11-29.csv")).toBe("…/Downloads/opportunities-2026-11-29.csv");
    expect(shortPath("C:\\Users\\sara\\Downloads\\x.csv")).toBe("…/Downloads/x.csv");
    expect(shortPath("/tmp/x.csv")).toBe("/tmp/x.csv");
  });
});
