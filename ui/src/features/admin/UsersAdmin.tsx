// The people who work in the app: username (fixed once created), display name,
// role and active flag, a first password when a user is added, and "Set password"
// afterwards. The last active administrator cannot be demoted or deactivated.

import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { Checkbox, Field } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { fieldErrorsOf } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import type { FieldError, UserRole, UserSummary } from "../../lib/types";
import { ActiveCell, FormDialog, useDescribeAdminError, useFormErrors, type SpecialMessage } from "./common";
import { ListSection } from "./ListSection";
import { useSaveUser, useUsersAdmin } from "./queries";
import { PASSWORD_MIN, useSession } from "../session/queries";
import { SetPasswordDialog } from "../session/SetPasswordDialog";

export const ROLES: readonly UserRole[] = ["admin", "manager", "salesperson"];

function useUserMessages(): SpecialMessage {
  const { t } = useTranslation("admin");
  return (fe: FieldError) => {
    if (fe.field === "role" && fe.code === "not_allowed") return t("users.lastAdmin");
    if (fe.field === "username" && fe.code === "duplicate") return t("users.usernameTaken");
    if (fe.field === "username" && fe.code === "invalid") return t("users.usernameInvalid");
    if (fe.field === "username" && fe.code === "read_only") return t("users.usernameFixed");
    return null;
  };
}

type Editing = { user: UserSummary | null; key: number };

export function UsersAdmin() {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const describe = useDescribeAdminError();
  const special = useUserMessages();
  const users = useUsersAdmin();
  const save = useSaveUser();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [passwordFor, setPasswordFor] = useState<UserSummary | null>(null);
  const me = useSession().data?.user ?? null;
  const rows = users.data ?? [];

  const toggleActive = (user: UserSummary) =>
    save.mutate(
      { id: user.id, version: user.version, input: { username: user.username, displayName: user.displayName, role: user.role, active: !user.active } },
      {
        onSuccess: (saved) => toast.show(t(saved.active ? "users.activated" : "users.deactivated", { title: saved.displayName })),
        onError: (e) => {
          const fe = fieldErrorsOf(e)[0];
          toast.show((fe && special(fe)) ?? describe(e), "error");
        },
      },
    );

  return (
    <ListSection
      labelledBy="admin-users-title"
      title={t("users.title")}
      description={t("users.description")}
      addLabel={t("users.add")}
      onAdd={() => setEditing({ user: null, key: Date.now() })}
      list={users}
      emptyTitle={t("users.empty")}
      errorTitle={t("users.loadError")}
      dialogs={
        <>
          {passwordFor ? <SetPasswordDialog user={passwordFor} onClose={() => setPasswordFor(null)} /> : null}
          {editing ? (
            <UserDialog
              key={editing.key}
              user={editing.user}
              onClose={() => setEditing(null)}
              onReload={() =>
                void users.refetch().then((r) => {
                  const fresh = r.data?.find((u) => u.id === editing.user?.id) ?? null;
                  setEditing({ user: fresh, key: Date.now() });
                })
              }
            />
          ) : null}
        </>
      }
    >
      <div className="table-wrap">
        <table className="table admin-table" data-testid="admin-users-table">
          <caption id="admin-users-title" className="visually-hidden">
            {t("users.title")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("users.username")}</th>
              <th scope="col">{t("users.displayName")}</th>
              <th scope="col">{t("users.role")}</th>
              <th scope="col">{t("common.status")}</th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.id} data-testid={`row-${u.id}`} className={u.active ? undefined : "admin-row--inactive"}>
                <td dir="ltr" lang="en">
                  {u.username}
                </td>
                <td className="cell-name">{u.displayName}</td>
                <td>{t(`users.roles.${u.role}`)}</td>
                <td>
                  <ActiveCell active={u.active} />
                </td>
                <td className="col-actions">
                  <span className="admin-actions">
                    <Button size="sm" variant="ghost" onClick={() => setEditing({ user: u, key: Date.now() })} aria-label={t("common.editNamed", { title: u.displayName })}>
                      {t("common.edit")}
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => toggleActive(u)} disabled={save.isPending} aria-label={t(u.active ? "common.deactivateNamed" : "common.activateNamed", { title: u.displayName })}>
                      {u.active ? t("common.deactivate") : t("common.activate")}
                    </Button>
                    {me?.role === "admin" || me?.id === u.id ? (
                      <Button size="sm" variant="ghost" onClick={() => setPasswordFor(u)} aria-label={t("users.setPasswordNamed", { title: u.displayName })} data-testid={`user-set-password-${u.id}`}>
                        {t("users.setPassword")}
                      </Button>
                    ) : null}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ListSection>
  );
}

