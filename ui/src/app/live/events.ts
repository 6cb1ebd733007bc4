// The live team updates (issue 13), as the backend announces them: the one module
// that reads the generated bindings' `events`. Everything else subscribes here.
//
//  - recordsChanged: something was committed that this user may see (their own
//    changes too); `refreshAll` means notifications may have been missed.
//  - connectionChanged: the team server was lost (online false) or is back.
//  - reminderClicked: the user clicked a reminder's OS notification (the backend has
//    brought the window to the front); the window opens the activity's record.
//  - fileOpened: the system or a second launch handed a file over ("Open with", a
//    double click); the window takes it with `takeOpenedFile` (app/desktop).
//  - menuChosen: an item of the native menu was chosen (or its shortcut pressed).
//
// A subscription answers at once with its `unlisten`, although the Tauri listener
// is set up asynchronously; without a Tauri runtime (a plain browser, a test without
// the mock backend) subscribing does nothing.

// The bindings are otherwise reached through lib/api.ts and lib/types.ts only; the
// events are read here alone so that only this file knows their generated shape.
// eslint-disable-next-line no-restricted-imports
import { events } from "../../bindings";
import type { ChangeRef, ConnectionChanged, FileOpened, MenuAction, MenuChosen, RecordsChanged, ReminderClicked } from "../../lib/types";

export type { ChangeRef, ConnectionChanged, MenuAction, RecordsChanged, ReminderClicked };

export type Unlisten = () => void;

/** What a tauri-specta event offers here: `events.recordsChanged.listen(handler)`. */
type EventSource<T> = { listen: (handler: (event: { payload: T }) => void) => Promise<() => void> };

/** Calls `stop` and swallows whatever it throws or rejects with (the runtime may be gone already). */
function quietly(stop: () => unknown): void {
  try {
    const result = stop();
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // Nothing is listening any more.
  }
}

function subscribe<T>(source: EventSource<T> | undefined, accept: (payload: unknown) => payload is T, callback: (payload: T) => void): Unlisten {
  if (!source || typeof source.listen !== "function") return () => undefined;
  let stopped = false;
  let stop: (() => unknown) | null = null;
  const handler = (event: { payload: T }) => {
    if (!stopped && accept(event?.payload)) callback(event.payload);
  };
  let pending: Promise<() => void>;
  try {
    pending = source.listen(handler);
  } catch {
    return () => undefined;
  }
  Promise.resolve(pending).then(
    (unlisten) => {
      if (stopped) quietly(unlisten);
      else stop = unlisten;
    },
    () => {
      // No Tauri runtime (a browser, a test without one): no live updates.
    },
  );
  return () => {
    if (stopped) return;
    stopped = true;
    if (stop) quietly(stop);
    stop = null;
  };
}

const isChangeRef = (value: unknown): value is ChangeRef => {
  if (!value || typeof value !== "object") return false;
  const c = value as Record<string, unknown>;
  return typeof c.entity === "string" && typeof c.id === "number" && (c.action === "create" || c.action === "update" || c.action === "delete");
};

/** A well-formed RecordsChanged; stray entries in `changes` are dropped by `normalizeRecordsChanged`. */
const isRecordsChanged = (value: unknown): value is RecordsChanged =>
  !!value && typeof value === "object" && Array.isArray((value as { changes?: unknown }).changes);

const isConnectionChanged = (value: unknown): value is ConnectionChanged => !!value && typeof value === "object" && typeof (value as { online?: unknown }).online === "boolean";

const isReminderClicked = (value: unknown): value is ReminderClicked =>
  !!value && typeof value === "object" && Number.isInteger((value as { activityId?: unknown }).activityId) && (value as { activityId: number }).activityId > 0;

/** Every action of the native menu (`MenuAction`), in the menu's order. */
export const MENU_ACTIONS: readonly MenuAction[] = [
  "new_opportunity",
  "new_identity",
  "import",
  "backup_now",
  "opportunities",
  "board",
  "identities",
  "products",
  "reports",
  "my_day",
  "settings",
  "check_for_updates",
  "open_data_folder",
  "about",
];

const isFileOpened = (value: unknown): value is FileOpened =>
  !!value && typeof value === "object" && ((value as { kind?: unknown }).kind === "import" || (value as { kind?: unknown }).kind === "backup");

const isMenuChosen = (value: unknown): value is MenuChosen =>
  !!value && typeof value === "object" && MENU_ACTIONS.includes((value as { action?: unknown }).action as MenuAction);

/** The payload with only well-formed changes (userId null when absent). */
export function normalizeRecordsChanged(payload: RecordsChanged): RecordsChanged {
  return {
    refreshAll: payload.refreshAll === true,
    changes: payload.changes.filter(isChangeRef).map((c) => ({ ...c, userId: typeof c.userId === "number" ? c.userId : null })),
  };
}

/** Calls `callback` for every RecordsChanged the backend sends; returns the unsubscribe. */
export function onRecordsChanged(callback: (payload: RecordsChanged) => void): Unlisten {
  return subscribe<RecordsChanged>(events.recordsChanged, isRecordsChanged, (payload) => callback(normalizeRecordsChanged(payload)));
}

/** Calls `callback` when the team server is lost (online false) or back (online true). */
export function onConnectionChanged(callback: (payload: ConnectionChanged) => void): Unlisten {
  return subscribe<ConnectionChanged>(events.connectionChanged, isConnectionChanged, callback);
}

/** Calls `callback` with the activity whose reminder notification the user clicked. */
export function onReminderClicked(callback: (activityId: number) => void): Unlisten {
  return subscribe<ReminderClicked>(events.reminderClicked, isReminderClicked, (payload) => callback(payload.activityId));
}

/** Calls `callback` when a file was handed over: it waits to be taken with `takeOpenedFile`. */
export function onFileOpened(callback: () => void): Unlisten {
  return subscribe<FileOpened>(events.fileOpened, isFileOpened, () => callback());
}

/** Calls `callback` with the action of the native menu's item that was chosen. */
export function onMenuChosen(callback: (action: MenuAction) => void): Unlisten {
  return subscribe<MenuChosen>(events.menuChosen, isMenuChosen, (payload) => callback(payload.action));
}
