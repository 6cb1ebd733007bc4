// Files the system handed over (app/desktop/useOpenedFiles) wait here for the screen
// that shows them: the import screen takes a staged import as if it had been picked
// there, Settings › Backups offers to restore a backup file. A screen that is already
// open hears of it at once (`subscribe`); one opened later finds it waiting (`peek`).

import { commands } from "../../lib/api";
import type { StagedImport } from "../../lib/types";

export type Handoff<T> = {
  /** Leaves a value for its screen (one at a time: a newer one takes the older one's place). */
  give: (value: T) => void;
  /** The value waiting, if any (for useSyncExternalStore). */
  peek: () => T | null;
  /** Takes the value waiting: it is no longer there for anyone else. */
  take: () => T | null;
  subscribe: (listener: () => void) => () => void;
};

export function createHandoff<T>(onReplaced?: (old: T) => void): Handoff<T> {
  let value: T | null = null;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    give: (next) => {
      if (value !== null && value !== next) onReplaced?.(value);
      value = next;
      changed();
    },
    peek: () => value,
    take: () => {
      const taken = value;
      if (taken !== null) {
        value = null;
        changed();
      }
      return taken;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** An import file the system handed over, already staged (as `importPick` answers). */
export const handedImport = createHandoff<StagedImport>((old) => {
  // Never shown: the backend may forget its staged copy.
  void commands.importDiscard(old.token).catch(() => undefined);
});

/** A backup file the system handed over: its full path and its name. */
export type HandedBackup = { path: string; fileName: string };

export const handedBackup = createHandoff<HandedBackup>();
