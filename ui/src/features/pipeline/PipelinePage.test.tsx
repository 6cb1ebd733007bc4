import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { catalogueMock, makeProduct } from "../../test/mockCatalogue";
import type { ListRequest } from "../../lib/types";
import { CARD_ROW } from "./BoardView";

// Whole-app renders in jsdom are slow on a busy machine.
vi.setConfig({ testTimeout: 20_000 });
configure({ asyncUtilTimeout: 5_000 });

let backend: MockBackend;

const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
const sara = makeIdentity(2, { displayName: "Sara Ahmadi" });

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  backend = installMockBackend({
    identities: [acme, sara],
    opportunities: [
      makeOpportunity(1, acme, { title: "Network upgrade", estimatedAmount: "5000000", probability: 10, stageId: 1, closeDate: "2025-01-10", createdAt: "2025-01-01T09:00:00Z" }),
      makeOpportunity(2, acme, { title: "Server room", estimatedAmount: "12000000", probability: 25, stageId: 2, stageKind: "open", closeDate: "2025-06-01", createdAt: "2025-01-02T09:00:00Z" }),
      makeOpportunity(3, sara, { title: "Laptops for sales", estimatedAmount: "800000", probability: 60, stageId: 3, assignedUserId: 2, createdAt: "2025-01-03T09:00:00Z" }),
      makeOpportunity(4, sara, { title: "Network cabling", estimatedAmount: "3000000", probability: 25, stageId: 2, assignedUserId: null, createdAt: "2025-01-04T09:00:00Z" }),
      makeOpportunity(5, acme, { title: "Printers", estimatedAmount: "1500000", probability: 100, stageId: 4, stageKind: "won", winReasonId: 20, wonOn: "2025-03-10", createdAt: "2025-01-05T09:00:00Z" }),
    ],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
});

afterEach(() => {
  clearMocks();
  window.location.hash = "";
});

function open(hash: string) {
  window.location.hash = hash;
  render(<App />);
}

const listRequests = () => backend.calls.filter((c) => c.cmd === "list_opportunities").map((c) => (c.args as { request: ListRequest }).request);
const titlesShown = () =>
  within(screen.getByTestId("opportunity-table"))
    .getAllByRole("row")
    .slice(1)
    .map((r) => r.querySelector(".cell-name")?.textContent);

/**
 * Drags `card` with the pointer and drops it on `over`. jsdom lays nothing out and
 * has no elementFromPoint, so the pointer is "over" that element for the drag;
 * `during` looks at the board while the card is held there.
 */
function drag(card: HTMLElement, over: Element, during?: () => void) {
  Object.defineProperty(document, "elementFromPoint", { configurable: true, value: () => over });
  try {
    fireEvent.pointerDown(card, { button: 0, pointerId: 1, clientX: 10, clientY: 10 });
    fireEvent.pointerMove(window, { pointerId: 1, clientX: 40, clientY: 140 });
    during?.();
    fireEvent.pointerUp(window, { pointerId: 1, clientX: 40, clientY: 140 });
  } finally {
    delete (document as { elementFromPoint?: unknown }).elementFromPoint;
  }
}

