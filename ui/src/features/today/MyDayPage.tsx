// "My day" (#/today): what needs the signed-in user today, in four parts: planned
// activities past their due day, those due today, their open opportunities with no
// planned activity ("no next step", with the list filtered to them), and those that
// close this week. A row opens its record; an activity can be marked done at once.

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { commands, describeError, unwrap } from "../../lib/api";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import type { FollowUpActivity, OpportunityBrief } from "../../lib/types";
import { localTitle } from "../../lib/titles";
import { useStages } from "../../shared/lookups";
import { activityHash } from "../bell/reminderLogic";
import { bellKeys, useFinishActivity } from "../bell/queries";
import { dueLabel, dueTimeLabel } from "../bell/reminderLogic";
import "./today.css";

export function useMyDay() {
  return useQuery({ queryKey: bellKeys.myDay, queryFn: () => unwrap(commands.myDay()), staleTime: 0 });
}

/** The opportunity list's address of the open opportunities without a next step. */
export const NO_NEXT_STEP_LIST = paths.opportunityList("nostep=1");

export function MyDayPage() {
  const { t } = useTranslation("followup");
  const { language, calendar } = useAppSettings();
  const day = useMyDay();

  let body: ReactNode;
  if (day.isPending) body = <Loading />;
  else if (day.isError && !day.data) body = <ErrorState error={day.error} title={t("myDay.loadError")} onRetry={() => void day.refetch()} />;
  else {
    const d = day.data;
    body = (
      <div className="myday">
        <Part testId="my-day-overdue" title={t("myDay.overdue")} count={d.overdue.length} tone="danger">
          <ActivityList activities={d.overdue} empty={t("myDay.noOverdue")} withDay />
        </Part>
        <Part testId="my-day-today" title={t("myDay.today")} count={d.dueToday.length}>
          <ActivityList activities={d.dueToday} empty={t("myDay.noToday")} />
        </Part>
        <Part
          testId="my-day-no-step"
          title={t("myDay.noStep")}
          hint={t("myDay.noStepHint")}
          count={d.withoutNextStepCount}
          action={
            d.withoutNextStepCount > 0 ? (
              <a className="btn btn--ghost btn--sm" href={NO_NEXT_STEP_LIST} data-testid="my-day-no-step-all">
                {t("myDay.showAll", { n: formatNumber(d.withoutNextStepCount, language) })}
              </a>
            ) : null
          }
        >
          <OpportunityList opportunities={d.withoutNextStep} empty={t("myDay.noNoStep")} />
        </Part>
        <Part testId="my-day-closing" title={t("myDay.closing")} hint={t("myDay.closingHint", { date: formatDate(d.weekEnd, calendar, language) })} count={d.closingThisWeek.length}>
          <OpportunityList opportunities={d.closingThisWeek} empty={t("myDay.noClosing")} />
        </Part>
      </div>
    );
  }

  return (
    <div className="page" data-testid="my-day">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t("myDay.title")}</h1>
          {day.data ? <p className="page__subtitle">{t("myDay.subtitle", { date: formatDate(day.data.today, calendar, language) })}</p> : null}
        </div>
      </header>
      <div className="page__body">
        {day.isError && day.data ? <ErrorState error={day.error} title={t("myDay.loadError")} onRetry={() => void day.refetch()} /> : null}
        {body}
      </div>
    </div>
  );
}

type PartProps = { testId: string; title: string; hint?: string; count: number; tone?: "danger"; action?: ReactNode; children: ReactNode };

function Part({ testId, title, hint, count, tone, action, children }: PartProps) {
  const { language } = useAppSettings();
  const id = `${testId}-title`;
  return (
    <section className="card myday__part" aria-labelledby={id} data-testid={testId}>
      <header className="myday__head">
        <h2 className="myday__title" id={id}>
          {title}
          <span className={tone === "danger" && count > 0 ? "myday__count is-danger" : "myday__count"} data-testid={`${testId}-count`}>
            {formatNumber(count, language)}
          </span>
        </h2>
        {action}
      </header>
      {hint ? <p className="myday__hint muted">{hint}</p> : null}
      {children}
    </section>
  );
}

function ActivityList({ activities, empty, withDay = false }: { activities: FollowUpActivity[]; empty: string; withDay?: boolean }) {
  if (activities.length === 0) return <p className="myday__none muted">{empty}</p>;
  return (
    <ul className="myday__list">
      {activities.map((a) => (
        <ActivityRow key={a.id} activity={a} withDay={withDay} />
      ))}
    </ul>
  );
}

function ActivityRow({ activity: a, withDay }: { activity: FollowUpActivity; withDay: boolean }) {
  const { t } = useTranslation("followup");
  const { t: tc } = useTranslation();
  const { language, calendar } = useAppSettings();
  const toast = useToast();
  const finish = useFinishActivity();
  const when = withDay ? dueLabel(a, calendar, language) : dueTimeLabel(a, language);
  const where = [a.opportunityTitle, a.identityName].filter(Boolean).join(" · ");
  const open = () => navigate(activityHash(a));
  return (
    <li className="myday__row" data-testid={`my-day-activity-${a.id}`} onClick={open}>
      <button type="button" className="myday__open" onClick={(e) => {
        e.stopPropagation();
        open();
      }} aria-label={t("actions.openNamed", { name: a.subject })}>
        <span className="myday__kind">{t(`kinds.${a.kind}`)}</span>
        <span className="myday__main">
          <span className="myday__name">{a.subject}</span>
          {where ? <span className="myday__where muted">{where}</span> : null}
        </span>
        {when ? <span className={withDay ? "myday__when is-overdue" : "myday__when muted"}>{when}</span> : null}
      </button>
      <Button
        size="sm"
        busy={finish.isPending}
        onClick={(e) => {
          e.stopPropagation();
          finish.mutate(a, {
            onSuccess: () => toast.show(t("actions.doneToast", { name: a.subject }), "success"),
            onError: (error) => toast.show(describeError(error, tc), "error"),
          });
        }}
        aria-label={t("actions.doneNamed", { name: a.subject })}
        data-testid={`my-day-done-${a.id}`}
      >
        {t("actions.done")}
      </Button>
    </li>
  );
}

function OpportunityList({ opportunities, empty }: { opportunities: OpportunityBrief[]; empty: string }) {
  const { t } = useTranslation("followup");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const stages = useStages(true);
  if (opportunities.length === 0) return <p className="myday__none muted">{empty}</p>;
  const stageName = (id: number) => {
    const stage = stages.data?.find((s) => s.id === id);
    return stage ? localTitle(stage, language) : "";
  };
  return (
    <ul className="myday__list">
      {opportunities.map((o) => (
        <li key={o.id} className="myday__row">
          <button type="button" className="myday__open" onClick={() => navigate(paths.opportunity(o.id))} data-testid={`my-day-opportunity-${o.id}`}>
            <span className="myday__main">
              <span className="myday__name">{o.title}</span>
              <span className="myday__where muted">{[o.identityName, stageName(o.stageId)].filter(Boolean).join(" · ")}</span>
            </span>
            <span className="myday__figures">
              <span className="myday__amount">{formatMoney(o.estimatedAmount, language, { currency: currencyCode, decimals: currencyDecimals })}</span>
              <span className="myday__when muted">{o.closeDate ? t("myDay.closes", { date: formatDate(o.closeDate, calendar, language) }) : t("myDay.noCloseDate")}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
