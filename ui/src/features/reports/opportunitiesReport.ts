// The opportunities report's query, kept with the page (not with its lazily loaded
// view) so that the list is asked for while the view loads.

import { useState } from "react";
import type { ListRequest, ReportFilter, SortKey } from "../../lib/types";
import { useOpportunityList } from "../pipeline/queries";
import { toOpportunityFilter } from "./opportunityFilter";

export const REPORT_PAGE_SIZE = 50;

/** The opportunities report's query, with its sort and page (a new filter starts again at page 1). */
export function useOpportunitiesReport(filter: ReportFilter, enabled: boolean) {
  const [sort, setSortState] = useState<SortKey[]>([]);
  const filterKey = JSON.stringify(filter);
  const [paging, setPaging] = useState({ filterKey, page: 1 });
  const page = paging.filterKey === filterKey ? paging.page : 1;
  const request: ListRequest = { filter: toOpportunityFilter(filter), sort, page, pageSize: REPORT_PAGE_SIZE };
  const query = useOpportunityList(request, enabled);
  return {
    query,
    request,
    setPage: (next: number) => setPaging({ filterKey, page: next }),
    setSort: (next: SortKey[]) => {
      setSortState(next);
      setPaging({ filterKey, page: 1 });
    },
  };
}

export type OpportunitiesReport = ReturnType<typeof useOpportunitiesReport>;

