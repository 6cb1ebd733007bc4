import { describe, expect, it } from "vitest";
import { REPORT_COLUMNS, toOpportunityFilter } from "./opportunityFilter";

describe("toOpportunityFilter", () => {
  it("maps the period to the creation date and each chosen item to a one-item list", () => {
    expect(toOpportunityFilter({ from: "2026-01-01", to: "2026-12-31", assignedUserId: 2, typeId: 10, sourceId: 4, campaignId: 1 })).toEqual({
      createdFrom: "2026-01-01",
      createdTo: "2026-12-31",
      assignedUserIds: [2],
      typeIds: [10],
      sourceIds: [4],
      campaignIds: [1],
    });
  });

  it("leaves out what is not chosen, and keeps an open end open", () => {
    expect(toOpportunityFilter({ from: null, to: "2026-03-20", assignedUserId: null, typeId: null, sourceId: null, campaignId: null })).toEqual({ createdTo: "2026-03-20" });
    expect(toOpportunityFilter({ from: null, to: null, assignedUserId: null, typeId: null, sourceId: null, campaignId: null })).toEqual({});
  });
});

describe("REPORT_COLUMNS", () => {
  it("follows the source document's order", () => {
    expect(REPORT_COLUMNS).toEqual(["title", "created", "type", "source", "campaign", "stage", "identity", "probability", "assigned_to", "close_date", "estimated"]);
  });
});
