import { useId, type InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { DiscountKind } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { Button } from "../../components/Button";
import { MoneyInput } from "../../components/MoneyInput";
import { currencyName, formatDecimal, formatMoney, normalizeDigits, numberSymbols, toLocalDigits, type Lang } from "../../lib/format";
import type { Totals } from "./lineMath";
import { figuresOf, moveLine, type LineDraft } from "./lineModel";
import "./lines.css";

export type LinesTableProps = {
  lines: readonly LineDraft[];
  /**
   * Receives the edited lines. `errorKey` is the field path that was edited
   * ("lines.2.quantity"), or null when rows were added, removed or moved.
   * Leave it out for a read-only table.
   */
  onChange?: (lines: LineDraft[], errorKey: string | null) => void;
  /** Only the quantities may change (sales returns). */
  quantityOnly?: boolean;
  /** The message of a backend error at a path ("lines.0.quantity"), if any. */
  errorText?: (key: string) => string | null;
  /** Documents show each line's tax percent and amount. */
  showTax?: boolean;
  testId?: string;
  caption: string;
};

/** Typed decimal text → ASCII ("۲٫۵" → "2.5"); anything but digits and one decimal mark is dropped. */
export function readDecimalText(text: string): string {
  const s = normalizeDigits(text).replace(/[\u066B/]/g, ".");
  let out = "";
  let dot = false;
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") out += ch;
    else if (ch === "." && !dot) {
      dot = true;
      out += ".";
    }
  }
  return out;
}

function showDecimalText(value: string, lang: Lang): string {
  return toLocalDigits(value, lang).replace(".", numberSymbols(lang).decimal);
}

type DecimalInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type"> & {
  value: string;
  onChange: (value: string) => void;
};

/** A quantity or percent box: decimals allowed, Persian digits accepted and shown in fa. */
export function DecimalInput({ value, onChange, className, ...rest }: DecimalInputProps) {
  const { language } = useAppSettings();
  return (
    <input
      {...rest}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      dir="ltr"
      className={["input", "input--number", className ?? ""].filter(Boolean).join(" ")}
      value={showDecimalText(value, language)}
      onChange={(e) => onChange(readDecimalText(e.target.value))}
    />
  );
}

