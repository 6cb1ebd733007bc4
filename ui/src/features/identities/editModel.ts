// The identity page's Specifications form: every field of an identity, with the
// phone, e-mail and address lists editable row by row. Backend errors arrive with
// list positions in the path ("phones.1.number") and land on that row's control.

import type { IdentityDetail, IdentityInput, IdentityKind, PhoneKind } from "../../lib/types";
import { normalizeDigits } from "../../lib/format";
import { camelPath } from "../../shared/fieldErrors";

export type PhoneRow = { key: number; kind: PhoneKind; number: string; isDefault: boolean };
export type EmailRow = { key: number; address: string; isDefault: boolean };
export type AddressRow = { key: number; city: string; text: string; postalCode: string; isDefault: boolean };

export type IdentityEditState = {
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
  notes: string;
  phones: PhoneRow[];
  emails: EmailRow[];
  addresses: AddressRow[];
};

let nextKey = 1;
/** A stable React key for a new list row. */
export const rowKey = () => nextKey++;

const idText = (id: number | null) => (id === null ? "" : String(id));

export function editStateFromDetail(d: IdentityDetail): IdentityEditState {
  return {
    kind: d.kind,
    prefixId: idText(d.prefixId),
    firstName: d.firstName ?? "",
    lastName: d.lastName ?? "",
    nationalCode: d.nationalCode ?? "",
    organizationName: d.organizationName ?? "",
    economicCode: d.economicCode ?? "",
    isCustomer: d.isCustomer,
    isCompetitor: d.isCompetitor,
    isSupplier: d.isSupplier,
    sourceId: idText(d.sourceId),
    campaignId: idText(d.campaignId),
    responsibleUserId: idText(d.responsibleUserId),
    notes: d.notes ?? "",
    phones: d.phones.map((p) => ({ key: rowKey(), kind: p.kind, number: p.number, isDefault: p.isDefault })),
    emails: d.emails.map((e) => ({ key: rowKey(), address: e.address, isDefault: e.isDefault })),
    addresses: d.addresses.map((a) => ({ key: rowKey(), city: a.city ?? "", text: a.text, postalCode: a.postalCode ?? "", isDefault: a.isDefault })),
  };
}

const text = (value: string): string | null => {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
};
const code = (value: string): string | null => text(normalizeDigits(value));
const id = (value: string): number | null => (value === "" || !Number.isInteger(Number(value)) ? null : Number(value));

/** Exactly one default per list when the list has rows (the first one unless another is chosen). */
function withDefault<T extends { isDefault: boolean }>(rows: T[]): T[] {
  const chosen = Math.max(0, rows.findIndex((r) => r.isDefault));
  return rows.map((r, i) => ({ ...r, isDefault: i === chosen }));
}

/** The IdentityInput for the form. Rows are sent as they are (an empty row is the backend's "required" error on that row). */
export function toIdentityInputFromEdit(s: IdentityEditState): IdentityInput {
  const person = s.kind === "person";
  return {
    kind: s.kind,
    prefixId: person ? id(s.prefixId) : null,
    firstName: person ? text(s.firstName) : null,
    lastName: person ? text(s.lastName) : null,
    organizationName: person ? null : text(s.organizationName),
    nationalCode: person ? code(s.nationalCode) : null,
    economicCode: person ? null : code(s.economicCode),
    isCustomer: s.isCustomer,
    isCompetitor: s.isCompetitor,
    isSupplier: s.isSupplier,
    sourceId: id(s.sourceId),
    campaignId: id(s.campaignId),
    responsibleUserId: id(s.responsibleUserId),
    notes: text(s.notes),
    phones: withDefault(s.phones).map((p) => ({ kind: p.kind, number: normalizeDigits(p.number).trim(), isDefault: p.isDefault })),
    emails: withDefault(s.emails).map((e) => ({ address: e.address.trim(), isDefault: e.isDefault })),
    addresses: withDefault(s.addresses).map((a) => ({ city: text(a.city), text: a.text.trim(), postalCode: code(a.postalCode), isDefault: a.isDefault })),
  };
}

/**
 * The control key a backend path refers to: the path itself ("phones.1.number"),
 * the role flags share "roles", and a bare name error lands on the name control.
 */
export function editFieldFor(field: string, kind: IdentityKind): string {
  const path = camelPath(field);
  if (path === "isCustomer" || path === "isCompetitor" || path === "isSupplier") return "roles";
  if (path === "name" || path === "displayName") return kind === "person" ? "lastName" : "organizationName";
  if (path === "prefix") return "prefixId";
  if (path === "source") return "sourceId";
  if (path === "campaign") return "campaignId";
  if (path === "responsibleUser") return "responsibleUserId";
  return path;
}
