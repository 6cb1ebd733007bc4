import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { FinancialDetail, Product } from "../../lib/types";
import { useChangedElsewhere } from "../../app/live/useChangedElsewhere";
import { navigate, paths } from "../../app/router";
import { useAppSettings, useSettingsQuery } from "../../app/settings";
import { Button } from "../../components/Button";
import { ChangedElsewhereNotice } from "../../components/ChangedElsewhereNotice";
import { DateInput } from "../../components/DateInput";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import { toLocalDigits } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import { LineTotals, LinesTable } from "../../shared/lines/LinesTable";
import { draftFromProduct, totalsOf, type LineDraft } from "../../shared/lines/lineModel";
import { useAllUsers } from "../../shared/lookups";
import { useFieldErrors } from "../../shared/useFieldErrors";
import { isolate } from "../identities/bidi";
import { ProductSelector } from "../products/ProductSelector";
import {
  CONTRACT_KINDS,
  PAYMENT_METHODS,
  emptyFinancialForm,
  financialFieldFor,
  formFromFinancial,
  hasAmount,
  hasLines,
  isLocked,
  localFinancialErrors,
  toFinancialInput,
  type FinancialFormState,
  type NewRecordStart,
} from "./formModel";
import { useApproveFinancialRecord, useDeleteFinancialRecord, useInvoiceFromProforma, useSaveFinancialRecord } from "./queries";
import { rebaseFinancial } from "./rebase";
import { RecordValues } from "./RecordValues";
import { ReturnLines } from "./ReturnLines";
import "../identities/identities.css";
import "./financial.css";

export type FinancialFormProps = {
  /**
   * The record as the backend has it now; null for a new record (then `start` says
   * what it starts from). The form starts from it and notices newer versions.
   */
  detail: FinancialDetail | null;
  start: NewRecordStart | null;
  identity: { id: number; name: string };
  /** The parent opportunity's title, when the record sits inside one (and it could be read). */
  opportunityTitle: string | null;
  /** Refetches the record; the parent then mounts a fresh form. */
  onReload: () => Promise<unknown>;
};

/** The configured tax rate (what taxable products carry on proformas and invoices). */
function useTaxPercent(): string | null {
  const settings = useSettingsQuery();
  return settings.data?.taxPercent ?? null;
}

