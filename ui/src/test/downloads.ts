import { vi } from "vitest";

/**
 * Catches the downloads a page starts through a link (file names, and the blobs of
 * CSV files) instead of saving them. Call `restore` when done.
 */
export function captureDownloads() {
  const blobs: Blob[] = [];
  const downloads: { href: string; file: string }[] = [];
  const { createObjectURL, revokeObjectURL } = URL;
  Object.assign(URL, {
    createObjectURL: (b: Blob) => {
      blobs.push(b);
      return `blob:report-${blobs.length}`;
    },
    revokeObjectURL: () => undefined,
  });
  const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ href: this.getAttribute("href") ?? "", file: this.download });
  });
  const restore = () => {
    click.mockRestore();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
  };
  return { blobs, downloads, restore };
}
