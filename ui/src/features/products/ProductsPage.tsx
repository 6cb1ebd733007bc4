import { useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Product } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { IconPlus, IconSearch } from "../../components/icons";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { describeError, fieldErrorsOf } from "../../lib/api";
import { formatNumber, toLocalDigits } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { CategoryPanel } from "./CategoryPanel";
import { categoryPath } from "./categoryTree";
import { ProductForm } from "./ProductForm";
import { useCategories, useDeleteProduct, useProducts } from "./queries";
import { IconEdit, IconTrash } from "./rowIcons";
import "./products.css";

const PAGE_SIZE = 50;

/**
 * The product catalogue: the category tree and the products, with search, add, edit and
 * delete. The table fits beside the tree from 1280 px (names and categories wrap, the
 * yes/no columns are marks), scrolls between the toolbar and its footer, and the footer
 * says how many products there are.
 */
export function ProductsPage() {
  const { t } = useTranslation("products");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const money = useMoney();
  const toast = useToast();
  const uid = useId();
  const categories = useCategories();
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Product | "new" | null>(null);
  const [deleting, setDeleting] = useState<Product | null>(null);
  const term = useDebouncedValue(search.trim(), 250);
  const products = useProducts({ search: term === "" ? null : term, categoryId, forSale: false, page, pageSize: PAGE_SIZE });
  const remove = useDeleteProduct();

  useHotkeys([{ key: "n", ctrl: true, handler: () => setEditing("new") }]);

  const doDelete = () => {
    if (!deleting) return;
    const product = deleting;
    remove.mutate(product, {
      onSuccess: () => {
        setDeleting(null);
        toast.show(t("catalogue.deleted", { name: product.name }), "success");
      },
      onError: (error) => {
        setDeleting(null);
        const used = fieldErrorsOf(error).some((f) => f.field === "id" && f.code === "not_allowed");
        toast.show(used ? t("catalogue.inUse") : describeError(error, tc), "error");
      },
    });
  };

  const flag = (v: boolean) => (
    <td className="catalogue__flag">
      <span aria-hidden="true" className={v ? "catalogue__yes" : "catalogue__no"}>
        {v ? "✓" : "—"}
      </span>
      <span className="visually-hidden">{v ? tc("yes") : tc("no")}</span>
    </td>
  );
  const searchAllCategories = () => {
    setCategoryId(null);
    setPage(1);
  };
  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, p: Product) => {
    if (e.target !== e.currentTarget) return;
    if (e.key === "Enter") {
      e.preventDefault();
      setEditing(p);
    }
  };

  const total = products.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const shown = products.data?.items.length ?? 0;
  const from = (page - 1) * PAGE_SIZE + 1;
  let table;
  if (products.isPending) table = <Loading />;
  else if (products.isError) table = <ErrorState error={products.error} title={t("catalogue.loadError")} onRetry={() => void products.refetch()} />;
  else if (products.data.items.length === 0 && term !== "" && categoryId !== null)
    // A code searched inside another category: offer the same search in all of them.
    table = (
      <div data-testid="no-matches-in-category">
        <EmptyState
          title={t("search.noMatchesInCategory")}
          action={
            <Button onClick={searchAllCategories} data-testid="search-all-categories">
              {t("search.allCategories")}
            </Button>
          }
        />
      </div>
    );
  else if (products.data.items.length === 0)
    table = <EmptyState title={term || categoryId !== null ? t("catalogue.noMatches") : t("catalogue.emptyTitle")} body={term || categoryId !== null ? undefined : t("catalogue.emptyBody")} />;
  else
    table = (
      <div className="catalogue__list">
        <div className={products.isFetching && products.isPlaceholderData ? "table-wrap is-busy" : "table-wrap"}>
          <table className="table table--rows catalogue__table" data-testid="products-table">
            <caption className="visually-hidden">{t("catalogue.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("product.code")}</th>
                <th scope="col" className="catalogue__wrap">
                  {t("product.name")}
                </th>
                <th scope="col" className="catalogue__wrap">
                  {t("product.category")}
                </th>
                <th scope="col">{t("product.kind")}</th>
                <th scope="col">{t("product.unit")}</th>
                <th scope="col" className="col-amount">
                  {t("product.price")}
                </th>
                <th scope="col" className="catalogue__flag">
                  {t("product.taxable")}
                </th>
                <th scope="col" className="catalogue__flag">
                  {t("product.saleable")}
                </th>
                <th scope="col" className="catalogue__flag">
                  {t("product.active")}
                </th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">{t("catalogue.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {products.data.items.map((p) => (
                <tr key={p.id} tabIndex={0} className={p.active ? "row-link" : "row-link is-inactive"} data-product-id={p.id} onKeyDown={(e) => onRowKey(e, p)} onClick={(e) => !(e.target as HTMLElement).closest("button") && setEditing(p)}>
                  <td>
                    <bdi>{toLocalDigits(p.code, language)}</bdi>
                  </td>
                  <td className="cell-name catalogue__wrap"><bdi>{p.name}</bdi></td>
                  <td className="catalogue__wrap">{categoryPath(categories.data ?? [], p.categoryId)}</td>
                  <td>{t(`kind.${p.kind}`)}</td>
                  <td>{(language === "fa" ? p.unitFa || p.unitEn : p.unitEn || p.unitFa) ?? <span className="muted">—</span>}</td>
                  <td className="col-amount">{money(p.salePrice)}</td>
                  {flag(p.taxable)}
                  {flag(p.saleable)}
                  {flag(p.active)}
                  <td className="col-actions catalogue__actions">
                    <Button
                      size="sm"
                      variant="ghost"
                      className="catalogue__row-btn"
                      onClick={() => setEditing(p)}
                      aria-label={t("catalogue.edit", { name: p.name })}
                      title={t("catalogue.edit", { name: p.name })}
                      data-testid="product-edit"
                    >
                      <IconEdit />
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      className="catalogue__row-btn catalogue__row-btn--delete"
                      onClick={() => setDeleting(p)}
                      aria-label={t("catalogue.delete", { name: p.name })}
                      title={t("catalogue.delete", { name: p.name })}
                      data-testid="product-delete"
                    >
                      <IconTrash />
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="pager catalogue__footer">
          <span className="pager__range" data-testid="products-count">
            {pages > 1
              ? t("catalogue.range", { from: formatNumber(from, language), to: formatNumber(from + shown - 1, language), total: formatNumber(total, language) })
              : t("catalogue.count", { count: total, total: formatNumber(total, language) })}
          </span>
          <span className="pager__spacer" />
          {pages > 1 ? (
            <nav className="pager" aria-label={t("catalogue.pages")}>
              <span className="pager__page">{t("catalogue.page", { page: formatNumber(page, language), pages: formatNumber(pages, language) })}</span>
              <Button size="sm" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                {tc("actions.previous")}
              </Button>
              <Button size="sm" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
                {tc("actions.next")}
              </Button>
            </nav>
          ) : null}
        </div>
      </div>
    );

  return (
    <div className="page catalogue" data-testid="products-page">
      <header className="page__header">
        <h1 className="page__title">{t("catalogue.title")}</h1>
      </header>
      <div className="catalogue__layout">
        {categories.isError ? (
          <ErrorState error={categories.error} title={t("categories.loadError")} onRetry={() => void categories.refetch()} />
        ) : categories.isPending ? (
          <Loading />
        ) : (
          <CategoryPanel
            categories={categories.data}
            selectedId={categoryId}
            onSelect={(id) => {
              setCategoryId(id);
              setPage(1);
            }}
          />
        )}
        <section className="catalogue__products" aria-labelledby={`${uid}-products`}>
          <h2 className="visually-hidden" id={`${uid}-products`}>
            {t("catalogue.productsHeading")}
          </h2>
          <div className="toolbar">
            <div className="search">
              <span className="search__icon" aria-hidden="true">
                <IconSearch />
              </span>
              <label className="visually-hidden" htmlFor={`${uid}-search`}>
                {t("catalogue.search")}
              </label>
              <input
                id={`${uid}-search`}
                type="search"
                className="input search__input"
                placeholder={t("catalogue.search")}
                value={search}
                onChange={(e) => {
                  setSearch(e.target.value);
                  setPage(1);
                }}
                data-testid="products-search"
              />
            </div>
            <Button variant="primary" icon={<IconPlus />} shortcut="Ctrl+N" aria-keyshortcuts="Control+N" onClick={() => setEditing("new")} data-testid="product-add">
              {t("catalogue.add")}
            </Button>
          </div>
          {table}
        </section>
      </div>

      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? t("catalogue.addTitle") : t("catalogue.editTitle")} variant="panel" testId="product-dialog">
        {editing !== null ? (
          <ProductForm
            product={editing === "new" ? null : editing}
            categories={categories.data ?? []}
            defaultCategoryId={categoryId}
            onDone={(saved) => {
              setEditing(null);
              toast.show(t("catalogue.saved", { name: saved.name }), "success");
            }}
            onCancel={() => setEditing(null)}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t("catalogue.deleteTitle")}
        variant="modal"
        testId="product-delete-confirm"
        footer={
          <div className="dialog__actions">
            <Button variant="danger" onClick={doDelete} busy={remove.isPending} data-testid="product-delete-yes">
              {tc("actions.delete")}
            </Button>
            <Button variant="ghost" onClick={() => setDeleting(null)} data-autofocus>
              {tc("actions.cancel")}
            </Button>
          </div>
        }
      >
        <div className="form__scroll">
          <p>{t("catalogue.deleteBody", { name: deleting?.name ?? "" })}</p>
        </div>
      </Dialog>
    </div>
  );
}
