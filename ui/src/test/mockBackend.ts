// An in-memory stand-in for the Rust commands, for component tests only.
// It answers the same command names, argument names and shapes as the generated
// bindings, and refuses input the way the backend does (camelCase field paths).

import { isKnownTimeZone } from "../lib/clock";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type {
  AppError,
  AppInfo,
  AppSettings,
  CampaignSummary,
  ChangeEntry,
  CustomFieldDef,
  CustomFieldEntity,
  FieldError,
  IdentityDetail,
  IdentityInput,
  IdentityQuery,
  IdentitySummary,
  OpportunityDetail,
  OpportunityInput,
  Page,
  RecordRow,
  Session,
  SettingsPatch,
  Stage,
  SystemItem,
  SystemListKey,
  UserSummary,
  ValidationCode,
} from "../lib/types";
import { applyOpportunityLines, catalogueCommand, isCatalogueCommand, resetCatalogueMock } from "./mockCatalogue";
import { PIPELINE_COMMANDS, pipelineCommand } from "./mockPipeline";
import { isTransferCommand, resetTransferMock, transferCommand } from "./mockTransfer";
import { backupCommand, isBackupCommand, resetBackupMock } from "./mockBackup";
import { followupCommand, isFollowupCommand, resetFollowupMock } from "./mockFollowup";
import { activityCommand, isActivityCommand, resetActivitiesMock } from "./mockActivities";
import { desktopCommand, isDesktopCommand, resetDesktopMock } from "./mockDesktop";

export type MockBackend = {
  identities: IdentityDetail[];
  opportunities: OpportunityDetail[];
  /** Financial records by identity (the opportunities' rows are derived). */
  financialRecords: (RecordRow & { identityId: number; parentId: number | null })[];
  customFields: CustomFieldDef[];
  changes: Record<string, ChangeEntry[]>;
  settings: AppSettings;
  calls: { cmd: string; args: unknown }[];
  /** When set, the next create_identity answers with this error. */
  nextCreateError: AppError | null;
  /** When set, the next create/update/delete of an opportunity answers with this error. */
  nextOpportunityError: AppError | null;
  /** Per-user remembered values (get_user_value / set_user_value). */
  userValues: Map<string, string>;
  /** Report tickets the window called off (`report_cancel`). */
  cancelledTickets: string[];
  /** "Today" of the pipeline commands (overdue, days open, the closed window). */
  today: string;
};

const users: UserSummary[] = [
  { id: 1, username: "admin", displayName: "Admin", role: "admin", active: true, createdAt: "2024-03-01T08:00:00Z", version: 1 },
  { id: 2, username: "sara", displayName: "Sara Karimi", role: "salesperson", active: true, createdAt: "2024-03-02T08:00:00Z", version: 1 },
  { id: 3, username: "old", displayName: "Former Colleague", role: "salesperson", active: false, createdAt: "2024-03-03T08:00:00Z", version: 1 },
];

const systemItems: SystemItem[] = [
  { id: 1, list: "person_prefix", key: "mr", titleFa: "آقای", titleEn: "Mr.", sortOrder: 1, active: true, version: 1, pipelineId: null },
  { id: 2, list: "person_prefix", key: "ms", titleFa: "خانم", titleEn: "Ms.", sortOrder: 2, active: true, version: 1, pipelineId: null },
  { id: 3, list: "source", key: "web", titleFa: "وب‌سایت", titleEn: "Website", sortOrder: 1, active: true, version: 1, pipelineId: null },
  { id: 4, list: "source", key: "referral", titleFa: "معرفی", titleEn: "Referral", sortOrder: 2, active: true, version: 1, pipelineId: null },
  { id: 5, list: "source", key: null, titleFa: "نمایشگاه قدیمی", titleEn: "Old fair", sortOrder: 3, active: false, version: 1, pipelineId: null },
  { id: 10, list: "opportunity_type", key: "standard", titleFa: "استاندارد", titleEn: "Standard", sortOrder: 1, active: true, version: 1, pipelineId: null },
  { id: 11, list: "opportunity_type", key: "bulk", titleFa: "سفارش انبوه", titleEn: "Bulk order", sortOrder: 2, active: true, version: 1, pipelineId: null },
  { id: 20, list: "win_reason", key: "price", titleFa: "قیمت مناسب", titleEn: "Good price", sortOrder: 1, active: true, version: 1, pipelineId: null },
  { id: 21, list: "loss_reason", key: "price", titleFa: "قیمت بالا", titleEn: "Price too high", sortOrder: 1, active: true, version: 1, pipelineId: null },
  { id: 30, list: "purchase_process", key: "individual", titleFa: "تصمیم فردی", titleEn: "Individual decision", sortOrder: 1, active: true, version: 1, pipelineId: null },
  { id: 31, list: "purchase_process", key: "group", titleFa: "تصمیم گروهی", titleEn: "Group decision", sortOrder: 2, active: true, version: 1, pipelineId: null },
];

export const stages: Stage[] = [
  { id: 1, key: "contact", titleFa: "برقراری ارتباط", titleEn: "Establishing contact", kind: "open", sortOrder: 1, active: true, defaultProbability: 10, version: 1, pipelineId: 1 },
  { id: 2, key: "needs", titleFa: "نیازسنجی", titleEn: "Needs analysis", kind: "open", sortOrder: 2, active: true, defaultProbability: 25, version: 1, pipelineId: 1 },
  { id: 3, key: "negotiation", titleFa: "مذاکره", titleEn: "Negotiation", kind: "open", sortOrder: 3, active: true, defaultProbability: 60, version: 1, pipelineId: 1 },
  { id: 4, key: "won", titleFa: "موفق", titleEn: "Won", kind: "won", sortOrder: 4, active: true, defaultProbability: null, version: 1, pipelineId: 1 },
  { id: 5, key: "lost", titleFa: "ناموفق", titleEn: "Lost", kind: "lost", sortOrder: 5, active: true, defaultProbability: null, version: 1, pipelineId: 1 },
];

const campaigns: CampaignSummary[] = [{ id: 1, name: "Expo 1403", startDate: "2024-05-01", endDate: null, active: true, cost: "150000000", description: null, opportunityCount: 0, version: 1 }];

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

export function makeOpportunity(id: number, identity: IdentityDetail, partial: Partial<OpportunityDetail> = {}): OpportunityDetail {
  return {
    id,
    identityId: identity.id,
    identityName: identity.displayName,
    balance: "0",
    title: `Opportunity ${id}`,
    assignedUserId: 1,
    typeId: 10,
    sourceId: 3,
    campaignId: null,
    closeDate: null,
    overdue: false,
    estimatedAmount: "0",
    amountIsManual: false,
    probability: 10,
    probabilityIsManual: false,
    expectedAmount: "0",
    winReasonId: null,
    lossReasonId: null,
    reasonNote: null,
    purchaseProcessId: null,
    wonOn: null,
    lostOn: null,
    daysToClose: null,
    customFields: [],
    competitors: [],
    lines: [],
    lineTotals: { sum: "0", discount: "0", tax: "0", total: "0" },
    realizedAmount: "0",
    stageId: 1,
    stageKind: "open",
    stageHistory: [{ fromStageId: null, toStageId: 1, changedAt: "2024-04-01T09:00:00Z", changedBy: "Admin" }],
    version: 1,
    createdAt: "2024-04-01T09:00:00Z",
    createdBy: "Admin",
    updatedAt: "2024-04-01T09:00:00Z",
    updatedBy: "Admin",
    ...partial,
  };
}

