import { describe, expect, it } from "vitest";
import { ALL_COLUMNS, DEFAULT_COLUMNS, moveColumn, nextSort, parseColumns, serializeColumns, toggleColumn } from "./columns";

describe("the column setting", () => {
  it("falls back to the defaults for nothing or nonsense", () => {
    expect(parseColumns(null)).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns("{not json")).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns('{"a":1}')).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns('[{"column":"title","visible":false}]').some((c) => c.visible)).toBe(true);
  });

  it("keeps the chosen order, drops unknown columns and adds new ones at the end", () => {
    const cols = parseColumns(JSON.stringify([{ column: "estimated", visible: true }, { column: "bogus" }, { column: "title", visible: false }, { column: "estimated", visible: false }]));
    expect(cols.slice(0, 2)).toEqual([
      { column: "estimated", visible: true },
      { column: "title", visible: false },
    ]);
    expect(cols.map((c) => c.column).sort()).toEqual([...ALL_COLUMNS].sort());
    expect(parseColumns(serializeColumns(cols))).toEqual(cols);
  });

  it("adds a column the setting does not know yet as shown or hidden by default", () => {
    const older = JSON.stringify(DEFAULT_COLUMNS.filter((c) => !["reason", "closed_on", "close_date"].includes(c.column)));
    const cols = parseColumns(older);
    expect(cols.find((c) => c.column === "reason")?.visible).toBe(false);
    expect(cols.find((c) => c.column === "closed_on")?.visible).toBe(false);
    expect(cols.find((c) => c.column === "close_date")?.visible).toBe(true);
  });

  it("moves and toggles, never hiding the last visible column", () => {
    const only = ALL_COLUMNS.map((column) => ({ column, visible: column === "title" }));
    expect(toggleColumn(only, "title")).toEqual(only);
    expect(toggleColumn(only, "stage").find((c) => c.column === "stage")?.visible).toBe(true);
    expect(moveColumn(DEFAULT_COLUMNS, "identity", -1).slice(0, 2).map((c) => c.column)).toEqual(["identity", "title"]);
    expect(moveColumn(DEFAULT_COLUMNS, "title", -1)).toEqual(DEFAULT_COLUMNS);
  });
});

describe("header clicks", () => {
  it("sort by a column, again to reverse, another column replaces it", () => {
    let sort = nextSort([], "estimated", false);
    expect(sort).toEqual([{ column: "estimated", desc: false }]);
    sort = nextSort(sort, "estimated", false);
    expect(sort).toEqual([{ column: "estimated", desc: true }]);
    expect(nextSort(sort, "title", false)).toEqual([{ column: "title", desc: false }]);
  });

  it("add further keys with Shift", () => {
    let sort = nextSort([], "stage", false);
    sort = nextSort(sort, "estimated", true);
    expect(sort).toEqual([
      { column: "stage", desc: false },
      { column: "estimated", desc: false },
    ]);
    sort = nextSort(sort, "estimated", true);
    expect(sort[1]).toEqual({ column: "estimated", desc: true });
    // A plain click on the second key makes it the only one.
    expect(nextSort(sort, "estimated", false)).toEqual([{ column: "estimated", desc: false }]);
  });
});
