import { describe, expect, it } from "vitest";
import { barsOption, compactAmount, type ChartContext } from "./chartOptions";
import { changePercent } from "./DashboardView";
import { monthTarget } from "./ForecastView";

const ctx = (lang: "fa" | "en"): ChartContext => ({
  lang,
  currency: "IRR",
  decimals: 0,
  still: true,
  text: { tooltipCount: (v) => v, tooltipAmount: (v) => v, tooltipShare: (v) => v, percent: (v) => `${v}%` },
});

type Built = {
  legend: { show: boolean; right?: number; left?: number };
  xAxis: { type: string; inverse?: boolean; data?: string[] };
  yAxis: { type: string; position?: string; inverse?: boolean };
  series: { name: string; stack?: string; data: number[]; label: { show: boolean; position: string } }[];
  tooltip: { formatter: (p: { dataIndex: number }) => string };
};

const spec = {
  categories: ["A <b>", "B"],
  series: [
    { name: "Won", color: "#0f0", values: [3, 1], shown: ["3", "1"] },
    { name: "Lost", color: "#f00", values: [0, 2], shown: ["0", "2"] },
  ],
  axisFormat: String,
};

describe("barsOption", () => {
  it("lays horizontal bars from the side the text starts, with a legend for several series", () => {
    const en = barsOption({ ...spec, horizontal: true, labels: true }, ctx("en")) as unknown as Built;
    expect(en.xAxis).toMatchObject({ type: "value", inverse: false });
    expect(en.yAxis).toMatchObject({ type: "category", position: "left", inverse: true });
    expect(en.legend).toMatchObject({ show: true, left: 0 });
    expect(en.series.map((s) => [s.name, s.data, s.label.position])).toEqual([
      ["Won", [3, 1], "right"],
      ["Lost", [0, 2], "right"],
    ]);
    const fa = barsOption({ ...spec, horizontal: true, labels: true }, ctx("fa")) as unknown as Built;
    expect(fa.xAxis.inverse).toBe(true);
    expect(fa.yAxis.position).toBe("right");
    expect(fa.legend).toMatchObject({ right: 0 });
    expect(fa.series[0]?.label.position).toBe("left");
  });

  it("runs vertical categories from the right in Persian, stacks on request and escapes tooltips", () => {
    const fa = barsOption({ ...spec, horizontal: false, stacked: true }, ctx("fa")) as unknown as Built;
    expect(fa.xAxis).toMatchObject({ type: "category", inverse: true, data: ["A <b>", "B"] });
    expect(fa.yAxis).toMatchObject({ type: "value", position: "right" });
    expect(fa.series.every((s) => s.stack === "all")).toBe(true);
    expect(fa.tooltip.formatter({ dataIndex: 0 })).toBe("<strong>A &lt;b&gt;</strong><br/>Won: 3<br/>Lost: 0");
    const one = barsOption({ ...spec, series: spec.series.slice(0, 1), horizontal: true }, ctx("en")) as unknown as Built;
    expect(one.legend.show).toBe(false);
  });

  it("shortens amount ticks in the language's digits", () => {
    expect(compactAmount(12_000_000, ctx("en"))).toBe("12M");
    expect(compactAmount(12_000_000, ctx("fa"))).toMatch(/^۱۲/);
  });
});

describe("dashboard and forecast helpers", () => {
  it("compares with the period before in whole percent", () => {
    expect(changePercent("150", "100")).toBe(50);
    expect(changePercent("50", "200")).toBe(-75);
    expect(changePercent("10", "0")).toBeNull();
  });

  it("turns a forecast month into its close-date range in the calendar", () => {
    const month = { year: 1405, month: 1, count: 1, amount: "1", weighted: "1" };
    expect(monthTarget(month, "jalali")).toEqual({ status: "open", closeFrom: "2026-03-21", closeTo: "2026-04-20" });
    expect(monthTarget({ ...month, year: 2026, month: 2 }, "gregorian")).toEqual({ status: "open", closeFrom: "2026-02-01", closeTo: "2026-02-28" });
    expect(monthTarget({ ...month, year: null, month: null }, "jalali")).toEqual({ status: "open" });
  });
});
