import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { ErrorState, Loading } from "../../components/States";
import { useToast } from "../../components/Toast";
import { appErrorOf, describeError, describeFieldError } from "../../lib/api";
import { formatDate, formatDecimal, formatMoney } from "../../lib/format";
import { localTitle } from "../../lib/titles";
import type { BoardRequest, BoardStage, BoardSummary, Lane, OpportunityRow } from "../../lib/types";
import { sumDecimals } from "../../shared/decimals";
import type { ViewProps } from "./viewProps";
import { CARD_SLICE, useBoard, useBoardCardSlices, useMoveCard } from "./queries";
import { ReasonDialog, type Reason } from "./ReasonFields";
import { toOpportunityFilter } from "./urlFilters";

/** Won and lost columns show this many days back unless "show all" is on. */
export const CLOSED_WINDOW_DAYS = 30;
/** Every card has the same height, so a column can show only the cards in view. */
export const CARD_ROW = 104;
const OVERSCAN = 3;
/** A swimlane is as tall as its fullest cell, within these bounds. */
const LANE_MIN = 56;
const LANE_MAX = 3 * CARD_ROW + 12;
const DEFAULT_VIEW_HEIGHT = 600;

/** Where a card is dropped: a stage, and the swimlane when the board has them. */
export type DropTarget = { stageId: number; lane: Lane | null };
type Drag = { card: OpportunityRow; lane: Lane | null; x: number; y: number; over: DropTarget | null };
type PendingMove = { card: OpportunityRow; lane: Lane | null; stage: BoardStage; assign: Lane | null };

/** A lane in test ids and drop targets: a user's id, "none" for the unassigned lane, "all" without swimlanes. */
export const laneKey = (lane: Lane | null) => (lane === null ? "all" : String(lane.userId ?? "none"));

/** The stage and lane of the board cell under an element (a column carries `data-drop-stage` and `data-drop-lane`). */
export function dropTargetOf(element: Element | null): DropTarget | null {
  const column = element?.closest<HTMLElement>("[data-drop-stage]");
  if (!column) return null;
  const stageId = Number(column.dataset.dropStage);
  if (!Number.isSafeInteger(stageId) || stageId <= 0) return null;
  const key = column.dataset.dropLane ?? "all";
  if (key === "all") return { stageId, lane: null };
  if (key === "none") return { stageId, lane: { userId: null } };
  const userId = Number(key);
  return /^\d+$/.test(key) && Number.isSafeInteger(userId) && userId > 0 ? { stageId, lane: { userId } } : null;
}

/**
 * What dropping a card on a target changes: the stage, and the assignee when the
 * target is another user's lane (or the unassigned one). Null when it changes
 * nothing (the card's own cell).
 */
export function planMove(card: OpportunityRow, target: DropTarget): { stageId: number; assign: Lane | null } | null {
  const userId = target.lane === null ? undefined : (target.lane.userId ?? null);
  const assign = userId !== undefined && userId !== (card.assignedUserId ?? null) ? { userId } : null;
  if (target.stageId === card.stageId && assign === null) return null;
  return { stageId: target.stageId, assign };
}

/** How close to the board's edge (px) a dragged card starts scrolling it, and the fastest step per frame. */
export const EDGE_ZONE = 56;
const EDGE_STEP = 22;

/**
 * How far to scroll the board in one frame while a card is dragged at (x, y): towards
 * the edge the pointer is near, faster the closer it is; nothing in the middle.
 */
export function edgeScroll(box: { left: number; right: number; top: number; bottom: number }, x: number, y: number): { dx: number; dy: number } {
  const step = (near: number) => (near >= EDGE_ZONE ? 0 : Math.ceil(EDGE_STEP * (1 - Math.max(0, near) / EDGE_ZONE)));
  const dx = step(box.right - x) - step(x - box.left);
  const dy = step(box.bottom - y) - step(y - box.top);
  return { dx, dy };
}

