import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Activity, ActivityQuery, ActivityStatus } from "../../lib/types";
import { paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Field, Segmented } from "../../components/Field";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { describeError } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import { ActivityDialog } from "./ActivityDialog";
import type { ActivityPreset } from "./activityModel";
import { useDueText } from "./labels";
import { useActivities, useDeleteActivity, useExportActivities, useFinishActivity } from "./queries";
import "./activities.css";

export type ActivitiesSectionProps = {
  /** An opportunity's activities; without it, the identity's (on it and on its opportunities). */
  opportunityId?: number;
  identityId: number;
};

type StatusFilter = "planned" | "done" | "all";

const STATUSES_OF: Record<StatusFilter, ActivityStatus[]> = {
  planned: ["planned"],
  done: ["done"],
  all: [],
};

type Editing = { activity: Activity | null; preset?: ActivityPreset };

/** The activities of a record's Records tab: the list, its filter, quick actions and export. */
export function ActivitiesSection({ opportunityId, identityId }: ActivitiesSectionProps) {
  const { t } = useTranslation("activities");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const headingId = useId();
  const dueText = useDueText();
  const [filter, setFilter] = useState<StatusFilter>("all");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [finishing, setFinishing] = useState<Activity | null>(null);
  const [deleting, setDeleting] = useState<Activity | null>(null);

  const onOpportunity = opportunityId !== undefined;
  const query: ActivityQuery = onOpportunity ? { opportunityId, statuses: STATUSES_OF[filter] } : { identityId, statuses: STATUSES_OF[filter] };
  const activities = useActivities(query);
  const exporting = useExportActivities();
  const remove = useDeleteActivity();

  const doExport = () => {
    exporting.mutate(
      { query, language },
      {
        // null: the save dialog was closed, nothing was written.
        onSuccess: (result) => {
          if (result) toast.show(t("export.saved", { rows: formatNumber(result.rows, language), path: result.path }), "success");
        },
        onError: (error) => toast.show(t("export.failed", { reason: describeError(error, tc) }), "error"),
      },
    );
  };

  const doDelete = () => {
    if (!deleting) return;
    const target = deleting;
    remove.mutate(target.id, {
      onSuccess: () => {
        setDeleting(null);
        toast.show(t("delete.deleted", { subject: target.subject }), "success");
      },
      onError: (error) => {
        setDeleting(null);
        toast.show(describeError(error, tc), "error");
      },
    });
  };

  let body;
  if (activities.isPending) body = <Loading label={t("section.loading")} />;
  else if (activities.isError)
    body = <ErrorState error={activities.error} title={t("section.loadError")} onRetry={() => void activities.refetch()} />;
  else if (activities.data.length === 0)
    body = <EmptyState title={t("section.emptyTitle")} body={filter === "planned" ? t("section.emptyPlanned") : filter === "done" ? t("section.emptyDone") : t("section.emptyBody")} />;
  else
    body = (
      <div className="table-wrap activities-table-wrap">
        <table className="table table--compact activities-table" data-testid="activities-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t("columns.kind")}</th>
              <th scope="col">{t("columns.subject")}</th>
              {onOpportunity ? null : <th scope="col">{t("columns.opportunity")}</th>}
              <th scope="col">{t("columns.assigned")}</th>
              <th scope="col">{t("columns.due")}</th>
              <th scope="col">{t("columns.status")}</th>
              <th scope="col">{t("columns.outcome")}</th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">{t("columns.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {activities.data.map((a) => (
              <tr key={a.id} data-testid={`activity-row-${a.id}`} data-status={a.status} data-kind={a.kind}>
                <td>
                  <span className={`activity-kind activity-kind--${a.kind}`}>{t(`kind.${a.kind}`)}</span>
                  {a.kind === "call" && a.direction ? <span className="muted activity-kind__detail">{t(`direction.${a.direction}`)}</span> : null}
                </td>
                <td className="activities-table__wrap">{a.subject}</td>
                {onOpportunity ? null : (
                  <td className="activities-table__wrap">
                    {a.opportunityId !== null ? <a href={paths.opportunity(a.opportunityId)}>{a.opportunityTitle ?? t("unknownOpportunity")}</a> : <span className="muted">—</span>}
                  </td>
                )}
                <td>{a.assignedUserName ?? <span className="muted">{t("nobody")}</span>}</td>
                <td className="col-number">
                  {a.dueOn ? <bdi>{dueText(a)}</bdi> : <span className="muted">—</span>}
                  {a.overdue ? (
                    <span className="badge badge--overdue activity-overdue" data-testid={`activity-overdue-${a.id}`}>
                      {t("overdue")}
                    </span>
                  ) : null}
                </td>
                <td>
                  <span className={`activity-status activity-status--${a.status}`}>{t(`status.${a.status}`)}</span>
                </td>
                <td className="activities-table__wrap activities-table__outcome">
                  {a.kind === "call" && a.callResult ? <span className="muted">{t(`callResult.${a.callResult}`)} </span> : null}
                  {a.outcome ?? (a.callResult ? null : <span className="muted">—</span>)}
                </td>
                <td className="col-actions">
                  <div className="activities-table__actions">
                    {a.status === "planned" ? (
                      <Button size="sm" onClick={() => setFinishing(a)} data-testid={`activity-done-${a.id}`} aria-label={t("actions.doneLabel", { subject: a.subject })}>
                        {t("actions.done")}
                      </Button>
                    ) : null}
                    <Button size="sm" variant="ghost" onClick={() => setEditing({ activity: a })} data-testid={`activity-edit-${a.id}`} aria-label={t("actions.editLabel", { subject: a.subject })}>
                      {t("actions.edit")}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setDeleting(a)} data-testid={`activity-delete-${a.id}`} aria-label={t("actions.deleteLabel", { subject: a.subject })}>
                      {tc("actions.delete")}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section className="records-tab__section activities-section" aria-labelledby={headingId} data-testid="activities-section">
      <h2 className="form__section-title" id={headingId}>
        {t("section.title")}
      </h2>
      <div className="toolbar activities-toolbar">
        <Button variant="primary" onClick={() => setEditing({ activity: null, preset: "followup" })} data-testid="activity-add">
          {t("actions.followup")}
        </Button>
        <Button onClick={() => setEditing({ activity: null, preset: "call" })} data-testid="activity-add-call">
          {t("actions.call")}
        </Button>
        <Button onClick={() => setEditing({ activity: null, preset: "meeting" })} data-testid="activity-add-meeting">
          {t("actions.meeting")}
        </Button>
        <Button onClick={() => setEditing({ activity: null, preset: "note" })} data-testid="activity-add-note">
          {t("actions.note")}
        </Button>
        <span className="activities-toolbar__spacer" />
        <Segmented
          legend={t("section.filter")}
          hideLegend
          name={`${headingId}-status`}
          value={filter}
          onChange={setFilter}
          testId="activities-filter"
          options={[
            { value: "planned", label: t("section.filterPlanned") },
            { value: "done", label: t("section.filterDone") },
            { value: "all", label: t("section.filterAll") },
          ]}
        />
        <Button variant="ghost" onClick={doExport} busy={exporting.isPending} data-testid="activities-export">
          {t("actions.export")}
        </Button>
      </div>
      {body}

      <ActivityDialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        activity={editing?.activity ?? null}
        preset={editing?.preset}
        opportunityId={opportunityId ?? null}
        identityId={identityId}
      />
      <FinishDialog activity={finishing} onClose={() => setFinishing(null)} />
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t("delete.title")}
        variant="modal"
        testId="activity-delete-dialog"
        footer={
          <div className="dialog__actions">
            <Button variant="danger" onClick={doDelete} busy={remove.isPending} data-testid="activity-delete-confirm">
              {tc("actions.delete")}
            </Button>
            <Button variant="ghost" onClick={() => setDeleting(null)} data-autofocus>
              {tc("actions.cancel")}
            </Button>
          </div>
        }
      >
        <div className="form__scroll">
          <p>{t("delete.body", { subject: deleting?.subject ?? "" })}</p>
        </div>
      </Dialog>
    </section>
  );
}

/** Marks a planned activity done, asking what came of it (or cancels it). */
function FinishDialog({ activity, onClose }: { activity: Activity | null; onClose: () => void }) {
  const { t } = useTranslation("activities");
  return (
    <Dialog open={activity !== null} onClose={onClose} title={t("finish.title")} variant="modal" testId="activity-finish-dialog" className="activity-finish-dialog">
      {activity ? <FinishForm activity={activity} onClose={onClose} /> : null}
    </Dialog>
  );
}

function FinishForm({ activity, onClose }: { activity: Activity; onClose: () => void }) {
  const { t } = useTranslation("activities");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const finish = useFinishActivity();
  const [outcome, setOutcome] = useState(activity.outcome ?? "");
  const [error, setError] = useState<string | null>(null);

  const run = (status: "done" | "cancelled") => {
    if (finish.isPending) return;
    setError(null);
    finish.mutate(
      { activity, status, outcome: outcome.trim() === "" ? null : outcome.trim() },
      {
        onSuccess: (saved) => {
          toast.show(t(status === "done" ? "finish.done" : "finish.cancelled", { subject: saved.subject }), "success");
          onClose();
        },
        onError: (e) => setError(describeError(e, tc)),
      },
    );
  };

  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        run("done");
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          run("done");
        }
      }}
    >
      <div className="form__scroll">
        {error ? (
          <div className="form-alert" role="alert">
            <p>{error}</p>
          </div>
        ) : null}
        <p className="activity-finish__subject">{t("finish.body", { subject: activity.subject })}</p>
        <Field label={t("finish.outcome")}>
          {(p) => <textarea {...p} className="input" rows={3} data-field="outcome" data-autofocus value={outcome} onChange={(e) => setOutcome(e.target.value)} />}
        </Field>
      </div>
      <div className="form__footer">
        <Button type="submit" variant="primary" busy={finish.isPending} data-testid="activity-finish-confirm" shortcut="Ctrl+Enter" aria-keyshortcuts="Control+Enter">
          {t("finish.confirm")}
        </Button>
        <Button onClick={() => run("cancelled")} disabled={finish.isPending} data-testid="activity-finish-cancelled">
          {t("finish.markCancelled")}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
