// Teams: who leads whom, and so which opportunities a manager sees. A team has a
// manager, members and possibly a parent team (a regional office holding teams);
// the table shows each team under its parent. Only administrators add, change
// and delete teams; everyone else may look.

import { useId, useMemo, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { Checkbox, Field } from "../../components/Field";
import { Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { useAppSettings } from "../../app/settings";
import { appErrorOf } from "../../lib/api";
import type { FieldError, UserSummary } from "../../lib/types";
import { FormDialog, useCount, useDescribeAdminError, useFormErrors, type SpecialMessage } from "./common";
import { ListSection } from "./ListSection";
import { useDeleteTeam, useSaveTeam, useTeamsAdmin, useUsersAdmin } from "./queries";
import { canLead, parentChoices, subTeams, teamTree, toTeamInput, userMatches, type TeamSummary } from "./teams";
import { useSession } from "../session/queries";

/** How many member names a row shows before "and N more". */
const NAMES_SHOWN = 6;

type Editing = { team: TeamSummary | null; key: number };

/** The users by id, and a user's name in words (never a raw id). */
function useUserNames(users: readonly UserSummary[] | undefined) {
  const { t } = useTranslation("admin");
  const byId = useMemo(() => new Map((users ?? []).map((u) => [u.id, u])), [users]);
  const nameOf = (id: number) => byId.get(id)?.displayName ?? t("teams.unknownUser");
  return { byId, nameOf };
}

/** A list of names joined the language's way ("A, B and C" / «الف، ب و ج»). */
function useJoin() {
  const { language } = useAppSettings();
  return (names: string[]) => new Intl.ListFormat(language, { type: "conjunction" }).format(names);
}

export function TeamsAdmin() {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const count = useCount();
  const teams = useTeamsAdmin();
  const users = useUsersAdmin();
  const me = useSession().data?.user ?? null;
  const isAdmin = me?.role === "admin";
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deletingId, setDeletingId] = useState<number | null>(null);
  const rows = useMemo(() => teams.data ?? [], [teams.data]);
  const tree = useMemo(() => teamTree(rows, language), [rows, language]);
  const { byId, nameOf } = useUserNames(users.data);
  const collator = useMemo(() => new Intl.Collator(language, { sensitivity: "base", numeric: true }), [language]);
  const deleting = rows.find((r) => r.id === deletingId) ?? null;

  const managerCell = (id: number | null) => {
    if (id === null) return <span className="muted">{t("common.none")}</span>;
    const user = byId.get(id);
    if (users.isPending) return <span className="muted">{t("common.loadingOptions")}</span>;
    return user && !user.active ? <span className="muted">{t("teams.inactiveUser", { name: user.displayName })}</span> : nameOf(id);
  };

  const membersCell = (ids: readonly number[]) => {
    if (ids.length === 0) return <span className="muted">{t("teams.noMembers")}</span>;
    const names = users.isPending ? [] : ids.map(nameOf).sort(collator.compare);
    const shown = names.slice(0, NAMES_SHOWN);
    const more = names.length - shown.length;
    const separator = language === "fa" ? "، " : ", ";
    return (
      <>
        <span className="badge admin-team-count">{t("teams.memberCount", { count: ids.length, n: count(ids.length) })}</span>
        {names.length > 0 ? (
          <span className="admin-team-members__names" title={names.join(separator)}>
            {shown.join(separator)}
            {more > 0 ? ` ${t("teams.moreMembers", { count: more, n: count(more) })}` : null}
          </span>
        ) : null}
      </>
    );
  };

  const rule = (
    <div className="admin-note admin-teams-rule" data-testid="teams-rule">
      <p className="admin-teams-rule__title">{t("teams.rule.title")}</p>
      <ul>
        <li>{t("teams.rule.admin")}</li>
        <li>{t("teams.rule.salesperson")}</li>
        <li>{t("teams.rule.manager")}</li>
      </ul>
      <p>
        <strong>{t("teams.rule.noTeams")}</strong> {t("teams.rule.delete")}
      </p>
    </div>
  );

  return (
    <ListSection
      labelledBy="admin-teams-title"
      title={t("teams.title")}
      description={t("teams.description")}
      addLabel={t("teams.add")}
      onAdd={isAdmin ? () => setEditing({ team: null, key: Date.now() }) : undefined}
      note={
        <>
          {rule}
          {me && !isAdmin ? <p className="admin-hint">{t("teams.viewOnly")}</p> : null}
        </>
      }
      list={teams}
      emptyTitle={t("teams.empty")}
      emptyBody={t(isAdmin ? "teams.emptyBody" : "teams.emptyBodyViewOnly")}
      errorTitle={t("teams.loadError")}
      dialogs={
        <>
          {editing ? (
            <TeamDialog
              key={editing.key}
              team={editing.team}
              teams={rows}
              onClose={() => setEditing(null)}
              onReload={() =>
                void teams.refetch().then((r) => {
                  const fresh = r.data?.find((x) => x.id === editing.team?.id) ?? null;
                  setEditing({ team: fresh, key: Date.now() });
                })
              }
            />
          ) : null}
          {deleting ? <DeleteTeamDialog team={deleting} teams={rows} onClose={() => setDeletingId(null)} /> : null}
        </>
      }
    >
      <div className="table-wrap">
        <table className="table admin-table" data-testid="admin-teams-table">
          <caption id="admin-teams-title" className="visually-hidden">
            {t("teams.title")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("teams.team")}</th>
              <th scope="col">{t("teams.manager")}</th>
              <th scope="col">{t("teams.members")}</th>
              {isAdmin ? (
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {tree.map(({ team, depth, path }) => (
              <tr key={team.id} data-testid={`row-${team.id}`} data-depth={depth}>
                <td className="cell-name admin-team-name" style={{ "--depth": depth } as CSSProperties}>
                  {depth > 0 ? <span className="admin-tree-marker" aria-hidden="true" /> : null}
                  {team.name}
                  {depth > 0 ? <span className="visually-hidden">{` (${t("teams.subTeamOf", { parent: path[path.length - 2] ?? "" })})`}</span> : null}
                </td>
                <td>{managerCell(team.managerUserId)}</td>
                <td className="admin-team-members">{membersCell(team.memberIds)}</td>
                {isAdmin ? (
                  <td className="col-actions">
                    <span className="admin-actions">
                      <Button size="sm" variant="ghost" onClick={() => setEditing({ team, key: Date.now() })} aria-label={t("common.editNamed", { title: team.name })}>
                        {t("common.edit")}
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setDeletingId(team.id)} aria-label={t("common.deleteNamed", { title: team.name })}>
                        {tc("actions.delete")}
                      </Button>
                    </span>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ListSection>
  );
}

const TEAM_FIELDS = ["name", "managerUserId", "parentId", "memberIds"] as const;

function useTeamMessages(): SpecialMessage {
  const { t } = useTranslation("admin");
  const count = useCount();
  return (fe: FieldError) => {
    // A member's error may name its place in the list ("memberIds.2").
    const field = fe.field.split(".")[0];
    if (field === "name" && fe.code === "duplicate") return t("teams.nameTaken");
    if (field === "managerUserId" && fe.code === "not_allowed") return t("teams.managerNotAllowed");
    if (field === "managerUserId" && fe.code === "inactive_reference") return t("teams.managerInactive");
    if (field === "managerUserId" && fe.code === "unknown_reference") return t("teams.managerUnknown");
    if (field === "parentId" && fe.code === "invalid") return t("teams.parentInvalid");
    if (field === "parentId" && fe.code === "unknown_reference") return t("teams.parentUnknown");
    if (field === "memberIds" && fe.code === "unknown_reference") return t("teams.membersUnknown");
    if (field === "memberIds" && fe.code === "too_long") {
      const max = fe.max === null ? NaN : Number(fe.max);
      return Number.isFinite(max) ? t("teams.membersTooManyMax", { max: count(max) }) : t("teams.membersTooMany");
    }
    return null;
  };
}

function TeamDialog({ team, teams, onClose, onReload }: { team: TeamSummary | null; teams: readonly TeamSummary[]; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation("admin");
  const { language } = useAppSettings();
  const toast = useToast();
  const count = useCount();
  const save = useSaveTeam();
  const users = useUsersAdmin();
  const errors = useFormErrors(TEAM_FIELDS, { special: useTeamMessages() });
  const collator = useMemo(() => new Intl.Collator(language, { sensitivity: "base", numeric: true }), [language]);
  const parents = useMemo(() => parentChoices(teams, team?.id ?? null, language), [teams, team, language]);
  const [form, setForm] = useState(() => ({
    name: team?.name ?? "",
    managerUserId: team?.managerUserId ?? null,
    // A parent that is gone (or is no longer allowed) is not offered: start from none.
    parentId: team?.parentId != null && parents.some((p) => p.team.id === team.parentId) ? team.parentId : null,
    memberIds: team?.memberIds ?? [],
  }));
  const [filter, setFilter] = useState("");
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clear(key);
  };
  const selected = new Set(form.memberIds);
  const toggleMember = (id: number, on: boolean) => set("memberIds", on ? [...form.memberIds, id] : form.memberIds.filter((m) => m !== id));

  const all = users.data ?? [];
  const byName = (a: UserSummary, b: UserSummary) => collator.compare(a.displayName, b.displayName) || a.id - b.id;
  // Active managers and administrators; the current manager stays listed (marked) when they no longer qualify.
  const managers = all.filter((u) => canLead(u) || u.id === form.managerUserId).sort(byName);
  const managerLabel = (u: UserSummary) =>
    canLead(u) ? u.displayName : u.active ? t("teams.cannotLead", { name: u.displayName, role: t(`users.roles.${u.role}`) }) : t("teams.inactiveUser", { name: u.displayName });
  // Active users, and anyone already a member (an inactive member can be taken out).
  const candidates = all.filter((u) => u.active || selected.has(u.id) || team?.memberIds.includes(u.id)).sort(byName);
  const shown = candidates.filter((u) => userMatches(u, filter));
  const membersError = errors.errorFor("memberIds");
  const membersId = `m${useId().replace(/:/g, "")}`;

  const submit = () =>
    save.mutate(
      { id: team?.id ?? null, version: team?.version ?? 0, input: toTeamInput(form) },
      {
        onSuccess: (saved) => {
          toast.show(t(team ? "teams.saved" : "teams.added", { title: saved.name }));
          onClose();
        },
        onError: errors.handle,
      },
    );

  return (
    <FormDialog
      open
      title={team ? t("teams.editTitle") : t("teams.addTitle")}
      onClose={onClose}
      onSubmit={submit}
      busy={save.isPending}
      errors={errors}
      onReload={team ? onReload : undefined}
      testId="admin-team-dialog"
    >
      {users.isError ? (
        <p className="form-alert" role="alert">
          {t("teams.usersLoadError")}
        </p>
      ) : null}
      <div className="form__grid">
        <Field label={t("teams.name")} error={errors.errorFor("name")} className="span-4">
          {(p) => <input {...p} data-field="name" data-autofocus className="input" value={form.name} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <Field label={t("teams.manager")} error={errors.errorFor("managerUserId")} help={t("teams.managerHelp")} className="span-2">
          {(p) => (
            <select
              {...p}
              data-field="managerUserId"
              className="input"
              value={form.managerUserId === null ? "" : String(form.managerUserId)}
              disabled={users.isPending}
              onChange={(e) => set("managerUserId", e.target.value === "" ? null : Number(e.target.value))}
            >
              <option value="">{users.isPending ? t("common.loadingOptions") : t("teams.noManager")}</option>
              {managers.map((u) => (
                <option key={u.id} value={u.id}>
                  {managerLabel(u)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("teams.parent")} error={errors.errorFor("parentId")} help={t("teams.parentHelp")} className="span-2">
          {(p) => (
            <select
              {...p}
              data-field="parentId"
              className="input"
              value={form.parentId === null ? "" : String(form.parentId)}
              onChange={(e) => set("parentId", e.target.value === "" ? null : Number(e.target.value))}
            >
              <option value="">{t("teams.noParent")}</option>
              {parents.map((n) => (
                <option key={n.team.id} value={n.team.id}>
                  {n.path.join(" › ")}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className={membersError ? "admin-members admin-members--invalid" : "admin-members"} aria-describedby={membersError ? `${membersId}-error ${membersId}-help` : `${membersId}-help`}>
        <legend className="field__label">{t("teams.members")}</legend>
        <div className="admin-members__head">
          <Field label={t("teams.findMember")}>
            {(p) => (
              <input
                {...p}
                type="search"
                data-field="memberIds"
                className="input"
                autoComplete="off"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                data-testid="team-member-filter"
              />
            )}
          </Field>
          <span className="admin-hint" role="status" data-testid="team-member-count">
            {t("teams.membersSelected", { count: selected.size, n: count(selected.size) })}
          </span>
        </div>
        {users.isPending ? (
          <Loading inline />
        ) : candidates.length === 0 ? (
          <p className="admin-hint">{t("teams.noUsers")}</p>
        ) : shown.length === 0 ? (
          <p className="admin-hint">{t("teams.noMatch", { query: filter.trim() })}</p>
        ) : (
          <ul className="admin-members__list" data-testid="team-member-list">
            {shown.map((u) => (
              <li key={u.id}>
                <Checkbox label={u.active ? u.displayName : t("teams.inactiveUser", { name: u.displayName })} checked={selected.has(u.id)} onChange={(on) => toggleMember(u.id, on)} />
              </li>
            ))}
          </ul>
        )}
        {membersError ? (
          <p className="field__error" id={`${membersId}-error`}>
            {membersError}
          </p>
        ) : null}
        <p className="field__help" id={`${membersId}-help`}>
          {t("teams.membersHelp")}
        </p>
      </fieldset>
    </FormDialog>
  );
}

function DeleteTeamDialog({ team, teams, onClose }: { team: TeamSummary; teams: readonly TeamSummary[]; onClose: () => void }) {
  const { t } = useTranslation("admin");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const join = useJoin();
  const describe = useDescribeAdminError();
  const remove = useDeleteTeam();
  const [error, setError] = useState<string | null>(null);
  const children = subTeams(teams, team.id, language).map((c) => c.name);
  const parent = teams.find((x) => x.id === team.parentId && x.id !== team.id) ?? null;

  const confirm = () =>
    remove.mutate(
      { id: team.id, version: team.version },
      {
        onSuccess: () => {
          toast.show(t("teams.deleted", { title: team.name }));
          onClose();
        },
        onError: (e) => {
          if (appErrorOf(e)?.kind === "not_found") {
            // Someone else deleted it already: the list shows it gone.
            toast.show(describe(e), "error");
            onClose();
          } else setError(describe(e));
        },
      },
    );

  return (
    <Dialog
      open
      onClose={onClose}
      variant="modal"
      title={t("teams.deleteTitle", { title: team.name })}
      testId="admin-delete-dialog"
      footer={
        <div className="dialog__actions">
          <Button variant="danger" onClick={confirm} busy={remove.isPending} data-testid="admin-delete-confirm">
            {tc("actions.delete")}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            {tc("actions.cancel")}
          </Button>
        </div>
      }
    >
      <div className="form__scroll">
        <p>{t("teams.deleteBody")}</p>
        {children.length > 0 ? (
          <p data-testid="team-delete-moves">
            {parent ? t("teams.deleteMovesUp", { names: join(children), parent: parent.name }) : t("teams.deleteMovesTop", { names: join(children) })}
          </p>
        ) : null}
        {teams.length === 1 ? (
          <p className="admin-note admin-note--warning" role="status">
            {t("teams.deleteLast")}
          </p>
        ) : null}
        {error ? (
          <p className="form-alert" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
