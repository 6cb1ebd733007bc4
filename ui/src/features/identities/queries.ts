import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, type IdentityInput, type IdentityQuery, type SystemListKey } from "../../bindings";
import { unwrap } from "../../lib/api";

export const identityKeys = {
  all: ["identities"] as const,
  list: (query: IdentityQuery) => ["identities", "list", query] as const,
  detail: (id: number) => ["identities", "detail", id] as const,
};

export function useIdentityList(query: IdentityQuery) {
  return useQuery({
    queryKey: identityKeys.list(query),
    queryFn: () => unwrap(commands.listIdentities(query)),
    placeholderData: keepPreviousData,
  });
}

export function useCreateIdentity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: IdentityInput) => unwrap(commands.createIdentity(input)),
    onSuccess: (detail) => {
      queryClient.setQueryData(identityKeys.detail(detail.id), detail);
      return queryClient.invalidateQueries({ queryKey: ["identities", "list"] });
    },
  });
}

// Lookups used by the identity form. They change rarely; keep them a few minutes.
const LOOKUP_STALE_MS = 5 * 60_000;

export function useSystemItems(list: SystemListKey) {
  return useQuery({
    queryKey: ["systemItems", list, { includeInactive: false }],
    queryFn: () => unwrap(commands.listSystemItems(list, false)),
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

export function useUsers() {
  return useQuery({
    queryKey: ["users", { includeInactive: false }],
    queryFn: () => unwrap(commands.listUsers(false)),
    staleTime: LOOKUP_STALE_MS,
  });
}

export function useAppInfo() {
  return useQuery({
    queryKey: ["appInfo"],
    queryFn: () => unwrap(commands.appInfo()),
    staleTime: Infinity,
    retry: false,
  });
}
