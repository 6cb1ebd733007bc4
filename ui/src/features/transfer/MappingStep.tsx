import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { useAppSettings } from "../../app/settings";
import { formatNumber } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { DateFormat, ImportField, ImportKind, ImportOptions, ImportPreview, Stage, SystemItem } from "../../lib/types";
import { KIND_FIELDS, duplicateFields, isImportField, missingRequired, type MappingChoice } from "./logic";

/** A default value: the list's first active value, a chosen id, or none. */
export type DefaultChoice = "first" | number | null;

/** The values a row takes where its file has none. */
export type DefaultKey = "type" | "source" | "stage" | "winReason" | "lossReason";

export type MappingStepProps = {
  headingRef: Ref<HTMLHeadingElement>;
  /** What the file holds: only opportunities have options and a values step. */
  kind: ImportKind;
  preview: ImportPreview;
  choices: MappingChoice;
  onChoice: (index: number, field: ImportField | null) => void;
  createIdentities: boolean;
  onCreateIdentities: (on: boolean) => void;
  createProducts: boolean;
  onCreateProducts: (on: boolean) => void;
  createUsers: boolean;
  onCreateUsers: (on: boolean) => void;
  /** How the file writes its dates, and what its date cells pointed to. */
  dateFormat: DateFormat;
  detectedDateFormat: DateFormat;
  onDateFormat: (format: DateFormat) => void;
  defaults: Record<DefaultKey, DefaultChoice>;
  onDefault: (key: DefaultKey, value: DefaultChoice) => void;
  /** The options as they will be sent (defaults resolved). */
  options: ImportOptions;
  types: SystemItem[];
  sources: SystemItem[];
  stages: Stage[];
  winReasons: SystemItem[];
  lossReasons: SystemItem[];
  busy: boolean;
  onBack: () => void;
  /** On to the values step (opportunities). */
  onNext: () => void;
  /** Straight to the dry run (customers, products, users). */
  onCheck: () => void;
};

const REQUIRED_NOTE: Record<ImportKind, "mapping.required" | "mapping.requiredIdentities" | "mapping.requiredProducts" | "mapping.requiredUsers"> = {
  opportunities: "mapping.required",
  identities: "mapping.requiredIdentities",
  products: "mapping.requiredProducts",
  users: "mapping.requiredUsers",
};

const NONE = "";

/** The date formats a file may use, in the order offered. */
const DATE_FORMATS: readonly DateFormat[] = ["auto", "iso", "jalali", "mdy", "dmy"];

