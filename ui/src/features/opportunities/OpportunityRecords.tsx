import { useTranslation } from "react-i18next";
import type { OpportunityDetail, RecordRow, Stage } from "../../lib/types";
import { navigate, paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatDateTime } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import { ActivitiesSection } from "../activities/ActivitiesSection";
import { Timeline } from "../activities/Timeline";
import { NewRecordButtons } from "../financial/NewRecordButtons";
import { RecordsTable } from "../records/RecordsTable";
import { useOpportunityRecords } from "./queries";

/** The opportunity's Records tab: its activities, its child records, its stage history, then its timeline. */
export function OpportunityRecords({ detail, stages }: { detail: OpportunityDetail; stages: readonly Stage[] }) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { language, calendar } = useAppSettings();
  const records = useOpportunityRecords(detail.id);
  const stageTitle = (id: number | null) => {
    if (id === null) return "—";
    const stage = stages.find((s) => s.id === id);
    return stage ? localTitle(stage, language) : t("history.unknownStage");
  };
  const open = (row: RecordRow) => navigate(row.kind === "opportunity" ? paths.opportunity(row.id) : paths.record(row.id));

  let body;
  if (records.isPending) body = <Loading />;
  else if (records.isError) body = <ErrorState error={records.error} title={tc("records.loadError")} onRetry={() => void records.refetch()} />;
  else if (records.data.length === 0) body = <EmptyState title={t("records.emptyTitle")} body={t("records.emptyBody")} />;
  else body = <RecordsTable rows={records.data} stages={stages} onOpen={open} testId="opportunity-records" />;

  const history = [...detail.stageHistory].sort((a, b) => b.changedAt.localeCompare(a.changedAt));
  return (
    <div className="records-tab">
      <ActivitiesSection opportunityId={detail.id} identityId={detail.identityId} />
      <section aria-labelledby="opp-child-records" className="records-tab__section">
        <h2 className="form__section-title" id="opp-child-records">
          {t("records.title")}
        </h2>
        <div className="toolbar">
          <NewRecordButtons identityId={detail.identityId} opportunityId={detail.id} />
        </div>
        {body}
      </section>
      <section aria-labelledby="opp-stage-history" className="records-tab__section">
        <h2 className="form__section-title" id="opp-stage-history">
          {t("history.title")}
        </h2>
        {history.length === 0 ? (
          <p className="muted">{t("history.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="stage-history">
              <thead>
                <tr>
                  <th scope="col">{t("history.from")}</th>
                  <th scope="col">{t("history.to")}</th>
                  <th scope="col">{t("history.when")}</th>
                  <th scope="col">{t("history.who")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h, i) => (
                  <tr key={`${h.changedAt}-${i}`}>
                    <td>{h.fromStageId === null ? <span className="muted">{t("history.start")}</span> : stageTitle(h.fromStageId)}</td>
                    <td>{stageTitle(h.toStageId)}</td>
                    <td className="col-number">{formatDateTime(h.changedAt, calendar, language)}</td>
                    <td>{h.changedBy ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Timeline opportunityId={detail.id} />
    </div>
  );
}
