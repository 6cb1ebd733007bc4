// What an item of the native menu does in the window: most go to a screen, "Open data
// folder" asks the system, and what only administrators may do says so to the others.

import type { MenuAction } from "../../lib/types";
import { paths, type Route } from "../router";

export type MenuOutcome =
  | { type: "navigate"; hash: string }
  | { type: "openFolder"; folder: "data" }
  | { type: "message"; message: "backupNowAdminOnly" };

export type MenuContext = {
  isAdmin: boolean;
  /** The screen in front: "New opportunity" on an identity's page is for that identity. */
  route: Route;
};

const go = (hash: string): MenuOutcome => ({ type: "navigate", hash });

/** The outcome of a menu action (every MenuAction has one). */
export function menuOutcome(action: MenuAction, { isAdmin, route }: MenuContext): MenuOutcome {
  switch (action) {
    case "new_opportunity":
      // An opportunity belongs to an identity: on one's page it is for that one, else
      // the identities list says to open the identity first.
      return go(route.name === "identity" ? paths.newOpportunity(route.id) : paths.identitiesForOpportunity());
    case "new_identity":
      return go(paths.newIdentity());
    case "import":
      return go(paths.importOpportunities());
    case "backup_now":
      return isAdmin ? go(paths.settings("backup")) : { type: "message", message: "backupNowAdminOnly" };
    case "opportunities":
      return go(paths.opportunityList());
    case "board":
      return go(paths.opportunityBoard());
    case "identities":
      return go(paths.identities());
    case "products":
      return go(paths.products());
    case "reports":
      return go(paths.section("reports"));
    case "my_day":
      return go(paths.today());
    case "settings":
      return go(paths.settings());
    case "check_for_updates":
      return go(paths.settings("about", { check: true }));
    case "open_data_folder":
      return { type: "openFolder", folder: "data" };
    case "about":
      return go(paths.settings("about"));
  }
}
