import { describe, expect, it } from "vitest";
import type { OpportunityRow } from "../../lib/types";
import { dropTargetOf, EDGE_ZONE, edgeScroll, laneKey, planMove } from "./BoardView";

/** A board cell as the board draws it: a column with its stage and lane, a card inside. */
function cell(stage: string, lane?: string): HTMLElement {
  const column = document.createElement("section");
  column.dataset.dropStage = stage;
  if (lane !== undefined) column.dataset.dropLane = lane;
  const card = document.createElement("article");
  const title = document.createElement("span");
  card.append(title);
  column.append(card);
  document.body.append(column);
  return title;
}

const card = (partial: Partial<OpportunityRow>) => ({ id: 7, stageId: 3, assignedUserId: 2, ...partial }) as OpportunityRow;

describe("where a dragged card is over", () => {
  it("reads the stage and the lane of the cell under the pointer, from anything inside it", () => {
    expect(dropTargetOf(cell("3", "2"))).toEqual({ stageId: 3, lane: { userId: 2 } });
    expect(dropTargetOf(cell("4", "none"))).toEqual({ stageId: 4, lane: { userId: null } });
    expect(dropTargetOf(cell("5", "all"))).toEqual({ stageId: 5, lane: null });
    expect(dropTargetOf(cell("5"))).toEqual({ stageId: 5, lane: null });
  });

  it("is nowhere outside a column or on a column it cannot read", () => {
    expect(dropTargetOf(null)).toBeNull();
    expect(dropTargetOf(document.body)).toBeNull();
    expect(dropTargetOf(cell("x", "2"))).toBeNull();
    expect(dropTargetOf(cell("0", "2"))).toBeNull();
    expect(dropTargetOf(cell("3", "-1"))).toBeNull();
    expect(dropTargetOf(cell("3", "2.5"))).toBeNull();
  });

  it("names lanes the way the test ids and drop targets do", () => {
    expect([laneKey(null), laneKey({ userId: null }), laneKey({ userId: 4 })]).toEqual(["all", "none", "4"]);
  });
});

describe("what a drop changes", () => {
  it("without swimlanes: the stage only", () => {
    expect(planMove(card({}), { stageId: 4, lane: null })).toEqual({ stageId: 4, assign: null });
    expect(planMove(card({}), { stageId: 3, lane: null })).toBeNull();
  });

  it("another user's lane assigns, the unassigned lane unassigns, with or without a new stage", () => {
    expect(planMove(card({}), { stageId: 3, lane: { userId: 1 } })).toEqual({ stageId: 3, assign: { userId: 1 } });
    expect(planMove(card({}), { stageId: 4, lane: { userId: 1 } })).toEqual({ stageId: 4, assign: { userId: 1 } });
    expect(planMove(card({}), { stageId: 3, lane: { userId: null } })).toEqual({ stageId: 3, assign: { userId: null } });
    expect(planMove(card({ assignedUserId: null }), { stageId: 3, lane: { userId: 2 } })).toEqual({ stageId: 3, assign: { userId: 2 } });
  });

  it("the card's own lane keeps the assignee; its own cell is no move", () => {
    expect(planMove(card({}), { stageId: 4, lane: { userId: 2 } })).toEqual({ stageId: 4, assign: null });
    expect(planMove(card({}), { stageId: 3, lane: { userId: 2 } })).toBeNull();
    expect(planMove(card({ assignedUserId: null }), { stageId: 3, lane: { userId: null } })).toBeNull();
  });
});

describe("scrolling the board while a card is dragged", () => {
  const box = { left: 200, right: 1300, top: 100, bottom: 700 };
  it("does nothing in the middle", () => {
    expect(edgeScroll(box, 700, 400)).toEqual({ dx: 0, dy: 0 });
    expect(edgeScroll(box, box.left + EDGE_ZONE, box.top + EDGE_ZONE)).toEqual({ dx: 0, dy: 0 });
  });
  it("scrolls towards the edge the pointer is near, faster closer to it", () => {
    const nearRight = edgeScroll(box, box.right - 40, 400);
    const atRight = edgeScroll(box, box.right - 2, 400);
    expect(nearRight.dx).toBeGreaterThan(0);
    expect(atRight.dx).toBeGreaterThan(nearRight.dx);
    expect(edgeScroll(box, box.left + 5, 400).dx).toBeLessThan(0);
    expect(edgeScroll(box, 700, box.bottom - 5).dy).toBeGreaterThan(0);
    expect(edgeScroll(box, 700, box.top + 5).dy).toBeLessThan(0);
    // Past the edge (the pointer left the board): the fastest step, not more.
    expect(edgeScroll(box, box.right + 300, 400).dx).toBe(atRight.dx >= 22 ? atRight.dx : 22);
  });
});
