// ECharts options of the report charts. Numbers in labels and tooltips are formatted
// by the shared formatters (Persian digits in fa); the layout mirrors in
// right-to-left: names sit on the right, bars grow leftwards, categories run from the
// right. Names too long for their room end in "…" (whole in the tooltip and the
// table); the grid shrinks so that no axis label is cut at the chart's edge.

import { formatDecimal, formatMoney, formatNumber, type Lang } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { SourceBucket } from "../../lib/types";
import { toChartNumber } from "./decimals";
import type { ChartOption } from "./echarts";
import { FUNNEL_SERIES, stepMargin, type FunnelRow, type FunnelShape, type Measure } from "./funnel";
import { BAR, BORDER, FONT, SERIES, SURFACE_2, TEXT, TEXT_2 } from "./palette";

export { SERIES, stageColor } from "./palette";

export type { Measure } from "./funnel";

export type ChartContext = {
  lang: Lang;
  currency: string;
  /** Fraction digits of money. */
  decimals: number;
  /** No animation (the user asked for reduced motion). */
  still: boolean;
  text: {
    tooltipCount: (value: string) => string;
    tooltipAmount: (value: string) => string;
    tooltipShare: (value: string) => string;
    percent: (value: string) => string;
  };
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

function tooltipBox(ctx: ChartContext) {
  const rtl = ctx.lang === "fa";
  return {
    trigger: "item" as const,
    confine: true,
    textStyle: { fontFamily: FONT, color: TEXT, fontSize: 12 },
    extraCssText: `direction:${rtl ? "rtl" : "ltr"};text-align:${rtl ? "right" : "left"};`,
  };
}

/** The grid takes the axis labels in: it shrinks rather than let a label run off the canvas. */
const CONTAIN_LABELS = { outerBoundsMode: "same", outerBoundsContain: "axisLabel" } as const;

const axisText = { color: TEXT_2, fontFamily: FONT, fontSize: 12 };

/** The category axis of horizontal bars: names on the side the text starts, the first on top. */
function namesAxis(names: readonly string[], rtl: boolean) {
  return {
    type: "category" as const,
    inverse: true,
    position: rtl ? ("right" as const) : ("left" as const),
    data: [...names],
    axisTick: { show: false },
    axisLine: { lineStyle: { color: BORDER } },
    axisLabel: { ...axisText, color: TEXT, width: categoryLabelWidth(names), overflow: "truncate" as const },
  };
}

/** The room (px) at the bars' end for value labels of the given texts. */
function labelRoom(texts: readonly string[], fontSize: number): number {
  return clamp(Math.max(0, ...texts.map((t) => approxTextWidth(t, fontSize))) + 12, 24, 180);
}

/** The text width (px) of `text` in the charts' font, estimated (a canvas is not asked). */
export function approxTextWidth(text: string, fontSize = 12): number {
  return Math.ceil([...text].length * fontSize * 0.6);
}

const clamp = (value: number, least: number, most: number) => Math.min(most, Math.max(least, value));

/**
 * The width (px) of category labels: as wide as the longest name needs, at most
 * `most`; a longer name ends in "…" and shows whole in the tooltip and the table.
 */
export function categoryLabelWidth(names: readonly string[], most = 180): number {
  return clamp(Math.max(0, ...names.map((n) => approxTextWidth(n))), 48, most);
}

/** The funnel's rows: heights (px) of a step, an outcome and the gap between the two parts. */
const FUNNEL_ROWS = { top: 6, step: 36, gap: 34, outcome: 30, bottom: 6 };

/** The height (px) the funnel chart needs for its steps and outcomes. */
export function funnelHeight(shape: FunnelShape): number {
  const outcomes = shape.outcomes.length ? FUNNEL_ROWS.gap + shape.outcomes.length * FUNNEL_ROWS.outcome : 0;
  return FUNNEL_ROWS.top + Math.max(1, shape.steps.length) * FUNNEL_ROWS.step + outcomes + FUNNEL_ROWS.bottom;
}

/**
 * The sales status funnel (see funnel.ts): each open stage a bar as wide as its own
 * figure, centred, in stage order; under it, apart, the won and lost bars from the
 * side the text starts, on their own scale. Names sit on the side the text starts
 * (right in Persian), the figures in one column on the other side.
 */
export function funnelOption(shape: FunnelShape, measure: Measure, ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const money = (value: string) => formatMoney(value, ctx.lang, { currency: ctx.currency, decimals: ctx.decimals });
  const shown = (r: FunnelRow) => (measure === "count" ? formatNumber(r.count, ctx.lang) : money(r.amount));
  const tooltip = (r: FunnelRow) =>
    [
      `<strong>${escapeHtml(r.title)}</strong>`,
      escapeHtml(ctx.text.tooltipCount(formatNumber(r.count, ctx.lang))),
      escapeHtml(ctx.text.tooltipAmount(money(r.amount))),
    ].join("<br/>");
  const all = [...shape.steps, ...shape.outcomes];
  const labelWidth = categoryLabelWidth(all.map((r) => r.title), 170);
  const figureWidth = clamp(Math.max(0, ...all.map((r) => approxTextWidth(shown(r)))) + 14, 28, 170);
  const start = rtl ? "right" : "left";
  const end = rtl ? "left" : "right";
  const sides = { [start]: labelWidth + 14, [end]: figureWidth };
  const stepsHeight = Math.max(1, shape.steps.length) * FUNNEL_ROWS.step;
  const hidden = { show: false };
  const valueAxis = (gridIndex: number, max: number) => ({
    type: "value" as const,
    gridIndex,
    min: 0,
    max,
    inverse: rtl,
    axisLabel: hidden,
    axisLine: hidden,
    axisTick: hidden,
    splitLine: hidden,
  });
  const categoryAxis = (gridIndex: number, rows: FunnelRow[]) => ({
    type: "category" as const,
    gridIndex,
    inverse: true,
    position: start as "left" | "right",
    data: rows.map((r) => r.title),
    axisLine: hidden,
    axisTick: hidden,
    // Start-aligned names: the label box reaches back from the axis by its width.
    axisLabel: { color: TEXT, fontFamily: FONT, fontSize: 12, width: labelWidth, overflow: "truncate" as const, align: start as "left" | "right", margin: labelWidth + 8 },
  });
  const blank = { type: "bar" as const, silent: true, itemStyle: { color: "transparent" }, emphasis: { disabled: true }, tooltip: hidden };
  const figures = (rows: FunnelRow[]) => ({ show: true, position: end as "left" | "right", distance: 8, color: TEXT, fontFamily: FONT, fontSize: 12, formatter: (p: unknown) => { const r = rows[(p as { dataIndex: number }).dataIndex]; return r ? shown(r) : ""; } });
  const outcomesTop = FUNNEL_ROWS.top + stepsHeight + FUNNEL_ROWS.gap;
  const withOutcomes = shape.outcomes.length > 0;
  const bar = (rows: FunnelRow[], name: string, stack: string, gridIndex: number) => ({
    type: "bar" as const,
    name,
    stack,
    xAxisIndex: gridIndex,
    yAxisIndex: gridIndex,
    barWidth: gridIndex === 0 ? "72%" : "62%",
    cursor: "pointer",
    itemStyle: { borderRadius: 3 },
    data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.color } })),
  });
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: {
      ...tooltipBox(ctx),
      formatter: (p) => {
        const { seriesName, dataIndex } = p as { seriesName?: string; dataIndex: number };
        const r = (seriesName === FUNNEL_SERIES.outcomes ? shape.outcomes : shape.steps)[dataIndex];
        return r ? tooltip(r) : "";
      },
    },
    grid: [
      { ...sides, top: FUNNEL_ROWS.top, height: stepsHeight },
      ...(withOutcomes ? [{ ...sides, top: outcomesTop, height: shape.outcomes.length * FUNNEL_ROWS.outcome, show: true, backgroundColor: SURFACE_2, borderWidth: 0 }] : []),
    ],
    xAxis: [valueAxis(0, shape.stepMax), ...(withOutcomes ? [valueAxis(1, shape.outcomeMax)] : [])],
    yAxis: [categoryAxis(0, shape.steps), ...(withOutcomes ? [categoryAxis(1, shape.outcomes)] : [])],
    series: [
      // Each step is centred: empty room, the step, the same room again (holding its figure).
      { ...blank, name: "before", stack: "steps", data: shape.steps.map((r) => stepMargin(shape, r)) },
      bar(shape.steps, FUNNEL_SERIES.steps, "steps", 0),
      { ...blank, name: "after", stack: "steps", label: figures(shape.steps), data: shape.steps.map((r) => stepMargin(shape, r)) },
      ...(withOutcomes
        ? [
            bar(shape.outcomes, FUNNEL_SERIES.outcomes, "outcomes", 1),
            { ...blank, name: "outcomesRest", stack: "outcomes", xAxisIndex: 1, yAxisIndex: 1, label: figures(shape.outcomes), data: shape.outcomes.map((r) => shape.outcomeMax - r.value) },
          ]
        : []),
    ],
  };
}

