// Custom fields (personalization) for opportunities and identities: listed by
// group; added and edited with their type, options, help and group. Making a
// field required asks for a value to give the existing records that lack one.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { Button } from "../../components/Button";
import { DateInput } from "../../components/DateInput";
import { Checkbox, Field, Segmented, type FieldControlProps } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { commands, fieldErrorsOf, unwrap } from "../../lib/api";
import type { Lang } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { ChoiceOption, CustomFieldDef, CustomFieldEntity, CustomFieldType, FieldError } from "../../lib/types";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { ActiveCell, FormDialog, useCount, useFormErrors, type SpecialMessage } from "./common";
import { ListSection } from "./ListSection";
import { useCustomFieldsAdmin, useDeleteCustomField, useSaveCustomField, versionOf } from "./queries";

/** The most custom fields one kind of record may have (the backend's limit). */
export const MAX_CUSTOM_FIELDS = 200;

const FIELD_TYPES: readonly CustomFieldType[] = ["text", "multiline_text", "number", "money", "date", "yes_no", "choice", "user", "identity"];

const groupOf = (d: CustomFieldDef, lang: Lang) => ((lang === "fa" ? d.groupFa : d.groupEn) || d.groupFa || d.groupEn || "").trim();

/** Fields by group title (ungrouped first), each group in sort order. */
function grouped(defs: readonly CustomFieldDef[], lang: Lang): { title: string; fields: CustomFieldDef[] }[] {
  const groups = new Map<string, CustomFieldDef[]>();
  for (const d of [...defs].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)) {
    const title = groupOf(d, lang);
    groups.set(title, [...(groups.get(title) ?? []), d]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : 0)).map(([title, fields]) => ({ title, fields }));
}

type Editing = { field: CustomFieldDef | null; key: number };

