import { useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { IdentityDetail, IdentityKind, PhoneKind } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Checkbox, Field, Segmented, type FieldControlProps } from "../../components/Field";
import { IconPlus } from "../../components/icons";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import { localTitle } from "../../lib/titles";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { useCampaigns, useSystemItems, useUsers } from "../../shared/lookups";
import { useFieldErrors } from "../../shared/useFieldErrors";
import { isolate } from "./bidi";
import { identityNameOf } from "./formModel";
import { editFieldFor, editStateFromDetail, rowKey, toIdentityInputFromEdit, type IdentityEditState } from "./editModel";
import { customerNumberList } from "./IdentityForm";
import { useIdentitiesWithSameName, useUpdateIdentity } from "./queries";

const PHONE_KINDS: readonly PhoneKind[] = ["mobile", "phone", "fax"];
const SAME_NAME_DEBOUNCE_MS = 400;

type ListName = "phones" | "emails" | "addresses";

export type IdentitySpecificationsProps = {
  detail: IdentityDetail;
  /** Refetches the identity (after a conflict); the parent then mounts a fresh form. */
  onReload: () => Promise<unknown>;
};

/** The identity page's Specifications tab: every field of the identity, editable. */
export function IdentitySpecifications({ detail, onReload }: IdentitySpecificationsProps) {
  const { t } = useTranslation("identity");
  const { t: ti } = useTranslation("identities");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();

  const prefixes = useSystemItems("person_prefix");
  const sources = useSystemItems("source");
  const campaigns = useCampaigns();
  const users = useUsers();
  const update = useUpdateIdentity(detail.id);

  const [base, setBase] = useState(detail);
  const [form, setForm] = useState<IdentityEditState>(() => editStateFromDetail(detail));
  const errors = useFieldErrors((field) => editFieldFor(field, form.kind));
  const { errorText } = errors;
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const name = identityNameOf(form);
  const checkedName = useDebouncedValue(name, SAME_NAME_DEBOUNCE_MS);
  const sameName = useIdentitiesWithSameName(checkedName, detail.id);
  const matches = checkedName !== "" && checkedName === name ? (sameName.data ?? []) : [];
  const sameNameWarning =
    matches.length > 0
      ? ti("form.sameName", {
          count: matches.length,
          total: formatNumber(matches.length, language),
          numbers: customerNumberList(
            matches.map((m) => m.customerNumber),
            language,
          ),
        })
      : null;

  const set = <K extends keyof IdentityEditState>(key: K, value: IdentityEditState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key === "isCustomer" || key === "isCompetitor" || key === "isSupplier" ? "roles" : key);
  };
  const setRow = <L extends ListName>(list: L, index: number, patch: Partial<IdentityEditState[L][number]>, field: string) => {
    setForm((f) => ({
      ...f,
      [list]: (f[list] as IdentityEditState[L][number][]).map((row, i) =>
        i === index ? { ...row, ...patch } : "isDefault" in patch && patch.isDefault ? { ...row, isDefault: false } : row,
      ),
    }));
    errors.clear(`${list}.${index}.${field}`);
  };
  const addRow = (list: ListName) => {
    setForm((f) => {
      const isDefault = f[list].length === 0;
      if (list === "phones") return { ...f, phones: [...f.phones, { key: rowKey(), kind: "mobile", number: "", isDefault }] };
      if (list === "emails") return { ...f, emails: [...f.emails, { key: rowKey(), address: "", isDefault }] };
      return { ...f, addresses: [...f.addresses, { key: rowKey(), city: "", text: "", postalCode: "", isDefault }] };
    });
    // Positions shift: errors on list rows no longer point at the right row.
    errors.clearWhere((k) => k.startsWith(`${list}.`));
    requestAnimationFrame(() => {
      const inputs = formRef.current?.querySelectorAll<HTMLElement>(`[data-list="${list}"] [data-first]`);
      inputs?.[inputs.length - 1]?.focus();
    });
  };
  const removeRow = (list: ListName, index: number) => {
    setForm((f) => ({ ...f, [list]: f[list].filter((_, i) => i !== index) }));
    errors.clearWhere((k) => k.startsWith(`${list}.`));
  };

  // The parent refetches and starts this form over from the fresh record.
  const reload = () => void onReload();

  // Live updates: `detail` follows the backend; a newer version (saved elsewhere)
  // replaces the form quietly while nothing was typed. Over unsaved edits it waits:
  // saving then reports the conflict.
  const baseline = useMemo(() => JSON.stringify(toIdentityInputFromEdit(editStateFromDetail(base))), [base]);
  const dirty = JSON.stringify(toIdentityInputFromEdit(form)) !== baseline;
  if (detail.id === base.id && detail.version > base.version && !dirty && !update.isPending) {
    setBase(detail);
    setForm(editStateFromDetail(detail));
  }

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (update.isPending) return;
    setFormError(null);
    update.mutate(
      { version: base.version, input: toIdentityInputFromEdit(form) },
      {
        onSuccess: (saved) => {
          setBase(saved);
          setForm(editStateFromDetail(saved));
          errors.reset();
          setConflict(false);
          toast.show(t("saved", { name: isolate(saved.displayName) }), "success");
        },
        onError: (error) => {
          const fields = fieldErrorsOf(error);
          if (fields.length > 0) {
            errors.show(fields);
            setFormError(tc("errors.validation"));
            requestAnimationFrame(() => {
              const first = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true'], [data-invalid='true']");
              first?.focus();
            });
          } else if (appErrorOf(error)?.kind === "conflict") {
            setConflict(true);
          } else {
            setFormError(describeError(error, tc));
          }
        },
      },
    );
  };

  useHotkeys([{ key: "s", ctrl: true, handler: () => submit() }]);

  const person = form.kind === "person";
  const kindOptions = [
    { value: "person" as IdentityKind, label: ti("form.person") },
    { value: "organization" as IdentityKind, label: ti("form.organization") },
  ];
  const shownErrorKeys = new Set([
    "kind",
    "prefixId",
    "firstName",
    "lastName",
    "nationalCode",
    "organizationName",
    "economicCode",
    "roles",
    "sourceId",
    "campaignId",
    "responsibleUserId",
    "notes",
  ]);
  const unmatched = Object.keys(errors.byField).filter((k) => !shownErrorKeys.has(k) && !/^(phones|emails|addresses)\.\d+\./.test(k));

  // Names are typed in either script: the text in each box keeps its own direction.
  const textInput = (key: "firstName" | "lastName" | "nationalCode" | "organizationName" | "economicCode", extra: { dir?: "ltr"; inputMode?: "numeric" } = {}) =>
    (p: FieldControlProps) => <input {...p} {...extra} className={extra.dir ? "input" : "input text-auto"} autoComplete="off" value={form[key]} onChange={(e) => set(key, e.target.value)} />;

  return (
    <form ref={formRef} className="record-form" onSubmit={submit} noValidate data-testid="identity-specifications">
      {conflict ? (
        <div className="banner banner--conflict" role="alert" data-testid="conflict-banner">
          <p>{t("conflict")}</p>
          <Button size="sm" onClick={reload}>
            {tc("actions.reload")}
          </Button>
        </div>
      ) : null}
      {formError ? (
        <div className="form-alert" role="alert">
          <p>{formError}</p>
          {unmatched.length > 0 ? (
            <ul>
              {unmatched.map((k) => (
                <li key={k}>{ti("form.unknownField", { message: errorText(k), field: k })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <div className="record-form__toolbar">
        <Button variant="primary" type="submit" busy={update.isPending} shortcut="Ctrl+S" aria-keyshortcuts="Control+S" data-testid="identity-save">
          {tc("actions.save")}
        </Button>
      </div>

      <section className="card form-card">
        <Segmented legend={ti("form.kindLabel")} name="identity-edit-kind" value={form.kind} options={kindOptions} onChange={(v) => set("kind", v)} />
        {person ? (
          <div className="form__grid" key="person">
            <Field label={ti("form.prefix")} error={errorText("prefixId")} className="span-1">
              {(p) => (
                <select {...p} className="input" value={form.prefixId} onChange={(e) => set("prefixId", e.target.value)}>
                  <option value="">{ti("form.none")}</option>
                  {prefixes.data?.map((item) => (
                    <option key={item.id} value={item.id}>
                      {localTitle(item, language)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={ti("form.firstName")} error={errorText("firstName")} className="span-1">
              {textInput("firstName")}
            </Field>
            <Field label={ti("form.lastName")} error={errorText("lastName")} warning={sameNameWarning} className="span-2">
              {textInput("lastName")}
            </Field>
            <Field label={ti("form.nationalCode")} help={ti("form.nationalCodeHelp")} error={errorText("nationalCode")} className="span-2">
              {textInput("nationalCode", { dir: "ltr", inputMode: "numeric" })}
            </Field>
          </div>
        ) : (
          <div className="form__grid" key="organization">
            <Field label={ti("form.organizationName")} error={errorText("organizationName")} warning={sameNameWarning} className="span-2">
              {textInput("organizationName")}
            </Field>
            <Field label={ti("form.economicCode")} error={errorText("economicCode")} className="span-2">
              {textInput("economicCode", { dir: "ltr", inputMode: "numeric" })}
            </Field>
          </div>
        )}

        <fieldset className="checks" tabIndex={-1} data-invalid={errors.byField.roles ? "true" : undefined} aria-describedby={errors.byField.roles ? "ids-roles-error" : undefined}>
          <legend className="form__section-title">{ti("form.roles")}</legend>
          <div className="checks__row">
            <Checkbox label={ti("role.customer")} checked={form.isCustomer} onChange={(v) => set("isCustomer", v)} />
            <Checkbox label={ti("role.competitor")} checked={form.isCompetitor} onChange={(v) => set("isCompetitor", v)} />
            <Checkbox label={ti("role.supplier")} checked={form.isSupplier} onChange={(v) => set("isSupplier", v)} />
          </div>
          {errors.byField.roles ? (
            <p className="field__error" id="ids-roles-error">
              {errorText("roles")}
            </p>
          ) : null}
        </fieldset>

        <div className="form__grid">
          <Field label={ti("form.source")} error={errorText("sourceId")} className="span-2">
            {(p) => (
              <select {...p} className="input" value={form.sourceId} onChange={(e) => set("sourceId", e.target.value)}>
                <option value="">{ti("form.none")}</option>
                {sources.data?.map((item) => (
                  <option key={item.id} value={item.id}>
                    {localTitle(item, language)}
                  </option>
                ))}
                {form.sourceId !== "" && sources.data && !sources.data.some((s) => String(s.id) === form.sourceId) ? (
                  <option value={form.sourceId}>{t("inactiveValue")}</option>
                ) : null}
              </select>
            )}
          </Field>
          <Field label={ti("form.campaign")} error={errorText("campaignId")} className="span-2">
            {(p) => (
              <select {...p} className="input" value={form.campaignId} onChange={(e) => set("campaignId", e.target.value)}>
                <option value="">{ti("form.none")}</option>
                {campaigns.data
                  ?.filter((c) => c.active || String(c.id) === form.campaignId)
                  .map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Field label={ti("form.responsibleUser")} error={errorText("responsibleUserId")} className="span-2">
            {(p) => (
              <select {...p} className="input" value={form.responsibleUserId} onChange={(e) => set("responsibleUserId", e.target.value)}>
                <option value="">{ti("form.none")}</option>
                {users.data?.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName}
                  </option>
                ))}
                {form.responsibleUserId !== "" && users.data && !users.data.some((u) => String(u.id) === form.responsibleUserId) ? (
                  <option value={form.responsibleUserId}>{t("inactiveValue")}</option>
                ) : null}
              </select>
            )}
          </Field>
        </div>
      </section>

      <section className="card form-card" data-list="phones" aria-labelledby="ids-phones">
        <h3 className="form__section-title" id="ids-phones">
          {t("phones")}
        </h3>
        {form.phones.length === 0 ? <p className="muted">{t("noPhones")}</p> : null}
        {form.phones.map((row, i) => (
          <div className="list-row" key={row.key}>
            <Field label={ti("form.phoneNumber")} error={errorText(`phones.${i}.number`)} className="list-row__grow">
              {(p) => (
                <input {...p} data-first className="input" dir="ltr" inputMode="tel" autoComplete="off" value={row.number} onChange={(e) => setRow("phones", i, { number: e.target.value }, "number")} />
              )}
            </Field>
            <Field label={ti("form.phoneKind")} error={errorText(`phones.${i}.kind`)}>
              {(p) => (
                <select {...p} className="input" value={row.kind} onChange={(e) => setRow("phones", i, { kind: e.target.value as PhoneKind }, "kind")}>
                  {PHONE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {ti(`form.phoneKinds.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Checkbox label={t("default")} checked={row.isDefault} onChange={(v) => setRow("phones", i, { isDefault: v }, "isDefault")} />
            <Button size="sm" variant="ghost" onClick={() => removeRow("phones", i)} aria-label={t("removePhone", { index: formatNumber(i + 1, language) })}>
              {tc("actions.remove")}
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" icon={<IconPlus />} onClick={() => addRow("phones")}>
            {t("addPhone")}
          </Button>
        </div>
      </section>

      <section className="card form-card" data-list="emails" aria-labelledby="ids-emails">
        <h3 className="form__section-title" id="ids-emails">
          {t("emails")}
        </h3>
        {form.emails.length === 0 ? <p className="muted">{t("noEmails")}</p> : null}
        {form.emails.map((row, i) => (
          <div className="list-row" key={row.key}>
            <Field label={ti("form.email")} error={errorText(`emails.${i}.address`)} className="list-row__grow">
              {(p) => (
                <input {...p} data-first className="input" type="email" dir="ltr" autoComplete="off" value={row.address} onChange={(e) => setRow("emails", i, { address: e.target.value }, "address")} />
              )}
            </Field>
            <Checkbox label={t("default")} checked={row.isDefault} onChange={(v) => setRow("emails", i, { isDefault: v }, "isDefault")} />
            <Button size="sm" variant="ghost" onClick={() => removeRow("emails", i)} aria-label={t("removeEmail", { index: formatNumber(i + 1, language) })}>
              {tc("actions.remove")}
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" icon={<IconPlus />} onClick={() => addRow("emails")}>
            {t("addEmail")}
          </Button>
        </div>
      </section>

      <section className="card form-card" data-list="addresses" aria-labelledby="ids-addresses">
        <h3 className="form__section-title" id="ids-addresses">
          {t("addresses")}
        </h3>
        {form.addresses.length === 0 ? <p className="muted">{t("noAddresses")}</p> : null}
        {form.addresses.map((row, i) => (
          <div className="list-row list-row--address" key={row.key}>
            <Field label={ti("form.city")} error={errorText(`addresses.${i}.city`)}>
              {(p) => <input {...p} data-first className="input text-auto" autoComplete="off" value={row.city} onChange={(e) => setRow("addresses", i, { city: e.target.value }, "city")} />}
            </Field>
            <Field label={ti("form.address")} error={errorText(`addresses.${i}.text`)} className="list-row__grow">
              {(p) => <input {...p} className="input text-auto" autoComplete="off" value={row.text} onChange={(e) => setRow("addresses", i, { text: e.target.value }, "text")} />}
            </Field>
            <Field label={ti("form.postalCode")} error={errorText(`addresses.${i}.postalCode`)}>
              {(p) => (
                <input {...p} className="input" dir="ltr" inputMode="numeric" autoComplete="off" value={row.postalCode} onChange={(e) => setRow("addresses", i, { postalCode: e.target.value }, "postalCode")} />
              )}
            </Field>
            <Checkbox label={t("default")} checked={row.isDefault} onChange={(v) => setRow("addresses", i, { isDefault: v }, "isDefault")} />
            <Button size="sm" variant="ghost" onClick={() => removeRow("addresses", i)} aria-label={t("removeAddress", { index: formatNumber(i + 1, language) })}>
              {tc("actions.remove")}
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" icon={<IconPlus />} onClick={() => addRow("addresses")}>
            {t("addAddress")}
          </Button>
        </div>
      </section>

      <section className="card form-card">
        <Field label={ti("form.notes")} error={errorText("notes")}>
          {(p) => <textarea {...p} className="input text-auto" rows={3} value={form.notes} onChange={(e) => set("notes", e.target.value)} />}
        </Field>
      </section>
    </form>
  );
}
