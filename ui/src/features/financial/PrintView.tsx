import { useTranslation } from "react-i18next";
import type { AppSettings, FinancialDetail } from "../../lib/types";
import { navigate, paths } from "../../app/router";
import { useAppSettings, useMoney, useSettingsQuery } from "../../app/settings";
import { Button } from "../../components/Button";
import { ErrorState, Loading } from "../../components/States";
import { formatDate, toLocalDigits } from "../../lib/format";
import { directionOf } from "../../i18n";
import { LineTotals, LinesTable } from "../../shared/lines/LinesTable";
import { draftFromLine } from "../../shared/lines/lineModel";
import { hasAmount, hasLines } from "./formModel";
import { useFinancialRecord } from "./queries";
import "./financial.css";

/** The company name for the letterhead, when the settings carry one. */
export function companyNameOf(settings: AppSettings | undefined): string | null {
  const name = settings?.companyName.trim() ?? "";
  return name !== "" ? name : null;
}

/** The letterhead lines under the name (address, phone…), blank lines dropped. */
export function companyHeaderLines(settings: AppSettings | undefined): string[] {
  return (settings?.companyHeader ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** #/records/:id/print — a clean A4 page of the record; Print and Back do not print. */
export function PrintView({ id }: { id: number }) {
  const { t } = useTranslation("financial");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const record = useFinancialRecord(id);
  const settings = useSettingsQuery();
  // Without a company name the sheet has no seller line (never the product's name);
  // the screen, not the paper, says where to set it.
  const company = companyNameOf(settings.data);
  const header = companyHeaderLines(settings.data);

  let body;
  if (record.isPending) body = <Loading />;
  else if (record.isError) body = <ErrorState error={record.error} title={t("state.loadError")} onRetry={() => void record.refetch()} />;
  else body = <PrintSheet detail={record.data} company={company} header={header} />;

  return (
    <div className="print-page" dir={directionOf(language)} lang={language} data-testid="print-view">
      <div className="print-actions no-print" role="toolbar" aria-label={t("print.toolbar")}>
        <Button variant="primary" onClick={() => window.print()} data-testid="print-now">
          {t("actions.print")}
        </Button>
        <Button onClick={() => navigate(paths.record(id))} data-testid="print-back">
          {tc("actions.back")}
        </Button>
      </div>
      {settings.isSuccess && company === null ? (
        <p className="notice print-hint no-print" data-testid="print-company-missing">
          {t("print.noCompany")} <a href={paths.section("settings")}>{t("print.openSettings")}</a>
        </p>
      ) : null}
      {body}
    </div>
  );
}

function PrintSheet({ detail, company, header }: { detail: FinancialDetail; company: string | null; header: string[] }) {
  const { t } = useTranslation("financial");
  const { t: tc } = useTranslation("common");
  const { t: tp } = useTranslation("products");
  const { language, calendar } = useAppSettings();
  const date = (iso: string | null) => (iso ? formatDate(iso, calendar, language) : "—");
  const money = useMoney();
  const kindLabel = tc(`recordKind.${detail.kind}`);

  return (
    <article className="print-sheet" aria-labelledby="print-title">
      <header className={company === null && header.length === 0 ? "print-head print-head--no-seller" : "print-head"}>
        <div>
          {company !== null ? (
            <div className="print-company" data-testid="print-company">
              <bdi>{company}</bdi>
            </div>
          ) : null}
          {header.length > 0 ? (
            <div className="print-company-header" data-testid="print-company-header">
              {header.map((line, i) => (
                <div key={i}>
                  <bdi>{line}</bdi>
                </div>
              ))}
            </div>
          ) : null}
        </div>
        <div className="print-doc">
          <h1 id="print-title" className="print-title">
            {kindLabel}
          </h1>
          <dl className="print-facts">
            <div>
              <dt>{t("print.number")}</dt>
              <dd>
                <bdi data-testid="print-number">{toLocalDigits(detail.number, language)}</bdi>
              </dd>
            </div>
            <div>
              <dt>{t("fields.issueDate")}</dt>
              <dd data-testid="print-issue-date">{date(detail.issueDate)}</dd>
            </div>
            {detail.kind === "proforma" ? (
              <div>
                <dt>{t("fields.expiryDate")}</dt>
                <dd>{date(detail.expiryDate)}</dd>
              </div>
            ) : null}
            {detail.status === "draft" ? (
              <div>
                <dt>{t("print.status")}</dt>
                <dd>{tc("recordStatus.draft")}</dd>
              </div>
            ) : null}
          </dl>
        </div>
      </header>

      <section className="print-party">
        <dl className="print-facts">
          <div>
            <dt>{t("print.customer")}</dt>
            <dd data-testid="print-customer">
              <bdi>{detail.identityName}</bdi>
            </dd>
          </div>
          <div>
            <dt>{t("fields.title")}</dt>
            <dd data-testid="print-title">
              <bdi>{detail.title}</bdi>
            </dd>
          </div>
        </dl>
      </section>

      {hasLines(detail.kind) ? (
        <section className="print-lines">
          <LinesTable lines={detail.lines.map((l) => draftFromLine(l, { keepTax: true }))} showTax caption={tp("lines.caption")} testId="print-lines" />
          <LineTotals totals={detail.totals} showTax testId="print-totals" />
        </section>
      ) : null}

      {hasAmount(detail.kind) ? (
        <section className="print-amount">
          <dl className="print-facts">
            <div>
              <dt>{t("fields.amount")}</dt>
              <dd className="print-amount__value" data-testid="print-amount">
                {money(detail.amount)}
              </dd>
            </div>
            {detail.method ? (
              <div>
                <dt>{t("fields.method")}</dt>
                <dd>{t(`method.${detail.method}`)}</dd>
              </div>
            ) : null}
            {detail.referenceNo ? (
              <div>
                <dt>{t("fields.referenceNo")}</dt>
                <dd>
                  <bdi>{detail.referenceNo}</bdi>
                </dd>
              </div>
            ) : null}
            {detail.contractKind ? (
              <div>
                <dt>{t("fields.contractKind")}</dt>
                <dd>{t(`contractKind.${detail.contractKind}`)}</dd>
              </div>
            ) : null}
            {detail.kind === "contract" ? (
              <div>
                <dt>{t("print.period")}</dt>
                <dd>{t("print.fromTo", { from: date(detail.startDate), to: date(detail.endDate) })}</dd>
              </div>
            ) : null}
          </dl>
        </section>
      ) : null}

      {detail.description ? (
        <section className="print-description">
          <h2 className="print-subtitle">{t("fields.description")}</h2>
          <p dir="auto">{detail.description}</p>
        </section>
      ) : null}

      <footer className="print-signatures">
        <div>{t("print.sellerSignature")}</div>
        <div>{t("print.customerSignature")}</div>
      </footer>
    </article>
  );
}
