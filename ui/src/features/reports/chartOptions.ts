// ECharts options of the sales status chart. Numbers in labels and tooltips are
// formatted by the shared formatters (Persian digits in fa); the layout mirrors in
// right-to-left: the funnel's labels sit on its left and the bars grow leftwards.

import { formatDecimal, formatMoney, formatNumber, type Lang } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { SourceBucket, StageBucket } from "../../lib/types";
import { toChartNumber } from "./decimals";
import type { ChartOption } from "./echarts";

export type Measure = "count" | "amount";

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

const FONT = '"Vazirmatn", system-ui, -apple-system, "Segoe UI", Tahoma, sans-serif';
const TEXT = "#1c2330";
const TEXT_2 = "#4a5363";
const BORDER = "#e3e6eb";
const WON = "#2b8a3e";
const LOST = "#c92a2a";
/** Open stages, lightest first (the funnel darkens towards its end). */
const OPEN = ["#a5b4fc", "#8c9ff8", "#748ffc", "#5c7cfa", "#4c6ef5", "#4263eb", "#3b5bdb", "#364fc7"];
const BAR = "#5c7cfa";

/** The fill of a stage: won green, lost red, open stages in blues. */
export function stageColor(kind: StageBucket["kind"], openIndex: number): string {
  if (kind === "won") return WON;
  if (kind === "lost") return LOST;
  return OPEN[Math.min(openIndex, OPEN.length - 1)] ?? BAR;
}

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

/** The funnel of the stages in stage order, sized by count or estimated amount. */
export function funnelOption(stages: readonly StageBucket[], measure: Measure, ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const money = (value: string) => formatMoney(value, ctx.lang, { currency: ctx.currency, decimals: ctx.decimals });
  let open = 0;
  const rows = stages.map((s) => {
    const title = localTitle(s, ctx.lang);
    const value = measure === "count" ? s.count : toChartNumber(s.amount);
    const shown = measure === "count" ? formatNumber(s.count, ctx.lang) : money(s.amount);
    const color = stageColor(s.kind, s.kind === "open" ? open++ : 0);
    const tooltip = [
      `<strong>${escapeHtml(title)}</strong>`,
      escapeHtml(ctx.text.tooltipCount(formatNumber(s.count, ctx.lang))),
      escapeHtml(ctx.text.tooltipAmount(money(s.amount))),
    ].join("<br/>");
    return { title, value, label: `${title}: ${shown}`, color, tooltip };
  });
  const max = Math.max(1, ...rows.map((r) => r.value));
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.tooltip ?? "" },
    series: [
      {
        type: "funnel",
        name: "stages",
        sort: "none",
        funnelAlign: "center",
        top: 12,
        bottom: 12,
        // The labels take the side the text starts from: right in English, left in Persian.
        left: rtl ? "36%" : "3%",
        right: rtl ? "3%" : "36%",
        min: 0,
        max,
        minSize: "6%",
        maxSize: "100%",
        gap: 3,
        cursor: "pointer",
        label: {
          show: true,
          position: rtl ? "left" : "right",
          color: TEXT,
          fontFamily: FONT,
          fontSize: 12,
          formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.label ?? "",
        },
        labelLine: { show: true, length: 14, lineStyle: { color: BORDER } },
        itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
        emphasis: { label: { fontWeight: "bold" } },
        data: rows.map((r) => ({ name: r.title, value: r.value, itemStyle: { color: r.color } })),
      },
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
  const axisText = { color: TEXT_2, fontFamily: FONT, fontSize: 12 };
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.tooltip ?? "" },
    grid: { top: 8, bottom: 8, left: rtl ? 56 : 12, right: rtl ? 12 : 56 },
    xAxis: {
      type: "value",
      min: 0,
      max: 100,
      inverse: rtl,
      splitLine: { lineStyle: { color: BORDER } },
      axisLabel: { ...axisText, formatter: (v: number) => ctx.text.percent(formatNumber(v, ctx.lang)) },
    },
    yAxis: {
      type: "category",
      inverse: true,
      position: rtl ? "right" : "left",
      data: rows.map((r) => r.title),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: BORDER } },
      axisLabel: { ...axisText, color: TEXT, width: 140, overflow: "truncate" },
    },
    series: [
      {
        type: "bar",
        name: "sources",
        barMaxWidth: 22,
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

/** Horizontal bars of the win reasons (green) and loss reasons (red) by count, in the given order. */
export function reasonsOption(bars: readonly ReasonBar[], ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const rows = bars.map((b) => ({
    ...b,
    shown: formatNumber(b.count, ctx.lang),
    tooltip: [`<strong>${escapeHtml(b.title)}</strong>`, escapeHtml(ctx.text.tooltipCount(formatNumber(b.count, ctx.lang)))].join("<br/>"),
  }));
  const axisText = { color: TEXT_2, fontFamily: FONT, fontSize: 12 };
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.tooltip ?? "" },
    grid: { top: 8, bottom: 8, left: rtl ? 40 : 12, right: rtl ? 12 : 40 },
    xAxis: {
      type: "value",
      min: 0,
      minInterval: 1,
      inverse: rtl,
      splitLine: { lineStyle: { color: BORDER } },
      axisLabel: { ...axisText, formatter: (v: number) => formatNumber(v, ctx.lang) },
    },
    yAxis: {
      type: "category",
      inverse: true,
      position: rtl ? "right" : "left",
      data: rows.map((r) => r.title),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: BORDER } },
      axisLabel: { ...axisText, color: TEXT, width: 140, overflow: "truncate" },
    },
    series: [
      {
        type: "bar",
        name: "reasons",
        barMaxWidth: 22,
        itemStyle: { borderRadius: rtl ? [4, 0, 0, 4] : [0, 4, 4, 0] },
        label: {
          show: true,
          position: rtl ? "left" : "right",
          color: TEXT,
          fontFamily: FONT,
          fontSize: 12,
          formatter: (p) => rows[(p as { dataIndex: number }).dataIndex]?.shown ?? "",
        },
        data: rows.map((r) => ({ value: r.count, itemStyle: { color: r.won ? WON : LOST } })),
      },
    ],
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
  /** Value labels at the end of each bar (off where they would crowd). */
  labels?: boolean;
  /** Formats the value axis' ticks. */
  axisFormat: (value: number) => string;
};