/** Roughly the backend's opportunity rules (required fields, reasons, probability, read-only dates). */
function saveOpportunity(backend: MockBackend, input: OpportunityInput, old: OpportunityDetail | null): OpportunityDetail {
  const fields: FieldError[] = [];
  const refuse = (field: string, code: ValidationCode, min: string | null = null, max: string | null = null) => fields.push({ field, code, min, max });
  const identity = backend.identities.find((i) => i.id === input.identityId);
  if (!identity) refuse("identityId", "unknown_reference");
  if (input.title.trim() === "") refuse("title", "required");
  if (input.typeId == null) refuse("typeId", "required");
  if (input.sourceId == null) refuse("sourceId", "required");
  const stage = stages.find((st) => st.id === input.stageId);
  if (!stage) refuse("stageId", "unknown_reference");
  const kind = stage?.kind ?? "open";
  const typed = input.probability?.trim() ? Number(input.probability) : null;
  if (typed !== null && (!Number.isInteger(typed) || typed < 0 || typed > 100)) refuse("probability", "out_of_range", "0", "100");
  const manual = input.probabilityIsManual && typed !== null;
  const probability = kind === "won" ? 100 : kind === "lost" ? 0 : manual ? (typed ?? 0) : (stage?.defaultProbability ?? typed ?? 0);
  if (kind !== "won" && input.winReasonId != null && input.winReasonId !== old?.winReasonId) refuse("winReasonId", "not_allowed");
  if (kind !== "lost" && input.lossReasonId != null && input.lossReasonId !== old?.lossReasonId) refuse("lossReasonId", "not_allowed");
  if (kind === "won" && input.winReasonId == null) refuse("winReasonId", "required");
  if (kind === "lost" && input.lossReasonId == null) refuse("lossReasonId", "required");
  if ((input.wonOn ?? null) !== (old?.wonOn ?? null)) refuse("wonOn", "read_only");
  if ((input.lostOn ?? null) !== (old?.lostOn ?? null)) refuse("lostOn", "read_only");
  for (const def of backend.customFields.filter((d) => d.active)) {
    const value = input.customFields.find((c) => c.fieldId === def.id)?.value?.trim();
    if (def.required && !value) refuse(`customFields.${def.id}`, "required");
  }
  if (fields.length > 0) throw { kind: "validation", fields } satisfies AppError;
  const now = new Date().toISOString();
  const today = now.slice(0, 10);
  const id = old?.id ?? Math.max(0, ...backend.opportunities.map((o) => o.id)) + 1;
  const stageChanged = old?.stageId !== input.stageId;
  return makeOpportunity(id, identity as IdentityDetail, {
    ...(old ?? {}),
    title: input.title.trim(),
    assignedUserId: input.assignedUserId ?? null,
    typeId: input.typeId as number,
    sourceId: input.sourceId as number,
    campaignId: input.campaignId ?? null,
    closeDate: input.closeDate ?? null,
    estimatedAmount: input.estimatedAmount,
    amountIsManual: input.amountIsManual,
    probability,
    probabilityIsManual: manual && kind === "open",
    winReasonId: kind === "won" ? (input.winReasonId ?? null) : null,
    lossReasonId: kind === "lost" ? (input.lossReasonId ?? null) : null,
    reasonNote: kind === "open" ? null : (input.reasonNote ?? null),
    purchaseProcessId: input.purchaseProcessId ?? null,
    wonOn: kind === "won" ? (old?.wonOn ?? today) : null,
    lostOn: kind === "lost" ? (old?.lostOn ?? today) : null,
    customFields: input.customFields.map((c) => ({ fieldId: c.fieldId, value: c.value ?? null })),
    competitors: input.competitors.map((c) => ({
      competitorId: c.competitorId,
      name: backend.identities.find((i) => i.id === c.competitorId)?.displayName ?? "?",
      note: c.note ?? null,
    })),
    stageId: input.stageId,
    stageKind: kind,
    stageHistory: stageChanged
      ? [...(old?.stageHistory ?? []), { fromStageId: old?.stageId ?? null, toStageId: input.stageId, changedAt: now, changedBy: "Admin" }]
      : (old?.stageHistory ?? []),
    version: (old?.version ?? 0) + 1,
    createdAt: old?.createdAt ?? now,
    updatedAt: now,
  });
}

function opportunityRow(o: OpportunityDetail): RecordRow {
  return { kind: "opportunity", id: o.id, title: o.title, number: null, stageId: o.stageId, status: null, amount: o.estimatedAmount, date: o.createdAt.slice(0, 10), createdAt: o.createdAt };
}

function takeOpportunityError(backend: MockBackend) {
  const error = backend.nextOpportunityError;
  if (error) {
    backend.nextOpportunityError = null;
    throw error;
  }
}

function findOpportunity(backend: MockBackend, id: unknown): OpportunityDetail {
  const found = backend.opportunities.find((o) => o.id === id);
  if (!found) throw { kind: "not_found", entity: "opportunity", id: String(id) } satisfies AppError;
  return found;
}

/** The settings a fresh backend starts with (tests may override any of them). */
export const DEFAULT_SETTINGS: AppSettings = {
  language: "fa",
  calendar: "jalali",
  currencyCode: "IRR",
  currencyDecimals: 0,
  taxPercent: "10",
  companyName: "",
  companyHeader: "",
  numbering: [
    { kind: "identity", template: "C-{seq:5}" },
    { kind: "proforma", template: "PF-{jy}-{seq:4}" },
    { kind: "invoice", template: "INV-{jy}-{seq:4}" },
    { kind: "sales_return", template: "SR-{jy}-{seq:4}" },
    { kind: "receipt", template: "RC-{jy}-{seq:4}" },
    { kind: "payment", template: "PY-{jy}-{seq:4}" },
    { kind: "contract", template: "CT-{jy}-{seq:4}" },
  ],
  timeZone: "UTC",
  timeZoneConfigured: false,
  updatesAllowed: true,
  checkUpdatesAtStart: true,
};

const NUMBERING_KINDS = new Set(["identity", "proforma", "invoice", "sales_return", "receipt", "payment", "contract"]);

