import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { ReactNode } from "react";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";
import { changeRef, emitConnectionChanged, emitRecordsChanged, liveListeners } from "../../test/mockLiveEvents";
import { BATCH_MS } from "./batch";
import { useLiveUpdates } from "./useLiveUpdates";

vi.mock("./events", async () => (await import("../../test/mockLiveEvents")).liveEventsModule);

describe("useLiveUpdates", () => {
  let client: QueryClient;
  const asked = { list: 0 };
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;

  beforeEach(() => {
    client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } });
    asked.list = 0;
  });

  afterEach(() => {
    vi.useRealTimers();
    client.clear();
  });

  /** The hook, and a list on screen (an active query) that counts its fetches. */
  function mount() {
    return renderHook(
      () => {
        const live = useLiveUpdates(1);
        useQuery({
          queryKey: ["pipeline", "list", { page: 1 }],
          queryFn: () => {
            asked.list += 1;
            return Promise.resolve({ n: asked.list });
          },
        });
        return live;
      },
      { wrapper },
    );
  }

  it("coalesces a burst into one refetch of what is on screen, and only marks the rest stale", async () => {
    client.setQueryData(["opportunities", "detail", 9], { id: 9 }); // not on screen
    client.setQueryData(["settings"], { language: "en" });
    const hook = mount();
    await waitFor(() => expect(asked.list).toBe(1));
    vi.useFakeTimers();
    emitRecordsChanged({ changes: [changeRef("opportunity", 9)], refreshAll: false });
    act(() => vi.advanceTimersByTime(BATCH_MS / 2));
    emitRecordsChanged({ changes: [changeRef("opportunity", 10)], refreshAll: false });
    emitRecordsChanged({ changes: [changeRef("stage", 2)], refreshAll: false });
    expect(asked.list).toBe(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(BATCH_MS);
    });
    vi.useRealTimers();
    await waitFor(() => expect(asked.list).toBe(2));
    // Nothing more after the burst.
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS * 2));
    expect(asked.list).toBe(2);
    expect(client.getQueryState(["opportunities", "detail", 9])?.isInvalidated).toBe(true);
    expect(client.getQueryState(["opportunities", "detail", 9])?.fetchStatus).toBe("idle");
    expect(client.getQueryState(["settings"])?.isInvalidated).toBe(false);
    // The previous data stays while it refetches (no flicker): it was there all along.
    expect(client.getQueryData(["pipeline", "list", { page: 1 }])).toEqual({ n: 2 });
    hook.unmount();
    expect(liveListeners()).toEqual({ records: 0, connection: 0 });
  });

  it("reports the connection, and refetches everything on screen once it is back", async () => {
    client.setQueryData(["session"], { user: { id: 1 } });
    const hook = mount();
    await waitFor(() => expect(asked.list).toBe(1));
    expect(hook.result.current.online).toBe(true);
    emitConnectionChanged({ online: false });
    expect(hook.result.current.online).toBe(false);
    emitConnectionChanged({ online: true });
    expect(hook.result.current.online).toBe(true);
    await waitFor(() => expect(asked.list).toBe(2));
    expect(client.getQueryState(["session"])?.isInvalidated).toBe(false);
    hook.unmount();
  });
});

describe("Connection banner", () => {
  let backend: MockBackend;

  beforeEach(() => {
    window.localStorage.clear();
    initI18n("en");
    backend = installMockBackend({ identities: [makeIdentity(1, { displayName: "Acme Trading" })], settings: { language: "en" } }).backend;
    window.history.replaceState(null, "", "#/identities");
  });

  afterEach(() => {
    clearMocks();
  });

  it("shows a calm status under the header while the team server is lost, and refreshes the screen once it is back", async () => {
    render(<App />);
    await screen.findByText("Acme Trading");
    expect(screen.queryByTestId("connection-banner")).toBeNull();
    const listed = () => backend.calls.filter((c) => c.cmd === "list_identities").length;
    const before = listed();

    emitConnectionChanged({ online: false });
    const banner = screen.getByTestId("connection-banner");
    expect(banner.getAttribute("role")).toBe("status");
    expect(banner.textContent).toBe("The team server cannot be reached. Forsat keeps trying; what you type stays here. Saving works again once the connection is back.");
    // Under the header, above the screen.
    expect(document.querySelector(".topbar")?.nextElementSibling).toBe(banner);
    // The screen stays as it was.
    expect(screen.getByText("Acme Trading")).toBeTruthy();

    emitConnectionChanged({ online: true });
    expect(screen.queryByTestId("connection-banner")).toBeNull();
    await waitFor(() => expect(listed()).toBeGreaterThan(before));
    expect(screen.getByText("Acme Trading")).toBeTruthy();
  });

  it("speaks Persian in Persian", async () => {
    initI18n("fa");
    backend.settings = { ...backend.settings, language: "fa" };
    render(<App />);
    await screen.findByText("Acme Trading");
    emitConnectionChanged({ online: false });
    expect(screen.getByTestId("connection-banner").textContent).toContain("سرور تیم در دسترس نیست.");
  });

  it("refreshes the list on screen when someone changes an identity", async () => {
    render(<App />);
    await screen.findByText("Acme Trading");
    backend.identities = backend.identities.map((i) => ({ ...i, displayName: "Acme Trading Group" }));
    emitRecordsChanged({ changes: [changeRef("identity", 1)], refreshAll: false });
    expect(await screen.findByText("Acme Trading Group")).toBeTruthy();
  });
});