/** The board: a column per stage, cards dragged (or moved by keyboard) between them. */
export function BoardView({ filters, filterBar }: ViewProps) {
  const { t } = useTranslation("pipeline");
  const { t: tc } = useTranslation("common");
  const { language } = useAppSettings();
  const toast = useToast();
  const [showAllClosed, setShowAllClosed] = useState(false);
  const [byUser, setByUser] = useState(false);
  const request: BoardRequest = { filter: toOpportunityFilter(filters), closedWithinDays: showAllClosed ? null : CLOSED_WINDOW_DAYS, byUser };
  const board = useBoard(request);
  const move = useMoveCard();
  const [drag, setDrag] = useState<Drag | null>(null);
  const [pending, setPending] = useState<PendingMove | null>(null);
  const [focusId, setFocusId] = useState<number | null>(null);
  const [moveMenu, setMoveMenu] = useState<{ card: OpportunityRow; lane: Lane | null } | null>(null);
  const stages = board.data?.stages ?? [];
  const lanes = byUser ? (board.data?.lanes ?? []) : [];
  const laneName = (lane: Lane) => lanes.find((l) => (l.lane.userId ?? null) === (lane.userId ?? null))?.name ?? t("unassigned");

  const doMove = (card: OpportunityRow, lane: Lane | null, stage: BoardStage, assign: Lane | null, reason: Reason | null) => {
    setFocusId(card.id);
    const assigneeName = assign && assign.userId !== null ? laneName(assign) : null;
    const done = () => {
      const names = { title: card.title, stage: localTitle(stage, language), user: assigneeName ?? "" };
      if (!assign) return t("board.moved", names);
      if (stage.id === card.stageId) return assigneeName === null ? t("board.unassignedDone", names) : t("board.reassigned", names);
      return assigneeName === null ? t("board.movedAndUnassigned", names) : t("board.movedAndReassigned", names);
    };
    move.mutate(
      { card, lane, request, assigneeName, input: { id: card.id, version: card.version, stageId: stage.id, stageKind: stage.kind, reasonId: reason?.reasonId ?? null, reasonNote: reason?.reasonNote ?? null, assign } },
      {
        onSuccess: () => toast.show(done(), "success"),
        onError: (error) => {
          const appError = appErrorOf(error);
          let message = describeError(error, tc);
          if (appError?.kind === "conflict") message = t("board.moveConflict", { title: card.title });
          else if (appError?.kind === "validation" && appError.fields[0]) message = t("board.moveRefused", { title: card.title, message: describeFieldError(appError.fields[0], tc) });
          toast.show(message, "error");
        },
      },
    );
  };

  /**
   * A card dropped on (or sent to) a stage and lane: another lane reassigns it; a new
   * won or lost stage asks for the reason first (a reassignment within it does not).
   */
  const requestMove = (card: OpportunityRow, lane: Lane | null, target: DropTarget) => {
    const plan = planMove(card, target);
    const stage = stages.find((s) => s.id === target.stageId);
    if (!plan || !stage) return;
    if (stage.id !== card.stageId && (stage.kind === "won" || stage.kind === "lost")) setPending({ card, lane, stage, assign: plan.assign });
    else doMove(card, lane, stage, plan.assign, null);
  };

  // Dragging with the pointer: the card follows it, the column under it lights up.
  const dragRef = useRef<{ start: { x: number; y: number; pointerId: number; card: OpportunityRow; lane: Lane | null } | null; active: Drag | null; justDropped: boolean }>({ start: null, active: null, justDropped: false });
  const latest = useRef({ requestMove });
  useEffect(() => {
    latest.current = { requestMove };
  });
  useEffect(() => {
    const targetAt = (x: number, y: number) => dropTargetOf(document.elementFromPoint(x, y));
    // Near an edge of the board the board scrolls (also while the pointer rests there),
    // so a card reaches the columns off-screen.
    let frame = 0;
    const scrollStep = () => {
      frame = 0;
      const active = dragRef.current.active;
      const board = document.querySelector<HTMLElement>(".pl-board");
      if (!active || !board) return;
      const { dx, dy } = edgeScroll(board.getBoundingClientRect(), active.x, active.y);
      if (dx === 0 && dy === 0) return;
      const before = { left: board.scrollLeft, top: board.scrollTop };
      board.scrollBy({ left: dx, top: dy });
      if (board.scrollLeft === before.left && board.scrollTop === before.top) return;
      const over = targetAt(active.x, active.y);
      if (over?.stageId !== active.over?.stageId || over?.lane?.userId !== active.over?.lane?.userId) {
        dragRef.current.active = { ...active, over };
        setDrag(dragRef.current.active);
      }
      frame = window.requestAnimationFrame(scrollStep);
    };
    const onMove = (e: PointerEvent) => {
      const state = dragRef.current;
      if (!state.start || e.pointerId !== state.start.pointerId) return;
      if (!state.active && Math.hypot(e.clientX - state.start.x, e.clientY - state.start.y) < 5) return;
      e.preventDefault();
      state.active = { card: state.start.card, lane: state.start.lane, x: e.clientX, y: e.clientY, over: targetAt(e.clientX, e.clientY) };
      setDrag(state.active);
      if (!frame) frame = window.requestAnimationFrame(scrollStep);
    };
    const end = (e: PointerEvent, drop: boolean) => {
      const state = dragRef.current;
      if (!state.start || e.pointerId !== state.start.pointerId) return;
      const active = state.active;
      state.start = null;
      state.active = null;
      setDrag(null);
      if (!active) return;
      state.justDropped = true;
      window.setTimeout(() => (dragRef.current.justDropped = false), 0);
      const target = drop ? targetAt(e.clientX, e.clientY) : null;
      if (target !== null) latest.current.requestMove(active.card, active.lane, target);
    };
    const onUp = (e: PointerEvent) => end(e, true);
    const onCancel = (e: PointerEvent) => end(e, false);
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape" && dragRef.current.start) {
        dragRef.current.start = null;
        dragRef.current.active = null;
        setDrag(null);
      }
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
    window.addEventListener("pointercancel", onCancel);
    window.addEventListener("keydown", onKey);
    return () => {
      if (frame) window.cancelAnimationFrame(frame);
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("pointercancel", onCancel);
      window.removeEventListener("keydown", onKey);
    };
  }, []);

  const cardHandlers: CardHandlers = {
    onPointerDown: (e, card, lane) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest("button")) return;
      dragRef.current.start = { x: e.clientX, y: e.clientY, pointerId: e.pointerId, card, lane };
    },
    onOpen: (card) => {
      if (!dragRef.current.justDropped) navigate(paths.opportunity(card.id));
    },
    onKey: (e, card, lane) => {
      if (e.target !== e.currentTarget) return;
      const rtl = getComputedStyle(e.currentTarget).direction === "rtl";
      const index = stages.findIndex((s) => s.id === card.stageId);
      if (e.key === "Enter") navigate(paths.opportunity(card.id));
      else if ((e.ctrlKey || e.metaKey) && (e.key === "ArrowRight" || e.key === "ArrowLeft")) {
        const forward = (e.key === "ArrowRight") !== rtl;
        const next = stages[index + (forward ? 1 : -1)];
        if (next) requestMove(card, lane, { stageId: next.id, lane });
      } else if (e.key === "m" || e.key === "M" || e.key === "ContextMenu") setMoveMenu({ card, lane });
      else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        const cards = Array.from(e.currentTarget.closest(".pl-cards")?.querySelectorAll<HTMLElement>(".pl-card[data-card-id]") ?? []);
        const at = cards.indexOf(e.currentTarget);
        cards[at + (e.key === "ArrowDown" ? 1 : -1)]?.focus();
      } else return;
      e.preventDefault();
    },
    onMoveMenu: (card, lane) => setMoveMenu({ card, lane }),
    focusId,
    draggingId: drag?.card.id ?? null,
  };

  const toolbarEnd = (
    <span className="pl-board-options">
      <label className="check">
        <input type="checkbox" checked={showAllClosed} onChange={(e) => setShowAllClosed(e.target.checked)} data-testid="board-all-closed" />
        <span>{t("board.showAllClosed")}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={byUser} onChange={(e) => setByUser(e.target.checked)} data-testid="board-by-user" />
        <span>{t("board.byUser")}</span>
      </label>
    </span>
  );

  /** What the screen reader hears while a card is over a cell. */
  const dropText = (over: DropTarget) => {
    const stage = localTitle(stages.find((s) => s.id === over.stageId) ?? { titleFa: "", titleEn: "" }, language);
    return over.lane === null ? t("board.dropOn", { stage }) : t("board.dropOnLane", { stage, lane: laneName(over.lane) });
  };

  let body;
  if (board.isPending) body = <Loading />;
  else if (board.isError && !board.data) body = <ErrorState error={board.error} title={t("board.loadError")} onRetry={() => void board.refetch()} />;
  else if (board.data) body = <Board summary={board.data} request={request} drag={drag} handlers={cardHandlers} lookupsUnassigned={t("unassigned")} />;

  return (
    <div className="page__body pl-board-page">
      {filterBar(board.error, toolbarEnd)}
      {body}
      {drag ? (
        <div className="pl-card pl-card--ghost" style={{ left: drag.x + 8, top: drag.y + 8 }} aria-hidden="true">
          <span className="pl-card__title">{drag.card.title}</span>
          <span className="pl-card__line muted">{drag.card.identityName}</span>
        </div>
      ) : null}
      <ReasonDialog
        open={pending !== null}
        kind={pending?.stage.kind ?? "won"}
        title={pending?.card.title ?? ""}
        stageName={pending ? localTitle(pending.stage, language) : ""}
        onCancel={() => {
          if (pending) setFocusId(pending.card.id);
          setPending(null);
        }}
        onConfirm={(reason) => {
          if (pending) doMove(pending.card, pending.lane, pending.stage, pending.assign, reason);
          setPending(null);
        }}
      />
      <Dialog open={moveMenu !== null} onClose={() => setMoveMenu(null)} title={t("board.moveTitle", { title: moveMenu?.card.title ?? "" })} variant="modal" testId="move-dialog">
        <MoveChoices
          heading={lanes.length > 0 ? t("board.moveStage") : null}
          testId="move-stages"
          choices={stages.map((s) => ({ key: String(s.id), label: localTitle(s, language), current: s.id === moveMenu?.card.stageId, target: { stageId: s.id, lane: moveMenu?.lane ?? null } }))}
          onChoose={(target) => {
            const menu = moveMenu;
            setMoveMenu(null);
            if (menu) requestMove(menu.card, menu.lane, target);
          }}
        />
        {lanes.length > 0 && moveMenu ? (
          <MoveChoices
            heading={t("board.moveLane")}
            testId="move-lanes"
            choices={lanes.map((l) => ({
              key: laneKey(l.lane),
              label: l.name ?? t("unassigned"),
              current: (l.lane.userId ?? null) === (moveMenu.card.assignedUserId ?? null),
              target: { stageId: moveMenu.card.stageId, lane: l.lane },
            }))}
            onChoose={(target) => {
              const menu = moveMenu;
              setMoveMenu(null);
              requestMove(menu.card, menu.lane, target);
            }}
          />
        ) : null}
      </Dialog>
      <p className="visually-hidden" aria-live="polite">
        {drag?.over ? dropText(drag.over) : ""}
      </p>
    </div>
  );
}