function updateSettings(backend: MockBackend, patch: SettingsPatch): AppSettings {
  // Like the backend: everything but language, calendar and the update check after
  // signing in is for administrators.
  const business =
    patch.currencyCode != null ||
    patch.currencyDecimals != null ||
    patch.taxPercent != null ||
    patch.companyName != null ||
    patch.companyHeader != null ||
    patch.numbering != null ||
    patch.timeZone != null ||
    patch.updatesAllowed != null;
  if (business) requireAdmin("settings_admin_only");
  const v = refusals();
  const next = { ...backend.settings };
  if (patch.language != null) next.language = patch.language;
  if (patch.calendar != null) next.calendar = patch.calendar;
  if (patch.checkUpdatesAtStart != null) next.checkUpdatesAtStart = patch.checkUpdatesAtStart;
  if (patch.updatesAllowed != null) next.updatesAllowed = patch.updatesAllowed;
  if (patch.timeZone != null) {
    const zone = patch.timeZone.trim();
    if (zone === "") {
      next.timeZone = "UTC";
      next.timeZoneConfigured = false;
    } else if (!isKnownTimeZone(zone)) {
      v.push("timeZone", "invalid");
    } else {
      next.timeZone = zone;
      next.timeZoneConfigured = true;
    }
  }
  if (patch.currencyCode != null) {
    if (!/^[A-Z]{3}$/.test(patch.currencyCode)) v.push("currencyCode", "invalid");
    next.currencyCode = patch.currencyCode;
  }
  if (patch.currencyDecimals != null) {
    if (!Number.isInteger(patch.currencyDecimals) || patch.currencyDecimals < 0 || patch.currencyDecimals > 4) v.push("currencyDecimals", "out_of_range", "0", "4");
    next.currencyDecimals = patch.currencyDecimals;
  }
  if (patch.taxPercent != null) {
    const tax = patch.taxPercent.trim();
    if (!/^\d+(\.\d+)?$/.test(tax)) v.push("taxPercent", "invalid");
    else if (Number(tax) > 100) v.push("taxPercent", "out_of_range", "0", "100");
    next.taxPercent = tax;
  }
  if (patch.companyName != null) {
    if (patch.companyName.length > 200) v.push("companyName", "too_long", null, "200");
    next.companyName = patch.companyName;
  }
  if (patch.companyHeader != null) {
    if (patch.companyHeader.length > 1000) v.push("companyHeader", "too_long", null, "1000");
    next.companyHeader = patch.companyHeader;
  }
  if (patch.numbering != null) {
    patch.numbering.forEach((n, i) => {
      if (!NUMBERING_KINDS.has(n.kind)) v.push(`numbering.${i}.kind`, "invalid");
      if (n.template.trim() === "") v.push(`numbering.${i}.template`, "required");
      else if (!/\{seq(:\d)?\}/.test(n.template)) v.push(`numbering.${i}.template`, "invalid");
    });
    const kept = next.numbering.filter((old) => !patch.numbering?.some((n) => n.kind === old.kind));
    next.numbering = [...kept, ...patch.numbering.map((n) => ({ kind: n.kind, template: n.template.trim() }))];
  }
  v.finish();
  backend.settings = next;
  return next;
}

/** Installs the fake backend behind @tauri-apps/api's invoke. Call `clearMocks` (or the returned stop) after. */
export function installMockBackend(
  initial: Partial<Pick<MockBackend, "identities" | "opportunities" | "customFields" | "financialRecords" | "changes">> & { settings?: Partial<AppSettings> } = {},
) {
  const backend: MockBackend = {
    identities: initial.identities ?? [],
    opportunities: initial.opportunities ?? [],
    financialRecords: initial.financialRecords ?? [],
    customFields: initial.customFields ?? [],
    changes: initial.changes ?? {},
    settings: { ...DEFAULT_SETTINGS, ...initial.settings },
    calls: [],
    nextCreateError: null,
    nextOpportunityError: null,
    userValues: new Map(),
    cancelledTickets: [],
    today: "2025-03-20",
  };
  resetAdminMock();
  resetCatalogueMock();
  resetTransferMock();
  resetBackupMock();
  resetFollowupMock();
  resetActivitiesMock();
  resetDesktopMock();
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    backend.calls.push({ cmd, args });
    if (SESSION_COMMANDS.has(cmd)) return sessionCommand(cmd, a);
    // Like the backend: the desktop program's commands answer before anyone signs in too.
    if (isDesktopCommand(cmd)) return desktopCommand(cmd, a, backend.settings);
    // Like the backend: nothing but the session answers while nobody is signed in.
    if (adminMock.signedInUserId === null) throw { kind: "forbidden", reason: "not_signed_in" } satisfies AppError;
    switch (cmd) {
      case "app_info":
        return { version: "0.1.0", backend: adminMock.server ? "postgres" : "sqlite", currentUser: actingUser() } satisfies AppInfo;
      case "get_settings":
        return backend.settings;
      case "update_settings":
        return updateSettings(backend, a.patch as SettingsPatch);
      case "record_changes":
        return (backend.changes[`${String(a.entity)}:${String(a.id)}`] ?? []) satisfies ChangeEntry[];
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
      case "list_stages":
        return stages.filter((st) => a.includeInactive === true || st.active);
      case "list_pipelines":
        return [{ id: 1, nameFa: "فروش", nameEn: "Sales", sortOrder: 1, active: true, version: 1, pipelineId: null }];
      case "list_custom_fields":
        return backend.customFields.filter((d) => d.entity === (a.entity as CustomFieldEntity) && (a.includeInactive === true || d.active));
      case "get_opportunity":
        return findOpportunity(backend, a.id);
      case "create_opportunity": {
        takeOpportunityError(backend);
        const created = applyOpportunityLines(backend, a.input as OpportunityInput, saveOpportunity(backend, a.input as OpportunityInput, null), null);
        backend.opportunities.push(created);
        return created;
      }
      case "update_opportunity": {
        takeOpportunityError(backend);
        const old = findOpportunity(backend, a.id);
        if (old.version !== a.version) throw { kind: "conflict", entity: "opportunity", id: String(a.id) } satisfies AppError;
        const saved = applyOpportunityLines(backend, a.input as OpportunityInput, saveOpportunity(backend, a.input as OpportunityInput, old), old);
        backend.opportunities = backend.opportunities.map((o) => (o.id === saved.id ? saved : o));
        return saved;
      }
      case "delete_opportunity": {
        takeOpportunityError(backend);
        const old = findOpportunity(backend, a.id);
        if (old.version !== a.version) throw { kind: "conflict", entity: "opportunity", id: String(a.id) } satisfies AppError;
        backend.opportunities = backend.opportunities.filter((o) => o.id !== old.id);
        return null;
      }
      case "identity_records": {
        const rows: RecordRow[] = [
          ...backend.opportunities.filter((o) => o.identityId === a.identityId).map(opportunityRow),
          ...backend.financialRecords.filter((r) => r.identityId === a.identityId).map(({ identityId: _i, parentId: _p, ...row }) => row),
        ];
        return rows.sort((x, y) => y.createdAt.localeCompare(x.createdAt));
      }
      case "opportunity_records":
        return backend.financialRecords.filter((r) => r.parentId === a.opportunityId).map(({ identityId: _i, parentId: _p, ...row }) => row);
      case "report_sales_status":
        return salesStatus(backend, a.filter as ReportFilter);
      case "report_win_loss":
        return winLoss(backend, a.filter as ReportFilter);
      case "report_campaigns":
        return campaignsReport(backend, a.filter as ReportFilter);
      case "report_durations":
        return durationsReport(backend, a.filter as ReportFilter);
      case "report_competitors":
        return competitorsReport(backend, a.filter as ReportFilter);
      case "report_stage_history":
        return stageHistoryReport(backend, a.filter as ReportFilter);
      case "report_forecast":
        return forecastReport(backend, a.filter as ReportFilter, a.calendar as Calendar);
      case "report_dashboard":
        return dashboardReport(backend, a.filter as ReportFilter, a.calendar as Calendar);
      case "report_cancel":
        backend.cancelledTickets.push(a.ticket as string);
        return null;
      default:
        if (PIPELINE_COMMANDS.has(cmd)) {
          return pipelineCommand(
            {
              opportunities: backend.opportunities,
              stages,
              users,
              campaigns,
              userValues: backend.userValues,
              today: backend.today,
              replace: (next) => {
                backend.opportunities = backend.opportunities.map((o) => (o.id === next.id ? next : o));
              },
            },
            cmd,
            a,
          );
        }
        if (isCatalogueCommand(cmd)) return catalogueCommand(backend, cmd, a);
        if (isTransferCommand(cmd)) return transferCommand(backend, cmd, a);
        if (isBackupCommand(cmd)) return backupCommand(cmd, a, sessionOf());
        if (isActivityCommand(cmd, a)) return activityCommand({ userId: actingUser().id, users, identities: backend.identities, opportunities: backend.opportunities, today: backend.today }, cmd, a);
        if (isFollowupCommand(cmd)) return followupCommand({ userId: actingUser().id, users, opportunities: backend.opportunities, today: backend.today }, cmd, a);
        return adminCommand(backend, cmd, a);
    }
    // Tauri's event plugin (listen / emit) is answered by the mock itself.
  }, { shouldMockEvents: true });
  return { backend, stop: clearMocks };
}

