// The pipeline commands of the stand-in backend: the list (filters, sorting, paging,
// totals), the board, card moves and bulk edits, and per-user remembered values.
// Like the backend: bad filters are validation errors naming the filter's field;
// won and lost need their reason; a stale version is a conflict; a bulk edit is all
// or nothing with field paths prefixed `items.N.`.

import type {
  AppError,
  BoardCell,
  BoardRequest,
  BoardSummary,
  BulkChange,
  BulkItem,
  CampaignSummary,
  FieldError,
  ListPage,
  ListRequest,
  OpportunityDetail,
  OpportunityFilter,
  OpportunityRow,
  SortKey,
  Stage,
  UserSummary,
  ValidationCode,
} from "../lib/types";
import { hasPlannedActivity } from "./mockFollowup";

export type PipelineMockContext = {
  opportunities: OpportunityDetail[];
  stages: Stage[];
  users: UserSummary[];
  campaigns: CampaignSummary[];
  userValues: Map<string, string>;
  /** "Today" for overdue and days open (fixed, so tests do not depend on the clock). */
  today: string;
  replace: (next: OpportunityDetail) => void;
};

export const PIPELINE_COMMANDS = new Set(["list_opportunities", "pipeline_board", "pipeline_board_cards", "move_opportunity", "bulk_update_opportunities", "get_user_value", "set_user_value"]);

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / DAY_MS);

function toCents(value: string): bigint {
  const [int = "0", frac = ""] = value.replace("-", "").split(".");
  const n = BigInt(int + frac.padEnd(4, "0").slice(0, 4));
  return value.startsWith("-") ? -n : n;
}

function fromCents(n: bigint): string {
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(5, "0");
  const frac = digits.slice(-4).replace(/0+$/, "");
  return `${negative ? "-" : ""}${digits.slice(0, -4)}${frac ? `.${frac}` : ""}`;
}

const expectedOf = (o: OpportunityDetail) => fromCents((toCents(o.estimatedAmount) * BigInt(o.probability)) / 100n);

export function rowOf(ctx: PipelineMockContext, o: OpportunityDetail): OpportunityRow {
  const overdue = o.stageKind === "open" && o.closeDate !== null && o.closeDate < ctx.today;
  const closedOn = o.wonOn ?? o.lostOn;
  return {
    id: o.id,
    version: o.version,
    title: o.title,
    identityId: o.identityId,
    identityName: o.identityName,
    stageId: o.stageId,
    stageKind: o.stageKind,
    assignedUserId: o.assignedUserId,
    assignedUserName: ctx.users.find((u) => u.id === o.assignedUserId)?.displayName ?? null,
    typeId: o.typeId,
    sourceId: o.sourceId,
    campaignId: o.campaignId,
    campaignName: ctx.campaigns.find((c) => c.id === o.campaignId)?.name ?? null,
    winReasonId: o.winReasonId,
    lossReasonId: o.lossReasonId,
    reasonNote: o.reasonNote,
    estimatedAmount: o.estimatedAmount,
    probability: o.probability,
    expectedAmount: expectedOf(o),
    realizedAmount: o.realizedAmount,
    closeDate: o.closeDate,
    overdue,
    wonOn: o.wonOn,
    lostOn: o.lostOn,
    createdAt: o.createdAt,
    daysOpen: days(o.createdAt, closedOn ?? ctx.today),
    hasNextStep: hasPlannedActivity(o.id),
  };
}

function validation(fields: FieldError[]): AppError {
  return { kind: "validation", fields };
}

const fe = (field: string, code: ValidationCode): FieldError => ({ field, code, min: null, max: null });

function amount(fields: FieldError[], field: string, text: string | null | undefined): bigint | null {
  const t = text?.trim();
  if (!t) return null;
  if (!/^-?\d+(\.\d+)?$/.test(t.replace(/,/g, ""))) {
    fields.push(fe(field, "invalid"));
    return null;
  }
  return toCents(t.replace(/,/g, ""));
}

