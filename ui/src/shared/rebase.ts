// Putting one's unsaved edits on top of a newer version of the record (someone else
// saved it meanwhile), field by field, like a three-way merge:
//  - a field only they changed takes their value;
//  - a field only I changed keeps mine;
//  - a field both changed (to different values) keeps mine, and is a conflict.
// The forms describe their fields (how to read one for comparing, how to copy it);
// comparing is by value (JSON), so read() should return what would be saved.

export type RebaseField<S> = {
  /** The field's key, as the form names it (e.g. "title", "customFields.12"). */
  key: string;
  /** The field's value for comparing (what would be sent; plain data). */
  read: (state: S) => unknown;
  /** `into` with this field taken from `from`. */
  take: (into: S, from: S) => S;
};

export type RebaseResult<S> = {
  /** Mine, with the fields only they changed taken from theirs. */
  merged: S;
  /** Keys both changed, to different values (mine is kept). */
  conflicts: string[];
  /** Keys whose value differs between the version I started from and theirs, in field order. */
  changedByThem: string[];
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A shallow field of a flat state: read and copied as it is. */
export function plainField<S, K extends keyof S & string>(key: K, read: (value: S[K]) => unknown = (v) => v): RebaseField<S> {
  return { key, read: (s) => read(s[key]), take: (into, from) => ({ ...into, [key]: from[key] }) };
}

/** Three-way merge of `mine` (edited from `base`) onto `theirs` (the newer version of `base`). */
export function rebase<S>(base: S, mine: S, theirs: S, fields: readonly RebaseField<S>[]): RebaseResult<S> {
  let merged = mine;
  const conflicts: string[] = [];
  const changedByThem: string[] = [];
  for (const field of fields) {
    const start = field.read(base);
    const theirValue = field.read(theirs);
    if (same(start, theirValue)) continue;
    changedByThem.push(field.key);
    const myValue = field.read(mine);
    if (same(start, myValue)) merged = field.take(merged, theirs);
    else if (!same(myValue, theirValue)) conflicts.push(field.key);
  }
  return { merged, conflicts, changedByThem };
}
