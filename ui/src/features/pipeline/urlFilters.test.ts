import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, countActive, parseListQuery, serializeListQuery, toOpportunityFilter } from "./urlFilters";

describe("the list's address contract", () => {
  it("reads every key", () => {
    const f = parseListQuery(
      "stage=3&stage=4&status=open&user=2&user=none&type=10&source=3&campaign=1&reason=20&competitor=7&product=9&category=5&q=%20net%20&createdFrom=2025-01-01&createdTo=2025-01-31&closeFrom=2025-02-01&closeTo=2025-02-28&wonFrom=2025-03-01&wonTo=2025-03-31&lostFrom=2025-04-01&lostTo=2025-04-30&amountMin=1000&amountMax=5000&overdue=1",
    );
    expect(f).toEqual({
      ...EMPTY_FILTERS,
      text: "net",
      stageIds: [3, 4],
      status: "open",
      userIds: [2],
      unassigned: true,
      typeIds: [10],
      sourceIds: [3],
      campaignIds: [1],
      reasonIds: [20],
      competitorId: 7,
      productId: 9,
      categoryId: 5,
      createdFrom: "2025-01-01",
      createdTo: "2025-01-31",
      closeFrom: "2025-02-01",
      closeTo: "2025-02-28",
      wonFrom: "2025-03-01",
      wonTo: "2025-03-31",
      lostFrom: "2025-04-01",
      lostTo: "2025-04-30",
      amountMin: "1000",
      amountMax: "5000",
      overdue: true,
      custom: [],
    });
  });

  it("opens the funnel's link (one stage) and the empty list", () => {
    expect(parseListQuery("?stage=3")).toEqual({ ...EMPTY_FILTERS, stageIds: [3] });
    expect(parseListQuery("")).toEqual(EMPTY_FILTERS);
  });

  it("leaves out what cannot be read instead of guessing", () => {
    const f = parseListQuery("stage=abc&stage=-1&stage=0&stage=2&stage=2&status=closed&closeFrom=2025-13-40&createdTo=yesterday&overdue=yes&product=x");
    expect(f.stageIds).toEqual([2]);
    expect(f.status).toBeNull();
    expect(f.closeFrom).toBeNull();
    expect(f.createdTo).toBeNull();
    expect(f.overdue).toBe(false);
    expect(f.productId).toBeNull();
  });

  it("keeps typed amounts as they are (the backend names what is wrong) and reads Persian digits", () => {
    expect(parseListQuery("amountMin=abc").amountMin).toBe("abc");
    expect(parseListQuery("amountMax=%DB%B1%DB%B2%DB%B0").amountMax).toBe("120");
    expect(parseListQuery("stage=%DB%B3").stageIds).toEqual([3]);
  });

  it("writes filters back in a fixed order, repeating multi-valued keys", () => {
    const query = serializeListQuery({ ...EMPTY_FILTERS, text: "شبکه", stageIds: [3, 4], userIds: [2], unassigned: true, overdue: true, closeTo: "2025-03-20" });
    expect(query).toBe("stage=3&stage=4&user=2&user=none&q=%D8%B4%D8%A8%DA%A9%D9%87&closeTo=2025-03-20&overdue=1");
    expect(serializeListQuery(EMPTY_FILTERS)).toBe("");
  });

  it("round-trips, custom fields included", () => {
    const query = "stage=1&status=won&type=10&reason=20&product=9&q=a+b&wonFrom=2025-03-01&amountMin=10&cf.4=gold&cf.5.min=1&cf.5.max=9";
    const f = parseListQuery(query);
    expect(f.custom).toEqual([
      { fieldId: 4, value: "gold", min: null, max: null },
      { fieldId: 5, value: null, min: "1", max: "9" },
    ]);
    expect(parseListQuery(serializeListQuery(f))).toEqual(f);
    expect(countActive(f)).toBe(10);
  });

  it("maps to the backend's filter", () => {
    const filter = toOpportunityFilter(parseListQuery("user=none&stage=2&q=%20x%20&overdue=1&amountMax=50"));
    expect(filter).toMatchObject({ text: "x", stageIds: [2], assignedUserIds: [], unassigned: true, overdue: true, amountMax: "50", amountMin: null, status: null });
    expect(toOpportunityFilter(EMPTY_FILTERS).text).toBeNull();
  });
});
