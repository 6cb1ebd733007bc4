// Who is signed in. The session answers without a signed-in user; every other
// command then refuses with forbidden("not_signed_in"). Signing in or out swaps
// the whole cache: nothing one user loaded stays for the next.

import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { settingsQueryKey } from "../../app/settings";
import { appErrorOf, commands, unwrap } from "../../lib/api";
import type { Session } from "../../lib/types";

export const sessionQueryKey = ["session"] as const;

/** The shortest password the backend accepts (`auth::PASSWORD_MIN`), for help texts. */
export const PASSWORD_MIN = 8;

export function useSession() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: () => unwrap(commands.session()),
    staleTime: Infinity,
    retry: false,
  });
}

/** Whether a failed command was refused because nobody is signed in (any more). */
export function isNotSignedIn(error: unknown): boolean {
  const appError = appErrorOf(error);
  return appError?.kind === "forbidden" && appError.reason === "not_signed_in";
}

/**
 * Takes the session a sign-in or sign-out answered with: every other query is
 * dropped (the previous user's lists, records, reports…), and the settings, which
 * carry the user's own language and calendar, are loaded again.
 */
export function adoptSession(queryClient: QueryClient, session: Session): void {
  queryClient.removeQueries({
    predicate: (q) => q.queryKey[0] !== sessionQueryKey[0] && q.queryKey[0] !== settingsQueryKey[0],
  });
  queryClient.setQueryData(sessionQueryKey, session);
  void queryClient.resetQueries({ queryKey: settingsQueryKey });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) => unwrap(commands.signIn(username, password)),
    onSuccess: (session) => adoptSession(queryClient, session),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(commands.signOut()),
    onSuccess: (session) => adoptSession(queryClient, session),
  });
}

/** Sets a password (one's own, or an administrator anyone's); the answer is the caller's session. */
export function useSetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, password }: { userId: number; password: string }) => unwrap(commands.setPassword(userId, password)),
    onSuccess: (session) => queryClient.setQueryData(sessionQueryKey, session),
  });
}
