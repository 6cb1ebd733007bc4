// The product category tree (domain §6): built from the flat list the backend sends.

import type { Category } from "../../lib/types";

export type TreeRow = {
  category: Category;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
};

const byOrder = (a: Category, b: Category) => a.sortOrder - b.sortOrder || a.id - b.id;

/** Children by parent id (null: the roots; a category whose parent is missing counts as a root). */
export function childrenMap(categories: readonly Category[]): Map<number | null, Category[]> {
  const ids = new Set(categories.map((c) => c.id));
  const map = new Map<number | null, Category[]>();
  for (const c of categories) {
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    const list = map.get(parent) ?? [];
    list.push(c);
    map.set(parent, list);
  }
  for (const list of map.values()) list.sort(byOrder);
  return map;
}

/** The rows a tree shows, depth first, skipping the children of collapsed categories. */
export function visibleRows(categories: readonly Category[], collapsed: ReadonlySet<number>): TreeRow[] {
  const children = childrenMap(categories);
  const rows: TreeRow[] = [];
  const walk = (parent: number | null, depth: number, seen: Set<number>) => {
    for (const category of children.get(parent) ?? []) {
      if (seen.has(category.id)) continue;
      seen.add(category.id);
      const hasChildren = (children.get(category.id)?.length ?? 0) > 0;
      const expanded = hasChildren && !collapsed.has(category.id);
      rows.push({ category, depth, hasChildren, expanded });
      if (expanded) walk(category.id, depth + 1, seen);
    }
  };
  walk(null, 0, new Set());
  return rows;
}

/** Every row of the tree (nothing collapsed), for pickers of a category. */
export function allRows(categories: readonly Category[]): TreeRow[] {
  return visibleRows(categories, new Set());
}

/** The category and everything below it. */
export function subtreeIds(categories: readonly Category[], rootId: number): Set<number> {
  const children = childrenMap(categories);
  const out = new Set<number>([rootId]);
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    for (const c of children.get(id) ?? []) {
      if (!out.has(c.id)) {
        out.add(c.id);
        stack.push(c.id);
      }
    }
  }
  return out;
}

/** The category's siblings (itself included) in their order. */
export function siblingsOf(categories: readonly Category[], category: Category): Category[] {
  const children = childrenMap(categories);
  const parent = category.parentId !== null && categories.some((c) => c.id === category.parentId) ? category.parentId : null;
  return children.get(parent) ?? [];
}

/** "Hardware › Laptops" — the names from the root down to the category. */
export function categoryPath(categories: readonly Category[], id: number | null, separator = " › "): string {
  if (id === null) return "";
  const byId = new Map(categories.map((c) => [c.id, c]));
  const names: string[] = [];
  const seen = new Set<number>();
  let current = byId.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return names.join(separator);
}
