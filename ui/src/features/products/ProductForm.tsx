import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Category, Product, ProductKind } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Checkbox, Field, Segmented } from "../../components/Field";
import { MoneyInput } from "../../components/MoneyInput";
import { appErrorOf, describeError, fieldErrorsOf } from "../../lib/api";
import { localTitle } from "../../lib/titles";
import { useAllSystemItems } from "../../shared/lookups";
import { useFieldErrors } from "../../shared/useFieldErrors";
import { allRows } from "./categoryTree";
import { useSaveProduct } from "./queries";

export type ProductFormProps = {
  product: Product | null;
  categories: readonly Category[];
  /** The category a new product starts in (the one selected in the tree). */
  defaultCategoryId: number | null;
  onDone: (saved: Product) => void;
  onCancel: () => void;
};

type State = {
  code: string;
  name: string;
  categoryId: string;
  kind: ProductKind;
  unitId: string;
  salePrice: string;
  taxable: boolean;
  saleable: boolean;
  active: boolean;
};

const FIELDS = ["code", "name", "categoryId", "kind", "unitId", "salePrice"];

/** Add or edit a product (createProduct / updateProduct). */
export function ProductForm({ product, categories, defaultCategoryId, onDone, onCancel }: ProductFormProps) {
  const { t } = useTranslation("products");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const units = useAllSystemItems("product_unit");
  const save = useSaveProduct();
  const [state, setState] = useState<State>(() => ({
    code: product?.code ?? "",
    name: product?.name ?? "",
    categoryId: String(product?.categoryId ?? defaultCategoryId ?? ""),
    kind: product?.kind ?? "product",
    unitId: product?.unitId != null ? String(product.unitId) : "",
    salePrice: product?.salePrice ?? "",
    taxable: product?.taxable ?? true,
    saleable: product?.saleable ?? true,
    active: product?.active ?? true,
  }));
  const errors = useFieldErrors((field) => (FIELDS.includes(field) ? field : null));
  const [formError, setFormError] = useState<string | null>(null);
  const set = <K extends keyof State>(key: K, value: State[K]) => {
    setState((s) => ({ ...s, [key]: value }));
    errors.clear(key);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setFormError(null);
    if (state.categoryId === "") {
      errors.show([{ field: "categoryId", code: "required", min: null, max: null }]);
      return;
    }
    save.mutate(
      {
        product,
        input: {
          code: state.code.trim(),
          name: state.name.trim(),
          categoryId: Number(state.categoryId),
          kind: state.kind,
          unitId: state.unitId === "" ? null : Number(state.unitId),
          salePrice: state.salePrice.trim() === "" ? "0" : state.salePrice.trim(),
          taxable: state.taxable,
          saleable: state.saleable,
          active: state.active,
        },
      },
      {
        onSuccess: onDone,
        onError: (error) => {
          const fields = fieldErrorsOf(error);
          if (fields.length > 0) {
            const { unmatched } = errors.show(fields);
            setFormError(unmatched.length > 0 ? unmatched.map((f) => errors.describe(f)).join(" ") : tc("errors.validation"));
          } else setFormError(appErrorOf(error)?.kind === "conflict" ? t("catalogue.conflict") : describeError(error, tc));
        },
      },
    );
  };

  const unitOptions = (units.data ?? []).filter((u) => u.active || String(u.id) === state.unitId).sort((a, b) => a.sortOrder - b.sortOrder);

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="product-form">
      <div className="form__scroll">
        {formError ? (
          <div className="form-alert" role="alert">
            <p>{formError}</p>
          </div>
        ) : null}
        <div className="form__grid">
          <Field label={t("product.code")} required error={errors.errorText("code")} className="span-2">
            {(p) => <input {...p} className="input" dir="auto" autoComplete="off" aria-required data-autofocus value={state.code} onChange={(e) => set("code", e.target.value)} data-testid="product-code" />}
          </Field>
          <Field label={t("product.name")} required error={errors.errorText("name")} className="span-2">
            {(p) => <input {...p} className="input" autoComplete="off" aria-required value={state.name} onChange={(e) => set("name", e.target.value)} data-testid="product-name" />}
          </Field>
          <Field label={t("product.category")} required error={errors.errorText("categoryId")} className="span-2">
            {(p) => (
              <select {...p} className="input" aria-required value={state.categoryId} onChange={(e) => set("categoryId", e.target.value)} data-testid="product-category">
                <option value="">{t("product.chooseCategory")}</option>
                {allRows(categories).map((r) => (
                  <option key={r.category.id} value={r.category.id}>
                    {`${"\u2003".repeat(r.depth)}${r.category.name}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("product.unit")} error={errors.errorText("unitId")} className="span-2">
            {(p) => (
              <select {...p} className="input" value={state.unitId} onChange={(e) => set("unitId", e.target.value)} data-testid="product-unit">
                <option value="">{t("product.noUnit")}</option>
                {unitOptions.map((u) => (
                  <option key={u.id} value={u.id}>
                    {localTitle(u, language)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="span-2">
            <Segmented
              legend={t("product.kind")}
              name="product-kind"
              value={state.kind}
              options={[
                { value: "product", label: t("kind.product") },
                { value: "service", label: t("kind.service") },
              ]}
              onChange={(v) => set("kind", v)}
              testId="product-kind"
            />
          </div>
          <Field label={t("product.price")} error={errors.errorText("salePrice")} className="span-2">
            {(p) => <MoneyInput {...p} value={state.salePrice} onChange={(v) => set("salePrice", v)} data-testid="product-price" />}
          </Field>
          <div className="span-4 checks__row catalogue__flags">
            <Checkbox label={t("product.taxable")} checked={state.taxable} onChange={(v) => set("taxable", v)} />
            <Checkbox label={t("product.saleable")} checked={state.saleable} onChange={(v) => set("saleable", v)} />
            <Checkbox label={t("product.active")} checked={state.active} onChange={(v) => set("active", v)} />
          </div>
        </div>
      </div>
      <div className="form__footer">
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="product-save">
          {tc("actions.save")}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
