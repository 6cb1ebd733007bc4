import { parseRoute } from "../../app/router";

/** The address of the opportunity list filtered to one stage. */
export function stageListHash(stageId: number): string {
  return `#/opportunities?stage=${stageId}`;
}

/**
 * Whether the app has a screen at `hash` yet. The opportunity list is still the
 * "coming later" section placeholder, so a filtered list cannot be opened before it
 * arrives; once it has a route of its own this answers true and the link works.
 */
export function hasScreenFor(hash: string): boolean {
  const route = parseRoute(hash);
  return route.name !== "notFound" && !(route.name === "section" && route.section === "opportunities");
}
