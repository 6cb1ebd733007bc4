import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Product } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { LineTotals, LinesTable } from "../../shared/lines/LinesTable";
import { draftFromProduct, totalsOf, type LineDraft } from "../../shared/lines/lineModel";
import { ProductSelector } from "../products/ProductSelector";
import type { FieldNumber } from "./labels";

export type IssueKind = "proforma" | "invoice";

export type ProductsSectionProps = {
  lines: readonly LineDraft[];
  onLinesChange: (lines: LineDraft[], errorKey: string | null) => void;
  errorText: (key: string) => string | null;
  num: (n: FieldNumber) => ReactNode;
  tip: (n: FieldNumber) => string;
  /** The opportunity has been saved (documents can only be issued from a saved one). */
  saved: boolean;
  issuing: IssueKind | null;
  onIssue: (kind: IssueKind) => void;
};

/** 15–18: the product selector, the lines with their totals, and issuing a proforma or an invoice. */
export function ProductsSection({ lines, onLinesChange, errorText, num, tip, saved, issuing, onIssue }: ProductsSectionProps) {
  const { t } = useTranslation("opportunity");
  const { t: tp } = useTranslation("products");
  const { currencyDecimals } = useAppSettings();
  const uid = useId();
  const canIssue = saved && lines.length > 0;
  const listError = errorText("lines");

  const add = (product: Product) => onLinesChange([...lines, draftFromProduct(product)], null);

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
        <ProductSelector onPick={add} badges={{ select: num(15), keepOpen: num(16) }} help={{ select: tip(15), keepOpen: tip(16) }} />
        <div className="products-section__lines">
          {listError ? <p className="field__error">{listError}</p> : null}
          <LinesTable lines={lines} onChange={onLinesChange} errorText={errorText} caption={tp("lines.caption")} testId="opportunity-lines" />
          {lines.length > 0 ? <LineTotals totals={totalsOf(lines, currencyDecimals)} /> : null}
        </div>
      </div>
    </section>
  );
}
