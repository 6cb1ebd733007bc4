// Campaigns ("start of communication with customers"): name, dates, cost.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { DateInput } from "../../components/DateInput";
import { Checkbox, Field } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import { useToast } from "../../components/Toast";
import { useAppSettings, useMoney } from "../../app/settings";
import { currencyName, formatDate } from "../../lib/format";
import type { CampaignInput, CampaignSummary, FieldError } from "../../lib/types";
import { ActiveCell, FormDialog, useCount, useFormErrors, type SpecialMessage } from "./common";
import { ListSection } from "./ListSection";
import { useCampaignsAdmin, useSaveCampaign } from "./queries";

type Editing = { campaign: CampaignSummary | null; key: number };

export function CampaignsAdmin() {
  const { t } = useTranslation("admin");
  const { language, calendar } = useAppSettings();
  const money = useMoney();
  const count = useCount();
  const campaigns = useCampaignsAdmin();
  const [editing, setEditing] = useState<Editing | null>(null);
  const rows = campaigns.data ?? [];
  const date = (iso: string | null) => (iso ? formatDate(iso, calendar, language) : <span className="muted">{t("common.none")}</span>);

  return (
    <ListSection
      labelledBy="admin-campaigns-title"
      title={t("campaigns.title")}
      description={t("campaigns.description")}
      addLabel={t("campaigns.add")}
      onAdd={() => setEditing({ campaign: null, key: Date.now() })}
      list={campaigns}
      emptyTitle={t("campaigns.empty")}
      emptyBody={t("campaigns.emptyBody")}
      errorTitle={t("campaigns.loadError")}
      dialogs={
        editing ? (
          <CampaignDialog
            key={editing.key}
            campaign={editing.campaign}
            onClose={() => setEditing(null)}
            onReload={() =>
              void campaigns.refetch().then((r) => {
                const fresh = r.data?.find((c) => c.id === editing.campaign?.id) ?? null;
                setEditing({ campaign: fresh, key: Date.now() });
              })
            }
          />
        ) : null
      }
    >
      <div className="table-wrap">
        <table className="table admin-table" data-testid="admin-campaigns-table">
          <caption id="admin-campaigns-title" className="visually-hidden">
            {t("campaigns.title")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("campaigns.name")}</th>
              <th scope="col">{t("campaigns.startDate")}</th>
              <th scope="col">{t("campaigns.endDate")}</th>
              <th scope="col" className="col-amount">
                {t("campaigns.cost")}
              </th>
              <th scope="col">{t("campaigns.opportunities")}</th>
              <th scope="col">{t("common.status")}</th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-testid={`row-${c.id}`} className={c.active ? undefined : "admin-row--inactive"}>
                <td className="cell-name">{c.name}</td>
                <td className="col-number">{date(c.startDate)}</td>
                <td className="col-number">{date(c.endDate)}</td>
                <td className="col-number col-amount">{money(c.cost)}</td>
                <td className="col-number">{count(c.opportunityCount)}</td>
                <td>
                  <ActiveCell active={c.active} />
                </td>
                <td className="col-actions">
                  <Button size="sm" variant="ghost" onClick={() => setEditing({ campaign: c, key: Date.now() })} aria-label={t("common.editNamed", { title: c.name })}>
                    {t("common.edit")}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ListSection>
  );
}

const CAMPAIGN_FIELDS = ["name", "startDate", "endDate", "cost", "description"] as const;

function useCampaignMessages(): SpecialMessage {
  const { t } = useTranslation("admin");
  return (fe: FieldError) => (fe.field === "endDate" && fe.code === "out_of_range" ? t("campaigns.endBeforeStart") : null);
}

/** What the form sends: dates as ISO or null, the cost as a decimal string ("0" when empty). */
export function toCampaignInput(form: { name: string; startDate: string | null; endDate: string | null; description: string; cost: string; active: boolean }): CampaignInput {
  const description = form.description.trim();
  return {
    name: form.name.trim(),
    startDate: form.startDate,
    endDate: form.endDate,
    description: description === "" ? null : description,
    cost: form.cost === "" ? "0" : form.cost,
    active: form.active,
  };
}

function CampaignDialog({ campaign, onClose, onReload }: { campaign: CampaignSummary | null; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation("admin");
  const { currencyCode, language } = useAppSettings();
  const toast = useToast();
  const save = useSaveCampaign();
  const errors = useFormErrors(CAMPAIGN_FIELDS, { special: useCampaignMessages(), forbidden: "managers" });
  const [form, setForm] = useState({
    name: campaign?.name ?? "",
    startDate: campaign?.startDate ?? null,
    endDate: campaign?.endDate ?? null,
    description: campaign?.description ?? "",
    cost: campaign && campaign.cost !== "0" ? campaign.cost : "",
    active: campaign?.active ?? true,
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
    if (key === "startDate") errors.clear("endDate");
  };

  const submit = () =>
    save.mutate(
      { id: campaign?.id ?? null, version: campaign?.version ?? 0, input: toCampaignInput(form) },
      {
        onSuccess: (saved) => {
          toast.show(t(campaign ? "campaigns.saved" : "campaigns.added", { title: saved.name }));
          onClose();
        },
        onError: errors.handle,
      },
    );

  return (
    <FormDialog
      open
      title={campaign ? t("campaigns.editTitle") : t("campaigns.addTitle")}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      onReload={campaign ? onReload : undefined}
      testId="admin-campaign-dialog"
    >
      <div className="form__grid">
        <Field label={t("campaigns.name")} error={errors.errorFor("name")} className="span-4">
          {(p) => <input {...p} data-field="name" data-autofocus className="input" value={form.name} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <Field label={t("campaigns.startDate")} error={errors.errorFor("startDate")} className="span-2">
          {(p) => <DateInput {...p} data-field="startDate" value={form.startDate} onChange={(iso) => set("startDate", iso)} />}
        </Field>
        <Field label={t("campaigns.endDate")} error={errors.errorFor("endDate")} className="span-2">
          {(p) => <DateInput {...p} data-field="endDate" value={form.endDate} onChange={(iso) => set("endDate", iso)} />}
        </Field>
        <Field label={t("campaigns.cost")} help={t("campaigns.costHelp", { currency: currencyName(currencyCode, language) })} error={errors.errorFor("cost")} className="span-2">
          {(p) => <MoneyInput {...p} data-field="cost" value={form.cost} onChange={(v) => set("cost", v)} />}
        </Field>
        <div className="span-2 admin-checks">
          <Checkbox label={t("common.active")} checked={form.active} onChange={(v) => set("active", v)} />
        </div>
        <Field label={t("campaigns.descriptionLabel")} error={errors.errorFor("description")} className="span-4">
          {(p) => <textarea {...p} data-field="description" className="input" rows={3} value={form.description} onChange={(e) => set("description", e.target.value)} />}
        </Field>
      </div>
    </FormDialog>
  );
}
