// The ECharts parts the report charts draw with, loaded apart from the core (see
// echarts.ts): bars on a grid, the tooltip and the plain (not scrolling) legend.

import { BarChart } from "echarts/charts";
import { GridSimpleComponent, LegendPlainComponent, TooltipComponent } from "echarts/components";

export const CHART_PARTS = [BarChart, GridSimpleComponent, LegendPlainComponent, TooltipComponent] as const;
