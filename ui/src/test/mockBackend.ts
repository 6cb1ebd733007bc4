// An in-memory stand-in for the Rust commands, for component tests only.
// It answers the same command names, argument names and shapes as the generated
// bindings, and refuses input the way the backend does (camelCase field paths).

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type {
  AppError,
  AppInfo,
  AppSettings,
  CampaignSummary,
  ChangeEntry,
  FieldError,
  IdentityDetail,
  IdentityInput,
  IdentityQuery,
  IdentitySummary,
  Page,
  SettingsPatch,
  SystemItem,
  SystemListKey,
  UserSummary,
  ValidationCode,
} from "../lib/types";

export type MockBackend = {
  identities: IdentityDetail[];
  settings: AppSettings;
  calls: { cmd: string; args: unknown }[];
  /** When set, the next create_identity answers with this error. */
  nextCreateError: AppError | null;
};

const users: UserSummary[] = [
  { id: 1, username: "admin", displayName: "Admin", role: "admin", active: true, createdAt: "2024-03-01T08:00:00Z" },
  { id: 2, username: "sara", displayName: "Sara Karimi", role: "salesperson", active: true, createdAt: "2024-03-02T08:00:00Z" },
  { id: 3, username: "old", displayName: "Former Colleague", role: "salesperson", active: false, createdAt: "2024-03-03T08:00:00Z" },
];

const systemItems: SystemItem[] = [
  { id: 1, list: "person_prefix", key: "mr", titleFa: "آقای", titleEn: "Mr.", sortOrder: 1, active: true },
  { id: 2, list: "person_prefix", key: "ms", titleFa: "خانم", titleEn: "Ms.", sortOrder: 2, active: true },
  { id: 3, list: "source", key: "web", titleFa: "وب‌سایت", titleEn: "Website", sortOrder: 1, active: true },
  { id: 4, list: "source", key: "referral", titleFa: "معرفی", titleEn: "Referral", sortOrder: 2, active: true },
  { id: 5, list: "source", key: null, titleFa: "نمایشگاه قدیمی", titleEn: "Old fair", sortOrder: 3, active: false },
];

const campaigns: CampaignSummary[] = [{ id: 1, name: "Expo 1403", startDate: "2024-05-01", endDate: null, active: true, cost: "150000000" }];

export const customerNumberOf = (id: number) => `C${String(id).padStart(5, "0")}`;

export function makeIdentity(id: number, partial: Partial<IdentityDetail> = {}): IdentityDetail {
  return {
    id,
    kind: "person",
    displayName: `Person ${id}`,
    customerNumber: customerNumberOf(id),
    isCustomer: true,
    isCompetitor: false,
    isSupplier: false,
    phone: null,
    email: null,
    city: null,
    createdAt: "2024-03-20T10:00:00Z",
    prefixId: null,
    firstName: null,
    lastName: `Person ${id}`,
    organizationName: null,
    nationalCode: null,
    economicCode: null,
    sourceId: null,
    campaignId: null,
    responsibleUserId: 1,
    notes: null,
    phones: [],
    emails: [],
    addresses: [],
    balance: "0",
    version: 1,
    updatedAt: "2024-03-20T10:00:00Z",
    ...partial,
  };
}

function summary(d: IdentityDetail): IdentitySummary {
  const { id, kind, displayName, customerNumber, isCustomer, isCompetitor, isSupplier, phone, email, city, createdAt } = d;
  return { id, kind, displayName, customerNumber, isCustomer, isCompetitor, isSupplier, phone, email, city, createdAt };
}

/** Roughly the backend's search folding: Persian digits and letter variants, case. */
function fold(text: string): string {
  return text
    .replace(/[\u06F0-\u06F9]/g, (ch) => String(ch.charCodeAt(0) - 0x06f0))
    .replace(/[يى]/g, "ی")
    .replace(/ك/g, "ک")
    .replace(/\u200c/g, " ")
    .toLowerCase();
}

function list(backend: MockBackend, q: IdentityQuery): Page<IdentitySummary> {
  const search = q.search ? fold(q.search.trim()) : null;
  const matches = backend.identities.filter(
    (i) =>
      (q.kind == null || i.kind === q.kind) &&
      (q.role == null ||
        (q.role === "customer" && i.isCustomer) ||
        (q.role === "competitor" && i.isCompetitor) ||
        (q.role === "supplier" && i.isSupplier)) &&
      (search === null ||
        fold(i.displayName).includes(search) ||
        fold(i.customerNumber).includes(search) ||
        i.phones.some((p) => p.number.includes(search)) ||
        i.emails.some((e) => e.address.includes(search))),
  );
  const start = (q.page - 1) * q.pageSize;
  return { items: matches.slice(start, start + q.pageSize).map(summary), total: matches.length, page: q.page, pageSize: q.pageSize };
}

function sameName(backend: MockBackend, name: string, except: number | null): IdentitySummary[] {
  const folded = fold(name.trim());
  if (folded === "") return [];
  return backend.identities
    .filter((i) => i.id !== except && fold(i.displayName) === folded)
    .map((i) => ({ ...summary(i), phone: null, email: null, city: null }));
}