/** The sources sorted by their share, largest first (ties by count, then name). */
export function sortSources(sources: readonly SourceBucket[], lang: Lang): SourceBucket[] {
  return [...sources].sort(
    (a, b) => toChartNumber(b.percent) - toChartNumber(a.percent) || b.count - a.count || localTitle(a, lang).localeCompare(localTitle(b, lang), lang),
  );
}

/** Horizontal bars of each source's share in percent, largest on top. */
export function sourcesOption(sources: readonly SourceBucket[], ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const rows = sortSources(sources, ctx.lang).map((s) => {
    const title = localTitle(s, ctx.lang);
    const share = ctx.text.percent(formatDecimal(s.percent, ctx.lang));
    const tooltip = [
      `<strong>${escapeHtml(title)}</strong>`,
      escapeHtml(ctx.text.tooltipShare(share)),
      escapeHtml(ctx.text.tooltipCount(formatNumber(s.count, ctx.lang))),
    ].join("<br/>");
    return { title, value: toChartNumber(s.percent), share, tooltip };
  });
  const room = labelRoom(rows.map((r) => r.share), 12);
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.tooltip ?? "" },
    grid: { top: 8, bottom: 8, left: rtl ? room : 8, right: rtl ? 8 : room, ...CONTAIN_LABELS },
    xAxis: {
      type: "value",
      min: 0,
      max: 100,
      inverse: rtl,
      splitLine: { lineStyle: { color: BORDER } },
      axisLabel: { ...axisText, formatter: (v: number) => ctx.text.percent(formatNumber(v, ctx.lang)), hideOverlap: true },
    },
    yAxis: namesAxis(
      rows.map((r) => r.title),
      rtl,
    ),
    series: [
      {
        type: "bar",
        name: "sources",
        barMaxWidth: 22,
        cursor: "pointer",
        itemStyle: { color: BAR, borderRadius: rtl ? [4, 0, 0, 4] : [0, 4, 4, 0] },
        label: {
          show: true,
          position: rtl ? "left" : "right",
          color: TEXT,
          fontFamily: FONT,
          fontSize: 12,
          formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.share ?? "",
        },
        data: rows.map((r) => r.value),
      },
    ],
  };
}