describe("the opportunity list", () => {
  it("reads the filters from the address and asks the backend for exactly them", async () => {
    open("#/opportunities?stage=2&q=network");
    await waitFor(() => expect(titlesShown()).toEqual(["Network cabling"]));
    const request = listRequests().at(-1);
    expect(request?.filter).toMatchObject({ stageIds: [2], text: "network", status: null, unassigned: false });
    expect(request?.pageSize).toBe(50);
    expect(screen.getByTestId("totals-count").textContent).toBe("1");
    // Chips name what is filtered.
    const chips = screen.getByTestId("filter-chips");
    expect(within(chips).getByText("Stage: Needs analysis")).toBeTruthy();
    expect(within(chips).getByText("Text: network")).toBeTruthy();
  });

  it("puts a changed filter in the address (so Back works) and clears them all", async () => {
    const user = userEvent.setup();
    open("#/opportunities");
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
    await user.click(screen.getByText("Won", { selector: ".segmented__option span" }));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?status=won"));
    await waitFor(() => expect(titlesShown()).toEqual(["Printers"]));
    await user.click(screen.getByTestId("filters-toggle"));
    await user.click(screen.getByRole("checkbox", { name: "Overdue only" }));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?status=won&overdue=1"));
    await user.click(screen.getByTestId("filters-clear"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities"));
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
  });

  it("offers unassigned among the users and maps it to the request", async () => {
    const user = userEvent.setup();
    open("#/opportunities");
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
    await user.click(screen.getByRole("group", { name: "Assigned to" }).closest("details")?.querySelector("summary") as HTMLElement);
    await user.click(within(screen.getByTestId("filter-user")).getByRole("checkbox", { name: "Unassigned" }));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?user=none"));
    await waitFor(() => expect(titlesShown()).toEqual(["Network cabling"]));
    expect(listRequests().at(-1)?.filter).toMatchObject({ assignedUserIds: [], unassigned: true });
  });

  it("sorts by a header click, reverses on the second, and adds a key with Shift", async () => {
    const user = userEvent.setup();
    open("#/opportunities");
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
    await user.click(screen.getByTestId("sort-estimated"));
    await waitFor(() => expect(titlesShown()[0]).toBe("Laptops for sales"));
    await user.click(screen.getByTestId("sort-estimated"));
    await waitFor(() => expect(titlesShown()).toEqual(["Server room", "Network upgrade", "Network cabling", "Printers", "Laptops for sales"]));
    expect(listRequests().at(-1)?.sort).toEqual([{ column: "estimated", desc: true }]);
    expect(window.location.hash).toBe("#/opportunities?sort=estimated.desc");
    expect(screen.getByTestId("sort-estimated").closest("th")?.getAttribute("aria-sort")).toBe("descending");
    await user.click(screen.getByTestId("sort-stage"));
    await user.keyboard("{Shift>}");
    await user.click(screen.getByTestId("sort-estimated"));
    await user.keyboard("{/Shift}");
    await waitFor(() => expect(listRequests().at(-1)?.sort).toEqual([
      { column: "stage", desc: false },
      { column: "estimated", desc: false },
    ]));
    await waitFor(() => expect(titlesShown()).toEqual(["Network upgrade", "Network cabling", "Server room", "Laptops for sales", "Printers"]));
    expect(window.location.hash).toBe("#/opportunities?sort=stage.asc,estimated.asc");
  });

  it("opens with the sort of the address, keeps it with the filters and the board, and Back undoes a sort", async () => {
    const user = userEvent.setup();
    open("#/opportunities?status=open&sort=estimated.desc,nonsense.asc");
    await waitFor(() => expect(titlesShown()).toEqual(["Server room", "Network upgrade", "Network cabling", "Laptops for sales"]));
    expect(listRequests().at(-1)?.sort).toEqual([{ column: "estimated", desc: true }]);
    expect(screen.getByTestId("sort-estimated").closest("th")?.getAttribute("aria-sort")).toBe("descending");
    // A filter keeps the sort; so does the way to the board and back.
    await user.click(screen.getByText("All", { selector: ".segmented__option span" }));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?sort=estimated.desc"));
    expect(screen.getByTestId("view-board").getAttribute("href")).toBe("#/opportunities/board?sort=estimated.desc");
    // A header click is a step in the history: Back brings the previous order back.
    await user.click(screen.getByTestId("sort-title"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?sort=title.asc"));
    await waitFor(() => expect(titlesShown()[0]).toBe("Laptops for sales"));
    act(() => window.history.back());
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?sort=estimated.desc"));
    await waitFor(() => expect(titlesShown()[0]).toBe("Server room"));
    expect(screen.getByTestId("sort-estimated").closest("th")?.getAttribute("aria-sort")).toBe("descending");
    expect(screen.getByTestId("sort-title").closest("th")?.hasAttribute("aria-sort")).toBe(false);
  });

  it("remembers the chosen columns per user", async () => {
    backend.userValues.set("ui.opportunityList.columns", JSON.stringify([{ column: "estimated", visible: true }, { column: "title", visible: true }]));
    const user = userEvent.setup();
    open("#/opportunities");
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
    const headers = () => within(screen.getByTestId("opportunity-table")).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers().slice(1, 3)).toEqual(["Estimated", "Title"]);
    await user.click(screen.getByTestId("column-chooser").querySelector("summary") as HTMLElement);
    await user.click(within(screen.getByTestId("column-chooser")).getByRole("checkbox", { name: "Estimated" }));
    await waitFor(() => expect(headers()).not.toContain("Estimated"));
    await user.click(within(screen.getByTestId("column-chooser")).getByRole("button", { name: "Move Title earlier" }));
    const saved = JSON.parse(backend.userValues.get("ui.opportunityList.columns") ?? "[]") as { column: string; visible: boolean }[];
    expect(saved.slice(0, 2)).toEqual([
      { column: "title", visible: true },
      { column: "estimated", visible: false },
    ]);
    expect(backend.calls.filter((c) => c.cmd === "set_user_value")).toHaveLength(2);
  });

  it("names the product and the competitor an address holds only the ids of", async () => {
    const user = userEvent.setup();
    catalogueMock.products = [makeProduct(9, { code: "PR-9", name: "Laser printer" })];
    backend.identities.push(makeIdentity(7, { displayName: "Rival Ltd", kind: "organization" }));
    open("#/opportunities?product=9&competitor=7");
    const chips = await screen.findByTestId("filter-chips");
    await within(chips).findByText("Product: Laser printer");
    await within(chips).findByText("Competitor: Rival Ltd");
    expect(backend.calls.filter((c) => c.cmd === "get_product").map((c) => c.args)).toContainEqual({ id: 9 });
    expect(backend.calls.filter((c) => c.cmd === "get_identity").map((c) => c.args)).toContainEqual({ id: 7 });
    // The panel's fields say the same.
    await user.click(screen.getByTestId("filters-toggle"));
    const panel = screen.getByTestId("filter-panel");
    expect(within(panel).getByText("Laser printer")).toBeTruthy();
    expect(within(panel).getByLabelText("Competitor")).toHaveProperty("value", "Rival Ltd");
    // Removing the chip removes the filter from the address.
    await user.click(within(chips).getByRole("button", { name: "Remove Product: Laser printer" }));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities?competitor=7"));
  });

  it("says so when the product or competitor of the address does not exist", async () => {
    open("#/opportunities?product=99&competitor=98");
    const chips = await screen.findByTestId("filter-chips");
    await within(chips).findByText("Product: Product #99 (not found)");
    await within(chips).findByText("Competitor: Competitor #98 (not found)");
  });

  it("shows a filter the backend refuses next to its field", async () => {
    open("#/opportunities?amountMin=abc");
    const field = await screen.findByLabelText("Estimated from");
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText("This value is not valid.")).toBeTruthy();
    expect(screen.getByText("Check the filters")).toBeTruthy();
  });

  it("opens a row with Enter and moves between rows with the arrows", async () => {
    const user = userEvent.setup();
    open("#/opportunities?sort=x");
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
    const rows = within(screen.getByTestId("opportunity-table")).getAllByRole("row").slice(1);
    act(() => rows[0]?.focus());
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(rows[1]);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(window.location.hash).toBe(`#/opportunities/${rows[1]?.getAttribute("data-opportunity-id")}`));
  });
});

describe("bulk edit", () => {
  it("asks for the reason when the stage is won, then updates all selected", async () => {
    const user = userEvent.setup();
    open("#/opportunities?status=open");
    await waitFor(() => expect(titlesShown()).toHaveLength(4));
    await user.click(screen.getByRole("checkbox", { name: "Select Network upgrade" }));
    await user.click(screen.getByRole("checkbox", { name: "Select Server room" }));
    expect(within(screen.getByTestId("bulk-bar")).getByText("2 selected")).toBeTruthy();
    await user.click(screen.getByTestId("bulk-stage"));
    const dialog = screen.getByTestId("bulk-dialog");
    await user.selectOptions(within(dialog).getByLabelText("Stage"), "Won");
    const reason = within(dialog).getByLabelText("Win reason");
    await user.click(within(dialog).getByTestId("bulk-apply"));
    expect(within(dialog).getAllByText("This field is required.").length).toBeGreaterThan(0);
    expect(backend.calls.some((c) => c.cmd === "bulk_update_opportunities")).toBe(false);
    await user.selectOptions(reason, "Good price");
    await user.click(within(dialog).getByTestId("bulk-apply"));
    await screen.findByText("2 opportunities updated.");
    const call = backend.calls.find((c) => c.cmd === "bulk_update_opportunities");
    expect(call?.args).toEqual({ items: [{ id: 1, version: 1 }, { id: 2, version: 1 }], change: { stageId: 4, reasonId: 20, reasonNote: null } });
    expect(backend.opportunities.filter((o) => o.stageKind === "won").map((o) => o.id).sort()).toEqual([1, 2, 5]);
    await waitFor(() => expect(titlesShown()).toHaveLength(2));
  });

  it("says in plain words when someone else changed one of them", async () => {
    const user = userEvent.setup();
    open("#/opportunities");
    await waitFor(() => expect(titlesShown()).toHaveLength(5));
    await user.click(screen.getByRole("checkbox", { name: "Select all on this page" }));
    expect(within(screen.getByTestId("bulk-bar")).getByText("5 selected")).toBeTruthy();
    backend.opportunities = backend.opportunities.map((o) => (o.id === 3 ? { ...o, version: 2 } : o));
    await user.click(screen.getByTestId("bulk-assign"));
    const dialog = screen.getByTestId("bulk-dialog");
    await user.selectOptions(within(dialog).getByLabelText("Assign to"), "Nobody (unassign)");
    await user.click(within(dialog).getByTestId("bulk-apply"));
    expect((await within(dialog).findByTestId("bulk-error")).textContent).toMatch(/Someone changed one of these opportunities/);
    expect(backend.opportunities.every((o) => o.id === 4 || o.assignedUserId !== null)).toBe(true);
  });
});

describe("the board", () => {
  it("shows a column per stage with counts and sums, won and lost at the end", async () => {
    open("#/opportunities/board");
    const board = await screen.findByTestId("board");
    await waitFor(() => expect(within(board).getByTestId("column-count-2").textContent).toBe("2"));
    const heads = within(board).getAllByRole("banner").map((h) => h.querySelector(".pl-column__title")?.firstChild?.textContent);
    expect(heads).toEqual(["Establishing contact", "Needs analysis", "Negotiation", "Won", "Lost"]);
    expect(within(screen.getByTestId("column-head-2")).getByText("Est. 15,000,000")).toBeTruthy();
    expect(within(screen.getByTestId("column-head-2")).getByText("Exp. 3,750,000")).toBeTruthy();
    await within(screen.getByTestId("column-2")).findByText("Server room");
    expect(within(screen.getByTestId("column-1")).getByText("Overdue")).toBeTruthy();
    const cards = backend.calls.filter((c) => c.cmd === "pipeline_board_cards").map((c) => c.args as { offset: number; limit: number; request: { closedWithinDays: number | null } });
    expect(cards.every((c) => c.offset === 0 && c.limit === 30 && c.request.closedWithinDays === 30)).toBe(true);
  });

  it("moves a card by keyboard; won asks for the reason, Escape leaves it where it was", async () => {
    const user = userEvent.setup();
    open("#/opportunities/board");
    const card = await within(await screen.findByTestId("column-3")).findByTestId("card-3");
    act(() => card.focus());
    await user.keyboard("{Control>}{ArrowRight}{/Control}");
    const dialog = await screen.findByTestId("reason-dialog");
    expect(within(dialog).getByText("Why was it won?")).toBeTruthy();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("reason-dialog")).toBeNull());
    expect(backend.calls.some((c) => c.cmd === "move_opportunity")).toBe(false);
    expect(within(screen.getByTestId("column-3")).getByTestId("card-3")).toBeTruthy();

    act(() => within(screen.getByTestId("column-3")).getByTestId("card-3").focus());
    await user.keyboard("{Control>}{ArrowRight}{/Control}");
    const again = await screen.findByTestId("reason-dialog");
    // "Mark as won" waits for the reason.
    expect((within(again).getByTestId("reason-confirm") as HTMLButtonElement).disabled).toBe(true);
    await user.selectOptions(within(again).getByLabelText("Win reason"), "Good price");
    await user.type(within(again).getByLabelText("Note (optional)"), "Best offer");
    await user.click(within(again).getByTestId("reason-confirm"));
    await within(screen.getByTestId("column-4")).findByTestId("card-3");
    expect(backend.calls.find((c) => c.cmd === "move_opportunity")?.args).toEqual({ input: { id: 3, version: 1, stageId: 4, reasonId: 20, reasonNote: "Best offer", assign: null } });
    expect(backend.opportunities.find((o) => o.id === 3)).toMatchObject({ stageKind: "won", winReasonId: 20 });
    await waitFor(() => expect(screen.getByTestId("column-count-4").textContent).toBe("2"));
    expect(screen.getByTestId("column-count-3").textContent).toBe("0");
  });

  it("moves to an open stage at once and puts the card back when the move is refused", async () => {
    const user = userEvent.setup();
    open("#/opportunities/board");
    const card = await within(await screen.findByTestId("column-1")).findByTestId("card-1");
    backend.opportunities = backend.opportunities.map((o) => (o.id === 1 ? { ...o, version: 7 } : o));
    act(() => card.focus());
    await user.keyboard("{Control>}{ArrowRight}{/Control}");
    await screen.findByText(/was changed by someone else meanwhile/);
    await within(screen.getByTestId("column-1")).findByTestId("card-1");
    await waitFor(() => expect(screen.getByTestId("column-count-1").textContent).toBe("1"));
    // After the refresh the card carries the new version, and the move goes through.
    act(() => within(screen.getByTestId("column-1")).getByTestId("card-1").focus());
    await user.keyboard("{Control>}{ArrowRight}{/Control}");
    await within(screen.getByTestId("column-2")).findByTestId("card-1");
    await waitFor(() => expect(screen.getByTestId("column-count-2").textContent).toBe("3"));
  });

  it("with swimlanes, a card dragged into another user's lane of the same column is reassigned, not moved", async () => {
    const user = userEvent.setup();
    open("#/opportunities/board");
    await screen.findByTestId("board");
    await user.click(screen.getByTestId("board-by-user"));
    const card = await within(await screen.findByTestId("column-3-2")).findByTestId("card-3");
    expect(within(card).getByText("Sara Karimi")).toBeTruthy();
    const target = screen.getByTestId("column-3-1");
    // The pointer goes over the Admin lane's Negotiation cell.
    drag(card, target.querySelector(".pl-cards") ?? target, () => {
      expect(target.classList.contains("is-over")).toBe(true);
      expect(screen.getByText("Drop on Negotiation, Admin")).toBeTruthy();
    });
    // The card is in the Admin lane, shows its new assignee, and no reason was asked for.
    const moved = await within(screen.getByTestId("column-3-1")).findByTestId("card-3");
    expect(within(moved).getByText("Admin")).toBeTruthy();
    expect(within(screen.getByTestId("column-3-2")).queryByTestId("card-3")).toBeNull();
    expect(screen.queryByTestId("reason-dialog")).toBeNull();
    await screen.findByText("“Laptops for sales” assigned to Admin.");
    expect(backend.calls.filter((c) => c.cmd === "move_opportunity").map((c) => c.args)).toEqual([{ input: { id: 3, version: 1, stageId: 3, reasonId: null, reasonNote: null, assign: { userId: 1 } } }]);
    expect(backend.opportunities.find((o) => o.id === 3)).toMatchObject({ assignedUserId: 1, stageId: 3, version: 2 });
    await waitFor(() => expect(screen.getByTestId("column-count-3").textContent).toBe("1"));
  });

  it("with swimlanes, a drop into a closed column of the unassigned lane asks for the reason, then moves and unassigns", async () => {
    const user = userEvent.setup();
    open("#/opportunities/board");
    await screen.findByTestId("board");
    await user.click(screen.getByTestId("board-by-user"));
    const card = await within(await screen.findByTestId("column-1-1")).findByTestId("card-1");
    const target = await screen.findByTestId("column-4-none");
    drag(card, target);
    const dialog = await screen.findByTestId("reason-dialog");
    expect(backend.calls.some((c) => c.cmd === "move_opportunity")).toBe(false);
    await within(dialog).findByRole("option", { name: "Good price" });
    await user.selectOptions(within(dialog).getByLabelText("Win reason"), "Good price");
    await user.click(within(dialog).getByTestId("reason-confirm"));
    await within(screen.getByTestId("column-4-none")).findByTestId("card-1");
    await screen.findByText("“Network upgrade” moved to Won and unassigned.");
    expect(backend.calls.find((c) => c.cmd === "move_opportunity")?.args).toEqual({ input: { id: 1, version: 1, stageId: 4, reasonId: 20, reasonNote: null, assign: { userId: null } } });
    expect(backend.opportunities.find((o) => o.id === 1)).toMatchObject({ assignedUserId: null, stageKind: "won" });
  });

  it("with swimlanes, puts a refused reassignment back in its lane", async () => {
    const user = userEvent.setup();
    open("#/opportunities/board");
    await screen.findByTestId("board");
    await user.click(screen.getByTestId("board-by-user"));
    const card = await within(await screen.findByTestId("column-2-1")).findByTestId("card-2");
    backend.opportunities = backend.opportunities.map((o) => (o.id === 2 ? { ...o, version: 5 } : o));
    const target = screen.getByTestId("column-2-2");
    drag(card, target);
    await screen.findByText(/was changed by someone else meanwhile/);
    await within(screen.getByTestId("column-2-1")).findByTestId("card-2");
    await waitFor(() => expect(within(screen.getByTestId("column-2-2")).queryByTestId("card-2")).toBeNull());
    expect(backend.opportunities.find((o) => o.id === 2)).toMatchObject({ assignedUserId: 1 });
  });

  it("with swimlanes, the keyboard's Move to… offers the lanes too", async () => {
    const user = userEvent.setup();
    open("#/opportunities/board");
    await screen.findByTestId("board");
    await user.click(screen.getByTestId("board-by-user"));
    const card = await within(await screen.findByTestId("column-3-2")).findByTestId("card-3");
    // The card's "Move to…" button opens the menu (and not the opportunity); so does M.
    await user.click(within(card).getByRole("button", { name: "Move to…" }));
    expect(await screen.findByTestId("move-dialog")).toBeTruthy();
    expect(window.location.hash).toBe("#/opportunities/board");
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("move-dialog")).toBeNull());
    act(() => within(screen.getByTestId("column-3-2")).getByTestId("card-3").focus());
    await user.keyboard("m");
    const dialog = await screen.findByTestId("move-dialog");
    const lanes = within(dialog).getByRole("region", { name: "Assign to (swimlane)" });
    expect(within(lanes).getAllByRole("button").map((b) => [b.textContent, (b as HTMLButtonElement).disabled])).toEqual([
      ["Admin", false],
      ["Sara Karimi", true],
      ["Unassigned", false],
    ]);
    expect(within(within(dialog).getByRole("region", { name: "Stage" })).getByRole("button", { name: "Negotiation" })).toHaveProperty("disabled", true);
    await user.click(within(lanes).getByRole("button", { name: "Unassigned" }));
    await within(await screen.findByTestId("column-3-none")).findByTestId("card-3");
    expect(backend.calls.find((c) => c.cmd === "move_opportunity")?.args).toEqual({ input: { id: 3, version: 1, stageId: 3, reasonId: null, reasonNote: null, assign: { userId: null } } });
    await screen.findByText("“Laptops for sales” is no longer assigned to anyone.");
  });

  it("draws only the cards in view of a column of 50,000 and asks for slices as it scrolls", async () => {
    const many = Array.from({ length: 50_000 }, (_, i) => makeOpportunity(1000 + i, acme, { title: `Bulk deal ${i}`, stageId: 1, closeDate: null, createdAt: "2025-02-01T09:00:00Z" }));
    backend.opportunities.push(...many);
    open("#/opportunities/board");
    await waitFor(() => expect(screen.getByTestId("column-count-1").textContent).toBe("50,001"), { timeout: 15_000 });
    const column = screen.getByTestId("column-1");
    await within(column).findAllByText(/Bulk deal/, {}, { timeout: 15_000 });
    expect(column.querySelectorAll(".pl-card").length).toBeLessThan(20);
    const asked = () => backend.calls.filter((c) => c.cmd === "pipeline_board_cards" && (c.args as { stageId: number }).stageId === 1).map((c) => (c.args as { offset: number }).offset);
    expect(asked()).toEqual([0]);
    const scroller = column.querySelector(".pl-cards") as HTMLElement;
    scroller.scrollTop = 40_000 * CARD_ROW;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(asked()).toContain(39_990));
    await waitFor(() => expect(column.querySelectorAll("[data-card-id]").length).toBeGreaterThan(0));
    expect(column.querySelectorAll(".pl-card").length).toBeLessThan(20);
    const top = Number.parseInt((column.querySelector("[data-card-id]") as HTMLElement).style.top, 10);
    expect(top).toBeGreaterThanOrEqual(39_990 * CARD_ROW);
  });
});
