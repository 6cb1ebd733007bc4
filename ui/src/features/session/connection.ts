// The words for where the app works: why a team server could not be reached (the
// reason codes the backend sends as `database(server_…)` and in `session.unreachable`),
// and how a saved server is written (its address, left to right).

import type { TFunction } from "i18next";
import { appErrorOf, describeError } from "../../lib/api";
import type { ServerConnection } from "../../lib/types";

type SessionT = TFunction<"session">;
type CommonT = TFunction<"common">;

const REASONS = ["server_unreachable", "server_tls_failed", "server_refused", "server_database_missing", "server_version_mismatch"] as const;
type Reason = (typeof REASONS)[number];

const isReason = (code: string): code is Reason => (REASONS as readonly string[]).includes(code);

/** Why the server could not be reached, in plain words (a reason code the app does not know gets a general sentence). */
export function reasonText(code: string, t: SessionT): string {
  return isReason(code) ? t(`reasons.${code}`) : t("reasons.other");
}

/** Whether an error is one of the "the server could not be reached" codes. */
export function serverReasonOf(error: unknown): string | null {
  const appError = appErrorOf(error);
  return appError?.kind === "database" && isReason(appError.message) ? appError.message : null;
}

/** A whole sentence for an error of a connection command. */
export function describeConnectionError(error: unknown, t: SessionT, tc: CommonT): string {
  const reason = serverReasonOf(error);
  if (reason) return reasonText(reason, t);
  const appError = appErrorOf(error);
  if (appError?.kind === "forbidden" && appError.reason === "place_fixed") return t("place.fixed");
  if (appError?.kind === "forbidden" && appError.reason === "connection_in_use") return t("place.inUse");
  return describeError(error, tc);
}

/** `db.office.lan:5432/forsat`: where a saved server is. */
export function addressOf(c: Pick<ServerConnection, "host" | "port" | "database">): string {
  return `${c.host}:${c.port}/${c.database}`;
}