/** The filtered rows, or a validation error naming the filter's field. */
export function filterRows(ctx: PipelineMockContext, f: OpportunityFilter): OpportunityDetail[] {
  const fields: FieldError[] = [];
  const min = amount(fields, "amountMin", f.amountMin);
  const max = amount(fields, "amountMax", f.amountMax);
  if (min !== null && max !== null && min > max) fields.push(fe("amountMax", "out_of_range"));
  for (const range of ["close", "created", "won", "lost"] as const) {
    const from = f[`${range}From`];
    const to = f[`${range}To`];
    if (from && to && from > to) fields.push(fe(`${range}To`, "out_of_range"));
  }
  if (f.text && f.text.length > 200) fields.push(fe("text", "too_long"));
  if (fields.length > 0) throw validation(fields);
  const text = f.text?.trim().toLowerCase() ?? "";
  const within = (d: string | null, from?: string | null, to?: string | null) => (!from || (d !== null && d >= from)) && (!to || (d !== null && d <= to));
  const userIds = f.assignedUserIds ?? [];
  return ctx.opportunities.filter((o) => {
    const row = rowOf(ctx, o);
    const users = userIds.length === 0 && !f.unassigned ? true : (o.assignedUserId !== null && userIds.includes(o.assignedUserId)) || (f.unassigned === true && o.assignedUserId === null);
    const reasons = f.reasonIds ?? [];
    return (
      (text === "" || o.title.toLowerCase().includes(text) || o.identityName.toLowerCase().includes(text)) &&
      (f.identityId == null || o.identityId === f.identityId) &&
      (!f.stageIds?.length || f.stageIds.includes(o.stageId)) &&
      (!f.status || o.stageKind === f.status) &&
      users &&
      (!f.typeIds?.length || f.typeIds.includes(o.typeId)) &&
      (!f.sourceIds?.length || f.sourceIds.includes(o.sourceId)) &&
      (!f.campaignIds?.length || (o.campaignId !== null && f.campaignIds.includes(o.campaignId))) &&
      (reasons.length === 0 || reasons.includes(o.winReasonId ?? -1) || reasons.includes(o.lossReasonId ?? -1)) &&
      (min === null || toCents(o.estimatedAmount) >= min) &&
      (max === null || toCents(o.estimatedAmount) <= max) &&
      within(o.closeDate, f.closeFrom, f.closeTo) &&
      within(o.createdAt.slice(0, 10), f.createdFrom, f.createdTo) &&
      within(o.wonOn, f.wonFrom, f.wonTo) &&
      within(o.lostOn, f.lostFrom, f.lostTo) &&
      (!f.overdue || row.overdue) &&
      (!f.noNextStep || (o.stageKind === "open" && !row.hasNextStep))
    );
  });
}

function compare(ctx: PipelineMockContext, a: OpportunityRow, b: OpportunityRow, key: SortKey): number {
  const value = (r: OpportunityRow): string | number | bigint | null => {
    switch (key.column) {
      case "title":
        return r.title.toLowerCase();
      case "identity":
        return r.identityName.toLowerCase();
      case "stage":
        return ctx.stages.find((s) => s.id === r.stageId)?.sortOrder ?? 0;
      case "pipeline":
        return ctx.stages.find((s) => s.id === r.stageId)?.pipelineId ?? 0;
      case "assigned_to":
        return r.assignedUserName?.toLowerCase() ?? null;
      case "type":
        return r.typeId;
      case "source":
        return r.sourceId;
      case "campaign":
        return r.campaignName?.toLowerCase() ?? null;
      case "estimated":
        return toCents(r.estimatedAmount);
      case "probability":
        return r.probability;
      case "expected":
        return toCents(r.expectedAmount);
      case "realized":
        return toCents(r.realizedAmount);
      case "close_date":
        return r.closeDate;
      case "created":
        return r.createdAt;
      case "days_open":
        return r.daysOpen;
      case "reason":
        return r.winReasonId ?? r.lossReasonId;
      case "reason_note":
        return r.reasonNote?.toLowerCase() ?? null;
      case "closed_on":
        return r.wonOn ?? r.lostOn;
    }
  };
  const x = value(a);
  const y = value(b);
  if (x === y) return 0;
  if (x === null) return key.desc ? 1 : -1;
  if (y === null) return key.desc ? -1 : 1;
  const order = x < y ? -1 : 1;
  return key.desc ? -order : order;
}

