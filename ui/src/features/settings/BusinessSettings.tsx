// The administrator's settings cards under General: money, printouts and record
// numbering. Each card keeps its own draft and saves only its own fields.

import { useRef, useState, type FormEvent, type ReactNode, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { AppSettings, FieldError, NumberingTemplate } from "../../lib/types";
import { useAppSettings, useSaveSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { normalizeDigits, toLocalDigits } from "../../lib/format";
import { localError, useFormErrors, type FormErrors } from "../admin/common";
import { knownTimeZones } from "../../lib/clock";
import { formatDateTime } from "../../lib/format";
import { currentYears, hasSequence, NUMBERING_KINDS, renderNumber, type NumberingYears } from "./numbering";

const refused = (field: string, code: FieldError["code"]): FieldError => localError(field, code);

type CardProps = {
  titleId: string;
  title: string;
  help?: string;
  errors: FormErrors;
  busy: boolean;
  saveTestId: string;
  testId: string;
  formRef: RefObject<HTMLFormElement | null>;
  onSubmit: () => void;
  children: ReactNode;
};

/** A titled settings form with its error alert and its own Save button. */
function SettingsCard({ titleId, title, help, errors, busy, saveTestId, testId, formRef, onSubmit, children }: CardProps) {
  const { t } = useTranslation("settings");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <section className="card settings" aria-labelledby={titleId} data-testid={testId}>
      <div className="settings__row">
        <h2 className="form__section-title" id={titleId}>
          {title}
        </h2>
        {help ? <p className="field__help">{help}</p> : null}
      </div>
      <form ref={formRef} className="settings" onSubmit={submit} noValidate>
        {errors.alert.message || errors.alert.details.length > 0 ? (
          <div className="form-alert" role="alert">
            {errors.alert.message ? <p>{errors.alert.message}</p> : null}
            {errors.alert.details.length > 0 ? (
              <ul>
                {errors.alert.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        {children}
        <div>
          <Button type="submit" variant="primary" busy={busy} data-testid={saveTestId}>
            {t("save")}
          </Button>
        </div>
      </form>
    </section>
  );
}

// ------------------------------------------------------------------ money

type MoneyDraft = { currencyCode: string; currencyDecimals: string; taxPercent: string };

const MONEY_FIELDS = ["currencyCode", "currencyDecimals", "taxPercent"] as const;

export function MoneySettings({ settings }: { settings: AppSettings }) {
  const { t } = useTranslation("settings");
  const toast = useToast();
  const save = useSaveSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(MONEY_FIELDS, { formRef });
  const [draft, setDraft] = useState<MoneyDraft | null>(null);
  const value: MoneyDraft = draft ?? {
    currencyCode: settings.currencyCode,
    currencyDecimals: String(settings.currencyDecimals),
    taxPercent: settings.taxPercent,
  };
  const set = (field: keyof MoneyDraft, text: string) => {
    setDraft({ ...value, [field]: text });
    errors.clear(field);
  };

  const submit = () => {
    const code = value.currencyCode.trim().toUpperCase();
    const decimals = normalizeDigits(value.currencyDecimals).trim();
    const tax = normalizeDigits(value.taxPercent).trim();
    const local: FieldError[] = [];
    if (code === "") local.push(refused("currencyCode", "required"));
    if (!/^\d+$/.test(decimals)) local.push(refused("currencyDecimals", decimals === "" ? "required" : "invalid"));
    if (tax === "") local.push(refused("taxPercent", "required"));
    if (local.length > 0) {
      errors.show(local);
      return;
    }
    errors.reset();
    save.mutate(
      { currencyCode: code, currencyDecimals: Number(decimals), taxPercent: tax },
      {
        onSuccess: () => {
          setDraft(null);
          toast.show(t("money.saved"));
        },
        onError: errors.handle,
      },
    );
  };

  return (
    <SettingsCard
      titleId="settings-money"
      title={t("money.title")}
      errors={errors}
      busy={save.isPending}
      saveTestId="settings-money-save"
      testId="settings-money"
      formRef={formRef}
      onSubmit={submit}
    >
      <div className="form__grid">
        <Field label={t("money.currencyCode")} help={t("money.currencyCodeHelp")} error={errors.errorFor("currencyCode")} className="span-2">
          {(p) => (
            <input
              {...p}
              data-field="currencyCode"
              className="input"
              dir="ltr"
              autoComplete="off"
              maxLength={3}
              value={value.currencyCode}
              onChange={(e) => set("currencyCode", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("money.decimals")} help={t("money.decimalsHelp")} error={errors.errorFor("currencyDecimals")} className="span-1">
          {(p) => (
            <input
              {...p}
              data-field="currencyDecimals"
              className="input"
              dir="ltr"
              inputMode="numeric"
              autoComplete="off"
              value={value.currencyDecimals}
              onChange={(e) => set("currencyDecimals", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("money.tax")} error={errors.errorFor("taxPercent")} className="span-1">
          {(p) => (
            <input
              {...p}
              data-field="taxPercent"
              className="input"
              dir="ltr"
              inputMode="decimal"
              autoComplete="off"
              value={value.taxPercent}
              onChange={(e) => set("taxPercent", e.target.value)}
            />
          )}
        </Field>
      </div>
    </SettingsCard>
  );
}

// -------------------------------------------------------------- time zone

const ZONE_FIELDS = ["timeZone"] as const;

/** The zone "today" is taken in; empty = the operating system's (the backend says which). */
export function TimeZoneSettings({ settings }: { settings: AppSettings }) {
  const { t } = useTranslation("settings");
  const { calendar, language } = useAppSettings();
  const toast = useToast();
  const save = useSaveSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(ZONE_FIELDS, { formRef });
  const [draft, setDraft] = useState<string | null>(null);
  const value = draft ?? (settings.timeZoneConfigured ? settings.timeZone : "");
  const zones = knownTimeZones();
  const options = zones.includes(settings.timeZone) ? zones : [settings.timeZone, ...zones];

  const submit = () => {
    errors.reset();
    save.mutate(
      { timeZone: value },
      {
        onSuccess: () => {
          setDraft(null);
          toast.show(t("timeZone.saved"));
        },
        onError: errors.handle,
      },
    );
  };

  return (
    <SettingsCard
      titleId="settings-time-zone"
      title={t("timeZone.title")}
      help={t("timeZone.help")}
      errors={errors}
      busy={save.isPending}
      saveTestId="settings-time-zone-save"
      testId="settings-time-zone"
      formRef={formRef}
      onSubmit={submit}
    >
      <div className="form__grid">
        <Field
          label={t("timeZone.zone")}
          help={t("timeZone.now", { time: formatDateTime(new Date().toISOString(), calendar, language) })}
          error={errors.errorFor("timeZone")}
          className="span-2"
        >
          {(p) => (
            <select
              {...p}
              data-field="timeZone"
              className="input"
              value={value}
              onChange={(e) => {
                setDraft(e.target.value);
                errors.clear("timeZone");
              }}
            >
              <option value="">{settings.timeZoneConfigured ? t("timeZone.followComputerPlain") : t("timeZone.followComputer", { zone: settings.timeZone })}</option>
              {options.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </SettingsCard>
  );
}

// -------------------------------------------------------------- printouts

type CompanyDraft = { companyName: string; companyHeader: string };

const COMPANY_FIELDS = ["companyName", "companyHeader"] as const;

export function CompanySettings({ settings }: { settings: AppSettings }) {
  const { t } = useTranslation("settings");
  const toast = useToast();
  const save = useSaveSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(COMPANY_FIELDS, { formRef });
  const [draft, setDraft] = useState<CompanyDraft | null>(null);
  const value: CompanyDraft = draft ?? { companyName: settings.companyName, companyHeader: settings.companyHeader };
  const set = (field: keyof CompanyDraft, text: string) => {
    setDraft({ ...value, [field]: text });
    errors.clear(field);
  };

  const submit = () => {
    errors.reset();
    save.mutate(
      { companyName: value.companyName.trim(), companyHeader: value.companyHeader.trim() },
      {
        onSuccess: () => {
          setDraft(null);
          toast.show(t("company.saved"));
        },
        onError: errors.handle,
      },
    );
  };

  return (
    <SettingsCard
      titleId="settings-company"
      title={t("company.title")}
      help={t("company.help")}
      errors={errors}
      busy={save.isPending}
      saveTestId="settings-company-save"
      testId="settings-company"
      formRef={formRef}
      onSubmit={submit}
    >
      <Field label={t("company.name")} error={errors.errorFor("companyName")}>
        {(p) => <input {...p} data-field="companyName" className="input" autoComplete="organization" value={value.companyName} onChange={(e) => set("companyName", e.target.value)} />}
      </Field>
      <Field label={t("company.header")} help={t("company.headerHelp")} error={errors.errorFor("companyHeader")}>
        {(p) => <textarea {...p} data-field="companyHeader" className="input" rows={4} value={value.companyHeader} onChange={(e) => set("companyHeader", e.target.value)} />}
      </Field>
    </SettingsCard>
  );
}

// -------------------------------------------------------------- numbering

/** The kinds in screen order: the known ones first, then any others the backend has. */
function numberingRows(list: readonly NumberingTemplate[]): NumberingTemplate[] {
  const known: string[] = [...NUMBERING_KINDS];
  const rows = NUMBERING_KINDS.map((kind) => ({ kind, template: list.find((n) => n.kind === kind)?.template ?? "" }));
  return [...rows, ...list.filter((n) => !known.includes(n.kind))];
}

export function NumberingSettings({ settings, years = currentYears() }: { settings: AppSettings; years?: NumberingYears }) {
  const { t } = useTranslation("settings");
  const { language } = useAppSettings();
  const toast = useToast();
  const save = useSaveSettings();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<NumberingTemplate[] | null>(null);
  const rows = draft ?? numberingRows(settings.numbering);
  const fields = rows.map((_, i) => `numbering.${i}.template`);
  const errors = useFormErrors(fields, {
    formRef,
    special: (fe) => (fe.field.endsWith(".template") && fe.code === "invalid" ? t("numbering.invalid") : null),
  });

  const setTemplate = (index: number, template: string) => {
    setDraft(rows.map((row, i) => (i === index ? { ...row, template } : row)));
    errors.clear(`numbering.${index}.template`);
  };

  const submit = () => {
    const list = rows.map((row) => ({ kind: row.kind, template: row.template.trim() }));
    const local = list.flatMap((row, i) =>
      row.template === "" ? [refused(`numbering.${i}.template`, "required")] : hasSequence(row.template) ? [] : [refused(`numbering.${i}.template`, "invalid")],
    );
    if (local.length > 0) {
      errors.show(local);
      return;
    }
    errors.reset();
    save.mutate(
      { numbering: list },
      {
        onSuccess: () => {
          setDraft(null);
          toast.show(t("numbering.saved"));
        },
        onError: errors.handle,
      },
    );
  };

  const kindName = (kind: string) => ((NUMBERING_KINDS as readonly string[]).includes(kind) ? t(`numbering.kinds.${kind as (typeof NUMBERING_KINDS)[number]}`) : kind);

  return (
    <SettingsCard
      titleId="settings-numbering"
      title={t("numbering.title")}
      help={t("numbering.help")}
      errors={errors}
      busy={save.isPending}
      saveTestId="settings-numbering-save"
      testId="settings-numbering"
      formRef={formRef}
      onSubmit={submit}
    >
      <div className="table-wrap">
        <table className="table table--compact" data-testid="settings-numbering-table">
          <thead>
            <tr>
              <th scope="col">{t("numbering.kind")}</th>
              <th scope="col">{t("numbering.template")}</th>
              <th scope="col">{t("numbering.example")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => {
              const id = `settings-numbering-${i}`;
              const error = errors.errorFor(`numbering.${i}.template`);
              const example = renderNumber(row.template.trim(), 1, years);
              return (
                <tr key={row.kind} data-testid={`settings-numbering-row-${row.kind}`}>
                  <th scope="row">
                    <label htmlFor={id}>{kindName(row.kind)}</label>
                  </th>
                  <td>
                    <input
                      id={id}
                      data-field={`numbering.${i}.template`}
                      className="input"
                      dir="ltr"
                      autoComplete="off"
                      spellCheck={false}
                      value={row.template}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${id}-error` : undefined}
                      onChange={(e) => setTemplate(i, e.target.value)}
                    />
                    {error ? (
                      <p className="field__error" id={`${id}-error`}>
                        {error}
                      </p>
                    ) : null}
                  </td>
                  <td>
                    {example !== null ? (
                      <bdi data-testid={`settings-numbering-example-${row.kind}`}>{toLocalDigits(example, language)}</bdi>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </SettingsCard>
  );
}
