// The desktop program's part of the fake backend: its folders, the menu's language,
// files handed over, and updates (a check, a download reporting its steps on the
// channel, installing and restarting), as the real commands answer them.

import type { Channel } from "@tauri-apps/api/core";
import type { AppError, AppSettings, AvailableUpdate, DesktopInfo, Folder, Language, OpenedFile, UpdateStep } from "../lib/types";

export const desktopMock = {
  info: null as unknown as DesktopInfo,
  /** The newer version the update server offers (null: this one is the newest). */
  update: null as AvailableUpdate | null,
  /** Files handed over and not yet taken, oldest first. */
  opened: [] as OpenedFile[],
  /** What the system's dialog for a backup file answers (null: closed). */
  pickedBackup: null as string | null,
  /** When set, the next command of that name answers with this error. */
  nextError: {} as Partial<Record<"check_for_update" | "download_update" | "install_update" | "open_folder", AppError>>,
  /** When set, a download waits for it after its first step. */
  gate: null as Promise<void> | null,
  menuLanguages: [] as Language[],
  foldersOpened: [] as Folder[],
  checks: 0,
  downloaded: false,
  installed: false,
  restarted: false,
};

export function resetDesktopMock(): void {
  desktopMock.info = { version: "0.1.0", dataDir: "/home/sara/.local/share/forsat", logDir: "/home/sara/.local/share/forsat/logs", updatesOffHere: false };
  desktopMock.update = null;
  desktopMock.opened = [];
  desktopMock.pickedBackup = null;
  desktopMock.nextError = {};
  desktopMock.gate = null;
  desktopMock.menuLanguages = [];
  desktopMock.foldersOpened = [];
  desktopMock.checks = 0;
  desktopMock.downloaded = false;
  desktopMock.installed = false;
  desktopMock.restarted = false;
}

resetDesktopMock();

const COMMANDS = new Set([
  "desktop_info",
  "open_folder",
  "set_menu_language",
  "take_opened_file",
  "pick_backup_file",
  "check_for_update",
  "download_update",
  "install_update",
  "restart_app",
]);

export const isDesktopCommand = (cmd: string) => COMMANDS.has(cmd);

type Failing = keyof typeof desktopMock.nextError;

function takeError(cmd: Failing): void {
  const error = desktopMock.nextError[cmd];
  if (error) {
    delete desktopMock.nextError[cmd];
    throw error;
  }
}

function updatesAllowed(settings: AppSettings): void {
  if (desktopMock.info.updatesOffHere || !settings.updatesAllowed) throw { kind: "forbidden", reason: "updates_off" } satisfies AppError;
}

/** Answers a desktop command; `settings` are the office's and the user's (updates allowed?). */
export async function desktopCommand(cmd: string, a: Record<string, unknown>, settings: AppSettings): Promise<unknown> {
  switch (cmd) {
    case "desktop_info":
      return desktopMock.info;
    case "open_folder":
      takeError("open_folder");
      desktopMock.foldersOpened.push(a.folder as Folder);
      return null;
    case "set_menu_language":
      desktopMock.menuLanguages.push(a.language as Language);
      return null;
    case "take_opened_file":
      return desktopMock.opened.shift() ?? null;
    case "pick_backup_file":
      return desktopMock.pickedBackup;
    case "check_for_update":
      updatesAllowed(settings);
      desktopMock.checks += 1;
      takeError("check_for_update");
      return { currentVersion: desktopMock.info.version, available: desktopMock.update };
    case "download_update": {
      updatesAllowed(settings);
      if (!desktopMock.update) throw { kind: "not_found", entity: "update", id: "latest" } satisfies AppError;
      const channel = a.onProgress as Channel<UpdateStep>;
      channel.onmessage({ step: "downloading", received: 1_048_576, total: 4_194_304 });
      if (desktopMock.gate) await desktopMock.gate;
      takeError("download_update");
      channel.onmessage({ step: "downloading", received: 4_194_304, total: 4_194_304 });
      channel.onmessage({ step: "verified" });
      desktopMock.downloaded = true;
      return null;
    }
    case "install_update":
      updatesAllowed(settings);
      if (!desktopMock.downloaded) throw { kind: "not_found", entity: "update", id: "downloaded" } satisfies AppError;
      takeError("install_update");
      desktopMock.installed = true;
      return null;
    default:
      desktopMock.restarted = true;
      return null;
  }
}
