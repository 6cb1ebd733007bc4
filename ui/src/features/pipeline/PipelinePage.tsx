import { localName } from "../../lib/titles";
import { useMemo, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../app/router";
import { fieldErrorsOf } from "../../lib/api";
import { useHotkeys } from "../../lib/hotkeys";
import type { SortKey } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { usePipelines } from "../../shared/lookups";
import { useDescribeFieldError } from "../../shared/useFieldErrors";
import "./pipeline.css";
import { BoardView } from "./BoardView";
import { FilterBar, type FilterErrors } from "./FilterBar";
import { ListView } from "./ListView";
import { useLookups } from "./lookups";
import { parseListQuery, parseListSort, serializeListQuery, type ListFilters } from "./urlFilters";

/** The opportunities: a list or a board over the same filters, which live in the address with the list's sort. */
export function PipelinePage({ view, query }: { view: "list" | "board"; query: string }) {
  const { t } = useTranslation("pipeline");
  const describeField = useDescribeFieldError();
  const filters = useMemo(() => parseListQuery(query), [query]);
  const sort = useMemo(() => parseListSort(query), [query]);
  const lookups = useLookups();
  const pipelines = usePipelines().data ?? [];
  const { language } = useAppSettings();
  const searchRef = useRef<HTMLInputElement>(null);

  const hashFor = (v: "list" | "board", f: ListFilters, s: SortKey[] = sort) => {
    const q = serializeListQuery(f, s);
    return v === "list" ? paths.opportunityList(q) : paths.opportunityBoard(q);
  };
  // Each change of the filters or of the sort is a step in the history, so Back undoes it.
  const setFilters = (next: ListFilters) => navigate(hashFor(view, next));
  const setSort = (next: SortKey[]) => navigate(hashFor(view, filters, next));

  useHotkeys([{ key: "/", handler: () => searchRef.current?.focus() }]);

  const filterBar = (error: unknown, end?: ReactNode) => {
    const errors: FilterErrors = {};
    for (const fe of fieldErrorsOf(error)) {
      // The end of a range before its start says so, rather than "out of range".
      const reversed = fe.code === "out_of_range" && fe.min === null && fe.max === null && (fe.field.endsWith("To") || fe.field === "amountMax");
      errors[fe.field] = reversed ? t("filters.rangeReversed") : describeField(fe);
    }
    return <FilterBar filters={filters} onChange={setFilters} lookups={lookups} errors={errors} searchRef={searchRef} end={end} />;
  };

  return (
    <div className="page pl-page">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t("title")}</h1>
          <p className="page__subtitle">{t(view === "list" ? "subtitleList" : "subtitleBoard")}</p>
        </div>
        {pipelines.length > 1 ? (
          <label className="pl-pipeline">
            <span className="field__label">{t("pipelineSwitch.label")}</span>
            <select
              className="input"
              value={filters.pipelineId ?? (view === "board" ? pipelines[0].id : "")}
              onChange={(e) => setFilters({ ...filters, pipelineId: e.target.value === "" ? null : Number(e.target.value) })}
              data-testid="pipeline-switch"
            >
              {view === "list" ? <option value="">{t("pipelineSwitch.all")}</option> : null}
              {pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {localName(p, language)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <nav className="segmented pl-views" aria-label={t("views.label")}>
          <div className="segmented__options">
            {(["list", "board"] as const).map((v) => (
              <a key={v} href={hashFor(v, filters)} className={v === view ? "segmented__option is-active" : "segmented__option"} aria-current={v === view ? "page" : undefined} data-testid={`view-${v}`}>
                {t(`views.${v}`)}
              </a>
            ))}
          </div>
        </nav>
      </header>
      {view === "list" ? (
        <ListView filters={filters} sort={sort} onSort={setSort} lookups={lookups} filterBar={filterBar} searchRef={searchRef} />
      ) : (
        <BoardView filters={filters} sort={sort} onSort={setSort} lookups={lookups} filterBar={filterBar} searchRef={searchRef} />
      )}
    </div>
  );
}
