import { describe, expect, it } from "vitest";
import { partialMatchKey, type QueryKey } from "@tanstack/react-query";
import { adminKeys } from "../../features/admin/queries";
import { financialKeys } from "../../features/financial/queries";
import { identityKeys, recordKeys } from "../../features/identities/queries";
import { opportunityKeys } from "../../features/opportunities/queries";
import { pipelineKeys } from "../../features/pipeline/queries";
import { catalogueKeys } from "../../features/products/queries";
import { reportKeys } from "../../features/reports/queries";
import type { BoardRequest, ListRequest } from "../../lib/types";
import { DATA_ROOTS, KEPT_ROOTS, invalidationsFor, mergeRecordsChanged, minimalKeys } from "./invalidate";
import type { ChangeRef, RecordsChanged } from "./events";

const change = (entity: string, id: number, partial: Partial<ChangeRef> = {}): ChangeRef => ({ entity, id, action: "update", userId: 2, at: "2025-03-20T10:00:00Z", ...partial });
const event = (...changes: ChangeRef[]): RecordsChanged => ({ changes, refreshAll: false });

const listRequest = { filter: {}, sort: [], page: 1, pageSize: 50 } as unknown as ListRequest;
const boardRequest = { filter: {} } as unknown as BoardRequest;

/** Keys of queries the app holds, as the features build them. */
const cached = {
  list: pipelineKeys.list(listRequest),
  board: pipelineKeys.board(boardRequest),
  cards: [...pipelineKeys.cards(boardRequest, 1, null), 0],
  columns: pipelineKeys.userValue("ui.pipeline.columns"),
  opportunity5: opportunityKeys.detail(5),
  opportunity6: opportunityKeys.detail(6),
  changes5: opportunityKeys.changes(5),
  changes6: opportunityKeys.changes(6),
  recordsOfIdentity: recordKeys.ofIdentity(1),
  recordsOfOpportunity: recordKeys.ofOpportunity(5),
  identity1: identityKeys.detail(1),
  identityList: identityKeys.list({ page: 1, pageSize: 50 } as never),
  financial41: financialKeys.detail(41),
  salesStatus: reportKeys.salesStatus({} as never),
  dashboard: ["reports", "dashboard", {}, "jalali"],
  stages: ["stages", { includeInactive: false }],
  stagesAll: adminKeys.stagesAll,
  stageUsage: adminKeys.stageUsage(1),
  systemItems: ["systemItems", "source", { includeInactive: false }],
  users: ["users", { includeInactive: false }],
  teams: adminKeys.teams,
  products: catalogueKeys.products({} as never),
  categories: catalogueKeys.categories,
  prefs: catalogueKeys.prefs,
  session: ["session"],
  settings: ["settings"],
  connections: ["connections"],
  appInfo: ["appInfo"],
  activities: ["activities", "list", { opportunityId: 5 }],
  timeline: ["timeline", { opportunityId: 5 }],
  comments5: ["comments", 5],
  reminders: ["reminders"],
  mentions: ["mentions"],
  myDay: ["myDay"],
  activityReport: ["reports", "activities", { from: null, to: null, userIds: [] }],
} satisfies Record<string, QueryKey>;

type Name = keyof typeof cached;

/** The cached queries an invalidation by these prefixes reaches. */
function reached(prefixes: QueryKey[]): Name[] {
  return (Object.keys(cached) as Name[]).filter((name) => prefixes.some((p) => partialMatchKey(cached[name], p)));
}

