// The identity form's state, its conversion to the backend's IdentityInput, and
// the mapping of backend field errors ("firstName", "phones.0.number") back onto
// the form's controls.

import type { FieldError, IdentityInput, IdentityKind, PhoneKind } from "../../lib/types";
import { normalizeDigits } from "../../lib/format";
import { camelPath, groupFieldErrors, type ControlErrors } from "../../shared/fieldErrors";

export type IdentityFormState = {
  kind: IdentityKind;
  prefixId: string;
  firstName: string;
  lastName: string;
  nationalCode: string;
  organizationName: string;
  economicCode: string;
  isCustomer: boolean;
  isCompetitor: boolean;
  isSupplier: boolean;
  sourceId: string;
  campaignId: string;
  responsibleUserId: string;
  phoneKind: PhoneKind;
  phoneNumber: string;
  email: string;
  city: string;
  addressText: string;
  postalCode: string;
  notes: string;
};

/** The form controls that can carry an error. */
export type FormFieldKey = Exclude<keyof IdentityFormState, "isCustomer" | "isCompetitor" | "isSupplier"> | "roles";

export function emptyIdentityForm(responsibleUserId: number | null = null): IdentityFormState {
  return {
    kind: "person",
    prefixId: "",
    firstName: "",
    lastName: "",
    nationalCode: "",
    organizationName: "",
    economicCode: "",
    isCustomer: true,
    isCompetitor: false,
    isSupplier: false,
    sourceId: "",
    campaignId: "",
    responsibleUserId: responsibleUserId === null ? "" : String(responsibleUserId),
    phoneKind: "mobile",
    phoneNumber: "",
    email: "",
    city: "",
    addressText: "",
    postalCode: "",
    notes: "",
  };
}

const text = (value: string): string | null => {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
};

/** Digits-only codes and numbers: Persian digits become ASCII. */
const code = (value: string): string | null => text(normalizeDigits(value));

const id = (value: string): number | null => {
  if (value === "") return null;
  const n = Number(value);
  return Number.isInteger(n) ? n : null;
};

/**
 * The name the backend will give the identity ("first last" for people, the
 * organization's name otherwise), or "" while its required part is still empty.
 * Used to look for identities with the same name.
 */
export function identityNameOf(state: Pick<IdentityFormState, "kind" | "firstName" | "lastName" | "organizationName">): string {
  if (state.kind === "organization") return state.organizationName.trim();
  const last = state.lastName.trim();
  if (last === "") return "";
  return [state.firstName.trim(), last].filter((part) => part !== "").join(" ");
}

/**
 * The IdentityInput for the form. Empty contacts are left out. An address is
 * sent once any one of its parts is filled, even without its text, so the
 * backend answers "addresses.0.text is required" instead of the city or postal
 * code being dropped silently.
 */
export function toIdentityInput(state: IdentityFormState): IdentityInput {
  const person = state.kind === "person";
  const phone = code(state.phoneNumber);
  const email = text(state.email);
  const city = text(state.city);
  const addressText = text(state.addressText);
  const postalCode = code(state.postalCode);
  const hasAddress = city !== null || addressText !== null || postalCode !== null;
  return {
    kind: state.kind,
    prefixId: person ? id(state.prefixId) : null,
    firstName: person ? text(state.firstName) : null,
    lastName: person ? text(state.lastName) : null,
    organizationName: person ? null : text(state.organizationName),
    nationalCode: person ? code(state.nationalCode) : null,
    economicCode: person ? null : code(state.economicCode),
    isCustomer: state.isCustomer,
    isCompetitor: state.isCompetitor,
    isSupplier: state.isSupplier,
    sourceId: id(state.sourceId),
    campaignId: id(state.campaignId),
    responsibleUserId: id(state.responsibleUserId),
    notes: text(state.notes),
    phones: phone !== null ? [{ kind: state.phoneKind, number: phone, isDefault: true }] : [],
    emails: email !== null ? [{ address: email, isDefault: true }] : [],
    addresses: hasAddress ? [{ city, text: addressText ?? "", postalCode, isDefault: true }] : [],
  };
}

const DIRECT: Record<string, FormFieldKey> = {
  kind: "kind",
  prefixId: "prefixId",
  prefix: "prefixId",
  firstName: "firstName",
  lastName: "lastName",
  nationalCode: "nationalCode",
  organizationName: "organizationName",
  economicCode: "economicCode",
  sourceId: "sourceId",
  source: "sourceId",
  campaignId: "campaignId",
  campaign: "campaignId",
  responsibleUserId: "responsibleUserId",
  responsibleUser: "responsibleUserId",
  notes: "notes",
  isCustomer: "roles",
  isCompetitor: "roles",
  isSupplier: "roles",
  roles: "roles",
  "phones.0.number": "phoneNumber",
  "phones.0.kind": "phoneKind",
  "phones.0": "phoneNumber",
  phones: "phoneNumber",
  "emails.0.address": "email",
  "emails.0": "email",
  emails: "email",
  "addresses.0.city": "city",
  "addresses.0.text": "addressText",
  "addresses.0.postalCode": "postalCode",
  "addresses.0": "addressText",
  addresses: "addressText",
};

/** The form control a backend field path refers to, or null when the form has none. */
export function formFieldFor(field: string, kind: IdentityKind): FormFieldKey | null {
  const path = camelPath(field);
  const direct = DIRECT[path];
  if (direct) return direct;
  if (path === "name" || path === "displayName") return kind === "person" ? "lastName" : "organizationName";
  return null;
}

export type MappedErrors = ControlErrors<FormFieldKey>;

/** The errors by control (the form keeps them with useFieldErrors and formFieldFor). */
export function mapFieldErrors(errors: FieldError[], kind: IdentityKind): MappedErrors {
  return groupFieldErrors(errors, (field) => formFieldFor(field, kind));
}

/** The order controls appear in, to focus the first one with an error. */
export const FIELD_ORDER: readonly FormFieldKey[] = [
  "kind",
  "prefixId",
  "firstName",
  "lastName",
  "nationalCode",
  "organizationName",
  "economicCode",
  "roles",
  "sourceId",
  "campaignId",
  "responsibleUserId",
  "phoneNumber",
  "phoneKind",
  "email",
  "city",
  "addressText",
  "postalCode",
  "notes",
];
