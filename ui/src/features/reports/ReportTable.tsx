import type { ReactNode } from "react";

/** The header row of a report table: the first column names the group, the rest are figures (aligned as amounts). */
function ReportTableHead({ header }: { header: readonly string[] }) {
  return (
    <thead>
      <tr>
        {header.map((h, i) => (
          <th key={h} scope="col" className={i === 0 ? undefined : "col-amount"}>
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
  /** The body, and the footer where the table has a total row. */
  children: ReactNode;
};

/** A report's table in its scrolling box: the caption, the header row, then the given body. */
export function ReportTable({ testId, caption, header, children }: ReportTableProps) {
  return (
    <div className="table-wrap report-table">
      <table className="table table--compact" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <ReportTableHead header={header} />
        {children}
      </table>
    </div>
  );
}
