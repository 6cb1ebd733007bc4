import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Category } from "../../lib/types";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { IconPlus } from "../../components/icons";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, describeFieldError, fieldErrorsOf } from "../../lib/api";
import { allRows, categoryPath, childrenMap, siblingsOf, subtreeIds } from "./categoryTree";
import { CategoryTree } from "./CategoryTree";
import { useDeleteCategory, useReorderCategories, useSaveCategory } from "./queries";

type Mode = "add" | "rename" | "move";

export type CategoryPanelProps = {
  categories: readonly Category[];
  selectedId: number | null;
  onSelect: (id: number | null) => void;
};

/**
 * The catalogue's category tree with its management actions (add, rename, move, reorder,
 * delete). "Add category" starts at the top level and "Add subcategory" under the
 * selected category; either way the dialog's parent select says where it goes.
 */
export function CategoryPanel({ categories, selectedId, onSelect }: CategoryPanelProps) {
  const { t } = useTranslation("products");
  const { t: tc } = useTranslation("common");
  const toast = useToast();
  const uid = useId();
  const [dialog, setDialog] = useState<Mode | null>(null);
  // Where "add" starts: the top level, or under the selected category (add subcategory).
  const [addUnder, setAddUnder] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const reorder = useReorderCategories();
  const remove = useDeleteCategory();

  const selected = categories.find((c) => c.id === selectedId) ?? null;
  const siblings = selected ? siblingsOf(categories, selected) : [];
  const position = selected ? siblings.findIndex((c) => c.id === selected.id) : -1;
  const hasChildren = selected ? (childrenMap(categories).get(selected.id)?.length ?? 0) > 0 : false;
  const deletable = selected !== null && !hasChildren && selected.productCount === 0;

  const openAdd = (parentId: number | null) => {
    setAddUnder(parentId);
    setDialog("add");
  };

  const move = (by: -1 | 1) => {
    if (!selected) return;
    const ids = siblings.map((c) => c.id);
    const target = position + by;
    if (target < 0 || target >= ids.length) return;
    [ids[position], ids[target]] = [ids[target] as number, ids[position] as number];
    reorder.mutate(ids, { onError: (error) => toast.show(describeError(error, tc), "error") });
  };

  const doDelete = () => {
    if (!selected) return;
    remove.mutate(selected, {
      onSuccess: () => {
        setConfirmDelete(false);
        toast.show(t("categories.deleted", { name: selected.name }), "success");
        onSelect(null);
      },
      onError: (error) => {
        setConfirmDelete(false);
        const notAllowed = fieldErrorsOf(error).some((f) => f.field === "id" && f.code === "not_allowed");
        toast.show(notAllowed ? t("categories.notEmpty") : describeError(error, tc), "error");
      },
    });
  };

  return (
    <section className="card catalogue__categories" aria-labelledby={`${uid}-title`}>
      <h2 className="form__section-title" id={`${uid}-title`}>
        {t("categories.title")}
      </h2>
      <div className="catalogue__cat-actions" role="toolbar" aria-label={t("categories.actions")}>
        <div className="catalogue__cat-add">
          <Button size="sm" icon={<IconPlus />} onClick={() => openAdd(null)} data-testid="category-add">
            {t("categories.add")}
          </Button>
          <Button
            size="sm"
            icon={<IconPlus />}
            disabled={!selected}
            title={selected ? t("categories.addSubUnder", { name: selected.name }) : t("categories.addSubNeedsSelection")}
            onClick={() => openAdd(selectedId)}
            data-testid="category-add-sub"
          >
            {t("categories.addSub")}
          </Button>
        </div>
        <Button size="sm" disabled={!selected} onClick={() => setDialog("rename")} data-testid="category-rename">
          {t("categories.rename")}
        </Button>
        <Button size="sm" disabled={!selected} onClick={() => setDialog("move")} data-testid="category-move">
          {t("categories.move")}
        </Button>
        <Button size="sm" variant="ghost" disabled={!deletable} title={selected && !deletable ? t("categories.notEmpty") : undefined} onClick={() => setConfirmDelete(true)} data-testid="category-delete">
          {tc("actions.delete")}
        </Button>
        <span className="catalogue__cat-order">
          <Button size="sm" variant="ghost" disabled={!selected || position <= 0 || reorder.isPending} aria-label={t("categories.up")} title={t("categories.up")} onClick={() => move(-1)} data-testid="category-up">
            <span aria-hidden="true">↑</span>
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={!selected || position < 0 || position >= siblings.length - 1 || reorder.isPending}
            aria-label={t("categories.down")}
            title={t("categories.down")}
            onClick={() => move(1)}
            data-testid="category-down"
          >
            <span aria-hidden="true">↓</span>
          </Button>
        </span>
      </div>
      <CategoryTree categories={categories} selectedId={selectedId} onSelect={onSelect} labelledBy={`${uid}-title`} allLabel={t("categories.all")} showCounts testId="catalogue-categories" />

      <Dialog
        open={dialog !== null}
        onClose={() => setDialog(null)}
        title={dialog === "add" ? t("categories.addTitle") : dialog === "rename" ? t("categories.renameTitle") : t("categories.moveTitle")}
        variant="modal"
        testId="category-dialog"
      >
        {dialog ? (
          <CategoryForm
            mode={dialog}
            categories={categories}
            category={dialog === "add" ? null : selected}
            defaultParent={dialog === "add" ? addUnder : (selected?.parentId ?? null)}
            onDone={(saved) => {
              setDialog(null);
              toast.show(t("categories.saved", { name: saved.name }), "success");
              onSelect(saved.id);
              // A category moved under another parent goes last among its new siblings.
              if (dialog === "move" && selected && saved.parentId !== selected.parentId) {
                const others = categories.filter((c) => c.parentId === saved.parentId && c.id !== saved.id).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
                reorder.mutate([...others.map((c) => c.id), saved.id]);
              }
            }}
            onCancel={() => setDialog(null)}
          />
        ) : null}
      </Dialog>
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title={t("categories.deleteTitle")}
        variant="modal"
        testId="category-delete-confirm"
        footer={
          <div className="dialog__actions">
            <Button variant="danger" onClick={doDelete} busy={remove.isPending} data-testid="category-delete-yes">
              {tc("actions.delete")}
            </Button>
            <Button variant="ghost" onClick={() => setConfirmDelete(false)} data-autofocus>
              {tc("actions.cancel")}
            </Button>
          </div>
        }
      >
        <div className="form__scroll">
          <p>{t("categories.deleteBody", { name: selected?.name ?? "" })}</p>
        </div>
      </Dialog>
    </section>
  );
}

