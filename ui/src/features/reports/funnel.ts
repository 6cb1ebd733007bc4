// The sales status funnel, shaped before it is drawn. The open stages come in the
// pipeline's stage order (as the report gives them), each as wide as its own count or
// amount: a stage with none has no shape, only its name and its 0. Won and lost are
// outcomes, not later steps: they are kept apart, on a scale of their own.

import type { Lang } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { StageBucket } from "../../lib/types";
import { toChartNumber } from "./decimals";
import { stageColor } from "./palette";

/** What a chart measures: how many opportunities, or their estimated amount. */
export type Measure = "count" | "amount";

export type FunnelRow = {
  /** The stage's row in the report's stages (and in the table beside the chart). */
  index: number;
  stageId: number;
  kind: StageBucket["kind"];
  title: string;
  count: number;
  amount: string;
  /** The size drawn: the count, or the estimated amount as a chart number. */
  value: number;
  color: string;
};

export type FunnelShape = {
  /** The open stages, in stage order. */
  steps: FunnelRow[];
  /** The won and lost stages, in stage order. */
  outcomes: FunnelRow[];
  /** The widest open stage's size (at least 1): the funnel's full width. */
  stepMax: number;
  /** The largest outcome's size (at least 1): the outcome bars' full length. */
  outcomeMax: number;
};

/** The funnel of the report's stages, sized by count or by estimated amount. */
export function funnelShape(stages: readonly StageBucket[], measure: Measure, lang: Lang): FunnelShape {
  const steps: FunnelRow[] = [];
  const outcomes: FunnelRow[] = [];
  stages.forEach((s, index) => {
    const open = s.kind === "open";
    const row: FunnelRow = {
      index,
      stageId: s.stageId,
      kind: s.kind,
      title: localTitle(s, lang),
      count: s.count,
      amount: s.amount,
      value: Math.max(0, measure === "count" ? s.count : toChartNumber(s.amount)),
      color: stageColor(s.kind, steps.length),
    };
    (open ? steps : outcomes).push(row);
  });
  const largest = (rows: FunnelRow[]) => Math.max(1, ...rows.map((r) => r.value));
  return { steps, outcomes, stepMax: largest(steps), outcomeMax: largest(outcomes) };
}

/** The empty room on each side of a step's bar that centres it under the widest. */
export function stepMargin(shape: FunnelShape, row: FunnelRow): number {
  return (shape.stepMax - row.value) / 2;
}

/** The names of the drawn series a click can land on. */
export const FUNNEL_SERIES = { steps: "stages", outcomes: "outcomes" } as const;

/** The report row of a click on the drawn funnel (a step, or an outcome by its series), or null. */
export function funnelRowAt(shape: FunnelShape, seriesName: string | undefined, dataIndex: number): number | null {
  const rows = seriesName === FUNNEL_SERIES.outcomes ? shape.outcomes : shape.steps;
  return rows[dataIndex]?.index ?? null;
}
