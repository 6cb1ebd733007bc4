// Files handed to the app ("Open with", a double click, a second launch with a file):
// taken once when the signed-in app starts and again on every fileOpened event, one
// after the other until none is left. An import file opens the import screen with
// it, as if it had been picked there; a backup opens Settings › Backups, which asks
// before restoring it (administrators only: the others are told so).

import { useEffect, useEffectEvent } from "react";
import { useTranslation } from "react-i18next";
import { useToast } from "../../components/Toast";
import { appErrorOf, commands, describeError, unwrap } from "../../lib/api";
import type { OpenedFile } from "../../lib/types";
import { onFileOpened } from "../live/events";
import { navigate, paths } from "../router";
import { handedBackup, handedImport } from "./handoff";

/** One taking at a time (a second mount, or an event while taking, asks once more after it). */
let taking: Promise<void> | null = null;
let again = false;

async function takeAll(handle: (file: OpenedFile) => void, failed: (error: unknown) => void): Promise<void> {
  do {
    again = false;
    // The backend keeps a few files at most: a bounded loop, whatever it answers.
    for (let i = 0; i < 16; i += 1) {
      let file: OpenedFile | null;
      try {
        file = await unwrap(commands.takeOpenedFile());
      } catch (error) {
        // That file could not be read (too big, gone, not a table): say so, go on.
        // Anything but a typed refusal means there is no backend to ask.
        if (!appErrorOf(error)) throw error;
        failed(error);
        continue;
      }
      if (!file) break;
      handle(file);
    }
  } while (again);
}

/** Takes every file waiting, then once more if asked meanwhile. */
export function takeOpenedFiles(handle: (file: OpenedFile) => void, failed: (error: unknown) => void = () => {}): Promise<void> {
  if (taking) {
    again = true;
    return taking;
  }
  taking = takeAll(handle, failed)
    .catch((error: unknown) => {
      // Not in the desktop app: nothing to show.
      console.warn("A handed-over file was not taken:", error);
    })
    .finally(() => {
      taking = null;
    });
  return taking;
}

export function useOpenedFiles(isAdmin: boolean): void {
  const { t } = useTranslation();
  const toast = useToast();

  const handle = useEffectEvent((file: OpenedFile) => {
    if (file.kind === "import") {
      if (!file.import) return;
      handedImport.give(file.import);
      navigate(paths.importOpportunities());
      return;
    }
    if (!file.path) return;
    if (!isAdmin) {
      toast.show(t("desktop.backupAdminOnly"), "info");
      return;
    }
    handedBackup.give({ path: file.path, fileName: file.fileName });
    navigate(paths.settings("backup"));
  });

  const failed = useEffectEvent((error: unknown) => {
    toast.show(t("desktop.fileNotOpened", { reason: describeError(error, t) }), "error");
  });

  useEffect(() => {
    const take = () =>
      void takeOpenedFiles(
        (file) => handle(file),
        (error) => failed(error),
      );
    take();
    return onFileOpened(take);
  }, []);
}
