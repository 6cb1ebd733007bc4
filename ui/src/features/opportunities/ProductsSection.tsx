import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Product } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { LineTotals, LinesTable } from "../../shared/lines/LinesTable";
import { draftFromProduct, totalsOf, type LineDraft } from "../../shared/lines/lineModel";
import { ProductSelector } from "../products/ProductSelector";
import type { TypedAmountChoice } from "./formModel";
import type { FieldNumber } from "./labels";

export type IssueKind = "proforma" | "invoice";

export type ProductsSectionProps = {
  lines: readonly LineDraft[];
  /**
   * Receives the edited lines (see LinesTable). When the first lines arrive while an
   * amount is typed (`typedAmount`), `typed` carries the user's answer to "replace it?".
   */
  onLinesChange: (lines: LineDraft[], errorKey: string | null, typed?: TypedAmountChoice) => void;
  /**
   * Field 8's amount as the user typed it, which the first product lines would replace
   * (typedAmountAtStake); while it is set, adding the first product asks first.
   */
  typedAmount?: string | null;
  errorText: (key: string) => string | null;
  num: (n: FieldNumber) => ReactNode;
  tip: (n: FieldNumber) => string;
  /** The opportunity has been saved (documents can only be issued from a saved one). */
  saved: boolean;
  issuing: IssueKind | null;
  onIssue: (kind: IssueKind) => void;
};

/** 15–18: the product selector, the lines with their totals, and issuing a proforma or an invoice. */
export function ProductsSection({ lines, onLinesChange, typedAmount = null, errorText, num, tip, saved, issuing, onIssue }: ProductsSectionProps) {
  const { t } = useTranslation("opportunity");
  const { t: tp } = useTranslation("products");
  const { currencyDecimals } = useAppSettings();
  const uid = useId();
  const canIssue = saved && lines.length > 0;
  const listError = errorText("lines");
  // The first lines, held while the user says what becomes of the typed amount.
  const [pending, setPending] = useState<LineDraft[] | null>(null);

  const add = (product: Product) => {
    const next = [...lines, draftFromProduct(product)];
    if (lines.length === 0 && typedAmount !== null) setPending(next);
    else onLinesChange(next, null);
  };
  const decide = (typed: TypedAmountChoice) => {
    if (pending) onLinesChange(pending, null, typed);
    setPending(null);
  };
  const money = useMoney();

  return (
    <section className="card form-card products-section" aria-labelledby={`${uid}-products`} data-testid="products-section">
      <div className="products-section__head">
        <h2 className="form__section-title" id={`${uid}-products`}>
          {t("products.title")}
        </h2>
        <div className="products-section__issue" role="group" aria-label={t("products.issueGroup")}>
          {num(17)}
          <Button size="sm" disabled={!canIssue || issuing !== null} busy={issuing === "proforma"} title={tip(17)} onClick={() => onIssue("proforma")} data-testid="issue-proforma">
            {t("products.issueProforma")}
          </Button>
          {num(18)}
          <Button size="sm" disabled={!canIssue || issuing !== null} busy={issuing === "invoice"} title={tip(18)} onClick={() => onIssue("invoice")} data-testid="issue-invoice">
            {t("products.issueInvoice")}
          </Button>
        </div>
      </div>
      {!canIssue ? (
        <p className="muted products-section__why" data-testid="issue-hint">
          {saved ? t("products.issueNeedsLines") : t("products.issueNeedsSave")}
        </p>
      ) : null}
      <div className="products-section__body">
        <ProductSelector onPick={add} badges={{ select: num(15), clearGroup: num(16) }} help={{ select: tip(15), clearGroup: tp("selector.clearGroupHelp") }} />
        <div className="products-section__lines">
          {listError ? <p className="field__error">{listError}</p> : null}
          <LinesTable lines={lines} onChange={onLinesChange} errorText={errorText} caption={tp("lines.caption")} testId="opportunity-lines" />
          {lines.length > 0 ? <LineTotals totals={totalsOf(lines, currencyDecimals)} /> : null}
        </div>
      </div>
      <Dialog
        open={pending !== null}
        // Closing without an answer keeps what the user typed; the product is still added.
        onClose={() => decide("keep")}
        title={tp("amountReplace.title")}
        variant="modal"
        testId="amount-replace-confirm"
        footer={
          <div className="dialog__actions">
            <Button variant="primary" onClick={() => decide("replace")} data-testid="amount-replace-yes">
              {tp("amountReplace.replace")}
            </Button>
            <Button onClick={() => decide("keep")} data-autofocus data-testid="amount-replace-keep">
              {tp("amountReplace.keep")}
            </Button>
          </div>
        }
      >
        <div className="form__scroll amount-replace">
          <p>{tp("amountReplace.body", { typed: money(typedAmount ?? "0"), total: money(pending ? totalsOf(pending, currencyDecimals).total : "0") })}</p>
          <p>{tp("amountReplace.question")}</p>
        </div>
      </Dialog>
    </section>
  );
}
