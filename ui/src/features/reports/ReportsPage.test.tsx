import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { commands } from "../../lib/api";
import type { AppSettings, Language, ReportFilter } from "../../lib/types";
import { savedText, transferMock } from "../../test/mockTransfer";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";

// ECharts needs a real canvas; the tests look at the options it is given instead.
const fake = vi.hoisted(() => {
  type Handler = (params: unknown) => void;
  class FakeChart {
    option: unknown = null;
    disposed = false;
    handlers = new Map<string, Handler>();
    constructor(readonly element: HTMLElement) {}
    setOption(option: unknown) {
      this.option = option;
    }
    resize() {}
    dispose() {
      this.disposed = true;
    }
    getDataURL() {
      return "data:image/png;base64,iVBORw0KGgo=";
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, handler);
    }
    off(event: string) {
      this.handlers.delete(event);
    }
  }
  return { FakeChart, charts: [] as FakeChart[] };
});

vi.mock("./echarts", () => ({
  loadChartParts: () => Promise.resolve(),
  createChart: (element: HTMLElement) => {
    const chart = new fake.FakeChart(element);
    fake.charts.push(chart);
    return chart;
  },
}));

type SeriesOption = { type: string; data: ({ name: string; value: number } | number)[] };
const liveChart = (testId: string) => {
  const element = screen.getByTestId(testId);
  const chart = fake.charts.find((c) => c.element === element && !c.disposed);
  if (!chart) throw new Error(`no chart in ${testId}`);
  return chart;
};
type FunnelSeries = {
  name: string;
  xAxisIndex?: number;
  data: { value: number; itemStyle: { color: string } }[];
  label: { position: string; formatter: (p: { dataIndex: number }) => string };
};
type FunnelChart = {
  xAxis: { inverse: boolean }[];
  yAxis: { data: string[]; position: string }[];
  series: FunnelSeries[];
  tooltip: { formatter: (p: { seriesName: string; dataIndex: number }) => string };
};

let backend: MockBackend;

function setUp(language: Language, calendar: AppSettings["calendar"] = "jalali") {
  window.localStorage.clear();
  initI18n(language);
  const acme = makeIdentity(1, { displayName: "Acme" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [
      // Esfand 1404 = 2026-02-20 … 2026-03-20.
      makeOpportunity(1, acme, { stageId: 1, estimatedAmount: "5000000", sourceId: 3, createdAt: "2026-02-25T08:00:00Z" }),
      makeOpportunity(2, acme, { stageId: 3, estimatedAmount: "12000000", sourceId: 3, createdAt: "2026-03-01T08:00:00Z" }),
      makeOpportunity(3, acme, { stageId: 4, stageKind: "won", estimatedAmount: "30000000", sourceId: 4, assignedUserId: 2, createdAt: "2026-02-20T00:30:00Z" }),
      makeOpportunity(4, acme, { stageId: 5, stageKind: "lost", estimatedAmount: "1000000", sourceId: 3, createdAt: "2026-03-20T20:00:00Z" }),
      // Dey 1404: in this quarter, not this month.
      makeOpportunity(5, acme, { stageId: 3, estimatedAmount: "2500000", sourceId: 4, createdAt: "2026-01-10T08:00:00Z" }),
    ],
    settings: { language, calendar, currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
  }).backend;
  window.history.replaceState(null, "", "#/reports?tab=status");
}

const reportCalls = () => backend.calls.filter((c) => c.cmd === "report_sales_status").map((c) => (c.args as { filter: ReportFilter }).filter);
const lastFilter = () => reportCalls().at(-1);
const rowsOf = (table: HTMLElement) => within(table).getAllByRole("row").map((row) => Array.from(row.children).map((cell) => cell.textContent?.trim() ?? ""));

// The reports chunk (ECharts included) loads lazily and the whole app renders: give
// a busy machine room before a wait or a test counts as failed.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  // Today is 1404/12/10 (2026-03-01); only Date is faked, timers stay real.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
  fake.charts.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  clearMocks();
});

