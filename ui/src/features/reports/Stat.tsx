/** One summary figure of a report: its label, the value, and a note under it where there is one. */
export function Stat({ label, value, note, tone, testId }: { label: string; value: string; note?: string; tone: string; testId: string }) {
  return (
    <div className={`card report-stat report-stat--${tone}`} data-stat={testId}>
      <span className="report-stat__label muted">{label}</span>
      <span className="report-stat__value">{value}</span>
      {note ? <span className="report-stat__note muted">{note}</span> : null}
    </div>
  );
}
