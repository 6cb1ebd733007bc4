// Rings the signed-in user's reminders on time. Mounted once in the Shell: it asks for
// the reminders (and the mentions) every 20 seconds, when the window gets the focus
// back, and exactly when the next upcoming reminder is due. Reminders that are due
// and were never shown (also those that came while the app was closed) are handed to
// notifyReminders once, which shows them as OS notifications and notes them shown.
// A click on such a notification brings the window up and opens the activity's record.

import { useEffect, useRef } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { onReminderClicked } from "../../app/live/events";
import { navigate } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { commands, unwrap } from "../../lib/api";
import { bellKeys } from "./queries";
import { activityHash, nextRingDelay, remindersToNotify } from "./reminderLogic";

/** How often the reminders and mentions are asked for while signed in. */
export const POLL_MS = 20_000;

export function useReminderWatcher(userId: number | null): void {
  const enabled = userId !== null;
  const { language } = useAppSettings();
  const queryClient = useQueryClient();
  const polling = { enabled, refetchInterval: enabled ? POLL_MS : false, refetchIntervalInBackground: true, refetchOnWindowFocus: false } as const;
  const reminders = useQuery({ queryKey: bellKeys.reminders, queryFn: () => unwrap(commands.reminders()), ...polling });
  useQuery({ queryKey: bellKeys.mentions, queryFn: () => unwrap(commands.mentions()), ...polling });

  // The ids this window has asked to notify about (per signed-in user).
  const asked = useRef<{ userId: number | null; ids: Set<number> }>({ userId: null, ids: new Set() });

  // Back in the window: ask at once.
  useEffect(() => {
    if (!enabled) return;
    const onFocus = () => {
      void queryClient.invalidateQueries({ queryKey: bellKeys.reminders });
      void queryClient.invalidateQueries({ queryKey: bellKeys.mentions });
    };
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [enabled, queryClient]);

  // A clicked notification: its record (the activity is asked for: it may have moved).
  useEffect(() => {
    if (!enabled) return;
    return onReminderClicked((activityId) => {
      unwrap(commands.getActivity(activityId)).then(
        (a) => navigate(activityHash(a)),
        () => {
          // Gone or no longer visible: the bell still lists what is left.
        },
      );
    });
  }, [enabled]);

  // Due and never shown: notify, once.
  const due = reminders.data?.due;
  const answeredAt = reminders.dataUpdatedAt;
  useEffect(() => {
    if (!enabled || !due) return;
    if (asked.current.userId !== userId) asked.current = { userId, ids: new Set() };
    const ids = remindersToNotify(due, asked.current.ids);
    if (ids.length === 0) return;
    const mine = asked.current.ids;
    for (const id of ids) mine.add(id);
    unwrap(commands.notifyReminders(ids, language)).then(
      () => void queryClient.invalidateQueries({ queryKey: bellKeys.reminders }),
      () => {
        // Not shown (the team server lost a moment): asked again with the next answer.
        for (const id of ids) mine.delete(id);
      },
    );
  }, [enabled, userId, due, answeredAt, language, queryClient]);

  // The next upcoming reminder: ask exactly when it is due.
  const upcoming = reminders.data?.upcoming;
  useEffect(() => {
    if (!enabled || !upcoming) return;
    const delay = nextRingDelay(upcoming, Date.now());
    if (delay === null) return;
    const timer = window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: bellKeys.reminders }), delay);
    return () => window.clearTimeout(timer);
  }, [enabled, upcoming, answeredAt, queryClient]);
}
