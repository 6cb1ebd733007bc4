import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { commands, unwrap } from "../../lib/api";
import type { BoardRequest, BoardSummary, BulkChange, BulkItem, Lane, ListRequest, MoveInput, OpportunityRow, StageKind } from "../../lib/types";

export const pipelineKeys = {
  all: ["pipeline"] as const,
  lists: ["pipeline", "list"] as const,
  list: (request: ListRequest) => ["pipeline", "list", request] as const,
  boards: ["pipeline", "board"] as const,
  board: (request: BoardRequest) => ["pipeline", "board", request] as const,
  cardsAll: ["pipeline", "cards"] as const,
  cards: (request: BoardRequest, stageId: number, lane: Lane | null) => ["pipeline", "cards", request, stageId, lane?.userId ?? (lane ? "none" : "all")] as const,
  userValue: (key: string) => ["userValue", key] as const,
};

/** One page of the list; the previous page stays on screen while the next one loads. */
export function useOpportunityList(request: ListRequest, enabled = true) {
  return useQuery({
    queryKey: pipelineKeys.list(request),
    queryFn: () => unwrap(commands.listOpportunities(request)),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useBoard(request: BoardRequest) {
  return useQuery({
    queryKey: pipelineKeys.board(request),
    queryFn: () => unwrap(commands.pipelineBoard(request)),
    placeholderData: keepPreviousData,
  });
}

/** Cards are asked for in slices of this many (the first slice, then one more whenever the end comes near). */
export const CARD_SLICE = 30;

/** Slices of one column (or swimlane cell): slice `n` holds the cards from n × CARD_SLICE on. */
export function useBoardCardSlices(request: BoardRequest, stageId: number, lane: Lane | null, slices: readonly number[]) {
  return useQueries({
    queries: slices.map((slice) => ({
      queryKey: [...pipelineKeys.cards(request, stageId, lane), slice] as const,
      queryFn: () => unwrap(commands.pipelineBoardCards(request, stageId, lane, slice * CARD_SLICE, CARD_SLICE)),
      placeholderData: keepPreviousData,
    })),
  });
}

/** A remembered per-user value (keys start with "ui."); null when never set. */
export function useUserValue(key: string) {
  return useQuery({
    queryKey: pipelineKeys.userValue(key),
    queryFn: () => unwrap(commands.getUserValue(key)),
    staleTime: Infinity,
  });
}

export function useSetUserValue(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (value: string | null) => unwrap(commands.setUserValue(key, value)),
    onMutate: (value) => {
      queryClient.setQueryData(pipelineKeys.userValue(key), value);
    },
  });
}

/** After a move or a bulk edit: lists, board sums and cards, and the records shown elsewhere. */
export function useRefreshPipeline() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: pipelineKeys.all }),
      queryClient.invalidateQueries({ queryKey: ["opportunities"] }),
      queryClient.invalidateQueries({ queryKey: ["records"] }),
    ]);
}

export function useBulkUpdate() {
  const refresh = useRefreshPipeline();
  return useMutation({
    mutationFn: ({ items, change }: { items: BulkItem[]; change: BulkChange }) => unwrap(commands.bulkUpdateOpportunities(items, change)),
    onSettled: () => refresh(),
  });
}

/**
 * A card's move: `lane` is the swimlane it was shown in (null without swimlanes),
 * `input.assign` the lane it was dropped in when that is another user's (or the
 * unassigned one), and `assigneeName` that lane's user, shown on the card at once.
 */
export type MoveVariables = { card: OpportunityRow; input: MoveInput & { stageKind: StageKind }; request: BoardRequest; lane: Lane | null; assigneeName?: string | null };

const sameLane = (a: Lane | null, b: Lane | null) => (a?.userId ?? null) === (b?.userId ?? null);

/**
 * Moves a card. The card leaves its cell (column, or column of a swimlane) and
 * appears at the top of the target one at once; on an error both cells (and the
 * counts) are put back as they were.
 */
export function useMoveCard() {
  const queryClient = useQueryClient();
  const refresh = useRefreshPipeline();
  return useMutation({
    mutationFn: ({ input }: MoveVariables) =>
      unwrap(commands.moveOpportunity({ id: input.id, version: input.version, stageId: input.stageId, reasonId: input.reasonId ?? null, reasonNote: input.reasonNote ?? null, assign: input.assign ?? null })),
    onMutate: async ({ card, input, request, lane, assigneeName }) => {
      // Without swimlanes there is one lane (null); with them an assignment moves the card to the lane it was dropped in.
      const toLane: Lane | null = lane !== null && input.assign ? { userId: input.assign.userId ?? null } : lane;
      const fromKey = pipelineKeys.cards(request, card.stageId, lane);
      const toKey = pipelineKeys.cards(request, input.stageId, toLane);
      const boardKey = pipelineKeys.board(request);
      await Promise.all([fromKey, toKey, boardKey].map((queryKey) => queryClient.cancelQueries({ queryKey })));
      const before = {
        cards: [...queryClient.getQueriesData<OpportunityRow[]>({ queryKey: fromKey }), ...queryClient.getQueriesData<OpportunityRow[]>({ queryKey: toKey })],
        board: queryClient.getQueryData<BoardSummary>(boardKey),
      };
      const moved: OpportunityRow = { ...card, stageId: input.stageId, stageKind: input.stageKind };
      if (input.assign) {
        moved.assignedUserId = input.assign.userId ?? null;
        moved.assignedUserName = moved.assignedUserId === null ? null : (assigneeName ?? null);
      }
      queryClient.setQueriesData<OpportunityRow[]>({ queryKey: fromKey }, (cards) => cards?.filter((c) => c.id !== card.id));
      queryClient.setQueryData<OpportunityRow[]>([...toKey, 0], (cards) => [moved, ...(cards ?? []).filter((c) => c.id !== card.id)]);
      queryClient.setQueryData<BoardSummary>(boardKey, (board) => {
        if (!board) return board;
        const inLane = (cellLane: Lane | null, wanted: Lane | null) => wanted === null || sameLane(cellLane, wanted);
        const cells = board.cells.map((cell) => {
          if (cell.stageId === card.stageId && inLane(cell.lane, lane)) return { ...cell, count: Math.max(0, cell.count - 1) };
          if (cell.stageId === input.stageId && inLane(cell.lane, toLane)) return { ...cell, count: cell.count + 1 };
          return cell;
        });
        if (!cells.some((c) => c.stageId === input.stageId && inLane(c.lane, toLane))) {
          cells.push({ stageId: input.stageId, lane: toLane, count: 1, estimated: "0", expected: "0" });
        }
        return { ...board, cells };
      });
      return { before, boardKey };
    },
    onError: (_error, _vars, context) => {
      if (!context) return;
      for (const [key, data] of context.before.cards) queryClient.setQueryData(key, data);
      queryClient.setQueryData(context.boardKey, context.before.board);
    },
    onSettled: () => refresh(),
  });
}
