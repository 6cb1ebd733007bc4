// What each report table's columns hold, in their order (see tableFit.ts): the
// cards lay out their table by these, and the tests check that each fits.

import type { ColumnKind } from "./tableFit";

export const TABLE_COLUMNS = {
  /** The stage, its count and estimated amount. */
  stages: ["name", "count", "amount"],
  /** The source, its count and share. */
  sources: ["name", "count", "percent"],
  /** A reason, user, type or source, then won, won amount, lost, lost amount and win rate. */
  outcomeGroups: ["name", "count", "amount", "count", "amount", "percent"],
  /** The campaign, then created, estimated, won, won amount, invoiced, cost and won per cost. */
  campaigns: ["name", "count", "amount", "count", "amount", "amount", "amount", "percent"],
  /** A group's name, then count, average and median days to win, then the same to loss. */
  durations: ["name", "count", "days", "days", "count", "days", "days"],
  /** The competitor, then appeared, open, won, lost, win rate and estimated amount. */
  competitors: ["name", "count", "count", "count", "count", "percent", "amount"],
  /** The stage, then stays, average time, entered, went on (count and share), won (count and share). */
  stageHistory: ["name", "count", "days", "count", "count", "percent", "count", "percent"],
  /** The close month, then count, estimated and weighted amounts. */
  forecast: ["name", "count", "amount", "amount"],
  /** The opportunity, its customer and assignee, the close date, the days overdue. */
  overdue: ["name", "text", "text", "date", "days"],
  /** The user, the kind, then planned, done, cancelled, overdue and total. */
  activities: ["name", "text", "count", "count", "count", "count", "count"],
} as const satisfies Record<string, readonly ColumnKind[]>;
