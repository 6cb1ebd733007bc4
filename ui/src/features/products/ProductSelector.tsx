import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Product } from "../../lib/types";
import { useAppSettings, useMoney } from "../../app/settings";
import { Button } from "../../components/Button";
import { IconSearch } from "../../components/icons";
import { Loading } from "../../components/States";
import { describeError } from "../../lib/api";
import { formatNumber, toLocalDigits } from "../../lib/format";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { CategoryTree } from "./CategoryTree";
import { useCategories, useProducts, useSetKeepCategoryOpen, useUserPrefs } from "./queries";
import "./products.css";

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

export type ProductSelectorProps = {
  /** Adds a line for the product. */
  onPick: (product: Product) => void;
  /** Field-number badges (15, 16) when the form shows them. */
  badges?: { select?: ReactNode; clearGroup?: ReactNode };
  /** Help texts linked to the search box and to field 16's checkbox. */
  help?: { select?: string; clearGroup?: string };
  disabled?: boolean;
};

/**
 * Field 15's product selector: the category tree, a search by name or code, and the
 * saleable, active products that match. Click or Enter adds a line. Field 16, «Clear
 * the product group after choosing a product» (checked unless the user unchecked it),
 * resets the selector after each pick; unchecked, the group and its list stay.
 * A search inside a group that finds nothing offers to search every group.
 */