/**
 * Bars of one or more series per category, with a legend when there are several. In
 * right-to-left the value axis grows leftwards (horizontal) or the categories run
 * from the right (vertical), and the axis labels sit on the right.
 */
export function barsOption(spec: BarsSpec, ctx: ChartContext): ChartOption {
  const rtl = ctx.lang === "fa";
  const axisText = { color: TEXT_2, fontFamily: FONT, fontSize: 12 };
  const many = spec.series.length > 1;
  const tooltip = (categoryIndex: number) =>
    [
      `<strong>${escapeHtml(spec.categories[categoryIndex] ?? "")}</strong>`,
      ...spec.series.map((s) => `${escapeHtml(s.name)}: ${escapeHtml(s.shown[categoryIndex] ?? "")}`),
    ].join("<br/>");
  const categoryAxis = {
    type: "category" as const,
    data: [...spec.categories],
    axisTick: { show: false },
    axisLine: { lineStyle: { color: BORDER } },
  };
  const valueAxis = {
    type: "value" as const,
    min: 0,
    splitLine: { lineStyle: { color: BORDER } },
    axisLabel: { ...axisText, formatter: spec.axisFormat },
  };
  const labelSide = spec.horizontal ? (rtl ? "left" : "right") : "top";
  const radius = spec.horizontal ? (rtl ? [4, 0, 0, 4] : [0, 4, 4, 0]) : [4, 4, 0, 0];
  return {
    animation: !ctx.still,
    animationDuration: 400,
    textStyle: { fontFamily: FONT },
    tooltip: { ...tooltipBox(ctx), formatter: (p) => tooltip((p as { dataIndex: number }).dataIndex) },
    legend: many ? { show: true, top: 0, [rtl ? "right" : "left"]: 0, textStyle: { ...axisText, color: TEXT }, itemWidth: 12, itemHeight: 12 } : { show: false },
    grid: {
      top: many ? 32 : 8,
      bottom: 8,
      left: spec.horizontal && rtl && spec.labels ? 72 : 12,
      right: spec.horizontal && !rtl && spec.labels ? 72 : 12,
      containLabel: true,
    },
    xAxis: spec.horizontal
      ? { ...valueAxis, inverse: rtl }
      : { ...categoryAxis, inverse: rtl, axisLabel: { ...axisText, color: TEXT, interval: 0, hideOverlap: true } },
    yAxis: spec.horizontal
      ? { ...categoryAxis, inverse: true, position: rtl ? "right" : "left", axisLabel: { ...axisText, color: TEXT, width: 140, overflow: "truncate" } }
      : { ...valueAxis, position: rtl ? "right" : "left" },
    series: spec.series.map((s) => ({
      type: "bar" as const,
      name: s.name,
      stack: spec.stacked ? "all" : undefined,
      barMaxWidth: 22,
      cursor: "pointer",
      itemStyle: { color: s.color, borderRadius: spec.stacked ? 0 : radius },
      label: {
        show: spec.labels === true,
        position: spec.stacked ? "inside" : labelSide,
        color: spec.stacked ? "#ffffff" : TEXT,
        fontFamily: FONT,
        fontSize: 11,
        formatter: (p) => {
          const i = (p as { dataIndex: number }).dataIndex;
          return spec.stacked && !s.values[i] ? "" : (s.shown[i] ?? "");
        },
      },
      data: [...s.values],
    })),
  };
}

/** Colours of the report series. */
export const SERIES = { won: WON, lost: LOST, open: "#748ffc", main: BAR, weighted: "#364fc7", unweighted: "#bac8ff", invoiced: "#f08c00" } as const;

/** Axis ticks of amounts, shortened ("12M", "۱۲ میلیون"). */
export function compactAmount(value: number, ctx: ChartContext): string {
  return formatNumber(value, ctx.lang, { notation: "compact", maximumFractionDigits: 1 });
}
