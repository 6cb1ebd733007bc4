import { beforeEach, describe, expect, it, vi } from "vitest";
import { onConnectionChanged, onRecordsChanged, onReminderClicked, type RecordsChanged } from "./events";

type Handler = (event: { payload: unknown }) => void;

// The generated bindings' tauri-specta events, as they will be: `events.x.listen(handler)`.
const bus = vi.hoisted(() => ({
  records: [] as Handler[],
  connection: [] as Handler[],
  reminder: [] as Handler[],
  unlistened: 0,
  fail: false,
  /** Resolves the pending listen calls (null: at once). */
  hold: null as Promise<void> | null,
}));

vi.mock("../../bindings", () => {
  const source = (list: "records" | "connection" | "reminder") => ({
    listen: async (handler: Handler) => {
      if (bus.fail) throw new Error("no Tauri runtime");
      if (bus.hold) await bus.hold;
      bus[list].push(handler);
      return () => {
        bus.unlistened += 1;
        bus[list] = bus[list].filter((h) => h !== handler);
      };
    },
  });
  return { events: { recordsChanged: source("records"), connectionChanged: source("connection"), reminderClicked: source("reminder") } };
});

const emit = (list: "records" | "connection" | "reminder", payload: unknown) => bus[list].forEach((h) => h({ payload }));
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  bus.records = [];
  bus.connection = [];
  bus.reminder = [];
  bus.unlistened = 0;
  bus.fail = false;
  bus.hold = null;
});

describe("live events adapter", () => {
  it("passes well-formed payloads on, and stops on unlisten", async () => {
    const got: RecordsChanged[] = [];
    const off = onRecordsChanged((p) => got.push(p));
    await settle();
    emit("records", { changes: [{ entity: "opportunity", id: 5, action: "update", userId: 2, at: "t" }, { entity: 7 }, { entity: "stage", id: 1, action: "delete", at: "t" }], refreshAll: false });
    emit("records", "garbage");
    emit("records", { refreshAll: true });
    expect(got).toEqual([
      {
        changes: [
          { entity: "opportunity", id: 5, action: "update", userId: 2, at: "t" },
          { entity: "stage", id: 1, action: "delete", userId: null, at: "t" },
        ],
        refreshAll: false,
      },
    ]);
    off();
    expect(bus.unlistened).toBe(1);
    off();
    expect(bus.unlistened).toBe(1);
  });

  it("hands a clicked reminder's activity id on, and nothing malformed", async () => {
    const seen: number[] = [];
    const off = onReminderClicked((id) => seen.push(id));
    await settle();
    emit("reminder", { activityId: 12 });
    emit("reminder", { activityId: "12" });
    emit("reminder", { activityId: -1 });
    emit("reminder", { activityId: 1.5 });
    emit("reminder", null);
    expect(seen).toEqual([12]);
    off();
    emit("reminder", { activityId: 13 });
    expect(seen).toEqual([12]);
  });

  it("unlistens once the listener is set up when stopped before that", async () => {
    let release = () => undefined as void;
    bus.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen = vi.fn();
    const off = onConnectionChanged(seen);
    off();
    release();
    await settle();
    expect(bus.unlistened).toBe(1);
    emit("connection", { online: false });
    expect(seen).not.toHaveBeenCalled();
  });

  it("does nothing without a Tauri runtime", async () => {
    bus.fail = true;
    const off = onConnectionChanged(vi.fn());
    await settle();
    expect(() => off()).not.toThrow();
  });

  it("passes connection changes on", async () => {
    const seen = vi.fn();
    const off = onConnectionChanged(seen);
    await settle();
    emit("connection", { online: false });
    emit("connection", { online: "no" });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenCalledWith({ online: false });
    off();
  });
});
