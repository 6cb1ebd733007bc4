import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { AppSettings, Language, OpportunityDetail } from "../../lib/types";
import { savedText, transferMock } from "../../test/mockTransfer";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";

// ECharts needs a real canvas; a stand-in keeps the options and the click handler.
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
    off() {}
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

// The filtered opportunity list lands with the list screen; here it is taken as there.
vi.mock("./navigation", async (original) => ({ ...(await original<typeof import("./navigation")>()), hasScreenFor: () => true }));

const liveChart = (testId: string) => {
  const element = screen.getByTestId(testId);
  const chart = fake.charts.find((c) => c.element === element && !c.disposed);
  if (!chart) throw new Error(`no chart in ${testId}`);
  return chart;
};
const clickBar = (testId: string, dataIndex: number) => act(() => liveChart(testId).handlers.get("click")?.({ componentType: "series", dataIndex }));
const rowsOf = (table: HTMLElement) => within(table).getAllByRole("row").map((row) => Array.from(row.children).map((cell) => cell.textContent?.trim() ?? ""));


let backend: MockBackend;
/** The filter of the last call of a report command. */
const lastCall = (cmd: string) => (backend.calls.filter((c) => c.cmd === cmd).at(-1)?.args as { filter?: unknown } | undefined)?.filter;

const rival = { competitorId: 7, name: "Rival Co", note: null };
const step = (toStageId: number, day: string) => ({ fromStageId: null, toStageId, changedAt: `${day}T09:00:00Z`, changedBy: "Admin" });

function setUp(language: Language, calendar: AppSettings["calendar"], tab: string, more: (acme: ReturnType<typeof makeIdentity>) => OpportunityDetail[] = () => []) {
  window.localStorage.clear();
  initI18n(language);
  const acme = makeIdentity(1, { displayName: "Acme" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [
      makeOpportunity(1, acme, {
        stageId: 1,
        estimatedAmount: "5000000",
        probability: 50,
        campaignId: 1,
        closeDate: "2026-02-10",
        competitors: [rival],
        createdAt: "2026-01-05T08:00:00Z",
        stageHistory: [step(1, "2026-01-05")],
      }),
      makeOpportunity(2, acme, {
        stageId: 4,
        stageKind: "won",
        estimatedAmount: "30000000",
        campaignId: 1,
        wonOn: "2026-01-30",
        winReasonId: 20,
        competitors: [rival],
        createdAt: "2026-01-10T08:00:00Z",
        stageHistory: [step(1, "2026-01-10"), step(3, "2026-01-20"), step(4, "2026-01-30")],
      }),
      makeOpportunity(3, acme, {
        stageId: 5,
        stageKind: "lost",
        estimatedAmount: "1000000",
        sourceId: 4,
        lostOn: "2026-02-05",
        lossReasonId: 21,
        competitors: [rival],
        createdAt: "2026-02-01T08:00:00Z",
        stageHistory: [step(1, "2026-02-01"), step(5, "2026-02-05")],
      }),
      makeOpportunity(4, acme, {
        stageId: 3,
        estimatedAmount: "12000000",
        probability: 40,
        closeDate: "2026-03-25",
        createdAt: "2026-02-10T08:00:00Z",
        stageHistory: [step(1, "2026-02-10"), step(3, "2026-02-15")],
      }),
      ...more(acme),
    ],
    settings: { language, calendar, currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
  }).backend;
  window.history.replaceState(null, "", `#/reports${tab ? `?tab=${tab}` : ""}`);
}

// The reports chunk (ECharts included) loads lazily and the whole app renders: give
// a busy machine room before a wait or a test counts as failed.
configure({ asyncUtilTimeout: 5000 });
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  // Today is 2026-03-01 (1404/12/10); "this year" is 2026 or 1404.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
  fake.charts.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  clearMocks();
});

describe("Reports — campaigns", () => {
  it("lists what each campaign brought against its cost, and a bar opens its opportunities", async () => {
    setUp("en", "gregorian", "campaigns");
    render(<App />);
    await waitFor(() => expect(lastCall("report_campaigns")).toMatchObject({ from: "2026-01-01", to: "2026-12-31" }));
    const table = await screen.findByTestId("report-campaigns-table");
    expect(rowsOf(table)).toEqual([
      ["Campaign", "Opportunities", "Estimated (IRR)", "Won", "Won amount (IRR)", "Invoiced (IRR)", "Cost (IRR)", "Won ÷ cost"],
      ["Expo 1403", "2", "35,000,000", "1", "30,000,000", "0", "150,000,000", "0.2×"],
      ["Total", "2", "35,000,000", "1", "30,000,000", "0", "150,000,000", ""],
    ]);
    const option = liveChart("report-campaigns-chart").option as { series: { name: string; data: number[] }[] };
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ["Estimated amount", [35000000]],
      ["Won amount", [30000000]],
      ["Invoiced", [0]],
    ]);
    clickBar("report-campaigns-chart", 0);
    expect(window.location.hash).toBe("#/opportunities?campaign=1&createdFrom=2026-01-01&createdTo=2026-12-31");
  });
});