/** One group of the "Move to…" dialog: the stages, or (with swimlanes) the lanes. */
function MoveChoices({ heading, testId, choices, onChoose }: { heading: string | null; testId: string; choices: { key: string; label: string; current: boolean; target: DropTarget }[]; onChoose: (target: DropTarget) => void }) {
  const list = (
    <ul className="pl-move-list" data-testid={testId}>
      {choices.map((c) => (
        <li key={c.key}>
          <Button className="pl-move-list__item" disabled={c.current} aria-current={c.current ? "true" : undefined} onClick={() => onChoose(c.target)}>
            {c.label}
          </Button>
        </li>
      ))}
    </ul>
  );
  if (heading === null) return list;
  return (
    <section className="pl-move-group" aria-label={heading}>
      <h3 className="pl-move-group__title">{heading}</h3>
      {list}
    </section>
  );
}

type CardHandlers = {
  onPointerDown: (e: ReactPointerEvent<HTMLElement>, card: OpportunityRow, lane: Lane | null) => void;
  onOpen: (card: OpportunityRow) => void;
  onKey: (e: KeyboardEvent<HTMLElement>, card: OpportunityRow, lane: Lane | null) => void;
  onMoveMenu: (card: OpportunityRow, lane: Lane | null) => void;
  focusId: number | null;
  draggingId: number | null;
};

