// Management of system items: the values of the fixed lists (opportunity type,
// source, reasons, …). Values are added, renamed, reordered and deactivated; a
// value in use by any record can only be deactivated, never deleted.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, Field } from "../../components/Field";
import { Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { localTitle } from "../../lib/titles";
import type { SystemItem, SystemListKey } from "../../lib/types";
import { ActiveCell, FormDialog, useCount, useDescribeAdminError, useFormErrors, useRowReorder } from "./common";
import { ListSection } from "./ListSection";
import { useDeleteSystemItem, useReorderSystemItems, useSaveSystemItem, useSystemItemUsage, useSystemListAdmin } from "./queries";

export const SYSTEM_LISTS: readonly SystemListKey[] = [
  "opportunity_type",
  "source",
  "win_reason",
  "loss_reason",
  "purchase_process",
  "product_unit",
  "person_prefix",
];

type Editing = { item: SystemItem | null; key: number };

export function SystemListsAdmin() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const describe = useDescribeAdminError();
  const count = useCount();
  const [list, setList] = useState<SystemListKey>("opportunity_type");
  const items = useSystemListAdmin(list);
  const save = useSaveSystemItem(list);
  const reorder = useReorderSystemItems(list);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<SystemItem | null>(null);
  const rows = items.data ?? [];
  const listName = t(`lists.names.${list}`);

  const titleOf = (item: SystemItem) => localTitle(item, language);
  const reordering = useRowReorder(rows, titleOf, (ordered) => reorder.mutate(ordered, { onError: (e) => toast.show(describe(e), "error") }), reorder.isPending);

  const toggleActive = (item: SystemItem) =>
    save.mutate(
      { item, input: { titleFa: item.titleFa, titleEn: item.titleEn, active: !item.active } },
      {
        onSuccess: (saved) => toast.show(t(saved.active ? "lists.activated" : "lists.deactivated", { title: titleOf(saved) })),
        onError: (e) => toast.show(describe(e), "error"),
      },
    );

  return (
    <ListSection
      labelledBy="admin-lists-title"
      title={t("lists.title")}
      description={t("lists.description")}
      addLabel={t("lists.add")}
      onAdd={() => setEditing({ item: null, key: Date.now() })}
      controls={
        <Field label={t("lists.choose")}>
          {(p) => (
            <select {...p} className="input" value={list} onChange={(e) => setList(e.target.value as SystemListKey)} data-testid="admin-list-select">
              {SYSTEM_LISTS.map((key) => (
                <option key={key} value={key}>
                  {t(`lists.names.${key}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      }
      heading={listName}
      list={items}
      emptyTitle={t("lists.empty", { list: listName })}
      emptyBody={t("lists.emptyBody")}
      errorTitle={t("lists.loadError")}
      dialogs={
        <>
          {editing ? (
            <SystemItemDialog
              key={editing.key}
              list={list}
              item={editing.item}
              onClose={() => setEditing(null)}
              onReload={() =>
                void items.refetch().then((r) => {
                  const fresh = r.data?.find((i) => i.id === editing.item?.id) ?? null;
                  setEditing({ item: fresh, key: Date.now() });
                })
              }
            />
          ) : null}
          {deleting ? <DeleteSystemItemDialog list={list} item={deleting} onClose={() => setDeleting(null)} onDeactivate={() => toggleActive(deleting)} /> : null}
        </>
      }
    >
      <p className="admin-hint">{t("reorder.hint")}</p>
      <div className="table-wrap">
        <table className="table admin-table" data-testid="admin-list-table">
          <caption className="visually-hidden">{listName}</caption>
          <thead>
            <tr>
              <th scope="col">{t("common.order")}</th>
              <th scope="col">{t("common.titleFa")}</th>
              <th scope="col">{t("common.titleEn")}</th>
              <th scope="col">{t("common.status")}</th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item, index) => (
              <tr key={item.id} data-testid={`row-${item.id}`} className={item.active ? undefined : "admin-row--inactive"} aria-label={titleOf(item)} {...reordering.rowProps(index)}>
                <td className="col-number">
                  <span className="admin-position">{count(index + 1)}</span>
                  {reordering.buttons(index)}
                </td>
                <td lang="fa" dir="rtl">
                  {item.titleFa}
                </td>
                <td lang="en" dir="ltr">
                  {item.titleEn}
                </td>
                <td>
                  <ActiveCell active={item.active} />
                </td>
                <td className="col-actions">
                  <span className="admin-actions">
                    <Button size="sm" variant="ghost" onClick={() => setEditing({ item, key: Date.now() })} aria-label={t("common.editNamed", { title: titleOf(item) })}>
                      {t("common.edit")}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => toggleActive(item)} disabled={save.isPending} aria-label={t(item.active ? "common.deactivateNamed" : "common.activateNamed", { title: titleOf(item) })}>
                      {item.active ? t("common.deactivate") : t("common.activate")}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setDeleting(item)} aria-label={t("common.deleteNamed", { title: titleOf(item) })}>
                      {tc("actions.delete")}
                    </Button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {reordering.live}
    </ListSection>
  );
}

const ITEM_FIELDS = ["titleFa", "titleEn", "active"] as const;

function SystemItemDialog({ list, item, onClose, onReload }: { list: SystemListKey; item: SystemItem | null; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const { language } = useAppSettings();
  const save = useSaveSystemItem(list);
  const errors = useFormErrors(ITEM_FIELDS);
  const [titleFa, setTitleFa] = useState(item?.titleFa ?? "");
  const [titleEn, setTitleEn] = useState(item?.titleEn ?? "");
  const [active, setActive] = useState(item?.active ?? true);

  const submit = () =>
    save.mutate(
      { item, input: { titleFa: titleFa.trim(), titleEn: titleEn.trim(), active } },
      {
        onSuccess: (saved) => {
          toast.show(t(item ? "lists.saved" : "lists.added", { title: localTitle(saved, language) }));
          onClose();
        },
        onError: errors.handle,
      },
    );

  return (
    <FormDialog
      open
      title={item ? t("lists.editTitle", { list: t(`lists.names.${list}`) }) : t("lists.addTitle", { list: t(`lists.names.${list}`) })}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      onReload={item ? onReload : undefined}
      testId="admin-list-dialog"
    >
      <div className="form__grid">
        <Field label={t("common.titleFa")} error={errors.errorFor("titleFa")} className="span-2">
          {(p) => (
            <input
              {...p}
              data-field="titleFa"
              data-autofocus
              className="input"
              lang="fa"
              dir="rtl"
              value={titleFa}
              onChange={(e) => {
                setTitleFa(e.target.value);
                errors.clear("titleFa");
              }}
            />
          )}
        </Field>
        <Field label={t("common.titleEn")} error={errors.errorFor("titleEn")} className="span-2">
          {(p) => (
            <input
              {...p}
              data-field="titleEn"
              className="input"
              lang="en"
              dir="ltr"
              value={titleEn}
              onChange={(e) => {
                setTitleEn(e.target.value);
                errors.clear("titleEn");
              }}
            />
          )}
        </Field>
      </div>
      <Checkbox label={t("common.active")} checked={active} onChange={setActive} />
      <p className="admin-hint">{t("lists.inactiveHelp")}</p>
    </FormDialog>
  );
}

function DeleteSystemItemDialog({ list, item, onClose, onDeactivate }: { list: SystemListKey; item: SystemItem; onClose: () => void; onDeactivate: () => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const count = useCount();
  const describe = useDescribeAdminError();
  const usage = useSystemItemUsage(item.id);
  const remove = useDeleteSystemItem(list);
  const [error, setError] = useState<string | null>(null);
  const title = localTitle(item, language);
  const inUse = (usage.data ?? 0) > 0;

  const confirm = () =>
    remove.mutate(item.id, {
      onSuccess: () => {
        toast.show(t("lists.deleted", { title }));
        onClose();
      },
      onError: (e) => setError(describe(e)),
    });

  return (
    <Dialog
      open
      onClose={onClose}
      variant="modal"
      title={t("lists.deleteTitle", { title })}
      testId="admin-delete-dialog"
      footer={
        <div className="dialog__actions">
          <Button variant="danger" onClick={confirm} busy={remove.isPending} disabled={usage.isPending || usage.isError || inUse} data-testid="admin-delete-confirm">
            {tc("actions.delete")}
          </Button>
          {inUse && item.active ? (
            <Button
              onClick={() => {
                onDeactivate();
                onClose();
              }}
            >
              {t("lists.deactivateInstead")}
            </Button>
          ) : null}
          <Button variant="ghost" onClick={onClose}>
            {tc("actions.cancel")}
          </Button>
        </div>
      }
    >
      <div className="form__scroll">
        {usage.isPending ? (
          <Loading inline label={t("lists.checkingUsage")} />
        ) : usage.isError ? (
          <p className="form-alert" role="alert">
            {describe(usage.error)}
          </p>
        ) : inUse ? (
          <p className="admin-note admin-note--warning" role="status" data-testid="admin-in-use">
            {t(item.active ? "lists.inUse" : "lists.inUseInactive", { count: usage.data ?? 0, n: count(usage.data ?? 0) })}
          </p>
        ) : (
          <p>{t("lists.deleteBody")}</p>
        )}
        {error ? (
          <p className="form-alert" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
