import { afterEach, describe, expect, it } from "vitest";
import { currentTimeZone, isKnownTimeZone, isoDateIn, knownTimeZones, setTimeZone, todayIso } from "./clock";

afterEach(() => setTimeZone(undefined));

describe("the one clock", () => {
  // 00:30 on 2 December in Tehran (UTC+03:30) is still 1 December in UTC.
  const halfPastMidnightInTehran = new Date(Date.UTC(2026, 11, 1, 21, 0));

  it("takes today in the configured zone", () => {
    setTimeZone("Asia/Tehran");
    expect(todayIso(halfPastMidnightInTehran)).toBe("2026-12-02");
    setTimeZone("UTC");
    expect(todayIso(halfPastMidnightInTehran)).toBe("2026-12-01");
    expect(isoDateIn(new Date(Date.UTC(2026, 11, 2, 3, 0)), "America/Toronto")).toBe("2026-12-01");
  });

  it("ignores zones it does not know", () => {
    setTimeZone("Mars/Olympus");
    expect(currentTimeZone()).toBeUndefined();
    expect(isKnownTimeZone("Asia/Tehran")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus")).toBe(false);
  });

  it("lists the zones for the settings picker", () => {
    const zones = knownTimeZones();
    expect(zones).toContain("Asia/Tehran");
    expect(zones).toContain("UTC");
  });
});
