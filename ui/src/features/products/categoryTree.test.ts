import { describe, expect, it } from "vitest";
import { categoryPath, subtreeIds, visibleRows } from "./categoryTree";
import type { Category } from "../../lib/types";

describe("category tree", () => {
  const cat = (id: number, parentId: number | null, sortOrder: number, name: string): Category => ({ id, parentId, name, sortOrder, version: 1, productCount: 0 });
  const cats = [cat(1, null, 2, "Services"), cat(2, null, 1, "Hardware"), cat(3, 2, 1, "Laptops"), cat(4, 3, 1, "Gaming"), cat(5, 2, 2, "Printers")];

  it("lists depth first in order and hides collapsed branches", () => {
    expect(visibleRows(cats, new Set()).map((r) => `${r.depth}:${r.category.name}`)).toEqual(["0:Hardware", "1:Laptops", "2:Gaming", "1:Printers", "0:Services"]);
    expect(visibleRows(cats, new Set([3])).map((r) => r.category.name)).toEqual(["Hardware", "Laptops", "Printers", "Services"]);
  });

  it("knows a category's subtree and path", () => {
    expect([...subtreeIds(cats, 2)].sort()).toEqual([2, 3, 4, 5]);
    expect(categoryPath(cats, 4)).toBe("Hardware › Laptops › Gaming");
  });
});
