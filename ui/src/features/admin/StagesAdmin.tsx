// Sales stages ("leveling"): ordered, each open, won or lost. At least one won and
// one lost stage must remain; a stage that holds opportunities is deleted or
// deactivated only by moving them to another stage of the same kind.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { Button } from "../../components/Button";
import { Checkbox, Field } from "../../components/Field";
import { Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { commands, unwrap } from "../../lib/api";
import { normalizeDigits } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { FieldError, Stage, StageKind } from "../../lib/types";
import {
  ActiveCell,
  FormDialog,
  localError,
  useCount,
  useDescribeAdminError,
  useFormErrors,
  useRowReorder,
  type SpecialMessage,
} from "./common";
import { ListSection } from "./ListSection";
import { PipelinesBar } from "./PipelinesBar";
import { usePipelines } from "../../shared/lookups";
import { adminKeys, useDeleteStage, useReorderStages, useSaveStage, useStageUsages, useStagesAdmin } from "./queries";

const KINDS: readonly StageKind[] = ["open", "won", "lost"];

function useStageUsage(id: number) {
  return useQuery({
    queryKey: adminKeys.stageUsage(id),
    queryFn: () => unwrap(commands.stageUsage(id)),
    staleTime: 0,
  });
}

/** The stage's own sentences for the backend's refusals. */
function useStageMessages(): SpecialMessage {
  const { t } = useTranslation("admin");
  return (fe: FieldError) => {
    if (fe.field === "id" && fe.code === "not_allowed") return t("stages.keepOutcomes");
    if (fe.field === "kind" && fe.code === "not_allowed") return t("stages.kindLocked");
    if (fe.field === "replacementStageId" && fe.code === "required") return t("stages.replacementRequired");
    if (fe.field === "replacementStageId" && fe.code === "invalid") return t("stages.replacementInvalid");
    if (fe.field === "defaultProbability" && fe.code === "not_allowed") return t("stages.probabilityOpenOnly");
    if (fe.field === "ids") return t("errors.reorderStale");
    return null;
  };
}

export function KindBadge({ kind }: { kind: StageKind }) {
  const { t } = useTranslation("admin");
  return <span className={`badge admin-badge--${kind}`}>{t(`stages.kind.${kind}`)}</span>;
}

type Editing = { stage: Stage | null; key: number };

export function StagesAdmin() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const describe = useDescribeAdminError();
  const count = useCount();
  const stages = useStagesAdmin();
  // One pipeline's stages at a time.
  const pipelines = usePipelines(true).data ?? [];
  const [pipelineId, setPipelineId] = useState<number | null>(null);
  const pipeline = pipelines.find((p) => p.id === pipelineId) ?? pipelines[0] ?? null;
  const allRows = stages.data ?? [];
  const rows = pipeline ? allRows.filter((s) => s.pipelineId === pipeline.id) : allRows;
  const usages = useStageUsages(rows);
  const reorder = useReorderStages();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<Stage | null>(null);
  const titleOf = (s: Stage) => localTitle(s, language);
  // The backend orders every stage: this pipeline's take their new places among the others'.
  const reorderAll = (ordered: Stage[]) => {
    const mine = new Set(ordered.map((s) => s.id));
    let next = 0;
    return allRows.map((s) => (mine.has(s.id) ? ordered[next++] : s));
  };
  const reordering = useRowReorder(rows, titleOf, (ordered) => reorder.mutate(reorderAll(ordered), { onError: (e) => toast.show(describe(e), "error") }), reorder.isPending);

  return (
    <ListSection
      labelledBy="admin-stages-title"
      title={t("stages.title")}
      description={t("stages.description")}
      addLabel={t("stages.add")}
      onAdd={() => setEditing({ stage: null, key: Date.now() })}
      heading={t("stages.title")}
      list={stages}
      emptyTitle={t("stages.empty")}
      errorTitle={t("stages.loadError")}
      dialogs={
        <>
          {editing ? (
            <StageDialog
              key={editing.key}
              stage={editing.stage}
              stages={rows}
              pipelineId={pipeline?.id ?? null}
              onClose={() => setEditing(null)}
              onReload={() =>
                void stages.refetch().then((r) => {
                  const fresh = r.data?.find((s) => s.id === editing.stage?.id) ?? null;
                  setEditing({ stage: fresh, key: Date.now() });
                })
              }
            />
          ) : null}
          {deleting ? <DeleteStageDialog stage={deleting} stages={rows} onClose={() => setDeleting(null)} /> : null}
        </>
      }
    >
      {pipelines.length > 0 ? <PipelinesBar pipelines={pipelines} selected={pipeline} onSelect={setPipelineId} /> : null}
      <p className="admin-hint">{t("reorder.hint")}</p>
      <div className="table-wrap">
        <table className="table admin-table" data-testid="admin-stages-table">
          <caption className="visually-hidden">{t("stages.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("common.order")}</th>
              <th scope="col">{t("stages.kindLabel")}</th>
              <th scope="col">{t("common.titleFa")}</th>
              <th scope="col">{t("common.titleEn")}</th>
              <th scope="col">{t("stages.probability")}</th>
              <th scope="col">{t("common.status")}</th>
              <th scope="col">{t("stages.opportunities")}</th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((stage, index) => {
              const used = usages.get(stage.id);
              return (
                <tr key={stage.id} data-testid={`row-${stage.id}`} className={stage.active ? undefined : "admin-row--inactive"} aria-label={titleOf(stage)} {...reordering.rowProps(index)}>
                  <td className="col-number">
                    <span className="admin-position">{count(index + 1)}</span>
                    {reordering.buttons(index)}
                  </td>
                  <td>
                    <KindBadge kind={stage.kind} />
                  </td>
                  <td lang="fa" dir="rtl">
                    {stage.titleFa}
                  </td>
                  <td lang="en" dir="ltr">
                    {stage.titleEn}
                  </td>
                  <td className="col-number">
                    {stage.kind === "open" && stage.defaultProbability !== null ? t("stages.percent", { value: count(stage.defaultProbability) }) : <span className="muted">{t("common.none")}</span>}
                  </td>
                  <td>
                    <ActiveCell active={stage.active} />
                  </td>
                  <td className="col-number">{used === undefined ? <span className="muted">…</span> : count(used)}</td>
                  <td className="col-actions">
                    <span className="admin-actions">
                      <Button size="sm" variant="ghost" onClick={() => setEditing({ stage, key: Date.now() })} aria-label={t("common.editNamed", { title: titleOf(stage) })}>
                        {t("common.edit")}
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setDeleting(stage)} aria-label={t("common.deleteNamed", { title: titleOf(stage) })}>
                        {tc("actions.delete")}
                      </Button>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {reordering.live}
    </ListSection>
  );
}

/** Where a leaving stage's opportunities may go: other active stages of the same kind. */
function replacementsFor(stage: Stage, stages: readonly Stage[]): Stage[] {
  return stages.filter((s) => s.id !== stage.id && s.active && s.kind === stage.kind);
}

function ReplacementSelect({
  stage,
  stages,
  value,
  onChange,
  error,
}: {
  stage: Stage;
  stages: readonly Stage[];
  value: string;
  onChange: (value: string) => void;
  error: string | null;
}) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const options = replacementsFor(stage, stages);
  if (options.length === 0) {
    return (
      <p className="form-alert" role="alert">
        {t("stages.noReplacement", { kind: t(`stages.kind.${stage.kind}`) })}
      </p>
    );
  }
  return (
    <Field label={t("stages.replacement")} error={error} help={t("stages.replacementHelp", { kind: t(`stages.kind.${stage.kind}`) })}>
      {(p) => (
        <select {...p} data-field="replacementStageId" className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid="admin-replacement">
          <option value="">{t("stages.chooseReplacement")}</option>
          {options.map((s) => (
            <option key={s.id} value={s.id}>
              {localTitle(s, language)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

const STAGE_FIELDS = ["titleFa", "titleEn", "kind", "defaultProbability", "replacementStageId"] as const;

function StageDialog({
  stage,
  stages,
  pipelineId,
  onClose,
  onReload,
}: {
  stage: Stage | null;
  stages: readonly Stage[];
  /** The pipeline a new stage goes to. */
  pipelineId: number | null;
  onClose: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const toast = useToast();
  const count = useCount();
  const save = useSaveStage();
  const errors = useFormErrors(STAGE_FIELDS, { special: useStageMessages() });
  const usage = useQuery({
    queryKey: adminKeys.stageUsage(stage?.id ?? 0),
    queryFn: () => unwrap(commands.stageUsage(stage?.id ?? 0)),
    enabled: stage !== null,
    staleTime: 0,
  });
  const [titleFa, setTitleFa] = useState(stage?.titleFa ?? "");
  const [titleEn, setTitleEn] = useState(stage?.titleEn ?? "");
  const [kind, setKind] = useState<StageKind>(stage?.kind ?? "open");
  const [probability, setProbability] = useState(stage?.defaultProbability != null ? String(stage.defaultProbability) : "");
  const [active, setActive] = useState(stage?.active ?? true);
  const [replacement, setReplacement] = useState("");
  const held = stage ? (usage.data ?? 0) : 0;
  const leaving = stage !== null && stage.active && !active;
  const needsReplacement = leaving && held > 0;

  const submit = () => {
    const typed = normalizeDigits(probability.trim());
    const local: FieldError[] = [];
    let defaultProbability: number | null = null;
    if (kind === "open" && typed !== "") {
      if (!/^\d+$/.test(typed) || Number(typed) > 100) local.push(localError("defaultProbability", "out_of_range", "0", "100"));
      else defaultProbability = Number(typed);
    }
    if (needsReplacement && replacement === "" && replacementsFor(stage, stages).length > 0) local.push(localError("replacementStageId", "required"));
    if (local.length > 0) {
      errors.show(local);
      return;
    }
    save.mutate(
      {
        stage,
        input: {
          titleFa: titleFa.trim(),
          titleEn: titleEn.trim(),
          kind,
          defaultProbability,
          active,
          replacementStageId: needsReplacement && replacement !== "" ? Number(replacement) : null,
          pipelineId: stage ? null : pipelineId,
        },
      },
      {
        onSuccess: (saved) => {
          toast.show(t(stage ? "stages.saved" : "stages.added", { title: localTitle(saved, language) }));
          onClose();
        },
        onError: errors.handle,
      },
    );
  };

  return (
    <FormDialog
      open
      title={stage ? t("stages.editTitle") : t("stages.addTitle")}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      onReload={stage ? onReload : undefined}
      saveDisabled={needsReplacement && replacementsFor(stage, stages).length === 0}
      testId="admin-stage-dialog"
    >
      <div className="form__grid">
        <Field label={t("common.titleFa")} error={errors.errorFor("titleFa")} className="span-2">
          {(p) => (
            <input {...p} data-field="titleFa" data-autofocus className="input" lang="fa" dir="rtl" value={titleFa} onChange={(e) => (setTitleFa(e.target.value), errors.clear("titleFa"))} />
          )}
        </Field>
        <Field label={t("common.titleEn")} error={errors.errorFor("titleEn")} className="span-2">
          {(p) => <input {...p} data-field="titleEn" className="input" lang="en" dir="ltr" value={titleEn} onChange={(e) => (setTitleEn(e.target.value), errors.clear("titleEn"))} />}
        </Field>
        <Field
          label={t("stages.kindLabel")}
          error={errors.errorFor("kind")}
          help={held > 0 ? t("stages.kindLockedHelp", { count: held, n: count(held) }) : t("stages.kindHelp")}
          className="span-2"
        >
          {(p) => (
            <select
              {...p}
              data-field="kind"
              className="input"
              value={kind}
              disabled={held > 0}
              onChange={(e) => {
                setKind(e.target.value as StageKind);
                errors.clear("kind");
              }}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`stages.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === "open" ? (
          <Field label={t("stages.probabilityLabel")} error={errors.errorFor("defaultProbability")} help={t("stages.probabilityHelp")} className="span-2">
            {(p) => (
              <input
                {...p}
                data-field="defaultProbability"
                className="input"
                inputMode="numeric"
                dir="ltr"
                autoComplete="off"
                value={probability}
                onChange={(e) => (setProbability(e.target.value), errors.clear("defaultProbability"))}
              />
            )}
          </Field>
        ) : (
          <p className="admin-hint span-2">{t(kind === "won" ? "stages.wonProbability" : "stages.lostProbability")}</p>
        )}
      </div>
      <Checkbox label={t("common.active")} checked={active} onChange={setActive} />
      {leaving ? (
        usage.isPending ? (
          <Loading inline label={t("stages.countingOpportunities")} />
        ) : held > 0 ? (
          <>
            <p className="admin-note admin-note--warning" role="status">
              {t("stages.deactivateMoves", { count: held, n: count(held) })}
            </p>
            <ReplacementSelect
              stage={stage}
              stages={stages}
              value={replacement}
              onChange={(v) => (setReplacement(v), errors.clear("replacementStageId"))}
              error={errors.errorFor("replacementStageId")}
            />
          </>
        ) : (
          <p className="admin-hint">{t("stages.inactiveHelp")}</p>
        )
      ) : null}
    </FormDialog>
  );
}

const DELETE_FIELDS = ["replacementStageId"] as const;

function DeleteStageDialog({ stage, stages, onClose }: { stage: Stage; stages: readonly Stage[]; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const count = useCount();
  const describe = useDescribeAdminError();
  const usage = useStageUsage(stage.id);
  const remove = useDeleteStage();
  const errors = useFormErrors(DELETE_FIELDS, { special: useStageMessages() });
  const [replacement, setReplacement] = useState("");
  const held = usage.data ?? 0;
  const title = localTitle(stage, language);
  const candidates = replacementsFor(stage, stages);

  const submit = () => {
    if (held > 0 && replacement === "") {
      errors.show([localError("replacementStageId", "required")]);
      return;
    }
    const target = held > 0 ? Number(replacement) : null;
    remove.mutate(
      { id: stage.id, replacement: target },
      {
        onSuccess: (moved) => {
          const to = stages.find((s) => s.id === target);
          toast.show(moved > 0 && to ? t("stages.deletedMoved", { title, count: moved, n: count(moved), to: localTitle(to, language) }) : t("stages.deleted", { title }));
          onClose();
        },
        onError: errors.handle,
      },
    );
  };

  return (
    <FormDialog
      open
      title={t("stages.deleteTitle", { title })}
      onClose={onClose}
      onSubmit={submit}
      busy={remove.isPending}
      errors={errors}
      saveLabel={tc("actions.delete")}
      saveTestId="admin-delete-confirm"
      saveDisabled={usage.isPending || usage.isError || (held > 0 && candidates.length === 0)}
      danger
      testId="admin-delete-dialog"
    >
      {usage.isPending ? (
        <Loading inline label={t("stages.countingOpportunities")} />
      ) : usage.isError ? (
        <p className="form-alert" role="alert">
          {describe(usage.error)}
        </p>
      ) : held > 0 ? (
        <>
          <p className="admin-note admin-note--warning" role="status" data-testid="admin-stage-moves">
            {t("stages.deleteMoves", { count: held, n: count(held) })}
          </p>
          <ReplacementSelect stage={stage} stages={stages} value={replacement} onChange={(v) => (setReplacement(v), errors.clear("replacementStageId"))} error={errors.errorFor("replacementStageId")} />
        </>
      ) : (
        <p>{t("stages.deleteBody")}</p>
      )}
    </FormDialog>
  );
}