const USER_FIELDS = ["username", "displayName", "password", "role"] as const;

function UserDialog({ user, onClose, onReload }: { user: UserSummary | null; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const save = useSaveUser();
  const { language } = useAppSettings();
  const onServer = useSession().data?.backend === "postgres";
  const errors = useFormErrors(USER_FIELDS, { special: useUserMessages() });
  const [form, setForm] = useState({
    username: user?.username ?? "",
    displayName: user?.displayName ?? "",
    password: "",
    role: user?.role ?? ("salesperson" as UserRole),
    active: user?.active ?? true,
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key === "active" ? "role" : key);
  };

  const submit = () =>
    save.mutate(
      {
        id: user?.id ?? null,
        version: user?.version ?? 0,
        input: {
          username: user ? user.username : form.username.trim(),
          displayName: form.displayName.trim(),
          role: form.role,
          active: form.active,
          // A first password on creation only; later ones through "Set password".
          password: user || form.password === "" ? null : form.password,
        },
      },
      {
        onSuccess: (saved) => {
          toast.show(t(user ? "users.saved" : "users.added", { title: saved.displayName }));
          onClose();
        },
        onError: errors.handle,
      },
    );

  return (
    <FormDialog
      open
      title={user ? t("users.editTitle") : t("users.addTitle")}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      onReload={user ? onReload : undefined}
      testId="admin-user-dialog"
    >
      <div className="form__grid">
        <Field label={t("users.username")} error={errors.errorFor("username")} help={user ? t("users.usernameFixed") : t("users.usernameHelp")} className="span-2">
          {(p) => (
            <input
              {...p}
              data-field="username"
              data-autofocus={user ? undefined : true}
              className="input"
              dir="ltr"
              lang="en"
              autoComplete="off"
              spellCheck={false}
              readOnly={user !== null}
              value={form.username}
              onChange={(e) => set("username", e.target.value)}
            />
          )}
        </Field>
        <Field label={t("users.displayName")} error={errors.errorFor("displayName")} className="span-2">
          {(p) => <input {...p} data-field="displayName" data-autofocus={user ? true : undefined} className="input" value={form.displayName} onChange={(e) => set("displayName", e.target.value)} />}
        </Field>
        {user ? null : (
          <Field
            label={t("users.password")}
            error={errors.errorFor("password")}
            help={t(onServer ? "users.passwordHelpServer" : "users.passwordHelp", { min: formatNumber(PASSWORD_MIN, language) })}
            className="span-2"
          >
            {(p) => (
              <input
                {...p}
                data-field="password"
                type="password"
                name="new-password"
                className="input"
                dir="ltr"
                autoComplete="new-password"
                value={form.password}
                onChange={(e) => set("password", e.target.value)}
                data-testid="admin-user-password"
              />
            )}
          </Field>
        )}
        <Field label={t("users.role")} error={errors.errorFor("role")} help={t("users.roleHelp")} className="span-2">
          {(p) => (
            <select {...p} data-field="role" className="input" value={form.role} onChange={(e) => set("role", e.target.value as UserRole)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`users.roles.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="span-2 admin-checks">
          <Checkbox label={t("common.active")} checked={form.active} onChange={(v) => set("active", v)} />
        </div>
      </div>
      <p className="admin-hint">{t("users.inactiveHelp")}</p>
    </FormDialog>
  );
}
