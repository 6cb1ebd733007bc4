/** The header row of a report table: the first column names the group, the rest are figures (aligned as amounts). */
export function ReportTableHead({ header }: { header: readonly string[] }) {
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
