import { describe, expect, it } from "vitest";
import { emptyIdentityForm, formFieldFor, identityNameOf, mapFieldErrors, toIdentityInput } from "./formModel";

describe("toIdentityInput", () => {
  it("builds a person with one phone, e-mail and address", () => {
    const input = toIdentityInput({
      ...emptyIdentityForm(3),
      prefixId: "7",
      firstName: " Sara ",
      lastName: "Ahmadi",
      nationalCode: "۰۰۱۲۳۴۵۶۷۸",
      organizationName: "ignored for people",
      phoneNumber: "۰۹۱۲ ۱۲۳ ۴۵۶۷",
      email: "sara@example.com",
      city: "Tehran",
      addressText: "Valiasr St.",
      postalCode: "1234567890",
      sourceId: "2",
    });
    expect(input).toEqual({
      kind: "person",
      prefixId: 7,
      firstName: "Sara",
      lastName: "Ahmadi",
      organizationName: null,
      nationalCode: "0012345678",
      economicCode: null,
      isCustomer: true,
      isCompetitor: false,
      isSupplier: false,
      sourceId: 2,
      campaignId: null,
      responsibleUserId: 3,
      notes: null,
      phones: [{ kind: "mobile", number: "0912 123 4567", isDefault: true }],
      emails: [{ address: "sara@example.com", isDefault: true }],
      addresses: [{ city: "Tehran", text: "Valiasr St.", postalCode: "1234567890", isDefault: true }],
    });
  });

  it("builds an organization and leaves empty contacts out", () => {
    const input = toIdentityInput({ ...emptyIdentityForm(), kind: "organization", firstName: "x", organizationName: "Acme", economicCode: "411" });
    expect(input.kind).toBe("organization");
    expect(input.firstName).toBeNull();
    expect(input.organizationName).toBe("Acme");
    expect(input.economicCode).toBe("411");
    expect(input.responsibleUserId).toBeNull();
    expect(input.phones).toEqual([]);
    expect(input.emails).toEqual([]);
    expect(input.addresses).toEqual([]);
  });

  it("sends an address whose text is empty when its city or postal code is filled", () => {
    const input = toIdentityInput({ ...emptyIdentityForm(), lastName: "Ahmadi", postalCode: "۱۲۳۴۵۶۷۸۹۰" });
    expect(input.addresses).toEqual([{ city: null, text: "", postalCode: "1234567890", isDefault: true }]);
  });
});

describe("identityNameOf", () => {
  it("gives the name the backend will store, or nothing without its required part", () => {
    expect(identityNameOf({ ...emptyIdentityForm(), firstName: " Sara ", lastName: " Ahmadi " })).toBe("Sara Ahmadi");
    expect(identityNameOf({ ...emptyIdentityForm(), lastName: "Ahmadi" })).toBe("Ahmadi");
    expect(identityNameOf({ ...emptyIdentityForm(), firstName: "Sara" })).toBe("");
    expect(identityNameOf({ ...emptyIdentityForm(), kind: "organization", firstName: "x", organizationName: " Acme " })).toBe("Acme");
  });
});

describe("mapFieldErrors", () => {
  it("maps backend paths onto controls", () => {
    expect(formFieldFor("firstName", "person")).toBe("firstName");
    expect(formFieldFor("phones.0.number", "person")).toBe("phoneNumber");
    expect(formFieldFor("addresses.0.postalCode", "person")).toBe("postalCode");
    expect(formFieldFor("addresses.0.postal_code", "person")).toBe("postalCode");
    expect(formFieldFor("addresses.0.text", "person")).toBe("addressText");
    expect(formFieldFor("addresses.0.city", "person")).toBe("city");
    expect(formFieldFor("emails.0.address", "person")).toBe("email");
    expect(formFieldFor("responsibleUserId", "person")).toBe("responsibleUserId");
    expect(formFieldFor("name", "organization")).toBe("organizationName");
    const mapped = mapFieldErrors(
      [
        { field: "firstName", code: "required", min: null, max: null },
        { field: "emails.0.address", code: "invalid", min: null, max: null },
        { field: "somethingElse", code: "invalid", min: null, max: null },
      ],
      "person",
    );
    expect(Object.keys(mapped.byField).sort()).toEqual(["email", "firstName"]);
    expect(mapped.unmatched).toHaveLength(1);
  });
});
