import { useTranslation } from "react-i18next";
import type { CampaignSummary, CustomFieldDef, FieldChange, OpportunityDetail, Stage, SystemItem, SystemListKey, UserSummary } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Dialog } from "../../components/Dialog";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { formatDate, formatDateTime, formatMoney, formatNumber, type Lang } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import { customFieldTitle } from "./CustomFields";
import { FIELD_LABEL_KEYS, type LabelledField } from "./labels";
import { useRecordChanges } from "./queries";

export type ChangeLookups = {
  users: readonly UserSummary[];
  stages: readonly Stage[];
  campaigns: readonly CampaignSummary[];
  systemItems: Partial<Record<SystemListKey, readonly SystemItem[]>>;
  customFields: readonly CustomFieldDef[];
  detail: OpportunityDetail;
};

const LIST_OF: Partial<Record<string, SystemListKey>> = {
  typeId: "opportunity_type",
  sourceId: "source",
  winReasonId: "win_reason",
  lossReasonId: "loss_reason",
  purchaseProcessId: "purchase_process",
};

type Render = { lang: Lang; calendar: "jalali" | "gregorian"; currency: string; yes: string; no: string; count: (n: number) => string };

/** A logged value in words: ids become titles, dates and money are formatted, never raw JSON. */
export function describeChangeValue(field: string, raw: unknown, lookups: ChangeLookups, r: Render): string {
  if (raw === null || raw === undefined || raw === "") return "—";
  const asId = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : null;
  const list = LIST_OF[field];
  if (list && asId !== null) {
    const item = lookups.systemItems[list]?.find((i) => i.id === asId);
    if (item) return localTitle(item, r.lang);
  }
  if (field === "assignedUserId" && asId !== null) {
    const user = lookups.users.find((u) => u.id === asId);
    if (user) return user.displayName;
  }
  if (field === "stageId" && asId !== null) {
    const stage = lookups.stages.find((s) => s.id === asId);
    if (stage) return localTitle(stage, r.lang);
  }
  if (field === "campaignId" && asId !== null) {
    const campaign = lookups.campaigns.find((c) => c.id === asId);
    if (campaign) return campaign.name;
  }
  if (field === "identityId" && asId === lookups.detail.identityId) return lookups.detail.identityName;
  if ((field === "closeDate" || field === "wonOn" || field === "lostOn") && typeof raw === "string") return formatDate(raw, r.calendar, r.lang);
  if (field === "estimatedAmount") return formatMoney(String(raw), r.lang, { currency: r.currency });
  if (field === "probability") return `${formatNumber(String(raw), r.lang)}${r.lang === "fa" ? "٪" : "%"}`;
  if (field === "competitors" && Array.isArray(raw)) {
    const names = raw.map((id) => lookups.detail.competitors.find((c) => c.competitorId === id)?.name);
    if (names.length === 0) return "—";
    return names.every((n) => n !== undefined) ? names.join(r.lang === "fa" ? "، " : ", ") : r.count(raw.length);
  }
  const custom = /^customFields\.(\d+)$/.exec(field);
  if (custom) {
    const def = lookups.customFields.find((d) => d.id === Number(custom[1]));
    const text = String(raw);
    switch (def?.fieldType) {
      case "yes_no":
        return text === "true" ? r.yes : text === "false" ? r.no : text;
      case "choice": {
        const o = def.options.find((x) => x.key === text);
        return o ? (r.lang === "fa" ? o.fa : o.en) || o.fa || o.en : text;
      }
      case "money":
        return formatMoney(text, r.lang, { currency: r.currency });
      case "number":
        return formatNumber(text, r.lang);
      case "date":
        return formatDate(text, r.calendar, r.lang);
      case "user":
        return lookups.users.find((u) => String(u.id) === text)?.displayName ?? text;
      default:
        return text;
    }
  }
  if (typeof raw === "number") return formatNumber(raw, r.lang);
  if (typeof raw === "boolean") return raw ? r.yes : r.no;
  if (typeof raw === "string") return raw;
  if (Array.isArray(raw)) return r.count(raw.length);
  return "—";
}

export type ChangesPanelProps = {
  open: boolean;
  onClose: () => void;
  lookups: ChangeLookups;
};

/** The Changes side panel: who changed what, when, from what to what. */
export function ChangesPanel({ open, onClose, lookups }: ChangesPanelProps) {
  const { t } = useTranslation("opportunity");
  return (
    <Dialog open={open} onClose={onClose} title={t("changes.title")} variant="panel" testId="changes-panel">
      <ChangesList lookups={lookups} />
    </Dialog>
  );
}

function ChangesList({ lookups }: { lookups: ChangeLookups }) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { language, calendar, currencyCode } = useAppSettings();
  const changes = useRecordChanges(lookups.detail.id, true);
  const r: Render = {
    lang: language,
    calendar,
    currency: currencyCode,
    yes: tc("yes"),
    no: tc("no"),
    count: (n) => t("changes.items", { count: n, n: formatNumber(n, language) }),
  };
  const fieldLabel = (c: FieldChange) => {
    const custom = /^customFields\.(\d+)$/.exec(c.field);
    if (custom) {
      const def = lookups.customFields.find((d) => d.id === Number(custom[1]));
      return def ? customFieldTitle(def, language) : t("changes.removedField");
    }
    const key = FIELD_LABEL_KEYS[c.field as LabelledField];
    return key ? t(key) : c.field;
  };
  const who = (userId: number | null) => (userId === null ? t("changes.system") : (lookups.users.find((u) => u.id === userId)?.displayName ?? t("changes.unknownUser")));

  let body;
  if (changes.isPending) body = <Loading />;
  else if (changes.isError) body = <ErrorState error={changes.error} title={t("changes.loadError")} onRetry={() => void changes.refetch()} />;
  else if (changes.data.length === 0) body = <EmptyState title={t("changes.empty")} />;
  else
    body = (
      <ol className="changes">
        {changes.data.map((entry, i) => (
          <li key={`${entry.at}-${i}`} className="changes__entry">
            <p className="changes__head">
              <strong>{t(`changes.action.${entry.action}`)}</strong> · {who(entry.userId)} · <span className="muted">{formatDateTime(entry.at, calendar, language)}</span>
            </p>
            {entry.changes.length > 0 ? (
              <ul className="changes__fields">
                {entry.changes.map((c) => (
                  <li key={c.field}>
                    <span className="changes__field">{fieldLabel(c)}:</span>{" "}
                    {entry.action === "create" ? null : (
                      <>
                        <span className="changes__old">{describeChangeValue(c.field, c.old, lookups, r)}</span>
                        <span aria-hidden="true"> {language === "fa" ? "←" : "→"} </span>
                        <span className="visually-hidden"> {t("changes.to")} </span>
                      </>
                    )}
                    <span className="changes__new">{describeChangeValue(c.field, c.new, lookups, r)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    );
  return <div className="form__scroll">{body}</div>;
}
