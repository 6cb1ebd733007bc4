import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { installMockBackend } from "../test/mockBackend";
import { transferMock } from "../test/mockTransfer";
import { base64OfDataUrl, saveDataUrl, saveText, shortPath } from "./files";

beforeEach(() => {
  installMockBackend({});
});

afterEach(() => {
  clearMocks();
});

describe("saving files the window makes", () => {
  it("sends a text as UTF-8 bytes, byte order mark and Persian included, and returns the path", async () => {
    const path = await saveText("منابع.csv", "\uFEFFمنبع,سهم (%)\r\nوب‌سایت,75\r\n");
    expect(path).toBe("/home/sara/Downloads/منابع.csv");
    const saved = transferMock.saved.at(-1);
    expect(saved?.fileName).toBe("منابع.csv");
    const bytes = saved?.bytes ?? new Uint8Array();
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe("\uFEFFمنبع,سهم (%)\r\nوب‌سایت,75\r\n");
  });

  it("sends an image's bytes from its data: URL", async () => {
    await saveDataUrl("chart.png", "data:image/png;base64,iVBORw0KGgo=");
    expect(Array.from(transferMock.saved.at(-1)?.bytes.slice(0, 4) ?? [])).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(base64OfDataUrl("nonsense")).toBe("");
  });

  it("rejects with the backend's typed error", async () => {
    transferMock.nextSaveError = { kind: "validation", fields: [{ field: "fileName", code: "invalid", min: null, max: null }] };
    await expect(saveText("x.exe", "x")).rejects.toMatchObject({ appError: { kind: "validation" } });
  });

  it("shortens a saved path to its folder and file", () => {
    expect(shortPath("/home/sara/Downloads/x.csv")).toBe("…/Downloads/x.csv");
    expect(shortPath("C:\\Users\\sara\\Downloads\\x.csv")).toBe("…/Downloads/x.csv");
    expect(shortPath("/tmp/x.csv")).toBe("/tmp/x.csv");
  });
});
