// Apache ECharts, in two pieces so that no chunk grows large and a report without a
// chart loads none of it: the core with its canvas renderer comes with the first
// report view that draws, and the only chart the reports draw (bars, with their grid,
// tooltip and plain legend) follows from echartsParts.ts, once, before that view
// shows (see tabViews.ts). The funnel is drawn with bars too (see funnel.ts).

import { init, use as registerParts, type ComposeOption, type EChartsType } from "echarts/core";
import type { BarSeriesOption } from "echarts/charts";
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

registerParts([CanvasRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** The part of an ECharts instance the reports use. */
export type ChartInstance = Pick<EChartsType, "setOption" | "resize" | "dispose" | "getDataURL" | "on" | "off">;

/** What a click on a chart element tells. */
export type ChartClick = { dataIndex: number; componentType: string; seriesName?: string };

let parts: Promise<void> | null = null;

/** Loads and registers the chart parts (once); a failed load is tried again on the next call. */
export function loadChartParts(): Promise<void> {
  parts ??= import("./echartsParts").then(
    (m) => registerParts([...m.CHART_PARTS]),
    (error: unknown) => {
      parts = null;
      throw error;
    },
  );
  return parts;
}

/** A chart on `element`; the parts it draws with are loaded by then (loadChartParts). */
export function createChart(element: HTMLElement): ChartInstance {
  return init(element, undefined, { renderer: "canvas" });
}
