import { describe, expect, it } from "vitest";
import { makeFinancial } from "../../test/mockCatalogue";
import { formFromFinancial } from "./formModel";
import { rebaseFinancial } from "./rebase";

describe("rebaseFinancial", () => {
  it("keeps my fields and takes theirs for the rest", () => {
    const start = makeFinancial(7, { kind: "receipt", title: "Advance", amount: "1000", method: "cash", referenceNo: null, description: null });
    const base = formFromFinancial(start);
    const mine = { ...base, amount: "1500", description: "Paid at the office" };
    const theirs = formFromFinancial({ ...start, version: 2, amount: "1200", referenceNo: "R-9" });
    const { merged, conflicts, changedByThem } = rebaseFinancial(base, mine, theirs);
    expect(changedByThem).toEqual(["amount", "referenceNo"]);
    expect(conflicts).toEqual(["amount"]);
    expect(merged).toMatchObject({ amount: "1500", referenceNo: "R-9", description: "Paid at the office", method: "cash" });
  });
});
