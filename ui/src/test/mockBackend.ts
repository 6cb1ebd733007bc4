// An in-memory stand-in for the Rust commands, for component tests only.
// It answers the same command names and argument shapes as the bindings.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type {
  AppError,
  AppSettings,
  CampaignSummary,
  IdentityDetail,
  IdentityInput,
  IdentityQuery,
  IdentitySummary,
  Page,
  SettingsPatch,
  SystemItem,
  UserSummary,
} from "../bindings";

export type MockBackend = {
  identities: IdentityDetail[];
  settings: AppSettings;
  calls: { cmd: string; args: unknown }[];
  /** When set, the next create_identity answers with this error. */
  nextCreateError: AppError | null;
};

const users: UserSummary[] = [
  { id: 1, username: "admin", displayName: "Admin", role: "admin", active: true },
  { id: 2, username: "sara", displayName: "Sara Karimi", role: "salesperson", active: true },
];

const systemItems: SystemItem[] = [
  { id: 1, list: "person_prefix", key: "mr", titleFa: "آقای", titleEn: "Mr.", sortOrder: 1, active: true },
  { id: 2, list: "person_prefix", key: "ms", titleFa: "خانم", titleEn: "Ms.", sortOrder: 2, active: true },
  { id: 3, list: "source", key: "web", titleFa: "وب‌سایت", titleEn: "Website", sortOrder: 1, active: true },
  { id: 4, list: "source", key: "referral", titleFa: "معرفی", titleEn: "Referral", sortOrder: 2, active: true },
];

const campaigns: CampaignSummary[] = [{ id: 1, name: "Expo 1403", startDate: "2024-05-01", endDate: null, active: true }];

export function makeIdentity(id: number, partial: Partial<IdentityDetail> = {}): IdentityDetail {
  return {
    id,
    kind: "person",
    displayName: `Person ${id}`,
    customerNumber: String(1000 + id),
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

function list(backend: MockBackend, q: IdentityQuery): Page<IdentitySummary> {
  const search = q.search?.toLowerCase() ?? null;
  const matches = backend.identities.filter(
    (i) =>
      (q.kind === null || i.kind === q.kind) &&
      (search === null ||
        i.displayName.toLowerCase().includes(search) ||
        i.customerNumber.includes(search) ||
        (i.phone ?? "").includes(search)),
  );
  const start = (q.page - 1) * q.pageSize;
  return { items: matches.slice(start, start + q.pageSize).map(summary), total: matches.length, page: q.page, pageSize: q.pageSize };
}

function create(backend: MockBackend, input: IdentityInput): IdentityDetail {
  const fields = [];
  if (input.kind === "person" && !input.lastName) fields.push({ field: "lastName", code: "required" as const, min: null, max: null });
  if (input.kind === "organization" && !input.organizationName)
    fields.push({ field: "organizationName", code: "required" as const, min: null, max: null });
  if (fields.length > 0) throw { kind: "validation", fields } satisfies AppError;
  const id = backend.identities.length + 1;
  const displayName = input.kind === "person" ? [input.firstName, input.lastName].filter(Boolean).join(" ") : (input.organizationName ?? "");
  const detail = makeIdentity(id, {
    ...input,
    displayName,
    phone: input.phones[0]?.number ?? null,
    email: input.emails[0]?.address ?? null,
    city: input.addresses[0]?.city ?? null,
    phones: input.phones.map((p, i) => ({ ...p, id: i + 1 })),
    emails: input.emails.map((e, i) => ({ ...e, id: i + 1 })),
    addresses: input.addresses.map((a, i) => ({ ...a, id: i + 1 })),
  });
  backend.identities.unshift(detail);
  return detail;
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
      case "list_system_items":
        return systemItems.filter((s) => s.list === a.list);
      case "list_campaigns":
        return campaigns;
      case "list_users":
        return users;
      case "get_settings":
        return backend.settings;
      case "update_settings": {
        const patch = a.patch as SettingsPatch;
        const next = { ...backend.settings };
        if (patch.language !== null) next.language = patch.language;
        if (patch.calendar !== null) next.calendar = patch.calendar;
        if (patch.currencyCode !== null) next.currencyCode = patch.currencyCode;
        if (patch.currencyDecimals !== null) next.currencyDecimals = patch.currencyDecimals;
        if (patch.taxPercent !== null) next.taxPercent = patch.taxPercent;
        backend.settings = next;
        return next;
      }
      case "app_info":
        return { version: "0.1.0", backend: "sqlite", currentUser: users[0] };
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  });
  return { backend, stop: clearMocks };
}
