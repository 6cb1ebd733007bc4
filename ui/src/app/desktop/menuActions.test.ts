import { describe, expect, it } from "vitest";
import { MENU_ACTIONS } from "../live/events";
import type { MenuAction } from "../../lib/types";
import { parseRoute } from "../router";
import { menuOutcome, type MenuOutcome } from "./menuActions";

const onList = { isAdmin: true, route: parseRoute("#/opportunities") };

describe("the native menu's actions", () => {
  it("each lead somewhere", () => {
    const expected: Record<MenuAction, MenuOutcome> = {
      new_opportunity: { type: "navigate", hash: "#/identities?for=opportunity" },
      new_identity: { type: "navigate", hash: "#/identities?new=1" },
      import: { type: "navigate", hash: "#/opportunities/import" },
      backup_now: { type: "navigate", hash: "#/settings?section=backup" },
      opportunities: { type: "navigate", hash: "#/opportunities" },
      board: { type: "navigate", hash: "#/opportunities/board" },
      identities: { type: "navigate", hash: "#/identities" },
      products: { type: "navigate", hash: "#/products" },
      reports: { type: "navigate", hash: "#/reports" },
      my_day: { type: "navigate", hash: "#/today" },
      settings: { type: "navigate", hash: "#/settings" },
      check_for_updates: { type: "navigate", hash: "#/settings?section=about&check=1" },
      open_data_folder: { type: "openFolder", folder: "data" },
      about: { type: "navigate", hash: "#/settings?section=about" },
    };
    expect([...MENU_ACTIONS].sort()).toEqual(Object.keys(expected).sort());
    for (const action of MENU_ACTIONS) expect(menuOutcome(action, onList), action).toEqual(expected[action]);
  });

  it("leads every address to a screen", () => {
    for (const action of MENU_ACTIONS) {
      const outcome = menuOutcome(action, onList);
      if (outcome.type === "navigate") expect(parseRoute(outcome.hash).name, action).not.toBe("notFound");
    }
  });

  it("starts a new opportunity from the identity in front", () => {
    expect(menuOutcome("new_opportunity", { isAdmin: false, route: parseRoute("#/identities/12/records") })).toEqual({ type: "navigate", hash: "#/opportunities/new?identity=12" });
    expect(menuOutcome("new_opportunity", { isAdmin: false, route: parseRoute("#/opportunities/5") })).toEqual({ type: "navigate", hash: "#/identities?for=opportunity" });
  });

  it("tells those who are not administrators that backups are theirs", () => {
    expect(menuOutcome("backup_now", { isAdmin: false, route: parseRoute("#/today") })).toEqual({ type: "message", message: "backupNowAdminOnly" });
  });
});
