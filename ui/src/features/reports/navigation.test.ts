import { describe, expect, it } from "vitest";
import type { ReportFilter } from "../../lib/types";
import { hasScreenFor, opportunityListHash, stageListHash } from "./navigation";

const esfand: ReportFilter = { from: "2026-02-20", to: "2026-03-20", assignedUserId: null, typeId: null, sourceId: null, campaignId: null };

describe("opportunityListHash", () => {
  it("carries the report's period and filters, then the clicked item", () => {
    expect(opportunityListHash(esfand, { stage: 3 })).toBe("#/opportunities?stage=3&createdFrom=2026-02-20&createdTo=2026-03-20");
    expect(opportunityListHash({ ...esfand, assignedUserId: 2, typeId: 10, sourceId: 4, campaignId: 7 }, { reason: 21, status: "lost" })).toBe(
      "#/opportunities?status=lost&user=2&type=10&source=4&campaign=7&reason=21&createdFrom=2026-02-20&createdTo=2026-03-20",
    );
  });

  it("lets the clicked group replace the same filter", () => {
    expect(opportunityListHash({ ...esfand, sourceId: 4 }, { source: 3 })).toBe("#/opportunities?source=3&createdFrom=2026-02-20&createdTo=2026-03-20");
    expect(opportunityListHash({ ...esfand, assignedUserId: 2 }, { user: "none" })).toContain("user=none");
  });

  it("builds the forecast month, competitor and overdue links", () => {
    expect(opportunityListHash(esfand, { status: "open", closeFrom: "2026-03-21", closeTo: "2026-04-20" })).toBe(
      "#/opportunities?status=open&createdFrom=2026-02-20&createdTo=2026-03-20&closeFrom=2026-03-21&closeTo=2026-04-20",
    );
    expect(opportunityListHash(esfand, { competitor: 9 })).toBe("#/opportunities?competitor=9&createdFrom=2026-02-20&createdTo=2026-03-20");
    expect(opportunityListHash({ ...esfand, typeId: 10 }, { overdue: true, status: "open", anyCreated: true })).toBe("#/opportunities?status=open&type=10&overdue=1");
  });

  it("leaves open ends out and gives the bare list without anything", () => {
    expect(opportunityListHash({ ...esfand, from: null }, { stage: 1 })).toBe("#/opportunities?stage=1&createdTo=2026-03-20");
    expect(opportunityListHash(null)).toBe("#/opportunities");
    expect(stageListHash(5)).toBe("#/opportunities?stage=5");
  });
});

describe("links from the reports", () => {
  it("open the opportunity list, now that it exists", () => {
    expect(hasScreenFor(opportunityListHash(esfand, { stage: 1 }))).toBe(true);
    expect(hasScreenFor("#/opportunities?status=won&user=none")).toBe(true);
    expect(hasScreenFor("#/opportunities/board?stage=2")).toBe(true);
    expect(hasScreenFor("#/opportunities/12")).toBe(true);
  });

  it("refuse addresses that have no screen", () => {
    expect(hasScreenFor("#/nowhere")).toBe(false);
    expect(hasScreenFor("#/opportunities/x")).toBe(false);
  });
});
