import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { Suspense } from "react";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { lazyView, ViewBoundary } from "./tabViews";

// ECharts needs a real canvas; a stand-in counts the loads of the chart parts.
const seen = vi.hoisted(() => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { parts: 0, views: [] as string[], gate, release: () => release() };
});
vi.mock("./echarts", () => ({
  loadChartParts: () => {
    seen.parts += 1;
    return Promise.resolve();
  },
  createChart: () => ({ setOption() {}, resize() {}, dispose() {}, getDataURL: () => null, on() {}, off() {} }),
}));

// Which view chunks the page asks for; the competitors' chunk waits for the test.
vi.mock("./DashboardView", async (original) => {
  seen.views.push("dashboard");
  return original();
});
vi.mock("./WinLossView", async (original) => {
  seen.views.push("winloss");
  return original();
});
vi.mock("./CampaignsView", async (original) => {
  seen.views.push("campaigns");
  return original();
});
vi.mock("./DurationsView", async (original) => {
  seen.views.push("durations");
  return original();
});
vi.mock("./StageHistoryView", async (original) => {
  seen.views.push("stages");
  return original();
});
vi.mock("./OpportunitiesView", async (original) => {
  seen.views.push("opportunities");
  return original();
});
vi.mock("./ActivitiesView", async (original) => {
  seen.views.push("activities");
  return original();
});
vi.mock("./CompetitorsView", async (original) => {
  seen.views.push("competitors");
  await seen.gate;
  return original();
});

configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 20_000 });

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const Hello = ({ name }: { name: string }) => <p>Hello {name}</p>;

describe("lazyView", () => {
  beforeEach(() => {
    initI18n("en");
    seen.parts = 0;
  });

  it("shows the loading state until the view's chunk is there, then the view", async () => {
    const chunk = deferred<typeof Hello>();
    const view = lazyView(() => chunk.promise, false);
    render(
      <Suspense fallback={<p>Loading the report…</p>}>
        <view.View name="there" />
      </Suspense>,
    );
    expect(screen.getByText("Loading the report…")).toBeTruthy();
    expect(screen.queryByText("Hello there")).toBeNull();
    chunk.resolve(Hello);
    expect(await screen.findByText("Hello there")).toBeTruthy();
    expect(screen.queryByText("Loading the report…")).toBeNull();
    // A view of tables alone loads no chart parts.
    expect(seen.parts).toBe(0);
  });

  it("loads the chart parts with a view that draws, once however often it is asked for", async () => {
    const load = vi.fn(() => Promise.resolve(Hello));
    const view = lazyView(load, true);
    await Promise.all([view.preload(), view.preload()]);
    render(<view.View name="charts" />);
    // Loaded before it was shown: no loading state at all.
    expect(screen.getByText("Hello charts")).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(1);
    expect(seen.parts).toBe(1);
  });

  it("says so when a chunk cannot be loaded, and tries again on request", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const user = userEvent.setup();
    const load = vi.fn<() => Promise<typeof Hello>>().mockRejectedValueOnce(new Error("offline")).mockResolvedValue(Hello);
    const view = lazyView(load, false);
    render(
      <ViewBoundary title="This report could not be opened." onRetry={view.retry}>
        <Suspense fallback={<p>Loading the report…</p>}>
          <view.View name="again" />
        </Suspense>
      </ViewBoundary>,
    );
    expect(await screen.findByText("This report could not be opened.")).toBeTruthy();
    // Not tried again on its own.
    expect(load).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Hello again")).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
    vi.restoreAllMocks();
  });
});

describe("the report tabs load on their own", () => {
  let backend: MockBackend;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    window.localStorage.clear();
    initI18n("en");
    const acme = makeIdentity(1, { displayName: "Acme" });
    backend = installMockBackend({
      identities: [acme],
      opportunities: [makeOpportunity(1, acme, { stageId: 1, closeDate: "2026-02-10", competitors: [{ competitorId: 7, name: "Rival Co", note: null }], createdAt: "2026-01-05T08:00:00Z" })],
      settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
    }).backend;
    window.history.replaceState(null, "", "#/reports");
  });

  afterEach(() => {
    vi.useRealTimers();
    clearMocks();
  });

  it("opens on the Reports home with its view and chart parts only", async () => {
    seen.parts = 0;
    render(<App />);
    await screen.findByTestId("report-dashboard-summary");
    expect(seen.views).toContain("dashboard");
    for (const other of ["winloss", "campaigns", "durations", "competitors", "stages", "opportunities", "activities"]) expect(seen.views).not.toContain(other);
    expect(seen.parts).toBe(1);
  });

  it("shows a tab's view once its chunk has loaded, its numbers asked for meanwhile", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("report-tab-competitors"));
    await waitFor(() => expect(seen.views).toContain("competitors"));
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === "report_competitors")).toBe(true));
    // The numbers are in; the view is not: the page says it is loading, in plain words.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(within(screen.getByRole("tabpanel")).getByRole("status").textContent).toBe("Loading the report…");
    expect(screen.queryByTestId("report-competitors-table")).toBeNull();
    seen.release();
    expect(await screen.findByTestId("report-competitors-table")).toBeTruthy();
    expect(screen.queryByText("Loading the report…")).toBeNull();
  });
});
