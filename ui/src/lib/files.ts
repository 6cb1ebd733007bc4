// Saving what the window makes (a report's CSV, a chart's PNG, an import's problem
// list): the bytes go to the backend, which asks where with the system's save dialog
// (starting in the user's Downloads) — or, where FORSAT_EXPORT_DIR names a folder,
// writes them there under a safe name that never overwrites. A download link is not
// used: some webviews silently ignore it.

import { commands, unwrap } from "./api";

/** Base64 of raw bytes (chunked, so a large file does not overflow the call stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** The base64 part of a data: URL ("data:text/csv;base64,AAAA" → "AAAA"). */
export function base64OfDataUrl(dataUrl: string): string {
  const comma = dataUrl.indexOf(",");
  return comma < 0 ? "" : dataUrl.slice(comma + 1);
}

/** Saves a text as a UTF-8 file; resolves to the path it was saved to (null: the save dialog was closed). */
export function saveText(fileName: string, text: string): Promise<string | null> {
  return unwrap(commands.saveExport(fileName, bytesToBase64(new TextEncoder().encode(text))));
}

/** Saves an image given as a base64 data: URL (a chart's PNG); resolves to its path (null: not saved). */
export function saveDataUrl(fileName: string, dataUrl: string): Promise<string | null> {
  return unwrap(commands.saveExport(fileName, base64OfDataUrl(dataUrl)));
}

/** A saved file's path shortened to its folder and name ("…/Downloads/x.csv"). */
export function shortPath(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  if (parts.length <= 2) return path;
  return `…/${parts.slice(-2).join("/")}`;
}
