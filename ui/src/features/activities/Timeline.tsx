import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TimelineItem, TimelineKind } from "../../lib/types";
import { paths } from "../../app/router";
import { useAppSettings, useMoney } from "../../app/settings";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatDateTime, toLocalDigits } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import { useStages } from "../../shared/lookups";
import { FIELD_LABEL_KEYS, type LabelledField } from "../opportunities/labels";
import { useTimeline } from "./queries";
import "./activities.css";

export type TimelineProps = {
  /** An opportunity's timeline; without it, the identity's (it and its opportunities). */
  opportunityId?: number;
  identityId?: number;
};

export const TIMELINE_KINDS: readonly TimelineKind[] = ["activity", "comment", "stage", "change", "financial"];

/** Identity fields (and opportunity parts without a numbered field) the change entries may name. */
const OTHER_FIELDS = new Set([
  "kind",
  "prefixId",
  "firstName",
  "lastName",
  "organizationName",
  "displayName",
  "nationalCode",
  "economicCode",
  "isCustomer",
  "isCompetitor",
  "isSupplier",
  "sourceId",
  "campaignId",
  "responsibleUserId",
  "notes",
  "phones",
  "emails",
  "addresses",
  "lines",
  "customFields",
]);

/**
 * What happened to a record, newest first: activities, comments, stage moves, field
 * changes and financial records, each kind shown or hidden with its chip.
 */
export function Timeline({ opportunityId, identityId }: TimelineProps) {
  const { t } = useTranslation("activities");
  const headingId = useId();
  const [shown, setShown] = useState<readonly TimelineKind[]>(TIMELINE_KINDS);
  // Every kind shown: none named (the backend then sends all of them).
  const kinds = shown.length === TIMELINE_KINDS.length ? [] : [...shown];
  const timeline = useTimeline(opportunityId !== undefined ? { opportunityId, kinds } : { identityId: identityId ?? null, kinds }, shown.length > 0);

  const toggle = (kind: TimelineKind) => setShown((list) => (list.includes(kind) ? list.filter((k) => k !== kind) : TIMELINE_KINDS.filter((k) => k === kind || list.includes(k))));

  let body;
  if (shown.length === 0) body = <p className="muted">{t("timeline.emptyFiltered")}</p>;
  else if (timeline.isPending) body = <Loading label={t("timeline.loading")} />;
  else if (timeline.isError) body = <ErrorState error={timeline.error} title={t("timeline.loadError")} onRetry={() => void timeline.refetch()} />;
  else {
    const items = timeline.data.filter((item) => shown.includes(item.kind));
    if (items.length === 0)
      body = kinds.length === 0 ? <EmptyState title={t("timeline.emptyTitle")} body={t("timeline.empty")} /> : <p className="muted">{t("timeline.emptyFiltered")}</p>;
    else
      body = (
        <ol className="timeline__list">
          {items.map((item, i) => (
            <TimelineEntry key={`${item.kind}-${item.at}-${i}`} item={item} showOpportunity={opportunityId === undefined} />
          ))}
        </ol>
      );
  }

  return (
    <section className="records-tab__section timeline" aria-labelledby={headingId} data-testid="timeline">
      <h2 className="form__section-title" id={headingId}>
        {t("timeline.title")}
      </h2>
      <div className="timeline__chips" role="group" aria-label={t("timeline.filters")}>
        {TIMELINE_KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            className="timeline__chip"
            aria-pressed={shown.includes(kind)}
            onClick={() => toggle(kind)}
            data-testid={`timeline-kind-${kind}`}
          >
            {t(`timeline.kind.${kind}`)}
          </button>
        ))}
      </div>
      {body}
    </section>
  );
}

function TimelineEntry({ item, showOpportunity }: { item: TimelineItem; showOpportunity: boolean }) {
  const { t } = useTranslation("activities");
  const { language, calendar } = useAppSettings();
  const sentence = useSentence();
  return (
    <li className={`timeline__item timeline__item--${item.kind}`} data-testid="timeline-item" data-kind={item.kind}>
      <span className="timeline__dot" aria-hidden="true" />
      <div className="timeline__content">
        <div className="timeline__meta">
          <time dateTime={item.at} className="timeline__time">
            <bdi>{formatDateTime(item.at, calendar, language)}</bdi>
          </time>
          <span className="timeline__user">{item.userName ?? t("timeline.system")}</span>
          {showOpportunity && item.opportunityId !== null ? (
            <a className="timeline__opportunity" href={paths.opportunity(item.opportunityId)}>
              {item.opportunityTitle ?? t("unknownOpportunity")}
            </a>
          ) : null}
        </div>
        <p className="timeline__text">{sentence(item)}</p>
      </div>
    </li>
  );
}

/** The one sentence that tells an entry. */
function useSentence(): (item: TimelineItem) => string {
  const { t } = useTranslation("activities");
  const { t: to } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const money = useMoney();
  const stages = useStages(true);
  const separator = language === "fa" ? "، " : ", ";

  const stageTitle = (id: number | null) => {
    const stage = id === null ? undefined : stages.data?.find((s) => s.id === id);
    return stage ? localTitle(stage, language) : t("timeline.unknownStage");
  };
  const fieldLabel = (field: string) => {
    if (field in FIELD_LABEL_KEYS) return to(FIELD_LABEL_KEYS[field as LabelledField]);
    const base = field.startsWith("customFields.") ? "customFields" : field;
    return OTHER_FIELDS.has(base) ? t(`changeFields.${base}` as "changeFields.notes") : field;
  };

  return (item) => {
    switch (item.kind) {
      case "activity": {
        const a = item.activity;
        if (!a) return t("timeline.kind.activity");
        return t("timeline.activity", { kind: t(`kind.${a.kind}`), subject: a.subject, status: t(`status.${a.status}`) });
      }
      case "comment":
        return t("timeline.comment", { body: item.comment?.body ?? "" });
      case "stage":
        return item.fromStageId === null ? t("timeline.stageStart", { to: stageTitle(item.toStageId) }) : t("timeline.stage", { from: stageTitle(item.fromStageId), to: stageTitle(item.toStageId) });
      case "change": {
        const entity = t(item.changeEntity === "identity" ? "timeline.entity.identity" : "timeline.entity.opportunity");
        const change = item.change;
        if (change?.action === "create") return t("timeline.created", { entity });
        if (change?.action === "delete") return t("timeline.deleted", { entity });
        const fields = [...new Set((change?.changes ?? []).map((c) => fieldLabel(c.field)))];
        return t("timeline.changed", { entity, fields: fields.join(separator) });
      }
      case "financial": {
        const r = item.record;
        if (!r) return t("timeline.kind.financial");
        const kind = tc(`recordKind.${r.kind}`);
        const amount = money(r.amount);
        return r.number ? t("timeline.financial", { kind, number: toLocalDigits(r.number, language), amount }) : t("timeline.financialNoNumber", { kind, amount });
      }
    }
  };
}
