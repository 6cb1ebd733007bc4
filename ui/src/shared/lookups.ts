// The reference lists several features read (system list values, stages, users,
// campaigns, the opportunity's custom fields) and the app's own facts. They change
// rarely, so they are kept a few minutes. The administration screens use the same
// keys (features/admin/queries.ts), so a change made there refreshes every picker.

import { useQuery } from "@tanstack/react-query";
import { commands, unwrap } from "../lib/api";
import type { SystemListKey } from "../lib/types";

const LOOKUP_STALE_MS = 5 * 60_000;

/** The active values of a system list. */
export function useSystemItems(list: SystemListKey) {
  return useQuery({
    queryKey: ["systemItems", list, { includeInactive: false }],
    queryFn: () => unwrap(commands.listSystemItems(list, false)),
    staleTime: LOOKUP_STALE_MS,
  });
}

/** A system list with its inactive values too (to show titles of values still in use). */
export function useAllSystemItems(list: SystemListKey) {
  return useQuery({
    queryKey: ["systemItems", list, { includeInactive: true }],
    queryFn: () => unwrap(commands.listSystemItems(list, true)),
    staleTime: LOOKUP_STALE_MS,
  });
}

/** The sales pipelines, in order (active ones unless asked). */
export function usePipelines(includeInactive = false) {
  return useQuery({
    queryKey: ["pipelines", { includeInactive }],
    queryFn: () => unwrap(commands.listPipelines(includeInactive)),
    staleTime: LOOKUP_STALE_MS,
  });
}

export function useStages(includeInactive = false) {
  return useQuery({
    queryKey: ["stages", { includeInactive }],
    queryFn: () => unwrap(commands.listStages(includeInactive)),
    staleTime: LOOKUP_STALE_MS,
  });
}

/** The active users. */
export function useUsers() {
  return useQuery({
    queryKey: ["users", { includeInactive: false }],
    queryFn: () => unwrap(commands.listUsers(false)),
    staleTime: LOOKUP_STALE_MS,
  });
}

/** Every user, the inactive ones too (to show names of former colleagues). */
export function useAllUsers() {
  return useQuery({
    queryKey: ["users", { includeInactive: true }],
    queryFn: () => unwrap(commands.listUsers(true)),
    staleTime: LOOKUP_STALE_MS,
  });
}

export function useCampaigns() {
  return useQuery({
    queryKey: ["campaigns"],
    queryFn: () => unwrap(commands.listCampaigns()),
    staleTime: LOOKUP_STALE_MS,
  });
}

/** The opportunity's active custom fields. */
export function useCustomFields() {
  return useQuery({
    queryKey: ["customFields", "opportunity", { includeInactive: false }],
    queryFn: () => unwrap(commands.listCustomFields("opportunity", false)),
    staleTime: LOOKUP_STALE_MS,
  });
}

/** The app's version and the user it works as. */
export function useAppInfo() {
  return useQuery({
    queryKey: ["appInfo"],
    queryFn: () => unwrap(commands.appInfo()),
    staleTime: Infinity,
    retry: false,
  });
}

/** The desktop program's facts: its version, its data and log folders, whether updates are off on this computer. */
export function useDesktopInfo(enabled = true) {
  return useQuery({
    queryKey: ["desktopInfo"],
    queryFn: () => unwrap(commands.desktopInfo()),
    staleTime: Infinity,
    retry: false,
    enabled,
  });
}
