// The teams' hierarchy, without React: the tree order the table shows (each
// team under its parent, indented), the teams below a team (which cannot
// become its parent), and the users a team may be led by.

import type { commands } from "../../lib/api";
import type { UserSummary } from "../../lib/types";

// The generated team types, by the side the UI deals with (read: every field
// present; written: the input). They belong with the others in lib/types.ts.
type OkData<R> = R extends { status: "ok"; data: infer D } ? D : never;
export type TeamSummary = OkData<Awaited<ReturnType<typeof commands.listTeams>>>[number];
export type TeamInput = Parameters<typeof commands.createTeam>[0];

/** One row of the tree: the team, how deep it sits (0: top level) and the names from the top down to it. */
export type TeamNode = { team: TeamSummary; depth: number; path: string[] };

const byName = (locale?: string) => {
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  return (a: TeamSummary, b: TeamSummary) => collator.compare(a.name, b.name) || a.id - b.id;
};

/**
 * The teams in tree order: every team right after its parent (depth-first),
 * brothers and sisters by name. A team whose parent is unknown is shown at the
 * top level; teams caught in a loop (which the backend refuses) are shown too,
 * each once, at the top level.
 */
export function teamTree(teams: readonly TeamSummary[], locale?: string): TeamNode[] {
  const compare = byName(locale);
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map<number | null, TeamSummary[]>();
  for (const team of teams) {
    const parent = team.parentId !== null && team.parentId !== team.id && ids.has(team.parentId) ? team.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(team);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort(compare);

  const out: TeamNode[] = [];
  const seen = new Set<number>();
  const visit = (team: TeamSummary, depth: number, path: string[]) => {
    if (seen.has(team.id)) return;
    seen.add(team.id);
    const here = [...path, team.name];
    out.push({ team, depth, path: here });
    for (const child of children.get(team.id) ?? []) visit(child, depth + 1, here);
  };
  for (const root of children.get(null) ?? []) visit(root, 0, []);
  // Only a loop leaves teams unvisited: show each of them from the top.
  for (const team of [...teams].sort(compare)) visit(team, 0, []);
  return out;
}

/** The team and every team inside it, at any depth. */
export function teamAndDescendants(teams: readonly TeamSummary[], id: number): Set<number> {
  const found = new Set<number>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const team of teams) {
      if (team.parentId !== null && found.has(team.parentId) && !found.has(team.id)) {
        found.add(team.id);
        grew = true;
      }
    }
  }
  return found;
}

/** The teams a team may be put inside, in tree order: not itself, nor one of its own sub-teams. */
export function parentChoices(teams: readonly TeamSummary[], editingId: number | null, locale?: string): TeamNode[] {
  const excluded = editingId === null ? new Set<number>() : teamAndDescendants(teams, editingId);
  return teamTree(teams, locale).filter((n) => !excluded.has(n.team.id));
}

/** The teams directly inside a team, by name. */
export function subTeams(teams: readonly TeamSummary[], id: number, locale?: string): TeamSummary[] {
  return teams.filter((t) => t.parentId === id && t.id !== id).sort(byName(locale));
}

/** Who may lead a team: active managers and administrators (a salesperson cannot). */
export function canLead(user: UserSummary): boolean {
  return user.active && (user.role === "manager" || user.role === "admin");
}

/** What the dialog sends: the name trimmed, no manager / no parent as null, members once each in id order. */
export function toTeamInput(form: { name: string; managerUserId: number | null; parentId: number | null; memberIds: Iterable<number> }): TeamInput {
  return {
    name: form.name.trim(),
    managerUserId: form.managerUserId,
    parentId: form.parentId,
    memberIds: [...new Set(form.memberIds)].sort((a, b) => a - b),
  };
}

/** Case, the Arabic spellings of ی and ک and the half-space do not matter when finding a user. */
function fold(text: string): string {
  return text.toLocaleLowerCase().replace(/[يى]/g, "ی").replace(/ك/g, "ک").replace(/\u200c/g, "").trim();
}

/** Whether a user's display name or username contains what was typed in the filter box. */
export function userMatches(user: Pick<UserSummary, "displayName" | "username">, query: string): boolean {
  const q = fold(query);
  return q === "" || fold(user.displayName).includes(q) || fold(user.username).includes(q);
}