/** The lines table of field 15 and of proformas, invoices and returns. */
export function LinesTable({ lines, onChange, quantityOnly = false, errorText = () => null, showTax = false, testId, caption }: LinesTableProps) {
  const { t } = useTranslation("products");
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  const uid = useId().replace(/:/g, "");
  const editable = onChange !== undefined;
  const fullyEditable = editable && !quantityOnly;
  const col = (name: string) => `${uid}-col-${name}`;
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, withCurrency: false });
  const number = (v: string) => formatDecimal(v, language);
  const unitOf = (l: LineDraft) => (language === "fa" ? l.unitFa || l.unitEn : l.unitEn || l.unitFa) ?? "";

  const edit = (index: number, patch: Partial<LineDraft>, field: string) =>
    onChange?.(
      lines.map((l, i) => (i === index ? { ...l, ...patch } : l)),
      `lines.${index}.${field}`,
    );
  const restructure = (next: LineDraft[]) => onChange?.(next, null);

  if (lines.length === 0) {
    return (
      <p className="muted lines-empty" data-testid={testId ? `${testId}-empty` : undefined}>
        {t("lines.empty")}
      </p>
    );
  }

  const invalid = (key: string) => (errorText(key) ? true : undefined);
  const describedBy = (key: string) => (errorText(key) ? `${uid}-${key.replace(/\./g, "-")}-error` : undefined);
  const errorNote = (key: string) => {
    const message = errorText(key);
    return message ? (
      <p className="field__error" id={`${uid}-${key.replace(/\./g, "-")}-error`}>
        {message}
      </p>
    ) : null;
  };

  return (
    <div className="table-wrap lines-wrap">
      <span className="visually-hidden" id={col("discountKind")}>
        {t("lines.discountKind")}
      </span>
      <table className="table table--compact lines-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-number">
              {t("lines.row")}
            </th>
            <th scope="col" id={col("code")}>
              {t("lines.code")}
            </th>
            <th scope="col" id={col("product")}>
              {t("lines.product")}
            </th>
            <th scope="col">{t("lines.unit")}</th>
            <th scope="col" id={col("quantity")} className="col-amount">
              {t("lines.quantity")}
            </th>
            <th scope="col" id={col("unitPrice")} className="col-amount">
              {t("lines.unitPrice")}
            </th>
            <th scope="col" id={col("discount")} className="col-amount">
              {t("lines.discount")}
            </th>
            {showTax ? (
              <>
                <th scope="col" className="col-amount">
                  {t("lines.taxPercent")}
                </th>
                <th scope="col" className="col-amount">
                  {t("lines.taxAmount")}
                </th>
              </>
            ) : null}
            <th scope="col" className="col-amount">
              {t("lines.finalPrice")}
            </th>
            <th scope="col" id={col("description")}>
              {t("lines.description")}
            </th>
            {fullyEditable ? (
              <th scope="col">
                <span className="visually-hidden">{t("lines.actions")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {lines.map((line, i) => {
            const rowName = `${uid}-row-${line.key}`;
            const figures = figuresOf(line, currencyDecimals);
            const labelled = (column: string) => `${col(column)} ${rowName}`;
            const key = (field: string) => `lines.${i}.${field}`;
            return (
              <tr key={line.key} data-line-index={i} data-product-id={line.productId}>
                <td className="col-number">{number(String(i + 1))}</td>
                <td>
                  <bdi>{toLocalDigits(line.productCode, language)}</bdi>
                </td>
                <td className="cell-name">
                  <bdi id={rowName}>{line.productName}</bdi>
                  {errorNote(key("productId"))}
                  {errorNote(key("sourceLineId"))}
                </td>
                <td>{unitOf(line)}</td>
                <td className="col-amount">
                  {editable ? (
                    <>
                      <DecimalInput
                        className="lines-table__qty"
                        aria-labelledby={labelled("quantity")}
                        aria-invalid={invalid(key("quantity"))}
                        aria-describedby={describedBy(key("quantity"))}
                        data-field={key("quantity")}
                        value={line.quantity}
                        onChange={(v) => edit(i, { quantity: v }, "quantity")}
                      />
                      {line.maxQuantity !== null ? <span className="muted lines-table__max">{t("lines.ofMax", { max: number(line.maxQuantity) })}</span> : null}
                    </>
                  ) : (
                    number(line.quantity)
                  )}
                  {errorNote(key("quantity"))}
                </td>
                <td className="col-amount">
                  {fullyEditable ? (
                    <MoneyInput
                      className="lines-table__money"
                      aria-labelledby={labelled("unitPrice")}
                      aria-invalid={invalid(key("unitPrice"))}
                      aria-describedby={describedBy(key("unitPrice"))}
                      data-field={key("unitPrice")}
                      value={line.unitPrice}
                      onChange={(v) => edit(i, { unitPrice: v }, "unitPrice")}
                    />
                  ) : (
                    money(line.unitPrice)
                  )}
                  {errorNote(key("unitPrice"))}
                </td>
                <td className="col-amount">
                  {fullyEditable ? (
                    <div className="lines-table__discount">
                      <select
                        className="input lines-table__kind"
                        aria-labelledby={labelled("discountKind")}
                        data-field={key("discountKind")}
                        value={line.discountKind}
                        onChange={(e) => edit(i, { discountKind: e.target.value as DiscountKind }, "discountValue")}
                      >
                        <option value="percent">{language === "fa" ? "٪" : "%"}</option>
                        <option value="amount">{currencyName(currencyCode, language)}</option>
                      </select>
                      {line.discountKind === "percent" ? (
                        <DecimalInput
                          className="lines-table__pct"
                          aria-labelledby={labelled("discount")}
                          aria-invalid={invalid(key("discountValue"))}
                          aria-describedby={describedBy(key("discountValue"))}
                          data-field={key("discountValue")}
                          value={line.discountValue}
                          onChange={(v) => edit(i, { discountValue: v }, "discountValue")}
                        />
                      ) : (
                        <MoneyInput
                          className="lines-table__money"
                          aria-labelledby={labelled("discount")}
                          aria-invalid={invalid(key("discountValue"))}
                          aria-describedby={describedBy(key("discountValue"))}
                          data-field={key("discountValue")}
                          value={line.discountValue}
                          onChange={(v) => edit(i, { discountValue: v }, "discountValue")}
                        />
                      )}
                    </div>
                  ) : (
                    <span>
                      {line.discountKind === "percent" ? `${number(line.discountValue)}${language === "fa" ? "٪" : "%"}` : money(line.discountValue)}
                      {figures && line.discountKind === "percent" ? <span className="muted lines-table__sub">{money(figures.discount)}</span> : null}
                    </span>
                  )}
                  {errorNote(key("discountValue"))}
                </td>
                {showTax ? (
                  <>
                    <td className="col-amount" data-testid="line-tax-percent">
                      {line.taxPercent !== null ? `${number(line.taxPercent)}${language === "fa" ? "٪" : "%"}` : "—"}
                    </td>
                    <td className="col-amount" data-testid="line-tax-amount">
                      {figures && line.taxPercent !== null ? money(figures.tax) : "—"}
                    </td>
                  </>
                ) : null}
                <td className="col-amount lines-table__final" data-testid="line-final">
                  {figures ? money(figures.total) : "—"}
                  {errorNote(key("total"))}
                </td>
                <td>
                  {fullyEditable ? (
                    <input
                      className="input lines-table__desc"
                      aria-labelledby={labelled("description")}
                      aria-invalid={invalid(key("description"))}
                      aria-describedby={describedBy(key("description"))}
                      data-field={key("description")}
                      value={line.description}
                      onChange={(e) => edit(i, { description: e.target.value }, "description")}
                    />
                  ) : (
                    line.description || <span className="muted">—</span>
                  )}
                  {errorNote(key("description"))}
                </td>
                {fullyEditable ? (
                  <td className="col-actions lines-table__actions">
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={i === 0}
                      aria-label={t("lines.moveUp", { name: line.productName })}
                      title={t("lines.moveUp", { name: line.productName })}
                      onClick={() => restructure(moveLine(lines, i, -1))}
                      data-testid="line-up"
                    >
                      <span aria-hidden="true">↑</span>
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={i === lines.length - 1}
                      aria-label={t("lines.moveDown", { name: line.productName })}
                      title={t("lines.moveDown", { name: line.productName })}
                      onClick={() => restructure(moveLine(lines, i, 1))}
                      data-testid="line-down"
                    >
                      <span aria-hidden="true">↓</span>
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={t("lines.remove", { name: line.productName })}
                      title={t("lines.remove", { name: line.productName })}
                      onClick={() => restructure(lines.filter((_, j) => j !== i))}
                      data-testid="line-remove"
                    >
                      <span aria-hidden="true">×</span>
                    </Button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export type LineTotalsProps = {
  totals: Totals;
  showTax?: boolean;
  testId?: string;
};

/** Sum, total discount, (tax,) final sum under a lines table. */
export function LineTotals({ totals, showTax = false, testId = "line-totals" }: LineTotalsProps) {
  const { t } = useTranslation("products");
  const money = useMoney();
  return (
    <dl className="line-totals" data-testid={testId}>
      <div>
        <dt>{t("totals.sum")}</dt>
        <dd data-testid="totals-sum">{money(totals.sum)}</dd>
      </div>
      <div>
        <dt>{t("totals.discount")}</dt>
        <dd data-testid="totals-discount">{money(totals.discount)}</dd>
      </div>
      {showTax ? (
        <div>
          <dt>{t("totals.tax")}</dt>
          <dd data-testid="totals-tax">{money(totals.tax)}</dd>
        </div>
      ) : null}
      <div className="line-totals__final">
        <dt>{t("totals.final")}</dt>
        <dd data-testid="totals-final">{money(totals.total)}</dd>
      </div>
    </dl>
  );
}