function Board({ summary, request, drag, handlers, lookupsUnassigned }: { summary: BoardSummary; request: BoardRequest; drag: Drag | null; handlers: CardHandlers; lookupsUnassigned: string }) {
  const { t } = useTranslation("pipeline");
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, decimals: currencyDecimals, withCurrency: false });
  const lanes: (Lane | null)[] = request.byUser ? summary.lanes.map((l) => l.lane) : [null];
  const cellOf = (stageId: number, lane: Lane | null) =>
    summary.cells.filter((c) => c.stageId === stageId && (lane === null || (c.lane?.userId ?? null) === (lane.userId ?? null)));
  const laneName = (lane: Lane | null) => summary.lanes.find((l) => (l.lane.userId ?? null) === (lane?.userId ?? null))?.name ?? lookupsUnassigned;

  return (
    <div className="pl-board" data-testid="board" data-overflow-ok style={{ gridTemplateColumns: `repeat(${summary.stages.length}, minmax(var(--pl-column-min), var(--pl-column-width)))` }}>
      {summary.stages.map((stage) => {
        const cells = cellOf(stage.id, null);
        const count = cells.reduce((n, c) => n + c.count, 0);
        return (
          <header key={stage.id} className={`pl-column__head pl-column__head--${stage.kind}`} data-testid={`column-head-${stage.id}`}>
            <span className="pl-column__title">
              {localTitle(stage, language)}
              <span className="pl-column__count" data-testid={`column-count-${stage.id}`}>
                {formatDecimal(String(count), language)}
              </span>
            </span>
            <span className="pl-column__sums">
              <span title={t("board.estimatedSum")}>{t("board.estimated", { amount: money(sumDecimals(cells.map((c) => c.estimated))) })}</span>
              <span title={t("board.expectedSum")}>{t("board.expected", { amount: money(sumDecimals(cells.map((c) => c.expected))) })}</span>
            </span>
            {stage.kind !== "open" && request.closedWithinDays !== null ? <span className="pl-column__window muted">{t("board.lastDays", { n: formatDecimal(String(request.closedWithinDays), language) })}</span> : null}
          </header>
        );
      })}
      {lanes.map((lane) => (
        <LaneRow key={laneKey(lane)} lane={lane} name={request.byUser ? laneName(lane) : null} stages={summary.stages} request={request} countOf={(stageId) => cellOf(stageId, lane).reduce((n, c) => n + c.count, 0)} drag={drag} handlers={handlers} />
      ))}
    </div>
  );
}

