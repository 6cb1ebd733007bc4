// The one clock of the UI: "today" and the display of date-times in the time zone the
// backend's settings name (AppSettings.timeZone: the configured zone, else the
// operating system's). The settings provider sets it once the settings arrive; until
// then, and where Intl does not know the zone, the computer's own zone is used.

let zone: string | undefined;

/** Whether Intl knows the zone name ("Asia/Tehran"). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Sets the zone "today" and date-times are taken in; an unknown or empty name resets it. */
export function setTimeZone(name: string | null | undefined): void {
  zone = name && isKnownTimeZone(name) ? name : undefined;
}

/** The zone in force, or undefined for the computer's own. */
export function currentTimeZone(): string | undefined {
  return zone;
}

/** The ISO date (yyyy-mm-dd) an instant falls on in `timeZone` (default: the zone in force). */
export function isoDateIn(instant: Date, timeZone: string | undefined = zone): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    calendar: "gregory",
    numberingSystem: "latn",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
}

/** Today as an ISO date in the zone in force. */
export function todayIso(now: Date = new Date()): string {
  return isoDateIn(now);
}

/** Every zone name Intl can list (for the settings' picker); a short list where it cannot. */
export function knownTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  try {
    const all = intl.supportedValuesOf?.("timeZone");
    if (all && all.length > 0) return all.includes("UTC") ? all : ["UTC", ...all];
  } catch {
    // Older engines: fall through.
  }
  return ["Asia/Tehran", "Asia/Dubai", "Europe/Istanbul", "Europe/London", "Europe/Berlin", "America/Toronto", "America/New_York", "UTC"];
}
