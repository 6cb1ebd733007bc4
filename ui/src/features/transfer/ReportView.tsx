import { useMemo, useState, type Ref } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { useFileSaver } from "../../components/useFileSaver";
import { useAppSettings } from "../../app/settings";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { formatNumber, toLocalDigits } from "../../lib/format";
import type { ImportKind, ImportReport } from "../../lib/types";
import { describeIssue, filterProblems, problemColumn, problemsCsv } from "./logic";

/** Problems shown per page: thousands of problems never render at once. */
export const PROBLEMS_PER_PAGE = 100;

export type ReportViewProps = {
  headingRef: Ref<HTMLHeadingElement>;
  report: ImportReport;
  /** What the file holds (the counts and the import button say it). */
  kind?: ImportKind;
  busy: boolean;
  onChangeMapping: () => void;
  onPickFile: () => void;
  onCheckAgain: () => void;
  onImport: () => void;
};

/** Step 3: the dry run's counts and problems, and the way on to the real import. */
export function ReportView({ headingRef, report, kind = "opportunities", busy, onChangeMapping, onPickFile, onCheckAgain, onImport }: ReportViewProps) {
  const { t } = useTranslation("transfer");
  const { language } = useAppSettings();
  const saver = useFileSaver();
  const num = (n: number) => formatNumber(n, language);
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(0);
  const debounced = useDebouncedValue(query, 150);

  const filtered = useMemo(() => filterProblems(report.problems, debounced, t), [report.problems, debounced, t]);
  const pages = Math.max(1, Math.ceil(filtered.length / PROBLEMS_PER_PAGE));
  const current = Math.min(page, pages - 1);
  const shown = filtered.slice(current * PROBLEMS_PER_PAGE, (current + 1) * PROBLEMS_PER_PAGE);
  const problems = report.problems.length;
  const clean = problems === 0;
  const mappingProblem = report.problems.some((p) => p.issue === "missing_column" && p.line === 1);

  const stats: [string, number, string][] = [
    [t("report.rows"), report.rows, "rows"],
    [t("report.goodRows"), report.goodRows, "good"],
    [t("report.problemRows"), problems, "problems"],
  ];
  if (kind === "opportunities" || kind === "identities") stats.push([t("report.newIdentities"), report.createdIdentities, "identities"]);
  if (kind === "opportunities" || kind === "products") stats.push([t("report.newProducts"), report.createdProducts, "products"]);
  if (kind === "users" || report.createdUsers > 0) stats.push([t("report.newUsers"), report.createdUsers, "users"]);
  if (report.createdValues > 0) stats.push([t("report.newValues"), report.createdValues, "values"]);
  const importLabel = (n: number) => {
    const options = { count: n, n: num(n) };
    if (kind === "identities") return t("report.importIdentities", options);
    if (kind === "products") return t("report.importProducts", options);
    if (kind === "users") return t("report.importUsers", options);
    return t("report.import", options);
  };

  return (
    <section className="card transfer-card" aria-labelledby="import-report-title" data-testid="import-report">
      <h2 className="transfer-card__title" id="import-report-title" ref={headingRef} tabIndex={-1}>
        {t("report.title")}
      </h2>
      <dl className="transfer-stats">
        {stats.map(([label, value, key]) => (
          <div key={key} className={key === "problems" && value > 0 ? "transfer-stats__item is-bad" : "transfer-stats__item"} data-testid={`import-stat-${key}`}>
            <dt>{label}</dt>
            <dd>{num(value)}</dd>
          </div>
        ))}
      </dl>
      <p className={clean ? "transfer-verdict is-clean" : "transfer-verdict is-bad"} role="status" data-testid="import-verdict">
        {clean ? t("report.clean") : t("report.withProblems", { count: problems, n: num(problems) })}
      </p>
      {report.unmapped.length > 0 ? (
        <p className="admin-note admin-note--warning" role="note" data-testid="import-unmapped">
          {t("report.unmapped", { fields: report.unmapped.map((f) => t(`fields.${f}`)).join(t("report.listSeparator")) })}
        </p>
      ) : null}

      {!clean ? (
        <div className="transfer-problems">
          <div className="transfer-problems__toolbar">
            <label className="field__label" htmlFor="import-problem-filter">
              {t("report.filter")}
            </label>
            <input
              id="import-problem-filter"
              className="input transfer-problems__filter"
              type="search"
              value={query}
              placeholder={t("report.filterPlaceholder")}
              onChange={(e) => {
                setQuery(e.target.value);
                setPage(0);
              }}
            />
            <span className="transfer-problems__spacer" />
            <Button size="sm" onClick={() => void saver.text(t("report.downloadName"), problemsCsv(report.problems, t))} data-testid="import-download-problems">
              {t("report.download")}
            </Button>
          </div>
          <div className="table-wrap transfer-problems__table" tabIndex={0} aria-label={t("report.problemsTitle")}>
            <table className="table table--compact" data-testid="import-problems">
              <thead>
                <tr>
                  <th scope="col" className="col-number">
                    {t("report.line")}
                  </th>
                  <th scope="col">{t("report.column")}</th>
                  <th scope="col">{t("report.value")}</th>
                  <th scope="col">{t("report.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((p, i) => (
                  <tr key={`${current}-${i}`}>
                    <td className="col-number">{toLocalDigits(String(p.line), language)}</td>
                    <td>
                      <bdi>{problemColumn(p, t)}</bdi>
                    </td>
                    <td className="transfer-problems__value">{p.value ? <bdi title={p.value}>{p.value}</bdi> : <span className="muted">—</span>}</td>
                    <td className="transfer-problems__reason">{describeIssue(p, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 ? <p className="muted transfer-problems__empty">{t("report.noMatch")}</p> : null}
          </div>
          {filtered.length > PROBLEMS_PER_PAGE ? (
            <div className="pager">
              <span className="muted">
                {t("report.showing", {
                  from: num(current * PROBLEMS_PER_PAGE + 1),
                  to: num(Math.min((current + 1) * PROBLEMS_PER_PAGE, filtered.length)),
                  total: num(filtered.length),
                })}
              </span>
              <span className="pager__spacer" />
              <Button size="sm" onClick={() => setPage(current - 1)} disabled={current === 0}>
                {t("actions.previous", { ns: "common" })}
              </Button>
              <Button size="sm" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
                {t("actions.next", { ns: "common" })}
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}

      {!clean ? <p className="muted">{mappingProblem ? t("report.mappingNote") : t("report.anywayNote")}</p> : null}

      <div className="transfer-actions">
        <Button onClick={onChangeMapping} disabled={busy}>
          {t("report.changeMapping")}
        </Button>
        <Button onClick={onPickFile} disabled={busy} data-testid="import-pick-fixed">
          {t("report.pickFixed")}
        </Button>
        <Button onClick={onCheckAgain} disabled={busy}>
          {t("report.check")}
        </Button>
        <Button variant="primary" onClick={onImport} disabled={busy || !clean || report.goodRows === 0} data-testid="import-run">
          {clean ? importLabel(report.goodRows) : t("steps.import")}
        </Button>
      </div>
    </section>
  );
}
