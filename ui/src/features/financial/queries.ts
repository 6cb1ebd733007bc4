import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { FinancialDetail, FinancialInput } from "../../lib/types";
import { identityKeys, recordKeys } from "../identities/queries";
import { opportunityKeys } from "../opportunities/queries";

export const financialKeys = {
  detail: (id: number) => ["financial", "detail", id] as const,
};

export function useFinancialRecord(id: number | null) {
  return useQuery({
    queryKey: financialKeys.detail(id ?? 0),
    queryFn: () => unwrap(commands.getFinancialRecord(id ?? 0)),
    enabled: id !== null,
  });
}

type Touched = Pick<FinancialDetail, "identityId" | "opportunityId">;

/**
 * After a write: the records lists, the balances of the identity and of the parent
 * opportunity (its balance and realized amount) are stale.
 */
export function useAfterFinancialWrite() {
  const queryClient = useQueryClient();
  return (...records: Touched[]) =>
    Promise.all(
      records.flatMap((r) => [
        queryClient.invalidateQueries({ queryKey: recordKeys.ofIdentity(r.identityId) }),
        queryClient.invalidateQueries({ queryKey: identityKeys.detail(r.identityId) }),
        ...(r.opportunityId !== null
          ? [
              queryClient.invalidateQueries({ queryKey: recordKeys.ofOpportunity(r.opportunityId) }),
              queryClient.invalidateQueries({ queryKey: opportunityKeys.detail(r.opportunityId) }),
            ]
          : []),
      ]),
    );
}

function useStore() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterFinancialWrite();
  return (detail: FinancialDetail, previous?: Touched) => {
    queryClient.setQueryData(financialKeys.detail(detail.id), detail);
    void afterWrite(detail, ...(previous ? [previous] : []));
  };
}

export function useSaveFinancialRecord(existing: FinancialDetail | null) {
  const store = useStore();
  return useMutation({
    mutationFn: ({ version, input }: { version: number; input: FinancialInput }) =>
      unwrap(existing ? commands.updateFinancialRecord(existing.id, version, input) : commands.createFinancialRecord(input)),
    onSuccess: (detail) => store(detail, existing ?? undefined),
  });
}

export function useApproveFinancialRecord() {
  const store = useStore();
  return useMutation({
    mutationFn: (detail: Pick<FinancialDetail, "id" | "version">) => unwrap(commands.approveFinancialRecord(detail.id, detail.version)),
    onSuccess: (detail) => store(detail),
  });
}

export function useDeleteFinancialRecord() {
  const queryClient = useQueryClient();
  const afterWrite = useAfterFinancialWrite();
  return useMutation({
    mutationFn: (detail: FinancialDetail) => unwrap(commands.deleteFinancialRecord(detail.id, detail.version)),
    onSuccess: (_, detail) => {
      queryClient.removeQueries({ queryKey: financialKeys.detail(detail.id) });
      void afterWrite(detail);
    },
  });
}

/** 17 / 18: a proforma or an invoice from an opportunity's lines. */
export function useIssueFromOpportunity() {
  const store = useStore();
  return useMutation({
    mutationFn: ({ opportunityId, kind }: { opportunityId: number; kind: "proforma" | "invoice" }) => unwrap(commands.issueFromOpportunity(opportunityId, kind)),
    onSuccess: (detail) => store(detail),
  });
}

export function useInvoiceFromProforma() {
  const store = useStore();
  return useMutation({
    mutationFn: (proformaId: number) => unwrap(commands.invoiceFromProforma(proformaId)),
    onSuccess: (detail) => store(detail),
  });
}