describe("Reports — sales status and win / loss clicks", () => {
  it("opens the list filtered to a clicked source, and to a clicked reason with its outcome", async () => {
    const user = userEvent.setup();
    setUp("en", "gregorian", "status");
    render(<App />);
    await waitFor(() => expect(lastCall("report_sales_status")).toMatchObject({ from: "2026-01-01" }));
    await screen.findByTestId("report-sources-table");
    // Website (3 opportunities) first, then Referral.
    clickBar("report-sources-chart", 1);
    expect(window.location.hash).toBe("#/opportunities?source=4&createdFrom=2026-01-01&createdTo=2026-12-31");
    window.history.replaceState(null, "", "#/reports?tab=winloss");
    await user.click(screen.getByTestId("report-tab-winloss"));
    await screen.findByTestId("report-winloss-reasons-chart");
    // The win reason first, then the loss reason.
    clickBar("report-winloss-reasons-chart", 1);
    expect(window.location.hash).toBe("#/opportunities?status=lost&reason=21&createdFrom=2026-01-01&createdTo=2026-12-31");
  });
});

describe("Reports — follow-up duration", () => {
  it("shows average and median days by type, and by source on request", async () => {
    const user = userEvent.setup();
    setUp("en", "gregorian", "durations");
    render(<App />);
    await waitFor(() => expect(lastCall("report_durations")).toMatchObject({ from: "2026-01-01", to: "2026-12-31" }));
    const table = await screen.findByTestId("report-durations-table");
    const summary = screen.getByTestId("report-durations-summary");
    expect(summary.querySelector('[data-stat="avgWin"] .report-stat__value')?.textContent).toBe("20 days");
    expect(summary.querySelector('[data-stat="medianLoss"] .report-stat__value')?.textContent).toBe("4 days");
    expect(rowsOf(table)).toEqual([
      ["Type", "Won", "Average to win", "Median to win", "Lost", "Average to loss", "Median to loss"],
      ["Standard", "1", "20 days", "20 days", "1", "4 days", "4 days"],
    ]);
    await user.click(within(screen.getByTestId("report-durations-by")).getByRole("radio", { name: "Source" }));
    expect(rowsOf(screen.getByTestId("report-durations-table")).slice(1)).toEqual([
      ["Website", "1", "20 days", "20 days", "0", "—", "—"],
      ["Referral", "0", "—", "—", "1", "4 days", "4 days"],
    ]);
    clickBar("report-durations-chart", 1);
    expect(window.location.hash).toBe("#/opportunities?source=4&createdFrom=2026-01-01&createdTo=2026-12-31");
  });
});

describe("Reports — competitors (fa)", () => {
  it("shows each competitor's record in Persian digits with the bars mirrored", async () => {
    setUp("fa", "jalali", "competitors");
    render(<App />);
    const table = await screen.findByTestId("report-competitors-table");
    expect(rowsOf(table)).toEqual([
      ["رقیب", "فرصت‌ها", "باز", "موفق", "ناموفق", "نرخ موفقیت", "برآوردی (ریال)"],
      ["Rival Co", "۳", "۱", "۱", "۱", "۵۰٪", "۳۶٬۰۰۰٬۰۰۰"],
    ]);
    const option = liveChart("report-competitors-chart").option as { xAxis: { inverse: boolean }; yAxis: { position: string }; series: { stack: string }[] };
    expect(option.xAxis.inverse).toBe(true);
    expect(option.yAxis.position).toBe("right");
    expect(option.series.every((s) => s.stack === "all")).toBe(true);
    clickBar("report-competitors-chart", 0);
    expect(window.location.hash).toBe("#/opportunities?competitor=7&createdFrom=2025-03-21&createdTo=2026-03-20");
  });
});

describe("Reports — stage history", () => {
  it("shows the days in each stage and the conversion onwards", async () => {
    setUp("en", "gregorian", "stages");
    render(<App />);
    // The settings arrive first: the report follows the Gregorian year.
    await waitFor(() => expect(lastCall("report_stage_history")).toMatchObject({ from: "2026-01-01", to: "2026-12-31" }));
    const table = await screen.findByTestId("report-stages-history-table");
    expect(rowsOf(table)).toEqual([
      ["Stage", "Stays", "Average time", "Entered", "Went on", "Went on (%)", "Won", "Won (%)"],
      // 55 (still there) + 10 + 4 + 5 days in four stays.
      ["Establishing contact", "4", "18.5 days", "4", "2", "50%", "1", "25%"],
      ["Needs analysis", "0", "—", "0", "0", "—", "0", "—"],
      // 10 + 14 (still there).
      ["Negotiation", "2", "12 days", "2", "1", "50%", "1", "50%"],
      ["Won", "0", "—", "1", "—", "—", "1", "100%"],
      ["Lost", "0", "—", "1", "—", "—", "0", "0%"],
    ]);
    clickBar("report-stages-history-chart", 2);
    expect(window.location.hash).toBe("#/opportunities?stage=3&createdFrom=2026-01-01&createdTo=2026-12-31");
  });
});

