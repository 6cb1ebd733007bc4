import { describe, expect, it } from "vitest";
import { approxTextWidth, barsOption, categoryLabelWidth, compactAmount, reasonsOption, SLANT_FROM, type ChartContext } from "./chartOptions";
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

type Laid = {
  legend: { show: boolean; data?: string[]; align?: string };
  grid: { left: number; right: number; outerBoundsMode?: string; outerBoundsContain?: string };
  xAxis: { axisLabel: { rotate?: number; width?: number; overflow?: string } };
  yAxis: { data?: string[]; axisLabel: { width?: number; overflow?: string } };
  series: { name: string; stack?: string; data: (number | string)[]; label: { formatter: (p: { dataIndex: number }) => string } }[];
  tooltip: { formatter: (p: { dataIndex: number }) => string };
};

describe("labels that are not cut", () => {
  it("keeps axis labels inside the chart and ends names too long for their room in an ellipsis", () => {
    const option = barsOption({ ...spec, horizontal: true }, ctx("en")) as unknown as Laid;
    expect(option.grid).toMatchObject({ outerBoundsMode: "same", outerBoundsContain: "axisLabel" });
    expect(option.yAxis.axisLabel).toMatchObject({ overflow: "truncate" });
    expect(categoryLabelWidth(["A"])).toBe(48);
    expect(categoryLabelWidth(["A reason with a rather long name that goes on and on"])).toBe(180);
    expect(categoryLabelWidth(["Price"])).toBe(48);
    expect(categoryLabelWidth(["Nobody answered the phone"])).toBe(approxTextWidth("Nobody answered the phone"));
  });

  it("makes room at the bars' end for the longest value label", () => {
    const short = barsOption({ ...spec, horizontal: true, labels: true }, ctx("en")) as unknown as Laid;
    const long = barsOption(
      { ...spec, horizontal: true, labels: true, series: [{ name: "Won", color: "#0f0", values: [3, 1], shown: ["30,000,000,000 IRR", "1"] }] },
      ctx("fa"),
    ) as unknown as Laid;
    expect(short.grid.right).toBeLessThan(40);
    // In Persian the bars end on the left.
    expect(long.grid.left).toBeGreaterThan(100);
    expect(long.grid.right).toBe(12);
  });

  it("orders the legend from the side the text starts", () => {
    const en = barsOption({ ...spec, horizontal: true }, ctx("en")) as unknown as Laid;
    const fa = barsOption({ ...spec, horizontal: true }, ctx("fa")) as unknown as Laid;
    expect(en.legend).toMatchObject({ data: ["Won", "Lost"], align: "left" });
    expect(fa.legend).toMatchObject({ data: ["Lost", "Won"], align: "right" });
  });

  it("turns standing bars' names aslant when many, mirrored in Persian", () => {
    const months = Array.from({ length: SLANT_FROM }, (_, i) => `Month ${i + 1}`);
    const few = barsOption({ ...spec, horizontal: false }, ctx("en")) as unknown as Laid;
    const many = (lang: "fa" | "en") =>
      barsOption({ categories: months, series: [{ name: "A", color: "#000", values: months.map(() => 1), shown: months.map(() => "1") }], horizontal: false, axisFormat: String }, ctx(lang)) as unknown as Laid;
    expect(few.xAxis.axisLabel.rotate).toBe(0);
    expect(many("en").xAxis.axisLabel).toMatchObject({ rotate: 30, overflow: "truncate" });
    expect(many("fa").xAxis.axisLabel.rotate).toBe(-30);
  });

  it("leaves a sliver of a stacked bar without a label that would not fit in it", () => {
    const option = barsOption(
      { categories: ["A"], stacked: true, labels: true, horizontal: true, axisFormat: String, series: [{ name: "Won", color: "#0f0", values: [40], shown: ["40"] }, { name: "Lost", color: "#f00", values: [1], shown: ["1"] }] },
      ctx("en"),
    ) as unknown as Laid;
    expect(option.series.map((s) => s.label.formatter({ dataIndex: 0 }))).toEqual(["40", ""]);
  });

  it("names each reason once, its outcome told by colour and legend", () => {
    const bars = [
      { title: "Good price", count: 3, won: true },
      { title: "Too late", count: 2, won: false },
    ];
    const option = reasonsOption(bars, { won: "Win reasons", lost: "Loss reasons" }, ctx("en")) as unknown as Laid;
    expect(option.yAxis.data).toEqual(["Good price", "Too late"]);
    expect(option.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ["Win reasons", "reasons", [3, "-"]],
      ["Loss reasons", "reasons", ["-", 2]],
    ]);
    expect(option.legend).toMatchObject({ show: true, data: ["Win reasons", "Loss reasons"] });
    expect(option.tooltip.formatter({ dataIndex: 1 })).toBe("<strong>Too late</strong><br/>Loss reasons: 2");
    const onlyWon = reasonsOption(bars.slice(0, 1), { won: "Win reasons", lost: "Loss reasons" }, ctx("fa")) as unknown as Laid;
    expect(onlyWon.series.map((s) => s.name)).toEqual(["Win reasons"]);
    expect(onlyWon.legend.show).toBe(false);
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