/** One screen for every financial record: proforma, invoice, sales return, receipt, payment, contract. */
export function FinancialForm({ detail, start, identity, opportunityTitle, onReload }: FinancialFormProps) {
  const { t } = useTranslation("financial");
  const { t: tc } = useTranslation("common");
  const { t: tp } = useTranslation("products");
  const { language, currencyDecimals } = useAppSettings();
  const toast = useToast();
  const uid = useId();
  const taxPercent = useTaxPercent();

  const [base, setBase] = useState<FinancialDetail | null>(detail);
  const [form, setForm] = useState<FinancialFormState>(() => {
    if (detail) return formFromFinancial(detail);
    const from = start as NewRecordStart;
    // "Receipt — Acme Trading": a title the user may keep, so a new record saves at once.
    return emptyFinancialForm(from, { title: t("defaultTitle", { kind: tc(`recordKind.${from.kind}`), name: identity.name }) });
  });
  const errors = useFieldErrors(financialFieldFor);
  const { errorText } = errors;
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [confirm, setConfirm] = useState<"approve" | "delete" | null>(null);
  const [busy, setBusy] = useState<"approve" | "invoice" | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const save = useSaveFinancialRecord(base);
  const approve = useApproveFinancialRecord();
  const remove = useDeleteFinancialRecord();
  const toInvoice = useInvoiceFromProforma();

  const kind = form.kind;
  const approved = base?.status === "approved";
  // Approved (or otherwise final) records are shown as text: nothing on them can change.
  const readOnly = base !== null && isLocked(base.status);
  const kindLabel = tc(`recordKind.${kind}`);
  const heading = base ? (
    <>
      {kindLabel} <bdi>{toLocalDigits(base.number, language)}</bdi>
    </>
  ) : (
    t(`newKind.${kind}`)
  );

  const set = <K extends keyof FinancialFormState>(key: K, value: FinancialFormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };
  const changeLines = (lines: LineDraft[], errorKey: string | null) => {
    setForm((f) => ({ ...f, lines }));
    if (errorKey) errors.clear(errorKey);
    else errors.clearWhere((k) => k === "lines" || k.startsWith("lines."));
  };
  const addProduct = (product: Product) => changeLines([...form.lines, draftFromProduct(product, product.taxable ? taxPercent : "0")], null);

  const focusFirstError = () => {
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };
  const showError = (error: unknown) => {
    const fields = fieldErrorsOf(error);
    if (fields.length > 0) {
      errors.show(fields);
      setFormError(tc("errors.validation"));
      focusFirstError();
    } else if (appErrorOf(error)?.kind === "conflict") {
      errors.reset();
      setConflict(true);
    } else {
      setFormError(describeError(error, tc));
    }
  };

  const baseline = useMemo(() => (base ? JSON.stringify(toFinancialInput(formFromFinancial(base))) : null), [base]);
  const dirty = baseline === null || (!readOnly && JSON.stringify(toFinancialInput(form)) !== baseline);

  // Live updates, as on the opportunity form: a newer version replaces an untouched
  // form quietly; over unsaved edits another user's save is announced, and the user
  // takes theirs or keeps their edits on top (not once it is approved: read-only).
  const users = useAllUsers();
  const elsewhere = useChangedElsewhere("financial_record", base?.id ?? null);
  const newer = base !== null && detail !== null && detail.id === base.id && detail.version > base.version ? detail : null;
  if (newer && !dirty && !save.isPending && busy === null) {
    setBase(newer);
    setForm(formFromFinancial(newer));
    if (elsewhere.changed) elsewhere.clear();
  }
  const rebased = newer && dirty && base && elsewhere.changed ? rebaseFinancial(formFromFinancial(base), form, formFromFinancial(newer)) : null;
  const takeTheirs = () => {
    if (!newer) return;
    setBase(newer);
    setForm(formFromFinancial(newer));
    errors.reset();
    setFormError(null);
    setConflict(false);
    elsewhere.clear();
  };
  const keepMine = () => {
    if (!newer || !rebased) return;
    setBase(newer);
    setForm(rebased.merged);
    setConflict(false);
    elsewhere.clear();
  };
  const changedLabel = (key: string): string => {
    if (key === "lines") return t("sections.lines");
    if (key === "parentRecordId") return kind === "invoice" ? t("fields.fromProforma") : t("fields.returnedInvoice");
    return t(`fields.${key}` as "fields.title");
  };
  const changedBy = elsewhere.changed?.userId != null ? (users.data?.find((u) => u.id === elsewhere.changed?.userId)?.displayName ?? null) : null;

  /** Saves the draft; the saved record, or null when it was refused. */
  const saveNow = async (): Promise<FinancialDetail | null> => {
    setFormError(null);
    const local = localFinancialErrors(form);
    if (local.length > 0) {
      errors.show(local);
      setFormError(tc("errors.validation"));
      focusFirstError();
      return null;
    }
    try {
      const saved = await save.mutateAsync({ version: base?.version ?? 0, input: toFinancialInput(form) });
      toast.show(t("saved", { kind: tc(`recordKind.${saved.kind}`), number: isolate(toLocalDigits(saved.number, language)) }), "success");
      errors.reset();
      setConflict(false);
      if (base) {
        setBase(saved);
        setForm(formFromFinancial(saved));
      }
      return saved;
    } catch (error) {
      showError(error);
      return null;
    }
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (readOnly || save.isPending) return;
    void saveNow().then((saved) => {
      if (saved && !base) navigate(paths.record(saved.id), { replace: true });
    });
  };

  /** Saves pending edits first (a step that needs the saved record). */
  const current = async (): Promise<FinancialDetail | null> => (dirty ? saveNow() : base);

  const doApprove = async () => {
    setConfirm(null);
    if (!base || busy) return;
    setBusy("approve");
    try {
      const latest = await current();
      if (!latest) return;
      const done = await approve.mutateAsync(latest);
      setBase(done);
      setForm(formFromFinancial(done));
      toast.show(t("approvedToast", { kind: tc(`recordKind.${done.kind}`), number: isolate(toLocalDigits(done.number, language)) }), "success");
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const doDelete = () => {
    if (!base) return;
    remove.mutate(base, {
      onSuccess: () => {
        setConfirm(null);
        toast.show(t("deleted", { kind: kindLabel, number: isolate(toLocalDigits(base.number, language)) }), "success");
        navigate(base.opportunityId !== null ? paths.opportunity(base.opportunityId, "records") : paths.identity(base.identityId, "records"));
      },
      onError: (error) => {
        setConfirm(null);
        showError(error);
      },
    });
  };

  const doInvoice = async () => {
    if (!base || busy) return;
    setBusy("invoice");
    try {
      const latest = await current();
      if (!latest) return;
      const invoice = await toInvoice.mutateAsync(latest.id);
      toast.show(t("invoiced", { number: isolate(toLocalDigits(invoice.number, language)) }), "success");
      navigate(paths.record(invoice.id));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  useHotkeys([{ key: "s", ctrl: true, handler: () => submit() }]);

  const lines = hasLines(kind);
  const totals = lines ? totalsOf(form.lines, currencyDecimals) : null;
  const unmatched = errors.unmatched;
  const statusOf = (d: FinancialDetail) => (
    <span className={`badge badge--status badge--${d.status}`} data-testid="record-status">
      {tc(`recordStatus.${d.status}`)}
    </span>
  );

  return (
    <div
      className={readOnly ? "page record-page financial-page financial-page--locked" : "page record-page financial-page"}
      data-testid="financial-page"
      data-kind={kind}
      data-locked={readOnly || undefined}
    >
      <nav className="breadcrumb" aria-label={t("breadcrumb")}>
        <a href={paths.identity(identity.id, "records")}>
          <bdi>{identity.name}</bdi>
        </a>
        {form.opportunityId !== null ? (
          <>
            <span aria-hidden="true">/</span>
            <a href={paths.opportunity(form.opportunityId, "records")}>
              <bdi>{opportunityTitle ?? tc("recordKind.opportunity")}</bdi>
            </a>
          </>
        ) : null}
        <span aria-hidden="true">/</span>
        <span aria-current="page">{heading}</span>
      </nav>
      <header className="record-header">
        <div className="record-header__main">
          <h1 className="page__title financial-title" data-testid="financial-heading">
            <span>{heading}</span>
            {base ? statusOf(base) : null}
          </h1>
          <dl className="facts">
            <div>
              <dt>{t("fields.relatedTo")}</dt>
              <dd>
                <a href={paths.identity(identity.id)} data-testid="record-identity">
                  <bdi>{identity.name}</bdi>
                </a>
                {errorText("identityId") ? <p className="field__error">{errorText("identityId")}</p> : null}
              </dd>
            </div>
            {form.opportunityId !== null ? (
              <div>
                <dt>{t("fields.opportunity")}</dt>
                <dd>
                  <a href={paths.opportunity(form.opportunityId)} data-testid="record-opportunity">
                    <bdi>{opportunityTitle ?? tc("recordKind.opportunity")}</bdi>
                  </a>
                  {errorText("opportunityId") ? <p className="field__error">{errorText("opportunityId")}</p> : null}
                </dd>
              </div>
            ) : null}
            {base?.parentRecordId != null && kind === "invoice" ? (
              <div>
                <dt>{t("fields.fromProforma")}</dt>
                <dd>
                  <a href={paths.record(base.parentRecordId)} data-testid="record-parent">
                    {t("openParent")}
                  </a>
                </dd>
              </div>
            ) : null}
            {base?.parentRecordId != null && kind === "sales_return" ? (
              <div>
                <dt>{t("fields.returnedInvoice")}</dt>
                <dd>
                  <a href={paths.record(base.parentRecordId)} data-testid="record-parent">
                    {t("openParent")}
                  </a>
                </dd>
              </div>
            ) : null}
          </dl>
        </div>
        <div className="record-toolbar" role="toolbar" aria-label={t("toolbar")}>
          {!readOnly ? (
            <Button variant="primary" onClick={() => submit()} busy={save.isPending && busy === null} shortcut="Ctrl+S" aria-keyshortcuts="Control+S" data-testid="record-save">
              {tc("actions.save")}
            </Button>
          ) : null}
          {base && !readOnly ? (
            <Button onClick={() => setConfirm("approve")} busy={busy === "approve"} data-testid="approve">
              {t("actions.approve")}
            </Button>
          ) : null}
          {base && !readOnly ? (
            <Button onClick={() => setConfirm("delete")} data-testid="record-delete">
              {t("actions.deleteDraft")}
            </Button>
          ) : null}
          {base && kind === "proforma" ? (
            <Button onClick={() => void doInvoice()} busy={busy === "invoice"} data-testid="turn-into-invoice">
              {t("actions.turnIntoInvoice")}
            </Button>
          ) : null}
          {base && kind === "invoice" ? (
            <Button onClick={() => navigate(paths.newRecord({ kind: "receipt", identityId: base.identityId, opportunityId: base.opportunityId }))} data-testid="new-receipt-from-invoice">
              {t("actions.newReceipt")}
            </Button>
          ) : null}
          {base && kind === "invoice" && approved ? (
            <Button
              onClick={() => navigate(paths.newRecord({ kind: "sales_return", identityId: base.identityId, opportunityId: base.opportunityId, parentId: base.id }))}
              data-testid="new-return-from-invoice"
            >
              {t("actions.newReturn")}
            </Button>
          ) : null}
          {base ? (
            <Button variant="ghost" onClick={() => navigate(paths.recordPrint(base.id))} data-testid="print">
              {t("actions.print")}
            </Button>
          ) : null}
        </div>
      </header>

      <form ref={formRef} className="record-form" onSubmit={submit} noValidate data-testid="financial-form">
        {rebased && newer ? (
          <ChangedElsewhereNotice
            who={changedBy}
            entity={tc("entities.financialRecord")}
            fields={rebased.changedByThem.map((key) => ({ key, label: changedLabel(key), alsoMine: rebased.conflicts.includes(key) }))}
            onTakeTheirs={takeTheirs}
            onKeepMine={newer.status === "approved" ? null : keepMine}
          />
        ) : null}
        {conflict ? (
          <div className="banner banner--conflict" role="alert" data-testid="conflict-banner">
            <p>{t("conflict")}</p>
            <Button size="sm" onClick={() => void onReload()} data-testid="conflict-reload">
              {tc("actions.reload")}
            </Button>
          </div>
        ) : null}
        {readOnly ? (
          <p className="notice" data-testid="approved-note">
            {t("approvedNote")}
          </p>
        ) : null}
        {formError ? (
          <div className="form-alert" role="alert" data-testid="form-alert">
            <p>{formError}</p>
            {unmatched.length > 0 ? (
              <ul>
                {unmatched.map((fe, i) => (
                  <li key={i}>{t("unknownField", { message: errors.describe(fe), field: fe.field })}</li>
                ))}
              </ul>
            ) : null}
            {errorText("status") ? <p>{t("statusLocked")}</p> : null}
            {errorText("id") ? <p>{t("hasChildren")}</p> : null}
          </div>
        ) : null}

        {readOnly && base ? (
          <section className="card form-card" aria-labelledby={`${uid}-spec`}>
            <h2 className="form__section-title" id={`${uid}-spec`}>
              {t("sections.specifications")}
            </h2>
            <RecordValues detail={base} />
          </section>
        ) : (
          <section className="card form-card" aria-labelledby={`${uid}-spec`}>
            <h2 className="form__section-title" id={`${uid}-spec`}>
              {t("sections.specifications")}
            </h2>
            <div className="form__grid">
              <Field label={t("fields.title")} required error={errorText("title")} className="span-2">
                {(p) => <input {...p} data-field="title" className="input text-auto" autoComplete="off" aria-required value={form.title} onChange={(e) => set("title", e.target.value)} />}
              </Field>
              <Field label={t("fields.issueDate")} required error={errorText("issueDate")} className="span-2">
                {(p) => <DateInput {...p} data-field="issueDate" aria-required value={form.issueDate} onChange={(iso) => set("issueDate", iso)} />}
              </Field>

              {kind === "proforma" ? (
                <Field label={t("fields.expiryDate")} error={errorText("expiryDate")} className="span-2">
                  {(p) => <DateInput {...p} data-field="expiryDate" value={form.expiryDate} onChange={(iso) => set("expiryDate", iso)} />}
                </Field>
              ) : null}

              {kind === "contract" ? (
                <Field label={t("fields.contractKind")} required error={errorText("contractKind")} className="span-2">
                  {(p) => (
                    <select {...p} data-field="contractKind" className="input" aria-required value={form.contractKind} onChange={(e) => set("contractKind", e.target.value as FinancialFormState["contractKind"])}>
                      <option value="">{t("choose")}</option>
                      {CONTRACT_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {t(`contractKind.${k}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              ) : null}

              {hasAmount(kind) ? (
                <Field label={t("fields.amount")} required error={errorText("amount")} className="span-2">
                  {(p) => <MoneyInput {...p} data-field="amount" aria-required value={form.amount} onChange={(v) => set("amount", v)} />}
                </Field>
              ) : null}

              {kind === "receipt" || kind === "payment" ? (
                <>
                  <Field label={t("fields.method")} required error={errorText("method")} className="span-2">
                    {(p) => (
                      <select {...p} data-field="method" className="input" aria-required value={form.method} onChange={(e) => set("method", e.target.value as FinancialFormState["method"])}>
                        <option value="">{t("choose")}</option>
                        {PAYMENT_METHODS.map((m) => (
                          <option key={m} value={m}>
                            {t(`method.${m}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label={t("fields.referenceNo")} error={errorText("referenceNo")} className="span-2">
                    {(p) => <input {...p} data-field="referenceNo" className="input" dir="auto" autoComplete="off" value={form.referenceNo} onChange={(e) => set("referenceNo", e.target.value)} />}
                  </Field>
                </>
              ) : null}

              {kind === "contract" ? (
                <>
                  <Field label={t("fields.startDate")} error={errorText("startDate")} className="span-2">
                    {(p) => <DateInput {...p} data-field="startDate" value={form.startDate} onChange={(iso) => set("startDate", iso)} />}
                  </Field>
                  <Field label={t("fields.endDate")} error={errorText("endDate")} className="span-2">
                    {(p) => <DateInput {...p} data-field="endDate" value={form.endDate} onChange={(iso) => set("endDate", iso)} />}
                  </Field>
                </>
              ) : null}

              <Field label={t("fields.description")} error={errorText("description")} className="span-4">
                {(p) => <textarea {...p} data-field="description" className="input text-auto" rows={2} value={form.description} onChange={(e) => set("description", e.target.value)} />}
              </Field>
            </div>
          </section>
        )}

        {lines ? (
          <section className="card form-card" aria-labelledby={`${uid}-lines`} data-testid="record-lines-section">
            <h2 className="form__section-title" id={`${uid}-lines`}>
              {t("sections.lines")}
            </h2>
            {errorText("lines") ? (
              <p className="field__error" data-field="lines">
                {errorText("lines")}
              </p>
            ) : null}
            {kind === "sales_return" && !readOnly ? (
              <ReturnLines
                identityId={form.identityId}
                parentRecordId={form.parentRecordId}
                onParentChange={(id) => set("parentRecordId", id)}
                lines={form.lines}
                onChange={changeLines}
                errorText={errorText}
              />
            ) : (
              <div className="financial-lines">
                {!readOnly ? <ProductSelector onPick={addProduct} /> : null}
                <LinesTable lines={form.lines} onChange={readOnly ? undefined : changeLines} errorText={errorText} showTax caption={tp("lines.caption")} testId="record-lines" />
              </div>
            )}
            {totals && form.lines.length > 0 ? <LineTotals totals={totals} showTax /> : null}
          </section>
        ) : null}
      </form>

      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === "approve" ? t("approve.title") : t("delete.title")}
        variant="modal"
        testId={confirm === "approve" ? "approve-confirm" : "delete-confirm"}
        footer={
          <div className="dialog__actions">
            {confirm === "approve" ? (
              <Button variant="primary" onClick={() => void doApprove()} data-testid="approve-confirm-yes">
                {t("actions.approve")}
              </Button>
            ) : (
              <Button variant="danger" onClick={doDelete} busy={remove.isPending} data-testid="delete-confirm-yes">
                {tc("actions.delete")}
              </Button>
            )}
            <Button variant="ghost" onClick={() => setConfirm(null)} data-autofocus>
              {tc("actions.cancel")}
            </Button>
          </div>
        }
      >
        <div className="form__scroll">
          <p>{confirm === "approve" ? t("approve.body") : t("delete.body", { kind: kindLabel, number: base ? isolate(toLocalDigits(base.number, language)) : "" })}</p>
        </div>
      </Dialog>
    </div>
  );
}
