import { useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import type { ChartClick, ChartOption } from "./echarts";
import { EChart, type ChartHandle } from "./EChart";
import { ReportCard, useExports } from "./ReportCard";
import { ReportTable } from "./ReportTable";
import { cardLayout, type ColumnKind } from "./tableFit";

export type ChartTableCardProps = {
  title: string;
  subtitle: string;
  testId: string;
  /** Tools shown before the export buttons (e.g. a switch of what the chart measures). */
  tools?: ReactNode;
  csv: {
    /** The file name, e.g. "campaigns_2026-01-01_2026-12-31.csv". */
    file: string;
    /** The button's accessible name. */
    label: string;
    /** The file's text (see toCsv), built when the button is pressed. */
    content: () => string;
    testId?: string;
    disabled?: boolean;
  };
  png: {
    file: string;
    label: string;
    testId?: string;
    disabled?: boolean;
  };
  chart: {
    option: ChartOption;
    height: number;
    /** The chart's accessible name. */
    label: string;
    testId: string;
    /** A click on a bar or a funnel step, by its index in the chart's data (which is the table's row order). */
    onRowClick: (index: number) => void;
    /** The index passed to `onRowClick` for a click, where it is not the data's index (a chart of several parts); null for none. */
    rowAt?: (click: ChartClick) => number | null;
    /** Shown instead of the chart when given: there is nothing to draw. */
    empty?: string;
  };
  table: {
    testId: string;
    caption: string;
    header: readonly string[];
    /** What each column holds: the card puts the table beside the chart only where all of them fit. */
    columns: readonly ColumnKind[];
  };
  /** The table's body (and footer), under the header row. */
  children: ReactNode;
};

/**
 * A report card with a chart over (or beside) the table of the same figures: the CSV
 * and PNG exports in its header, a click on the chart opening what was clicked. The
 * table goes beside the chart only on screens where all its columns fit there.
 */
export function ChartTableCard({ title, subtitle, testId, tools, csv, png, chart, table, children }: ChartTableCardProps) {
  const { t } = useTranslation("reports");
  const exports = useExports();
  const handle = useRef<ChartHandle>(null);
  return (
    <ReportCard
      title={title}
      subtitle={subtitle}
      testId={testId}
      layout={cardLayout(table.columns)}
      tools={
        <>
          {tools}
          <Button size="sm" onClick={() => exports.csv(csv.file, csv.content())} aria-label={csv.label} disabled={csv.disabled} data-testid={csv.testId}>
            {t("export.csv")}
          </Button>
          <Button size="sm" onClick={() => exports.png(png.file, handle.current)} aria-label={png.label} disabled={png.disabled} data-testid={png.testId}>
            {t("export.png")}
          </Button>
        </>
      }
    >
      {chart.empty !== undefined ? (
        <p className="muted report-card__none">{chart.empty}</p>
      ) : (
        <EChart
          ref={handle}
          option={chart.option}
          height={chart.height}
          label={chart.label}
          onClick={(click) => {
            if (click.componentType !== "series") return;
            const row = chart.rowAt ? chart.rowAt(click) : click.dataIndex;
            if (row !== null) chart.onRowClick(row);
          }}
          testId={chart.testId}
        />
      )}
      <ReportTable testId={table.testId} caption={table.caption} header={table.header} columns={table.columns}>
        {children}
      </ReportTable>
    </ReportCard>
  );
}
