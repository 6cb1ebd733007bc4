import { useTranslation } from "react-i18next";
import type { CustomFieldDef, UserSummary } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { DateInput } from "../../components/DateInput";
import { Field, type FieldControlProps } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import type { Lang } from "../../lib/format";
import { useIdentity } from "../identities/queries";
import { IdentityPicker } from "../identities/IdentityPicker";

export const customFieldTitle = (d: CustomFieldDef, lang: Lang) => (lang === "fa" ? d.titleFa : d.titleEn) || d.titleFa || d.titleEn;
const groupTitle = (d: CustomFieldDef, lang: Lang) => (lang === "fa" ? d.groupFa : d.groupEn) ?? d.groupFa ?? d.groupEn ?? "";
const helpText = (d: CustomFieldDef, lang: Lang) => (lang === "fa" ? d.helpFa : d.helpEn) ?? d.helpFa ?? d.helpEn ?? null;

/** The fields in their groups, each group and field in sort order; ungrouped fields first. */
export function groupCustomFields(defs: readonly CustomFieldDef[], lang: Lang): { title: string; fields: CustomFieldDef[] }[] {
  const groups = new Map<string, CustomFieldDef[]>();
  for (const d of [...defs].filter((d) => d.active).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)) {
    const title = groupTitle(d, lang);
    groups.set(title, [...(groups.get(title) ?? []), d]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : 0)).map(([title, fields]) => ({ title, fields }));
}

export type CustomFieldsProps = {
  defs: readonly CustomFieldDef[];
  values: Record<number, string>;
  onChange: (fieldId: number, value: string) => void;
  errorText: (key: string) => string | null;
  users: readonly UserSummary[];
};

/** 13 — Extra properties: the opportunity's custom fields, by group, each drawn by its type. */
export function CustomFields({ defs, values, onChange, errorText, users }: CustomFieldsProps) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const groups = groupCustomFields(defs, language);
  if (groups.length === 0) return <p className="muted">{t("customFields.none")}</p>;

  const control = (d: CustomFieldDef) => {
    const value = values[d.id] ?? "";
    const set = (v: string) => onChange(d.id, v);
    const common = (p: FieldControlProps) => ({ ...p, "aria-required": d.required || undefined, "data-field": `customFields.${d.id}` });
    switch (d.fieldType) {
      case "multiline_text":
        return (p: FieldControlProps) => <textarea {...common(p)} className="input" rows={2} value={value} onChange={(e) => set(e.target.value)} />;
      case "number":
        return (p: FieldControlProps) => <input {...common(p)} className="input" dir="ltr" inputMode="decimal" autoComplete="off" value={value} onChange={(e) => set(e.target.value)} />;
      case "money":
        return (p: FieldControlProps) => <MoneyInput {...common(p)} value={value} onChange={set} />;
      case "date":
        return (p: FieldControlProps) => <DateInput {...common(p)} value={value === "" ? null : value} onChange={(iso) => set(iso ?? "")} />;
      case "yes_no":
        return (p: FieldControlProps) => (
          <select {...common(p)} className="input" value={value} onChange={(e) => set(e.target.value)}>
            <option value="">{t("none")}</option>
            <option value="true">{tc("yes")}</option>
            <option value="false">{tc("no")}</option>
          </select>
        );
      case "choice":
        return (p: FieldControlProps) => (
          <select {...common(p)} className="input" value={value} onChange={(e) => set(e.target.value)}>
            <option value="">{t("none")}</option>
            {d.options.map((o) => (
              <option key={o.key} value={o.key}>
                {(language === "fa" ? o.fa : o.en) || o.fa || o.en}
              </option>
            ))}
          </select>
        );
      case "user":
        return (p: FieldControlProps) => (
          <select {...common(p)} className="input" value={value} onChange={(e) => set(e.target.value)}>
            <option value="">{t("none")}</option>
            {users
              .filter((u) => u.active || String(u.id) === value)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName}
                </option>
              ))}
          </select>
        );
      case "identity":
        return (p: FieldControlProps) => <IdentityValuePicker control={common(p)} value={value} onChange={set} />;
      case "text":
      default:
        return (p: FieldControlProps) => <input {...common(p)} className="input" autoComplete="off" value={value} onChange={(e) => set(e.target.value)} />;
    }
  };

  return (
    <div className="custom-fields">
      {groups.map((g) => (
        <fieldset className="custom-fields__group" key={g.title || "-"}>
          {g.title ? <legend className="form__section-title">{g.title}</legend> : null}
          <div className="form__grid">
            {g.fields.map((d) => {
              // A yes/no box is drawn as a select so it can also be left unanswered.
              const wide = d.fieldType === "multiline_text";
              return (
                <Field
                  key={d.id}
                  label={customFieldTitle(d, language)}
                  required={d.required}
                  help={helpText(d, language)}
                  error={errorText(`customFields.${d.id}`)}
                  className={wide ? "span-4" : "span-2"}
                >
                  {control(d)}
                </Field>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}

function IdentityValuePicker({ control, value, onChange }: { control: FieldControlProps; value: string; onChange: (v: string) => void }) {
  const id = value === "" || !/^\d+$/.test(value) ? null : Number(value);
  const identity = useIdentity(id);
  return <IdentityPicker {...control} selectedName={id === null ? "" : (identity.data?.displayName ?? "")} onPick={(i) => onChange(i ? String(i.id) : "")} />;
}