// ------------------------------------------------ administration (Settings)
//
// The reference lists above are shared module data; each install puts them back
// as they were, so one test's additions never leak into the next. Like the real
// backend, system list values and custom fields keep a version that they do not
// send back.

import type { CampaignInput, ChoiceOption, CustomFieldInput, CustomFieldType, StageInput, SystemItemInput, UserInput } from "../lib/types";

const clone = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const INITIAL_USERS = clone(users);
const INITIAL_SYSTEM_ITEMS = clone(systemItems);
const INITIAL_STAGES = clone(stages);
const INITIAL_CAMPAIGNS = clone(campaigns);

/** Test hooks of the administration commands. */
export const adminMock = {
  /** The signed-in user (null: the sign-in screen); sign_in / sign_out change it. */
  signedInUserId: 1 as number | null,
  /** Passwords by user id; a user without one signs in with an empty password. */
  passwords: new Map<number, string>(),
  /** The demo company's shared password, when the database holds the demo. */
  demoPassword: null as string | null,
  /** The team server ("host:port/db"), when the app works on one. */
  server: null as string | null,
  /** When set, the next sign_in answers with this error (e.g. an unreachable server). */
  nextSignInError: null as AppError | null,
  /** Records that use a list value besides opportunities and identities (e.g. products). */
  extraItemUsage: {} as Record<number, number>,
  /** Hidden versions of list values and custom fields (1 when absent). */
  itemVersions: new Map<number, number>(),
  fieldVersions: new Map<number, number>(),
  /** When set, the next administration command answers with this error. */
  nextError: null as AppError | null,
};

function resetAdminMock() {
  users.splice(0, users.length, ...clone(INITIAL_USERS));
  systemItems.splice(0, systemItems.length, ...clone(INITIAL_SYSTEM_ITEMS));
  stages.splice(0, stages.length, ...clone(INITIAL_STAGES));
  campaigns.splice(0, campaigns.length, ...clone(INITIAL_CAMPAIGNS));
  adminMock.signedInUserId = 1;
  adminMock.passwords = new Map(INITIAL_PASSWORDS);
  adminMock.demoPassword = null;
  adminMock.server = null;
  adminMock.nextSignInError = null;
  adminMock.extraItemUsage = {};
  adminMock.itemVersions = new Map();
  adminMock.fieldVersions = new Map();
  adminMock.nextError = null;
}

type Refusals = { push: (field: string, code: ValidationCode, min?: string | null, max?: string | null) => void; finish: () => void };

function refusals(): Refusals {
  const fields: FieldError[] = [];
  return {
    push: (field, code, min = null, max = null) => fields.push({ field, code, min, max }),
    finish: () => {
      if (fields.length > 0) throw { kind: "validation", fields } satisfies AppError;
    },
  };
}

const refuse = (field: string, code: ValidationCode, max: string | null = null): AppError => ({ kind: "validation", fields: [{ field, code, min: null, max }] });
const notFound = (entity: string, id: unknown): AppError => ({ kind: "not_found", entity, id: String(id) });
const conflict = (entity: string, id: unknown): AppError => ({ kind: "conflict", entity, id: String(id) });

function actingUser(): UserSummary {
  return users.find((u) => u.id === adminMock.signedInUserId) ?? (users[0] as UserSummary);
}

// ------------------------------------------------ signing in
//
// Like the backend: the session answers without a signed-in user; a wrong username,
// a wrong password and a deactivated account are the same refusal; a user without
// a password signs in with an empty one (and is asked to set one, this computer only).

/** The mock's users' first passwords (the administrator and Sara have one). */
export const MOCK_PASSWORDS: Readonly<Record<string, string>> = { admin: "admin-secret", sara: "sara-secret" };
const INITIAL_PASSWORDS: [number, string][] = [
  [1, MOCK_PASSWORDS.admin as string],
  [2, MOCK_PASSWORDS.sara as string],
];

const SESSION_COMMANDS = new Set(["session", "sign_in", "sign_out", "set_password"]);

function sessionOf(): Session {
  const user = adminMock.signedInUserId === null ? null : (users.find((u) => u.id === adminMock.signedInUserId) ?? null);
  return {
    user,
    needsPassword: user !== null && adminMock.server === null && !adminMock.passwords.has(user.id),
    backend: adminMock.server ? "postgres" : "sqlite",
    server: adminMock.server,
    demo: adminMock.demoPassword === null ? null : { password: adminMock.demoPassword, users: users.filter((u) => u.active) },
    choosing: false,
    unreachable: null,
    connection: null,
    canChangePlace: false,
    notice: null,
  };
}

function checkPassword(v: Refusals, field: string, password: string) {
  const n = [...password].length;
  if (n === 0) v.push(field, "required");
  else if (n < 8) v.push(field, "too_short", "8");
  else if (n > 200) v.push(field, "too_long", null, "200");
}

function sessionCommand(cmd: string, a: Record<string, unknown>): Session {
  switch (cmd) {
    case "sign_in": {
      if (adminMock.nextSignInError) {
        const error = adminMock.nextSignInError;
        adminMock.nextSignInError = null;
        throw error;
      }
      const username = String(a.username).trim().toLowerCase();
      const password = String(a.password);
      const user = users.find((u) => u.username === username);
      const stored = user ? adminMock.passwords.get(user.id) : undefined;
      const ok = user !== undefined && user.active && (stored === undefined ? password === "" : stored === password);
      if (!ok || !user) throw { kind: "forbidden", reason: "wrong_credentials" } satisfies AppError;
      adminMock.signedInUserId = user.id;
      return sessionOf();
    }
    case "sign_out":
      adminMock.signedInUserId = null;
      return sessionOf();
    case "set_password": {
      if (adminMock.signedInUserId === null) throw { kind: "forbidden", reason: "not_signed_in" } satisfies AppError;
      const actor = actingUser();
      const userId = a.userId as number;
      if (actor.role !== "admin" && actor.id !== userId) throw { kind: "forbidden", reason: "users_admin_only" } satisfies AppError;
      const v = refusals();
      checkPassword(v, "password", String(a.password));
      v.finish();
      if (!users.some((u) => u.id === userId)) throw notFound("user", userId);
      adminMock.passwords.set(userId, String(a.password));
      return sessionOf();
    }
    default:
      return sessionOf();
  }
}

function requireAdmin(reason = "personalization_admin_only") {
  if (actingUser().role !== "admin") throw { kind: "forbidden", reason } satisfies AppError;
}

function requiredText(v: Refusals, field: string, value: string | null | undefined): string {
  const text = value?.trim() ?? "";
  if (text === "") v.push(field, "required");
  return text;
}

function itemUsage(backend: MockBackend, id: number): number {
  const o = backend.opportunities.filter((x) => [x.typeId, x.sourceId, x.winReasonId, x.lossReasonId, x.purchaseProcessId].includes(id)).length;
  const i = backend.identities.filter((x) => x.sourceId === id || x.prefixId === id).length;
  return o + i + (adminMock.extraItemUsage[id] ?? 0);
}

