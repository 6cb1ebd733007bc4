// For a form open on a record: whether another user changed that record since the
// form opened (or since the form last took a version). The form compares versions
// itself; this only says that, and by whom, the backend announced a change.

import { useCallback, useEffect, useRef, useState } from "react";
import { useSession } from "../../features/session/queries";
import { onRecordsChanged } from "./events";

export type ChangedElsewhere = {
  /** Who changed it (null: not known, e.g. after missed notifications). */
  userId: number | null;
};

/**
 * The latest change of `entity` `id` announced as made by someone other than the
 * signed-in user (null: none). A refreshAll (notifications may have been missed)
 * counts as a change by someone unknown. `clear` forgets it (the form took a version).
 */
export function useChangedElsewhere(entity: string, id: number | null): { changed: ChangedElsewhere | null; clear: () => void } {
  const currentUserId = useSession().data?.user?.id ?? null;
  const me = useRef(currentUserId);
  useEffect(() => {
    me.current = currentUserId;
  }, [currentUserId]);
  const [changed, setChanged] = useState<ChangedElsewhere | null>(null);

  useEffect(() => {
    if (id === null) return;
    return onRecordsChanged((event) => {
      const theirs = event.changes.filter((c) => c.entity === entity && c.id === id && c.action === "update" && c.userId !== me.current);
      const last = theirs.at(-1);
      if (last) setChanged({ userId: last.userId });
      else if (event.refreshAll) setChanged((known) => known ?? { userId: null });
    });
  }, [entity, id]);

  const clear = useCallback(() => setChanged(null), []);
  return { changed, clear };
}