/** Step 2: which field each column feeds, the options, and the first rows of the file. */
export function MappingStep({ headingRef, ...props }: MappingStepProps) {
  const { t } = useTranslation("transfer");
  const { language } = useAppSettings();
  const { preview, choices, options } = props;
  const { kind } = props;
  const opportunities = kind === "opportunities";
  const missing = missingRequired(choices, options, kind);
  const duplicates = duplicateFields(choices);
  const canCheck = missing.length === 0 && duplicates.length === 0 && !props.busy;
  const sampleRows = preview.sample;

  const defaultSelect = (key: DefaultKey, label: string, items: { id: number; titleFa: string; titleEn: string }[], resolved: number | null | undefined) => (
    <div className="field">
      <label className="field__label" htmlFor={`import-default-${key}`}>
        {label}
      </label>
      <select
        id={`import-default-${key}`}
        className="input"
        value={resolved == null ? NONE : String(resolved)}
        onChange={(e) => props.onDefault(key, e.target.value === NONE ? null : Number(e.target.value))}
        disabled={props.busy}
      >
        <option value={NONE}>{t("options.none")}</option>
        {items.map((item) => (
          <option key={item.id} value={item.id}>
            {localTitle(item, language)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <>
      <section className="card transfer-card" aria-labelledby="import-mapping-title" data-testid="import-mapping">
        <h2 className="transfer-card__title" id="import-mapping-title" ref={headingRef} tabIndex={-1}>
          {t("mapping.title")}
        </h2>
        <p className="muted">{t("mapping.intro")}</p>
        <p className="transfer-required" id="import-required">
          {t(REQUIRED_NOTE[kind])}
        </p>

        <div className="transfer-mapping">
          <div className="table-wrap transfer-mapping__table">
            <table className="table table--compact" data-testid="import-mapping-table">
              <thead>
                <tr>
                  <th scope="col">{t("mapping.column")}</th>
                  <th scope="col">{t("mapping.field")}</th>
                  <th scope="col">{t("mapping.sample")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.headers.map((header, i) => {
                  const choice = choices[i] ?? null;
                  const duplicate = choice !== null && duplicates.includes(choice);
                  return (
                    <tr key={`${i}-${header}`}>
                      <th scope="row" className="transfer-mapping__header">
                        <bdi>{header}</bdi>
                      </th>
                      <td>
                        <select
                          className="input"
                          aria-label={t("mapping.fieldFor", { column: header })}
                          aria-invalid={duplicate || undefined}
                          value={choice ?? NONE}
                          onChange={(e) => props.onChoice(i, isImportField(e.target.value) ? e.target.value : null)}
                          disabled={props.busy}
                          data-testid={`import-map-${i}`}
                        >
                          <option value={NONE}>{t("mapping.ignore")}</option>
                          {KIND_FIELDS[kind].map((f) => (
                            <option key={f} value={f}>
                              {t(`fields.${f}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className="transfer-mapping__sample">
                        <bdi>{sampleRows[0]?.[i] ?? ""}</bdi>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>

          {opportunities ? (
          <div className="transfer-options">
            <h3 className="transfer-options__title">{t("options.title")}</h3>
            <label className="check">
              <input type="checkbox" checked={props.createIdentities} onChange={(e) => props.onCreateIdentities(e.target.checked)} disabled={props.busy} />
              <span>{t("options.createIdentities")}</span>
            </label>
            <p className="field__help">{t("options.createIdentitiesHelp")}</p>
            <label className="check">
              <input type="checkbox" checked={props.createProducts} onChange={(e) => props.onCreateProducts(e.target.checked)} disabled={props.busy} />
              <span>{t("options.createProducts")}</span>
            </label>
            <p className="field__help">{t("options.createProductsHelp")}</p>
            <label className="check">
              <input type="checkbox" checked={props.createUsers} onChange={(e) => props.onCreateUsers(e.target.checked)} disabled={props.busy} data-testid="import-create-users" />
              <span>{t("options.createUsers")}</span>
            </label>
            <p className="field__help">{t("options.createUsersHelp")}</p>
            {defaultSelect("type", t("options.defaultType"), props.types, options.defaultTypeId)}
            {defaultSelect("source", t("options.defaultSource"), props.sources, options.defaultSourceId)}
            {defaultSelect("stage", t("options.defaultStage"), props.stages, options.defaultStageId)}
            <p className="field__help">{t("options.defaultsHelp")}</p>
            {defaultSelect("winReason", t("options.defaultWinReason"), props.winReasons, options.defaultWinReasonId)}
            {defaultSelect("lossReason", t("options.defaultLossReason"), props.lossReasons, options.defaultLossReasonId)}
            <p className="field__help">{t("options.reasonsHelp")}</p>
            <div className="field">
              <label className="field__label" htmlFor="import-date-format">
                {t("options.dates")}
              </label>
              <select id="import-date-format" className="input" value={props.dateFormat} onChange={(e) => props.onDateFormat(e.target.value as DateFormat)} disabled={props.busy} data-testid="import-date-format">
                {DATE_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {t(`options.dateFormat.${f}`)}
                  </option>
                ))}
              </select>
              <p className="field__help">{props.detectedDateFormat === "auto" ? t("options.datesUnknown") : t("options.datesDetected", { format: t(`options.dateFormat.${props.detectedDateFormat}`) })}</p>
            </div>
          </div>
          ) : null}
        </div>

        {missing.length > 0 || duplicates.length > 0 ? (
          <div className="form-alert transfer-alert" role="alert" data-testid="import-mapping-problems">
            {missing.length > 0 ? <p>{t("mapping.missing", { fields: missing.map((f) => t(`fields.${f}`)).join(t("mapping.listSeparator")) })}</p> : null}
            {duplicates.map((f) => (
              <p key={f}>{t("mapping.duplicate", { field: t(`fields.${f}`) })}</p>
            ))}
          </div>
        ) : null}

        <div className="transfer-actions">
          <Button onClick={props.onBack} disabled={props.busy}>
            {t("mapping.back")}
          </Button>
          {opportunities ? (
            <Button variant="primary" onClick={props.onNext} disabled={!canCheck} aria-describedby="import-required" data-testid="import-to-values">
              {t("mapping.next")}
            </Button>
          ) : (
            <Button variant="primary" onClick={props.onCheck} disabled={!canCheck} aria-describedby="import-required" data-testid="import-check">
              {t("mapping.check")}
            </Button>
          )}
        </div>
      </section>

      <section className="card transfer-card" aria-labelledby="import-preview-title">
        <h2 className="transfer-card__title" id="import-preview-title">
          {t("mapping.previewTitle")}
        </h2>
        <div className="table-wrap transfer-preview">
          <table className="table table--compact" data-testid="import-preview">
            <caption className="transfer-preview__caption">
              {t("mapping.previewCaption", { n: formatNumber(sampleRows.length, language), total: formatNumber(preview.rowCount, language) })}
            </caption>
            <thead>
              <tr>
                {preview.headers.map((h, i) => (
                  <th key={`${i}-${h}`} scope="col">
                    <bdi>{h}</bdi>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sampleRows.map((row, r) => (
                <tr key={r}>
                  {preview.headers.map((_, c) => (
                    <td key={c}>
                      <bdi>{row[c] ?? ""}</bdi>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
