import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { WebviewWindow } from "@tauri-apps/api/webviewWindow";
import type { CustomFieldDef, OpportunityDetail, Stage, SystemItem, SystemListKey } from "../../lib/types";
import { navigate, paths, type RecordTab } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Balance } from "../../components/Balance";
import { Button } from "../../components/Button";
import { DateInput } from "../../components/DateInput";
import { Dialog } from "../../components/Dialog";
import { Field, type FieldControlProps } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import { Tabs, tabPanelProps } from "../../components/Tabs";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, describeFieldError, fieldErrorsOf } from "../../lib/api";
import { formatDate, formatDateTime, formatDecimal, formatMoney, normalizeDigits, toLocalDigits } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import { localTitle } from "../../lib/titles";
import { useAllSystemItems, useAllUsers, useCampaigns, useStages, useUsers } from "../identities/queries";
import { useIssueFromOpportunity } from "../financial/queries";
import { totalsOf, type LineDraft } from "../products/lineModel";
import { ChangesPanel } from "./ChangesPanel";
import { Competitors } from "./Competitors";
import { CustomFields } from "./CustomFields";
import {
  amountBackToAutomatic,
  amountIsAutomatic,
  changeStage,
  emptyOpportunityForm,
  formFromDetail,
  mapOpportunityErrors,
  setLines,
  stageKindOf,
  toOpportunityInput,
  typeAmount,
  typeProbability,
  type OpportunityErrors,
  type OpportunityFormState,
} from "./formModel";
import { FIELD_LABEL_KEYS, HELP_KEYS, type FieldNumber } from "./labels";
import { OpportunityRecords } from "./OpportunityRecords";
import { ProductsSection, type IssueKind } from "./ProductsSection";
import { useDeleteOpportunity, useSaveOpportunity } from "./queries";
import { StageBar } from "./StageBar";

const NUMBERS_KEY = "forsat.showFieldNumbers";

function readShowNumbers(): boolean {
  try {
    return window.localStorage.getItem(NUMBERS_KEY) === "1";
  } catch {
    return false;
  }
}

function writeShowNumbers(on: boolean): void {
  try {
    window.localStorage.setItem(NUMBERS_KEY, on ? "1" : "0");
  } catch {
    // Not remembered when storage is unavailable.
  }
}

const NO_ERRORS: OpportunityErrors = { byField: {}, unmatched: [] };

export type OpportunityFormProps = {
  detail: OpportunityDetail | null;
  related: { id: number; name: string };
  /** Active stages in bar order. */
  stages: Stage[];
  customFieldDefs: CustomFieldDef[];
  currentUserId: number | null;
  tab: RecordTab;
  /** Refetches everything; the parent then mounts a fresh form. */
  onReload: () => Promise<unknown>;
};

