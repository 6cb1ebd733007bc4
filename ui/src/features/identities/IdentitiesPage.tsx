import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { IdentityKind, IdentityQuery } from "../../lib/types";
import { navigate, paths, useRouteQuery } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Segmented } from "../../components/Field";
import { IconPlus, IconSearch, IconUsers } from "../../components/icons";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { formatNumber } from "../../lib/format";
import { useHotkeys } from "../../lib/hotkeys";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { isolate } from "./bidi";
import { IdentitiesTable } from "./IdentitiesTable";
import { IdentityFormDialog } from "./IdentityForm";
import { useIdentityList } from "./queries";
import "./identities.css";

export const PAGE_SIZE = 25;
const SEARCH_DEBOUNCE_MS = 300;

type KindFilter = "all" | IdentityKind;

export function IdentitiesPage() {
  const { t } = useTranslation("identities");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();

  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<KindFilter>("all");
  const [page, setPage] = useState(1);
  // #/identities?new=1 (the menu's "New customer") opens the form; the address then forgets it.
  const address = useRouteQuery();
  const askedNew = address.get("new") === "1";
  const forOpportunity = address.get("for") === "opportunity";
  const [formOpen, setFormOpen] = useState(askedNew);
  const [lastAskedNew, setLastAskedNew] = useState(askedNew);
  if (askedNew !== lastAskedNew) {
    setLastAskedNew(askedNew);
    if (askedNew) setFormOpen(true);
  }
  useEffect(() => {
    if (askedNew) navigate(paths.identities(), { replace: true });
  }, [askedNew]);
  const searchRef = useRef<HTMLInputElement>(null);

  const debouncedSearch = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const query: IdentityQuery = {
    search: debouncedSearch === "" ? null : debouncedSearch,
    kind: kind === "all" ? null : kind,
    role: null,
    page,
    pageSize: PAGE_SIZE,
  };
  const list = useIdentityList(query);

  useHotkeys([
    { key: "n", ctrl: true, handler: () => setFormOpen(true) },
    { key: "f", ctrl: true, handler: () => searchRef.current?.focus() },
    { key: "/", handler: () => searchRef.current?.focus() },
  ]);

  const filtered = query.search !== null || query.kind !== null;
  const data = list.data;
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const currentPage = data?.page ?? page;
  const from = total === 0 ? 0 : (currentPage - 1) * PAGE_SIZE + 1;
  const to = Math.min(total, (currentPage - 1) * PAGE_SIZE + (data?.items.length ?? 0));
  const n = (v: number) => formatNumber(v, language);

  const clearFilters = () => {
    setSearch("");
    setKind("all");
    setPage(1);
  };

  let body;
  if (list.isPending) {
    body = <Loading />;
  } else if (list.isError && !data) {
    body = <ErrorState error={list.error} title={t("loadError")} onRetry={() => void list.refetch()} />;
  } else if (data && data.items.length === 0 && total === 0) {
    body = filtered ? (
      <EmptyState
        icon={<IconSearch size={28} />}
        title={t("empty.filteredTitle")}
        body={t("empty.filteredBody")}
        action={<Button onClick={clearFilters}>{t("empty.clearFilters")}</Button>}
      />
    ) : (
      <EmptyState
        icon={<IconUsers size={28} />}
        title={t("empty.title")}
        body={t("empty.body")}
        action={
          <Button variant="primary" icon={<IconPlus />} onClick={() => setFormOpen(true)}>
            {t("new")}
          </Button>
        }
      />
    );
  } else if (data) {
    body = (
      <>
        {list.isError ? <ErrorState error={list.error} title={t("loadError")} onRetry={() => void list.refetch()} /> : null}
        <IdentitiesTable items={data.items} busy={list.isFetching && list.isPlaceholderData} />
        <nav className="pager" aria-label={t("paging.label")}>
          <span className="pager__range">{t("paging.range", { from: n(from), to: n(to), total: n(total) })}</span>
          <span className="pager__spacer" />
          <span className="pager__page">{t("paging.page", { page: n(currentPage), pages: n(pages) })}</span>
          <Button size="sm" onClick={() => setPage((p) => Math.max(1, p - 1))} disabled={currentPage <= 1}>
            {tc("actions.previous")}
          </Button>
          <Button size="sm" onClick={() => setPage((p) => Math.min(pages, p + 1))} disabled={currentPage >= pages}>
            {tc("actions.next")}
          </Button>
        </nav>
      </>
    );
  }

  return (
    <div className="page identities-page" data-testid="identities-page">
      <header className="page__header">
        <div>
          <h1 className="page__title">
            {t("title")}
            {data ? <span className="page__count">{t("paging.total", { count: total, total: n(total) })}</span> : null}
          </h1>
          <p className="page__subtitle">{t("subtitle")}</p>
        </div>
        <Button variant="primary" icon={<IconPlus />} shortcut="Ctrl+N" aria-keyshortcuts="Control+N" onClick={() => setFormOpen(true)} data-testid="identities-new">
          {t("new")}
        </Button>
      </header>

      {forOpportunity ? (
        <p className="notice" role="status" data-testid="identities-for-opportunity">
          {t("forOpportunity")}
        </p>
      ) : null}

      <div className="toolbar">
        <div className="search">
          <span className="search__icon" aria-hidden="true">
            <IconSearch />
          </span>
          <label htmlFor="identities-search" className="visually-hidden">
            {t("search.label")}
          </label>
          <input
            id="identities-search"
            ref={searchRef}
            type="search"
            className="input search__input"
            placeholder={t("search.placeholder")}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            onKeyDown={(e) => {
              if (e.key === "Escape" && search !== "") {
                e.preventDefault();
                setSearch("");
                setPage(1);
              }
            }}
            aria-keyshortcuts="Control+F /"
            data-testid="identities-search"
            autoComplete="off"
          />
          <kbd className="search__kbd" aria-hidden="true">
            /
          </kbd>
        </div>
        <Segmented
          legend={t("filter.kindLabel")}
          hideLegend
          name="identity-kind-filter"
          value={kind}
          options={[
            { value: "all", label: t("filter.all") },
            { value: "person", label: t("filter.person") },
            { value: "organization", label: t("filter.organization") },
          ]}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          testId="identities-kind-filter"
        />
      </div>

      <div className="page__body">{body}</div>

      <IdentityFormDialog
        open={formOpen}
        onClose={() => setFormOpen(false)}
        onSaved={(identity) => {
          setFormOpen(false);
          toast.show(t("form.saved", { name: isolate(identity.displayName) }), "success");
          // A new identity opens, ready for its phones, opportunities and records.
          navigate(paths.identity(identity.id));
        }}
      />
    </div>
  );
}
