// The colours and the font of the report charts (the canvas does not read the CSS).

import type { StageBucket } from "../../lib/types";

export const FONT = '"Vazirmatn", system-ui, -apple-system, "Segoe UI", Tahoma, sans-serif';
export const TEXT = "#1c2330";
export const TEXT_2 = "#4a5363";
export const BORDER = "#e3e6eb";
export const SURFACE_2 = "#f9fafb";
const WON = "#2b8a3e";
const LOST = "#c92a2a";
/** Open stages, lightest first (the funnel darkens towards its end). */
const OPEN = ["#a5b4fc", "#8c9ff8", "#748ffc", "#5c7cfa", "#4c6ef5", "#4263eb", "#3b5bdb", "#364fc7"];
export const BAR = "#5c7cfa";

/** The fill of a stage: won green, lost red, open stages in blues. */
export function stageColor(kind: StageBucket["kind"], openIndex: number): string {
  if (kind === "won") return WON;
  if (kind === "lost") return LOST;
  return OPEN[Math.min(openIndex, OPEN.length - 1)] ?? BAR;
}

/** Colours of the report series. */
export const SERIES = { won: WON, lost: LOST, open: "#748ffc", main: BAR, weighted: "#364fc7", unweighted: "#bac8ff", invoiced: "#f08c00" } as const;