describe("Reports — sales status (fa)", () => {
  beforeEach(() => setUp("fa"));

  it("asks for this Jalali year by default and shows the tables in Persian digits", async () => {
    render(<App />);
    const stagesTable = await screen.findByTestId("report-stages-table");
    expect(lastFilter()).toEqual({ from: "2025-03-21", to: "2026-03-20", assignedUserId: null, typeId: null, sourceId: null, campaignId: null, pipelineId: null });
    expect(screen.getByTestId("report-range").textContent).toBe("۱۴۰۴/۰۱/۰۱ تا ۱۴۰۴/۱۲/۲۹");

    expect(rowsOf(stagesTable)).toEqual([
      ["مرحله", "تعداد", "مبلغ برآوردی (ریال)"],
      ["برقراری ارتباط", "۱", "۵٬۰۰۰٬۰۰۰"],
      ["نیازسنجی", "۰", "۰"],
      ["مذاکره", "۲", "۱۴٬۵۰۰٬۰۰۰"],
      ["موفق", "۱", "۳۰٬۰۰۰٬۰۰۰"],
      ["ناموفق", "۱", "۱٬۰۰۰٬۰۰۰"],
      ["جمع", "۵", "۵۰٬۵۰۰٬۰۰۰"],
    ]);
    const sourcesTable = screen.getByTestId("report-sources-table");
    expect(rowsOf(sourcesTable)).toEqual([
      ["منبع", "تعداد", "سهم"],
      ["وب‌سایت", "۳", "۶۰٪"],
      ["معرفی", "۲", "۴۰٪"],
    ]);
    expect(stagesTable.textContent).not.toMatch(/[0-9]/);
    expect(sourcesTable.textContent).not.toMatch(/[0-9]/);
  });

  it("draws the open stages as a funnel in stage order, won and lost apart, labels mirrored and in Persian digits", async () => {
    render(<App />);
    await screen.findByTestId("report-stages-table");
    const option = liveChart("report-funnel").option as FunnelChart;
    // Open stages in the first grid, each as wide as its own count (centred by equal room on both sides).
    expect(option.yAxis.map((a) => [a.data, a.position])).toEqual([
      [["برقراری ارتباط", "نیازسنجی", "مذاکره"], "right"],
      [["موفق", "ناموفق"], "right"],
    ]);
    expect(option.xAxis.every((a) => a.inverse)).toBe(true);
    const named = (name: string) => option.series.find((s) => s.name === name) as FunnelSeries;
    expect(named("stages").data.map((d) => d.value)).toEqual([1, 0, 2]);
    expect(named("before").data).toEqual([0.5, 1, 0]);
    expect(named("after").data).toEqual([0.5, 1, 0]);
    // Won green and lost red, on their own scale, under the funnel.
    expect(named("outcomes").data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [1, "#2b8a3e"],
      [1, "#c92a2a"],
    ]);
    expect(named("outcomes").xAxisIndex).toBe(1);
    // The figures sit in one column on the left, in Persian digits; the zero stage keeps its 0.
    const figures = named("after").label;
    expect(figures.position).toBe("left");
    expect([0, 1, 2].map((dataIndex) => figures.formatter({ dataIndex }))).toEqual(["۱", "۰", "۲"]);
    expect(option.tooltip.formatter({ seriesName: "outcomes", dataIndex: 0 })).toBe("<strong>موفق</strong><br/>تعداد: ۱<br/>مبلغ برآوردی: ۳۰٬۰۰۰٬۰۰۰ ریال");

    const bars = liveChart("report-sources-chart").option as { xAxis: { inverse: boolean }; yAxis: { data: string[] }; series: SeriesOption[] };
    expect(bars.xAxis.inverse).toBe(true);
    expect(bars.yAxis.data).toEqual(["وب‌سایت", "معرفی"]);
    expect(bars.series[0]?.data).toEqual([60, 40]);
  });
});

