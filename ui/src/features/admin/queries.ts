// Queries and mutations of the administration screens (Settings).
//
// The list keys are the same ones the forms use for their lookups
// (["systemItems", list, …], ["stages", …], ["customFields", entity, …],
// ["campaigns"], ["users", …], ["teams"]), so a change made here refreshes every
// picker that shows the changed list.

import { useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type {
  CampaignInput,
  CustomFieldEntity,
  CustomFieldInput,
  Stage,
  StageInput,
  SystemItem,
  SystemItemInput,
  SystemListKey,
  UserInput,
} from "../../lib/types";
import type { TeamInput } from "./teams";

export const adminKeys = {
  systemItems: (list: SystemListKey) => ["systemItems", list] as const,
  systemItemsAll: (list: SystemListKey) => ["systemItems", list, { includeInactive: true }] as const,
  itemUsage: (id: number) => ["admin", "itemUsage", id] as const,
  stages: ["stages"] as const,
  stagesAll: ["stages", { includeInactive: true }] as const,
  stageUsages: ["admin", "stageUsage"] as const,
  stageUsage: (id: number) => ["admin", "stageUsage", id] as const,
  customFields: (entity: CustomFieldEntity) => ["customFields", entity] as const,
  customFieldsAll: (entity: CustomFieldEntity) => ["customFields", entity, { includeInactive: true }] as const,
  campaigns: ["campaigns"] as const,
  users: ["users"] as const,
  usersAll: ["users", { includeInactive: true }] as const,
  teams: ["teams"] as const,
};

/**
 * The version to send with an update. The backend checks it, but it does not yet
 * send it back for system list values and custom fields; until it does, the first
 * version is assumed (an edit after a reorder is then refused as a conflict).
 */
export function versionOf(item: object): number {
  const version = (item as { version?: unknown }).version;
  return typeof version === "number" ? version : 1;
}

// ---------------------------------------------------------------- system lists

export function useSystemListAdmin(list: SystemListKey) {
  return useQuery({
    queryKey: adminKeys.systemItemsAll(list),
    queryFn: () => unwrap(commands.listSystemItems(list, true)),
  });
}

export function useSystemItemUsage(id: number | null) {
  return useQuery({
    queryKey: adminKeys.itemUsage(id ?? 0),
    queryFn: () => unwrap(commands.systemItemUsage(id ?? 0)),
    enabled: id !== null,
    staleTime: 0,
  });
}

function refreshList(queryClient: QueryClient, list: SystemListKey) {
  return queryClient.invalidateQueries({ queryKey: adminKeys.systemItems(list) });
}

export function useSaveSystemItem(list: SystemListKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ item, input }: { item: SystemItem | null; input: SystemItemInput }) =>
      unwrap(item ? commands.updateSystemItem(item.id, versionOf(item), input) : commands.createSystemItem(list, input)),
    onSuccess: () => refreshList(queryClient, list),
  });
}

export function useDeleteSystemItem(list: SystemListKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(commands.deleteSystemItem(id)),
    onSuccess: () => refreshList(queryClient, list),
  });
}

export function useReorderSystemItems(list: SystemListKey) {
  const queryClient = useQueryClient();
  const key = adminKeys.systemItemsAll(list);
  return useMutation({
    mutationFn: (ordered: SystemItem[]) => unwrap(commands.reorderSystemItems(list, ordered.map((i) => i.id))),
    // Show the new order at once; put the old one back if the backend refuses.
    onMutate: async (ordered) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<SystemItem[]>(key);
      queryClient.setQueryData(key, ordered);
      return { previous };
    },
    onError: (_error, _ordered, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSuccess: (items) => {
      queryClient.setQueryData(key, items);
      return refreshList(queryClient, list);
    },
  });
}

// ---------------------------------------------------------------- stages

export function useStagesAdmin() {
  return useQuery({
    queryKey: adminKeys.stagesAll,
    queryFn: () => unwrap(commands.listStages(true)),
  });
}

/** Opportunities held by each stage, by stage id (undefined while loading). */
export function useStageUsages(stages: readonly Stage[]) {
  const results = useQueries({
    queries: stages.map((s) => ({
      queryKey: adminKeys.stageUsage(s.id),
      queryFn: () => unwrap(commands.stageUsage(s.id)),
      staleTime: 0,
    })),
  });
  const byId = new Map<number, number | undefined>();
  stages.forEach((s, i) => byId.set(s.id, results[i]?.data));
  return byId;
}

/** After a stage change: the stages, their counts, and every opportunity (their stage may have moved). */
function refreshStages(queryClient: QueryClient, movedOpportunities: boolean) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: adminKeys.stages }),
    queryClient.invalidateQueries({ queryKey: adminKeys.stageUsages }),
    ...(movedOpportunities
      ? [queryClient.invalidateQueries({ queryKey: ["opportunities"] }), queryClient.invalidateQueries({ queryKey: ["records"] })]
      : []),
  ]);
}

