// The pipeline whose stages the Stages section shows, and the pipelines themselves:
// a new one (it starts with its own New, Won and Lost stages), renamed, moved earlier
// or later, deactivated, the opportunity types that start in it, deleted while it has
// never held an opportunity, or merged into another with a stage mapping.
// One pipeline always stays active.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { Button } from "../../components/Button";
import { Checkbox, Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { appErrorOf, commands, fieldErrorsOf, unwrap } from "../../lib/api";
import { localName, localTitle } from "../../lib/titles";
import type { FieldError, Pipeline, PipelineInput, Stage, StageMapping, SystemItem } from "../../lib/types";
import { useAllSystemItems, useStages } from "../../shared/lookups";
import { FormDialog, moved, useCount, useDescribeAdminError, useFormErrors, type SpecialMessage } from "./common";
import { adminKeys } from "./queries";
import { defaultMapping } from "./pipelineMerge";

/** After any pipeline change: the pipelines, their stages, the types' links and (moves) every opportunity. */
function refreshPipelines(queryClient: QueryClient, movedOpportunities = false) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ["pipelines"] }),
    queryClient.invalidateQueries({ queryKey: adminKeys.stages }),
    queryClient.invalidateQueries({ queryKey: adminKeys.stageUsages }),
    queryClient.invalidateQueries({ queryKey: adminKeys.systemItems("opportunity_type") }),
    ...(movedOpportunities
      ? [queryClient.invalidateQueries({ queryKey: ["opportunities"] }), queryClient.invalidateQueries({ queryKey: ["records"] }), queryClient.invalidateQueries({ queryKey: ["reports"] })]
      : []),
  ]);
}

function useSavePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ pipeline, input }: { pipeline: Pipeline | null; input: PipelineInput }) =>
      unwrap(pipeline ? commands.updatePipeline(pipeline.id, pipeline.version, input) : commands.createPipeline(input)),
    onSuccess: () => refreshPipelines(queryClient),
  });
}

export function PipelinesBar({ pipelines, selected, onSelect }: { pipelines: Pipeline[]; selected: Pipeline | null; onSelect: (id: number) => void }) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const toast = useToast();
  const describe = useDescribeAdminError();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ pipeline: Pipeline | null; key: number } | null>(null);
  const [merging, setMerging] = useState<Pipeline | null>(null);
  const reorder = useMutation({
    mutationFn: (ids: number[]) => unwrap(commands.reorderPipelines(ids)),
    onSuccess: () => refreshPipelines(queryClient),
    onError: (e) => toast.show(describe(e), "error"),
  });
  const index = selected ? pipelines.findIndex((p) => p.id === selected.id) : -1;
  const move = (delta: -1 | 1) => reorder.mutate(moved(pipelines, index, delta).map((p) => p.id));
  return (
    <div className="admin-pipelines" data-testid="admin-pipelines">
      <label className="admin-pipelines__select">
        <span className="field__label">{t("pipelines.label")}</span>
        <select className="input" value={selected?.id ?? ""} onChange={(e) => onSelect(Number(e.target.value))} data-testid="admin-pipeline">
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {localName(p, language)}
              {p.active ? "" : ` ${t("pipelines.inactive")}`}
            </option>
          ))}
        </select>
      </label>
      {selected && pipelines.length > 1 ? (
        <span className="admin-pipelines__order" role="group" aria-label={t("pipelines.order")}>
          <Button size="sm" variant="ghost" onClick={() => move(-1)} disabled={index <= 0 || reorder.isPending} aria-label={t("pipelines.earlier")} title={t("pipelines.earlier")} data-testid="admin-pipeline-earlier">
            ↑
          </Button>
          <Button size="sm" variant="ghost" onClick={() => move(1)} disabled={index >= pipelines.length - 1 || reorder.isPending} aria-label={t("pipelines.later")} title={t("pipelines.later")} data-testid="admin-pipeline-later">
            ↓
          </Button>
        </span>
      ) : null}
      {selected ? (
        <Button size="sm" variant="ghost" onClick={() => setEditing({ pipeline: selected, key: Date.now() })} data-testid="admin-pipeline-edit">
          {t("pipelines.edit")}
        </Button>
      ) : null}
      {selected && pipelines.some((p) => p.id !== selected.id && p.active) ? (
        <Button size="sm" variant="ghost" onClick={() => setMerging(selected)} data-testid="admin-pipeline-merge">
          {t("pipelines.merge")}
        </Button>
      ) : null}
      <Button size="sm" onClick={() => setEditing({ pipeline: null, key: Date.now() })} data-testid="admin-pipeline-add">
        {t("pipelines.add")}
      </Button>
      {editing ? (
        <PipelineDialog
          key={editing.key}
          pipeline={editing.pipeline}
          pipelines={pipelines}
          onClose={() => setEditing(null)}
          onSaved={(p) => onSelect(p.id)}
          onDeleted={() => {
            const other = pipelines.find((p) => p.id !== editing.pipeline?.id);
            if (other) onSelect(other.id);
          }}
          onMerge={(p) => (setEditing(null), setMerging(p))}
        />
      ) : null}
      {merging ? <MergeDialog key={merging.id} source={merging} pipelines={pipelines} onClose={() => setMerging(null)} onMerged={(into) => onSelect(into)} /> : null}
    </div>
  );
}

