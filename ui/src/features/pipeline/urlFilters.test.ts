import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, countActive, parseListQuery, parseListSort, serializeListQuery, serializeListSort, toOpportunityFilter } from "./urlFilters";

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

  it("reads and writes nostep=1 as the open opportunities without a next step", () => {
    const f = parseListQuery("nostep=1");
    expect(f).toEqual({ ...EMPTY_FILTERS, noNextStep: true });
    expect(serializeListQuery(f)).toBe("nostep=1");
    expect(countActive(f)).toBe(1);
    expect(toOpportunityFilter(f)).toMatchObject({ noNextStep: true, overdue: false });
    expect(toOpportunityFilter(EMPTY_FILTERS).noNextStep).toBe(false);
    // With other filters, after overdue=1 and before the sort; and back again.
    const query = serializeListQuery({ ...EMPTY_FILTERS, userIds: [2], overdue: true, noNextStep: true }, [{ column: "close_date", desc: false }]);
    expect(query).toBe("user=2&overdue=1&nostep=1&sort=close_date.asc");
    expect(parseListQuery(query)).toEqual({ ...EMPTY_FILTERS, userIds: [2], overdue: true, noNextStep: true });
    // Anything but "1" is not read.
    expect(parseListQuery("nostep=yes").noNextStep).toBe(false);
    expect(parseListQuery("nostep=0").noNextStep).toBe(false);
  });

  it("maps to the backend's filter", () => {
    const filter = toOpportunityFilter(parseListQuery("user=none&stage=2&q=%20x%20&overdue=1&amountMax=50"));
    expect(filter).toMatchObject({ text: "x", stageIds: [2], assignedUserIds: [], unassigned: true, overdue: true, amountMax: "50", amountMin: null, status: null });
    expect(toOpportunityFilter(EMPTY_FILTERS).text).toBeNull();
  });

  it("keeps the sort in the address, readable, after the filters, and reads it back", () => {
    const sort = [
      { column: "estimated", desc: true },
      { column: "title", desc: false },
    ] as const;
    expect(serializeListSort([...sort])).toBe("estimated.desc,title.asc");
    expect(serializeListQuery(EMPTY_FILTERS, [...sort])).toBe("sort=estimated.desc,title.asc");
    const query = serializeListQuery({ ...EMPTY_FILTERS, stageIds: [3], overdue: true }, [...sort, { column: "close_date", desc: false }]);
    expect(query).toBe("stage=3&overdue=1&sort=estimated.desc,title.asc,close_date.asc");
    expect(parseListSort(query)).toEqual([...sort, { column: "close_date", desc: false }]);
    expect(parseListQuery(query)).toEqual({ ...EMPTY_FILTERS, stageIds: [3], overdue: true });
    expect(serializeListQuery(parseListQuery(query), parseListSort(query))).toBe(query);
    expect(serializeListQuery(EMPTY_FILTERS, [])).toBe("");
    expect(countActive(parseListQuery("sort=title.asc"))).toBe(0);
  });

  it("reads a sort however it was written, and leaves out what it cannot read", () => {
    // Escaped commas, repeated keys, a bare column (ascending), spaces and capitals.
    expect(parseListSort("?sort=estimated.desc%2Ctitle.asc")).toEqual([
      { column: "estimated", desc: true },
      { column: "title", desc: false },
    ]);
    expect(parseListSort("sort=days_open&sort=%20Stage.DESC%20")).toEqual([
      { column: "days_open", desc: false },
      { column: "stage", desc: true },
    ]);
    // Unknown columns and directions, repeats (the first wins), empty parts, junk.
    expect(parseListSort("sort=price.desc,title.up,,estimated.desc,estimated.asc,title.desc.asc,x")).toEqual([{ column: "estimated", desc: true }]);
    expect(parseListSort("sort=__proto__,constructor.asc,toString")).toEqual([]);
    expect(parseListSort("sort=")).toEqual([]);
    expect(parseListSort("")).toEqual([]);
    // At most four keys, like the backend.
    expect(parseListSort("sort=title,identity,stage,estimated,probability").map((k) => k.column)).toEqual(["title", "identity", "stage", "estimated"]);
  });
});
