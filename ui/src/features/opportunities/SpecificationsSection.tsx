import { useTranslation } from "react-i18next";
import type { OpportunityDetail, StageKind } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { Balance } from "../../components/Balance";
import { DateInput } from "../../components/DateInput";
import { Field } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import { normalizeDigits, toLocalDigits } from "../../lib/format";
import { totalsOf } from "../../shared/lines/lineModel";
import { useAllSystemItems, useAllUsers, useCampaigns, useUsers } from "../../shared/lookups";
import { amountBackToAutomatic, amountIsAutomatic, typeAmount, typeProbability } from "./formModel";
import { useFieldLabel } from "./labels";
import { OutcomeFields } from "./OutcomeFields";
import type { SectionProps } from "./sectionProps";
import { SystemItemSelect } from "./SystemItemSelect";

export type SpecificationsSectionProps = SectionProps & {
  /** The form's id prefix. */
  uid: string;
  /** The saved opportunity (its balance and amounts); null for a new one. */
  base: OpportunityDetail | null;
  /** The kind of the stage the form is in. */
  kind: StageKind;
};

/** 1–12: the opportunity's own fields — title, balance, type, owner, source, campaign, dates, amount, probability, outcome. */
export function SpecificationsSection({ uid, base, kind, form, set, change, errorText, num, tip }: SpecificationsSectionProps) {
  const { t } = useTranslation("opportunity");
  const { language, currencyDecimals } = useAppSettings();
  const label = useFieldLabel();

  const users = useUsers();
  const allUsers = useAllUsers();
  const campaigns = useCampaigns();
  const types = useAllSystemItems("opportunity_type");
  const sources = useAllSystemItems("source");
  const purchaseProcesses = useAllSystemItems("purchase_process");

  const automaticAmount = amountIsAutomatic(form);
  const manualAmountWithLines = form.lines.length > 0 && form.amountIsManual;
  const money = useMoney();
  const closed = kind === "won" || kind === "lost";

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

  return (
    <section className="card form-card" aria-labelledby={`${uid}-spec`}>
      <h2 className="form__section-title" id={`${uid}-spec`}>
        {t("sections.specifications")}
      </h2>
      <div className="form__grid">
        {/* In reading order, two to a row: 1 2 / 3 4 / 5 6 / 7 8 / 9 11, then 10 and 12 (won and lost side by side). */}
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
        <Field label={label("title")} badge={num(2)} tip={tip(2)} required error={errorText("title")} className="span-2">
          {(p) => <input {...p} data-field="title" className="input" autoComplete="off" aria-required value={form.title} onChange={(e) => set("title", e.target.value)} />}
        </Field>
        <Field label={label("assignedUserId")} badge={num(3)} tip={tip(3)} error={errorText("assignedUserId")} className="span-2">
          {(p) => (
            <select {...p} data-field="assignedUserId" className="input" value={form.assignedUserId} onChange={(e) => set("assignedUserId", e.target.value)}>
              <option value="">{t("none")}</option>
              {assignedOptions}
            </select>
          )}
        </Field>
        <Field label={label("typeId")} badge={num(4)} tip={tip(4)} required error={errorText("typeId")} className="span-2">
          {(p) => <SystemItemSelect {...p} field="typeId" items={types.data} value={form.typeId} onChange={(v) => set("typeId", v)} required />}
        </Field>
        <Field label={label("sourceId")} badge={num(5)} tip={tip(5)} required error={errorText("sourceId")} className="span-2">
          {(p) => <SystemItemSelect {...p} field="sourceId" items={sources.data} value={form.sourceId} onChange={(v) => set("sourceId", v)} required />}
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
                <button type="button" className="link-button" data-testid="amount-automatic" onClick={() => change((f) => amountBackToAutomatic(f, currencyDecimals), "estimatedAmount")}>
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
              onChange={(v) => change((f) => typeAmount(f, v), "estimatedAmount")}
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
                onChange={(e) => change((f) => typeProbability(f, normalizeDigits(e.target.value).replace(/\D/g, "").slice(0, 3)), "probability")}
              />
              <span className="input-suffix__text" aria-hidden="true">
                {language === "fa" ? "٪" : "%"}
              </span>
            </div>
          )}
        </Field>
        <Field label={label("purchaseProcessId")} badge={num(11)} tip={tip(11)} error={errorText("purchaseProcessId")} className="span-2">
          {(p) => <SystemItemSelect {...p} field="purchaseProcessId" items={purchaseProcesses.data} value={form.purchaseProcessId} onChange={(v) => set("purchaseProcessId", v)} />}
        </Field>

        <OutcomeFields kind={kind} form={form} set={set} errorText={errorText} num={num} tip={tip} />
      </div>
    </section>
  );
}
