import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, within } from "@testing-library/react";
import { initI18n } from "../../i18n";
import { ChartTableCard, type ChartTableCardProps } from "./ChartTableCard";

// ECharts needs a real canvas; a stand-in keeps the click handler.
const fake = vi.hoisted(() => ({ click: null as ((params: unknown) => void) | null }));
vi.mock("./echarts", () => ({
  loadChartParts: () => Promise.resolve(),
  createChart: () => ({
    setOption() {},
    resize() {},
    dispose() {},
    getDataURL: () => null,
    on: (_event: string, handler: (params: unknown) => void) => {
      fake.click = handler;
    },
    off() {},
  }),
}));

beforeEach(() => {
  initI18n("en");
  fake.click = null;
});

function renderCard(overrides: Partial<ChartTableCardProps> = {}) {
  const onRowClick = vi.fn();
  render(
    <ChartTableCard
      title="Things"
      subtitle="All the things"
      testId="report-things"
      csv={{ file: "things.csv", label: "Export CSV of the things", content: () => "", testId: "report-things-csv" }}
      png={{ file: "things.png", label: "Save PNG of the things", disabled: true }}
      chart={{ option: {}, height: 200, label: "Bars of the things", testId: "report-things-chart", onRowClick }}
      table={{ testId: "report-things-table", caption: "Things", header: ["Thing", "Count"], columns: ["name", "count"] }}
      {...overrides}
    >
      <tbody>
        <tr>
          <th scope="row">A</th>
          <td className="col-amount">1</td>
        </tr>
      </tbody>
    </ChartTableCard>,
  );
  return onRowClick;
}

describe("ChartTableCard", () => {
  it("renders the card, its exports, the chart and the table under one header row", () => {
    renderCard();
    const card = screen.getByTestId("report-things");
    expect(card.getAttribute("aria-labelledby")).toBe(within(card).getByRole("heading", { level: 2, name: "Things" }).id);
    expect(screen.getByTestId("report-things-csv").getAttribute("aria-label")).toBe("Export CSV of the things");
    expect(screen.getByRole("button", { name: "Save PNG of the things" })).toHaveProperty("disabled", true);
    expect(screen.getByRole("img", { name: "Bars of the things" }).getAttribute("data-testid")).toBe("report-things-chart");
    const table = screen.getByTestId("report-things-table");
    expect(table.querySelector("caption")?.textContent).toBe("Things");
    expect(Array.from(table.querySelectorAll("thead th")).map((th) => [th.textContent, th.className])).toEqual([
      ["Thing", "col-text"],
      ["Count", "col-amount"],
    ]);
    expect(table.querySelectorAll("tbody tr")).toHaveLength(1);
  });

  it("passes on a click on the data only, by its index", () => {
    const onRowClick = renderCard();
    act(() => fake.click?.({ componentType: "legend", dataIndex: 0 }));
    expect(onRowClick).not.toHaveBeenCalled();
    act(() => fake.click?.({ componentType: "series", dataIndex: 2 }));
    expect(onRowClick).toHaveBeenCalledWith(2);
  });

  it("says why instead of drawing an empty chart, and keeps the table", () => {
    renderCard({ chart: { option: {}, height: 200, label: "Bars of the things", testId: "report-things-chart", onRowClick: () => {}, empty: "Nothing to draw." } });
    expect(screen.queryByTestId("report-things-chart")).toBeNull();
    expect(screen.getByText("Nothing to draw.").className).toBe("muted report-card__none");
    expect(screen.getByTestId("report-things-table")).toBeTruthy();
  });
});
