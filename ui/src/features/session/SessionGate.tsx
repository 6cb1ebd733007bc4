// The app's front door: the session is loaded before anything else; no place chosen
// shows the first-start screen, a team server that did not answer the retry screen,
// nobody signed in the sign-in screen, and someone signed in the app.

import { useEffect, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { ErrorState, Loading } from "../../components/States";
import { isNotSignedIn, sessionQueryKey, useSession } from "./queries";
import { FirstStartScreen } from "./FirstStartScreen";
import { SignInScreen } from "./SignInScreen";
import { UnreachableScreen } from "./UnreachableScreen";
import "./session.css";

export function SessionGate({ children }: { children: ReactNode }) {
  const session = useSession();
  const signedIn = session.data?.user != null;
  useSignedOutWatch(signedIn);

  if (session.isPending) {
    return (
      <div className="session-screen session-screen--center">
        <Loading />
      </div>
    );
  }
  if (session.isError) {
    return (
      <div className="session-screen session-screen--center">
        <div className="session-screen__state">
          <ErrorState error={session.error} onRetry={() => void session.refetch()} />
        </div>
      </div>
    );
  }
  if (session.data.choosing) return <FirstStartScreen />;
  if (session.data.unreachable) return <UnreachableScreen session={session.data} />;
  if (!session.data.user) return <SignInScreen session={session.data} />;
  return <>{children}</>;
}

/**
 * While someone is signed in, a command refused with "not signed in" means the
 * session ended behind the app's back (the backend restarted, the team server closed
 * the connection): the session is asked again, which shows the sign-in screen.
 */
function useSignedOutWatch(signedIn: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!signedIn) return;
    const recheck = (error: unknown) => {
      if (isNotSignedIn(error)) void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    };
    const offQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") recheck(event.action.error);
    });
    const offMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") recheck(event.action.error);
    });
    return () => {
      offQueries();
      offMutations();
    };
  }, [signedIn, queryClient]);
}