type CategoryFormProps = {
  mode: Mode;
  categories: readonly Category[];
  category: Category | null;
  defaultParent: number | null;
  onDone: (saved: Category) => void;
  onCancel: () => void;
};

function CategoryForm({ mode, categories, category, defaultParent, onDone, onCancel }: CategoryFormProps) {
  const { t } = useTranslation("products");
  const { t: tc } = useTranslation("common");
  const save = useSaveCategory();
  const [name, setName] = useState(category?.name ?? "");
  const [parent, setParent] = useState<string>(defaultParent === null ? "" : String(defaultParent));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  // Never under itself or its own descendants.
  const excluded = category ? subtreeIds(categories, category.id) : new Set<number>();
  const options = allRows(categories).filter((r) => !excluded.has(r.category.id));
  const placement = (
    <span data-testid="category-placement">
      {parent === "" ? t("categories.placementRoot") : t("categories.placementUnder", { path: categoryPath(categories, Number(parent)) })}
    </span>
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setFormError(null);
    save.mutate(
      { category, input: { name: name.trim(), parentId: parent === "" ? null : Number(parent) } },
      {
        onSuccess: onDone,
        onError: (error) => {
          const fields = fieldErrorsOf(error);
          if (fields.length > 0) setErrors(Object.fromEntries(fields.map((f) => [f.field, describeFieldError(f, tc)])));
          else setFormError(appErrorOf(error)?.kind === "conflict" ? t("categories.conflict") : describeError(error, tc));
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="category-form">
      <div className="form__scroll">
        {formError ? (
          <div className="form-alert" role="alert">
            <p>{formError}</p>
          </div>
        ) : null}
        {mode !== "move" ? (
          <Field label={t("categories.name")} required error={errors.name ?? null}>
            {(p) => <input {...p} className="input" autoComplete="off" aria-required data-autofocus value={name} onChange={(e) => setName(e.target.value)} data-testid="category-name" />}
          </Field>
        ) : null}
        {mode !== "rename" ? (
          <Field label={t("categories.parent")} help={placement} error={errors.parentId ?? null}>
            {(p) => (
              <select {...p} className="input" data-autofocus={mode === "move" ? true : undefined} value={parent} onChange={(e) => setParent(e.target.value)} data-testid="category-parent">
                <option value="">{t("categories.noParent")}</option>
                {options.map((r) => (
                  <option key={r.category.id} value={r.category.id}>
                    {`${"\u2003".repeat(r.depth)}${r.category.name}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>
      <div className="form__footer">
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="category-save">
          {tc("actions.save")}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {tc("actions.cancel")}
        </Button>
      </div>
    </form>
  );
}
