// Who is signed in. The session answers without a signed-in user; every other
// command then refuses with forbidden("not_signed_in"). Signing in or out swaps
// the whole cache: nothing one user loaded stays for the next.

import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { settingsQueryKey } from "../../app/settings";
import { appErrorOf, commands, unwrap } from "../../lib/api";
import type { SavedConnections, ServerInput, Session } from "../../lib/types";

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
    mutationFn: ({ username, password, remember }: { username: string; password: string; remember: boolean }) =>
      unwrap(commands.signIn(username, password, remember)),
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

// ------------------------------------------------ where the app works
//
// The first-start choice, the saved team servers, testing and connecting. Every
// command that answers with a session is adopted like a sign-in: the place changed,
// so nothing loaded before stays.

export const connectionsQueryKey = ["connections"] as const;

/** The saved team servers (shown on the first-start screen to open again). */
export function useSavedConnections() {
  return useQuery({
    queryKey: connectionsQueryKey,
    queryFn: () => unwrap(commands.savedConnections()),
    retry: false,
  });
}

/** A mutation whose answer is the new session, adopted on success. */
function useSessionMutation<V>(call: (vars: V) => Promise<Session>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (session) => adoptSession(queryClient, session),
  });
}

/** "Work on this computer": a file in the app's data folder. */
export function useWorkOnThisComputer() {
  return useSessionMutation<void>(() => unwrap(commands.workOnThisComputer()));
}

/** Saves a team server (a new one with `id` null) and connects to it. */
export function useConnectToServer() {
  return useSessionMutation<{ id: number | null; input: ServerInput }>(({ id, input }) => unwrap(commands.connectToServer(id, input)));
}

/** Connects to a saved server again (a saved one picked, or "Try again"). */
export function useOpenSavedServer() {
  return useSessionMutation<number>((id) => unwrap(commands.openSavedServer(id)));
}

/** Back to the first-start screen (signed out). */
export function useChangePlace() {
  return useSessionMutation<void>(() => unwrap(commands.changePlace()));
}

/** "Test the connection": whether a server answers there; nothing is saved. */
export function useTestServer() {
  return useMutation({
    mutationFn: (input: ServerInput) => unwrap(commands.testServer(input)),
  });
}

/** Forgets a saved server; the answer is the list without it. */
export function useForgetServer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(commands.forgetServer(id)),
    onSuccess: (saved: SavedConnections) => queryClient.setQueryData(connectionsQueryKey, saved),
  });
}
