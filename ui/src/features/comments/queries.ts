import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { Comment } from "../../lib/types";

export const commentKeys = {
  all: ["comments"] as const,
  of: (opportunityId: number) => ["comments", opportunityId] as const,
};

/** An opportunity's comments, newest first. */
export function useComments(opportunityId: number) {
  return useQuery({
    queryKey: commentKeys.of(opportunityId),
    queryFn: () => unwrap(commands.listComments(opportunityId)),
    staleTime: 0,
  });
}

/** Adds a comment; the users it mentions find it in their bell. */
export function useAddComment(opportunityId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => unwrap(commands.addComment({ opportunityId, body })),
    onSuccess: (comment) => {
      // Shown at once, newest first; the list is asked again to be sure.
      queryClient.setQueryData<Comment[]>(commentKeys.of(opportunityId), (old) => (old ? [comment, ...old.filter((c) => c.id !== comment.id)] : old));
      void queryClient.invalidateQueries({ queryKey: commentKeys.of(opportunityId) });
      void queryClient.invalidateQueries({ queryKey: ["timeline"] });
      void queryClient.invalidateQueries({ queryKey: ["mentions"] });
    },
  });
}
