import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { IconSearch, IconTarget } from "../../components/icons";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { fieldErrorsOf } from "../../lib/api";
import type { ListRequest, OpportunityRow } from "../../lib/types";
import { BulkBar } from "./BulkBar";
import { ColumnChooser } from "./ColumnChooser";
import { ExportButton } from "../transfer/ExportButton";
import { ListFooter } from "./ListFooter";
import { COLUMNS_KEY, nextSort, parseColumns, serializeColumns } from "./columns";
import { OpportunityTable } from "./OpportunityTable";
import type { ViewProps } from "./viewProps";
import { useOpportunityList, useSetUserValue, useUserValue } from "./queries";
import { countActive, EMPTY_FILTERS, serializeListQuery, serializeListSort, toOpportunityFilter } from "./urlFilters";
import { navigate, paths } from "../../app/router";

export const PAGE_SIZE = 50;

/** The filtered, sorted list, a page at a time, with the totals of everything it matches. */
export function ListView({ filters, sort, onSort, lookups, filterBar }: ViewProps) {
  const { t } = useTranslation("pipeline");
  const filterKey = JSON.stringify(filters);
  // The page belongs to one set of filters and one sort, the selection to one set of
  // filters; new ones start over.
  const pageKey = `${filterKey}|${serializeListSort(sort)}`;
  const [paging, setPaging] = useState({ pageKey, page: 1 });
  const page = paging.pageKey === pageKey ? paging.page : 1;
  const setPage = (p: number) => setPaging({ pageKey, page: p });
  const [selection, setSelection] = useState({ filterKey, rows: new Map<number, OpportunityRow>() });
  const selectedRows = selection.filterKey === filterKey ? selection.rows : new Map<number, OpportunityRow>();

  const storedColumns = useUserValue(COLUMNS_KEY);
  const saveColumns = useSetUserValue(COLUMNS_KEY);
  const columns = parseColumns(storedColumns.data ?? null);
  const visible = columns.filter((c) => c.visible).map((c) => c.column);

  const request: ListRequest = { filter: toOpportunityFilter(filters), sort, page, pageSize: PAGE_SIZE };
  const list = useOpportunityList(request);
  const data = list.data;
  const validation = fieldErrorsOf(list.error).length > 0;

  const total = data?.totals.count ?? 0;
  const currentPage = data?.page.page ?? page;

  const select = (rows: OpportunityRow[], on: boolean) => {
    const next = new Map(selectedRows);
    for (const row of rows) {
      if (on) next.set(row.id, row);
      else next.delete(row.id);
    }
    setSelection({ filterKey, rows: next });
  };
  const clearSelection = () => setSelection({ filterKey, rows: new Map() });
  // A selected row refreshed since (live updates) is acted on as it is shown now.
  const shown = new Map((data?.page.items ?? []).map((row) => [row.id, row]));
  const latestOf = (id: number, row: OpportunityRow) => shown.get(id) ?? row;
  const versions = new Map([...selectedRows].map(([id, row]) => [id, latestOf(id, row).version]));
  const titles = new Map([...selectedRows].map(([id, row]) => [id, latestOf(id, row).title]));

  let body;
  if (list.isPending) {
    body = <Loading />;
  } else if (list.isError && !data) {
    body = validation ? (
      <EmptyState icon={<IconSearch size={28} />} title={t("list.fixFiltersTitle")} body={t("list.fixFiltersBody")} />
    ) : (
      <ErrorState error={list.error} title={t("list.loadError")} onRetry={() => void list.refetch()} />
    );
  } else if (data && total === 0) {
    body =
      countActive(filters) > 0 ? (
        <EmptyState
          icon={<IconSearch size={28} />}
          title={t("list.emptyFilteredTitle")}
          body={t("list.emptyFilteredBody")}
          action={<Button onClick={() => navigate(paths.opportunityList(serializeListQuery(EMPTY_FILTERS, sort)))}>{t("filters.clearAll")}</Button>}
        />
      ) : (
        <EmptyState icon={<IconTarget size={28} />} title={t("list.emptyTitle")} body={t("list.emptyBody")} />
      );
  } else if (data) {
    body = (
      <>
        {list.isError ? (
          validation ? (
            <p className="form-alert" role="alert">
              {t("list.fixFiltersBody")}
            </p>
          ) : (
            <ErrorState error={list.error} title={t("list.loadError")} onRetry={() => void list.refetch()} />
          )
        ) : null}
        {selectedRows.size > 0 ? <BulkBar selected={versions} titles={titles} lookups={lookups} onClear={clearSelection} onDone={clearSelection} /> : null}
        <OpportunityTable
          rows={data.page.items}
          columns={visible}
          sort={sort}
          onSort={(column, shift) => onSort(nextSort(sort, column, shift))}
          selected={versions}
          onSelect={select}
          // Dimmed while another page or other filters load, not while the same rows refresh.
          busy={list.isFetching && list.isPlaceholderData}
          lookups={lookups}
        />
        <ListFooter totals={data.totals} page={currentPage} rowsOnPage={data.page.items.length} pageSize={PAGE_SIZE} onPage={setPage} />
      </>
    );
  }

  return (
    <div className="page__body pl-list">
      {filterBar(
        list.error,
        <>
          <ColumnChooser columns={columns} onChange={(next) => saveColumns.mutate(serializeColumns(next))} />
          <ExportButton filter={request.filter} sort={sort} columns={visible} />
        </>,
      )}
      {body}
    </div>
  );
}
