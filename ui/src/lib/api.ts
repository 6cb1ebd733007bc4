// Bridges the generated command bindings to TanStack Query: a command's
// Result is unwrapped into its data or a thrown AppErrorException, and
// errors are turned into plain sentences in the current language.

import type { TFunction } from "i18next";
import type { AppError, FieldError } from "./types";

/** The generated commands. Screens call them through `unwrap`. */
import { commands } from "../bindings";

export { commands };

/** What every generated command resolves to. */
export type Result<T, E = AppError> = { status: "ok"; data: T } | { status: "error"; error: E };

/** Thrown for a command that answered with an AppError. */
export class AppErrorException extends Error {
  readonly appError: AppError;

  constructor(appError: AppError) {
    super(`AppError: ${appError.kind}`);
    this.name = "AppErrorException";
    this.appError = appError;
  }
}

/** Thrown when the backend could not be reached at all (no Tauri runtime, unknown command, …). */
export class BackendUnavailableError extends Error {
  constructor(cause: unknown) {
    super(typeof cause === "string" ? cause : cause instanceof Error ? cause.message : "backend unavailable");
    this.name = "BackendUnavailableError";
  }
}

const APP_ERROR_KINDS = new Set(["validation", "not_found", "conflict", "forbidden", "database", "internal", "unavailable"]);

export function isAppError(value: unknown): value is AppError {
  if (!value || typeof value !== "object") return false;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !APP_ERROR_KINDS.has(kind)) return false;
  if (kind === "validation") return Array.isArray((value as { fields?: unknown }).fields);
  return true;
}

/** Runs a command and returns its data, throwing AppErrorException / BackendUnavailableError otherwise. */
export async function unwrap<T>(call: Promise<Result<T>> | (() => Promise<Result<T>>)): Promise<T> {
  let result: Result<T>;
  try {
    result = await (typeof call === "function" ? call() : call);
  } catch (e) {
    throw new BackendUnavailableError(e);
  }
  if (result.status === "ok") return result.data;
  const error: unknown = result.error;
  if (isAppError(error)) throw new AppErrorException(error);
  throw new BackendUnavailableError(error);
}

let ticketCounter = 0;

/**
 * Runs a report command with a ticket that `signal` calls off: when the screen that
 * asked is gone before the report got one of the backend's report slots, the backend
 * drops it (`report_cancel`) instead of making the next report wait behind it.
 */
export async function ticketed<T>(signal: AbortSignal | undefined, call: (ticket: string | null) => Promise<Result<T>>): Promise<T> {
  if (!signal) return unwrap(call(null));
  ticketCounter += 1;
  const ticket = `${Date.now().toString(36)}-${ticketCounter}-${Math.random().toString(36).slice(2, 10)}`;
  const callOff = () => {
    void commands.reportCancel(ticket).catch(() => undefined);
  };
  signal.addEventListener("abort", callOff, { once: true });
  try {
    return await unwrap(call(ticket));
  } finally {
    signal.removeEventListener("abort", callOff);
  }
}

/** The AppError inside a thrown value, if it is one. */
export function appErrorOf(error: unknown): AppError | null {
  return error instanceof AppErrorException ? error.appError : null;
}

/**
 * A query's error that should take the place of the screen: none when the query
 * only failed to refresh data still shown (the team server lost a moment; the form
 * and what is typed in it stay), except "gone" and "forbidden", which always count.
 */
export function blockingError(query: { error: unknown; data: unknown }): unknown {
  if (!query.error) return null;
  const kind = appErrorOf(query.error)?.kind;
  return query.data !== undefined && kind !== "not_found" && kind !== "forbidden" ? null : query.error;
}

/** Field errors of a validation AppError (empty for anything else). */
export function fieldErrorsOf(error: unknown): FieldError[] {
  const appError = appErrorOf(error);
  return appError?.kind === "validation" ? appError.fields : [];
}

type CommonT = TFunction<"common">;

/** The database error's message when the team server cannot be reached (the connection is lost). */
export const SERVER_UNREACHABLE = "server_unreachable";

/** Whether a failed command was refused because the team server cannot be reached. */
export function isServerUnreachable(error: unknown): boolean {
  const appError = appErrorOf(error);
  return appError?.kind === "database" && appError.message === SERVER_UNREACHABLE;
}

function entityName(t: CommonT, entity: string): string {
  const key = entity.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return t(`entities.${key}` as "entities.record", { defaultValue: t("entities.record") });
}

/** The refusal when update checks are turned off (the office's setting, or this computer's). */
export const UPDATES_OFF = "updates_off";

/** Codes of the "unavailable" error that have a sentence of their own (any other: `unavailable.other`). */
const UNAVAILABLE_CODES = ["update_unreachable", "update_signature_invalid", "update_manifest_invalid", "update_failed", "open_failed"] as const;

/** A whole-sentence description of any error, in the current language. Never shows raw ids or JSON. */
export function describeError(error: unknown, t: CommonT): string {
  const appError = appErrorOf(error);
  if (!appError) {
    return error instanceof BackendUnavailableError ? t("errors.backendUnavailable") : t("errors.unexpected");
  }
  switch (appError.kind) {
    case "validation":
      return t("errors.validation");
    case "not_found":
      return t("errors.notFound", { entity: entityName(t, appError.entity) });
    case "conflict":
      return t("errors.conflict", { entity: entityName(t, appError.entity) });
    case "forbidden":
      if (appError.reason === UPDATES_OFF) return t("errors.updatesOff");
      return t("errors.forbidden");
    case "database":
      // The team server went away: nothing was saved, and it is nobody's fault here.
      if (appError.message === SERVER_UNREACHABLE) return t("errors.serverUnreachable");
      // Another save (an import, another window) held the data file too long.
      if (appError.message === "database_busy") return t("errors.databaseBusy");
      return t("errors.database");
    case "internal":
      return t("errors.internal");
    case "unavailable": {
      // Something outside Forsat did not do its part (the update server, the file manager).
      const code = UNAVAILABLE_CODES.find((c) => c === appError.code) ?? "other";
      return t(`errors.unavailable.${code}`);
    }
  }
}

/**
 * The message for one field error. `formatValue` renders min/max in the
 * current language's digits.
 */
export function describeFieldError(error: FieldError, t: CommonT, formatValue: (v: string) => string = (v) => v): string {
  const min = error.min !== null ? formatValue(error.min) : null;
  const max = error.max !== null ? formatValue(error.max) : null;
  switch (error.code) {
    case "too_long":
      return max !== null ? t("validation.too_long_max", { max }) : t("validation.too_long");
    case "too_short":
      return min !== null ? t("validation.too_short_min", { min }) : t("validation.too_short");
    case "out_of_range":
      if (min !== null && max !== null) return t("validation.out_of_range_min_max", { min, max });
      if (min !== null) return t("validation.out_of_range_min", { min });
      if (max !== null) return t("validation.out_of_range_max", { max });
      return t("validation.out_of_range");
    default:
      return t(`validation.${error.code}`);
  }
}
