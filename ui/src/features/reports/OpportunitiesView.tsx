import { useTranslation } from "react-i18next";
import type { ListPage, ReportFilter } from "../../lib/types";
import { nextSort } from "../pipeline/columns";
import { ListFooter } from "../pipeline/ListFooter";
import { useLookups } from "../pipeline/lookups";
import { OpportunityTable } from "../pipeline/OpportunityTable";
import { ExportButton } from "../transfer/ExportButton";
import { opportunityListHash } from "./navigation";
import { REPORT_PAGE_SIZE, type OpportunitiesReport } from "./opportunitiesReport";
import { REPORT_COLUMNS } from "./opportunityFilter";
import { ReportCard } from "./ReportCard";
import "../pipeline/pipeline.css";

export type OpportunitiesViewProps = {
  data: ListPage;
  report: OpportunitiesReport;
  filter: ReportFilter;
  busy: boolean;
};

/** Report 8: the filtered opportunities with the source document's columns, their totals, and CSV / XLSX export. */
export function OpportunitiesView({ data, report, filter, busy }: OpportunitiesViewProps) {
  const { t } = useTranslation("reports");
  const lookups = useLookups();
  const { request } = report;
  const columns = [...REPORT_COLUMNS];
  return (
    <div className="report-cards">
      <ReportCard
        title={t("opportunities.title")}
        subtitle={t("opportunities.subtitle")}
        testId="report-opportunities"
        layout="stacked"
        tools={
          <>
            <a className="btn btn--sm btn--ghost" href={opportunityListHash(filter)} data-testid="report-opportunities-list-link">
              {t("opportunities.openList")}
            </a>
            <ExportButton filter={request.filter} sort={request.sort} columns={columns} />
          </>
        }
      >
        <OpportunityTable
          wide
          rows={data.page.items}
          columns={columns}
          sort={request.sort}
          onSort={(column, shift) => report.setSort(nextSort(request.sort, column, shift))}
          busy={busy}
          lookups={lookups}
        />
        <ListFooter totals={data.totals} page={data.page.page} rowsOnPage={data.page.items.length} pageSize={REPORT_PAGE_SIZE} onPage={report.setPage} />
      </ReportCard>
    </div>
  );
}
