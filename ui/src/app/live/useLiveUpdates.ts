// Live team updates, mounted once in the signed-in app (the Shell): what the backend
// announces as changed is asked again, if it is on screen.
//
//  - A burst of events (within BATCH_MS of the first) becomes one round of refetches.
//  - Invalidation uses refetchType "active": only the queries of the screens on view
//    refetch, the rest are marked stale and are asked when shown next. TanStack keeps
//    the data on screen while it refetches, so lists keep their scroll position,
//    selection and page (the lists dim only for placeholder data, i.e. new filters).
//  - The signed-in user's own changes arrive too; their screens were already
//    invalidated by the mutation, and asking once more shows nothing new.
//  - The team server lost: `online` is false (the Shell shows the banner); back:
//    everything on screen is asked again (events may have been missed meanwhile).

import { useEffect, useRef, useState } from "react";
import { partialMatchKey, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { createBatcher } from "./batch";
import { onConnectionChanged, onRecordsChanged, type RecordsChanged } from "./events";
import { invalidationsFor, mergeRecordsChanged } from "./invalidate";

export type LiveState = {
  /** False while the team server cannot be reached. */
  online: boolean;
};

export function useLiveUpdates(currentUserId: number | null): LiveState {
  const queryClient = useQueryClient();
  const [online, setOnline] = useState(true);
  const userRef = useRef(currentUserId);
  useEffect(() => {
    userRef.current = currentUserId;
  }, [currentUserId]);

  useEffect(() => {
    const refetch = (keys: QueryKey[]) => {
      if (keys.length === 0) return;
      // One call, so a query several prefixes match is asked once.
      void queryClient.invalidateQueries({ predicate: (query) => keys.some((key) => partialMatchKey(query.queryKey, key)), refetchType: "active" });
    };
    const batch = createBatcher<RecordsChanged>((events) => refetch(invalidationsFor(mergeRecordsChanged(events), userRef.current)));
    const offRecords = onRecordsChanged((event) => batch.push(event));
    const offConnection = onConnectionChanged(({ online: now }) => {
      setOnline(now);
      if (now) batch.push({ changes: [], refreshAll: true });
    });
    return () => {
      offRecords();
      offConnection();
      batch.cancel();
    };
  }, [queryClient]);

  return { online };
}
