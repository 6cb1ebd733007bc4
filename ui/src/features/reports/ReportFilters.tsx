import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { DateInput } from "../../components/DateInput";
import { Field } from "../../components/Field";
import { formatDate } from "../../lib/format";
import { localTitle, localName } from "../../lib/titles";
import { useAllSystemItems, useAllUsers, useCampaigns, usePipelines } from "../../shared/lookups";
import { DEFAULT_FILTERS, isFiltered, type ReportFilterState } from "./filters";
import { PERIOD_PRESETS, isPeriodPreset } from "./periods";

type Option = { value: number; label: string };

export type ReportFiltersProps = {
  value: ReportFilterState;
  onChange: (next: ReportFilterState) => void;
  /** The dates the chosen period covers, shown under it. */
  from: string | null;
  to: string | null;
  invalid: boolean;
};

/** The filters bar: period (presets in the calendar of the setting, or a custom range), user, type, source, campaign. */
export function ReportFilters({ value, onChange, from, to, invalid }: ReportFiltersProps) {
  const { t } = useTranslation("reports");
  const { language, calendar } = useAppSettings();
  const users = useAllUsers();
  const types = useAllSystemItems("opportunity_type");
  const sources = useAllSystemItems("source");
  const campaigns = useCampaigns();
  const pipelines = usePipelines(true);

  const set = <K extends keyof ReportFilterState>(key: K, next: ReportFilterState[K]) => onChange({ ...value, [key]: next });
  const fromInput = useRef<HTMLInputElement>(null);
  const toInput = useRef<HTMLInputElement>(null);
  // A date counts once it is whole; a half-typed one keeps the last whole date
  // (an emptied box leaves that end of the range open).
  const commitDate = (key: "customFrom" | "customTo", iso: string | null, input: HTMLInputElement | null) => {
    if (iso !== null || (input?.value.trim() ?? "") === "") set(key, iso);
  };
  const inactive = (label: string, active: boolean) => (active ? label : t("filters.inactive", { name: label }));

  const userOptions: Option[] = (users.data ?? [])
    .map((u) => ({ value: u.id, label: inactive(u.displayName, u.active), active: u.active }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.label.localeCompare(b.label, language));
  const itemOptions = (items: typeof types.data): Option[] =>
    (items ?? []).map((i) => ({ value: i.id, label: inactive(localTitle(i, language), i.active), active: i.active })).sort((a, b) => Number(b.active) - Number(a.active));
  const campaignOptions: Option[] = (campaigns.data ?? []).map((c) => ({ value: c.id, label: inactive(c.name, c.active), active: c.active })).sort((a, b) => Number(b.active) - Number(a.active));

  const date = (iso: string) => formatDate(iso, calendar, language);
  let rangeText: string;
  if (from && to) rangeText = t("filters.range", { from: date(from), to: date(to) });
  else if (from) rangeText = t("filters.rangeFrom", { from: date(from) });
  else if (to) rangeText = t("filters.rangeTo", { to: date(to) });
  else rangeText = t("filters.rangeAll");

  return (
    <section className="report-filters" aria-label={t("filters.label")}>
      <Field label={t("filters.period")} className="report-filters__period">
        {(p) => (
          <select
            {...p}
            className="input"
            value={value.preset}
            onChange={(e) => {
              if (isPeriodPreset(e.target.value)) set("preset", e.target.value);
            }}
            data-testid="report-period"
          >
            {PERIOD_PRESETS.map((preset) => (
              <option key={preset} value={preset}>
                {t(`filters.presets.${preset}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.preset === "custom" ? (
        <>
          <Field label={t("filters.from")} className="report-filters__date">
            {(p) => <DateInput {...p} ref={fromInput} value={value.customFrom} onChange={(iso) => commitDate("customFrom", iso, fromInput.current)} data-testid="report-from" />}
          </Field>
          <Field label={t("filters.to")} className="report-filters__date" error={invalid ? t("filters.rangeInvalid") : null}>
            {(p) => <DateInput {...p} ref={toInput} value={value.customTo} onChange={(iso) => commitDate("customTo", iso, toInput.current)} data-testid="report-to" />}
          </Field>
        </>
      ) : null}
      <LookupSelect label={t("filters.user")} all={t("filters.allUsers")} value={value.assignedUserId} options={userOptions} onChange={(id) => set("assignedUserId", id)} testId="report-user" />
      <LookupSelect label={t("filters.type")} all={t("filters.allTypes")} value={value.typeId} options={itemOptions(types.data)} onChange={(id) => set("typeId", id)} testId="report-type" />
      <LookupSelect label={t("filters.source")} all={t("filters.allSources")} value={value.sourceId} options={itemOptions(sources.data)} onChange={(id) => set("sourceId", id)} testId="report-source" />
      {(pipelines.data?.length ?? 0) > 1 ? (
        <LookupSelect
          label={t("filters.pipeline")}
          all={t("filters.allPipelines")}
          value={value.pipelineId}
          options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: inactive(localName(p, language), p.active), active: p.active }))}
          onChange={(id) => set("pipelineId", id)}
          testId="report-pipeline"
        />
      ) : null}
      <LookupSelect label={t("filters.campaign")} all={t("filters.allCampaigns")} value={value.campaignId} options={campaignOptions} onChange={(id) => set("campaignId", id)} testId="report-campaign" />
      {/* The dates the period covers, and the way back to no filters, in one row under the fields. */}
      <div className="report-filters__footer">
        <p className="report-filters__range muted" data-testid="report-range" aria-live="polite">
          {rangeText}
        </p>
        {isFiltered(value) ? (
          <Button variant="ghost" size="sm" className="report-filters__reset" onClick={() => onChange(DEFAULT_FILTERS)} data-testid="report-reset">
            {t("filters.reset")}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

type LookupSelectProps = {
  label: string;
  all: string;
  value: number | null;
  options: Option[];
  onChange: (id: number | null) => void;
  testId: string;
};

function LookupSelect({ label, all, value, options, onChange, testId }: LookupSelectProps) {
  // A chosen value stays selectable even before the list has loaded.
  const known = value === null || options.some((o) => o.value === value);
  return (
    <Field label={label} className="report-filters__lookup">
      {(p) => (
        <select {...p} className="input" value={value === null ? "" : String(value)} onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))} data-testid={testId}>
          <option value="">{all}</option>
          {!known ? <option value={String(value)}>…</option> : null}
          {options.map((o) => (
            <option key={o.value} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