/** One bar of the win / loss reasons chart. */
export type ReasonBar = { title: string; count: number; won: boolean };

/**
 * Horizontal bars of the win reasons (green) and loss reasons (red) by count, in the
 * given order, named by the reason alone: the colour and the legend tell won from lost.
 */
export function reasonsOption(bars: readonly ReasonBar[], names: { won: string; lost: string }, ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const shown = bars.map((b) => formatNumber(b.count, ctx.lang));
  const tooltip = (i: number) => {
    const b = bars[i];
    if (!b) return "";
    return [`<strong>${escapeHtml(b.title)}</strong>`, `${escapeHtml(b.won ? names.won : names.lost)}: ${escapeHtml(shown[i] ?? "")}`].join("<br/>");
  };
  const room = labelRoom(shown, 12);
  const kinds = [
    { name: names.won, won: true, color: SERIES.won },
    { name: names.lost, won: false, color: SERIES.lost },
  ].filter((k) => bars.some((b) => b.won === k.won));
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => tooltip((p as { dataIndex: number }).dataIndex) },
    legend: legendFor(
      kinds.map((k) => k.name),
      rtl,
    ),
    grid: { top: 32, bottom: 8, left: rtl ? room : 8, right: rtl ? 8 : room, ...CONTAIN_LABELS },
    xAxis: {
      type: "value",
      min: 0,
      minInterval: 1,
      inverse: rtl,
      splitLine: { lineStyle: { color: BORDER } },
      axisLabel: { ...axisText, formatter: (v: number) => formatNumber(v, ctx.lang), hideOverlap: true },
    },
    yAxis: namesAxis(
      bars.map((b) => b.title),
      rtl,
    ),
    // One series per outcome in one stack: each reason has its bar in its colour, in one row.
    series: kinds.map((k) => ({
      type: "bar" as const,
      name: k.name,
      stack: "reasons",
      barMaxWidth: 22,
      cursor: "pointer",
      itemStyle: { color: k.color, borderRadius: rtl ? [4, 0, 0, 4] : [0, 4, 4, 0] },
      label: {
        show: true,
        position: rtl ? ("left" as const) : ("right" as const),
        color: TEXT,
        fontFamily: FONT,
        fontSize: 12,
        formatter: (p: unknown) => shown[(p as { dataIndex: number }).dataIndex] ?? "",
      },
      data: bars.map((b) => (b.won === k.won ? b.count : "-")),
    })),
  };
}

/**
 * A legend at the top, from the side the text starts: in right-to-left the first
 * series is on the right and each swatch sits before (to the right of) its name.
 */
function legendFor(names: readonly string[], rtl: boolean) {
  if (names.length < 2) return { show: false };
  return {
    show: true,
    type: "plain" as const,
    top: 0,
    [rtl ? "right" : "left"]: 0,
    align: rtl ? ("right" as const) : ("left" as const),
    data: rtl ? [...names].reverse() : [...names],
    textStyle: { ...axisText, color: TEXT },
    itemWidth: 12,
    itemHeight: 12,
    itemGap: 14,
  };
}