function stageHolding(backend: MockBackend, id: number): number {
  return backend.opportunities.filter((o) => o.stageId === id).length;
}

/** At least one other active stage of a won / lost stage's kind must remain. */
function keepOutcomes(stage: Stage) {
  if (stage.kind === "open") return;
  if (!stages.some((s) => s.id !== stage.id && s.active && s.kind === stage.kind)) throw refuse("id", "not_allowed");
}

function moveOpportunities(backend: MockBackend, from: Stage, to: number | null | undefined): number {
  const held = stageHolding(backend, from.id);
  if (held === 0) return 0;
  if (to == null) throw refuse("replacementStageId", "required");
  const target = stages.find((s) => s.id === to);
  if (!target || target.id === from.id || !target.active || target.kind !== from.kind) throw refuse("replacementStageId", "invalid");
  backend.opportunities = backend.opportunities.map((o) => (o.stageId === from.id ? { ...o, stageId: to, version: o.version + 1 } : o));
  return held;
}

function validStage(input: StageInput) {
  const v = refusals();
  const titleFa = requiredText(v, "titleFa", input.titleFa);
  const titleEn = requiredText(v, "titleEn", input.titleEn);
  const p = input.defaultProbability ?? null;
  if (p !== null && input.kind !== "open") v.push("defaultProbability", "not_allowed");
  if (p !== null && input.kind === "open" && (p < 0 || p > 100)) v.push("defaultProbability", "out_of_range", "0", "100");
  v.finish();
  return { titleFa, titleEn, kind: input.kind, active: input.active, defaultProbability: input.kind === "open" ? p : null };
}

function sameIds(given: number[], current: number[]) {
  if ([...given].sort((x, y) => x - y).join() !== [...current].sort((x, y) => x - y).join()) throw refuse("ids", "invalid");
}

/** Whether a stored value reads as the field's type (the backend converts on a type change). */
function fits(type: CustomFieldType, value: string, options: ChoiceOption[]): boolean {
  switch (type) {
    case "number":
    case "money":
      return /^-?\d+(\.\d+)?$/.test(value.trim());
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
    case "yes_no":
      return value === "true" || value === "false";
    case "choice":
      return options.some((o) => o.key === value);
    case "user":
    case "identity":
      return /^\d+$/.test(value);
    default:
      return true;
  }
}

function saveCustomField(backend: MockBackend, input: CustomFieldInput, old: CustomFieldDef | null): CustomFieldDef {
  requireAdmin();
  if (!old && backend.customFields.filter((d) => d.entity === input.entity).length >= 200) throw refuse("entity", "too_long", "200");
  if (old && old.entity !== input.entity) throw refuse("entity", "read_only");
  const v = refusals();
  const titleFa = requiredText(v, "titleFa", input.titleFa);
  const titleEn = requiredText(v, "titleEn", input.titleEn);
  if (input.fieldType === "choice") {
    if (input.options.length === 0) v.push("options", "required");
    const keys = new Set<string>();
    input.options.forEach((o, i) => {
      if (o.key.trim() === "") v.push(`options.${i}.key`, "required");
      else if (keys.has(o.key.trim())) v.push(`options.${i}.key`, "duplicate");
      keys.add(o.key.trim());
      requiredText(v, `options.${i}.fa`, o.fa);
      requiredText(v, `options.${i}.en`, o.en);
    });
  }
  v.finish();
  const id = old?.id ?? Math.max(0, ...backend.customFields.map((d) => d.id)) + 1;
  const options = input.fieldType === "choice" ? input.options : [];
  // Only opportunities carry values in this stand-in; identities always lack them.
  const valuesOf = (o: OpportunityDetail) => o.customFields.find((c) => c.fieldId === id)?.value ?? null;
  if (old && old.fieldType !== input.fieldType && backend.opportunities.some((o) => valuesOf(o) !== null && !fits(input.fieldType, valuesOf(o) as string, options))) {
    throw refuse("fieldType", "not_allowed");
  }
  const lacking = input.entity === "opportunity" ? backend.opportunities.filter((o) => !valuesOf(o)).map((o) => o.id) : backend.identities.map((i) => i.id);
  const fill = input.required && lacking.length > 0 ? (input.defaultValue?.trim() ?? "") : null;
  if (fill === "") throw refuse("defaultValue", "required");
  if (fill !== null && !fits(input.fieldType, fill, options)) throw refuse("defaultValue", "invalid");
  if (fill !== null && input.entity === "opportunity") {
    backend.opportunities = backend.opportunities.map((o) =>
      lacking.includes(o.id) ? { ...o, customFields: [...o.customFields.filter((c) => c.fieldId !== id), { fieldId: id, value: fill }] } : o,
    );
  }
  const def: CustomFieldDef = {
    id,
    version: (old?.version ?? 0) + 1,
    entity: input.entity,
    key: old?.key ?? `field_${id}`,
    titleFa,
    titleEn,
    fieldType: input.fieldType,
    required: input.required,
    helpFa: input.helpFa ?? null,
    helpEn: input.helpEn ?? null,
    groupFa: input.groupFa ?? null,
    groupEn: input.groupEn ?? null,
    sortOrder: old?.sortOrder ?? Math.max(0, ...backend.customFields.map((d) => d.sortOrder)) + 1,
    options,
    active: input.active,
  };
  backend.customFields = old ? backend.customFields.map((d) => (d.id === id ? def : d)) : [...backend.customFields, def];
  adminMock.fieldVersions.set(id, (adminMock.fieldVersions.get(id) ?? 0) + 1);
  return def;
}

function saveCampaign(input: CampaignInput, old: CampaignSummary | null): CampaignSummary {
  if (actingUser().role === "salesperson") throw { kind: "forbidden", reason: "campaigns_managers_only" } satisfies AppError;
  const v = refusals();
  const name = requiredText(v, "name", input.name);
  const cost = input.cost.trim() === "" ? "0" : input.cost.trim();
  if (!/^\d+(\.\d+)?$/.test(cost)) v.push("cost", "invalid");
  if (input.startDate && input.endDate && input.endDate < input.startDate) v.push("endDate", "out_of_range");
  v.finish();
  return {
    id: old?.id ?? Math.max(0, ...campaigns.map((c) => c.id)) + 1,
    name,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    description: input.description?.trim() || null,
    cost,
    active: input.active,
    opportunityCount: old?.opportunityCount ?? 0,
    version: (old?.version ?? 0) + 1,
  };
}

function saveUser(input: UserInput, old: UserSummary | null, password = ""): UserSummary {
  requireAdmin("users_admin_only");
  const v = refusals();
  if (password !== "") checkPassword(v, "password", password);
  const username = input.username.trim().toLowerCase();
  if (old) {
    if (username !== old.username) v.push("username", "read_only");
  } else if (username === "") v.push("username", "required");
  else if (!/^[a-z0-9._-]+$/.test(username)) v.push("username", "invalid");
  else if (users.some((u) => u.username === username)) v.push("username", "duplicate");
  const displayName = requiredText(v, "displayName", input.displayName);
  if (old && old.role === "admin" && old.active && !(input.role === "admin" && input.active)) {
    if (users.filter((u) => u.role === "admin" && u.active).length <= 1) v.push("role", "not_allowed");
  }
  v.finish();
  return {
    id: old?.id ?? Math.max(0, ...users.map((u) => u.id)) + 1,
    username: old?.username ?? username,
    displayName,
    role: input.role,
    active: input.active,
    createdAt: old?.createdAt ?? new Date().toISOString(),
    version: (old?.version ?? 0) + 1,
  };
}

