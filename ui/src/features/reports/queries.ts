import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { commands, ticketed, unwrap } from "../../lib/api";
import type { ActivityReportRequest, Calendar, ReportFilter } from "../../lib/types";

export const reportKeys = {
  all: ["reports"] as const,
  salesStatus: (filter: ReportFilter) => ["reports", "salesStatus", filter] as const,
  winLoss: (filter: ReportFilter) => ["reports", "winLoss", filter] as const,
};

/** The sales status chart's numbers, aggregated by the backend. */
export function useSalesStatus(filter: ReportFilter, enabled = true) {
  return useQuery({
    queryKey: reportKeys.salesStatus(filter),
    queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportSalesStatus(filter, ticket)),
    enabled,
    // A report opened again is asked again; while new filters load, the old
    // numbers stay in view (dimmed) instead of a blank page.
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** The win / loss analysis: won and lost outcomes in total and by reason, user, type and source. */
export function useWinLoss(filter: ReportFilter, enabled = true) {
  return useQuery({
    queryKey: reportKeys.winLoss(filter),
    queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportWinLoss(filter, ticket)),
    enabled,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}

/** Options every report query shares: asked again when opened, the old numbers kept while new filters load. */
const fresh = { staleTime: 0, placeholderData: keepPreviousData } as const;

/** Campaigns: opportunities, estimated, won and invoiced amounts per campaign. */
export function useCampaignsReport(filter: ReportFilter, enabled = true) {
  return useQuery({ queryKey: ["reports", "campaigns", filter], queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportCampaigns(filter, ticket)), enabled, ...fresh });
}

/** Follow-up duration: days from creation to win and to loss. */
export function useDurations(filter: ReportFilter, enabled = true) {
  return useQuery({ queryKey: ["reports", "durations", filter], queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportDurations(filter, ticket)), enabled, ...fresh });
}

/** Competitors: where each appeared and how those opportunities ended. */
export function useCompetitorsReport(filter: ReportFilter, enabled = true) {
  return useQuery({ queryKey: ["reports", "competitors", filter], queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportCompetitors(filter, ticket)), enabled, ...fresh });
}

/** Stage history: days in each stage and the conversion onwards. */
export function useStageHistory(filter: ReportFilter, enabled = true) {
  return useQuery({ queryKey: ["reports", "stageHistory", filter], queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportStageHistory(filter, ticket)), enabled, ...fresh });
}

/** The forecast by close month, in the calendar of the settings. */
export function useForecast(filter: ReportFilter, calendar: Calendar, enabled = true) {
  return useQuery({ queryKey: ["reports", "forecast", filter, calendar], queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportForecast(filter, calendar, ticket)), enabled, ...fresh });
}

/** The Reports home: funnel, won against the period before, forecast, overdue. */
export function useDashboard(filter: ReportFilter, calendar: Calendar, enabled = true) {
  return useQuery({ queryKey: ["reports", "dashboard", filter, calendar], queryFn: ({ signal }) => ticketed(signal, (ticket) => commands.reportDashboard(filter, calendar, ticket)), enabled, ...fresh });
}

/** The activity report's request for the reports' common filter (its period and user). */
export function activityRequest(filter: ReportFilter): ActivityReportRequest {
  return { from: filter.from ?? null, to: filter.to ?? null, userIds: filter.assignedUserId ? [filter.assignedUserId] : [] };
}

/** Activities per user and kind over the period: planned, done, cancelled, overdue. */
export function useActivityReport(filter: ReportFilter, enabled = true) {
  const request = activityRequest(filter);
  return useQuery({ queryKey: ["reports", "activities", request], queryFn: () => unwrap(commands.activityReport(request)), enabled, ...fresh });
}
