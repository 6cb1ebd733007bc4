// Which cached queries a RecordsChanged makes stale: a pure mapping from the changed
// entities onto query-key prefixes (the key factories of the features). The hook
// (useLiveUpdates) invalidates them with refetchType "active", so only what is on
// screen is asked again; the rest is marked stale and asked when next shown.
//
// The mapping leans towards asking a little more than strictly needed (e.g. every
// records list after an opportunity change, as the event does not say whose
// identity it belongs to): a refetch of a screen on view is cheap, a stale screen is not.

import { partialMatchKey, type QueryKey } from "@tanstack/react-query";
import { adminKeys } from "../../features/admin/queries";
import { financialKeys } from "../../features/financial/queries";
import { identityKeys, recordKeys } from "../../features/identities/queries";
import { opportunityKeys } from "../../features/opportunities/queries";
import { pipelineKeys } from "../../features/pipeline/queries";
import { catalogueKeys } from "../../features/products/queries";
import { reportKeys } from "../../features/reports/queries";
import type { ChangeRef, RecordsChanged } from "./events";

/**
 * The first element of every key holding team data (what refreshAll asks again).
 * Not here, on purpose: the session, the settings, the saved connections, the
 * user's own remembered values and preferences (they are not shared data, and a
 * refetch could undo a value being set) and this computer's desktop facts.
 */
export const DATA_ROOTS = [
  "pipeline",
  "opportunities",
  "identities",
  "records",
  "financial",
  "products",
  "categories",
  "reports",
  "changes",
  "stages",
  "pipelines",
  "systemItems",
  "customFields",
  "campaigns",
  "users",
  "teams",
  "admin",
  "appInfo",
  "activities",
  "timeline",
  "comments",
  "reminders",
  "mentions",
  "myDay",
] as const;

/** Roots refreshAll leaves alone (see DATA_ROOTS). */
export const KEPT_ROOTS = ["session", "settings", "connections", "userValue", "userPrefs", "desktopInfo"] as const;

const pipelineData: QueryKey[] = [pipelineKeys.lists, pipelineKeys.boards, pipelineKeys.cardsAll];
const opportunityDetails: QueryKey = ["opportunities", "detail"];
const identityDetails: QueryKey = ["identities", "detail"];
const financialDetails: QueryKey = ["financial", "detail"];
const changesOf = (c: ChangeRef): QueryKey => ["changes", c.entity, c.id];
const myDay: QueryKey = ["myDay"];

/** The prefixes one change makes stale. `currentUserId` is the signed-in user (their own account changing refreshes everything). */
function keysForChange(c: ChangeRef, currentUserId: number | null): QueryKey[] {
  switch (c.entity) {
    case "opportunity":
      return [
        ...pipelineData,
        opportunityKeys.detail(c.id),
        opportunityKeys.changes(c.id),
        // Records tabs (the identity's lists it, and the realized amounts), and the identity page.
        recordKeys.all,
        identityDetails,
        reportKeys.all,
        // Opportunities per campaign, per stage, per list value.
        adminKeys.campaigns,
        ["admin"],
        // "My day" lists one's open opportunities (without a next step, closing this week).
        myDay,
        ["timeline"],
      ];
    case "identity":
      return [
        identityKeys.all,
        changesOf(c),
        // Its name shows on pipeline rows and cards, on opportunities and records, and in reports.
        ...pipelineData,
        opportunityDetails,
        financialDetails,
        reportKeys.all,
        ["admin"],
        // Its name shows on activities, reminders and "my day".
        ["activities"],
        ["reminders"],
        myDay,
        ["timeline"],
      ];
    case "financial_record":
      return [
        financialKeys.detail(c.id),
        changesOf(c),
        recordKeys.all,
        // Balances of the identity and of the opportunity, realized amounts, invoiced amounts.
        identityDetails,
        opportunityDetails,
        pipelineKeys.lists,
        pipelineKeys.cardsAll,
        reportKeys.all,
      ];
    case "activity":
      // Planned activities are the opportunities' next steps (the pipeline's "no next step")
      // and the activity report's figures; due ones ring as reminders.
      return [["activities"], ["timeline"], myDay, ["reminders"], ...pipelineData, reportKeys.all];
    case "comment":
      // A mention of this user puts the comment in their bell.
      return [["comments"], ["timeline"], ["mentions"]];
    case "product":
      return [catalogueKeys.productLists, catalogueKeys.productDetails, catalogueKeys.categories, changesOf(c), opportunityDetails, financialDetails, ["admin"]];
    case "product_category":
      return [catalogueKeys.categories, catalogueKeys.productLists, catalogueKeys.productDetails];
    case "pipeline":
      // A new pipeline brings its stages; a renamed or deactivated one changes the switch;
      // the types that start in it are the types' own field; a merge moves opportunities.
      return [["pipelines"], adminKeys.stages, ["systemItems"], ...pipelineData, ["opportunities"], recordKeys.all, reportKeys.all];
    case "stage":
      // Stages may have been renamed, reordered, or replaced (moving their opportunities).
      return [adminKeys.stages, adminKeys.stageUsages, ...pipelineData, ["opportunities"], recordKeys.all, reportKeys.all];
    case "system_item":
      return [["systemItems"], ["admin", "itemUsage"], ...pipelineData, reportKeys.all];
    case "custom_field":
      // Required fields may have filled values; deleted ones removed them.
      return [["customFields"], ["opportunities"], identityKeys.all, pipelineKeys.lists];
    case "campaign":
      return [adminKeys.campaigns, ...pipelineData, reportKeys.all];
    case "team":
      // Who sees which opportunities follows the teams.
      return [adminKeys.teams, ...pipelineData, ["opportunities"], recordKeys.all, ["financial"], reportKeys.all];
    case "user":
      if (currentUserId !== null && c.id === currentUserId) {
        // One's own name, role or team: the header, and what one may see.
        return [...DATA_ROOTS.map((root) => [root]), ["session"]];
      }
      return [adminKeys.users, adminKeys.teams, ...pipelineData, opportunityDetails, reportKeys.all];
    default:
      // An entity this version does not know yet: ask again what is on screen.
      return DATA_ROOTS.map((root) => [root]);
  }
}

/** The keys without those another key in the list already covers (["pipeline"] covers ["pipeline", "list"]). */
export function minimalKeys(keys: readonly QueryKey[]): QueryKey[] {
  const unique: QueryKey[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    const id = JSON.stringify(key);
    if (!seen.has(id)) {
      seen.add(id);
      unique.push(key);
    }
  }
  return unique.filter((key, i) => !unique.some((other, j) => j !== i && other.length < key.length && partialMatchKey(key, other)));
}

/**
 * The query-key prefixes to invalidate for a RecordsChanged (in a stable order,
 * without overlaps). `refreshAll` asks again everything but the session and settings.
 */
export function invalidationsFor(event: RecordsChanged, currentUserId: number | null = null): QueryKey[] {
  if (event.refreshAll) return DATA_ROOTS.map((root) => [root]);
  return minimalKeys(event.changes.flatMap((c) => keysForChange(c, currentUserId)));
}

/** Several RecordsChanged as one (a burst coalesced by the hook). */
export function mergeRecordsChanged(events: readonly RecordsChanged[]): RecordsChanged {
  return { changes: events.flatMap((e) => e.changes), refreshAll: events.some((e) => e.refreshAll) };
}
