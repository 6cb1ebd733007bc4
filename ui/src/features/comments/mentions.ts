// @mentions in a comment: finding the "@name" being typed, offering the colleagues it
// may mean, putting "@username " in its place, and marking the mentions of a body.

import type { UserSummary } from "../../lib/types";

/** The characters of a username after "@". */
const NAME = "[\\p{L}\\p{N}._-]";
const TYPING = new RegExp(`(^|[\\s(«"'،,])@(${NAME}*)$`, "u");
const MENTION = new RegExp(`(@${NAME}+)`, "gu");

export type MentionQuery = {
  /** Where the "@" is. */
  start: number;
  /** What follows it up to the caret. */
  query: string;
};

/** The "@name" the caret is at the end of, or null. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const m = TYPING.exec(before);
  if (!m) return null;
  const query = m[2] ?? "";
  return { start: caret - query.length - 1, query };
}

/** Puts "@username " in place of the "@name" typed from `start` to `caret`. */
export function insertMention(text: string, start: number, caret: number, username: string): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `@${username} `;
  const rest = after.startsWith(" ") ? after.slice(1) : after;
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}

/** The colleagues a typed "@name" may mean: usernames and names starting with it first. */
export function matchUsers(users: readonly UserSummary[], query: string, limit = 6): UserSummary[] {
  const q = query.toLocaleLowerCase();
  const scored: { user: UserSummary; score: number }[] = [];
  for (const user of users) {
    if (!user.active) continue;
    const username = user.username.toLocaleLowerCase();
    const name = user.displayName.toLocaleLowerCase();
    let score = -1;
    if (q === "" || username.startsWith(q)) score = 0;
    else if (name.startsWith(q) || name.split(/\s+/).some((part) => part.startsWith(q))) score = 1;
    else if (username.includes(q) || name.includes(q)) score = 2;
    if (score >= 0) scored.push({ user, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.user.displayName.localeCompare(b.user.displayName))
    .slice(0, limit)
    .map((s) => s.user);
}

export type BodyPart = { text: string; mention: boolean };

/**
 * A comment's body in parts, its mentions marked. With `usernames`, only "@name" of
 * a known user counts (an e-mail address or a stray "@" does not).
 */
export function splitMentions(body: string, usernames?: ReadonlySet<string>): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const m of body.matchAll(MENTION)) {
    const at = m.index ?? 0;
    const token = m[1] ?? "";
    const prev = at > 0 ? body[at - 1] : "";
    // "a@b": part of a word (an e-mail address), not a mention; as the backend reads it.
    if (prev && /[\p{L}\p{N}.]/u.test(prev)) continue;
    let name = token.slice(1);
    // A sentence's full stop (or a dash) after the name is not part of it.
    while (/[.-]$/.test(name)) name = name.slice(0, -1);
    if (name === "" || (usernames && !usernames.has(name.toLocaleLowerCase()))) continue;
    if (at > last) parts.push({ text: body.slice(last, at), mention: false });
    parts.push({ text: `@${name}`, mention: true });
    last = at + name.length + 1;
  }
  if (last < body.length) parts.push({ text: body.slice(last), mention: false });
  return parts;
}