describe("invalidationsFor", () => {
  it("refreshes an opportunity's lists, board, cards, detail, changes, records tabs, identity page and reports", () => {
    const hit = reached(invalidationsFor(event(change("opportunity", 5))));
    expect(hit).toEqual(
      expect.arrayContaining(["list", "board", "cards", "opportunity5", "changes5", "recordsOfIdentity", "recordsOfOpportunity", "identity1", "salesStatus", "dashboard", "stageUsage"]),
    );
    // Not another opportunity, nor what it does not show, nor the user's own things.
    for (const name of ["opportunity6", "changes6", "identityList", "financial41", "stages", "users", "products", "columns", "prefs", "session", "settings", "connections"] as const) {
      expect(hit).not.toContain(name);
    }
  });

  it("refreshes the stages, the pipeline and the reports after a stage change", () => {
    const hit = reached(invalidationsFor(event(change("stage", 3))));
    expect(hit).toEqual(expect.arrayContaining(["stages", "stagesAll", "stageUsage", "list", "board", "cards", "salesStatus", "dashboard", "opportunity5"]));
    expect(hit).not.toContain("identity1");
    expect(hit).not.toContain("settings");
  });

  it("refreshes the pipelines, the types' links and the moved opportunities after a pipeline change", () => {
    const hit = reached(invalidationsFor(event(change("pipeline", 2))));
    expect(hit).toEqual(expect.arrayContaining(["stages", "systemItems", "list", "board", "cards", "opportunity5", "recordsOfOpportunity", "salesStatus"]));
    expect(hit).not.toContain("identity1");
    expect(hit).not.toContain("settings");
  });

  it("refreshes a financial record, the records lists and the balances", () => {
    const hit = reached(invalidationsFor(event(change("financial_record", 41, { action: "create" }))));
    expect(hit).toEqual(expect.arrayContaining(["financial41", "recordsOfIdentity", "recordsOfOpportunity", "identity1", "opportunity5", "list", "cards", "salesStatus"]));
    expect(hit).not.toContain("stages");
  });

  it("refreshes identities, catalogue, lists, teams and users by their own keys", () => {
    expect(reached(invalidationsFor(event(change("identity", 1))))).toEqual(expect.arrayContaining(["identity1", "identityList", "list", "cards", "opportunity5"]));
    expect(reached(invalidationsFor(event(change("product", 1))))).toEqual(expect.arrayContaining(["products", "categories"]));
    expect(reached(invalidationsFor(event(change("product", 1))))).not.toContain("prefs");
    expect(reached(invalidationsFor(event(change("system_item", 3))))).toEqual(expect.arrayContaining(["systemItems", "list"]));
    expect(reached(invalidationsFor(event(change("team", 1))))).toEqual(expect.arrayContaining(["teams", "list", "opportunity5", "financial41", "dashboard"]));
    expect(reached(invalidationsFor(event(change("user", 2)), 1))).toEqual(expect.arrayContaining(["users", "teams", "list"]));
    expect(reached(invalidationsFor(event(change("user", 2)), 1))).not.toContain("session");
  });

  it("refreshes the activities, the timeline, my day, the reminders and the pipeline after an activity change", () => {
    const hit = reached(invalidationsFor(event(change("activity", 7, { action: "create" }))));
    expect(hit).toEqual(expect.arrayContaining(["activities", "timeline", "myDay", "reminders", "list", "board", "cards", "activityReport"]));
    // Not the comments, the mentions, the records or the user's own things.
    for (const name of ["comments5", "mentions", "opportunity5", "recordsOfIdentity", "identity1", "stages", "columns", "session", "settings"] as const) {
      expect(hit).not.toContain(name);
    }
  });

  it("refreshes the comments, the timeline and the mentions after a comment", () => {
    const hit = reached(invalidationsFor(event(change("comment", 9, { action: "create" }))));
    expect(hit).toEqual(["timeline", "comments5", "mentions"]);
  });

  it("refreshes my day after an opportunity or identity change, not the bell's mentions", () => {
    const opportunity = reached(invalidationsFor(event(change("opportunity", 5))));
    expect(opportunity).toEqual(expect.arrayContaining(["myDay", "timeline"]));
    expect(opportunity).not.toContain("mentions");
    expect(opportunity).not.toContain("comments5");
    expect(reached(invalidationsFor(event(change("identity", 1))))).toEqual(expect.arrayContaining(["myDay", "activities", "reminders"]));
  });

  it("refreshes everything, the session too, when the signed-in user's own account changed", () => {
    const hit = reached(invalidationsFor(event(change("user", 1)), 1));
    expect(hit).toContain("session");
    expect(hit).toContain("appInfo");
    expect(hit).not.toContain("settings");
  });

  it("refreshAll asks again every data query but the session, the settings and the user's own values", () => {
    const hit = reached(invalidationsFor({ changes: [], refreshAll: true }));
    const kept: Name[] = ["columns", "prefs", "session", "settings", "connections"];
    expect(hit).toEqual((Object.keys(cached) as Name[]).filter((n) => !kept.includes(n)));
  });

  it("asks nothing for an empty event, and everything on screen for an entity it does not know", () => {
    expect(invalidationsFor(event())).toEqual([]);
    expect(reached(invalidationsFor(event(change("spaceship", 1))))).not.toContain("session");
    expect(reached(invalidationsFor(event(change("spaceship", 1))))).toContain("list");
  });

  it("gives each prefix once, without one another covers", () => {
    const keys = invalidationsFor(event(change("opportunity", 5), change("opportunity", 5), change("team", 1)));
    expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(keys.length);
    // The team change asks all opportunities: the one opportunity's detail key is then covered.
    expect(keys).toContainEqual(["opportunities"]);
    expect(keys).not.toContainEqual(opportunityKeys.detail(5));
  });
});