export function useSaveStage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ stage, input }: { stage: Stage | null; input: StageInput }) =>
      unwrap(stage ? commands.updateStage(stage.id, stage.version, input) : commands.createStage(input)),
    onSuccess: (_saved, { input }) => refreshStages(queryClient, input.replacementStageId != null),
  });
}

export function useDeleteStage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, replacement }: { id: number; replacement: number | null }) => unwrap(commands.deleteStage(id, replacement)),
    onSuccess: (moved) => refreshStages(queryClient, moved > 0),
  });
}

export function useReorderStages() {
  const queryClient = useQueryClient();
  const key = adminKeys.stagesAll;
  return useMutation({
    mutationFn: (ordered: Stage[]) => unwrap(commands.reorderStages(ordered.map((s) => s.id))),
    onMutate: async (ordered) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Stage[]>(key);
      queryClient.setQueryData(key, ordered);
      return { previous };
    },
    onError: (_error, _ordered, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSuccess: (stages) => {
      queryClient.setQueryData(key, stages);
      return queryClient.invalidateQueries({ queryKey: adminKeys.stages });
    },
  });
}

// ---------------------------------------------------------------- custom fields

export function useCustomFieldsAdmin(entity: CustomFieldEntity) {
  return useQuery({
    queryKey: adminKeys.customFieldsAll(entity),
    queryFn: () => unwrap(commands.listCustomFields(entity, true)),
  });
}

function refreshFields(queryClient: QueryClient, entity: CustomFieldEntity) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: adminKeys.customFields(entity) }),
    // Required fields may have filled records that lacked a value; deletions remove values.
    queryClient.invalidateQueries({ queryKey: [entity === "opportunity" ? "opportunities" : "identities"] }),
  ]);
}

export function useSaveCustomField(entity: CustomFieldEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, input }: { id: number | null; version: number; input: CustomFieldInput }) =>
      unwrap(id !== null ? commands.updateCustomField(id, version, input) : commands.createCustomField(input)),
    onSuccess: () => refreshFields(queryClient, entity),
  });
}

export function useDeleteCustomField(entity: CustomFieldEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(commands.deleteCustomField(id)),
    onSuccess: () => refreshFields(queryClient, entity),
  });
}

// ---------------------------------------------------------------- campaigns

export function useCampaignsAdmin() {
  return useQuery({
    queryKey: adminKeys.campaigns,
    queryFn: () => unwrap(commands.listCampaigns()),
  });
}

export function useSaveCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, input }: { id: number | null; version: number; input: CampaignInput }) =>
      unwrap(id !== null ? commands.updateCampaign(id, version, input) : commands.createCampaign(input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.campaigns }),
  });
}

// ---------------------------------------------------------------- users

export function useUsersAdmin() {
  return useQuery({
    queryKey: adminKeys.usersAll,
    queryFn: () => unwrap(commands.listUsers(true)),
  });
}

export function useSaveUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, input }: { id: number | null; version: number; input: UserInput }) =>
      unwrap(id !== null ? commands.updateUser(id, version, input) : commands.createUser(input)),
    // The signed-in user's own name and role show in the header (the session).
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.users }),
        queryClient.invalidateQueries({ queryKey: ["appInfo"] }),
        queryClient.invalidateQueries({ queryKey: ["session"] }),
      ]),
  });
}


// ---------------------------------------------------------------- teams

export function useTeamsAdmin() {
  return useQuery({
    queryKey: adminKeys.teams,
    queryFn: () => unwrap(commands.listTeams()),
  });
}

/**
 * After a team change: the teams, and everything a manager's view decides
 * (which opportunities they see): the pipeline's list, board and cards, the
 * opportunities and the records under them, and the reports.
 */
function refreshTeams(queryClient: QueryClient) {
  return Promise.all(
    [adminKeys.teams, ["pipeline"], ["opportunities"], ["records"], ["financial"], ["reports"]].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}

export function useSaveTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, input }: { id: number | null; version: number; input: TeamInput }) =>
      unwrap(id !== null ? commands.updateTeam(id, version, input) : commands.createTeam(input)),
    onSuccess: () => refreshTeams(queryClient),
  });
}

export function useDeleteTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: number; version: number }) => unwrap(commands.deleteTeam(id, version)),
    onSuccess: () => refreshTeams(queryClient),
    // Someone else changed or deleted it: show the teams as they are now.
    onError: () => queryClient.invalidateQueries({ queryKey: adminKeys.teams }),
  });
}
