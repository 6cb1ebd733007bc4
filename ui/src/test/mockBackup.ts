// The backups part of the fake backend (Settings › Backups): a list, "Back up now",
// keep-N and a restore that reports its steps on the channel, as the real commands do.

import type { Channel } from "@tauri-apps/api/core";
import type { AppError, BackupInfo, BackupSettings, RestoreResult, RestoreStep } from "../lib/types";

export const backupMock = {
  available: true,
  keep: 7,
  backups: [] as BackupInfo[],
  /** When set, the next restore is refused with this error. */
  nextRestoreError: null as AppError | null,
  restored: [] as string[],
  clock: 0,
};

export function resetBackupMock(): void {
  backupMock.available = true;
  backupMock.keep = 7;
  backupMock.backups = [
    { fileName: "forsat-auto-20250319-080000.sqlite", path: "/data/backups/forsat-auto-20250319-080000.sqlite", createdAt: "2025-03-19T08:00:00Z", size: 2_516_582, kind: "automatic" },
  ];
  backupMock.nextRestoreError = null;
  backupMock.restored = [];
  backupMock.clock = 0;
}

const COMMANDS = new Set(["backup_settings", "list_backups", "backup_now", "set_backup_keep", "restore_backup", "restore_backup_file"]);

export const isBackupCommand = (cmd: string) => COMMANDS.has(cmd);

function settings(): BackupSettings {
  return { available: backupMock.available, folder: backupMock.available ? "/data/backups" : null, keep: backupMock.keep, keepMax: 365 };
}

function made(kind: BackupInfo["kind"]): BackupInfo {
  backupMock.clock += 1;
  const stamp = `20250320-09000${backupMock.clock}`;
  const prefix = kind === "safety_copy" ? "forsat-before-restore-" : "forsat-";
  const fileName = `${prefix}${stamp}.sqlite`;
  return { fileName, path: `/data/backups/${fileName}`, createdAt: `2025-03-20T09:00:0${backupMock.clock}Z`, size: 2_600_000, kind };
}

export function backupCommand(cmd: string, a: Record<string, unknown>, session: unknown): unknown {
  if (cmd !== "backup_settings" && !backupMock.available) throw { kind: "forbidden", reason: "backup_on_server" } satisfies AppError;
  switch (cmd) {
    case "backup_settings":
      return settings();
    case "list_backups":
      return backupMock.backups;
    case "backup_now": {
      const info = made("manual");
      backupMock.backups = [info, ...backupMock.backups];
      return info;
    }
    case "set_backup_keep": {
      const keep = a.keep as number;
      if (keep < 1 || keep > 365) throw { kind: "validation", fields: [{ field: "keep", code: "out_of_range", min: "1", max: "365" }] } satisfies AppError;
      backupMock.keep = keep;
      return settings();
    }
    default: {
      const channel = a.onProgress as Channel<RestoreStep>;
      channel.onmessage("checking");
      if (backupMock.nextRestoreError) {
        const error = backupMock.nextRestoreError;
        backupMock.nextRestoreError = null;
        throw error;
      }
      for (const step of ["safety_copy", "replacing", "reopening"] as const) channel.onmessage(step);
      backupMock.restored.push(cmd === "restore_backup" ? (a.fileName as string) : (a.path as string));
      const safetyCopy = made("safety_copy");
      backupMock.backups = [safetyCopy, ...backupMock.backups];
      return { session, safetyCopy } as unknown as RestoreResult;
    }
  }
}
