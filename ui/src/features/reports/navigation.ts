import { parseRoute } from "../../app/router";

/** The address of the opportunity list filtered to one stage. */
export function stageListHash(stageId: number): string {
  return `#/opportunities?stage=${stageId}`;
}

/** Whether the app has a screen at `hash` (so a link from a report can be followed). */
export function hasScreenFor(hash: string): boolean {
  return parseRoute(hash).name !== "notFound";
}
