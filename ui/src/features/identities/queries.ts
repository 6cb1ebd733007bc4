import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { IdentityInput, IdentityQuery } from "../../lib/types";

export const identityKeys = {
  all: ["identities"] as const,
  lists: ["identities", "list"] as const,
  list: (query: IdentityQuery) => ["identities", "list", query] as const,
  detail: (id: number) => ["identities", "detail", id] as const,
  sameNames: ["identities", "sameName"] as const,
  sameName: (name: string, except: number | null) => ["identities", "sameName", name, except] as const,
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
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: identityKeys.lists }),
        queryClient.invalidateQueries({ queryKey: identityKeys.sameNames }),
      ]);
    },
  });
}

/**
 * Other identities already called `name` (for the duplicate-name warning).
 * `name` should already be debounced; an empty name asks nothing.
 */
export function useIdentitiesWithSameName(name: string, except: number | null = null) {
  return useQuery({
    queryKey: identityKeys.sameName(name, except),
    queryFn: () => unwrap(commands.identitiesWithSameName(name, except)),
    enabled: name !== "",
    // Only a hint: a failure shows nothing rather than an error.
    retry: false,
  });
}

export function useIdentity(id: number | null) {
  return useQuery({
    queryKey: identityKeys.detail(id ?? 0),
    queryFn: () => unwrap(commands.getIdentity(id ?? 0)),
    enabled: id !== null,
  });
}

export function useUpdateIdentity(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, input }: { version: number; input: IdentityInput }) => unwrap(commands.updateIdentity(id, version, input)),
    onSuccess: (detail) => {
      queryClient.setQueryData(identityKeys.detail(detail.id), detail);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: identityKeys.lists }),
        queryClient.invalidateQueries({ queryKey: identityKeys.sameNames }),
      ]);
    },
  });
}

export const recordKeys = {
  all: ["records"] as const,
  ofIdentity: (id: number) => ["records", "identity", id] as const,
  ofOpportunity: (id: number) => ["records", "opportunity", id] as const,
};

export function useIdentityRecords(id: number, enabled = true) {
  return useQuery({
    queryKey: recordKeys.ofIdentity(id),
    queryFn: () => unwrap(commands.identityRecords(id)),
    enabled,
  });
}
