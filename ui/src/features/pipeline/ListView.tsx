import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { IconSearch, IconTarget } from "../../components/icons";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { fieldErrorsOf } from "../../lib/api";
import { formatDecimal, formatMoney } from "../../lib/format";
import type { ListRequest, OpportunityRow, SortKey } from "../../lib/types";
import { BulkBar } from "./BulkBar";
import { ColumnChooser } from "./ColumnChooser";
import { ExportButton } from "../transfer/ExportButton";
import { COLUMNS_KEY, nextSort, parseColumns, serializeColumns } from "./columns";
import { OpportunityTable } from "./OpportunityTable";
import type { ViewProps } from "./PipelinePage";
import { useOpportunityList, useSetUserValue, useUserValue } from "./queries";
import { countActive, toOpportunityFilter } from "./urlFilters";
import { navigate, paths } from "../../app/router";

export const PAGE_SIZE = 50;

/** The filtered, sorted list, a page at a time, with the totals of everything it matches. */
export function ListView({ filters, lookups, filterBar }: ViewProps) {
  const { t } = useTranslation("pipeline");
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  const [sort, setSort] = useState<SortKey[]>([]);
  const filterKey = JSON.stringify(filters);
  // The page and the selection belong to one set of filters; new filters start over.
  const [paging, setPaging] = useState({ filterKey, page: 1 });
  const page = paging.filterKey === filterKey ? paging.page : 1;
  const setPage = (p: number) => setPaging({ filterKey, page: p });
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

  const n = (v: number) => formatDecimal(String(v), language);
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, decimals: currencyDecimals });
  const total = data?.totals.count ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const currentPage = data?.page.page ?? page;
  const from = total === 0 ? 0 : (currentPage - 1) * PAGE_SIZE + 1;
  const to = Math.min(total, (currentPage - 1) * PAGE_SIZE + (data?.page.items.length ?? 0));

  const select = (rows: OpportunityRow[], on: boolean) => {
    const next = new Map(selectedRows);
    for (const row of rows) {
      if (on) next.set(row.id, row);
      else next.delete(row.id);
    }
    setSelection({ filterKey, rows: next });
  };
  const clearSelection = () => setSelection({ filterKey, rows: new Map() });
  const versions = new Map([...selectedRows].map(([id, row]) => [id, row.version]));
  const titles = new Map([...selectedRows].map(([id, row]) => [id, row.title]));

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
          action={<Button onClick={() => navigate(paths.opportunityList())}>{t("filters.clearAll")}</Button>}
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
          onSort={(column, shift) => {
            setSort(nextSort(sort, column, shift));
            setPage(1);
          }}
          selected={versions}
          onSelect={select}
          busy={list.isFetching}
          lookups={lookups}
        />
        <footer className="pl-footer">
          <dl className="pl-totals" data-testid="list-totals" aria-label={t("totals.label")}>
            <div>
              <dt>{t("totals.count")}</dt>
              <dd data-testid="totals-count">{n(data.totals.count)}</dd>
            </div>
            <div>
              <dt>{t("totals.estimated")}</dt>
              <dd>{money(data.totals.estimated)}</dd>
            </div>
            <div>
              <dt>{t("totals.expected")}</dt>
              <dd>{money(data.totals.expected)}</dd>
            </div>
            <div>
              <dt>{t("totals.realized")}</dt>
              <dd>{money(data.totals.realized)}</dd>
            </div>
          </dl>
          <nav className="pager" aria-label={t("paging.label")}>
            <span className="pager__range">{t("paging.range", { from: n(from), to: n(to), total: n(total) })}</span>
            <span className="pager__page">{t("paging.page", { page: n(currentPage), pages: n(pages) })}</span>
            <Button size="sm" onClick={() => setPage(Math.max(1, currentPage - 1))} disabled={currentPage <= 1} data-testid="page-previous">
              {t("paging.previous")}
            </Button>
            <Button size="sm" onClick={() => setPage(Math.min(pages, currentPage + 1))} disabled={currentPage >= pages} data-testid="page-next">
              {t("paging.next")}
            </Button>
          </nav>
        </footer>
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
