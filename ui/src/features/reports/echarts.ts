// Apache ECharts, with only the parts the reports draw (a funnel, bars, tooltips, a
// legend and a grid on a canvas) so the reports chunk stays small.

import { init, use as registerParts, type ComposeOption, type EChartsType } from "echarts/core";
import { BarChart, FunnelChart, type BarSeriesOption, type FunnelSeriesOption } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

registerParts([FunnelChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<FunnelSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** The part of an ECharts instance the reports use. */
export type ChartInstance = Pick<EChartsType, "setOption" | "resize" | "dispose" | "getDataURL" | "on" | "off">;

/** What a click on a chart element tells. */
export type ChartClick = { dataIndex: number; componentType: string };

export function createChart(element: HTMLElement): ChartInstance {
  return init(element, undefined, { renderer: "canvas" });
}