function adminCommand(backend: MockBackend, cmd: string, a: Record<string, unknown>): unknown {
  const known = new Set([
    "create_system_item",
    "update_system_item",
    "reorder_system_items",
    "delete_system_item",
    "system_item_usage",
    "create_stage",
    "update_stage",
    "delete_stage",
    "reorder_stages",
    "stage_usage",
    "create_custom_field",
    "update_custom_field",
    "delete_custom_field",
    "create_campaign",
    "update_campaign",
    "create_user",
    "update_user",
  ]);
  if (!known.has(cmd)) throw new Error(`unknown command ${cmd}`);
  if (adminMock.nextError) {
    const error = adminMock.nextError;
    adminMock.nextError = null;
    throw error;
  }
  const id = a.id as number;
  switch (cmd) {
    case "create_system_item":
    case "update_system_item": {
      requireAdmin();
      const input = a.input as SystemItemInput;
      const old = cmd === "update_system_item" ? systemItems.find((s) => s.id === id) : undefined;
      if (cmd === "update_system_item") {
        if (!old) throw notFound("system_item", id);
        if ((adminMock.itemVersions.get(id) ?? 1) !== a.version) throw conflict("system_item", id);
      }
      const v = refusals();
      const titleFa = requiredText(v, "titleFa", input.titleFa);
      const titleEn = requiredText(v, "titleEn", input.titleEn);
      v.finish();
      if (old) {
        Object.assign(old, { titleFa, titleEn, active: input.active, version: old.version + 1 });
        adminMock.itemVersions.set(id, (adminMock.itemVersions.get(id) ?? 1) + 1);
        return { ...old };
      }
      const list = a.list as SystemListKey;
      const item: SystemItem = {
        version: 1,
        pipelineId: null,
        id: Math.max(0, ...systemItems.map((s) => s.id)) + 1,
        list,
        key: null,
        titleFa,
        titleEn,
        sortOrder: Math.max(0, ...systemItems.filter((s) => s.list === list).map((s) => s.sortOrder)) + 1,
        active: input.active,
      };
      systemItems.push(item);
      return { ...item };
    }
    case "reorder_system_items": {
      requireAdmin();
      const list = a.list as SystemListKey;
      const ids = a.ids as number[];
      sameIds(ids, systemItems.filter((s) => s.list === list).map((s) => s.id));
      ids.forEach((itemId, i) => {
        const item = systemItems.find((s) => s.id === itemId) as SystemItem;
        item.sortOrder = i + 1;
        adminMock.itemVersions.set(itemId, (adminMock.itemVersions.get(itemId) ?? 1) + 1);
      });
      systemItems.sort((x, y) => x.sortOrder - y.sortOrder);
      return systemItems.filter((s) => s.list === list).map((s) => ({ ...s }));
    }
    case "delete_system_item": {
      requireAdmin();
      const index = systemItems.findIndex((s) => s.id === id);
      if (index < 0) throw notFound("system_item", id);
      if (itemUsage(backend, id) > 0) throw refuse("id", "not_allowed");
      systemItems.splice(index, 1);
      return null;
    }
    case "system_item_usage":
      return itemUsage(backend, id);
    case "create_stage": {
      requireAdmin();
      const clean = validStage(a.input as StageInput);
      const stage: Stage = {
        id: Math.max(0, ...stages.map((s) => s.id)) + 1,
        key: `stage_${stages.length + 1}`,
        sortOrder: Math.max(0, ...stages.map((s) => s.sortOrder)) + 1,
        version: 1,
        pipelineId: 1,
        ...clean,
      };
      stages.push(stage);
      return { ...stage };
    }
    case "update_stage": {
      requireAdmin();
      const old = stages.find((s) => s.id === id);
      if (!old) throw notFound("stage", id);
      if (old.version !== a.version) throw conflict("stage", id);
      const input = a.input as StageInput;
      const clean = validStage(input);
      if (clean.kind !== old.kind && stageHolding(backend, id) > 0) throw refuse("kind", "not_allowed");
      if (old.active && !clean.active) {
        keepOutcomes(old);
        moveOpportunities(backend, old, input.replacementStageId);
      }
      Object.assign(old, clean, { version: old.version + 1 });
      return { ...old };
    }
    case "delete_stage": {
      requireAdmin();
      const old = stages.find((s) => s.id === id);
      if (!old) throw notFound("stage", id);
      keepOutcomes(old);
      const moved = moveOpportunities(backend, old, a.replacement as number | null);
      stages.splice(stages.indexOf(old), 1);
      return moved;
    }
    case "reorder_stages": {
      requireAdmin();
      const ids = a.ids as number[];
      sameIds(
        ids,
        stages.map((s) => s.id),
      );
      ids.forEach((stageId, i) => {
        const stage = stages.find((s) => s.id === stageId) as Stage;
        stage.sortOrder = i + 1;
        stage.version += 1;
      });
      stages.sort((x, y) => x.sortOrder - y.sortOrder);
      return stages.map((s) => ({ ...s }));
    }
    case "stage_usage":
      return stageHolding(backend, id);
    case "create_custom_field":
      return saveCustomField(backend, a.input as CustomFieldInput, null);
    case "update_custom_field": {
      requireAdmin();
      const old = backend.customFields.find((d) => d.id === id);
      if (!old) throw notFound("custom_field", id);
      if ((adminMock.fieldVersions.get(id) ?? 1) !== a.version) throw conflict("custom_field", id);
      return saveCustomField(backend, a.input as CustomFieldInput, old);
    }
    case "delete_custom_field": {
      requireAdmin();
      if (!backend.customFields.some((d) => d.id === id)) throw notFound("custom_field", id);
      backend.customFields = backend.customFields.filter((d) => d.id !== id);
      backend.opportunities = backend.opportunities.map((o) => ({ ...o, customFields: o.customFields.filter((c) => c.fieldId !== id) }));
      return null;
    }
    case "create_campaign": {
      const created = saveCampaign(a.input as CampaignInput, null);
      campaigns.push(created);
      return created;
    }
    case "update_campaign": {
      const index = campaigns.findIndex((c) => c.id === id);
      const old = campaigns[index];
      if (!old) throw notFound("campaign", id);
      if (old.version !== a.version) throw conflict("campaign", id);
      const saved = saveCampaign(a.input as CampaignInput, old);
      campaigns[index] = saved;
      return saved;
    }
    case "create_user": {
      const input = a.input as UserInput;
      const password = input.password ?? "";
      const created = saveUser(input, null, password);
      users.push(created);
      if (password !== "") adminMock.passwords.set(created.id, password);
      return created;
    }
    case "update_user": {
      requireAdmin("users_admin_only");
      const index = users.findIndex((u) => u.id === id);
      const old = users[index];
      if (!old) throw notFound("user", id);
      if (old.version !== a.version) throw conflict("user", id);
      const saved = saveUser(a.input as UserInput, old);
      users[index] = saved;
      return saved;
    }
  }
  throw new Error(`unknown command ${cmd}`);
}

// ------------------------------------------------ reports
//
// Like the backend: the filter bounds the creation date (inclusive, UTC days);
// every active stage shows (inactive ones only while they hold opportunities), in
// stage order; sources are ordered by count and their share has one decimal.
// Salespeople see the opportunities assigned to them only.

import type { OutcomeGroup, Outcomes, ReportFilter, SalesStatus, WinLoss } from "../lib/types";

