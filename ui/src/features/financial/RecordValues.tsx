import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FinancialDetail } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { formatDate } from "../../lib/format";
import { hasAmount } from "./formModel";

type Value = { key: string; label: string; value: ReactNode; span: 2 | 4 };

/**
 * The specifications of a record that can no longer be edited, as text: the same
 * places as on the form, values formatted for the language, user text isolated.
 */
export function RecordValues({ detail }: { detail: FinancialDetail }) {
  const { t } = useTranslation("financial");
  const { language, calendar } = useAppSettings();
  const money = useMoney();
  const date = (iso: string | null | undefined) => (iso ? formatDate(iso, calendar, language) : null);
  const text = (value: string | null | undefined) => (value && value.trim() !== "" ? <bdi>{value}</bdi> : null);
  const kind = detail.kind;

  const values: Value[] = [
    { key: "title", label: t("fields.title"), value: text(detail.title), span: 2 },
    { key: "issueDate", label: t("fields.issueDate"), value: date(detail.issueDate), span: 2 },
  ];
  if (kind === "proforma") values.push({ key: "expiryDate", label: t("fields.expiryDate"), value: date(detail.expiryDate), span: 2 });
  if (kind === "contract") {
    values.push({ key: "contractKind", label: t("fields.contractKind"), value: detail.contractKind ? t(`contractKind.${detail.contractKind}`) : null, span: 2 });
  }
  if (hasAmount(kind)) values.push({ key: "amount", label: t("fields.amount"), value: money(detail.amount), span: 2 });
  if (kind === "receipt" || kind === "payment") {
    values.push({ key: "method", label: t("fields.method"), value: detail.method ? t(`method.${detail.method}`) : null, span: 2 });
    values.push({ key: "referenceNo", label: t("fields.referenceNo"), value: text(detail.referenceNo), span: 2 });
  }
  if (kind === "contract") {
    values.push({ key: "startDate", label: t("fields.startDate"), value: date(detail.startDate), span: 2 });
    values.push({ key: "endDate", label: t("fields.endDate"), value: date(detail.endDate), span: 2 });
  }
  values.push({
    key: "description",
    label: t("fields.description"),
    value: detail.description && detail.description.trim() !== "" ? <p dir="auto">{detail.description}</p> : null,
    span: 4,
  });

  return (
    <dl className="form__grid record-values" data-testid="record-values">
      {values.map((v) => (
        <div key={v.key} className={`record-values__item span-${v.span}`}>
          <dt>{v.label}</dt>
          <dd data-testid={`record-value-${v.key}`} data-field={v.key}>
            {v.value ?? <span className="muted">—</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
