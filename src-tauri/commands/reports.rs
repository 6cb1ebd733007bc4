//! Analytics.

use tauri::State;

use super::AppState;
use crate::error::AppResult;
use crate::report::sales_status::{self, SalesStatus};
use crate::report::ReportFilter;

/// The sales status chart: opportunities per stage, and the share per source.
#[tauri::command]
#[specta::specta]
pub async fn report_sales_status(state: State<'_, AppState>, filter: ReportFilter) -> AppResult<SalesStatus> {
    sales_status::sales_status(&state.db, &state.actor(), &filter).await
}