export function ProductSelector({ onPick, badges, help, disabled = false }: ProductSelectorProps) {
  const { t } = useTranslation("products");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const money = useMoney();
  const uid = useId().replace(/:/g, "");
  const categories = useCategories();
  const prefs = useUserPrefs();
  const setKeepOpen = useSetKeepCategoryOpen();
  // Stored as the inverse, "keep the category open" (false unless the user chose it).
  const clearGroup = !(prefs.data?.keepCategoryOpen ?? false);

  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [search, setSearch] = useState("");
  const [active, setActive] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const searchRef = useRef<HTMLInputElement>(null);

  const debounced = useDebouncedValue(search.trim(), SEARCH_DELAY_MS);
  // An emptied box stops asking at once; typing waits for a pause.
  const term = search.trim() === "" ? "" : debounced;
  const asking = categoryId !== null || term !== "";
  const products = useProducts({ search: term === "" ? null : term, categoryId, forSale: true, page: 1, pageSize: PAGE_SIZE }, asking && !disabled);
  const items = asking ? (products.data?.items ?? []) : [];
  const activeIndex = Math.min(active, Math.max(0, items.length - 1));
  const activeProduct = items[activeIndex];

  const listId = `${uid}-results`;
  const optionId = (p: Product) => `${uid}-product-${p.id}`;

  const pick = (product: Product) => {
    if (disabled) return;
    onPick(product);
    setAnnouncement(t("selector.added", { name: product.name }));
    if (clearGroup) {
      setCategoryId(null);
      setSearch("");
      setActive(0);
      searchRef.current?.focus();
    }
  };

  const onListKey = (e: KeyboardEvent<HTMLElement>) => {
    if (items.length === 0) return;
    if (e.key === "ArrowDown") setActive(Math.min(items.length - 1, activeIndex + 1));
    else if (e.key === "ArrowUp") setActive(Math.max(0, activeIndex - 1));
    else if (e.key === "Home" && e.currentTarget.getAttribute("role") === "listbox") setActive(0);
    else if (e.key === "End" && e.currentTarget.getAttribute("role") === "listbox") setActive(items.length - 1);
    else if (e.key === "Enter" && activeProduct) pick(activeProduct);
    else return;
    e.preventDefault();
  };

  const unit = (p: Product) => (language === "fa" ? p.unitFa || p.unitEn : p.unitEn || p.unitFa);

  const searchAllCategories = () => {
    setCategoryId(null);
    setActive(0);
    searchRef.current?.focus();
  };

  let results: ReactNode;
  if (!asking) results = <p className="selector__hint muted">{t("selector.hint")}</p>;
  else if (products.isError) results = <p className="field__error">{describeError(products.error, tc)}</p>;
  else if (products.isPending) results = <Loading inline />;
  else if (items.length === 0 && term !== "" && categoryId !== null)
    results = products.isPlaceholderData ? null : (
      <div className="selector__none" data-testid="no-matches-in-category">
        <p className="muted">{t("search.noMatchesInCategory")}</p>
        <Button size="sm" onClick={searchAllCategories} data-testid="search-all-categories">
          {t("search.allCategories")}
        </Button>
      </div>
    );
  else if (items.length === 0) results = <p className="selector__hint muted">{t("selector.noMatches")}</p>;
  else results = null;

  return (
    <div className="selector" data-testid="product-selector">
      <div className="selector__tree">
        <div className="field__head">
          <h3 className="selector__title" id={`${uid}-cats`}>
            {t("selector.categories")}
          </h3>
        </div>
        {categories.isError ? (
          <p className="field__error">{describeError(categories.error, tc)}</p>
        ) : categories.isPending ? (
          <Loading inline />
        ) : (
          <CategoryTree
            categories={categories.data}
            selectedId={categoryId}
            onSelect={(id) => {
              setCategoryId(id);
              setActive(0);
            }}
            labelledBy={`${uid}-cats`}
            allLabel={t("selector.allCategories")}
            testId="selector-categories"
          />
        )}
      </div>
      <div className="selector__main">
        <div className="field field--tip">
          <div className="field__head">
            {badges?.select}
            <label className="field__label" htmlFor={`${uid}-search`}>
              {t("selector.search")}
            </label>
          </div>
          <div className="search selector__search">
            <span className="search__icon" aria-hidden="true">
              <IconSearch />
            </span>
            <input
              ref={searchRef}
              id={`${uid}-search`}
              className="input search__input"
              type="search"
              role="combobox"
              aria-expanded={items.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={activeProduct ? optionId(activeProduct) : undefined}
              aria-describedby={help?.select ? `${uid}-search-tip` : undefined}
              autoComplete="off"
              placeholder={t("selector.searchPlaceholder")}
              disabled={disabled}
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setActive(0);
              }}
              onKeyDown={onListKey}
              data-testid="product-search"
            />
          </div>
          {help?.select ? (
            <p className="field__tip" id={`${uid}-search-tip`} role="tooltip">
              {help.select}
            </p>
          ) : null}
        </div>
        <ul
          id={listId}
          className="selector__results"
          role="listbox"
          aria-label={t("selector.results")}
          tabIndex={items.length > 0 ? 0 : -1}
          aria-activedescendant={activeProduct ? optionId(activeProduct) : undefined}
          onKeyDown={onListKey}
          data-testid="product-results"
          hidden={items.length === 0}
        >
          {items.map((p, i) => (
            <li
              key={p.id}
              id={optionId(p)}
              role="option"
              aria-selected={i === activeIndex}
              className={i === activeIndex ? "selector__option is-active" : "selector__option"}
              data-product-id={p.id}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(p)}
            >
              <bdi className="selector__code">{toLocalDigits(p.code, language)}</bdi>
              <bdi className="selector__name">{p.name}</bdi>
              <span className="muted">{unit(p) ?? ""}</span>
              <span className="selector__price">{money(p.salePrice)}</span>
            </li>
          ))}
        </ul>
        {results}
        {asking && products.data && products.data.total > items.length ? (
          <p className="muted selector__more">{t("selector.more", { shown: formatNumber(items.length, language), total: formatNumber(products.data.total, language) })}</p>
        ) : null}
        <div className="field field--tip selector__clear">
          <div className="field__head">
            {badges?.clearGroup}
            <label className="check">
              <input
                type="checkbox"
                checked={clearGroup}
                disabled={disabled || prefs.isPending}
                aria-describedby={help?.clearGroup ? `${uid}-clear-tip` : undefined}
                onChange={(e) => setKeepOpen.mutate(!e.target.checked)}
                data-testid="clear-group-after-pick"
              />
              <span>{t("selector.clearGroup")}</span>
            </label>
          </div>
          {help?.clearGroup ? (
            <p className="field__tip" id={`${uid}-clear-tip`} role="tooltip">
              {help.clearGroup}
            </p>
          ) : null}
        </div>
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
      </div>
    </div>
  );
}