describe("Reports — forecast (fa, Jalali)", () => {
  it("names the close months in the Jalali calendar and a month opens its open opportunities", async () => {
    setUp("fa", "jalali", "forecast");
    render(<App />);
    const table = await screen.findByTestId("report-forecast-table");
    expect(rowsOf(table)).toEqual([
      ["ماه بسته شدن", "تعداد", "برآوردی (ریال)", "وزن‌دار (ریال)"],
      ["بهمن ۱۴۰۴", "۱", "۵٬۰۰۰٬۰۰۰", "۲٬۵۰۰٬۰۰۰"],
      ["فروردین ۱۴۰۵", "۱", "۱۲٬۰۰۰٬۰۰۰", "۴٬۸۰۰٬۰۰۰"],
      ["جمع", "۲", "۱۷٬۰۰۰٬۰۰۰", "۷٬۳۰۰٬۰۰۰"],
    ]);
    const option = liveChart("report-forecast-chart").option as { xAxis: { inverse: boolean; data: string[] }; series: { data: number[] }[] };
    expect(option.xAxis.inverse).toBe(true);
    expect(option.xAxis.data).toEqual(["بهمن ۱۴۰۴", "فروردین ۱۴۰۵"]);
    expect(option.series.map((s) => s.data)).toEqual([
      [5000000, 12000000],
      [2500000, 4800000],
    ]);
    clickBar("report-forecast-chart", 1);
    expect(window.location.hash).toBe("#/opportunities?status=open&createdFrom=2025-03-21&createdTo=2026-03-20&closeFrom=2026-03-21&closeTo=2026-04-20");
  });
});

describe("Reports — dashboard", () => {
  it("is the Reports home: won against the period before, the pipeline, the funnel and what is overdue", async () => {
    const user = userEvent.setup();
    setUp("en", "gregorian", "");
    render(<App />);
    await waitFor(() => expect(lastCall("report_dashboard")).toMatchObject({ from: "2026-01-01", to: "2026-12-31" }));
    const summary = await screen.findByTestId("report-dashboard-summary");
    expect(screen.getByTestId("report-tab-dashboard").getAttribute("aria-selected")).toBe("true");
    const stat = (key: string) => summary.querySelector(`[data-stat="${key}"]`)?.textContent;
    expect(stat("won")).toBe("Won in this period30,000,000 IRRNothing was won in the period before (0 IRR)");
    await waitFor(() => expect(stat("previous")).toBe("Won in the period before0 IRR2025/01/01 to 2025/12/31"));
    expect(stat("pipeline")).toBe("Open pipeline17,000,000 IRR2 open opportunities");
    expect(stat("overdue")).toContain("1");
    expect(rowsOf(screen.getByTestId("report-stages-table")).at(-1)).toEqual(["Total", "4", "48,000,000"]);
    expect(rowsOf(screen.getByTestId("report-overdue-table"))).toEqual([
      ["Opportunity", "Customer", "Assigned to", "Close date", "Overdue by"],
      ["Opportunity 1", "Acme", "Admin", "2026/02/10", "19 days"],
    ]);
    // A funnel step opens the list filtered to that stage and the period.
    act(() => liveChart("report-funnel").handlers.get("click")?.({ componentType: "series", dataIndex: 0 }));
    expect(window.location.hash).toBe("#/opportunities?stage=1&createdFrom=2026-01-01&createdTo=2026-12-31");
    window.history.replaceState(null, "", "#/reports");
    await user.click(await screen.findByRole("link", { name: "Opportunity 1" }));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/1"));
  });

  it("exports the overdue table to CSV as it shows it, dates in the calendar of the setting", async () => {
    const user = userEvent.setup();
    setUp("en", "gregorian", "");
    render(<App />);
    await screen.findByTestId("report-overdue-table");
    await user.click(screen.getByRole("button", { name: "Export CSV of the overdue opportunities table" }));
    // Today's list whatever the period: the file is named by the day.
    await waitFor(() => expect(transferMock.saved.map((f) => f.fileName)).toEqual(["overdue_2026-03-01.csv"]));
    expect(savedText()).toBe("\uFEFFOpportunity,Customer,Assigned to,Close date,Overdue by (days)\r\nOpportunity 1,Acme,Admin,2026-02-10,19\r\n");
  });

  it("exports the overdue table in Persian with Jalali dates in ASCII digits (fa)", async () => {
    const user = userEvent.setup();
    setUp("fa", "jalali", "", (acme) => [makeOpportunity(5, acme, { title: "تمدید، مرحله ۲, 2026", assignedUserId: null, closeDate: "2026-01-15", createdAt: "2026-01-02T08:00:00Z" })]);
    render(<App />);
    const table = await screen.findByTestId("report-overdue-table");
    expect(rowsOf(table).slice(1)).toEqual([
      ["تمدید، مرحله ۲, 2026", "Acme", "تعیین نشده", "۱۴۰۴/۱۰/۲۵", "۴۵ روز"],
      ["Opportunity 1", "Acme", "Admin", "۱۴۰۴/۱۱/۲۱", "۱۹ روز"],
    ]);
    await user.click(screen.getByTestId("report-overdue-csv"));
    await waitFor(() => expect(transferMock.saved).toHaveLength(1));
    expect(savedText()).toBe(
      "\uFEFFفرصت,مشتری,تخصیص داده شده به,تاریخ بسته شدن,تأخیر (روز)\r\n" + '"تمدید، مرحله ۲, 2026",Acme,تعیین نشده,1404/10/25,45\r\n' + "Opportunity 1,Acme,Admin,1404/11/21,19\r\n",
    );
  });

  it("remembers the open tab in the address", async () => {
    const user = userEvent.setup();
    setUp("en", "gregorian", "");
    render(<App />);
    await user.click(await screen.findByTestId("report-tab-forecast"));
    expect(window.location.hash).toBe("#/reports?tab=forecast");
    expect(await screen.findByTestId("report-forecast-summary")).toBeTruthy();
  });
});

