import { useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Category } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { formatNumber } from "../../lib/format";
import { visibleRows } from "./categoryTree";

export type CategoryTreeProps = {
  categories: readonly Category[];
  /** null: "all categories" (or nothing) is selected. */
  selectedId: number | null;
  onSelect: (id: number | null) => void;
  /** The tree's accessible name (the visible heading above it). */
  labelledBy: string;
  /** When given, a first item that stands for every category (selecting it selects null). */
  allLabel?: string;
  /** Show how many products each category holds directly. */
  showCounts?: boolean;
  testId?: string;
};

type Item = { id: number | null; key: string };

/**
 * An accessible tree of product categories (role="tree"): one tab stop, arrows move
 * (Right/Left follow the reading direction to open and close a branch), Home/End,
 * Enter or Space choose; a click chooses too.
 */
export function CategoryTree({ categories, selectedId, onSelect, labelledBy, allLabel, showCounts = false, testId }: CategoryTreeProps) {
  const { t } = useTranslation("products");
  const { language } = useAppSettings();
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const refs = useRef(new Map<string, HTMLLIElement>());

  const rows = visibleRows(categories, collapsed);
  const items: Item[] = [...(allLabel ? [{ id: null, key: "all" }] : []), ...rows.map((r) => ({ id: r.category.id, key: String(r.category.id) }))];
  const keyOf = (id: number | null) => (id === null ? (allLabel ? "all" : null) : String(id));
  const selectedKey = keyOf(selectedId);
  // The tab stop: the focused item, else the selected one, else the first.
  const tabKey = items.some((i) => i.key === focusKey) ? focusKey : items.some((i) => i.key === selectedKey) ? selectedKey : (items[0]?.key ?? null);

  const focusItem = (key: string) => {
    setFocusKey(key);
    refs.current.get(key)?.focus();
  };
  const toggle = (id: number, open: boolean) => {
    setCollapsed((c) => {
      const next = new Set(c);
      if (open) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const index = items.findIndex((i) => i.key === tabKey);
    const current = items[index];
    if (!current) return;
    const row = rows.find((r) => r.category.id === current.id);
    const rtl = getComputedStyle(e.currentTarget).direction === "rtl";
    const forward = rtl ? "ArrowLeft" : "ArrowRight";
    const backward = rtl ? "ArrowRight" : "ArrowLeft";
    let handled = true;
    if (e.key === "ArrowDown") focusItem((items[Math.min(items.length - 1, index + 1)] as Item).key);
    else if (e.key === "ArrowUp") focusItem((items[Math.max(0, index - 1)] as Item).key);
    else if (e.key === "Home") focusItem((items[0] as Item).key);
    else if (e.key === "End") focusItem((items[items.length - 1] as Item).key);
    else if (e.key === forward) {
      if (row?.hasChildren && !row.expanded) toggle(row.category.id, true);
      else if (row?.hasChildren) focusItem((items[index + 1] as Item).key);
    } else if (e.key === backward) {
      if (row?.expanded) toggle(row.category.id, false);
      else if (row?.category.parentId != null && refs.current.has(String(row.category.parentId))) focusItem(String(row.category.parentId));
    } else if (e.key === "Enter" || e.key === " ") onSelect(current.id);
    else handled = false;
    if (handled) e.preventDefault();
  };

  const itemProps = (item: Item, selected: boolean) => ({
    role: "treeitem" as const,
    tabIndex: item.key === tabKey ? 0 : -1,
    "aria-selected": selected,
    "data-category-id": item.id ?? "all",
    onFocus: () => setFocusKey(item.key),
  });

  if (items.length === 0) {
    return <p className="muted">{t("tree.empty")}</p>;
  }

  return (
    <ul className="cat-tree" role="tree" aria-labelledby={labelledBy} onKeyDown={onKeyDown} data-testid={testId}>
      {allLabel ? (
        <li
          ref={(el) => {
            if (el) refs.current.set("all", el);
            else refs.current.delete("all");
          }}
          {...itemProps({ id: null, key: "all" }, selectedId === null)}
          aria-level={1} className={selectedId === null ? "cat-tree__item is-selected" : "cat-tree__item"} onClick={() => onSelect(null)}>
          <span className="cat-tree__toggle" aria-hidden="true" />
          <span className="cat-tree__name">{allLabel}</span>
        </li>
      ) : null}
      {rows.map((row) => {
        const { category } = row;
        const selected = category.id === selectedId;
        return (
          <li
            key={category.id}
            ref={(el) => {
              if (el) refs.current.set(String(category.id), el);
              else refs.current.delete(String(category.id));
            }}
            {...itemProps({ id: category.id, key: String(category.id) }, selected)}
            aria-level={row.depth + 1}
            aria-expanded={row.hasChildren ? row.expanded : undefined}
            className={selected ? "cat-tree__item is-selected" : "cat-tree__item"}
            style={{ paddingInlineStart: `${8 + row.depth * 16}px` }}
            onClick={() => onSelect(category.id)}
          >
            {row.hasChildren ? (
              <span
                className="cat-tree__toggle"
                aria-hidden="true"
                onClick={(e) => {
                  e.stopPropagation();
                  toggle(category.id, !row.expanded);
                }}
              >
                {row.expanded ? "▾" : <span className="flip-rtl cat-tree__closed">▸</span>}
              </span>
            ) : (
              <span className="cat-tree__toggle" aria-hidden="true" />
            )}
            <bdi className="cat-tree__name">{category.name}</bdi>
            {showCounts ? <span className="cat-tree__count muted">{formatNumber(category.productCount, language)}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
