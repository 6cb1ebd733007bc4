import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { useAppSettings } from "../../app/settings";
import { formatNumber } from "../../lib/format";
import type { FileValue, ImportField, ImportValues, ValueTarget } from "../../lib/types";
import { IdentityPicker } from "../identities/IdentityPicker";
import { CREATABLE_FIELDS, groupValues, valueKey, type ValueDecision, type ValueField } from "./logic";

export type ValuesStepProps = {
  headingRef: Ref<HTMLHeadingElement>;
  values: ImportValues | null;
  loading: boolean;
  error: string | null;
  /** The decision of every listed value (defaults filled in by the caller). */
  decisionOf: (v: FileValue) => ValueDecision;
  onDecision: (values: readonly FileValue[], decision: ValueDecision) => void;
  placeholder: { id: number; name: string } | null;
  onPlaceholder: (picked: { id: number; name: string } | null) => void;
  busy: boolean;
  onBack: () => void;
  onCheck: () => void;
};

/** Rows of one field shown at once; the rest take the group's choice. */
const SHOWN = 200;

/** Step 3: what each value of the file becomes (an existing value, a new one, the placeholder customer, or left). */
export function ValuesStep({ headingRef, ...props }: ValuesStepProps) {
  const { t } = useTranslation("transfer");
  const { language } = useAppSettings();
  const num = (n: number) => formatNumber(n, language);
  const values = props.values;
  const groups = values ? groupValues(values.values) : [];
  const targetsOf = (field: ImportField): ValueTarget[] => (values?.targets ?? []).filter((x) => x.field === (field === "product_code" ? "product_name" : field));
  const targetName = (x: ValueTarget) => (language === "fa" ? x.nameFa || x.nameEn : x.nameEn || x.nameFa);
  const placeholderUsed = props.values ? props.values.rowsWithoutIdentity > 0 || props.values.values.some((v) => props.decisionOf(v) === "placeholder") : false;
  const placeholderMissing = placeholderUsed && !props.placeholder;

  const options = (field: ImportField, v: FileValue | null) => {
    const list = targetsOf(field);
    const match = v && v.matchId !== null && !list.some((x) => x.id === v.matchId) ? v : null;
    return (
      <>
        <option value="">{t("values.leave")}</option>
        {match ? <option value={`id:${match.matchId}`}>{match.matchName ?? ""}</option> : null}
        {list.map((x) => (
          <option key={x.id} value={`id:${x.id}`}>
            {targetName(x)}
          </option>
        ))}
        {CREATABLE_FIELDS.includes(field) ? <option value="create">{v ? t("values.create", { value: v.value }) : t("values.create", { value: "…" })}</option> : null}
        {field === "identity_name" ? <option value="placeholder">{t("values.placeholder")}</option> : null}
      </>
    );
  };

  return (
    <section className="card transfer-card" aria-labelledby="import-values-title" data-testid="import-values">
      <h2 className="transfer-card__title" id="import-values-title" ref={headingRef} tabIndex={-1}>
        {t("values.title")}
      </h2>
      <p className="muted">{t("values.intro")}</p>
      {props.loading ? (
        <p className="muted" role="status">
          {t("values.loading")}
        </p>
      ) : props.error ? (
        <div className="form-alert transfer-alert" role="alert">
          <p>{t("values.failed", { error: props.error })}</p>
        </div>
      ) : values && groups.length === 0 && values.rowsWithoutIdentity === 0 ? (
        <p className="muted">{t("values.none")}</p>
      ) : null}

      {values && (values.rowsWithoutIdentity > 0 || groups.some((g) => g.field === "identity_name")) ? (
        <div className="transfer-values__placeholder field">
          <h3 className="transfer-options__title">{t("values.placeholderTitle")}</h3>
          <p className="field__help">{values.rowsWithoutIdentity > 0 ? t("values.placeholderHelp", { count: values.rowsWithoutIdentity, n: num(values.rowsWithoutIdentity) }) : t("values.placeholderHelpNone")}</p>
          <label className="field__label" htmlFor="import-placeholder">
            {t("values.placeholderPick")}
          </label>
          <IdentityPicker
            id="import-placeholder"
            selectedName={props.placeholder?.name ?? ""}
            onPick={(identity) => props.onPlaceholder(identity ? { id: identity.id, name: identity.displayName } : null)}
            testId="import-placeholder"
          />
          {placeholderMissing ? (
            <p className="field__warning" data-testid="import-placeholder-missing">
              {t("values.placeholderMissing")}
            </p>
          ) : null}
        </div>
      ) : null}

      {groups.map((g) => {
        const title = t(`values.group.${g.field as ValueField}`);
        const truncated = values?.truncated.includes(g.field) ?? false;
        return (
          <div key={g.field} className="transfer-values__group" data-testid={`import-values-${g.field}`}>
            <div className="transfer-values__group-head">
              <h3 className="transfer-options__title">
                {title} <span className="muted">({num(g.values.length)})</span>
              </h3>
              {g.values.length > 1 ? (
                <label className="transfer-values__all">
                  <span>{t("values.all")}</span>
                  <select
                    className="input"
                    aria-label={t("values.allFor", { group: title })}
                    value="keep"
                    onChange={(e) => e.target.value !== "keep" && props.onDecision(g.values, e.target.value as ValueDecision)}
                    disabled={props.busy}
                    data-testid={`import-values-all-${g.field}`}
                  >
                    <option value="keep">{t("values.allKeep")}</option>
                    {options(g.field, null)}
                  </select>
                </label>
              ) : null}
            </div>
            {truncated ? <p className="field__help">{t("values.truncated", { n: num(g.values.length) })}</p> : null}
            <div className="table-wrap">
              <table className="table table--compact transfer-values__table">
                <thead>
                  <tr>
                    <th scope="col">{t("values.value")}</th>
                    <th scope="col" className="num">
                      {t("values.rows")}
                    </th>
                    <th scope="col">{t("values.becomes")}</th>
                  </tr>
                </thead>
                <tbody>
                  {g.values.slice(0, SHOWN).map((v) => (
                    <tr key={valueKey(v)}>
                      <th scope="row" className="transfer-mapping__header">
                        <bdi>{v.value}</bdi>
                        {v.near ? <span className="badge transfer-values__near">{t("values.near")}</span> : null}
                      </th>
                      <td className="num">{num(v.rows)}</td>
                      <td>
                        <select
                          className="input"
                          aria-label={t("values.becomesFor", { value: v.value })}
                          value={props.decisionOf(v)}
                          onChange={(e) => props.onDecision([v], e.target.value as ValueDecision)}
                          disabled={props.busy}
                          data-testid="import-value"
                          data-value={v.value}
                        >
                          {options(g.field, v)}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        );
      })}

      <div className="transfer-actions">
        <Button onClick={props.onBack} disabled={props.busy}>
          {t("values.back")}
        </Button>
        <Button variant="primary" onClick={props.onCheck} disabled={props.busy || props.loading || props.error !== null} data-testid="import-check">
          {t("mapping.check")}
        </Button>
      </div>
    </section>
  );
}