function list(ctx: PipelineMockContext, req: ListRequest): ListPage {
  const rows = filterRows(ctx, req.filter).map((o) => rowOf(ctx, o));
  const sort: SortKey[] = req.sort.length > 0 ? req.sort.slice(0, 4) : [{ column: "created", desc: true }];
  rows.sort((a, b) => {
    for (const key of sort) {
      const c = compare(ctx, a, b, key);
      if (c !== 0) return c;
    }
    return b.id - a.id;
  });
  const page = Math.max(1, req.page);
  const size = Math.min(Math.max(1, req.pageSize), 200);
  const sum = (pick: (r: OpportunityRow) => string) => fromCents(rows.reduce((n, r) => n + toCents(pick(r)), 0n));
  return {
    page: { items: rows.slice((page - 1) * size, page * size), total: rows.length, page, pageSize: size },
    totals: { count: rows.length, estimated: sum((r) => r.estimatedAmount), expected: sum((r) => r.expectedAmount), realized: sum((r) => r.realizedAmount) },
  };
}

function boardStages(ctx: PipelineMockContext) {
  const sorted = [...ctx.stages].filter((s) => s.active).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
  return (["open", "won", "lost"] as const).flatMap((kind) => sorted.filter((s) => s.kind === kind)).map(({ id, titleFa, titleEn, kind }) => ({ id, titleFa, titleEn, kind }));
}

function boardRows(ctx: PipelineMockContext, req: BoardRequest): OpportunityRow[] {
  const since = req.closedWithinDays == null ? null : new Date(Date.parse(`${ctx.today}T00:00:00Z`) - req.closedWithinDays * DAY_MS).toISOString().slice(0, 10);
  return filterRows(ctx, req.filter)
    .filter((o) => since === null || (o.wonOn === null && o.lostOn === null) || (o.wonOn ?? o.lostOn ?? "") >= since)
    .map((o) => rowOf(ctx, o));
}

function board(ctx: PipelineMockContext, req: BoardRequest): BoardSummary {
  const rows = boardRows(ctx, req);
  const cells: BoardCell[] = [];
  for (const row of rows) {
    const lane = req.byUser ? { userId: row.assignedUserId } : null;
    let cell = cells.find((c) => c.stageId === row.stageId && (c.lane?.userId ?? null) === (lane?.userId ?? null));
    if (!cell) {
      cell = { stageId: row.stageId, lane, count: 0, estimated: "0", expected: "0" };
      cells.push(cell);
    }
    cell.count += 1;
    cell.estimated = fromCents(toCents(cell.estimated) + toCents(row.estimatedAmount));
    cell.expected = fromCents(toCents(cell.expected) + toCents(row.expectedAmount));
  }
  const lanes = req.byUser
    ? [...ctx.users.filter((u) => u.active).map((u) => ({ lane: { userId: u.id }, name: u.displayName })).sort((a, b) => a.name.localeCompare(b.name)), { lane: { userId: null }, name: null }]
    : [];
  return { stages: boardStages(ctx), cells, lanes };
}

function boardCards(ctx: PipelineMockContext, req: BoardRequest, stageId: number, lane: { userId?: number | null } | null, offset: number, limit: number): OpportunityRow[] {
  return boardRows(ctx, req)
    .filter((r) => r.stageId === stageId && (lane === null || r.assignedUserId === (lane.userId ?? null)))
    .sort((a, b) => (b.wonOn ?? b.lostOn ?? "").localeCompare(a.wonOn ?? a.lostOn ?? "") || (a.closeDate ?? "9999").localeCompare(b.closeDate ?? "9999") || b.id - a.id)
    .slice(offset, offset + Math.min(Math.max(1, limit), 200));
}

