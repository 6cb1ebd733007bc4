//! The pipeline: the opportunity list, the board, card moves and bulk edits.

use tauri::State;

use super::{command, AppState};
use forsat_core::error::AppResult;
use forsat_core::service::opportunities::{BulkChange, Lane};
use forsat_core::service::pipeline::{
    self, BoardRequest, BoardSummary, BulkItem, BulkResult, ListPage, ListRequest, MoveInput, OpportunityRow,
};

/// One page of the filtered, sorted opportunity list with the totals of the filter.
#[command]
pub async fn list_opportunities(state: State<'_, AppState>, request: ListRequest) -> AppResult<ListPage> {
    pipeline::list(&state.db()?, &state.actor()?, &request).await
}

/// The board's columns (and swimlanes) with their counts and sums.
#[command]
pub async fn pipeline_board(state: State<'_, AppState>, request: BoardRequest) -> AppResult<BoardSummary> {
    pipeline::board(&state.db()?, &state.actor()?, &request).await
}

/// A slice of the cards of one board column (or swimlane cell).
#[command]
pub async fn pipeline_board_cards(
    state: State<'_, AppState>,
    request: BoardRequest,
    stage_id: i32,
    lane: Option<Lane>,
    offset: u32,
    limit: u32,
) -> AppResult<Vec<OpportunityRow>> {
    pipeline::board_cards(&state.db()?, &state.actor()?, &request, stage_id, lane, offset, limit).await
}

/// Moves one opportunity to another stage (with the reason for won / lost) and, when
/// dropped in another swimlane, assigns it to that lane's user.
#[command]
pub async fn move_opportunity(state: State<'_, AppState>, input: MoveInput) -> AppResult<OpportunityRow> {
    pipeline::move_to_stage(&state.db()?, &state.actor()?, input).await
}

/// Applies one change to the selected opportunities, all or none.
#[command]
pub async fn bulk_update_opportunities(
    state: State<'_, AppState>,
    items: Vec<BulkItem>,
    change: BulkChange,
) -> AppResult<BulkResult> {
    pipeline::bulk_update(&state.db()?, &state.actor()?, &items, &change).await
}
