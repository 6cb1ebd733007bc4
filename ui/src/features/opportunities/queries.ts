import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { OpportunityDetail, OpportunityInput } from "../../lib/types";
import { identityKeys, recordKeys } from "../identities/queries";

export const opportunityKeys = {
  detail: (id: number) => ["opportunities", "detail", id] as const,
  changes: (id: number) => ["changes", "opportunity", id] as const,
};

export function useOpportunity(id: number | null) {
  return useQuery({
    queryKey: opportunityKeys.detail(id ?? 0),
    queryFn: () => unwrap(commands.getOpportunity(id ?? 0)),
    enabled: id !== null,
  });
}

export function useOpportunityRecords(id: number) {
  return useQuery({
    queryKey: recordKeys.ofOpportunity(id),
    queryFn: () => unwrap(commands.opportunityRecords(id)),
  });
}

export function useRecordChanges(id: number, enabled: boolean) {
  return useQuery({
    queryKey: opportunityKeys.changes(id),
    queryFn: () => unwrap(commands.recordChanges("opportunity", id)),
    enabled,
    staleTime: 0,
  });
}

/** After any write: the record, its identity's records and its changes are stale. */
function useAfterWrite() {
  const queryClient = useQueryClient();
  return (detail: Pick<OpportunityDetail, "id" | "identityId">) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: recordKeys.ofIdentity(detail.identityId) }),
      queryClient.invalidateQueries({ queryKey: opportunityKeys.changes(detail.id) }),
      queryClient.invalidateQueries({ queryKey: identityKeys.detail(detail.identityId) }),
    ]);
}

export function useSaveOpportunity(id: number | null) {
  const queryClient = useQueryClient();
  const afterWrite = useAfterWrite();
  return useMutation({
    mutationFn: ({ version, input }: { version: number; input: OpportunityInput }) =>
      unwrap(id === null ? commands.createOpportunity(input) : commands.updateOpportunity(id, version, input)),
    onSuccess: (detail) => {
      queryClient.setQueryData(opportunityKeys.detail(detail.id), detail);
      void afterWrite(detail);
    },
  });
}

export function useDeleteOpportunity() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterWrite();
  return useMutation({
    mutationFn: (detail: OpportunityDetail) => unwrap(commands.deleteOpportunity(detail.id, detail.version)),
    onSuccess: (_, detail) => {
      queryClient.removeQueries({ queryKey: opportunityKeys.detail(detail.id) });
      void afterWrite(detail);
    },
  });
}
