import { describe, expect, it } from "vitest";
import type { StageBucket } from "../../lib/types";
import { funnelHeight, funnelOption, type ChartContext } from "./chartOptions";
import { funnelRowAt, funnelShape, stepMargin } from "./funnel";

const ctx = (lang: "fa" | "en"): ChartContext => ({
  lang,
  currency: "IRR",
  decimals: 0,
  still: true,
  text: { tooltipCount: (v) => `n ${v}`, tooltipAmount: (v) => `a ${v}`, tooltipShare: (v) => v, percent: (v) => `${v}%` },
});

const stage = (stageId: number, titleEn: string, kind: StageBucket["kind"], count: number, amount = "0"): StageBucket => ({
  stageId,
  titleFa: `م${stageId}`,
  titleEn,
  kind,
  count,
  amount,
});

// In stage order, as the report gives them: won and lost need not come last.
const STAGES = [
  stage(1, "Contact", "open", 4, "4000"),
  stage(2, "Needs", "open", 0),
  stage(8, "Won", "won", 9, "90000"),
  stage(3, "Offer", "open", 8, "1000"),
  stage(9, "Lost", "lost", 2, "200"),
];

type Series = {
  name: string;
  stack?: string;
  xAxisIndex?: number;
  silent?: boolean;
  data: (number | { value: number; itemStyle: { color: string } })[];
  label?: { show: boolean; position: string; formatter: (p: { dataIndex: number }) => string };
};
type Built = {
  grid: Record<string, number | string | boolean>[];
  xAxis: { inverse: boolean; max: number; gridIndex: number }[];
  yAxis: { data: string[]; position: string; axisLabel: { align: string; width: number; margin: number; overflow: string } }[];
  series: Series[];
  tooltip: { formatter: (p: { seriesName: string; dataIndex: number }) => string };
};
const build = (lang: "fa" | "en", measure: "count" | "amount" = "count", stages = STAGES) =>
  funnelOption(funnelShape(stages, measure, lang), measure, ctx(lang)) as unknown as Built;
const named = (option: Built, name: string) => option.series.find((s) => s.name === name) as Series;
const values = (s: Series) => s.data.map((d) => (typeof d === "number" ? d : d.value));

describe("funnelShape", () => {
  it("keeps the open stages in stage order and puts won and lost apart", () => {
    const shape = funnelShape(STAGES, "count", "en");
    expect(shape.steps.map((r) => [r.title, r.value, r.index])).toEqual([
      ["Contact", 4, 0],
      ["Needs", 0, 1],
      ["Offer", 8, 3],
    ]);
    expect(shape.outcomes.map((r) => [r.title, r.kind, r.value, r.index])).toEqual([
      ["Won", "won", 9, 2],
      ["Lost", "lost", 2, 4],
    ]);
    // The funnel's width is the widest open stage; the outcomes have their own scale.
    expect(shape.stepMax).toBe(8);
    expect(shape.outcomeMax).toBe(9);
    expect(shape.outcomes.map((r) => r.color)).toEqual(["#2b8a3e", "#c92a2a"]);
  });

  it("sizes each stage by its own figure: a stage with none has no width", () => {
    const shape = funnelShape(STAGES, "count", "en");
    const [contact, needs, offer] = shape.steps;
    if (!contact || !needs || !offer) throw new Error("three steps");
    // Centred: equal room on both sides, the step's own width between.
    expect([stepMargin(shape, contact), contact.value, stepMargin(shape, contact)]).toEqual([2, 4, 2]);
    expect([stepMargin(shape, needs), needs.value]).toEqual([4, 0]);
    expect(stepMargin(shape, offer)).toBe(0);
    const amounts = funnelShape(STAGES, "amount", "en");
    expect(amounts.steps.map((r) => r.value)).toEqual([4000, 0, 1000]);
    expect(amounts.stepMax).toBe(4000);
  });

  it("stays drawable when every stage is empty, and names stages in the language", () => {
    const empty = funnelShape([stage(1, "A", "open", 0), stage(2, "B", "open", 0)], "count", "fa");
    expect(empty.stepMax).toBe(1);
    expect(empty.outcomes).toEqual([]);
    expect(empty.steps.map((r) => [r.title, stepMargin(empty, r)])).toEqual([
      ["م1", 0.5],
      ["م2", 0.5],
    ]);
  });

  it("maps a click on a step or an outcome back to the stage's row", () => {
    const shape = funnelShape(STAGES, "count", "en");
    expect(funnelRowAt(shape, "stages", 2)).toBe(3);
    expect(funnelRowAt(shape, "outcomes", 0)).toBe(2);
    expect(funnelRowAt(shape, undefined, 0)).toBe(0);
    expect(funnelRowAt(shape, "outcomes", 5)).toBeNull();
  });
});

