import type { ReactNode } from "react";
import { isFigure, type ColumnKind } from "./tableFit";

/** The class of a column's cells: figures aligned as amounts (and kept on one line), dates on one line, text wrapping. */
export function columnClass(kind: ColumnKind): string {
  if (isFigure(kind)) return "col-amount";
  return kind === "date" ? "col-date" : "col-text";
}

/** The header row of a report table, each header aligned like its column. */
function ReportTableHead({ header, columns }: { header: readonly string[]; columns: readonly ColumnKind[] }) {
  return (
    <thead>
      <tr>
        {header.map((h, i) => (
          <th key={h} scope="col" className={columnClass(columns[i] ?? (i === 0 ? "name" : "count"))}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export type ReportTableProps = {
  testId: string;
  /** The table's name for screen readers (visually hidden: the card's title says it on screen). */
  caption: string;
  header: readonly string[];
  /** What each column holds, in the header's order (see tableFit.ts). */
  columns: readonly ColumnKind[];
  /** The body, and the footer where the table has a total row. */
  children: ReactNode;
};

/**
 * A report's table in its box: the caption, the header row, then the given body.
 * Figures keep to one line in narrow columns, names and headers wrap; the box
 * scrolls sideways only when even that does not fit.
 */
export function ReportTable({ testId, caption, header, columns, children }: ReportTableProps) {
  return (
    <div className="table-wrap report-table">
      <table className="table table--compact" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <ReportTableHead header={header} columns={columns} />
        {children}
      </table>
    </div>
  );
}