const optionalText = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/** Checks an input like the backend does and returns the stored parts, or throws a validation AppError. */
function validate(input: IdentityInput) {
  const fields: FieldError[] = [];
  const refuse = (field: string, code: ValidationCode) => fields.push({ field, code, min: null, max: null });
  const person = input.kind === "person";
  const firstName = person ? optionalText(input.firstName) : null;
  const lastName = person ? optionalText(input.lastName) : null;
  const organizationName = person ? null : optionalText(input.organizationName);
  if (person && lastName === null) refuse("lastName", "required");
  if (!person && organizationName === null) refuse("organizationName", "required");
  if (input.responsibleUserId != null && !users.some((u) => u.id === input.responsibleUserId && u.active)) {
    refuse("responsibleUserId", "unknown_reference");
  }
  input.phones.forEach((p, i) => {
    if (p.number.trim() === "") refuse(`phones.${i}.number`, "required");
  });
  input.emails.forEach((e, i) => {
    if (e.address.trim() === "") refuse(`emails.${i}.address`, "required");
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.address.trim())) refuse(`emails.${i}.address`, "invalid");
  });
  input.addresses.forEach((a, i) => {
    if (a.text.trim() === "") refuse(`addresses.${i}.text`, "required");
  });
  if (fields.length > 0) throw { kind: "validation", fields } satisfies AppError;
  const displayName = person ? [firstName, lastName].filter((p) => p !== null).join(" ") : (organizationName ?? "");
  return { firstName, lastName, organizationName, displayName };
}

/** The stored record for a valid input (contacts get ids; the first one fills the summary columns). */
function stored(input: IdentityInput, names: ReturnType<typeof validate>) {
  const addresses = input.addresses.map((a, i) => ({
    id: i + 1,
    city: optionalText(a.city),
    text: a.text.trim(),
    postalCode: optionalText(a.postalCode),
    isDefault: a.isDefault,
  }));
  return {
    ...names,
    kind: input.kind,
    prefixId: input.kind === "person" ? (input.prefixId ?? null) : null,
    nationalCode: optionalText(input.nationalCode),
    economicCode: optionalText(input.economicCode),
    isCustomer: input.isCustomer,
    isCompetitor: input.isCompetitor,
    isSupplier: input.isSupplier,
    sourceId: input.sourceId ?? null,
    campaignId: input.campaignId ?? null,
    responsibleUserId: input.responsibleUserId ?? null,
    notes: optionalText(input.notes),
    phone: input.phones[0]?.number.trim() ?? null,
    email: input.emails[0]?.address.trim().toLowerCase() ?? null,
    city: addresses[0]?.city ?? null,
    phones: input.phones.map((p, i) => ({ ...p, number: p.number.trim(), id: i + 1 })),
    emails: input.emails.map((e, i) => ({ ...e, address: e.address.trim().toLowerCase(), id: i + 1 })),
    addresses,
  } satisfies Partial<IdentityDetail>;
}

function create(backend: MockBackend, input: IdentityInput): IdentityDetail {
  const names = validate(input);
  const id = Math.max(0, ...backend.identities.map((i) => i.id)) + 1;
  const now = new Date().toISOString();
  const detail = makeIdentity(id, { ...stored(input, names), createdAt: now, updatedAt: now });
  backend.identities.unshift(detail);
  return detail;
}

function update(backend: MockBackend, id: number, version: number, input: IdentityInput): IdentityDetail {
  const index = backend.identities.findIndex((i) => i.id === id);
  const current = backend.identities[index];
  if (!current) throw { kind: "not_found", entity: "identity", id: String(id) } satisfies AppError;
  if (current.version !== version) throw { kind: "conflict", entity: "identity", id: String(id) } satisfies AppError;
  const names = validate(input);
  const next: IdentityDetail = { ...current, ...stored(input, names), version: version + 1, updatedAt: new Date().toISOString() };
  backend.identities[index] = next;
  return next;
}

function updateSettings(backend: MockBackend, patch: SettingsPatch): AppSettings {
  const next = { ...backend.settings };
  if (patch.language != null) next.language = patch.language;
  if (patch.calendar != null) next.calendar = patch.calendar;
  if (patch.currencyCode != null) next.currencyCode = patch.currencyCode;
  if (patch.currencyDecimals != null) next.currencyDecimals = patch.currencyDecimals;
  if (patch.taxPercent != null) next.taxPercent = patch.taxPercent;
  backend.settings = next;
  return next;
}

/** Installs the fake backend behind @tauri-apps/api's invoke. Call `clearMocks` (or the returned stop) after. */
export function installMockBackend(initial: Partial<Pick<MockBackend, "identities" | "settings">> = {}) {
  const backend: MockBackend = {
    identities: initial.identities ?? [],
    settings: initial.settings ?? { language: "fa", calendar: "jalali", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
    calls: [],
    nextCreateError: null,
  };
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    backend.calls.push({ cmd, args });
    switch (cmd) {
      case "app_info":
        return { version: "0.1.0", backend: "sqlite", currentUser: users[0] } satisfies AppInfo;
      case "get_settings":
        return backend.settings;
      case "update_settings":
        return updateSettings(backend, a.patch as SettingsPatch);
      case "record_changes":
        return [] satisfies ChangeEntry[];
      case "list_identities":
        return list(backend, a.query as IdentityQuery);
      case "get_identity": {
        const found = backend.identities.find((i) => i.id === a.id);
        if (!found) throw { kind: "not_found", entity: "identity", id: String(a.id) } satisfies AppError;
        return found;
      }
      case "create_identity": {
        if (backend.nextCreateError) {
          const error = backend.nextCreateError;
          backend.nextCreateError = null;
          throw error;
        }
        return create(backend, a.input as IdentityInput);
      }
      case "update_identity":
        return update(backend, a.id as number, a.version as number, a.input as IdentityInput);
      case "identities_with_same_name":
        return sameName(backend, a.name as string, (a.except as number | null) ?? null);
      case "list_system_items":
        return systemItems.filter((s) => s.list === (a.list as SystemListKey) && (a.includeInactive === true || s.active));
      case "list_campaigns":
        return campaigns;
      case "list_users":
        return users.filter((u) => a.includeInactive === true || u.active);
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  });
  return { backend, stop: clearMocks };
}
