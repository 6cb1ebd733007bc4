import { parseRoute } from "../../app/router";
import type { ReportFilter } from "../../lib/types";

/**
 * What a click on a chart adds to the report's filter when it opens the opportunity
 * list: a stage, an outcome, a group (user, type, source, campaign, reason,
 * competitor), a close-date range or the overdue ones. A value set here replaces the
 * filter's own (a clicked source wins over the source chosen in the filters).
 */
export type ListTarget = {
  stage?: number;
  status?: "open" | "won" | "lost";
  /** A user's id, or "none" for the opportunities assigned to nobody. */
  user?: number | "none";
  type?: number;
  source?: number;
  campaign?: number;
  reason?: number;
  competitor?: number;
  closeFrom?: string;
  closeTo?: string;
  overdue?: boolean;
  /** Leave the report's period out (e.g. overdue opportunities, whatever their creation date). */
  anyCreated?: boolean;
};

/**
 * The address of the opportunity list filtered like the report plus the clicked item:
 * `#/opportunities?stage=3&createdFrom=2026-02-20&…`. Parameters always come in the
 * same order so that equal filters give equal addresses.
 */
export function opportunityListHash(filter: ReportFilter | null, target: ListTarget = {}): string {
  const params: [string, string | number | null | undefined][] = [
    ["stage", target.stage],
    ["status", target.status],
    ["user", target.user ?? filter?.assignedUserId],
    ["type", target.type ?? filter?.typeId],
    ["source", target.source ?? filter?.sourceId],
    ["campaign", target.campaign ?? filter?.campaignId],
    ["reason", target.reason],
    ["competitor", target.competitor],
    ["createdFrom", target.anyCreated ? null : filter?.from],
    ["createdTo", target.anyCreated ? null : filter?.to],
    ["closeFrom", target.closeFrom],
    ["closeTo", target.closeTo],
    ["overdue", target.overdue ? 1 : null],
  ];
  const query = new URLSearchParams();
  for (const [key, value] of params) if (value !== null && value !== undefined) query.append(key, String(value));
  const text = query.toString();
  return text ? `#/opportunities?${text}` : "#/opportunities";
}

/** The address of the opportunity list filtered to one stage (and the report's filter, when given). */
export function stageListHash(stageId: number, filter: ReportFilter | null = null): string {
  return opportunityListHash(filter, { stage: stageId });
}

/** Whether the app has a screen at `hash` (so a link from a report can be followed). */
export function hasScreenFor(hash: string): boolean {
  return parseRoute(hash).name !== "notFound";
}
