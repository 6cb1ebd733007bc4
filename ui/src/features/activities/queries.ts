// Activities (follow-ups, calls, meetings, notes) and the timeline. Every write
// makes the lists, the timeline, "my day", the reminders and the pipeline stale:
// an opportunity's "has a next step" flag follows its planned activities.

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { Activity, ActivityInput, ActivityQuery, ActivityStatus, Language, TimelineRequest } from "../../lib/types";
import { pipelineKeys } from "../pipeline/queries";

export const activityKeys = {
  all: ["activities"] as const,
  lists: ["activities", "list"] as const,
  list: (query: ActivityQuery) => ["activities", "list", query] as const,
  detail: (id: number) => ["activities", "detail", id] as const,
  timelineAll: ["timeline"] as const,
  timeline: (request: TimelineRequest) => ["timeline", request] as const,
};

export function useActivities(query: ActivityQuery) {
  return useQuery({
    queryKey: activityKeys.list(query),
    queryFn: () => unwrap(commands.listActivities(query)),
  });
}

export function useActivity(id: number | null) {
  return useQuery({
    queryKey: activityKeys.detail(id ?? 0),
    queryFn: () => unwrap(commands.getActivity(id ?? 0)),
    enabled: id !== null,
  });
}

/** A timeline; the entries on screen stay while another choice of kinds loads. */
export function useTimeline(request: TimelineRequest, enabled = true) {
  return useQuery({
    queryKey: activityKeys.timeline(request),
    queryFn: () => unwrap(commands.timeline(request)),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** After any write: everything that shows activities, or depends on them. */
export function useRefreshActivities() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [activityKeys.all, activityKeys.timelineAll, ["myDay"], ["reminders"], pipelineKeys.lists, pipelineKeys.boards, pipelineKeys.cardsAll].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    );
}

/** Creates an activity, or updates the given one. */
export function useSaveActivity() {
  const refresh = useRefreshActivities();
  return useMutation({
    mutationFn: ({ existing, input }: { existing: Pick<Activity, "id" | "version"> | null; input: ActivityInput }) =>
      unwrap(existing ? commands.updateActivity(existing.id, existing.version, input) : commands.createActivity(input)),
    onSuccess: () => void refresh(),
  });
}

/** Marks a planned activity done (with its outcome) or cancelled. */
export function useFinishActivity() {
  const refresh = useRefreshActivities();
  return useMutation({
    mutationFn: ({ activity, status, outcome }: { activity: Pick<Activity, "id" | "version">; status: Exclude<ActivityStatus, "planned">; outcome: string | null }) =>
      unwrap(commands.finishActivity(activity.id, activity.version, status, outcome)),
    onSuccess: () => void refresh(),
  });
}

export function useDeleteActivity() {
  const refresh = useRefreshActivities();
  return useMutation({
    mutationFn: (id: number) => unwrap(commands.deleteActivity(id)),
    onSuccess: () => void refresh(),
  });
}

/** Writes the activities of a query to a CSV file in the export folder. */
export function useExportActivities() {
  return useMutation({
    mutationFn: ({ query, language }: { query: ActivityQuery; language: Language }) => unwrap(commands.exportActivities(query, language)),
  });
}
