import { describe, expect, it } from "vitest";
import { plainField, rebase } from "./rebase";

type S = { a: string; b: string; c: string; tags: string[] };
const fields = [plainField<S, "a">("a"), plainField<S, "b">("b", (v) => v.trim()), plainField<S, "c">("c"), plainField<S, "tags">("tags")];
const base: S = { a: "1", b: "x", c: "p", tags: ["t"] };

describe("rebase", () => {
  it("takes theirs where only they changed, keeps mine where only I did, mine on a conflict", () => {
    const mine: S = { ...base, a: "mine", c: "same" };
    const theirs: S = { ...base, a: "theirs", b: "y", c: "same", tags: ["t", "u"] };
    const { merged, conflicts, changedByThem } = rebase(base, mine, theirs, fields);
    expect(merged).toEqual({ a: "mine", b: "y", c: "same", tags: ["t", "u"] });
    expect(conflicts).toEqual(["a"]); // the same change on both sides is no conflict
    expect(changedByThem).toEqual(["a", "b", "c", "tags"]);
  });

  it("compares as read: a value typed back, or only spaces, is no change", () => {
    const mine: S = { ...base, b: "x  " };
    const theirs: S = { ...base, b: "z" };
    const result = rebase(base, mine, theirs, fields);
    expect(result.merged.b).toBe("z");
    expect(result.conflicts).toEqual([]);
  });

  it("leaves mine alone when they changed nothing", () => {
    const mine: S = { ...base, a: "2" };
    const result = rebase(base, mine, { ...base }, fields);
    expect(result.merged).toBe(mine);
    expect(result.changedByThem).toEqual([]);
    expect(result.conflicts).toEqual([]);
  });
});