export function CustomFieldsAdmin() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const count = useCount();
  const [entity, setEntity] = useState<CustomFieldEntity>("opportunity");
  const fields = useCustomFieldsAdmin(entity);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<CustomFieldDef | null>(null);
  const rows = fields.data ?? [];
  const groups = grouped(rows, language);
  const entityName = t(`fields.entity.${entity}`);
  const entityInSentence = t(`fields.entityInSentence.${entity}`);

  return (
    <ListSection
      labelledBy="admin-fields-title"
      title={t("fields.title")}
      description={t("fields.description")}
      addLabel={t("fields.add")}
      onAdd={() => setEditing({ field: null, key: Date.now() })}
      controls={
        <Segmented<CustomFieldEntity>
          legend={t("fields.entityLabel")}
          name="admin-fields-entity"
          value={entity}
          testId="admin-fields-entity"
          options={[
            { value: "opportunity", label: t("fields.entity.opportunity") },
            { value: "identity", label: t("fields.entity.identity") },
          ]}
          onChange={setEntity}
        />
      }
      heading={t("fields.titleFor", { entity: entityInSentence })}
      list={fields}
      emptyTitle={t("fields.empty", { entity: entityName })}
      emptyBody={t("fields.emptyBody")}
      errorTitle={t("fields.loadError")}
      dialogs={
        <>
          {editing ? (
            <CustomFieldDialog
              key={editing.key}
              entity={entity}
              field={editing.field}
              onClose={() => setEditing(null)}
              onReload={() =>
                void fields.refetch().then((r) => {
                  const fresh = r.data?.find((d) => d.id === editing.field?.id) ?? null;
                  setEditing({ field: fresh, key: Date.now() });
                })
              }
            />
          ) : null}
          {deleting ? <DeleteFieldDialog entity={entity} field={deleting} onClose={() => setDeleting(null)} /> : null}
        </>
      }
    >
      <p className="admin-hint">{t("fields.countOfMax", { count: rows.length, n: count(rows.length), max: count(MAX_CUSTOM_FIELDS) })}</p>
      {groups.map((group, gi) => (
        <div className="admin-group" key={group.title || "-"}>
          <h4 className="admin-group__title" id={`admin-fields-group-${gi}`}>
            {group.title || t("fields.noGroup")}
          </h4>
          <div className="table-wrap">
            <table className="table admin-table" aria-labelledby={`admin-fields-group-${gi}`}>
              <thead>
                <tr>
                  <th scope="col">{t("common.titleFa")}</th>
                  <th scope="col">{t("common.titleEn")}</th>
                  <th scope="col">{t("fields.type")}</th>
                  <th scope="col">{t("fields.required")}</th>
                  <th scope="col">{t("common.status")}</th>
                  <th scope="col" className="col-actions">
                    <span className="visually-hidden">{t("common.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.fields.map((d) => (
                  <tr key={d.id} data-testid={`row-${d.id}`} className={d.active ? undefined : "admin-row--inactive"}>
                    <td lang="fa" dir="rtl">
                      {d.titleFa}
                    </td>
                    <td lang="en" dir="ltr">
                      {d.titleEn}
                    </td>
                    <td>{t(`fields.types.${d.fieldType}`)}</td>
                    <td>{d.required ? tc("yes") : tc("no")}</td>
                    <td>
                      <ActiveCell active={d.active} />
                    </td>
                    <td className="col-actions">
                      <span className="admin-actions">
                        <Button size="sm" variant="ghost" onClick={() => setEditing({ field: d, key: Date.now() })} aria-label={t("common.editNamed", { title: localTitle(d, language) })}>
                          {t("common.edit")}
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => setDeleting(d)} aria-label={t("common.deleteNamed", { title: localTitle(d, language) })}>
                          {tc("actions.delete")}
                        </Button>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </ListSection>
  );
}

function useFieldMessages(entity: CustomFieldEntity): SpecialMessage {
  const { t } = useTranslation("admin");
  const count = useCount();
  return (fe: FieldError) => {
    if (fe.field === "defaultValue" && fe.code === "required") return t("fields.defaultRequired");
    if (fe.field === "defaultValue") return t("fields.defaultInvalid");
    if (fe.field === "fieldType" && fe.code === "not_allowed") return t("fields.typeNotConvertible");
    if (fe.field === "entity" && fe.code === "too_long")
      return t("fields.tooMany", { max: count(Number(fe.max ?? MAX_CUSTOM_FIELDS)), entity: t(`fields.entityInSentence.${entity}`) });
    if (fe.field === "options" && fe.code === "required") return t("fields.optionsRequired");
    if (/^options\.\d+\.key$/.test(fe.field) && fe.code === "duplicate") return t("fields.optionKeyDuplicate");
    return null;
  };
}

const BASE_FIELDS = ["titleFa", "titleEn", "fieldType", "groupFa", "groupEn", "helpFa", "helpEn", "options"] as const;

const blank = (v: string) => (v.trim() === "" ? null : v.trim());

function CustomFieldDialog({ entity, field, onClose, onReload }: { entity: CustomFieldEntity; field: CustomFieldDef | null; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const toast = useToast();
  const save = useSaveCustomField(entity);
  const [form, setForm] = useState({
    titleFa: field?.titleFa ?? "",
    titleEn: field?.titleEn ?? "",
    fieldType: field?.fieldType ?? ("text" as CustomFieldType),
    required: field?.required ?? false,
    helpFa: field?.helpFa ?? "",
    helpEn: field?.helpEn ?? "",
    groupFa: field?.groupFa ?? "",
    groupEn: field?.groupEn ?? "",
    active: field?.active ?? true,
  });
  const [options, setOptions] = useState<ChoiceOption[]>(field?.options.length ? field.options : [{ key: "", fa: "", en: "" }]);
  const [defaultValue, setDefaultValue] = useState("");
  const [askedForDefault, setAskedForDefault] = useState(false);
  const isChoice = form.fieldType === "choice";
  const known = [
    ...BASE_FIELDS,
    ...(isChoice ? options.flatMap((_, i) => [`options.${i}.key`, `options.${i}.fa`, `options.${i}.en`]) : []),
    "defaultValue",
  ];
  const errors = useFormErrors(known, { special: useFieldMessages(entity) });
  const showDefault = form.required && (!field?.required || askedForDefault);

  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };
  const setOption = (index: number, part: keyof ChoiceOption, value: string) => {
    setOptions((list) => list.map((o, i) => (i === index ? { ...o, [part]: value } : o)));
    errors.clear(`options.${index}.${part}`);
  };

  const submit = () =>
    save.mutate(
      {
        id: field?.id ?? null,
        version: field ? versionOf(field) : 0,
        input: {
          entity,
          titleFa: form.titleFa.trim(),
          titleEn: form.titleEn.trim(),
          fieldType: form.fieldType,
          required: form.required,
          helpFa: blank(form.helpFa),
          helpEn: blank(form.helpEn),
          groupFa: blank(form.groupFa),
          groupEn: blank(form.groupEn),
          options: isChoice ? options.map((o) => ({ key: o.key.trim(), fa: o.fa.trim(), en: o.en.trim() })) : [],
          active: form.active,
          defaultValue: showDefault ? blank(defaultValue) : null,
        },
      },
      {
        onSuccess: (saved) => {
          toast.show(t(field ? "fields.saved" : "fields.added", { title: localTitle(saved, language) }));
          onClose();
        },
        onError: (error) => {
          errors.handle(error);
          if (fieldErrorsOf(error).some((fe) => fe.field === "defaultValue")) setAskedForDefault(true);
        },
      },
    );

  const text = (key: "titleFa" | "titleEn" | "groupFa" | "groupEn", lang: "fa" | "en", extra: { autofocus?: boolean } = {}) => (p: FieldControlProps) => (
    <input
      {...p}
      data-field={key}
      data-autofocus={extra.autofocus || undefined}
      className="input"
      lang={lang}
      dir={lang === "fa" ? "rtl" : "ltr"}
      value={form[key]}
      onChange={(e) => set(key, e.target.value)}
    />
  );

  return (
    <FormDialog
      open
      title={field ? t("fields.editTitle") : t("fields.addTitle", { entity: t(`fields.entityInSentence.${entity}`) })}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      onReload={field ? onReload : undefined}
      testId="admin-field-dialog"
    >
      <div className="form__grid">
        <Field label={t("common.titleFa")} error={errors.errorFor("titleFa")} className="span-2">
          {text("titleFa", "fa", { autofocus: true })}
        </Field>
        <Field label={t("common.titleEn")} error={errors.errorFor("titleEn")} className="span-2">
          {text("titleEn", "en")}
        </Field>
        <Field label={t("fields.type")} error={errors.errorFor("fieldType")} help={field ? t("fields.typeChangeHelp") : undefined} className="span-2">
          {(p) => (
            <select {...p} data-field="fieldType" className="input" value={form.fieldType} onChange={(e) => set("fieldType", e.target.value as CustomFieldType)}>
              {FIELD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`fields.types.${type}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="span-2 admin-checks">
          <Checkbox label={t("fields.required")} checked={form.required} onChange={(v) => set("required", v)} />
          <Checkbox label={t("common.active")} checked={form.active} onChange={(v) => set("active", v)} />
        </div>
        <Field label={t("fields.groupFa")} error={errors.errorFor("groupFa")} className="span-2">
          {text("groupFa", "fa")}
        </Field>
        <Field label={t("fields.groupEn")} error={errors.errorFor("groupEn")} className="span-2">
          {text("groupEn", "en")}
        </Field>
        <Field label={t("fields.helpFa")} error={errors.errorFor("helpFa")} className="span-2">
          {(p) => <textarea {...p} data-field="helpFa" className="input" rows={2} lang="fa" dir="rtl" value={form.helpFa} onChange={(e) => set("helpFa", e.target.value)} />}
        </Field>
        <Field label={t("fields.helpEn")} error={errors.errorFor("helpEn")} className="span-2">
          {(p) => <textarea {...p} data-field="helpEn" className="input" rows={2} lang="en" dir="ltr" value={form.helpEn} onChange={(e) => set("helpEn", e.target.value)} />}
        </Field>
      </div>

      {isChoice ? (
        <section className="form__section" aria-labelledby="admin-options-title">
          <h3 className="form__section-title" id="admin-options-title">
            {t("fields.options")}
          </h3>
          <p className="admin-hint">{t("fields.optionsHelp")}</p>
          <div className="admin-options">
            {options.map((o, i) => (
              <fieldset className="admin-option" key={i} data-testid={`admin-option-${i}`}>
                <legend>{t("fields.optionN", { n: i + 1 })}</legend>
                <Field label={t("fields.optionKey")} error={errors.errorFor(`options.${i}.key`)}>
                  {(p) => <input {...p} data-field={`options.${i}.key`} className="input" dir="ltr" autoComplete="off" value={o.key} onChange={(e) => setOption(i, "key", e.target.value)} />}
                </Field>
                <Field label={t("common.titleFa")} error={errors.errorFor(`options.${i}.fa`)}>
                  {(p) => <input {...p} data-field={`options.${i}.fa`} className="input" lang="fa" dir="rtl" value={o.fa} onChange={(e) => setOption(i, "fa", e.target.value)} />}
                </Field>
                <Field label={t("common.titleEn")} error={errors.errorFor(`options.${i}.en`)}>
                  {(p) => <input {...p} data-field={`options.${i}.en`} className="input" lang="en" dir="ltr" value={o.en} onChange={(e) => setOption(i, "en", e.target.value)} />}
                </Field>
                <Button size="sm" variant="ghost" onClick={() => setOptions((list) => list.filter((_, j) => j !== i))} aria-label={t("fields.removeOption", { n: i + 1 })}>
                  {t("fields.remove")}
                </Button>
              </fieldset>
            ))}
          </div>
          <div>
            <Button size="sm" data-field="options" onClick={() => setOptions((list) => [...list, { key: "", fa: "", en: "" }])} aria-describedby={errors.errorFor("options") ? "admin-options-error" : undefined}>
              {t("fields.addOption")}
            </Button>
          </div>
          {errors.errorFor("options") ? (
            <p className="field__error" id="admin-options-error">
              {errors.errorFor("options")}
            </p>
          ) : null}
        </section>
      ) : null}

      {showDefault ? (
        <DefaultValueInput
          type={form.fieldType}
          options={options}
          value={defaultValue}
          onChange={(v) => {
            setDefaultValue(v);
            errors.clear("defaultValue");
          }}
          error={errors.errorFor("defaultValue")}
        />
      ) : null}
    </FormDialog>
  );
}

/** "Default value for existing records", drawn like the field itself. */
function DefaultValueInput({ type, options, value, onChange, error }: { type: CustomFieldType; options: ChoiceOption[]; value: string; onChange: (v: string) => void; error: string | null }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const users = useQuery({
    queryKey: ["users", { includeInactive: false }],
    queryFn: () => unwrap(commands.listUsers(false)),
    enabled: type === "user",
  });
  const label = t("fields.defaultValue");
  const help = t("fields.defaultHelp");
  const common = (p: FieldControlProps) => ({ ...p, "data-field": "defaultValue", "data-testid": "admin-default-value" });

  if (type === "identity") return <IdentityDefault value={value} onChange={onChange} error={error} />;

  return (
    <Field label={label} help={help} error={error}>
      {(p) => {
        switch (type) {
          case "multiline_text":
            return <textarea {...common(p)} className="input" rows={2} value={value} onChange={(e) => onChange(e.target.value)} />;
          case "number":
            return <input {...common(p)} className="input" dir="ltr" inputMode="decimal" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} />;
          case "money":
            return <MoneyInput {...common(p)} value={value} onChange={onChange} />;
          case "date":
            return <DateInput {...common(p)} value={value === "" ? null : value} onChange={(iso) => onChange(iso ?? "")} />;
          case "yes_no":
            return (
              <select {...common(p)} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
                <option value="">{t("fields.chooseValue")}</option>
                <option value="true">{tc("yes")}</option>
                <option value="false">{tc("no")}</option>
              </select>
            );
          case "choice":
            return (
              <select {...common(p)} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
                <option value="">{t("fields.chooseValue")}</option>
                {options
                  .filter((o) => o.key.trim() !== "")
                  .map((o) => (
                    <option key={o.key} value={o.key.trim()}>
                      {(language === "fa" ? o.fa : o.en) || o.fa || o.en || o.key}
                    </option>
                  ))}
              </select>
            );
          case "user":
            return (
              <select {...common(p)} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
                <option value="">{users.isPending ? t("common.loadingOptions") : t("fields.chooseValue")}</option>
                {users.data?.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName}
                  </option>
                ))}
              </select>
            );
          default:
            return <input {...common(p)} className="input" value={value} onChange={(e) => onChange(e.target.value)} />;
        }
      }}
    </Field>
  );
}

/** Picks an identity for the default value: a search box and the matches. */
function IdentityDefault({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: string | null }) {
  const { t } = useTranslation("admin");
  const [search, setSearch] = useState("");
  const term = useDebouncedValue(search.trim(), 300);
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(null);
  const query = { search: term === "" ? null : term, kind: null, role: null, page: 1, pageSize: 20 };
  const results = useQuery({
    queryKey: ["identities", "list", query],
    queryFn: () => unwrap(commands.listIdentities(query)),
  });
  const items = results.data?.items ?? [];
  const keepPicked = picked && picked.id === value && !items.some((i) => String(i.id) === value) ? picked : null;
  return (
    <div className="form__grid">
      <Field label={t("fields.findIdentity")} className="span-2">
        {(p) => <input {...p} type="search" className="input" autoComplete="off" value={search} onChange={(e) => setSearch(e.target.value)} />}
      </Field>
      <Field label={t("fields.defaultValue")} help={t("fields.defaultHelp")} error={error} className="span-2">
        {(p) => (
          <select
            {...p}
            data-field="defaultValue"
            data-testid="admin-default-value"
            className="input"
            value={value}
            onChange={(e) => {
              const option = e.target.selectedOptions[0];
              setPicked({ id: e.target.value, name: option?.textContent ?? "" });
              onChange(e.target.value);
            }}
          >
            <option value="">{results.isPending ? t("common.loadingOptions") : t("fields.chooseValue")}</option>
            {keepPicked ? <option value={keepPicked.id}>{keepPicked.name}</option> : null}
            {items.map((i) => (
              <option key={i.id} value={i.id}>
                {i.displayName} ({i.customerNumber})
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

function DeleteFieldDialog({ entity, field, onClose }: { entity: CustomFieldEntity; field: CustomFieldDef; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const remove = useDeleteCustomField(entity);
  const errors = useFormErrors([]);
  const title = localTitle(field, language);
  return (
    <FormDialog
      open
      title={t("fields.deleteTitle", { title })}
      onClose={onClose}
      onSubmit={() =>
        remove.mutate(field.id, {
          onSuccess: () => {
            toast.show(t("fields.deleted", { title }));
            onClose();
          },
          onError: errors.handle,
        })
      }
      busy={remove.isPending}
      errors={errors}
      saveLabel={tc("actions.delete")}
      saveTestId="admin-delete-confirm"
      danger
      testId="admin-delete-dialog"
    >
      <p>{t("fields.deleteBody")}</p>
      {field.active ? <p className="admin-hint">{t("fields.deactivateHint")}</p> : null}
    </FormDialog>
  );
}
