import type { ListColumn, OpportunityFilter, ReportFilter } from "../../lib/types";

/** The opportunities report's columns, in the order of the source document. */
export const REPORT_COLUMNS: readonly ListColumn[] = ["title", "created", "type", "source", "campaign", "stage", "identity", "probability", "assigned_to", "close_date", "estimated"];

/** The list filter for a report's common filters: the period is the creation date; a chosen user, type, source or campaign narrows to it. */
export function toOpportunityFilter(filter: ReportFilter): OpportunityFilter {
  const result: OpportunityFilter = {};
  if (filter.from) result.createdFrom = filter.from;
  if (filter.to) result.createdTo = filter.to;
  if (filter.assignedUserId !== null && filter.assignedUserId !== undefined) result.assignedUserIds = [filter.assignedUserId];
  if (filter.typeId !== null && filter.typeId !== undefined) result.typeIds = [filter.typeId];
  if (filter.sourceId !== null && filter.sourceId !== undefined) result.sourceIds = [filter.sourceId];
  if (filter.campaignId !== null && filter.campaignId !== undefined) result.campaignIds = [filter.campaignId];
  return result;
}
