import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { LineOut } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Field } from "../../components/Field";
import { Loading } from "../../components/States";
import { describeError } from "../../lib/api";
import { formatDate, formatDecimal, formatMoney, toLocalDigits } from "../../lib/format";
import { isolate } from "../identities/bidi";
import { useIdentityRecords } from "../identities/queries";
import { DecimalInput } from "../../shared/lines/LinesTable";
import { prorate } from "../../shared/lines/lineMath";
import { draftFromLine, figuresOf, type LineDraft } from "../../shared/lines/lineModel";
import { useFinancialRecord } from "./queries";

export type ReturnLinesProps = {
  identityId: number;
  parentRecordId: number | null;
  onParentChange: (id: number | null) => void;
  lines: readonly LineDraft[];
  onChange: (lines: LineDraft[], errorKey: string | null) => void;
  errorText: (key: string) => string | null;
};

/** A returned line: the invoice line's price, discount share and tax, with its own quantity. */
function returnDraft(source: LineOut, quantity: string): LineDraft {
  const draft = draftFromLine(source, { keepTax: true });
  return {
    ...draft,
    quantity,
    sourceLineId: source.id,
    maxQuantity: source.quantity,
    discountValue: source.discountKind === "amount" ? prorate(source.discountValue, quantity, source.quantity) : source.discountValue,
  };
}

/**
 * A sales return's lines: the approved invoice it returns from, then each of that
 * invoice's lines with a box to return it and the quantity returned.
 */
export function ReturnLines({ identityId, parentRecordId, onParentChange, lines, onChange, errorText }: ReturnLinesProps) {
  const { t } = useTranslation("financial");
  const { t: tp } = useTranslation("products");
  const { t: tc } = useTranslation("common");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const uid = useId().replace(/:/g, "");
  const records = useIdentityRecords(identityId);
  const invoice = useFinancialRecord(parentRecordId);
  const invoices = (records.data ?? []).filter((r) => r.kind === "invoice" && (r.status === "approved" || r.id === parentRecordId));

  const source = invoice.data?.kind === "invoice" ? invoice.data.lines : [];
  const chosen = (line: LineOut) => lines.findIndex((l) => l.sourceLineId === line.id);
  /** Lines in the invoice's order, so that error paths follow what is shown. */
  const ordered = (next: LineDraft[]) =>
    [...next].sort((a, b) => source.findIndex((s) => s.id === a.sourceLineId) - source.findIndex((s) => s.id === b.sourceLineId));

  const toggle = (line: LineOut, on: boolean) => {
    if (on) onChange(ordered([...lines, returnDraft(line, line.quantity)]), null);
    else onChange(lines.filter((l) => l.sourceLineId !== line.id), null);
  };
  const setQuantity = (line: LineOut, quantity: string) => {
    const index = chosen(line);
    onChange(
      lines.map((l, i) => (i === index ? { ...returnDraft(line, quantity), key: l.key } : l)),
      `lines.${index}.quantity`,
    );
  };

  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, withCurrency: false });
  const col = (name: string) => `${uid}-${name}`;
  const parentError = errorText("parentRecordId");

  return (
    <div className="return-lines" data-testid="return-lines">
      <Field label={t("fields.returnedInvoice")} required error={parentError} className="return-lines__invoice">
        {(p) => (
          <select
            {...p}
            className="input"
            data-field="parentRecordId"
            aria-required
            value={parentRecordId ?? ""}
            onChange={(e) => {
              onParentChange(e.target.value === "" ? null : Number(e.target.value));
              onChange([], null);
            }}
          >
            <option value="">{t("choose")}</option>
            {invoices.map((r) => (
              <option key={r.id} value={r.id}>
                {[r.number ? isolate(toLocalDigits(r.number, language)) : null, r.title ? isolate(r.title) : null, formatDate(r.date, calendar, language)].filter(Boolean).join(" — ")}
              </option>
            ))}
          </select>
        )}
      </Field>
      {records.isSuccess && invoices.length === 0 ? <p className="muted">{t("return.noInvoices")}</p> : null}
      {parentRecordId === null ? null : invoice.isPending ? (
        <Loading inline />
      ) : invoice.isError ? (
        <p className="field__error">{describeError(invoice.error, tc)}</p>
      ) : (
        <div className="table-wrap lines-wrap">
          <table className="table table--compact lines-table" data-testid="return-table">
            <caption className="visually-hidden">{t("return.caption")}</caption>
            <thead>
              <tr>
                <th scope="col" id={col("pick")}>
                  {t("return.pick")}
                </th>
                <th scope="col">{tp("lines.code")}</th>
                <th scope="col">{tp("lines.product")}</th>
                <th scope="col" className="col-amount">
                  {t("return.invoiced")}
                </th>
                <th scope="col" id={col("quantity")} className="col-amount">
                  {t("return.quantity")}
                </th>
                <th scope="col" className="col-amount">
                  {tp("lines.unitPrice")}
                </th>
                <th scope="col" className="col-amount">
                  {tp("lines.finalPrice")}
                </th>
              </tr>
            </thead>
            <tbody>
              {source.map((line) => {
                const index = chosen(line);
                const draft = index >= 0 ? lines[index] : undefined;
                const rowName = `${uid}-row-${line.id}`;
                const figures = draft ? figuresOf(draft, currencyDecimals) : null;
                const qtyError = index >= 0 ? errorText(`lines.${index}.quantity`) : null;
                const lineError = index >= 0 ? (errorText(`lines.${index}.sourceLineId`) ?? errorText(`lines.${index}.productId`)) : null;
                return (
                  <tr key={line.id} data-source-line={line.id}>
                    <td>
                      <input type="checkbox" aria-labelledby={`${col("pick")} ${rowName}`} checked={draft !== undefined} onChange={(e) => toggle(line, e.target.checked)} data-testid="return-pick" />
                    </td>
                    <td>
                      <bdi>{toLocalDigits(line.productCode, language)}</bdi>
                    </td>
                    <td className="cell-name">
                      <bdi id={rowName}>{line.productName}</bdi>
                      {lineError ? <p className="field__error">{lineError}</p> : null}
                    </td>
                    <td className="col-amount">{formatDecimal(line.quantity, language)}</td>
                    <td className="col-amount">
                      {draft ? (
                        <DecimalInput
                          className="lines-table__qty"
                          aria-labelledby={`${col("quantity")} ${rowName}`}
                          aria-invalid={qtyError ? true : undefined}
                          aria-describedby={qtyError ? `${rowName}-qty-error` : undefined}
                          data-field={`lines.${index}.quantity`}
                          value={draft.quantity}
                          onChange={(v) => setQuantity(line, v)}
                        />
                      ) : (
                        <span className="muted">—</span>
                      )}
                      {qtyError ? (
                        <p className="field__error" id={`${rowName}-qty-error`}>
                          {qtyError}
                        </p>
                      ) : null}
                    </td>
                    <td className="col-amount">{money(line.unitPrice)}</td>
                    <td className="col-amount">{figures ? money(figures.total) : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