const FIELDS = ["nameFa", "nameEn", "active", "typeIds"] as const;

function PipelineDialog({
  pipeline,
  pipelines,
  onClose,
  onSaved,
  onDeleted,
  onMerge,
}: {
  pipeline: Pipeline | null;
  pipelines: readonly Pipeline[];
  onClose: () => void;
  onSaved: (p: Pipeline) => void;
  onDeleted: () => void;
  onMerge: (p: Pipeline) => void;
}) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const queryClient = useQueryClient();
  const save = useSavePipeline();
  const types = (useAllSystemItems("opportunity_type").data ?? []).filter((ty) => ty.active || (pipeline && ty.pipelineId === pipeline.id));
  const special: SpecialMessage = (fe: FieldError) => {
    if (fe.field === "active" && fe.code === "not_allowed") return t("pipelines.lastActive");
    if (fe.field === "id" && fe.code === "not_allowed") return t("pipelines.deleteRefused");
    return null;
  };
  const errors = useFormErrors(FIELDS, { special });
  const [nameFa, setNameFa] = useState(pipeline?.nameFa ?? "");
  const [nameEn, setNameEn] = useState(pipeline?.nameEn ?? "");
  const [active, setActive] = useState(pipeline?.active ?? true);
  const [typeIds, setTypeIds] = useState<number[] | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Until the user touches the types, the dialog shows (and keeps) the links as they are.
  const linked = typeIds ?? types.filter((ty) => pipeline !== null && ty.pipelineId === pipeline.id).map((ty) => ty.id);
  const toggleType = (ty: SystemItem, on: boolean) => {
    setTypeIds(on ? [...linked, ty.id] : linked.filter((id) => id !== ty.id));
    errors.clear("typeIds");
  };
  const remove = useMutation({
    mutationFn: (id: number) => unwrap(commands.deletePipeline(id)),
    onSuccess: () => refreshPipelines(queryClient),
  });
  const otherName = (id: number | null) => {
    const p = pipelines.find((x) => x.id === id);
    return p ? localName(p, language) : "";
  };
  const submit = () =>
    save.mutate(
      { pipeline, input: { nameFa: nameFa.trim(), nameEn: nameEn.trim(), active, typeIds: typeIds ?? undefined } },
      {
        onSuccess: (saved) => {
          toast.show(t(pipeline ? "pipelines.saved" : "pipelines.added", { title: localName(saved, language) }));
          onSaved(saved);
          onClose();
        },
        onError: errors.handle,
      },
    );
  const deleteNow = () => {
    if (!pipeline) return;
    remove.mutate(pipeline.id, {
      onSuccess: () => {
        toast.show(t("pipelines.deleted", { title: localName(pipeline, language) }));
        onDeleted();
        onClose();
      },
      onError: (e) => {
        setConfirmDelete(false);
        errors.handle(e);
      },
    });
  };
  const canMerge = pipeline !== null && pipelines.some((p) => p.id !== pipeline.id && p.active);
  return (
    <FormDialog
      open
      title={pipeline ? t("pipelines.editTitle") : t("pipelines.addTitle")}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      testId="admin-pipeline-dialog"
      extraActions={
        pipeline ? (
          confirmDelete ? (
            <>
              <span className="admin-confirm-text">{t("pipelines.deleteConfirm")}</span>
              <Button variant="danger" size="sm" busy={remove.isPending} onClick={deleteNow} data-testid="admin-pipeline-delete-confirm">
                {tc("actions.delete")}
              </Button>
            </>
          ) : (
            <>
              <Button variant="ghost" onClick={() => setConfirmDelete(true)} disabled={pipelines.length <= 1} data-testid="admin-pipeline-delete">
                {tc("actions.delete")}
              </Button>
              {canMerge ? (
                <Button variant="ghost" onClick={() => onMerge(pipeline)} data-testid="admin-pipeline-merge-from-dialog">
                  {t("pipelines.merge")}
                </Button>
              ) : null}
            </>
          )
        ) : null
      }
    >
      <div className="form__grid">
        <Field label={t("common.titleFa")} error={errors.errorFor("nameFa")} className="span-2">
          {(p) => <input {...p} data-field="nameFa" data-autofocus className="input" lang="fa" dir="rtl" value={nameFa} onChange={(e) => (setNameFa(e.target.value), errors.clear("nameFa"))} />}
        </Field>
        <Field label={t("common.titleEn")} error={errors.errorFor("nameEn")} className="span-2">
          {(p) => <input {...p} data-field="nameEn" className="input" lang="en" dir="ltr" value={nameEn} onChange={(e) => (setNameEn(e.target.value), errors.clear("nameEn"))} />}
        </Field>
        {pipeline ? (
          <div className="span-4">
            <Checkbox label={t("common.active")} checked={active} onChange={(on) => (setActive(on), errors.clear("active"))} />
            {errors.errorFor("active") ? (
              <p className="field__error" role="alert">
                {errors.errorFor("active")}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="field__help span-4">{t("pipelines.startingStages")}</p>
        )}
        {types.length > 0 ? (
          <fieldset className="span-4 admin-pipeline-types" data-field="typeIds" data-testid="admin-pipeline-types">
            <legend className="field__label">{t("pipelines.types")}</legend>
            <p className="field__help">{t("pipelines.typesHelp")}</p>
            {types.map((ty) => {
              const elsewhere = ty.pipelineId !== null && ty.pipelineId !== pipeline?.id && !linked.includes(ty.id);
              return (
                <div key={ty.id} className="admin-pipeline-types__row">
                  <Checkbox label={localTitle(ty, language)} checked={linked.includes(ty.id)} onChange={(on) => toggleType(ty, on)} />
                  {elsewhere ? <span className="muted">{t("pipelines.typeElsewhere", { pipeline: otherName(ty.pipelineId) })}</span> : null}
                </div>
              );
            })}
            {errors.errorFor("typeIds") ? (
              <p className="field__error" role="alert">
                {errors.errorFor("typeIds")}
              </p>
            ) : null}
          </fieldset>
        ) : null}
      </div>
    </FormDialog>
  );
}

/** Merging one pipeline into another: each of its stages mapped to one of the same kind there. */
function MergeDialog({ source, pipelines, onClose, onMerged }: { source: Pipeline; pipelines: readonly Pipeline[]; onClose: () => void; onMerged: (into: number) => void }) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const toast = useToast();
  const count = useCount();
  const queryClient = useQueryClient();
  const stages = useStages(true).data ?? [];
  const targets = pipelines.filter((p) => p.id !== source.id && p.active);
  const [into, setInto] = useState<number>(targets[0]?.id ?? 0);
  const [chosen, setChosen] = useState<Record<number, number>>({});
  const errors = useFormErrors(["into"], {
    special: (fe) => (fe.field.startsWith("mapping.") ? t("pipelines.mapInvalid") : fe.field === "into" ? t("pipelines.intoInvalid") : null),
  });
  const mine = stages.filter((s) => s.pipelineId === source.id);
  const theirs = stages.filter((s) => s.pipelineId === into && s.active);
  const mapping: StageMapping[] = defaultMapping(mine, theirs).map((m) => ({ ...m, toStageId: chosen[m.fromStageId] ?? m.toStageId }));
  const [refusedRows, setRefusedRows] = useState<ReadonlySet<number>>(new Set());
  const merge = useMutation({
    mutationFn: () => unwrap(commands.mergePipeline(source.id, into, mapping)),
    onSuccess: () => refreshPipelines(queryClient, true),
  });
  const submit = () =>
    merge.mutate(undefined, {
      onSuccess: (movedCount) => {
        toast.show(t("pipelines.merged", { title: localName(source, language), into: localName(targets.find((p) => p.id === into) ?? source, language), count: movedCount, n: count(movedCount) }));
        onMerged(into);
        onClose();
      },
      onError: (e) => {
        const fields = fieldErrorsOf(e);
        setRefusedRows(new Set(fields.map((f) => /^mapping\.(\d+)\./.exec(f.field)?.[1]).filter((x): x is string => x !== undefined).map(Number)));
        if (appErrorOf(e)) errors.handle(e);
      },
    });
  const stageLabel = (s: Stage) => `${localTitle(s, language)} · ${t(`stages.kind.${s.kind}`)}`;
  return (
    <FormDialog
      open
      title={t("pipelines.mergeTitle", { title: localName(source, language) })}
      onClose={onClose}
      onSubmit={submit}
      busy={merge.isPending}
      errors={errors}
      testId="admin-pipeline-merge-dialog"
      saveLabel={t("pipelines.mergeAction")}
      saveTestId="admin-pipeline-merge-save"
      saveDisabled={into === 0 || mapping.some((m) => m.toStageId === 0)}
      danger
    >
      <p className="field__help">{t("pipelines.mergeHelp")}</p>
      <div className="form__grid">
        <Field label={t("pipelines.into")} error={errors.errorFor("into")} className="span-4">
          {(p) => (
            <select
              {...p}
              data-field="into"
              className="input"
              value={into}
              onChange={(e) => (setInto(Number(e.target.value)), setChosen({}), setRefusedRows(new Set()), errors.clear("into"))}
              data-testid="admin-pipeline-merge-into"
            >
              {targets.map((p) => (
                <option key={p.id} value={p.id}>
                  {localName(p, language)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <table className="table admin-table" data-testid="admin-pipeline-merge-map">
        <thead>
          <tr>
            <th scope="col">{t("pipelines.fromStage")}</th>
            <th scope="col">{t("pipelines.toStage")}</th>
          </tr>
        </thead>
        <tbody>
          {mapping.map((m, i) => {
            const from = mine.find((s) => s.id === m.fromStageId);
            const options = theirs.filter((s) => s.kind === from?.kind);
            return (
              <tr key={m.fromStageId}>
                <td>{from ? stageLabel(from) : ""}</td>
                <td>
                  <select
                    className="input"
                    aria-invalid={refusedRows.has(i) || undefined}
                    aria-label={t("pipelines.toStageFor", { stage: from ? localTitle(from, language) : "" })}
                    value={m.toStageId}
                    onChange={(e) => setChosen({ ...chosen, [m.fromStageId]: Number(e.target.value) })}
                    data-testid={`admin-pipeline-merge-to-${m.fromStageId}`}
                  >
                    {options.length === 0 ? <option value={0}>{t("pipelines.noStageOfKind")}</option> : null}
                    {options.map((s) => (
                      <option key={s.id} value={s.id}>
                        {localTitle(s, language)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </FormDialog>
  );
}
