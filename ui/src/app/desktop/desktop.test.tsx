// The desktop program in the signed-in window, end to end through the generated
// bindings: the native menu (menu-chosen), files handed over (file-opened), the menu's
// language, and the quiet update check's notice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "i18next";
import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { MenuAction } from "../../lib/types";
import { adminMock, installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";
import { backupMock } from "../../test/mockBackup";
import { desktopMock } from "../../test/mockDesktop";
import { stagedFile } from "../../test/mockTransfer";
import { resetQuietCheck } from "./useUpdateNotice";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  initI18n("en");
  backend = installMockBackend({ identities: [makeIdentity(1, { displayName: "Acme Trading" })], settings: { language: "en", calendar: "gregorian" } }).backend;
  // Most tests here are not about the quiet check.
  backend.settings.checkUpdatesAtStart = false;
  resetQuietCheck();
  window.history.replaceState(null, "", "#/identities");
});

afterEach(() => {
  clearMocks();
});

/** The listeners are set up asynchronously. */
const listening = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

async function start() {
  render(<App />);
  await screen.findByText("Acme Trading");
  await listening();
}

const choose = (action: MenuAction) => act(() => emit("menu-chosen", { action }));

describe("the native menu", () => {
  it("speaks the UI's language, from the sign-in screen on", async () => {
    adminMock.signedInUserId = null;
    render(<App />);
    await screen.findByTestId("sign-in-submit");
    await waitFor(() => expect(desktopMock.menuLanguages).toEqual(["en"]));
    await act(async () => {
      await i18n.changeLanguage("fa");
    });
    await waitFor(() => expect(desktopMock.menuLanguages).toEqual(["en", "fa"]));
    initI18n("en");
  });

  it("goes to the screens it names", async () => {
    await start();
    await choose("board");
    expect(window.location.hash).toBe("#/opportunities/board");
    await choose("my_day");
    expect(window.location.hash).toBe("#/today");
    await choose("import");
    expect(window.location.hash).toBe("#/opportunities/import");
    await choose("about");
    expect(await screen.findByTestId("about-section")).toBeTruthy();
    await choose("settings");
    expect(window.location.hash).toBe("#/settings");
    await choose("products");
    expect(window.location.hash).toBe("#/products");
  });

  it("checks for updates in Settings › About", async () => {
    await start();
    await choose("check_for_updates");
    await waitFor(() => expect(screen.getByTestId("update-status").textContent).toBe("Forsat 0.1.0 is the newest version."));
    expect(desktopMock.checks).toBe(1);
    await waitFor(() => expect(window.location.hash).toBe("#/settings?section=about"));
    // Chosen again while About is open: another check.
    await choose("check_for_updates");
    await waitFor(() => expect(desktopMock.checks).toBe(2));
  });

  it("opens the new identity form, and says where a new opportunity starts", async () => {
    await start();
    await choose("new_identity");
    expect(await screen.findByTestId("identity-form")).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe("#/identities"));
    await userEvent.setup().keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("identity-form")).toBeNull());
    // Again: the form opens once more.
    await choose("new_identity");
    expect(await screen.findByTestId("identity-form")).toBeTruthy();
    await userEvent.setup().keyboard("{Escape}");

    await choose("new_opportunity");
    expect((await screen.findByTestId("identities-for-opportunity")).textContent).toContain("New opportunity");
  });

  it("starts a new opportunity for the identity in front", async () => {
    window.history.replaceState(null, "", "#/identities/1/records");
    render(<App />);
    await screen.findByTestId("new-opportunity");
    await listening();
    await choose("new_opportunity");
    expect(window.location.hash).toBe("#/opportunities/new?identity=1");
  });

  it("opens the data folder, and leaves backups to administrators", async () => {
    await start();
    await choose("open_data_folder");
    await waitFor(() => expect(desktopMock.foldersOpened).toEqual(["data"]));
    await choose("backup_now");
    expect(await screen.findByTestId("backup-section")).toBeTruthy();
  });

  it("tells someone who is not an administrator that backups are not theirs", async () => {
    adminMock.signedInUserId = 2;
    await start();
    await choose("backup_now");
    expect(await screen.findByText("Only an administrator can make and restore backups.")).toBeTruthy();
    expect(window.location.hash).toBe("#/identities");
  });
});

describe("files handed over", () => {
  it("opens an import file on the import screen, as if it had been picked there", async () => {
    desktopMock.opened = [{ kind: "import", fileName: "deals.csv", path: null, import: stagedFile("deals.csv", "Title,Customer\nServer room,Acme Trading\n") }];
    render(<App />);
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/import"));
    await screen.findByTestId("import-mapping");
    expect(screen.getByTestId("import-file-name").textContent).toContain("deals.csv");
    expect(screen.getByTestId("import-file-name").textContent).toContain("1 rows");

    // Another one while the import screen is open (a second launch with a file).
    desktopMock.opened = [{ kind: "import", fileName: "more.csv", path: null, import: stagedFile("more.csv", "Title,Customer\nA,B\nC,D\n") }];
    await act(() => emit("file-opened", { kind: "import" }));
    await waitFor(() => expect(screen.getByTestId("import-file-name").textContent).toContain("more.csv"));
    expect(screen.getByTestId("import-file-name").textContent).toContain("2 rows");
  });

  it("offers an administrator to restore a backup file, through the restore by path", async () => {
    await start();
    desktopMock.opened = [{ kind: "backup", fileName: "office.forsat", path: "/home/me/office.forsat", import: null }];
    await act(() => emit("file-opened", { kind: "backup" }));
    const dialog = await screen.findByTestId("opened-backup-dialog");
    expect(window.location.hash).toBe("#/settings?section=backup");
    expect(dialog.textContent).toContain("office.forsat");
    expect((within(dialog).getByTestId("backup-path") as HTMLInputElement).value).toBe("/home/me/office.forsat");
    await userEvent.setup().click(within(dialog).getByTestId("backup-restore-confirm"));
    await waitFor(() => expect(backupMock.restored).toEqual(["/home/me/office.forsat"]));
    await waitFor(() => expect(screen.queryByTestId("opened-backup-dialog")).toBeNull());
  });

  it("tells someone who is not an administrator that only one can restore a backup", async () => {
    adminMock.signedInUserId = 2;
    desktopMock.opened = [{ kind: "backup", fileName: "office.forsat", path: "/home/me/office.forsat", import: null }];
    await start();
    expect(await screen.findByText("Only an administrator can restore a backup. Ask your administrator to open this file.")).toBeTruthy();
    expect(screen.queryByTestId("opened-backup-dialog")).toBeNull();
    expect(backupMock.restored).toEqual([]);
  });
});

describe("the quiet update check", () => {
  it("tells of a newer version under the header, with the way to Settings › About", async () => {
    backend.settings.checkUpdatesAtStart = true;
    desktopMock.update = { version: "0.2.0", date: "2025-03-18T09:00:00Z", notes: null };
    await start();
    const notice = await screen.findByTestId("update-notice");
    expect(notice.textContent).toContain("Forsat 0.2.0 is available.");
    await userEvent.setup().click(within(notice).getByTestId("update-notice-open"));
    expect(await screen.findByTestId("about-section")).toBeTruthy();
    expect(screen.queryByTestId("update-notice")).toBeNull();
  });

  it("can be dismissed", async () => {
    backend.settings.checkUpdatesAtStart = true;
    desktopMock.update = { version: "0.2.0", date: null, notes: null };
    await start();
    await userEvent.setup().click(await screen.findByTestId("update-notice-dismiss"));
    expect(screen.queryByTestId("update-notice")).toBeNull();
  });
});
