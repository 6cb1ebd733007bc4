import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { formatDecimal, formatMoney } from "../../lib/format";
import type { ListTotals } from "../../lib/types";

export type ListFooterProps = {
  totals: ListTotals;
  /** The page shown (from 1) and how many rows it holds. */
  page: number;
  rowsOnPage: number;
  pageSize: number;
  onPage: (page: number) => void;
};

/** Under a list of opportunities: the totals of everything the filter matches, and previous / next. */
export function ListFooter({ totals, page, rowsOnPage, pageSize, onPage }: ListFooterProps) {
  const { t } = useTranslation("pipeline");
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  const n = (v: number) => formatDecimal(String(v), language);
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, decimals: currencyDecimals });
  const total = totals.count;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, (page - 1) * pageSize + rowsOnPage);
  return (
    <footer className="pl-footer">
      <dl className="pl-totals" data-testid="list-totals" aria-label={t("totals.label")}>
        <div>
          <dt>{t("totals.count")}</dt>
          <dd data-testid="totals-count">{n(totals.count)}</dd>
        </div>
        <div>
          <dt>{t("totals.estimated")}</dt>
          <dd>{money(totals.estimated)}</dd>
        </div>
        <div>
          <dt>{t("totals.expected")}</dt>
          <dd>{money(totals.expected)}</dd>
        </div>
        <div>
          <dt>{t("totals.realized")}</dt>
          <dd>{money(totals.realized)}</dd>
        </div>
      </dl>
      <nav className="pager" aria-label={t("paging.label")}>
        <span className="pager__range">{t("paging.range", { from: n(from), to: n(to), total: n(total) })}</span>
        <span className="pager__page">{t("paging.page", { page: n(page), pages: n(pages) })}</span>
        <Button size="sm" onClick={() => onPage(Math.max(1, page - 1))} disabled={page <= 1} data-testid="page-previous">
          {t("paging.previous")}
        </Button>
        <Button size="sm" onClick={() => onPage(Math.min(pages, page + 1))} disabled={page >= pages} data-testid="page-next">
          {t("paging.next")}
        </Button>
      </nav>
    </footer>
  );
}