/** The opportunity form: one screen for a new opportunity and for an existing one. */
export function OpportunityForm({ detail, related, stages, customFieldDefs, currentUserId, tab, onReload }: OpportunityFormProps) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const toast = useToast();
  const uid = useId();

  const users = useUsers();
  const allUsers = useAllUsers();
  const campaigns = useCampaigns();
  const types = useAllSystemItems("opportunity_type");
  const sources = useAllSystemItems("source");
  const winReasons = useAllSystemItems("win_reason");
  const lossReasons = useAllSystemItems("loss_reason");
  const purchaseProcesses = useAllSystemItems("purchase_process");

  const [base, setBase] = useState<OpportunityDetail | null>(detail);
  const [form, setForm] = useState<OpportunityFormState>(() =>
    detail ? formFromDetail(detail) : emptyOpportunityForm(related.id, stages, currentUserId),
  );
  const [errors, setErrors] = useState<OpportunityErrors>(NO_ERRORS);
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [showNumbers, setShowNumbers] = useState(readShowNumbers);
  const [changesOpen, setChangesOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const save = useSaveOpportunity(base?.id ?? null);
  const remove = useDeleteOpportunity();
  const issue = useIssueFromOpportunity();
  const [issuing, setIssuing] = useState<IssueKind | null>(null);

  // Titles of stages in the change log may belong to stages deactivated since.
  const allStages = useStages(true);
  const kind = stageKindOf(form, stages);

  const fmt = (v: string) => formatDecimal(v, language);
  const errorText = (key: string): string | null => {
    const e = errors.byField[key];
    return e ? describeFieldError(e, tc, fmt) : null;
  };
  const clearError = (key: string) => {
    if (!errors.byField[key]) return;
    setErrors((e) => {
      const byField = { ...e.byField };
      delete byField[key];
      return { ...e, byField };
    });
  };
  const set = <K extends keyof OpportunityFormState>(key: K, value: OpportunityFormState[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    clearError(key);
  };

  const setTab = (next: RecordTab) => {
    if (base) navigate(paths.opportunity(base.id, next), { replace: true });
  };

  const focusFirstError = () => {
    requestAnimationFrame(() => {
      const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
    });
  };

  const showSaveError = (error: unknown) => {
    const fields = fieldErrorsOf(error);
    if (fields.length > 0) {
      setErrors(mapOpportunityErrors(fields));
      setFormError(tc("errors.validation"));
      focusFirstError();
    } else if (appErrorOf(error)?.kind === "conflict") {
      setErrors(NO_ERRORS);
      setConflict(true);
    } else {
      setFormError(describeError(error, tc));
    }
  };

  /** Saves the form; the saved opportunity, or null when the save was refused. */
  const saveNow = async (): Promise<OpportunityDetail | null> => {
    setFormError(null);
    try {
      const saved = await save.mutateAsync({ version: base?.version ?? 0, input: toOpportunityInput(form, customFieldDefs) });
      toast.show(t("saved", { title: saved.title }), "success");
      setErrors(NO_ERRORS);
      setConflict(false);
      if (base) {
        setBase(saved);
        setForm(formFromDetail(saved));
      }
      return saved;
    } catch (error) {
      showSaveError(error);
      return null;
    }
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (save.isPending) return;
    void saveNow().then((saved) => {
      if (saved && !base) navigate(paths.opportunity(saved.id));
    });
  };

  // Unsaved changes: what the form would send differs from what was loaded.
  const baseline = useMemo(() => (base ? JSON.stringify(toOpportunityInput(formFromDetail(base), customFieldDefs)) : null), [base, customFieldDefs]);
  const dirty = baseline === null || JSON.stringify(toOpportunityInput(form, customFieldDefs)) !== baseline;

  /** 17 / 18: saves pending changes first, then issues the document and opens it. */
  const issueDocument = async (kind: IssueKind) => {
    if (!base || issuing !== null || save.isPending) return;
    setIssuing(kind);
    try {
      const current = dirty ? await saveNow() : base;
      if (!current) return;
      const doc = await issue.mutateAsync({ opportunityId: current.id, kind });
      toast.show(t("products.issued", { kind: tc(`recordKind.${kind}`), number: toLocalDigits(doc.number, language) }), "success");
      navigate(paths.record(doc.id));
    } catch (error) {
      showSaveError(error);
    } finally {
      setIssuing(null);
    }
  };

  const changeLines = (lines: LineDraft[], errorKey: string | null) => {
    setForm((f) => setLines(f, lines, currencyDecimals));
    if (errorKey) clearError(errorKey);
    else setErrors((e) => ({ ...e, byField: Object.fromEntries(Object.entries(e.byField).filter(([k]) => k !== "lines" && !k.startsWith("lines."))) }));
  };

  const automaticAmount = amountIsAutomatic(form);
  const manualAmountWithLines = form.lines.length > 0 && form.amountIsManual;
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode });

  const doDelete = () => {
    if (!base) return;
    remove.mutate(base, {
      onSuccess: () => {
        setConfirmDelete(false);
        toast.show(t("deleted", { title: base.title }), "success");
        navigate(paths.identity(base.identityId, "records"));
      },
      onError: (error) => {
        setConfirmDelete(false);
        if (appErrorOf(error)?.kind === "conflict") setConflict(true);
        else setFormError(describeError(error, tc));
      },
    });
  };

  const openInNewWindow = () => {
    if (!base) return;
    try {
      const win = new WebviewWindow(`opportunity-${base.id}-${Date.now()}`, {
        url: `index.html${paths.opportunity(base.id)}`,
        title: `${base.title} — ${tc("app.name")}`,
      });
      void win.once("tauri://error", () => toast.show(t("toolbar.newWindowFailed"), "error"));
    } catch {
      toast.show(t("toolbar.newWindowFailed"), "error");
    }
  };

  const toggleNumbers = () => {
    setShowNumbers((on) => {
      writeShowNumbers(!on);
      return !on;
    });
  };

  useHotkeys([
    { key: "s", ctrl: true, handler: () => submit() },
    { key: "1", ctrl: true, handler: () => setTab("specifications") },
    { key: "2", ctrl: true, handler: () => setTab("records") },
  ]);

  // ------------------------------------------------------------ helpers for fields
  const num = (n: FieldNumber): ReactNode =>
    showNumbers ? (
      <span className="field-no" aria-hidden="true" data-field-number={n}>
        {toLocalDigits(String(n), language)}
      </span>
    ) : null;
  const tip = (n: FieldNumber) => t(HELP_KEYS[n]);
  const label = (key: keyof typeof FIELD_LABEL_KEYS) => t(FIELD_LABEL_KEYS[key]);

  const itemOptions = (items: readonly SystemItem[] | undefined, current: string) =>
    (items ?? [])
      .filter((i) => i.active || String(i.id) === current)
      .sort((a, b) => a.sortOrder - b.sortOrder)
      .map((i) => (
        <option key={i.id} value={i.id}>
          {localTitle(i, language)}
          {i.active ? "" : ` ${t("inactive")}`}
        </option>
      ));
  const listSelect = (key: "typeId" | "sourceId" | "winReasonId" | "lossReasonId" | "purchaseProcessId", items: readonly SystemItem[] | undefined, opts: { disabled?: boolean; required?: boolean } = {}) =>
    function control(p: FieldControlProps) {
      return (
        <select
          {...p}
          className="input"
          data-field={key}
          value={form[key]}
          disabled={opts.disabled}
          aria-required={opts.required || undefined}
          onChange={(e) => set(key, e.target.value)}
        >
          <option value="">{opts.required ? t("choose") : t("none")}</option>
          {itemOptions(items, form[key])}
        </select>
      );
    };

  const assignedOptions = (() => {
    const active = users.data ?? [];
    const current = form.assignedUserId;
    const inactive = current !== "" && !active.some((u) => String(u.id) === current) ? allUsers.data?.find((u) => String(u.id) === current) : undefined;
    return [
      ...active.map((u) => (
        <option key={u.id} value={u.id}>
          {u.displayName}
        </option>
      )),
      inactive ? (
        <option key={inactive.id} value={inactive.id}>
          {inactive.displayName} {t("inactive")}
        </option>
      ) : null,
    ];
  })();

  const systemItemsForChanges: Partial<Record<SystemListKey, readonly SystemItem[]>> = {
    opportunity_type: types.data ?? [],
    source: sources.data ?? [],
    win_reason: winReasons.data ?? [],
    loss_reason: lossReasons.data ?? [],
    purchase_process: purchaseProcesses.data ?? [],
  };

  const stageLabelId = `${uid}-stage-label`;
  const stageHelpId = `${uid}-stage-help`;
  const stageErrorId = `${uid}-stage-error`;
  const stageError = errorText("stageId");
  const heading = base ? base.title : t("newTitle");
  const won = kind === "won";
  const lost = kind === "lost";
  const closed = won || lost;

  return (
    <div className="page record-page" data-testid="opportunity-page">
      <nav className="breadcrumb" aria-label={t("breadcrumb")}>
        <a href={paths.identity(related.id, "records")}>{related.name}</a>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{heading}</span>
      </nav>
      <header className="record-header">
        <div className="record-header__main">
          <h1 className="page__title" data-testid="opportunity-heading">
            {heading}
          </h1>
          <dl className="facts">
            <div>
              <dt>{label("identityId")}</dt>
              <dd>
                <a href={paths.identity(related.id)} data-testid="related-identity">
                  {related.name}
                </a>
                {errorText("identityId") ? <p className="field__error">{errorText("identityId")}</p> : null}
              </dd>
            </div>
            {base ? (
              <>
                <div>
                  <dt>{t("meta.created")}</dt>
                  <dd>{t("meta.atBy", { at: formatDateTime(base.createdAt, calendar, language), by: base.createdBy ?? t("meta.unknown") })}</dd>
                </div>
                <div>
                  <dt>{t("meta.edited")}</dt>
                  <dd>{t("meta.atBy", { at: formatDateTime(base.updatedAt, calendar, language), by: base.updatedBy ?? t("meta.unknown") })}</dd>
                </div>
              </>
            ) : null}
          </dl>
        </div>
        <div className="record-toolbar" role="toolbar" aria-label={t("toolbar.label")}>
          <Button variant="primary" onClick={() => submit()} busy={save.isPending} shortcut="Ctrl+S" aria-keyshortcuts="Control+S" data-testid="opportunity-save">
            {tc("actions.save")}
          </Button>
          <Button onClick={() => setConfirmDelete(true)} disabled={!base} data-testid="opportunity-delete">
            {tc("actions.delete")}
          </Button>
          <Button onClick={() => setChangesOpen(true)} disabled={!base} data-testid="opportunity-changes">
            {t("toolbar.changes")}
          </Button>
          <Button onClick={openInNewWindow} disabled={!base} data-testid="open-in-new-window">
            {t("toolbar.newWindow")}
          </Button>
          <Button variant="ghost" aria-pressed={showNumbers} onClick={toggleNumbers} data-testid="toggle-field-numbers">
            {t("toolbar.fieldNumbers")}
          </Button>
        </div>
      </header>

      <Tabs
        label={t("tabsLabel")}
        idPrefix="opportunity"
        value={base ? tab : "specifications"}
        onChange={setTab}
        items={[
          { value: "specifications", label: t("tabs.specifications"), shortcut: "Ctrl+1", testId: "tab-specifications" },
          { value: "records", label: t("tabs.records"), shortcut: "Ctrl+2", disabled: !base, testId: "tab-records" },
        ]}
      />

      <div {...tabPanelProps("opportunity", base ? tab : "specifications")}>
        {base && tab === "records" ? (
          <OpportunityRecords detail={base} stages={allStages.data ?? stages} />
        ) : (
          <form ref={formRef} className="record-form" onSubmit={submit} noValidate data-testid="opportunity-form">
            {conflict ? (
              <div className="banner banner--conflict" role="alert" data-testid="conflict-banner">
                <p>{t("conflict")}</p>
                <Button size="sm" onClick={() => void onReload()} data-testid="conflict-reload">
                  {tc("actions.reload")}
                </Button>
              </div>
            ) : null}
            {formError ? (
              <div className="form-alert" role="alert" data-testid="form-alert">
                <p>{formError}</p>
                {errors.unmatched.length > 0 ? (
                  <ul>
                    {errors.unmatched.map((fe, i) => (
                      <li key={i}>{t("unknownField", { message: describeFieldError(fe, tc, fmt), field: fe.field })}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}

            <section className="card form-card stage-section" aria-labelledby={stageLabelId}>
              <div className="field__head">
                {num(19)}
                <h2 className="form__section-title" id={stageLabelId}>
                  {label("stageId")}
                </h2>
              </div>
              <StageBar
                label={label("stageId")}
                stages={stages}
                value={form.stageId}
                describedBy={[stageError ? stageErrorId : null, stageHelpId].filter(Boolean).join(" ")}
                invalid={!!stageError}
                onChange={(stage) => {
                  setForm((f) => changeStage(f, stage, stages));
                  clearError("stageId");
                  clearError("winReasonId");
                  clearError("lossReasonId");
                }}
              />
              <p className="visually-hidden" id={stageHelpId}>
                {tip(19)}
              </p>
              {stageError ? (
                <p className="field__error" id={stageErrorId}>
                  {stageError}
                </p>
              ) : null}
            </section>

            <section className="card form-card" aria-labelledby={`${uid}-spec`}>
              <h2 className="form__section-title" id={`${uid}-spec`}>
                {t("sections.specifications")}
              </h2>
              <div className="form__grid">
                <Field label={label("title")} badge={num(2)} tip={tip(2)} required error={errorText("title")} className="span-2">
                  {(p) => (
                    <input {...p} data-field="title" className="input" autoComplete="off" aria-required value={form.title} onChange={(e) => set("title", e.target.value)} />
                  )}
                </Field>
                <Field label={label("balance")} badge={num(1)} tip={tip(1)} className="span-2">
                  {(p) => (
                    <>
                      <output {...p} className="readonly-value" data-testid="opportunity-balance">
                        <Balance value={base?.balance ?? "0"} />
                      </output>
                      {base ? (
                        <dl className="money-facts" data-testid="opportunity-amounts">
                          <div>
                            <dt>{t("fields.expectedAmount")}</dt>
                            <dd data-testid="opportunity-expected">{money(base.expectedAmount)}</dd>
                          </div>
                          <div>
                            <dt>{t("fields.realizedAmount")}</dt>
                            <dd data-testid="opportunity-realized">{money(base.realizedAmount)}</dd>
                          </div>
                        </dl>
                      ) : null}
                    </>
                  )}
                </Field>

                <Field label={label("typeId")} badge={num(4)} tip={tip(4)} required error={errorText("typeId")} className="span-2">
                  {listSelect("typeId", types.data, { required: true })}
                </Field>
                <Field label={label("assignedUserId")} badge={num(3)} tip={tip(3)} error={errorText("assignedUserId")} className="span-2">
                  {(p) => (
                    <select {...p} data-field="assignedUserId" className="input" value={form.assignedUserId} onChange={(e) => set("assignedUserId", e.target.value)}>
                      <option value="">{t("none")}</option>
                      {assignedOptions}
                    </select>
                  )}
                </Field>

                <Field label={label("sourceId")} badge={num(5)} tip={tip(5)} required error={errorText("sourceId")} className="span-2">
                  {listSelect("sourceId", sources.data, { required: true })}
                </Field>
                <Field label={label("campaignId")} badge={num(6)} tip={tip(6)} error={errorText("campaignId")} className="span-2">
                  {(p) => (
                    <select {...p} data-field="campaignId" className="input" value={form.campaignId} onChange={(e) => set("campaignId", e.target.value)}>
                      <option value="">{t("none")}</option>
                      {(campaigns.data ?? [])
                        .filter((c) => c.active || String(c.id) === form.campaignId)
                        .map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.name}
                          </option>
                        ))}
                    </select>
                  )}
                </Field>

                <Field
                  label={label("closeDate")}
                  badge={num(7)}
                  tip={tip(7)}
                  error={errorText("closeDate")}
                  help={
                    base?.overdue ? (
                      <span className="badge badge--overdue" data-testid="overdue-badge">
                        {t("overdue")}
                      </span>
                    ) : null
                  }
                  className="span-2"
                >
                  {(p) => <DateInput {...p} data-field="closeDate" value={form.closeDate} onChange={(iso) => set("closeDate", iso)} />}
                </Field>
                <Field label={label("purchaseProcessId")} badge={num(11)} tip={tip(11)} error={errorText("purchaseProcessId")} className="span-2">
                  {listSelect("purchaseProcessId", purchaseProcesses.data)}
                </Field>

                <Field
                  label={automaticAmount ? t("fields.estimatedAmountAutomatic") : label("estimatedAmount")}
                  badge={num(8)}
                  tip={tip(8)}
                  error={errorText("estimatedAmount")}
                  help={
                    manualAmountWithLines ? (
                      <span className="amount-mode">
                        <span className="badge badge--manual" data-testid="amount-manual">
                          {t("amount.manual")}
                        </span>
                        <button
                          type="button"
                          className="link-button"
                          data-testid="amount-automatic"
                          onClick={() => {
                            setForm((f) => amountBackToAutomatic(f, currencyDecimals));
                            clearError("estimatedAmount");
                          }}
                        >
                          {t("amount.backToAutomatic")}
                        </button>
                      </span>
                    ) : automaticAmount ? (
                      t("amount.followsLines")
                    ) : null
                  }
                  className="span-2"
                >
                  {(p) => (
                    <MoneyInput
                      {...p}
                      data-field="estimatedAmount"
                      data-mode={automaticAmount ? "automatic" : "manual"}
                      className={automaticAmount ? "input--automatic" : undefined}
                      value={automaticAmount ? totalsOf(form.lines, currencyDecimals).total : form.estimatedAmount}
                      onChange={(v) => {
                        setForm((f) => typeAmount(f, v));
                        clearError("estimatedAmount");
                      }}
                    />
                  )}
                </Field>
                <Field
                  label={label("probability")}
                  badge={num(9)}
                  tip={tip(9)}
                  error={errorText("probability")}
                  help={closed ? t("probabilityClosed") : form.probabilityIsManual ? t("probabilityManual") : t("probabilityFromStage")}
                  className="span-2"
                >
                  {(p) => (
                    <div className="input-suffix">
                      <input
                        {...p}
                        data-field="probability"
                        className="input"
                        dir="ltr"
                        inputMode="numeric"
                        autoComplete="off"
                        readOnly={closed}
                        aria-readonly={closed || undefined}
                        value={toLocalDigits(form.probability, language)}
                        onChange={(e) => {
                          setForm((f) => typeProbability(f, normalizeDigits(e.target.value).replace(/\D/g, "").slice(0, 3)));
                          clearError("probability");
                        }}
                      />
                      <span className="input-suffix__text" aria-hidden="true">
                        {language === "fa" ? "٪" : "%"}
                      </span>
                    </div>
                  )}
                </Field>

                <Field label={label("winReasonId")} badge={num(10)} tip={tip(10)} required={won} error={errorText("winReasonId")} className="span-2">
                  {listSelect("winReasonId", winReasons.data, { disabled: !won, required: won })}
                </Field>
                <Field label={label("lossReasonId")} badge={num(10)} tip={tip(10)} required={lost} error={errorText("lossReasonId")} className="span-2">
                  {listSelect("lossReasonId", lossReasons.data, { disabled: !lost, required: lost })}
                </Field>
                <Field label={label("reasonNote")} error={errorText("reasonNote")} className="span-4">
                  {(p) => (
                    <textarea {...p} data-field="reasonNote" className="input" rows={2} disabled={!closed} value={form.reasonNote} onChange={(e) => set("reasonNote", e.target.value)} />
                  )}
                </Field>

                <Field label={label("wonOn")} badge={num(12)} tip={tip(12)} error={errorText("wonOn")} className="span-2">
                  {(p) => <input {...p} data-field="wonOn" className="input" disabled value={formatDate(form.wonOn, calendar, language)} />}
                </Field>
                <Field label={label("lostOn")} badge={num(12)} tip={tip(12)} error={errorText("lostOn")} className="span-2">
                  {(p) => <input {...p} data-field="lostOn" className="input" disabled value={formatDate(form.lostOn, calendar, language)} />}
                </Field>
              </div>
            </section>

            <section className="card form-card" aria-labelledby={`${uid}-extra`} aria-describedby={`${uid}-extra-help`}>
              <div className="field__head">
                {num(13)}
                <h2 className="form__section-title" id={`${uid}-extra`}>
                  {t("sections.extra")}
                </h2>
              </div>
              <p className="visually-hidden" id={`${uid}-extra-help`}>
                {tip(13)}
              </p>
              <CustomFields
                defs={customFieldDefs}
                values={form.customFields}
                users={allUsers.data ?? users.data ?? []}
                errorText={errorText}
                onChange={(fieldId, value) => {
                  setForm((f) => ({ ...f, customFields: { ...f.customFields, [fieldId]: value } }));
                  clearError(`customFields.${fieldId}`);
                }}
              />
            </section>

            <section className="card form-card" aria-labelledby={`${uid}-competitors`} aria-describedby={`${uid}-competitors-help`}>
              <div className="field__head">
                {num(14)}
                <h2 className="form__section-title" id={`${uid}-competitors`}>
                  {label("competitors")}
                </h2>
              </div>
              <p className="visually-hidden" id={`${uid}-competitors-help`}>
                {tip(14)}
              </p>
              <Competitors
                rows={form.competitors}
                errorText={errorText}
                onChange={(rows) => {
                  setForm((f) => ({ ...f, competitors: rows }));
                  setErrors((e) => ({ ...e, byField: Object.fromEntries(Object.entries(e.byField).filter(([k]) => !k.startsWith("competitors"))) }));
                }}
              />
            </section>

            <ProductsSection
              lines={form.lines}
              onLinesChange={changeLines}
              errorText={errorText}
              num={num}
              tip={tip}
              saved={base !== null}
              issuing={issuing}
              onIssue={(kind) => void issueDocument(kind)}
            />
          </form>
        )}
      </div>

      {base ? (
        <ChangesPanel
          open={changesOpen}
          onClose={() => setChangesOpen(false)}
          lookups={{
            users: allUsers.data ?? [],
            stages: allStages.data ?? stages,
            campaigns: campaigns.data ?? [],
            systemItems: systemItemsForChanges,
            customFields: customFieldDefs,
            detail: base,
          }}
        />
      ) : null}
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t("delete.title")}
        variant="modal"
        testId="delete-confirm"
        footer={
          <div className="dialog__actions">
            <Button variant="danger" onClick={doDelete} busy={remove.isPending} data-testid="delete-confirm-yes">
              {tc("actions.delete")}
            </Button>
            <Button variant="ghost" onClick={() => setConfirmDelete(false)} data-autofocus>
              {tc("actions.cancel")}
            </Button>
          </div>
        }
      >
        <div className="form__scroll">
          <p>{t("delete.body", { title: base?.title ?? "" })}</p>
        </div>
      </Dialog>
    </div>
  );
}
