import { localName } from "../../lib/titles";
import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CustomFieldDef, OpportunityDetail, Stage, SystemItem, SystemListKey } from "../../lib/types";
import { useChangedElsewhere } from "../../app/live/useChangedElsewhere";
import { navigate, paths, type RecordTab } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { ChangedElsewhereNotice } from "../../components/ChangedElsewhereNotice";
import { Dialog } from "../../components/Dialog";
import { Tabs, tabPanelProps } from "../../components/Tabs";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import { toLocalDigits } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import type { LineDraft } from "../../shared/lines/lineModel";
import { useAllSystemItems, useAllUsers, useCampaigns, usePipelines, useStages, useUsers } from "../../shared/lookups";
import { useFieldErrors } from "../../shared/useFieldErrors";
import { ActivityDialog } from "../activities/ActivityDialog";
import { CommentsPanel } from "../comments/CommentsPanel";
import { useIssueFromOpportunity } from "../financial/queries";
import { ChangesPanel } from "./ChangesPanel";
import { Competitors } from "./Competitors";
import { CustomFields, customFieldTitle } from "./CustomFields";
import { changeStage, emptyOpportunityForm, formFromDetail, opportunityFieldFor, pipelineStages, setLines, stageKindOf, toOpportunityInput, typedAmountAtStake, typeStartStage, type OpportunityFormState, type TypedAmountChoice } from "./formModel";
import { FIELD_LABEL_KEYS, HELP_KEYS, useFieldLabel, type FieldNumber, type LabelledField } from "./labels";
import { NumberedSection } from "./NumberedSection";
import { OpportunityHeader } from "./OpportunityHeader";
import { OpportunityRecords } from "./OpportunityRecords";
import { ProductsSection, type IssueKind } from "./ProductsSection";
import { useDeleteOpportunity, useSaveOpportunity } from "./queries";
import { rebaseOpportunity } from "./rebase";
import type { SectionProps } from "./sectionProps";
import { SpecificationsSection } from "./SpecificationsSection";
import { StageSection } from "./StageSection";

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

export type OpportunityFormProps = {
  /** The opportunity as the backend has it now (null: a new one); the form starts from it and notices newer versions. */
  detail: OpportunityDetail | null;
  related: { id: number; name: string };
  /** Active stages of every pipeline, in bar order (the form shows its pipeline's). */
  stages: Stage[];
  customFieldDefs: CustomFieldDef[];
  currentUserId: number | null;
  tab: RecordTab;
  /** Refetches everything; the parent then mounts a fresh form. */
  onReload: () => Promise<unknown>;
};

/**
 * The opportunity form: one screen for a new opportunity and for an existing one.
 * It holds the form's state, saving and the toolbar's actions; each part of the
 * screen is its own component (header, stage, specifications, custom fields,
 * competitors, products).
 */