/** Exact sum of integer-or-decimal strings (enough for the stand-in's amounts). */
function sumAmounts(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => v.split(".")[1]?.length ?? 0));
  const total = values.reduce((sum, v) => {
    const [int = "0", frac = ""] = v.replace("-", "").split(".");
    const n = BigInt(int + frac.padEnd(scale, "0"));
    return sum + (v.startsWith("-") ? -n : n);
  }, 0n);
  if (scale === 0) return total.toString();
  const digits = (total < 0n ? -total : total).toString().padStart(scale + 1, "0");
  const frac = digits.slice(-scale).replace(/0+$/, "");
  return `${total < 0n ? "-" : ""}${digits.slice(0, -scale)}${frac ? `.${frac}` : ""}`;
}

/** Won and lost counts and amounts (estimated) of some opportunities, with the win rate in percent (one decimal). */
function outcomesOf(rows: OpportunityDetail[]): Outcomes {
  const won = rows.filter((o) => o.stageKind === "won");
  const lost = rows.filter((o) => o.stageKind === "lost");
  const closed = won.length + lost.length;
  return {
    wonCount: won.length,
    wonAmount: sumAmounts(won.map((o) => o.estimatedAmount)),
    lostCount: lost.length,
    lostAmount: sumAmounts(lost.map((o) => o.estimatedAmount)),
    winRate: closed === 0 ? "0" : String(Math.round((won.length * 1000) / closed) / 10),
  };
}

function winLoss(backend: MockBackend, filter: ReportFilter): WinLoss {
  const rows = reportRows(backend, filter).filter((o) => o.stageKind !== "open");
  const groups = (keyOf: (o: OpportunityDetail) => number | null, titles: (id: number) => { titleFa: string; titleEn: string }, only = rows): OutcomeGroup[] => {
    const ids = [...new Set(only.map(keyOf))].sort((x, y) => (x ?? Infinity) - (y ?? Infinity));
    return ids.map((id) => ({
      id,
      ...(id === null ? { titleFa: "", titleEn: "" } : titles(id)),
      outcomes: outcomesOf(only.filter((o) => keyOf(o) === id)),
    }));
  };
  const item = (id: number) => {
    const found = systemItems.find((i) => i.id === id);
    return { titleFa: found?.titleFa ?? "", titleEn: found?.titleEn ?? "" };
  };
  const user = (id: number) => {
    const name = users.find((u) => u.id === id)?.displayName ?? "";
    return { titleFa: name, titleEn: name };
  };
  return {
    total: outcomesOf(rows),
    winReasons: groups((o) => o.winReasonId, item, rows.filter((o) => o.stageKind === "won")),
    lossReasons: groups((o) => o.lossReasonId, item, rows.filter((o) => o.stageKind === "lost")),
    byUser: groups((o) => o.assignedUserId, user),
    byType: groups((o) => o.typeId, item),
    bySource: groups((o) => o.sourceId, item),
  };
}

/** The opportunities a report covers: created in the period, matching the filters, visible to the acting user. */
function reportRows(backend: MockBackend, filter: ReportFilter): OpportunityDetail[] {
  const actor = actingUser();
  return backend.opportunities.filter((o) => {
    const day = o.createdAt.slice(0, 10);
    return (
      (filter.from == null || day >= filter.from) &&
      (filter.to == null || day <= filter.to) &&
      (filter.assignedUserId == null || o.assignedUserId === filter.assignedUserId) &&
      (filter.typeId == null || o.typeId === filter.typeId) &&
      (filter.sourceId == null || o.sourceId === filter.sourceId) &&
      (filter.campaignId == null || o.campaignId === filter.campaignId) &&
      (actor.role !== "salesperson" || o.assignedUserId === actor.id)
    );
  });
}

function salesStatus(backend: MockBackend, filter: ReportFilter): SalesStatus {
  const rows = reportRows(backend, filter);
  const total = rows.length;
  const stageRows = [...stages]
    .sort((x, y) => x.sortOrder - y.sortOrder || x.id - y.id)
    .map((st) => {
      const held = rows.filter((o) => o.stageId === st.id);
      return { st, held };
    })
    .filter(({ st, held }) => st.active || held.length > 0)
    .map(({ st, held }) => ({
      stageId: st.id,
      titleFa: st.titleFa,
      titleEn: st.titleEn,
      kind: st.kind,
      count: held.length,
      amount: sumAmounts(held.map((o) => o.estimatedAmount)),
    }));
  const bySource = new Map<number, number>();
  for (const o of rows) bySource.set(o.sourceId, (bySource.get(o.sourceId) ?? 0) + 1);
  const sources = [...bySource.entries()]
    .flatMap(([sourceId, count]) => {
      const item = systemItems.find((i) => i.id === sourceId);
      return item ? [{ sourceId, titleFa: item.titleFa, titleEn: item.titleEn, count, percent: String(Math.round((count * 1000) / total) / 10) }] : [];
    })
    .sort((x, y) => y.count - x.count || x.sourceId - y.sourceId);
  return { stages: stageRows, sources, total };
}

// ------------------------------------------------ reports 3–9

import { toJalaali } from "jalaali-js";
import type {
  Calendar,
  CampaignRow,
  CompetitorRow,
  Dashboard,
  DurationGroup,
  DurationPair,
  DurationStat,
  Durations,
  ForecastMonth,
  StageFlow,
  WonInPeriod,
} from "../lib/types";

