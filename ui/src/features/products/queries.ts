import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { Category, CategoryInput, Product, ProductInput, ProductQuery, UserPrefs } from "../../lib/types";

export const catalogueKeys = {
  categories: ["categories"] as const,
  productLists: ["products", "list"] as const,
  products: (query: ProductQuery) => ["products", "list", query] as const,
  productDetails: ["products", "detail"] as const,
  product: (id: number) => ["products", "detail", id] as const,
  prefs: ["userPrefs"] as const,
};

export function useCategories() {
  return useQuery({
    queryKey: catalogueKeys.categories,
    queryFn: () => unwrap(commands.listCategories()),
    staleTime: 60_000,
  });
}

export function useProducts(query: ProductQuery, enabled = true) {
  return useQuery({
    queryKey: catalogueKeys.products(query),
    queryFn: () => unwrap(commands.listProducts(query)),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** One product by id (null: none asked for). */
export function useProduct(id: number | null) {
  return useQuery({
    queryKey: catalogueKeys.product(id ?? 0),
    queryFn: () => unwrap(commands.getProduct(id ?? 0)),
    enabled: id !== null,
  });
}

/** Field 16 and other per-user preferences. */
export function useUserPrefs() {
  return useQuery({
    queryKey: catalogueKeys.prefs,
    queryFn: () => unwrap(commands.getUserPrefs()),
    staleTime: Infinity,
    retry: false,
  });
}

/**
 * Saves field 16, showing the new value at once. It is kept as "keep the category
 * open" (`on`), the inverse of the checkbox «Clear the product group after choosing a
 * product», so a preference saved before the checkbox keeps its meaning.
 */
export function useSetKeepCategoryOpen() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => unwrap(commands.setKeepCategoryOpen(on)),
    onMutate: (on) => {
      const previous = queryClient.getQueryData<UserPrefs>(catalogueKeys.prefs);
      queryClient.setQueryData<UserPrefs>(catalogueKeys.prefs, { ...(previous ?? { keepCategoryOpen: false }), keepCategoryOpen: on });
      return { previous };
    },
    onError: (_error, _on, context) => {
      if (context?.previous) queryClient.setQueryData(catalogueKeys.prefs, context.previous);
    },
    onSuccess: (prefs) => queryClient.setQueryData(catalogueKeys.prefs, prefs),
  });
}

function useCatalogueInvalidation() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: catalogueKeys.categories }),
      queryClient.invalidateQueries({ queryKey: catalogueKeys.productLists }),
      queryClient.invalidateQueries({ queryKey: catalogueKeys.productDetails }),
    ]);
}

export function useSaveCategory() {
  const invalidate = useCatalogueInvalidation();
  return useMutation({
    mutationFn: ({ category, input }: { category: Category | null; input: CategoryInput }) =>
      unwrap(category ? commands.updateCategory(category.id, category.version, input) : commands.createCategory(input)),
    onSuccess: () => invalidate(),
  });
}

export function useReorderCategories() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) => unwrap(commands.reorderCategories(ids)),
    onSuccess: (categories) => {
      queryClient.setQueryData(catalogueKeys.categories, categories);
      // A refetch already under way (after another write) must not bring back the old order.
      return queryClient.invalidateQueries({ queryKey: catalogueKeys.categories });
    },
  });
}

export function useDeleteCategory() {
  const invalidate = useCatalogueInvalidation();
  return useMutation({
    mutationFn: (category: Category) => unwrap(commands.deleteCategory(category.id)),
    onSuccess: () => invalidate(),
  });
}

export function useSaveProduct() {
  const invalidate = useCatalogueInvalidation();
  return useMutation({
    mutationFn: ({ product, input }: { product: Product | null; input: ProductInput }) =>
      unwrap(product ? commands.updateProduct(product.id, product.version, input) : commands.createProduct(input)),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteProduct() {
  const invalidate = useCatalogueInvalidation();
  return useMutation({
    mutationFn: (product: Product) => unwrap(commands.deleteProduct(product.id)),
    onSuccess: () => invalidate(),
  });
}