export function OpportunityForm({ detail, related, stages: everyStage, customFieldDefs, currentUserId, tab, onReload }: OpportunityFormProps) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { t: ta } = useTranslation("activities");
  const { language, currencyDecimals } = useAppSettings();
  const toast = useToast();
  const uid = useId();
  const label = useFieldLabel();

  // The change log shows titles of values and users that may be inactive by now.
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
    detail ? formFromDetail(detail) : emptyOpportunityForm(related.id, pipelineStages(everyStage, null), currentUserId),
  );
  // The chevron bar shows the stages of the opportunity's pipeline (its stage's); choosing
  // another pipeline moves it to that pipeline's first open stage.
  const stages = pipelineStages(everyStage, form.stageId);
  const pipelines = usePipelines().data ?? [];
  const pipelineId = stages[0]?.pipelineId ?? null;
  const choosePipeline = (id: number) => {
    const target = pipelineStages(
      everyStage,
      everyStage.find((s) => s.pipelineId === id)?.id ?? null,
    );
    const first = target.find((s) => s.kind === "open") ?? target[0];
    if (first) change((f) => changeStage(f, first, target), "stageId", "winReasonId", "lossReasonId");
  };
  const errors = useFieldErrors(opportunityFieldFor);
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [showNumbers, setShowNumbers] = useState(readShowNumbers);
  const [changesOpen, setChangesOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The quick next steps of a saved opportunity: a follow-up, a reminder or a phone call.
  const [nextStep, setNextStep] = useState<"followup" | "reminder" | "call" | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const save = useSaveOpportunity(base?.id ?? null);
  const remove = useDeleteOpportunity();
  const issue = useIssueFromOpportunity();
  const [issuing, setIssuing] = useState<IssueKind | null>(null);

  // Titles of stages in the change log may belong to stages deactivated since.
  const allStages = useStages(true);
  const kind = stageKindOf(form, stages);

  const change: SectionProps["change"] = (update, ...clear) => {
    setForm(update);
    for (const key of clear) errors.clear(key);
  };
  const set: SectionProps["set"] = (key, value) => {
    change((f) => ({ ...f, [key]: value }), key);
    // A new opportunity of a type the admin linked to a pipeline opens in that pipeline.
    if (key === "typeId" && !base) {
      const type = types.data?.find((ty) => String(ty.id) === String(value));
      const start = typeStartStage(everyStage, type?.pipelineId ?? null, form.stageId);
      if (start) change((f) => changeStage(f, start, pipelineStages(everyStage, start.id)), "stageId", "winReasonId", "lossReasonId");
    }
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

  /** Saves the form; the saved opportunity, or null when the save was refused. */
  const saveNow = async (): Promise<OpportunityDetail | null> => {
    setFormError(null);
    try {
      const saved = await save.mutateAsync({ version: base?.version ?? 0, input: toOpportunityInput(form, customFieldDefs) });
      toast.show(t("saved", { title: saved.title }), "success");
      errors.reset();
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

  // Live updates: `detail` follows the backend. A newer version replaces an untouched
  // form quietly; over unsaved edits it is only announced (when another user saved
  // it), and the user chooses: take theirs, or keep their edits on top of it.
  const elsewhere = useChangedElsewhere("opportunity", base?.id ?? null);
  const newer = base !== null && detail !== null && detail.id === base.id && detail.version > base.version ? detail : null;
  if (newer && !dirty && !save.isPending && issuing === null) {
    setBase(newer);
    setForm(formFromDetail(newer));
    if (elsewhere.changed) elsewhere.clear();
  }
  const rebased = newer && dirty && base && elsewhere.changed ? rebaseOpportunity(formFromDetail(base), form, formFromDetail(newer), allStages.data ?? stages) : null;
  const takeTheirs = () => {
    if (!newer) return;
    setBase(newer);
    setForm(formFromDetail(newer));
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
    if (key.startsWith("customFields.")) {
      const def = customFieldDefs.find((d) => `customFields.${d.id}` === key);
      return def ? customFieldTitle(def, language) : t("sections.extra");
    }
    if (key === "lines") return t("products.title");
    return key in FIELD_LABEL_KEYS ? label(key as LabelledField) : key;
  };
  const changedBy = elsewhere.changed?.userId != null ? (allUsers.data?.find((u) => u.id === elsewhere.changed?.userId)?.displayName ?? null) : null;

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

  const changeLines = (lines: LineDraft[], errorKey: string | null, typed?: TypedAmountChoice) => {
    setForm((f) => setLines(f, lines, currencyDecimals, typed));
    if (errorKey) errors.clear(errorKey);
    else errors.clearWhere((k) => k === "lines" || k.startsWith("lines."));
  };

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

  // A field's number badge and help text (the numbers of the source documentation).
  const num = (n: FieldNumber): ReactNode =>
    showNumbers ? (
      <span className="field-no" aria-hidden="true" data-field-number={n}>
        {toLocalDigits(String(n), language)}
      </span>
    ) : null;
  const tip = (n: FieldNumber) => t(HELP_KEYS[n]);
  const sectionProps = { form, set, change, errorText: errors.errorText, num, tip };

  const systemItemsForChanges: Partial<Record<SystemListKey, readonly SystemItem[]>> = {
    opportunity_type: types.data ?? [],
    source: sources.data ?? [],
    win_reason: winReasons.data ?? [],
    loss_reason: lossReasons.data ?? [],
    purchase_process: purchaseProcesses.data ?? [],
  };

  return (
    <div className="page record-page" data-testid="opportunity-page">
      <OpportunityHeader
        base={base}
        related={related}
        identityError={errors.errorText("identityId")}
        saving={save.isPending}
        showNumbers={showNumbers}
        onSave={() => submit()}
        onDelete={() => setConfirmDelete(true)}
        onShowChanges={() => setChangesOpen(true)}
        onToggleNumbers={toggleNumbers}
      />
      {base ? (
        <div className="record-toolbar activity-quickbar" role="toolbar" aria-label={ta("opportunityActions.label")}>
          <Button onClick={() => setNextStep("followup")} data-testid="opp-followup">
            {ta("opportunityActions.followup")}
          </Button>
          <Button onClick={() => setNextStep("reminder")} data-testid="opp-reminder">
            {ta("opportunityActions.reminder")}
          </Button>
          <Button onClick={() => setNextStep("call")} data-testid="opp-call">
            {ta("opportunityActions.call")}
          </Button>
        </div>
      ) : null}

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
            {rebased ? (
              <ChangedElsewhereNotice
                who={changedBy}
                entity={tc("entities.opportunity")}
                fields={rebased.changedByThem.map((key) => ({ key, label: changedLabel(key), alsoMine: rebased.conflicts.includes(key) }))}
                onTakeTheirs={takeTheirs}
                onKeepMine={keepMine}
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
            {formError ? (
              <div className="form-alert" role="alert" data-testid="form-alert">
                <p>{formError}</p>
                {errors.unmatched.length > 0 ? (
                  <ul>
                    {errors.unmatched.map((fe, i) => (
                      <li key={i}>{t("unknownField", { message: errors.describe(fe), field: fe.field })}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}

            {pipelines.length > 1 ? (
              <div className="opp-pipeline">
                <label className="field__label" htmlFor={`${uid}-pipeline`}>
                  {t("pipeline")}
                </label>
                <select
                  id={`${uid}-pipeline`}
                  className="input"
                  value={pipelineId ?? ""}
                  onChange={(e) => choosePipeline(Number(e.target.value))}
                  data-testid="opportunity-pipeline"
                >
                  {pipelines
                    .filter((p) => p.active || p.id === pipelineId)
                    .map((p) => (
                      <option key={p.id} value={p.id}>
                        {localName(p, language)}
                      </option>
                    ))}
                </select>
              </div>
            ) : null}
            <StageSection
              uid={uid}
              stages={stages}
              value={form.stageId}
              error={errors.errorText("stageId")}
              num={num}
              tip={tip}
              onChange={(stage) => change((f) => changeStage(f, stage, stages), "stageId", "winReasonId", "lossReasonId")}
            />

            <SpecificationsSection uid={uid} base={base} kind={kind} {...sectionProps} />

            <NumberedSection id={`${uid}-extra`} badge={num(13)} title={t("sections.extra")} help={tip(13)}>
              <CustomFields
                defs={customFieldDefs}
                values={form.customFields}
                users={allUsers.data ?? users.data ?? []}
                errorText={errors.errorText}
                onChange={(fieldId, value) => change((f) => ({ ...f, customFields: { ...f.customFields, [fieldId]: value } }), `customFields.${fieldId}`)}
              />
            </NumberedSection>

            <NumberedSection id={`${uid}-competitors`} badge={num(14)} title={label("competitors")} help={tip(14)}>
              <Competitors
                rows={form.competitors}
                errorText={errors.errorText}
                onChange={(rows) => {
                  setForm((f) => ({ ...f, competitors: rows }));
                  errors.clearWhere((k) => k.startsWith("competitors"));
                }}
              />
            </NumberedSection>

            <ProductsSection
              lines={form.lines}
              onLinesChange={changeLines}
              typedAmount={typedAmountAtStake(form)}
              errorText={errors.errorText}
              num={num}
              tip={tip}
              saved={base !== null}
              issuing={issuing}
              onIssue={(kind) => void issueDocument(kind)}
            />
          </form>
        )}
        {base && tab !== "records" ? <CommentsPanel opportunityId={base.id} /> : null}
      </div>

      {base ? (
        <ActivityDialog
          open={nextStep !== null}
          onClose={() => setNextStep(null)}
          preset={nextStep ?? undefined}
          opportunityId={base.id}
          identityId={base.identityId}
        />
      ) : null}
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