/** One series of a bar chart: a value per category, and the text shown for it. */
export type BarSeries = { name: string; color: string; values: readonly number[]; shown: readonly string[] };

export type BarsSpec = {
  /** The names along the category axis (groups, months, stages). */
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Bars lie along the value axis from the side the text starts (true), or stand up from the bottom (false). */
  horizontal: boolean;
  /** Series stacked in one bar per category instead of side by side. */
  stacked?: boolean;
  /** Value labels at the end of each bar (inside each part of a stacked bar, where it fits). */
  labels?: boolean;
  /** Formats the value axis' ticks. */
  axisFormat: (value: number) => string;
};

/** Standing bars turn their names aslant from this many categories on, so that they do not crowd. */
export const SLANT_FROM = 7;

/** A part of a stacked bar smaller than this share of the longest bar is left without its label. */
const INSIDE_LABEL_SHARE = 0.08;

/**
 * Bars of one or more series per category, with a legend when there are several. In
 * right-to-left the value axis grows leftwards (horizontal) or the categories run
 * from the right (vertical), and the axis labels sit on the right.
 */
export function barsOption(spec: BarsSpec, ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const many = spec.series.length > 1;
  const tooltip = (categoryIndex: number) =>
    [
      `<strong>${escapeHtml(spec.categories[categoryIndex] ?? "")}</strong>`,
      ...spec.series.map((s) => `${escapeHtml(s.name)}: ${escapeHtml(s.shown[categoryIndex] ?? "")}`),
    ].join("<br/>");
  const valueAxis = {
    type: "value" as const,
    min: 0,
    splitLine: { lineStyle: { color: BORDER } },
    axisLabel: { ...axisText, formatter: spec.axisFormat, hideOverlap: true },
  };
  const labelSide = spec.horizontal ? (rtl ? "left" : "right") : "top";
  const radius = spec.horizontal ? (rtl ? [4, 0, 0, 4] : [0, 4, 4, 0]) : [4, 4, 0, 0];
  // Labels past the bars' end need room there; inside a stacked bar they do not.
  const outside = spec.labels === true && !spec.stacked;
  const room = outside ? labelRoom(spec.series.flatMap((s) => s.shown), 11) : 12;
  const longest = Math.max(1, ...spec.categories.map((_, i) => spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)));
  const slant = !spec.horizontal && spec.categories.length >= SLANT_FROM;
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => tooltip((p as { dataIndex: number }).dataIndex) },
    legend: legendFor(
      spec.series.map((s) => s.name),
      rtl,
    ),
    grid: {
      top: many ? 32 : outside && !spec.horizontal ? 22 : 8,
      bottom: 8,
      left: spec.horizontal && rtl ? room : 12,
      right: spec.horizontal && !rtl ? room : 12,
      ...CONTAIN_LABELS,
    },
    xAxis: spec.horizontal
      ? { ...valueAxis, inverse: rtl }
      : {
          type: "category" as const,
          data: [...spec.categories],
          axisTick: { show: false },
          axisLine: { lineStyle: { color: BORDER } },
          inverse: rtl,
          axisLabel: {
            ...axisText,
            color: TEXT,
            interval: 0,
            hideOverlap: true,
            width: slant ? 110 : categoryLabelWidth(spec.categories, 140),
            overflow: "truncate" as const,
            rotate: slant ? (rtl ? -30 : 30) : 0,
          },
        },
    yAxis: spec.horizontal ? namesAxis(spec.categories, rtl) : { ...valueAxis, position: rtl ? "right" : "left" },
    series: spec.series.map((s) => ({
      type: "bar" as const,
      name: s.name,
      stack: spec.stacked ? "all" : undefined,
      barMaxWidth: 22,
      cursor: "pointer",
      itemStyle: { color: s.color, borderRadius: spec.stacked ? 0 : radius },
      labelLayout: { hideOverlap: true },
      label: {
        show: spec.labels === true,
        position: spec.stacked ? "inside" : labelSide,
        color: spec.stacked ? "#ffffff" : TEXT,
        fontFamily: FONT,
        fontSize: 11,
        formatter: (p) => {
          const i = (p as { dataIndex: number }).dataIndex;
          if (spec.stacked && (s.values[i] ?? 0) / longest < INSIDE_LABEL_SHARE) return "";
          return s.shown[i] ?? "";
        },
      },
      data: [...s.values],
    })),
  };
}

/** Axis ticks of amounts, shortened ("12M", "۱۲ میلیون"). */
export function compactAmount(value: number, ctx: ChartContext): string {
  return formatNumber(value, ctx.lang, { notation: "compact", maximumFractionDigits: 1 });
}
