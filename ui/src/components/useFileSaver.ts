import { useTranslation } from "react-i18next";
import { describeError } from "../lib/api";
import { saveDataUrl, saveText, shortPath } from "../lib/files";
import { useToast } from "./Toast";

/**
 * Saves a file the window made and says where it went (or why it could not be
 * saved) in a toast. Resolves to the saved path, or null when it failed or the user
 * closed the save dialog (then nothing is said).
 */
export function useFileSaver() {
  const { t } = useTranslation("common");
  const toast = useToast();
  const run = async (save: () => Promise<string | null>): Promise<string | null> => {
    try {
      const path = await save();
      if (path === null) return null;
      toast.show(t("files.saved", { path: shortPath(path) }), "success");
      return path;
    } catch (error) {
      toast.show(t("files.failed", { reason: describeError(error, t) }), "error");
      return null;
    }
  };
  return {
    text: (fileName: string, text: string) => run(() => saveText(fileName, text)),
    dataUrl: (fileName: string, dataUrl: string) => run(() => saveDataUrl(fileName, dataUrl)),
  };
}
