import { describe, expect, it } from "vitest";
import type { FieldError } from "../lib/types";
import { camelPath, groupFieldErrors } from "./fieldErrors";

const e = (field: string, code: FieldError["code"] = "required"): FieldError => ({ field, code, min: null, max: null });

describe("field errors onto controls", () => {
  it("spells backend paths the way the forms do", () => {
    expect(camelPath("addresses.0.postal_code")).toBe("addresses.0.postalCode");
    expect(camelPath("type_id")).toBe("typeId");
    expect(camelPath("lines.2.quantity")).toBe("lines.2.quantity");
  });

  it("keeps the first error of a control and lists the ones no control shows", () => {
    const grouped = groupFieldErrors([e("title"), e("title", "too_long"), e("somethingElse"), e("name")], (field) => (field === "somethingElse" ? null : field === "name" ? "title" : field));
    expect(grouped.byField).toEqual({ title: e("title") });
    expect(grouped.unmatched).toEqual([e("somethingElse")]);
  });
});
