import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { FollowUpActivity } from "../../lib/types";

export const bellKeys = {
  reminders: ["reminders"] as const,
  mentions: ["mentions"] as const,
  myDay: ["myDay"] as const,
};

/** The signed-in user's due reminders and those of the next day. */
export function useReminders(enabled = true) {
  return useQuery({ queryKey: bellKeys.reminders, queryFn: () => unwrap(commands.reminders()), enabled });
}

/** The signed-in user's newest mentions (the unread first) and how many are unread. */
export function useMentions(enabled = true) {
  return useQuery({ queryKey: bellKeys.mentions, queryFn: () => unwrap(commands.mentions()), enabled });
}

/** After an activity was finished: every place that lists planned activities. */
export function afterActivityFinished(queryClient: QueryClient) {
  return Promise.all(
    [bellKeys.reminders, bellKeys.myDay, ["activities"], ["timeline"], ["pipeline"]].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}

/** Marks a planned activity done (from the bell or "my day"). */
export function useFinishActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: Pick<FollowUpActivity, "id" | "version">) => unwrap(commands.finishActivity(a.id, a.version, "done", null)),
    onSuccess: () => void afterActivityFinished(queryClient),
  });
}

/** Dismisses a reminder: it no longer rings nor counts in the bell. */
export function useDismissReminder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(commands.dismissReminder(id)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: bellKeys.reminders }),
  });
}

/** Marks mentions read (every one of them for an empty list). */
export function useMarkMentionsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) => unwrap(commands.markMentionsRead(ids)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: bellKeys.mentions }),
  });
}