describe("Reports — opportunities", () => {
  /** The request of the last list_opportunities call. */
  const lastList = () => (backend.calls.filter((c) => c.cmd === "list_opportunities").at(-1)?.args as { request: { filter: unknown; sort: unknown; page: number; pageSize: number } } | undefined)?.request;

  it("lists the filtered opportunities with the source's columns, their totals and an export", async () => {
    const user = userEvent.setup();
    setUp("en", "gregorian", "opportunities");
    render(<App />);
    await waitFor(() => expect(lastList()).toEqual({ filter: { createdFrom: "2026-01-01", createdTo: "2026-12-31" }, sort: [], page: 1, pageSize: 50 }));
    const card = await screen.findByTestId("report-opportunities");
    expect(screen.getByTestId("report-tab-opportunities").getAttribute("aria-selected")).toBe("true");
    const headers = within(card).getAllByRole("columnheader").map((th) => th.textContent?.trim());
    expect(headers).toEqual(["Title", "Created", "Type", "Source", "Campaign", "Stage", "Identity", "Probability", "Assigned to", "Close date", "Estimated"]);
    expect(within(card).getAllByRole("row")).toHaveLength(5);
    const totals = within(card).getByTestId("list-totals");
    expect(within(totals).getByTestId("totals-count").textContent).toBe("4");
    expect(totals.textContent).toContain("48,000,000");
    expect(within(card).getByTestId("export-button")).toBeTruthy();
    expect(within(card).getByTestId("report-opportunities-list-link").getAttribute("href")).toBe("#/opportunities?createdFrom=2026-01-01&createdTo=2026-12-31");

    // The report's filters reach the request; a header click sorts like the list.
    await user.selectOptions(screen.getByTestId("report-source"), "4");
    await waitFor(() => expect(lastList()?.filter).toEqual({ createdFrom: "2026-01-01", createdTo: "2026-12-31", sourceIds: [4] }));
    await waitFor(() => expect(within(screen.getByTestId("report-opportunities")).getByTestId("totals-count").textContent).toBe("1"));
    await user.click(within(screen.getByTestId("report-opportunities")).getByTestId("sort-estimated"));
    await waitFor(() => expect(lastList()?.sort).toEqual([{ column: "estimated", desc: false }]));

    // A row opens its opportunity.
    await user.click(within(screen.getByTestId("report-opportunities")).getByText("Opportunity 3"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/3"));
  });

  it("says so when the period has no opportunities (fa)", async () => {
    const user = userEvent.setup();
    setUp("fa", "jalali", "opportunities");
    render(<App />);
    await screen.findByTestId("report-opportunities");
    await user.selectOptions(screen.getByTestId("report-campaign"), "1");
    await user.selectOptions(screen.getByTestId("report-source"), "4");
    await waitFor(() => expect(lastList()?.filter).toEqual({ createdFrom: "2025-03-21", createdTo: "2026-03-20", sourceIds: [4], campaignIds: [1] }));
    expect(await screen.findByText("در این بازه فرصتی نیست")).toBeTruthy();
  });
});
