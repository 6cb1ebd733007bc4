import type { ReactNode, RefObject } from "react";
import type { SortKey } from "../../lib/types";
import type { Lookups } from "./lookups";
import type { ListFilters } from "./urlFilters";

/** What the pipeline page gives its list and board views. */
export type ViewProps = {
  filters: ListFilters;
  /** The list's sort (the board ignores it); it lives in the address with the filters. */
  sort: SortKey[];
  onSort: (next: SortKey[]) => void;
  lookups: Lookups;
  /** The filter bar, given the errors the view's query reported. */
  filterBar: (errors: unknown, end?: ReactNode) => ReactNode;
  searchRef: RefObject<HTMLInputElement | null>;
};