function LaneRow({ lane, name, stages, request, countOf, drag, handlers }: { lane: Lane | null; name: string | null; stages: BoardStage[]; request: BoardRequest; countOf: (stageId: number) => number; drag: Drag | null; handlers: CardHandlers }) {
  return (
    <>
      {name !== null ? (
        <h2 className="pl-lane__title" style={{ gridColumn: `1 / span ${stages.length}` }} data-testid={`lane-${laneKey(lane)}`}>
          {name}
        </h2>
      ) : null}
      {stages.map((stage) => (
        <CardColumn
          key={stage.id}
          stage={stage}
          lane={lane}
          request={request}
          count={countOf(stage.id)}
          over={drag !== null && drag.over !== null && drag.over.stageId === stage.id && laneKey(drag.over.lane) === laneKey(lane) && planMove(drag.card, drag.over) !== null}
          handlers={handlers}
          laneHeight={name !== null ? Math.max(LANE_MIN, Math.min(LANE_MAX, Math.max(...stages.map((s) => countOf(s.id))) * CARD_ROW + 12)) : null}
        />
      ))}
    </>
  );
}

/**
 * One column's cards. Only the cards in view (and a few around them) are drawn;
 * their slices are asked for as they come into view, so a column of 50,000 cards
 * costs what a column of 30 does.
 */
function CardColumn({ stage, lane, request, count, over, handlers, laneHeight }: { stage: BoardStage; lane: Lane | null; request: BoardRequest; count: number; over: boolean; handlers: CardHandlers; laneHeight: number | null }) {
  const { t } = useTranslation("pipeline");
  const { language } = useAppSettings();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(DEFAULT_VIEW_HEIGHT);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || DEFAULT_VIEW_HEIGHT);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / CARD_ROW) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / CARD_ROW) + OVERSCAN);
  // The slices covering what is in view, and the next one once its start is near.
  const firstSlice = Math.floor(first / CARD_SLICE);
  const lastSlice = Math.floor(Math.max(first, last - 1 + OVERSCAN * 2) / CARD_SLICE);
  const slices: number[] = [];
  for (let s = firstSlice; s <= lastSlice && s * CARD_SLICE < Math.max(count, 1); s += 1) slices.push(s);
  const results = useBoardCardSlices(request, stage.id, lane, slices);
  const cardAt = (index: number): OpportunityRow | undefined => {
    const slice = Math.floor(index / CARD_SLICE);
    const at = slices.indexOf(slice);
    return at < 0 ? undefined : results[at]?.data?.[index - slice * CARD_SLICE];
  };
  const failed = results.find((r) => r.isError && !r.data);

  const items = [];
  for (let i = first; i < last; i += 1) {
    const card = cardAt(i);
    items.push(
      card ? (
        <Card key={card.id} card={card} lane={lane} top={i * CARD_ROW} handlers={handlers} />
      ) : (
        <div key={`p${i}`} className="pl-card pl-card--placeholder" style={{ top: i * CARD_ROW }} aria-hidden="true" />
      ),
    );
  }

  return (
    <section
      className={["pl-column", `pl-column--${stage.kind}`, over ? "is-over" : "", laneHeight !== null ? "pl-column--laned" : ""].filter(Boolean).join(" ")}
      data-drop-stage={stage.id}
      data-drop-lane={laneKey(lane)}
      data-testid={`column-${stage.id}${lane ? `-${laneKey(lane)}` : ""}`}
      aria-label={t("board.columnLabel", { stage: localTitle(stage, language), n: formatDecimal(String(count), language) })}
    >
      <div ref={scroller} className="pl-cards" style={laneHeight !== null ? { blockSize: laneHeight } : undefined} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        {count === 0 ? <p className="pl-column__empty muted">{t("board.emptyColumn")}</p> : null}
        <div className="pl-cards__space" style={{ blockSize: count * CARD_ROW }}>
          {items}
        </div>
        {failed ? <p className="field__error">{t("board.cardsError")}</p> : null}
      </div>
    </section>
  );
}

