// The filters every report shares, as chosen on screen and as sent to the backend.

import type { Calendar, ReportFilter } from "../../lib/types";
import { presetRange, type DateRange, type PeriodPreset } from "./periods";

export type ReportFilterState = {
  preset: PeriodPreset;
  /** The custom range's ends (ISO dates); either may be open. */
  customFrom: string | null;
  customTo: string | null;
  assignedUserId: number | null;
  typeId: number | null;
  sourceId: number | null;
  campaignId: number | null;
  /** One pipeline's funnel; none: every pipeline's counts and amounts together. */
  pipelineId: number | null;
};

export const DEFAULT_FILTERS: ReportFilterState = {
  preset: "thisYear",
  customFrom: null,
  customTo: null,
  assignedUserId: null,
  typeId: null,
  sourceId: null,
  campaignId: null,
  pipelineId: null,
};

export type ResolvedFilter = {
  filter: ReportFilter;
  /** The dates the period covers (null ends are open). */
  from: string | null;
  to: string | null;
  /** A custom range whose end comes before its start (nothing is asked then). */
  invalid: boolean;
};

/** The backend filter for what is chosen, with the period counted in `calendar` on `today`. */
export function resolveFilter(state: ReportFilterState, calendar: Calendar, today: string): ResolvedFilter {
  const range: Partial<DateRange> =
    state.preset === "custom" ? { from: state.customFrom ?? undefined, to: state.customTo ?? undefined } : presetRange(state.preset, calendar, today);
  const from = range.from ?? null;
  const to = range.to ?? null;
  return {
    filter: {
      from,
      to,
      assignedUserId: state.assignedUserId,
      typeId: state.typeId,
      sourceId: state.sourceId,
      campaignId: state.campaignId,
      pipelineId: state.pipelineId,
    },
    from,
    to,
    invalid: from !== null && to !== null && to < from,
  };
}

/** Whether anything differs from the defaults (to offer a reset). */
export function isFiltered(state: ReportFilterState): boolean {
  return (Object.keys(DEFAULT_FILTERS) as (keyof ReportFilterState)[]).some((key) => state[key] !== DEFAULT_FILTERS[key]);
}
