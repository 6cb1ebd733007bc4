import { describe, expect, it, vi } from "vitest";
import i18n from "i18next";
import { initI18n } from "../i18n";
import type { AppError } from "./types";
import { AppErrorException, BackendUnavailableError, blockingError, commands, describeError, describeFieldError, fieldErrorsOf, isServerUnreachable, ticketed, unwrap, type Result } from "./api";

initI18n("en");
const t = i18n.getFixedT("en", "common");
const tFa = i18n.getFixedT("fa", "common");

const ok = <T,>(data: T): Promise<Result<T, AppError>> => Promise.resolve({ status: "ok", data });
const err = (error: AppError): Promise<Result<never, AppError>> => Promise.resolve({ status: "error", error });

describe("unwrap", () => {
  it("returns data", async () => {
    await expect(unwrap(ok(5))).resolves.toBe(5);
    await expect(unwrap(() => ok("x"))).resolves.toBe("x");
  });

  it("throws AppErrorException for an AppError", async () => {
    const validation: AppError = { kind: "validation", fields: [{ field: "firstName", code: "required", min: null, max: null }] };
    const e = await unwrap(err(validation)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppErrorException);
    expect(fieldErrorsOf(e)).toEqual(validation.fields);
  });

  it("treats a thrown invoke or a non-AppError value as backend unavailable", async () => {
    await expect(unwrap(() => Promise.reject(new TypeError("no ipc")))).rejects.toBeInstanceOf(BackendUnavailableError);
    const stringError = Promise.resolve({ status: "error", error: "command list_x not found" } as unknown as Result<number, AppError>);
    await expect(unwrap(stringError)).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});

describe("describeError", () => {
  it("describes each kind in plain words", () => {
    const nf = new AppErrorException({ kind: "not_found", entity: "identity", id: "42" });
    expect(describeError(nf, t)).toBe("The identity could not be found. It may have been deleted.");
    expect(describeError(nf, t)).not.toContain("42");
    expect(describeError(new AppErrorException({ kind: "database", message: "SQLITE_BUSY" }), t)).not.toContain("SQLITE");
    expect(describeError(new AppErrorException({ kind: "forbidden", reason: "x" }), tFa)).toBe("شما اجازهٔ انجام این کار را ندارید.");
    expect(describeError(new Error("boom"), t)).toBe("An unexpected error occurred. Please try again.");
  });

  it("says in plain words that the team server cannot be reached", () => {
    const lost = new AppErrorException({ kind: "database", message: "server_unreachable" });
    expect(describeError(lost, t)).toBe("The team server cannot be reached right now, so nothing was saved. Try again once the connection is back.");
    expect(describeError(lost, tFa)).toContain("سرور تیم");
    expect(isServerUnreachable(lost)).toBe(true);
    expect(isServerUnreachable(new AppErrorException({ kind: "database", message: "SQLITE_BUSY" }))).toBe(false);
    expect(describeError(new AppErrorException({ kind: "database", message: "SQLITE_BUSY" }), t)).toBe("The data could not be saved or loaded. Please try again.");
  });

  it("keeps data on screen when only its refresh failed", () => {
    const lost = new AppErrorException({ kind: "database", message: "server_unreachable" });
    const gone = new AppErrorException({ kind: "not_found", entity: "opportunity", id: "5" });
    expect(blockingError({ error: null, data: undefined })).toBeNull();
    expect(blockingError({ error: lost, data: { id: 5 } })).toBeNull();
    expect(blockingError({ error: lost, data: undefined })).toBe(lost);
    expect(blockingError({ error: gone, data: { id: 5 } })).toBe(gone);
  });

  it("says in plain words what outside Forsat did not do its part, per code", async () => {
    const unavailable = (code: string) => new AppErrorException({ kind: "unavailable", code });
    // The backend's "unavailable" is an AppError like the others.
    await expect(unwrap(err({ kind: "unavailable", code: "update_unreachable" }))).rejects.toBeInstanceOf(AppErrorException);
    expect(describeError(unavailable("update_signature_invalid"), t)).toBe("The update's signature does not match: it was not installed, and this version stays as it is.");
    expect(describeError(unavailable("update_signature_invalid"), tFa)).toContain("امضای");
    expect(describeError(unavailable("update_unreachable"), t)).toContain("could not be reached");
    expect(describeError(unavailable("update_manifest_invalid"), t)).toContain("could not be read");
    expect(describeError(unavailable("update_failed"), t)).toContain("this version stays as it is");
    expect(describeError(unavailable("open_failed"), t)).toContain("folder could not be opened");
    expect(describeError(unavailable("open_failed"), tFa)).toContain("پوشه");
    expect(describeError(unavailable("something_new"), t)).toBe("Something outside Forsat did not respond, and nothing was changed. Please try again.");
    expect(describeError(unavailable("something_new"), t)).not.toContain("something_new");
  });

  it("says that update checks are turned off", () => {
    expect(describeError(new AppErrorException({ kind: "forbidden", reason: "updates_off" }), t)).toBe("Update checks are turned off here by the administrator.");
    expect(describeError(new AppErrorException({ kind: "forbidden", reason: "updates_off" }), tFa)).toContain("مدیر سیستم");
  });

  it("falls back for unknown entities", () => {
    expect(describeError(new AppErrorException({ kind: "conflict", entity: "spaceship", id: "1" }), t)).toContain("record");
  });
});

describe("describeFieldError", () => {
  it("uses min and max", () => {
    expect(describeFieldError({ field: "a", code: "too_long", min: null, max: "100" }, t)).toBe("Use at most 100 characters.");
    expect(describeFieldError({ field: "a", code: "out_of_range", min: "1", max: "9" }, t)).toBe("Enter a value between 1 and 9.");
    expect(describeFieldError({ field: "a", code: "required", min: null, max: null }, tFa)).toBe("پر کردن این فیلد الزامی است.");
  });
});

describe("ticketed", () => {
  it("runs without a ticket when nothing can call it off", async () => {
    const seen: (string | null)[] = [];
    await expect(ticketed(undefined, (ticket) => { seen.push(ticket); return ok(1); })).resolves.toBe(1);
    expect(seen).toEqual([null]);
  });

  it("calls the report off with its ticket when the screen that asked is gone", async () => {
    const cancelled: string[] = [];
    const spy = vi.spyOn(commands, "reportCancel").mockImplementation((ticket: string) => {
      cancelled.push(ticket);
      return ok(null);
    });
    const controller = new AbortController();
    let sent: string | null = null;
    let answer: (r: Result<number, AppError>) => void = () => undefined;
    const pending = ticketed(controller.signal, (ticket) => {
      sent = ticket;
      return new Promise<Result<number, AppError>>((resolve) => { answer = resolve; });
    });
    expect(sent).toMatch(/\S{8,}/);
    controller.abort();
    expect(cancelled).toEqual([sent]);
    answer({ status: "error", error: { kind: "unavailable", code: "cancelled" } });
    await expect(pending).rejects.toBeInstanceOf(AppErrorException);
    // Two calls never share a ticket, and a finished one is not called off later.
    const other = new AbortController();
    await ticketed(other.signal, (ticket) => { expect(ticket).not.toBe(sent); return ok(2); });
    other.abort();
    expect(cancelled).toHaveLength(1);
    spy.mockRestore();
  });
});
