// The quiet update check: once per start of the app, when someone is signed in, and
// only if the office allows update checks, this user asked for them after signing in
// and this computer has not turned them off. A newer version is told in a calm notice
// (the Shell's UpdateNotice) that links to Settings › About; a failure says nothing
// (the update server may simply be out of reach).

import { useEffect, useState } from "react";
import { commands, unwrap } from "../../lib/api";
import type { AppSettings, AvailableUpdate, DesktopInfo } from "../../lib/types";
import { useDesktopInfo } from "../../shared/lookups";
import { useSettingsQuery } from "../settings";

/** Whether the quiet check may run with these settings. */
export function quietCheckWanted(settings: Pick<AppSettings, "updatesAllowed" | "checkUpdatesAtStart">, info: Pick<DesktopInfo, "updatesOffHere">): boolean {
  return settings.updatesAllowed && settings.checkUpdatesAtStart && !info.updatesOffHere;
}

/** Set once the quiet check was decided on in this start of the app (whoever signs in next). */
let decided = false;

/** For tests: as if the app had just started. */
export function resetQuietCheck(): void {
  decided = false;
}

export type UpdateNotice = {
  /** The newer version found by the quiet check (null: none, not yet, or dismissed). */
  available: AvailableUpdate | null;
  dismiss: () => void;
};

export function useUpdateNotice(signedIn: boolean): UpdateNotice {
  const settings = useSettingsQuery({ enabled: signedIn });
  const info = useDesktopInfo(signedIn);
  const [available, setAvailable] = useState<AvailableUpdate | null>(null);

  const ready = signedIn && settings.data !== undefined && info.data !== undefined;
  const wanted = ready && quietCheckWanted(settings.data, info.data);
  useEffect(() => {
    if (!ready || decided) return;
    decided = true;
    if (!wanted) return;
    unwrap(commands.checkForUpdate()).then(
      (result) => {
        if (result.available) setAvailable(result.available);
      },
      (error: unknown) => console.warn("The quiet update check did not answer:", error),
    );
  }, [ready, wanted]);

  return { available, dismiss: () => setAvailable(null) };
}