/** A ratio as the backend writes it: percent (or days) with one decimal, no trailing zeros. */
const oneDecimal = (value: number) => String(Math.round(value * 10) / 10);
const dayNumber = (iso: string) => Math.round(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
const todayIso = () => new Date().toISOString().slice(0, 10);

function campaignsReport(backend: MockBackend, filter: ReportFilter): CampaignRow[] {
  const rows = reportRows(backend, filter);
  return campaigns
    .filter((c) => filter.campaignId == null || c.id === filter.campaignId)
    .map((c) => {
      const mine = rows.filter((o) => o.campaignId === c.id);
      const won = mine.filter((o) => o.stageKind === "won");
      const wonAmount = sumAmounts(won.map((o) => o.estimatedAmount));
      const cost = Number(c.cost);
      return {
        campaignId: c.id,
        name: c.name,
        active: c.active,
        createdCount: mine.length,
        estimatedAmount: sumAmounts(mine.map((o) => o.estimatedAmount)),
        wonCount: won.length,
        wonAmount,
        invoicedAmount: sumAmounts(mine.map((o) => o.realizedAmount)),
        cost: c.cost,
        wonPerCost: cost > 0 ? String(Math.round((Number(wonAmount) / cost) * 100) / 100) : null,
      };
    })
    .filter((r) => r.active || r.createdCount > 0)
    .sort((x, y) => y.createdCount - x.createdCount || x.name.localeCompare(y.name));
}

function durationStat(days: number[]): DurationStat {
  if (days.length === 0) return { count: 0, average: null, median: null };
  const sorted = [...days].sort((x, y) => x - y);
  const n = sorted.length;
  const median = ((sorted[Math.floor((n - 1) / 2)] ?? 0) + (sorted[Math.floor(n / 2)] ?? 0)) / 2;
  return { count: n, average: oneDecimal(sorted.reduce((a, b) => a + b, 0) / n), median: oneDecimal(median) };
}

function durationPair(rows: OpportunityDetail[]): DurationPair {
  const days = (kind: "won" | "lost") =>
    rows.flatMap((o) => {
      const closed = kind === "won" ? o.wonOn : o.lostOn;
      return o.stageKind === kind && closed ? [dayNumber(closed) - dayNumber(o.createdAt)] : [];
    });
  return { won: durationStat(days("won")), lost: durationStat(days("lost")) };
}

function durationsReport(backend: MockBackend, filter: ReportFilter): Durations {
  const rows = reportRows(backend, filter).filter((o) => o.stageKind !== "open");
  const item = (id: number) => systemItems.find((i) => i.id === id);
  const groups = (keyOf: (o: OpportunityDetail) => number | null, title: (id: number) => string | undefined, titleFa = title): DurationGroup[] =>
    [...new Set(rows.map(keyOf))].map((id) => ({
      id,
      titleFa: id === null ? "" : (titleFa(id) ?? ""),
      titleEn: id === null ? "" : (title(id) ?? ""),
      durations: durationPair(rows.filter((o) => keyOf(o) === id)),
    }));
  const userName = (id: number) => users.find((u) => u.id === id)?.displayName;
  return {
    total: durationPair(rows),
    byType: groups((o) => o.typeId, (id) => item(id)?.titleEn, (id) => item(id)?.titleFa),
    bySource: groups((o) => o.sourceId, (id) => item(id)?.titleEn, (id) => item(id)?.titleFa),
    byUser: groups((o) => o.assignedUserId, userName),
  };
}

function competitorsReport(backend: MockBackend, filter: ReportFilter): CompetitorRow[] {
  const rows = reportRows(backend, filter);
  const byId = new Map<number, { name: string; rows: OpportunityDetail[] }>();
  for (const o of rows)
    for (const c of o.competitors) {
      const entry = byId.get(c.competitorId) ?? { name: c.name, rows: [] };
      entry.rows.push(o);
      byId.set(c.competitorId, entry);
    }
  return [...byId.entries()]
    .map(([competitorId, { name, rows: mine }]) => {
      const count = (kind: string) => mine.filter((o) => o.stageKind === kind).length;
      const won = count("won");
      const lost = count("lost");
      return {
        competitorId,
        name,
        count: mine.length,
        openCount: count("open"),
        wonCount: won,
        lostCount: lost,
        amount: sumAmounts(mine.map((o) => o.estimatedAmount)),
        winRate: won + lost > 0 ? oneDecimal((won * 100) / (won + lost)) : null,
      };
    })
    .sort((x, y) => y.count - x.count || x.name.localeCompare(y.name));
}

function stageHistoryReport(backend: MockBackend, filter: ReportFilter): StageFlow[] {
  const rows = reportRows(backend, filter);
  const ordered = [...stages].sort((x, y) => x.sortOrder - y.sortOrder || x.id - y.id);
  const order = (id: number) => ordered.find((s) => s.id === id)?.sortOrder ?? 0;
  const kind = (id: number) => ordered.find((s) => s.id === id)?.kind;
  const today = dayNumber(todayIso());
  return ordered
    .map((st) => {
      let stays = 0;
      let days = 0;
      let entered = 0;
      let advanced = 0;
      let won = 0;
      for (const o of rows) {
        const history = [...o.stageHistory].sort((x, y) => x.changedAt.localeCompare(y.changedAt));
        if (!history.some((h) => h.toStageId === st.id)) continue;
        entered += 1;
        if (history.some((h) => kind(h.toStageId) !== "lost" && order(h.toStageId) > st.sortOrder)) advanced += 1;
        if (history.some((h) => kind(h.toStageId) === "won")) won += 1;
        if (st.kind !== "open") continue;
        history.forEach((h, i) => {
          if (h.toStageId !== st.id) return;
          const next = history[i + 1];
          stays += 1;
          days += (next ? dayNumber(next.changedAt) : today) - dayNumber(h.changedAt);
        });
      }
      const rate = (part: number) => (entered > 0 ? oneDecimal((part * 100) / entered) : null);
      return {
        stageId: st.id,
        titleFa: st.titleFa,
        titleEn: st.titleEn,
        kind: st.kind,
        stays,
        averageDays: stays > 0 ? oneDecimal(days / stays) : null,
        entered,
        advanced,
        won,
        advancedRate: st.kind === "open" ? rate(advanced) : null,
        wonRate: rate(won),
        active: st.active,
      };
    })
    .filter((s) => s.active || s.entered > 0)
    .map(({ active: _active, ...s }) => s);
}

function forecastReport(backend: MockBackend, filter: ReportFilter, calendar: Calendar): ForecastMonth[] {
  const open = reportRows(backend, filter).filter((o) => o.stageKind === "open");
  const months = new Map<string, { year: number | null; month: number | null; rows: OpportunityDetail[] }>();
  for (const o of open) {
    let year: number | null = null;
    let month: number | null = null;
    if (o.closeDate) {
      const [y, m, d] = o.closeDate.split("-").map(Number) as [number, number, number];
      if (calendar === "jalali") {
        const j = toJalaali(y, m, d);
        year = j.jy;
        month = j.jm;
      } else {
        year = y;
        month = m;
      }
    }
    const key = `${year ?? 9999}-${String(month ?? 99).padStart(2, "0")}`;
    const entry = months.get(key) ?? { year, month, rows: [] };
    entry.rows.push(o);
    months.set(key, entry);
  }
  return [...months.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([, { year, month, rows }]) => ({
      year,
      month,
      count: rows.length,
      amount: sumAmounts(rows.map((o) => o.estimatedAmount)),
      weighted: oneDecimal(rows.reduce((sum, o) => sum + (Number(o.estimatedAmount) * o.probability) / 100, 0)),
    }));
}

function dashboardReport(backend: MockBackend, filter: ReportFilter, calendar: Calendar): Dashboard {
  const anyPeriod = { ...filter, from: null, to: null };
  const wonBetween = (from: string | null, to: string | null): WonInPeriod => {
    const won = reportRows(backend, anyPeriod).filter((o) => o.stageKind === "won" && o.wonOn && (from == null || o.wonOn >= from) && (to == null || o.wonOn <= to));
    return { from, to, count: won.length, amount: sumAmounts(won.map((o) => o.estimatedAmount)) };
  };
  let previousWon: WonInPeriod | null = null;
  if (filter.from && filter.to) {
    const length = dayNumber(filter.to) - dayNumber(filter.from) + 1;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    const end = dayNumber(filter.from) - 1;
    previousWon = wonBetween(iso(end - length + 1), iso(end));
  }
  const months = forecastReport(backend, filter, calendar);
  const today = todayIso();
  const overdue = reportRows(backend, anyPeriod)
    .filter((o) => o.stageKind === "open" && o.closeDate !== null && o.closeDate < today)
    .sort((x, y) => (x.closeDate ?? "").localeCompare(y.closeDate ?? "") || x.id - y.id);
  return {
    status: salesStatus(backend, filter),
    won: wonBetween(filter.from ?? null, filter.to ?? null),
    previousWon,
    forecast: months,
    openCount: months.reduce((n, m) => n + m.count, 0),
    openAmount: sumAmounts(months.map((m) => m.amount)),
    weightedAmount: sumAmounts(months.map((m) => m.weighted)),
    overdueCount: overdue.length,
    overdue: overdue.slice(0, 10).map((o) => ({
      id: o.id,
      title: o.title,
      identityName: o.identityName,
      assignedUserName: users.find((u) => u.id === o.assignedUserId)?.displayName ?? null,
      closeDate: o.closeDate ?? "",
      daysOverdue: dayNumber(today) - dayNumber(o.closeDate ?? today),
      amount: o.estimatedAmount,
    })),
  };
}
