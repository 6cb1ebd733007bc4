import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { ReportFilter } from "../../lib/types";

export const reportKeys = {
  all: ["reports"] as const,
  salesStatus: (filter: ReportFilter) => ["reports", "salesStatus", filter] as const,
  winLoss: (filter: ReportFilter) => ["reports", "winLoss", filter] as const,
};

/** The sales status chart's numbers, aggregated by the backend. */
export function useSalesStatus(filter: ReportFilter, enabled = true) {
  return useQuery({
    queryKey: reportKeys.salesStatus(filter),
    queryFn: () => unwrap(commands.reportSalesStatus(filter)),
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
    queryFn: () => unwrap(commands.reportWinLoss(filter)),
    enabled,
    staleTime: 0,
    placeholderData: keepPreviousData,
  });
}
