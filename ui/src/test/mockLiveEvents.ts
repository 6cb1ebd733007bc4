// A stand-in for app/live/events.ts (the live team updates), for component tests:
//
//   vi.mock("../../app/live/events", async () => (await import("../../test/mockLiveEvents")).liveEventsModule);
//
// then `emitRecordsChanged(...)` / `emitConnectionChanged(...)` / `emitReminderClicked(id)`
// / `emitFileOpened()` / `emitMenuChosen(action)` as the backend would.

import { act } from "@testing-library/react";
import type { ChangeRef, ConnectionChanged, MenuAction, RecordsChanged, Unlisten } from "../app/live/events";

type Listener<T> = (payload: T) => void;

const records = new Set<Listener<RecordsChanged>>();
const connection = new Set<Listener<ConnectionChanged>>();
const reminder = new Set<Listener<number>>();
const fileOpened = new Set<Listener<void>>();
const menu = new Set<Listener<MenuAction>>();

const add =
  <T,>(set: Set<Listener<T>>) =>
  (callback: Listener<T>): Unlisten => {
    // Each subscription is its own entry, even for the same callback.
    const entry: Listener<T> = (payload) => callback(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  };

/** What `vi.mock` puts in place of app/live/events.ts. */
export const liveEventsModule = {
  onRecordsChanged: add(records),
  onConnectionChanged: add(connection),
  onReminderClicked: add(reminder),
  onFileOpened: add(fileOpened),
  onMenuChosen: add(menu),
  normalizeRecordsChanged: (payload: RecordsChanged) => payload,
};

/** How many components listen now. */
export const liveListeners = () => ({ records: records.size, connection: connection.size });

export function emitRecordsChanged(payload: RecordsChanged): void {
  act(() => {
    for (const listener of [...records]) listener(payload);
  });
}

export function emitConnectionChanged(payload: ConnectionChanged): void {
  act(() => {
    for (const listener of [...connection]) listener(payload);
  });
}

/** The user clicked the OS notification of activity `activityId`'s reminder. */
export function emitReminderClicked(activityId: number): void {
  act(() => {
    for (const listener of [...reminder]) listener(activityId);
  });
}

/** A file was handed over (a second launch, "Open with"). */
export function emitFileOpened(): void {
  act(() => {
    for (const listener of [...fileOpened]) listener();
  });
}

/** An item of the native menu was chosen. */
export function emitMenuChosen(action: MenuAction): void {
  act(() => {
    for (const listener of [...menu]) listener(action);
  });
}

/** One change as the backend announces it. */
export function changeRef(entity: string, id: number, partial: Partial<ChangeRef> = {}): ChangeRef {
  return { entity, id, action: "update", userId: 2, at: "2025-03-20T10:00:00Z", ...partial };
}
