import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { DateInput } from "../../components/DateInput";
import { Field } from "../../components/Field";
import { IconSearch } from "../../components/icons";
import { formatDate, formatDecimal } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { CustomFieldDef, CustomFilter, StageKind } from "../../lib/types";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { IdentityPicker } from "../identities/IdentityPicker";
import { catalogueKeys, useProducts } from "../products/queries";
import { useIdentityName, useProductName, type Lookups, type NameById } from "./lookups";
import { MultiSelect } from "./Popover";
import { countActive, EMPTY_FILTERS, type DateKey, type ListFilters, type MultiKey } from "./urlFilters";

const SEARCH_DEBOUNCE_MS = 300;

export type FilterErrors = Partial<Record<string, string>>;

export type FilterBarProps = {
  filters: ListFilters;
  onChange: (next: ListFilters) => void;
  lookups: Lookups;
  /** Messages of the backend's validation, by filter field (amountMin, closeTo, custom.0 …). */
  errors: FilterErrors;
  searchRef?: RefObject<HTMLInputElement | null>;
  /** Extra controls at the end of the first row (view switch, column chooser). */
  end?: ReactNode;
};

const ids = (values: string[]) => values.map(Number).filter((n) => Number.isInteger(n) && n > 0);

/** The search box, the most used filters, the full panel and the chips of what is set. */
export function FilterBar({ filters, onChange, lookups, errors, searchRef, end }: FilterBarProps) {
  const { t } = useTranslation("pipeline");
  const { language } = useAppSettings();
  const set = (patch: Partial<ListFilters>) => onChange({ ...filters, ...patch });

  // The search box: typed text goes to the address once it rests for a moment.
  const [text, setText] = useState(filters.text);
  const [syncedText, setSyncedText] = useState(filters.text);
  if (syncedText !== filters.text) {
    setSyncedText(filters.text);
    setText(filters.text);
  }
  const debounced = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  const latest = useRef({ filters, onChange });
  useEffect(() => {
    latest.current = { filters, onChange };
  });
  useEffect(() => {
    const { filters: current, onChange: change } = latest.current;
    if (debounced.trim() !== current.text.trim()) change({ ...current, text: debounced.trim() });
  }, [debounced]);

  const [panelOpen, setPanelOpen] = useState(false);
  const activeCount = countActive(filters);
  const panelErrors = Object.keys(errors).some((k) => k !== "text");
  const showPanel = panelOpen || panelErrors;

  const stageOptions = lookups.stages.filter((s) => s.active || filters.stageIds.includes(s.id)).map((s) => ({ value: String(s.id), label: localTitle(s, language) }));
  const userOptions = [
    { value: "none", label: t("filters.unassigned") },
    ...lookups.users.filter((u) => u.active || filters.userIds.includes(u.id)).map((u) => ({ value: String(u.id), label: u.displayName })),
  ];
  const itemOptions = (items: Lookups["types"], chosen: number[]) => items.filter((i) => i.active || chosen.includes(i.id)).map((i) => ({ value: String(i.id), label: localTitle(i, language) }));
  const campaignOptions = lookups.campaigns.filter((c) => c.active || filters.campaignIds.includes(c.id)).map((c) => ({ value: String(c.id), label: c.name }));
  const reasonOptions = [
    ...itemOptions(lookups.winReasons, filters.reasonIds).map((o) => ({ ...o, label: t("filters.winReason", { name: o.label }) })),
    ...itemOptions(lookups.lossReasons, filters.reasonIds).map((o) => ({ ...o, label: t("filters.lossReason", { name: o.label }) })),
  ];

  const multi = (key: MultiKey, label: string, options: { value: string; label: string }[], testId: string) => (
    <MultiSelect
      label={label}
      options={options}
      selected={key === "userIds" ? [...(filters.unassigned ? ["none"] : []), ...filters.userIds.map(String)] : filters[key].map(String)}
      onChange={(values) => (key === "userIds" ? set({ userIds: ids(values), unassigned: values.includes("none") }) : set({ [key]: ids(values) }))}
      anyText={t("filters.any")}
      countText={(count) => t("filters.chosen", { count, n: formatDecimal(String(count), language) })}
      testId={testId}
    />
  );

  return (
    <section className="pl-filters" aria-label={t("filters.label")}>
      <div className="toolbar pl-filters__row">
        <div className="search">
          <span className="search__icon" aria-hidden="true">
            <IconSearch />
          </span>
          <label htmlFor="pipeline-search" className="visually-hidden">
            {t("filters.search")}
          </label>
          <input
            id="pipeline-search"
            ref={searchRef}
            type="search"
            className="input search__input"
            placeholder={t("filters.searchPlaceholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") set({ text: text.trim() });
              if (e.key === "Escape" && text !== "") {
                e.preventDefault();
                setText("");
              }
            }}
            aria-keyshortcuts="/"
            aria-invalid={errors.text ? true : undefined}
            data-testid="pipeline-search"
            autoComplete="off"
          />
          <kbd className="search__kbd" aria-hidden="true">
            /
          </kbd>
        </div>
        <StatusSwitch value={filters.status} onChange={(status) => set({ status })} />
        {multi("stageIds", t("filters.stage"), stageOptions, "filter-stage")}
        {multi("userIds", t("filters.user"), userOptions, "filter-user")}
        <Button size="sm" variant={showPanel ? "primary" : "secondary"} aria-expanded={showPanel} aria-controls="pipeline-filter-panel" onClick={() => setPanelOpen((o) => !o)} data-testid="filters-toggle">
          {activeCount > 0 ? t("filters.moreCount", { n: formatDecimal(String(activeCount), language) }) : t("filters.more")}
        </Button>
        <span className="toolbar__spacer" />
        {end}
      </div>
      {errors.text ? <p className="field__error">{errors.text}</p> : null}

      {showPanel ? (
        <div id="pipeline-filter-panel" className="pl-filters__panel" data-testid="filter-panel">
          <div className="pl-filters__group">
            {multi("typeIds", t("filters.type"), itemOptions(lookups.types, filters.typeIds), "filter-type")}
            {multi("sourceIds", t("filters.source"), itemOptions(lookups.sources, filters.sourceIds), "filter-source")}
            {multi("campaignIds", t("filters.campaign"), campaignOptions, "filter-campaign")}
            {multi("reasonIds", t("filters.reason"), reasonOptions, "filter-reason")}
            <label className="check pl-filters__check">
              <input type="checkbox" checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked })} />
              <span>{t("filters.overdue")}</span>
            </label>
            <label className="check pl-filters__check">
              <input type="checkbox" checked={filters.noNextStep} onChange={(e) => set({ noNextStep: e.target.checked })} data-testid="filter-no-next-step" />
              <span>{t("filters.noNextStep")}</span>
            </label>
          </div>
          <div className="pl-filters__grid">
            <AmountField label={t("filters.amountMin")} value={filters.amountMin} onCommit={(amountMin) => set({ amountMin })} error={errors.amountMin} />
            <AmountField label={t("filters.amountMax")} value={filters.amountMax} onCommit={(amountMax) => set({ amountMax })} error={errors.amountMax} />
            <ProductFilter productId={filters.productId} onChange={(productId) => set({ productId })} />
            <Field label={t("filters.category")} className="pl-filters__field">
              {(p) => (
                <select {...p} className="input" value={filters.categoryId ?? ""} onChange={(e) => set({ categoryId: e.target.value === "" ? null : Number(e.target.value) })}>
                  <option value="">{t("filters.any")}</option>
                  {categoryOptions(lookups.categories).map((c) => (
                    <option key={c.id} value={c.id}>
                      {"\u00a0\u00a0".repeat(c.depth)}
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <CompetitorFilter competitorId={filters.competitorId} onChange={(competitorId) => set({ competitorId })} />
          </div>
          <div className="pl-filters__grid">
            {(["close", "created", "won", "lost"] as const).map((range) => (
              <DateRange key={range} range={range} filters={filters} onChange={set} errors={errors} />
            ))}
          </div>
          {lookups.customFields.length > 0 ? (
            <div className="pl-filters__grid">
              {lookups.customFields
                .filter((d) => d.fieldType !== "identity")
                .map((def) => (
                  <CustomFieldFilter
                    key={def.id}
                    def={def}
                    value={filters.custom.find((c) => c.fieldId === def.id) ?? null}
                    error={errors[`custom.${filters.custom.findIndex((c) => c.fieldId === def.id)}`]}
                    lookups={lookups}
                    onChange={(next) => set({ custom: [...filters.custom.filter((c) => c.fieldId !== def.id), ...(next ? [next] : [])] })}
                  />
                ))}
            </div>
          ) : null}
        </div>
      ) : null}

      <Chips filters={filters} onChange={onChange} lookups={lookups} />
    </section>
  );
}

function StatusSwitch({ value, onChange }: { value: StageKind | null; onChange: (v: StageKind | null) => void }) {
  const { t } = useTranslation("pipeline");
  const options: { value: StageKind | null; label: string }[] = [
    { value: null, label: t("status.all") },
    { value: "open", label: t("status.open") },
    { value: "won", label: t("status.won") },
    { value: "lost", label: t("status.lost") },
  ];
  return (
    <fieldset className="segmented" data-testid="filter-status">
      <legend className="visually-hidden">{t("filters.status")}</legend>
      <div className="segmented__options">
        {options.map((o) => (
          <label key={o.value ?? "all"} className={o.value === value ? "segmented__option is-active" : "segmented__option"}>
            <input type="radio" name="pipeline-status" checked={o.value === value} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A text box that hands its value over on Enter or when left (not on every key). */
function CommitInput({ value, onCommit, ...rest }: { value: string | null; onCommit: (v: string | null) => void; id: string; "aria-describedby"?: string; "aria-invalid"?: true; inputMode?: "decimal" | "text"; dir?: string }) {
  const [text, setText] = useState(value ?? "");
  const [synced, setSynced] = useState(value);
  if (synced !== value) {
    setSynced(value);
    setText(value ?? "");
  }
  const commit = () => {
    const next = text.trim() === "" ? null : text.trim();
    if (next !== value) onCommit(next);
  };
  return (
    <input
      {...rest}
      className="input"
      value={text}
      autoComplete="off"
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
      }}
    />
  );
}

function AmountField({ label, value, onCommit, error }: { label: string; value: string | null; onCommit: (v: string | null) => void; error?: string }) {
  return (
    <Field label={label} error={error ?? null} className="pl-filters__field">
      {(p) => <CommitInput {...p} value={value} onCommit={onCommit} inputMode="decimal" dir="ltr" />}
    </Field>
  );
}

const DATE_LABEL: Record<"close" | "created" | "won" | "lost", string> = { close: "closeDate", created: "created", won: "wonOn", lost: "lostOn" };

function DateRange({ range, filters, onChange, errors }: { range: "close" | "created" | "won" | "lost"; filters: ListFilters; onChange: (patch: Partial<ListFilters>) => void; errors: FilterErrors }) {
  const { t } = useTranslation("pipeline");
  const fromKey = `${range}From` as DateKey;
  const toKey = `${range}To` as DateKey;
  const fromRef = useRef<HTMLInputElement>(null);
  const toRef = useRef<HTMLInputElement>(null);
  // A date counts once it is whole; an emptied box opens that end of the range.
  const commit = (key: DateKey, iso: string | null, input: HTMLInputElement | null) => {
    if (iso !== null || (input?.value.trim() ?? "") === "") onChange({ [key]: iso });
  };
  const name = t(`columns.${DATE_LABEL[range]}` as "columns.closeDate");
  return (
    <>
      <Field label={t("filters.from", { name })} error={errors[fromKey] ?? null} className="pl-filters__field">
        {(p) => <DateInput {...p} ref={fromRef} value={filters[fromKey]} onChange={(iso) => commit(fromKey, iso, fromRef.current)} />}
      </Field>
      <Field label={t("filters.to", { name })} error={errors[toKey] ?? null} className="pl-filters__field">
        {(p) => <DateInput {...p} ref={toRef} value={filters[toKey]} onChange={(iso) => commit(toKey, iso, toRef.current)} />}
      </Field>
    </>
  );
}

/** Categories in tree order with their depth. */
function categoryOptions(categories: Lookups["categories"]): { id: number; name: string; depth: number }[] {
  const out: { id: number; name: string; depth: number }[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const c of categories.filter((x) => x.parentId === parent).sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name))) {
      out.push({ id: c.id, name: c.name, depth });
      if (depth < 8) walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * What a product or competitor filter shows: the record's name, looked up by the
 * id the address holds; "…" while it loads; and what is left of it when the id
 * names nothing (a deleted record, an edited address).
 */
function useChosenNames(filters: Pick<ListFilters, "productId" | "competitorId">) {
  const { t } = useTranslation("pipeline");
  const { language } = useAppSettings();
  const product = useProductName(filters.productId);
  const competitor = useIdentityName(filters.competitorId);
  const text = (id: number | null, found: NameById, missingKey: "filters.productMissing" | "filters.competitorMissing") =>
    id === null ? "" : (found.name ?? (found.missing ? t(missingKey, { id: formatDecimal(String(id), language) }) : "…"));
  return {
    product: text(filters.productId, product, "filters.productMissing"),
    competitor: text(filters.competitorId, competitor, "filters.competitorMissing"),
  };
}

function ProductFilter({ productId, onChange }: { productId: number | null; onChange: (id: number | null) => void }) {
  const { t } = useTranslation("pipeline");
  const queryClient = useQueryClient();
  const chosen = useChosenNames({ productId, competitorId: null });
  const [search, setSearch] = useState("");
  const debounced = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const products = useProducts({ search: debounced === "" ? null : debounced, categoryId: null, forSale: false, page: 1, pageSize: 8 }, debounced !== "");
  const label = t("filters.product");
  if (productId !== null) {
    return (
      <div className="field pl-filters__field">
        <span className="field__label">{label}</span>
        <span className="pl-chip pl-chip--field">
          {chosen.product}
          <button type="button" className="pl-chip__remove" aria-label={t("filters.removeNamed", { name: label })} onClick={() => onChange(null)}>
            ×
          </button>
        </span>
      </div>
    );
  }
  return (
    <Field label={label} className="pl-filters__field pl-product">
      {(p) => (
        <div className="picker">
          <input {...p} className="input" type="search" value={search} placeholder={t("filters.productPlaceholder")} autoComplete="off" onChange={(e) => setSearch(e.target.value)} />
          {debounced !== "" && products.data ? (
            <ul className="picker__list" aria-label={label}>
              {products.data.items.length === 0 ? <li className="picker__empty">{t("filters.noProducts")}</li> : null}
              {products.data.items.map((product) => (
                <li key={product.id}>
                  <button
                    type="button"
                    className="picker__option"
                    onClick={() => {
                      // The chip needs no second look-up for the product just picked.
                      queryClient.setQueryData(catalogueKeys.product(product.id), product);
                      setSearch("");
                      onChange(product.id);
                    }}
                  >
                    {product.name}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </Field>
  );
}

function CompetitorFilter({ competitorId, onChange }: { competitorId: number | null; onChange: (id: number | null) => void }) {
  const { t } = useTranslation("pipeline");
  const chosen = useChosenNames({ productId: null, competitorId });
  return (
    <Field label={t("filters.competitor")} className="pl-filters__field">
      {(p) => (
        <IdentityPicker
          {...p}
          role="competitor"
          selectedName={chosen.competitor}
          onPick={(identity) => onChange(identity?.id ?? null)}
        />
      )}
    </Field>
  );
}

function CustomFieldFilter({ def, value, onChange, error, lookups }: { def: CustomFieldDef; value: CustomFilter | null; onChange: (v: CustomFilter | null) => void; error?: string; lookups: Lookups }) {
  const { t } = useTranslation("pipeline");
  const { language } = useAppSettings();
  const name = localTitle(def, language);
  const current = { fieldId: def.id, value: value?.value ?? null, min: value?.min ?? null, max: value?.max ?? null };
  const put = (patch: Partial<CustomFilter>) => {
    const next = { ...current, ...patch };
    onChange(next.value || next.min || next.max ? next : null);
  };
  const select = (options: { value: string; label: string }[]) => (
    <Field label={name} error={error ?? null} className="pl-filters__field">
      {(p) => (
        <select {...p} className="input" value={current.value ?? ""} onChange={(e) => put({ value: e.target.value || null })}>
          <option value="">{t("filters.any")}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  switch (def.fieldType) {
    case "choice":
      return select(def.options.map((o) => ({ value: o.key, label: language === "fa" ? o.fa || o.en : o.en || o.fa })));
    case "yes_no":
      return select([
        { value: "true", label: t("filters.yes") },
        { value: "false", label: t("filters.no") },
      ]);
    case "user":
      return select(lookups.users.map((u) => ({ value: String(u.id), label: u.displayName })));
    case "number":
    case "money":
      return (
        <>
          <Field label={t("filters.from", { name })} error={error ?? null} className="pl-filters__field">
            {(p) => <CommitInput {...p} value={current.min} onCommit={(min) => put({ min })} inputMode="decimal" dir="ltr" />}
          </Field>
          <Field label={t("filters.to", { name })} className="pl-filters__field">
            {(p) => <CommitInput {...p} value={current.max} onCommit={(max) => put({ max })} inputMode="decimal" dir="ltr" />}
          </Field>
        </>
      );
    case "date":
      return (
        <>
          <Field label={t("filters.from", { name })} error={error ?? null} className="pl-filters__field">
            {(p) => <DateInput {...p} value={current.min} onChange={(iso) => iso !== null && put({ min: iso })} />}
          </Field>
          <Field label={t("filters.to", { name })} className="pl-filters__field">
            {(p) => <DateInput {...p} value={current.max} onChange={(iso) => iso !== null && put({ max: iso })} />}
          </Field>
        </>
      );
    default:
      return (
        <Field label={name} error={error ?? null} className="pl-filters__field">
          {(p) => <CommitInput {...p} value={current.value} onCommit={(v) => put({ value: v })} />}
        </Field>
      );
  }
}

type Chip = { key: string; label: string; remove: () => ListFilters };

/** One chip per chosen value, each removable, and "Clear all". */
function Chips({ filters, onChange, lookups }: { filters: ListFilters; onChange: (next: ListFilters) => void; lookups: Lookups }) {
  const { t } = useTranslation("pipeline");
  const { language, calendar } = useAppSettings();
  const chosen = useChosenNames(filters);
  const chips: Chip[] = [];
  const without = (patch: Partial<ListFilters>) => () => ({ ...filters, ...patch });
  const date = (iso: string) => formatDate(iso, calendar, language);
  if (filters.text.trim()) chips.push({ key: "q", label: t("chips.text", { text: filters.text.trim() }), remove: without({ text: "" }) });
  if (filters.status) chips.push({ key: "status", label: t(`status.${filters.status}`), remove: without({ status: null }) });
  const multi = (key: MultiKey, label: string, nameOf: (id: number) => string) => {
    for (const id of filters[key]) chips.push({ key: `${key}-${id}`, label: `${label}: ${nameOf(id)}`, remove: without({ [key]: filters[key].filter((x) => x !== id) }) });
  };
  multi("stageIds", t("filters.stage"), lookups.stageName);
  multi("userIds", t("filters.user"), lookups.userName);
  if (filters.unassigned) chips.push({ key: "unassigned", label: `${t("filters.user")}: ${t("filters.unassigned")}`, remove: without({ unassigned: false }) });
  multi("typeIds", t("filters.type"), lookups.itemName);
  multi("sourceIds", t("filters.source"), lookups.itemName);
  multi("campaignIds", t("filters.campaign"), lookups.campaignName);
  multi("reasonIds", t("filters.reason"), lookups.itemName);
  if (filters.productId !== null) chips.push({ key: "product", label: `${t("filters.product")}: ${chosen.product}`, remove: without({ productId: null }) });
  if (filters.categoryId !== null) chips.push({ key: "category", label: `${t("filters.category")}: ${lookups.categoryName(filters.categoryId)}`, remove: without({ categoryId: null }) });
  if (filters.competitorId !== null) chips.push({ key: "competitor", label: `${t("filters.competitor")}: ${chosen.competitor}`, remove: without({ competitorId: null }) });
  if (filters.amountMin) chips.push({ key: "amountMin", label: `${t("filters.amountMin")}: ${formatDecimal(filters.amountMin, language)}`, remove: without({ amountMin: null }) });
  if (filters.amountMax) chips.push({ key: "amountMax", label: `${t("filters.amountMax")}: ${formatDecimal(filters.amountMax, language)}`, remove: without({ amountMax: null }) });
  for (const range of ["close", "created", "won", "lost"] as const) {
    const name = t(`columns.${DATE_LABEL[range]}` as "columns.closeDate");
    const from = filters[`${range}From` as DateKey];
    const to = filters[`${range}To` as DateKey];
    if (from) chips.push({ key: `${range}From`, label: t("chips.from", { name, date: date(from) }), remove: without({ [`${range}From`]: null }) });
    if (to) chips.push({ key: `${range}To`, label: t("chips.to", { name, date: date(to) }), remove: without({ [`${range}To`]: null }) });
  }
  if (filters.overdue) chips.push({ key: "overdue", label: t("filters.overdue"), remove: without({ overdue: false }) });
  if (filters.noNextStep) chips.push({ key: "noNextStep", label: t("filters.noNextStep"), remove: without({ noNextStep: false }) });
  for (const c of filters.custom) {
    const def = lookups.customFields.find((d) => d.id === c.fieldId);
    const name = def ? localTitle(def, language) : "…";
    const parts = [c.value, c.min && `≥ ${c.min}`, c.max && `≤ ${c.max}`].filter(Boolean).join(" ");
    chips.push({ key: `cf-${c.fieldId}`, label: `${name}: ${parts}`, remove: without({ custom: filters.custom.filter((x) => x.fieldId !== c.fieldId) }) });
  }
  if (chips.length === 0) return null;
  return (
    <ul className="pl-chips" aria-label={t("chips.label")} data-testid="filter-chips">
      {chips.map((chip) => (
        <li key={chip.key} className="pl-chip">
          <span>{chip.label}</span>
          <button type="button" className="pl-chip__remove" aria-label={t("filters.removeNamed", { name: chip.label })} onClick={() => onChange(chip.remove())}>
            ×
          </button>
        </li>
      ))}
      <li>
        <Button size="sm" variant="ghost" onClick={() => onChange({ ...EMPTY_FILTERS, custom: [] })} data-testid="filters-clear">
          {t("filters.clearAll")}
        </Button>
      </li>
    </ul>
  );
}