describe("Reports — sales status (en)", () => {
  beforeEach(() => setUp("en"));

  it("switches the funnel between count and estimated amount", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("report-stages-table");
    const measure = screen.getByTestId("report-measure");
    expect(within(measure).getByRole("radio", { name: "Count" })).toHaveProperty("checked", true);
    await user.click(within(measure).getByRole("radio", { name: "Amount" }));
    const funnel = () => liveChart("report-funnel").option as FunnelChart;
    const named = (name: string) => funnel().series.find((s) => s.name === name) as FunnelSeries;
    await waitFor(() => expect(named("stages").data.map((d) => d.value)).toEqual([5000000, 0, 14500000]));
    expect(named("outcomes").data.map((d) => d.value)).toEqual([30000000, 1000000]);
    const label = named("outcomesRest").label;
    expect(label.position).toBe("right");
    expect(label.formatter({ dataIndex: 0 })).toBe("30,000,000 IRR");
    expect(screen.getByRole("img", { name: /by Amount/ })).toBeTruthy();
  });

  it("computes the period presets and sends the other filters", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("report-stages-table");

    await user.selectOptions(screen.getByLabelText("Period"), "thisQuarter");
    await waitFor(() => expect(lastFilter()).toMatchObject({ from: "2025-12-22", to: "2026-03-20" }));
    await waitFor(() => expect(rowsOf(screen.getByTestId("report-stages-table")).at(-1)).toEqual(["Total", "5", "50,500,000"]));

    await user.selectOptions(screen.getByTestId("report-period"), "lastMonth");
    await waitFor(() => expect(lastFilter()).toMatchObject({ from: "2026-01-21", to: "2026-02-19" }));

    await user.selectOptions(screen.getByTestId("report-period"), "thisYear");
    await user.selectOptions(screen.getByLabelText("Assigned to"), "Sara Karimi");
    await waitFor(() => expect(lastFilter()).toEqual({ from: "2025-03-21", to: "2026-03-20", assignedUserId: 2, typeId: null, sourceId: null, campaignId: null, pipelineId: null }));
    await waitFor(() => expect(rowsOf(screen.getByTestId("report-stages-table")).at(-1)).toEqual(["Total", "1", "30,000,000"]));

    await user.selectOptions(screen.getByLabelText("Type"), "Standard");
    await user.selectOptions(screen.getByLabelText("Source"), "Referral");
    await user.selectOptions(screen.getByLabelText("Campaign"), "Expo 1403");
    await waitFor(() => expect(lastFilter()).toMatchObject({ assignedUserId: 2, typeId: 10, sourceId: 4, campaignId: 1 }));
    // Nobody has that campaign: the empty state, in plain words, with a way back.
    expect(await screen.findByText("No opportunities in this period")).toBeTruthy();
    await user.click(screen.getAllByRole("button", { name: "Reset filters" })[0] as HTMLElement);
    await waitFor(() => expect(lastFilter()).toEqual({ from: "2025-03-21", to: "2026-03-20", assignedUserId: null, typeId: null, sourceId: null, campaignId: null, pipelineId: null }));
  });

  it("takes a custom range typed in the calendar of the setting", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("report-stages-table");
    await user.selectOptions(screen.getByTestId("report-period"), "custom");
    await user.type(screen.getByLabelText("From"), "1404/10/01");
    await user.type(screen.getByLabelText("To"), "1404/12/01");
    await waitFor(() => expect(lastFilter()).toMatchObject({ from: "2025-12-22", to: "2026-02-20" }));
    // Both ends are included: the opportunity of 1404/12/01 counts.
    await waitFor(() => expect(rowsOf(screen.getByTestId("report-stages-table")).at(-1)).toEqual(["Total", "2", "32,500,000"]));
    // An end before the start asks nothing and says why.
    await user.clear(screen.getByLabelText("To"));
    await user.type(screen.getByLabelText("To"), "1404/09/01");
    expect(await screen.findByText("Check the dates")).toBeTruthy();
    expect(screen.getByText("The end date is before the start date.", { selector: ".field__error" })).toBeTruthy();
    expect(reportCalls().every((f) => !f.from || !f.to || f.from <= f.to)).toBe(true);
  });

  it("exports the tables to CSV with a BOM and the charts to PNG", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("report-stages-table");

    await user.click(screen.getByRole("button", { name: "Export CSV of the stages table" }));
    await user.click(screen.getByRole("button", { name: "Export CSV of the sources table" }));
    await user.click(screen.getByRole("button", { name: "Save PNG of the stages funnel" }));
    await user.click(screen.getByRole("button", { name: "Save PNG of the sources chart" }));

    // Saved by the backend into the export folder; the toast says where.
    await waitFor(() =>
      expect(transferMock.saved.map((f) => f.fileName)).toEqual([
        "sales-stages_2025-03-21_2026-03-20.csv",
        "sales-sources_2025-03-21_2026-03-20.csv",
        "sales-stages_2025-03-21_2026-03-20.png",
        "sales-sources_2025-03-21_2026-03-20.png",
      ]),
    );
    expect(await screen.findByText("Saved to …/Downloads/sales-sources_2025-03-21_2026-03-20.png")).toBeTruthy();
    expect(Array.from(transferMock.saved[0]?.bytes.slice(0, 3) ?? [])).toEqual([0xef, 0xbb, 0xbf]);
    expect(savedText(0)).toBe(
      "\uFEFFStage,Count,Estimated amount (IRR)\r\n" +
        "Establishing contact,1,5000000\r\nNeeds analysis,0,0\r\nNegotiation,2,14500000\r\nWon,1,30000000\r\nLost,1,1000000\r\nTotal,5,50500000\r\n",
    );
    expect(savedText(1)).toBe("\uFEFFSource,Count,Share (%)\r\nWebsite,3,60\r\nReferral,2,40\r\n");
    expect(Array.from(transferMock.saved[2]?.bytes.slice(0, 4) ?? [])).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("says nothing when the save dialog is closed: nothing was saved", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("report-stages-table");
    transferMock.nextSaveDialogClosed = true;
    await user.click(screen.getByRole("button", { name: "Export CSV of the stages table" }));
    await waitFor(() => expect(transferMock.nextSaveDialogClosed).toBe(false));
    expect(transferMock.saved).toEqual([]);
    expect(screen.queryByText(/Saved to/)).toBeNull();
    expect(screen.queryByText(/could not be saved/i)).toBeNull();
  });

  it("opens the opportunity list filtered to the stage when a funnel step is clicked", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("report-stages-table");
    const click = liveChart("report-funnel").handlers.get("click");
    act(() => click?.({ componentType: "series", dataIndex: 2 }));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/opportunities\?stage=3(&|$)/));
    // The table's stage names do the same from the keyboard.
    act(() => {
      window.location.hash = "#/reports";
    });
    // The Reports home (its view loads on its own) has the stages table too.
    await screen.findByTestId("report-dashboard-summary");
    await user.click(await screen.findByRole("button", { name: "Won" }));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/opportunities\?stage=4(&|$)/));
  });

  it("says in plain words when the report cannot be loaded, and disposes its charts on leaving", async () => {
    const user = userEvent.setup();
    vi.spyOn(commands, "reportSalesStatus").mockResolvedValueOnce({ status: "error", error: { kind: "database", message: "disk I/O error" } });
    render(<App />);
    expect(await screen.findByText("The report could not be loaded.")).toBeTruthy();
    expect(screen.getByText("The data could not be saved or loaded. Please try again.")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await screen.findByTestId("report-stages-table");
    expect(fake.charts.filter((c) => !c.disposed)).toHaveLength(2);

    await user.click(screen.getByTestId("nav-identities"));
    await waitFor(() => expect(fake.charts.every((c) => c.disposed)).toBe(true));
  });

  it("is reached from the navigation and shows a loading state first", async () => {
    window.history.replaceState(null, "", "#/identities");
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("nav-reports"));
    expect(window.location.hash).toBe("#/reports");
    expect(await screen.findByRole("heading", { level: 1, name: "Reports" })).toBeTruthy();
    await screen.findByTestId("report-stages-table");
  });
});
