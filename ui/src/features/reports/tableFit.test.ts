import { describe, expect, it } from "vitest";
import { columnClass } from "./ReportTable";
import { TABLE_COLUMNS } from "./tableColumns";
import { cardLayout, tableMinWidth, tableRoom, type CardLayout } from "./tableFit";

/** The tables that share a card with a chart; the others have their card to themselves. */
const WITH_CHART = ["stages", "sources", "outcomeGroups", "campaigns", "durations", "competitors", "stageHistory", "forecast"] as const;

describe("report tables fit", () => {
  it("puts each table beside its chart only where all its columns fit", () => {
    const layouts = Object.fromEntries(WITH_CHART.map((name) => [name, cardLayout(TABLE_COLUMNS[name])]));
    expect(layouts).toEqual({
      stages: "beside",
      sources: "beside",
      // The win / loss reasons (six columns) go under the chart below 1600 px.
      outcomeGroups: "wide",
      campaigns: "stacked",
      durations: "wide",
      competitors: "wide",
      stageHistory: "wide",
      forecast: "wide",
    });
  });

  it.each([1280, 1366, 1920])("shows every column of every table at %i px without scrolling", (viewport) => {
    for (const [name, columns] of Object.entries(TABLE_COLUMNS)) {
      const layout: CardLayout = (WITH_CHART as readonly string[]).includes(name) ? cardLayout(columns) : "stacked";
      expect({ name, fits: tableMinWidth(columns) <= tableRoom(viewport, layout) }).toEqual({ name, fits: true });
    }
  });

  it("gives the table the whole card below a layout's breakpoint", () => {
    expect(tableRoom(1280, "wide")).toBe(tableRoom(1280, "stacked"));
    expect(tableRoom(1199, "beside")).toBe(tableRoom(1199, "stacked"));
    expect(tableRoom(1280, "beside")).toBeLessThan(tableRoom(1280, "stacked") / 2);
    expect(tableRoom(1920, "wide")).toBeGreaterThan(tableRoom(1920, "beside"));
  });

  it("keeps figures and dates on one line and lets names and text wrap", () => {
    expect(["count", "amount", "percent", "days"].map((k) => columnClass(k as "count"))).toEqual(["col-amount", "col-amount", "col-amount", "col-amount"]);
    expect(columnClass("date")).toBe("col-date");
    expect(columnClass("name")).toBe("col-text");
    expect(columnClass("text")).toBe("col-text");
  });
});
