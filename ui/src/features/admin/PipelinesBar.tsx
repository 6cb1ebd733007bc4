// The pipeline whose stages the Stages section shows, and the pipelines themselves:
// a new one (it starts with its own New, Won and Lost stages), renamed, deactivated.
// One pipeline always stays active.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "../../components/Button";
import { Checkbox, Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { commands, unwrap } from "../../lib/api";
import type { FieldError, Pipeline, PipelineInput } from "../../lib/types";
import { FormDialog, useFormErrors, type SpecialMessage } from "./common";
import { adminKeys } from "./queries";

export const pipelineName = (p: Pipeline, language: string) => (language === "fa" ? p.nameFa || p.nameEn : p.nameEn || p.nameFa);

function useSavePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ pipeline, input }: { pipeline: Pipeline | null; input: PipelineInput }) =>
      unwrap(pipeline ? commands.updatePipeline(pipeline.id, pipeline.version, input) : commands.createPipeline(input)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["pipelines"] });
      void queryClient.invalidateQueries({ queryKey: adminKeys.stages });
      void queryClient.invalidateQueries({ queryKey: ["stages"] });
    },
  });
}

export function PipelinesBar({ pipelines, selected, onSelect }: { pipelines: Pipeline[]; selected: Pipeline | null; onSelect: (id: number) => void }) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const [editing, setEditing] = useState<{ pipeline: Pipeline | null; key: number } | null>(null);
  return (
    <div className="admin-pipelines" data-testid="admin-pipelines">
      <label className="admin-pipelines__select">
        <span className="field__label">{t("pipelines.label")}</span>
        <select className="input" value={selected?.id ?? ""} onChange={(e) => onSelect(Number(e.target.value))} data-testid="admin-pipeline">
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {pipelineName(p, language)}
              {p.active ? "" : ` ${t("pipelines.inactive")}`}
            </option>
          ))}
        </select>
      </label>
      {selected ? (
        <Button size="sm" variant="ghost" onClick={() => setEditing({ pipeline: selected, key: Date.now() })} data-testid="admin-pipeline-edit">
          {t("pipelines.edit")}
        </Button>
      ) : null}
      <Button size="sm" onClick={() => setEditing({ pipeline: null, key: Date.now() })} data-testid="admin-pipeline-add">
        {t("pipelines.add")}
      </Button>
      {editing ? <PipelineDialog key={editing.key} pipeline={editing.pipeline} onClose={() => setEditing(null)} onSaved={(p) => onSelect(p.id)} /> : null}
    </div>
  );
}

const FIELDS = ["nameFa", "nameEn", "active"] as const;

function PipelineDialog({ pipeline, onClose, onSaved }: { pipeline: Pipeline | null; onClose: () => void; onSaved: (p: Pipeline) => void }) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const toast = useToast();
  const save = useSavePipeline();
  const special: SpecialMessage = (fe: FieldError) => (fe.field === "active" && fe.code === "not_allowed" ? t("pipelines.lastActive") : null);
  const errors = useFormErrors(FIELDS, { special });
  const [nameFa, setNameFa] = useState(pipeline?.nameFa ?? "");
  const [nameEn, setNameEn] = useState(pipeline?.nameEn ?? "");
  const [active, setActive] = useState(pipeline?.active ?? true);
  const submit = () =>
    save.mutate(
      { pipeline, input: { nameFa: nameFa.trim(), nameEn: nameEn.trim(), active } },
      {
        onSuccess: (saved) => {
          toast.show(t(pipeline ? "pipelines.saved" : "pipelines.added", { title: pipelineName(saved, language) }));
          onSaved(saved);
          onClose();
        },
        onError: errors.handle,
      },
    );
  return (
    <FormDialog open title={pipeline ? t("pipelines.editTitle") : t("pipelines.addTitle")} onClose={onClose} onSubmit={submit} busy={save.isPending} errors={errors} testId="admin-pipeline-dialog">
      <div className="form__grid">
        <Field label={t("common.titleFa")} error={errors.errorFor("nameFa")} className="span-2">
          {(p) => <input {...p} data-field="nameFa" data-autofocus className="input" lang="fa" dir="rtl" value={nameFa} onChange={(e) => (setNameFa(e.target.value), errors.clear("nameFa"))} />}
        </Field>
        <Field label={t("common.titleEn")} error={errors.errorFor("nameEn")} className="span-2">
          {(p) => <input {...p} data-field="nameEn" className="input" lang="en" dir="ltr" value={nameEn} onChange={(e) => (setNameEn(e.target.value), errors.clear("nameEn"))} />}
        </Field>
        {pipeline ? (
          <div className="span-2">
            <Checkbox label={t("common.active")} checked={active} onChange={(on) => (setActive(on), errors.clear("active"))} />
            {errors.errorFor("active") ? (
              <p className="field__error" role="alert">
                {errors.errorFor("active")}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="field__help span-2">{t("pipelines.startingStages")}</p>
        )}
      </div>
    </FormDialog>
  );
}