describe("funnelOption", () => {
  it("draws the steps centred in one grid and the outcomes apart in a second one", () => {
    const option = build("en");
    expect(option.grid).toHaveLength(2);
    expect(option.xAxis.map((a) => [a.gridIndex, a.max])).toEqual([
      [0, 8],
      [1, 9],
    ]);
    expect(option.yAxis.map((a) => a.data)).toEqual([
      ["Contact", "Needs", "Offer"],
      ["Won", "Lost"],
    ]);
    // Room, step, room in one stack; only the step answers the pointer.
    expect(option.series.filter((s) => s.stack === "steps").map((s) => [s.name, values(s), s.silent ?? false])).toEqual([
      ["before", [2, 4, 0], true],
      ["stages", [4, 0, 8], false],
      ["after", [2, 4, 0], true],
    ]);
    expect(values(named(option, "outcomes"))).toEqual([9, 2]);
    expect(values(named(option, "outcomesRest"))).toEqual([0, 7]);
    expect(named(option, "outcomes").xAxisIndex).toBe(1);
    // Every stage keeps its figure, the empty one its 0, in one column at the end.
    const figures = named(option, "after").label;
    expect(figures?.position).toBe("right");
    expect([0, 1, 2].map((dataIndex) => figures?.formatter({ dataIndex }))).toEqual(["4", "0", "8"]);
    expect(named(option, "outcomesRest").label?.formatter({ dataIndex: 1 })).toBe("2");
    expect(option.tooltip.formatter({ seriesName: "outcomes", dataIndex: 0 })).toBe("<strong>Won</strong><br/>n 9<br/>a 90,000 IRR");
    expect(funnelHeight(funnelShape(STAGES, "count", "en"))).toBeGreaterThan(funnelHeight(funnelShape(STAGES.filter((s) => s.kind === "open"), "count", "en")));
  });

  it("mirrors in Persian: names start on the right, figures on the left, bars grow leftwards", () => {
    const fa = build("fa", "amount");
    expect(fa.xAxis.every((a) => a.inverse)).toBe(true);
    expect(fa.yAxis.map((a) => [a.position, a.axisLabel.align, a.axisLabel.overflow])).toEqual([
      ["right", "right", "truncate"],
      ["right", "right", "truncate"],
    ]);
    const label = fa.yAxis[0]?.axisLabel;
    if (!label) throw new Error("no labels");
    // The names' box reaches back from the axis by its width: they start at the edge and never reach the bars.
    expect(label.margin).toBe(label.width + 8);
    expect(fa.grid.every((g) => g.right === label.width + 14 && typeof g.left === "number")).toBe(true);
    expect(named(fa, "after").label?.position).toBe("left");
    expect(named(fa, "after").label?.formatter({ dataIndex: 0 })).toBe("۴٬۰۰۰ ریال");
    const en = build("en");
    expect(en.yAxis[0]?.position).toBe("left");
    expect(en.yAxis[0]?.axisLabel.align).toBe("left");
    expect(en.grid[0]?.left).toBe((en.yAxis[0]?.axisLabel.width ?? 0) + 14);
  });

  it("draws one grid when the pipeline has no outcomes in view", () => {
    const option = build("en", "count", STAGES.filter((s) => s.kind === "open"));
    expect(option.grid).toHaveLength(1);
    expect(option.series.map((s) => s.name)).toEqual(["before", "stages", "after"]);
  });
});