describe("minimalKeys and mergeRecordsChanged", () => {
  it("drops duplicates and keys a shorter one covers", () => {
    expect(minimalKeys([["pipeline", "list"], ["pipeline"], ["pipeline"], ["reports", "x"], ["records", "identity", 1]])).toEqual([["pipeline"], ["reports", "x"], ["records", "identity", 1]]);
  });

  it("merges a burst into one event", () => {
    const merged = mergeRecordsChanged([event(change("opportunity", 1)), { changes: [change("stage", 2)], refreshAll: true }, event()]);
    expect(merged.changes.map((c) => c.entity)).toEqual(["opportunity", "stage"]);
    expect(merged.refreshAll).toBe(true);
    expect(mergeRecordsChanged([event(), event()]).refreshAll).toBe(false);
  });
});

// Every first element of a query key in the sources must be classified: refreshed
// by refreshAll (DATA_ROOTS) or deliberately left alone (KEPT_ROOTS).
const sources = import.meta.glob(["../../**/*.ts", "../../**/*.tsx", "!../../**/*.test.ts", "!../../**/*.test.tsx", "!../../test/**", "!../../bindings.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

function rootsInSources(): Set<string> {
  const roots = new Set<string>();
  for (const text of Object.values(sources)) {
    for (const m of text.matchAll(/queryKey:\s*\[\s*"(\w+)"/g)) roots.add(m[1] as string);
    for (const m of text.matchAll(/QueryKey\s*=\s*\[\s*"(\w+)"/g)) roots.add(m[1] as string);
    for (const block of text.matchAll(/export const \w+Keys = \{([\s\S]*?)\n\};/g)) {
      for (const m of (block[1] as string).matchAll(/\[\s*"(\w+)"/g)) roots.add(m[1] as string);
    }
  }
  return roots;
}

describe("query key roots", () => {
  it("are each either refreshed by refreshAll or kept on purpose", () => {
    const roots = rootsInSources();
    expect(roots.size).toBeGreaterThan(10);
    expect(roots).toContain("pipeline");
    expect(roots).toContain("settings");
    const known = new Set<string>([...DATA_ROOTS, ...KEPT_ROOTS]);
    expect([...roots].filter((r) => !known.has(r))).toEqual([]);
    expect(DATA_ROOTS.filter((r) => (KEPT_ROOTS as readonly string[]).includes(r))).toEqual([]);
  });
});
