import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { ToastProvider } from "../../components/Toast";
import { initI18n } from "../../i18n";
import { adminMock, installMockBackend, type MockBackend } from "../../test/mockBackend";
import { desktopMock } from "../../test/mockDesktop";
import { SettingsPage } from "./SettingsPage";

let backend: MockBackend;

function Harness() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <SettingsProvider>
        <ToastProvider>
          <SettingsPage />
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>
  );
}

async function openAbout(user: ReturnType<typeof userEvent.setup>) {
  render(<Harness />);
  await user.click(await screen.findByTestId("settings-nav-about"));
  return screen.findByTestId("about-section");
}

beforeEach(() => {
  window.sessionStorage.clear();
  window.history.replaceState(null, "", "#/settings");
  initI18n("en");
  backend = installMockBackend({ settings: { language: "en", calendar: "gregorian" } }).backend;
});

afterEach(() => clearMocks());

describe("Settings › About and updates", () => {
  it("shows the version and the folders, and opens them", async () => {
    const user = userEvent.setup();
    await openAbout(user);
    expect((await screen.findByTestId("about-version")).textContent).toBe("Forsat 0.1.0");
    expect(screen.getByTestId("desktop-data-dir").textContent).toBe("/home/sara/.local/share/forsat");
    expect(screen.getByTestId("desktop-log-dir").textContent).toBe("/home/sara/.local/share/forsat/logs");
    await user.click(screen.getByTestId("open-data-folder"));
    await user.click(screen.getByTestId("open-log-folder"));
    await waitFor(() => expect(desktopMock.foldersOpened).toEqual(["data", "logs"]));
  });

  it("says in plain words when a folder cannot be opened", async () => {
    const user = userEvent.setup();
    await openAbout(user);
    desktopMock.nextError.open_folder = { kind: "unavailable", code: "open_failed" };
    await user.click(await screen.findByTestId("open-log-folder"));
    expect(await screen.findByText(/The folder could not be opened/)).toBeTruthy();
  });

  it("says that this is the newest version", async () => {
    const user = userEvent.setup();
    await openAbout(user);
    await user.click(await screen.findByTestId("update-check"));
    await waitFor(() => expect(screen.getByTestId("update-status").textContent).toBe("Forsat 0.1.0 is the newest version."));
    expect(screen.getByTestId("update-status").getAttribute("aria-live")).toBe("polite");
    expect(screen.queryByTestId("update-download")).toBeNull();
  });

  it("finds a newer version, downloads it with its progress, then installs and restarts", async () => {
    desktopMock.update = { version: "0.2.0", date: "2025-03-18T09:00:00Z", notes: "A faster board.\nFixes the import of dates." };
    let open!: () => void;
    desktopMock.gate = new Promise((resolve) => (open = resolve));
    const user = userEvent.setup();
    await openAbout(user);
    await user.click(await screen.findByTestId("update-check"));
    await waitFor(() => expect(screen.getByTestId("update-status").textContent).toBe("Forsat 0.2.0 is available."));
    expect(screen.getByText("Published on 2025/03/18.")).toBeTruthy();
    expect(screen.getByTestId("update-notes").textContent).toContain("Fixes the import of dates.");
    await user.click(screen.getByTestId("update-download"));
    const progress = await screen.findByTestId("update-progress");
    await waitFor(() => expect(progress.textContent).toContain("1 MB of 4 MB"));
    expect(within(progress).getByRole("progressbar")).toBeTruthy();
    expect(screen.queryByTestId("update-ready")).toBeNull();
    open();
    const ready = await screen.findByTestId("update-ready");
    expect(ready.textContent).toContain("Downloaded and checked. Install and restart?");
    expect(desktopMock.installed).toBe(false);
    await user.click(within(ready).getByTestId("update-install"));
    await waitFor(() => expect(desktopMock.restarted).toBe(true));
    expect(desktopMock.installed).toBe(true);
    const order = backend.calls.map((c) => c.cmd).filter((c) => c === "install_update" || c === "restart_app");
    expect(order).toEqual(["install_update", "restart_app"]);
  });

  it("refuses an update whose signature does not match, and says so", async () => {
    desktopMock.update = { version: "0.2.0", date: null, notes: null };
    desktopMock.nextError.download_update = { kind: "unavailable", code: "update_signature_invalid" };
    const user = userEvent.setup();
    await openAbout(user);
    await user.click(await screen.findByTestId("update-check"));
    await user.click(await screen.findByTestId("update-download"));
    const error = await screen.findByTestId("update-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("signature");
    expect(error.textContent).toContain("it was not installed");
    expect(screen.queryByTestId("update-ready")).toBeNull();
    expect(desktopMock.installed).toBe(false);
  });

  it("says in words when the update server cannot be reached", async () => {
    desktopMock.nextError.check_for_update = { kind: "unavailable", code: "update_unreachable" };
    const user = userEvent.setup();
    await openAbout(user);
    await user.click(await screen.findByTestId("update-check"));
    expect((await screen.findByTestId("update-error")).textContent).toContain("The update server could not be reached");
  });

  it("turns the check off when the office does not allow it, and on this computer", async () => {
    backend.settings.updatesAllowed = false;
    const user = userEvent.setup();
    await openAbout(user);
    await waitFor(() => expect((screen.getByTestId("update-check") as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByTestId("update-off").textContent).toBe("Update checks are turned off by the administrator.");
  });

  it("turns the check off when this computer has turned updates off", async () => {
    desktopMock.info.updatesOffHere = true;
    const user = userEvent.setup();
    await openAbout(user);
    await waitFor(() => expect((screen.getByTestId("update-check") as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByTestId("update-off").textContent).toContain("turned off on this computer by the administrator");
  });

  it("saves the quiet check after signing in, and the office's choice for administrators", async () => {
    const user = userEvent.setup();
    await openAbout(user);
    const atStart = (await screen.findByTestId("update-check-at-start")) as HTMLInputElement;
    expect(atStart.checked).toBe(true);
    await user.click(atStart);
    await waitFor(() => expect(backend.settings.checkUpdatesAtStart).toBe(false));
    await waitFor(() => expect(atStart.checked).toBe(false));
    const allowed = screen.getByTestId("updates-allowed") as HTMLInputElement;
    expect(screen.getByText(/office without internet/)).toBeTruthy();
    await user.click(allowed);
    await waitFor(() => expect(backend.settings.updatesAllowed).toBe(false));
    await waitFor(() => expect((screen.getByTestId("update-check") as HTMLButtonElement).disabled).toBe(true));
  });

  it("offers the office's choice to administrators only", async () => {
    adminMock.signedInUserId = 2;
    const user = userEvent.setup();
    await openAbout(user);
    expect(await screen.findByTestId("update-check-at-start")).toBeTruthy();
    expect(screen.queryByTestId("updates-allowed")).toBeNull();
  });

  it("opens from the address, and starts a check when the address asks for one", async () => {
    window.history.replaceState(null, "", "#/settings?section=about&check=1");
    render(<Harness />);
    expect(await screen.findByTestId("about-section")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("update-status").textContent).toBe("Forsat 0.1.0 is the newest version."));
    expect(desktopMock.checks).toBe(1);
    // The address forgets the check (the section stays) and the section is remembered.
    expect(window.location.hash).toBe("#/settings?section=about");
    expect(window.sessionStorage.getItem("forsat.settingsSection")).toBe("about");
  });

  it("shows in Persian with Persian digits", async () => {
    initI18n("fa");
    backend.settings.language = "fa";
    backend.settings.calendar = "jalali";
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(await screen.findByTestId("settings-nav-about"));
    expect(screen.getByTestId("settings-nav-about").textContent).toBe("درباره و به‌روزرسانی");
    await waitFor(() => expect(screen.getByTestId("about-version").textContent).toBe("فرصت ۰.۱.۰"));
    initI18n("en");
  });
});
