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
import { adminMock, installMockBackend } from "../../test/mockBackend";
import { backupMock } from "../../test/mockBackup";
import { desktopMock } from "../../test/mockDesktop";
import { SettingsPage } from "./SettingsPage";
import { sizeParts } from "./BackupSettings";

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

async function openBackups(user: ReturnType<typeof userEvent.setup>) {
  render(<Harness />);
  await user.click(await screen.findByTestId("settings-nav-backup"));
}

beforeEach(() => {
  window.sessionStorage.clear();
  initI18n("en");
  installMockBackend({ settings: { language: "en", calendar: "gregorian" } });
});

afterEach(() => clearMocks());

describe("sizeParts", () => {
  it("picks the largest unit that keeps the value at least 1", () => {
    expect(sizeParts(512)).toEqual({ value: 512, unit: "b" });
    expect(sizeParts(2_516_582)).toEqual({ value: 2.4, unit: "mb" });
    expect(sizeParts(1024 ** 4)).toEqual({ value: 1024, unit: "gb" });
  });
});

describe("Settings › Backups", () => {
  it("lists the backups with their kind and size, and backs up now", async () => {
    const user = userEvent.setup();
    await openBackups(user);
    const rows = await screen.findAllByTestId("backup-row");
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain("Daily");
    expect(rows[0].textContent).toContain("2.4 MB");
    expect(rows[0].textContent).toContain("2025/03/19");
    await user.click(screen.getByTestId("backup-now"));
    await waitFor(() => expect(screen.getAllByTestId("backup-row")).toHaveLength(2));
    expect(screen.getAllByTestId("backup-row")[0].textContent).toContain("By hand");
    expect(await screen.findByText(/Backup made: forsat-20250320/)).toBeTruthy();
  });

  it("refuses a number of backups to keep out of range before asking, and saves a good one", async () => {
    const user = userEvent.setup();
    await openBackups(user);
    const keep = await screen.findByTestId("backup-keep");
    await user.clear(keep);
    await user.type(keep, "0");
    await user.click(screen.getByTestId("backup-keep-save"));
    expect(await screen.findByText(/between 1 and 365/)).toBeTruthy();
    expect(backupMock.keep).toBe(7);
    await user.clear(keep);
    await user.type(keep, "۳۰");
    await user.click(screen.getByTestId("backup-keep-save"));
    await waitFor(() => expect(backupMock.keep).toBe(30));
  });

  it("restores after asking, showing the steps, and keeps a safety copy", async () => {
    const user = userEvent.setup();
    await openBackups(user);
    const row = (await screen.findAllByTestId("backup-row"))[0];
    await user.click(within(row).getByTestId("backup-restore"));
    const dialog = await screen.findByTestId("backup-restore-dialog");
    expect(dialog.textContent).toContain("A copy of the current data is kept first");
    expect(backupMock.restored).toEqual([]);
    await user.click(within(dialog).getByTestId("backup-restore-confirm"));
    await waitFor(() => expect(backupMock.restored).toEqual(["forsat-auto-20250319-080000.sqlite"]));
    expect(await screen.findByText(/The data it replaced is kept as forsat-before-restore-/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("backup-restore-dialog")).toBeNull());
  });

  it("says in words why a file cannot be restored", async () => {
    const user = userEvent.setup();
    await openBackups(user);
    await user.click(await screen.findByTestId("backup-restore-file"));
    const dialog = await screen.findByTestId("backup-restore-dialog");
    await user.type(within(dialog).getByTestId("backup-path"), "/home/me/notes.txt");
    backupMock.nextRestoreError = { kind: "validation", fields: [{ field: "file", code: "invalid", min: "not_sqlite", max: null }] };
    await user.click(within(dialog).getByTestId("backup-restore-confirm"));
    expect(await within(dialog).findByText("This file is not a Forsat backup.")).toBeTruthy();
    expect(backupMock.restored).toEqual([]);
  });

  it("restores a file chosen in the system's dialog, and keeps typing a path possible", async () => {
    const user = userEvent.setup();
    await openBackups(user);
    // The dialog closed without a file: nothing happens.
    await user.click(await screen.findByTestId("backup-pick-file"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByTestId("backup-restore-dialog")).toBeNull();

    desktopMock.pickedBackup = "/media/usb/forsat-20250301.forsat";
    await user.click(screen.getByTestId("backup-pick-file"));
    const dialog = await screen.findByTestId("backup-restore-dialog");
    const path = within(dialog).getByTestId("backup-path") as HTMLInputElement;
    expect(path.value).toBe("/media/usb/forsat-20250301.forsat");
    // Typed over, then chosen again from the dialog beside the field.
    await user.clear(path);
    await user.type(path, "/home/me/typed.sqlite");
    expect(path.value).toBe("/home/me/typed.sqlite");
    desktopMock.pickedBackup = "/media/usb/other.forsat";
    await user.click(within(dialog).getByTestId("backup-path-choose"));
    await waitFor(() => expect(path.value).toBe("/media/usb/other.forsat"));
    await user.click(within(dialog).getByTestId("backup-restore-confirm"));
    await waitFor(() => expect(backupMock.restored).toEqual(["/media/usb/other.forsat"]));
  });

  it("explains the team server's own backups instead of a list", async () => {
    backupMock.available = false;
    const user = userEvent.setup();
    await openBackups(user);
    expect((await screen.findByTestId("backup-server")).textContent).toContain("pg_dump --format=custom");
    expect(screen.queryByTestId("backup-now")).toBeNull();
  });

  it("is not offered to someone who is not an administrator", async () => {
    adminMock.signedInUserId = 2;
    const calls = installMockBackend({ settings: { language: "en", calendar: "gregorian" } }).backend.calls;
    adminMock.signedInUserId = 2;
    render(<Harness />);
    await waitFor(() => expect(calls.some((c) => c.cmd === "session")).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await screen.findByTestId("settings-nav-users");
    expect(screen.queryByTestId("settings-nav-backup")).toBeNull();
  });
});
