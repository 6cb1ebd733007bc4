// A tiny hash router: every screen has an address (#/identities/12/records), so it
// can be opened directly, bookmarked, or opened in a second window.

import { useMemo, useSyncExternalStore } from "react";
import type { FinancialKind } from "../lib/types";

export type RecordTab = "specifications" | "records";

export type Route =
  | { name: "today" }
  | { name: "identities" }
  | { name: "identity"; id: number; tab: RecordTab }
  | { name: "opportunityNew"; identityId: number | null }
  | { name: "opportunitiesImport" }
  | { name: "opportunity"; id: number; tab: RecordTab }
  | { name: "opportunityList"; view: "list" | "board"; query: string }
  | { name: "section"; section: "reports" | "settings" }
  | { name: "record"; id: number }
  | { name: "recordPrint"; id: number }
  | { name: "recordNew"; kind: FinancialKind | null; identityId: number | null; opportunityId: number | null; parentId: number | null }
  | { name: "products" }
  | { name: "notFound" };

const FINANCIAL_KINDS: readonly FinancialKind[] = ["proforma", "invoice", "sales_return", "receipt", "payment", "contract"];

function financialKind(text: string | null): FinancialKind | null {
  return FINANCIAL_KINDS.find((k) => k === text) ?? null;
}

/** What a new financial record starts from (#/records/new?kind=…&identity=…&opportunity=…&parent=…). */
export type NewRecordParams = { kind: FinancialKind; identityId: number; opportunityId?: number | null; parentId?: number | null };

const positiveId = (text: string | undefined): number | null => {
  if (!text || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** Reads a location hash ("#/opportunities/new?identity=3") into a route. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const [pathPart = "", queryPart = ""] = raw.split("?", 2);
  const parts = pathPart.split("/").filter(Boolean);
  const query = new URLSearchParams(queryPart);
  const [first, second, third] = parts;
  if (parts.length === 0) return { name: "identities" };
  if (first === "identities") {
    if (second === undefined) return { name: "identities" };
    const id = positiveId(second);
    if (id === null || parts.length > 3) return { name: "notFound" };
    if (third === undefined) return { name: "identity", id, tab: "specifications" };
    return third === "records" ? { name: "identity", id, tab: "records" } : { name: "notFound" };
  }
  if (first === "opportunities") {
    if (second === undefined) return { name: "opportunityList", view: "list", query: queryPart };
    if (second === "board" && parts.length === 2) return { name: "opportunityList", view: "board", query: queryPart };
    if (second === "new" && parts.length === 2) return { name: "opportunityNew", identityId: positiveId(query.get("identity") ?? undefined) };
    if (second === "import" && parts.length === 2) return { name: "opportunitiesImport" };
    const id = positiveId(second);
    if (id === null || parts.length > 3) return { name: "notFound" };
    if (third === undefined) return { name: "opportunity", id, tab: "specifications" };
    return third === "records" ? { name: "opportunity", id, tab: "records" } : { name: "notFound" };
  }
  if (first === "today" && parts.length === 1) return { name: "today" };
  if ((first === "reports" || first === "settings") && parts.length === 1) return { name: "section", section: first };
  if (first === "products" && parts.length === 1) return { name: "products" };
  if (first === "records" && second !== undefined) {
    const param = (key: string) => positiveId(query.get(key) ?? undefined);
    if (second === "new" && parts.length === 2) {
      return { name: "recordNew", kind: financialKind(query.get("kind")), identityId: param("identity"), opportunityId: param("opportunity"), parentId: param("parent") };
    }
    const id = positiveId(second);
    if (id === null || parts.length > 3) return { name: "notFound" };
    if (third === undefined) return { name: "record", id };
    return third === "print" ? { name: "recordPrint", id } : { name: "notFound" };
  }
  return { name: "notFound" };
}

/** The parts of Settings an address can open (features/settings/SettingsPage's sections). */
export type SettingsSectionId = "general" | "lists" | "stages" | "fields" | "campaigns" | "users" | "teams" | "backup" | "about";

/** The hash of a route, e.g. "#/identities/12/records". */
export const paths = {
  /** "My day": one's overdue and today's activities, opportunities without a next step, those closing this week. */
  today: () => "#/today",
  identities: () => "#/identities",
  /** The identities list with its "New identity" form open. */
  newIdentity: () => "#/identities?new=1",
  /** The identities list, saying that a new opportunity starts from an identity. */
  identitiesForOpportunity: () => "#/identities?for=opportunity",
  identity: (id: number, tab: RecordTab = "specifications") => `#/identities/${id}${tab === "records" ? "/records" : ""}`,
  newOpportunity: (identityId: number) => `#/opportunities/new?identity=${identityId}`,
  importOpportunities: () => "#/opportunities/import",
  opportunity: (id: number, tab: RecordTab = "specifications") => `#/opportunities/${id}${tab === "records" ? "/records" : ""}`,
  section: (section: "opportunities" | "products" | "reports" | "settings") => `#/${section}`,
  /** The opportunity list or board; `query` is the filter contract of features/pipeline/urlFilters. */
  opportunityList: (query = "") => `#/opportunities${query ? `?${query}` : ""}`,
  opportunityBoard: (query = "") => `#/opportunities/board${query ? `?${query}` : ""}`,
  record: (id: number) => `#/records/${id}`,
  recordPrint: (id: number) => `#/records/${id}/print`,
  newRecord: ({ kind, identityId, opportunityId, parentId }: NewRecordParams) => {
    const query = new URLSearchParams({ kind, identity: String(identityId) });
    if (opportunityId) query.set("opportunity", String(opportunityId));
    if (parentId) query.set("parent", String(parentId));
    return `#/records/new?${query.toString()}`;
  },
  products: () => "#/products",
  /**
   * Settings, on one of its sections (#/settings?section=about); plain: the section
   * shown last. `check` also starts an update check (Settings › About).
   */
  settings: (section?: SettingsSectionId, { check = false }: { check?: boolean } = {}) => {
    if (!section) return "#/settings";
    return `#/settings?section=${section}${check ? "&check=1" : ""}`;
  },
};

const REPLACED = "forsat:hashreplace";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  window.addEventListener(REPLACED, onChange);
  return () => {
    window.removeEventListener("hashchange", onChange);
    window.removeEventListener(REPLACED, onChange);
  };
}

const snapshot = () => window.location.hash;

/** Goes to `hash`. With `replace` the current history entry is replaced (tab switches). */
export function navigate(hash: string, { replace = false }: { replace?: boolean } = {}): void {
  const target = hash.startsWith("#") ? hash : `#${hash}`;
  if (window.location.hash === target) return;
  if (replace) {
    window.history.replaceState(window.history.state, "", target);
    window.dispatchEvent(new Event(REPLACED));
  } else {
    window.location.hash = target;
  }
}

/** The query part of the current address (#/settings?section=about → section=about); re-renders when it changes. */
export function useRouteQuery(): URLSearchParams {
  const hash = useSyncExternalStore(subscribe, snapshot, () => "");
  const query = hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : "";
  return useMemo(() => new URLSearchParams(query), [query]);
}

/** The current route; re-renders when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot, () => "");
  return useMemo(() => parseRoute(hash), [hash]);
}