function Card({ card, lane, top, handlers }: { card: OpportunityRow; lane: Lane | null; top: number; handlers: CardHandlers }) {
  const { t } = useTranslation("pipeline");
  const { language, calendar, currencyCode, currencyDecimals } = useAppSettings();
  const ref = useRef<HTMLElement>(null);
  const money = (v: string) => formatMoney(v, language, { currency: currencyCode, decimals: currencyDecimals, withCurrency: false });
  const shouldFocus = handlers.focusId === card.id;
  useEffect(() => {
    if (shouldFocus && ref.current && !document.querySelector('[aria-modal="true"]')) ref.current.focus({ preventScroll: false });
  }, [shouldFocus]);
  return (
    <article
      ref={ref}
      className={["pl-card", card.overdue ? "is-overdue" : "", handlers.draggingId === card.id ? "is-dragging" : ""].filter(Boolean).join(" ")}
      style={{ top }}
      tabIndex={0}
      data-card-id={card.id}
      data-testid={`card-${card.id}`}
      aria-label={card.title}
      aria-keyshortcuts="Control+ArrowLeft Control+ArrowRight M"
      onPointerDown={(e) => handlers.onPointerDown(e, card, lane)}
      onClick={() => handlers.onOpen(card)}
      onKeyDown={(e) => handlers.onKey(e, card, lane)}
    >
      <span className="pl-card__top">
        <bdi className="pl-card__title" title={card.title}>{card.title}</bdi>
        <button type="button" className="icon-btn icon-btn--small pl-card__menu" aria-label={t("board.moveTo")} title={t("board.moveTo")}
          onClick={(e) => {
            // The card itself opens the opportunity on a click: this one is for the menu only.
            e.stopPropagation();
            handlers.onMoveMenu(card, lane);
          }}
        >
          <span aria-hidden="true">⋯</span>
        </button>
      </span>
      <span className="pl-card__line">
        <bdi className="pl-card__identity muted" title={card.identityName}>{card.identityName}</bdi>
        <span className="pl-card__user" title={t("columns.assignedTo")}>
          {card.assignedUserName ?? t("unassigned")}
        </span>
      </span>
      <span className="pl-card__line pl-card__amounts">
        <span title={`${t("columns.estimated")} · ${t("board.expectedShort", { amount: money(card.expectedAmount) })}`}>{money(card.estimatedAmount)}</span>
        {card.stageKind === "open" && !card.hasNextStep ? (
          <span className="badge" title={t("noNextStepHint")} data-testid={`card-no-step-${card.id}`}>
            {t("noNextStep")}
          </span>
        ) : null}
      </span>
      <span className="pl-card__line pl-card__meta">
        {card.closeDate ? (
          // Overdue: the date in red, said in words to screen readers and on hover.
          <span className={card.overdue ? "pl-overdue" : undefined} title={card.overdue ? `${t("columns.closeDate")} · ${t("overdue")}` : t("columns.closeDate")}>
            {formatDate(card.closeDate, calendar, language)}
            {card.overdue ? <span className="visually-hidden"> {t("overdue")}</span> : null}
          </span>
        ) : null}
        <span className="pl-card__age muted" title={t("columns.daysOpen")}>
          {t("board.age", { count: card.daysOpen, n: formatDecimal(String(card.daysOpen), language) })}
        </span>
      </span>
    </article>
  );
}
