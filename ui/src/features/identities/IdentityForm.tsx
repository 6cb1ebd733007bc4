import { useRef, useState, type FormEvent, type InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { IdentityDetail, IdentityKind, PhoneKind, SystemItem } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, Field, Segmented, type FieldControlProps } from "../../components/Field";
import { describeError, fieldErrorsOf } from "../../lib/api";
import { formatNumber, toLocalDigits, type Lang } from "../../lib/format";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { localTitle } from "../../lib/titles";
import { useAppInfo, useCampaigns, useSystemItems, useUsers } from "../../shared/lookups";
import { useFieldErrors } from "../../shared/useFieldErrors";
import {
  emptyIdentityForm,
  FIELD_ORDER,
  formFieldFor,
  identityNameOf,
  toIdentityInput,
  type FormFieldKey,
  type IdentityFormState,
  type MappedErrors,
} from "./formModel";
import { isolate } from "./bidi";
import { useCreateIdentity, useIdentitiesWithSameName } from "./queries";
import "./identities.css";

export type IdentityFormProps = {
  open: boolean;
  onClose: () => void;
  onSaved: (identity: IdentityDetail) => void;
};

export function IdentityFormDialog({ open, onClose, onSaved }: IdentityFormProps) {
  const { t } = useTranslation("identities");
  return (
    <Dialog open={open} onClose={onClose} title={t("form.title")} testId="identity-form" variant="panel">
      <IdentityForm onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

const itemTitle = (item: SystemItem, lang: Lang) => localTitle(item, lang);

const PHONE_KINDS: readonly PhoneKind[] = ["mobile", "phone", "fax"];

const SAME_NAME_DEBOUNCE_MS = 400;
/** How many customer numbers the duplicate-name warning lists before "…". */
const SAME_NAME_LISTED = 3;

/** "C00012, C00013 …" in the language's digits and comma; each number is direction-isolated. */
export function customerNumberList(numbers: readonly string[], lang: Lang): string {
  const shown = numbers.slice(0, SAME_NAME_LISTED).map((n) => isolate(toLocalDigits(n, lang)));
  const list = shown.join(lang === "fa" ? "، " : ", ");
  return numbers.length > SAME_NAME_LISTED ? `${list} …` : list;
}

type InputExtras = Partial<InputHTMLAttributes<HTMLInputElement>> & { "data-autofocus"?: boolean };

function IdentityForm({ onClose, onSaved }: Omit<IdentityFormProps, "open">) {
  const { t } = useTranslation("identities");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();

  const prefixes = useSystemItems("person_prefix");
  const sources = useSystemItems("source");
  const campaigns = useCampaigns();
  const users = useUsers();
  const appInfo = useAppInfo();

  const [form, setForm] = useState<IdentityFormState>(() => emptyIdentityForm(appInfo.data?.currentUser.id ?? null));
  const errors = useFieldErrors((field) => formFieldFor(field, form.kind));
  const { errorText } = errors;
  const [formError, setFormError] = useState<string | null>(null);
  // Default the responsible user to the signed-in user once it is known.
  const [defaultedUser, setDefaultedUser] = useState(form.responsibleUserId !== "");
  if (!defaultedUser && appInfo.data) {
    setDefaultedUser(true);
    setForm((f) => (f.responsibleUserId === "" ? { ...f, responsibleUserId: String(appInfo.data.currentUser.id) } : f));
  }

  const create = useCreateIdentity();
  const formRef = useRef<HTMLFormElement>(null);

  // Duplicate-name warning: only a hint, it never blocks saving.
  const name = identityNameOf(form);
  const checkedName = useDebouncedValue(name, SAME_NAME_DEBOUNCE_MS);
  const sameName = useIdentitiesWithSameName(checkedName);
  const sameNameMatches = checkedName !== "" && checkedName === name ? (sameName.data ?? []) : [];
  const sameNameWarning =
    sameNameMatches.length > 0
      ? t("form.sameName", {
          count: sameNameMatches.length,
          total: formatNumber(sameNameMatches.length, language),
          numbers: customerNumberList(
            sameNameMatches.map((m) => m.customerNumber),
            language,
          ),
        })
      : null;

  const set = <K extends keyof IdentityFormState>(key: K, value: IdentityFormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key === "isCustomer" || key === "isCompetitor" || key === "isSupplier" ? "roles" : (key as FormFieldKey));
  };

  const focusFirstError = (mapped: MappedErrors) => {
    const first = FIELD_ORDER.find((k) => mapped.byField[k]);
    if (!first) return;
    requestAnimationFrame(() => {
      const el = formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`);
      el?.focus();
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    setFormError(null);
    create.mutate(toIdentityInput(form), {
      onSuccess: (detail) => {
        onSaved(detail);
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        if (fields.length > 0) {
          const mapped = errors.show(fields);
          setFormError(tc("errors.validation"));
          focusFirstError(mapped);
        } else {
          errors.reset();
          setFormError(describeError(error, tc));
        }
      },
    });
  };

  const person = form.kind === "person";
  const kindOptions = [
    { value: "person" as IdentityKind, label: t("form.person") },
    { value: "organization" as IdentityKind, label: t("form.organization") },
  ];

  const input = (key: "firstName" | "lastName" | "nationalCode" | "organizationName" | "economicCode" | "phoneNumber" | "email" | "city" | "postalCode", extra: InputExtras = {}) =>
    (p: FieldControlProps) => (
      <input
        {...p}
        {...extra}
        data-field={key}
        className={extra.dir ? "input" : "input text-auto"}
        value={form[key]}
        onChange={(e) => set(key, e.target.value)}
      />
    );

  const unmatchedMessages = errors.unmatched.map((fe) => t("form.unknownField", { message: errors.describe(fe), field: fe.field }));

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          formRef.current?.requestSubmit();
        }
      }}
    >
      <div className="form__scroll">
        {formError ? (
          <div className="form-alert" role="alert">
            <p>{formError}</p>
            {unmatchedMessages.length > 0 ? (
              <ul>
                {unmatchedMessages.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        <Segmented legend={t("form.kindLabel")} name="identity-kind" value={form.kind} options={kindOptions} onChange={(v) => set("kind", v)} />

        <section className="form__section" aria-labelledby="idf-main">
          <h3 className="form__section-title" id="idf-main">{t("form.sectionMain")}</h3>
          {person ? (
            <div className="form__grid" key="person">
              <Field label={t("form.prefix")} error={errorText("prefixId")} className="span-1">
                {(p) => (
                  <select {...p} data-field="prefixId" className="input" value={form.prefixId} onChange={(e) => set("prefixId", e.target.value)}>
                    <option value="">{prefixes.isPending ? t("form.loadingOptions") : t("form.none")}</option>
                    {prefixes.data?.map((item) => (
                      <option key={item.id} value={item.id}>
                        {itemTitle(item, language)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t("form.firstName")} error={errorText("firstName")} className="span-1">
                {input("firstName", { autoComplete: "off", "data-autofocus": true })}
              </Field>
              <Field label={t("form.lastName")} error={errorText("lastName")} warning={sameNameWarning} className="span-2">
                {input("lastName", { autoComplete: "off" })}
              </Field>
              <Field label={t("form.nationalCode")} help={t("form.nationalCodeHelp")} error={errorText("nationalCode")} className="span-2">
                {input("nationalCode", { inputMode: "numeric", dir: "ltr", autoComplete: "off" })}
              </Field>
            </div>
          ) : (
            <div className="form__grid" key="organization">
              <Field label={t("form.organizationName")} error={errorText("organizationName")} warning={sameNameWarning} className="span-4">
                {input("organizationName", { autoComplete: "off", "data-autofocus": true })}
              </Field>
              <Field label={t("form.economicCode")} error={errorText("economicCode")} className="span-2">
                {input("economicCode", { inputMode: "numeric", dir: "ltr", autoComplete: "off" })}
              </Field>
            </div>
          )}
        </section>

        <section className="form__section">
          <fieldset className="checks" data-field="roles" tabIndex={-1} aria-describedby={errors.byField.roles ? "idf-roles-error" : undefined}>
            <legend className="form__section-title">{t("form.roles")}</legend>
            <div className="checks__row">
              <Checkbox label={t("role.customer")} checked={form.isCustomer} onChange={(v) => set("isCustomer", v)} />
              <Checkbox label={t("role.competitor")} checked={form.isCompetitor} onChange={(v) => set("isCompetitor", v)} />
              <Checkbox label={t("role.supplier")} checked={form.isSupplier} onChange={(v) => set("isSupplier", v)} />
            </div>
            {errors.byField.roles ? (
              <p className="field__error" id="idf-roles-error">
                {errorText("roles")}
              </p>
            ) : null}
          </fieldset>
        </section>

        <section className="form__section" aria-labelledby="idf-rel">
          <h3 className="form__section-title" id="idf-rel">{t("form.sectionRelationship")}</h3>
          <div className="form__grid">
            <Field label={t("form.source")} error={errorText("sourceId")} className="span-2">
              {(p) => (
                <select {...p} data-field="sourceId" className="input" value={form.sourceId} onChange={(e) => set("sourceId", e.target.value)}>
                  <option value="">{sources.isPending ? t("form.loadingOptions") : t("form.none")}</option>
                  {sources.data?.map((item) => (
                    <option key={item.id} value={item.id}>
                      {itemTitle(item, language)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("form.campaign")} error={errorText("campaignId")} className="span-2">
              {(p) => (
                <select {...p} data-field="campaignId" className="input" value={form.campaignId} onChange={(e) => set("campaignId", e.target.value)}>
                  <option value="">{campaigns.isPending ? t("form.loadingOptions") : t("form.none")}</option>
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
            <Field label={t("form.responsibleUser")} error={errorText("responsibleUserId")} className="span-2">
              {(p) => (
                <select {...p} data-field="responsibleUserId" className="input" value={form.responsibleUserId} onChange={(e) => set("responsibleUserId", e.target.value)}>
                  <option value="">{users.isPending ? t("form.loadingOptions") : t("form.none")}</option>
                  {users.data?.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.displayName}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </section>

        <section className="form__section" aria-labelledby="idf-contact">
          <h3 className="form__section-title" id="idf-contact">{t("form.sectionContact")}</h3>
          <div className="form__grid">
            <Field label={t("form.phoneNumber")} error={errorText("phoneNumber")} className="span-3">
              {input("phoneNumber", { type: "tel", inputMode: "tel", dir: "ltr", autoComplete: "off" })}
            </Field>
            <Field label={t("form.phoneKind")} error={errorText("phoneKind")} className="span-1">
              {(p) => (
                <select {...p} data-field="phoneKind" className="input" value={form.phoneKind} onChange={(e) => set("phoneKind", e.target.value as PhoneKind)}>
                  {PHONE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`form.phoneKinds.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("form.email")} error={errorText("email")} className="span-4">
              {input("email", { type: "email", dir: "ltr", autoComplete: "off" })}
            </Field>
            <Field label={t("form.city")} error={errorText("city")} className="span-2">
              {input("city", { autoComplete: "off" })}
            </Field>
            <Field label={t("form.postalCode")} help={t("form.postalCodeHelp")} error={errorText("postalCode")} className="span-2">
              {input("postalCode", { inputMode: "numeric", dir: "ltr", autoComplete: "off" })}
            </Field>
            <Field label={t("form.address")} error={errorText("addressText")} className="span-4">
              {(p) => (
                <textarea {...p} data-field="addressText" className="input text-auto" rows={2} value={form.addressText} onChange={(e) => set("addressText", e.target.value)} />
              )}
            </Field>
          </div>
        </section>
      </div>

      <div className="form__footer">
        <Button variant="primary" type="submit" busy={create.isPending} data-testid="identity-save" aria-keyshortcuts="Control+Enter">
          {tc("actions.save")}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
