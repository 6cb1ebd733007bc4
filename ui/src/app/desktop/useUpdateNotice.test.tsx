import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useState, type ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { initI18n } from "../../i18n";
import { installMockBackend, type MockBackend } from "../../test/mockBackend";
import { desktopMock } from "../../test/mockDesktop";
import { createQueryClient } from "../queryClient";
import { quietCheckWanted, resetQuietCheck, useUpdateNotice } from "./useUpdateNotice";

let backend: MockBackend;

function Wrapper({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));
const checks = () => backend.calls.filter((c) => c.cmd === "check_for_update").length;

beforeEach(() => {
  initI18n("en");
  backend = installMockBackend({ settings: { language: "en" } }).backend;
  resetQuietCheck();
});

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

describe("the quiet update check", () => {
  it("runs only when the office allows it, the user asked for it and this computer has not turned it off", () => {
    expect(quietCheckWanted({ updatesAllowed: true, checkUpdatesAtStart: true }, { updatesOffHere: false })).toBe(true);
    expect(quietCheckWanted({ updatesAllowed: false, checkUpdatesAtStart: true }, { updatesOffHere: false })).toBe(false);
    expect(quietCheckWanted({ updatesAllowed: true, checkUpdatesAtStart: false }, { updatesOffHere: false })).toBe(false);
    expect(quietCheckWanted({ updatesAllowed: true, checkUpdatesAtStart: true }, { updatesOffHere: true })).toBe(false);
  });

  it("tells of a newer version once someone is signed in, and can be dismissed", async () => {
    desktopMock.update = { version: "0.2.0", date: "2025-03-18T09:00:00Z", notes: "Faster board." };
    const { result, rerender } = renderHook(({ signedIn }) => useUpdateNotice(signedIn), { wrapper: Wrapper, initialProps: { signedIn: false } });
    await settle();
    expect(checks()).toBe(0);
    rerender({ signedIn: true });
    await waitFor(() => expect(result.current.available?.version).toBe("0.2.0"));
    expect(checks()).toBe(1);
    act(() => result.current.dismiss());
    expect(result.current.available).toBeNull();
  });

  it("checks once per start of the app, whoever signs in next", async () => {
    const first = renderHook(() => useUpdateNotice(true), { wrapper: Wrapper });
    await waitFor(() => expect(checks()).toBe(1));
    expect(first.result.current.available).toBeNull();
    first.unmount();
    const second = renderHook(() => useUpdateNotice(true), { wrapper: Wrapper });
    await settle();
    expect(checks()).toBe(1);
    second.unmount();
  });

  it("does not look when the user did not ask for it, the office does not allow it or this computer has turned it off", async () => {
    for (const set of [() => (backend.settings.checkUpdatesAtStart = false), () => (backend.settings.updatesAllowed = false), () => (desktopMock.info.updatesOffHere = true)]) {
      backend.settings.checkUpdatesAtStart = true;
      backend.settings.updatesAllowed = true;
      desktopMock.info.updatesOffHere = false;
      set();
      resetQuietCheck();
      desktopMock.update = { version: "0.2.0", date: null, notes: null };
      const { result, unmount } = renderHook(() => useUpdateNotice(true), { wrapper: Wrapper });
      await waitFor(() => expect(backend.calls.some((c) => c.cmd === "desktop_info")).toBe(true));
      await settle();
      expect(checks()).toBe(0);
      expect(result.current.available).toBeNull();
      unmount();
      backend.calls.length = 0;
    }
  });

  it("says nothing when the update server cannot be reached", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    desktopMock.update = { version: "0.2.0", date: null, notes: null };
    desktopMock.nextError.check_for_update = { kind: "unavailable", code: "update_unreachable" };
    const { result } = renderHook(() => useUpdateNotice(true), { wrapper: Wrapper });
    await waitFor(() => expect(warn).toHaveBeenCalled());
    expect(result.current.available).toBeNull();
  });
});