/** One change applied to one opportunity, with the form's rules; throws the refusal. */
function applyChange(ctx: PipelineMockContext, item: BulkItem, change: BulkChange): OpportunityDetail {
  const o = ctx.opportunities.find((x) => x.id === item.id);
  if (!o) throw { kind: "not_found", entity: "opportunity", id: String(item.id) } satisfies AppError;
  if (o.version !== item.version) throw { kind: "conflict", entity: "opportunity", id: String(item.id) } satisfies AppError;
  const next: OpportunityDetail = { ...o, version: o.version + 1 };
  if (change.assign) {
    const userId = change.assign.userId ?? null;
    if (userId !== null && !ctx.users.some((u) => u.id === userId && u.active)) throw validation([fe("assignedUserId", "unknown_reference")]);
    next.assignedUserId = userId;
  }
  if (change.typeId != null) next.typeId = change.typeId;
  if (change.sourceId != null) next.sourceId = change.sourceId;
  if (change.campaign) next.campaignId = change.campaign.campaignId ?? null;
  if (change.stageId != null) {
    const stage = ctx.stages.find((s) => s.id === change.stageId);
    if (!stage) throw validation([fe("stageId", "unknown_reference")]);
    if (stage.kind !== "open" && change.reasonId == null) throw validation([fe(stage.kind === "won" ? "winReasonId" : "lossReasonId", "required")]);
    next.stageId = stage.id;
    next.stageKind = stage.kind;
    next.winReasonId = stage.kind === "won" ? (change.reasonId ?? null) : null;
    next.lossReasonId = stage.kind === "lost" ? (change.reasonId ?? null) : null;
    next.reasonNote = stage.kind === "open" ? null : (change.reasonNote ?? null);
    next.wonOn = stage.kind === "won" ? (o.wonOn ?? ctx.today) : null;
    next.lostOn = stage.kind === "lost" ? (o.lostOn ?? ctx.today) : null;
    next.probability = stage.kind === "won" ? 100 : stage.kind === "lost" ? 0 : (stage.defaultProbability ?? o.probability);
  }
  return next;
}

export function pipelineCommand(ctx: PipelineMockContext, cmd: string, a: Record<string, unknown>): unknown {
  switch (cmd) {
    case "list_opportunities":
      return list(ctx, a.request as ListRequest);
    case "pipeline_board":
      return board(ctx, a.request as BoardRequest);
    case "pipeline_board_cards":
      return boardCards(ctx, a.request as BoardRequest, a.stageId as number, (a.lane as { userId?: number | null } | null) ?? null, a.offset as number, a.limit as number);
    case "move_opportunity": {
      const input = a.input as { id: number; version: number; stageId: number; reasonId?: number | null; reasonNote?: string | null; assign?: { userId?: number | null } | null };
      const current = ctx.opportunities.find((o) => o.id === input.id);
      // Like the backend: the current stage is left alone (a pure reassignment), the
      // current assignee is no assignment, and no change at all writes nothing.
      const stageId = current && current.stageId === input.stageId ? null : input.stageId;
      const assign = input.assign && (!current || (input.assign.userId ?? null) !== current.assignedUserId) ? { userId: input.assign.userId ?? null } : null;
      if (current && stageId === null && assign === null && input.reasonId == null) {
        if (current.version !== input.version) throw { kind: "conflict", entity: "opportunity", id: String(input.id) } satisfies AppError;
        return rowOf(ctx, current);
      }
      if (stageId === null && input.reasonId != null) throw validation([fe("reasonId", "not_allowed")]);
      const next = applyChange(ctx, { id: input.id, version: input.version }, { stageId, assign, reasonId: input.reasonId ?? null, reasonNote: input.reasonNote ?? null });
      ctx.replace(next);
      return rowOf(ctx, next);
    }
    case "bulk_update_opportunities": {
      const items = a.items as BulkItem[];
      const change = a.change as BulkChange;
      if (items.length === 0) throw validation([fe("items", "required")]);
      const done: OpportunityDetail[] = [];
      items.forEach((item, i) => {
        try {
          done.push(applyChange(ctx, item, change));
        } catch (e) {
          const error = e as AppError;
          if (error.kind === "validation") throw validation(error.fields.map((f) => ({ ...f, field: `items.${i}.${f.field}` })));
          throw error;
        }
      });
      done.forEach(ctx.replace);
      return { updated: done.length };
    }
    case "get_user_value":
      return ctx.userValues.get(a.key as string) ?? null;
    case "set_user_value": {
      const key = a.key as string;
      if (!key.startsWith("ui.")) throw validation([fe("key", "invalid")]);
      if (a.value === null) ctx.userValues.delete(key);
      else ctx.userValues.set(key, a.value as string);
      return null;
    }
  }
  throw new Error(`unknown command ${cmd}`);
}
