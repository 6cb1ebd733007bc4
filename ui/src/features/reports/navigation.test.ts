import { describe, expect, it } from "vitest";
import { hasScreenFor, stageListHash } from "./navigation";

describe("links from the reports", () => {
  it("open the opportunity list filtered to a stage", () => {
    expect(stageListHash(3)).toBe("#/opportunities?stage=3");
    expect(hasScreenFor(stageListHash(3))).toBe(true);
    expect(hasScreenFor("#/opportunities?status=won&user=none")).toBe(true);
    expect(hasScreenFor("#/opportunities/board?stage=2")).toBe(true);
  });

  it("refuse addresses that have no screen", () => {
    expect(hasScreenFor("#/nowhere")).toBe(false);
    expect(hasScreenFor("#/opportunities/x")).toBe(false);
  });
});
