//! Analytics.

use tauri::State;

use super::AppState;
use crate::domain::Calendar;
use crate::error::AppResult;
use crate::report::forecast::{self, ForecastMonth};
use crate::report::sales_status::{self, SalesStatus};
use crate::report::win_loss::{self, WinLoss};
use crate::report::ReportFilter;

/// The sales status chart: opportunities per stage, and the share per source.
#[tauri::command]
#[specta::specta]
pub async fn report_sales_status(state: State<'_, AppState>, filter: ReportFilter) -> AppResult<SalesStatus> {
    sales_status::sales_status(&state.db, &state.actor(), &filter).await
}

/// Win / loss analysis: counts and amounts by reason, user, type and source; win rate.
#[tauri::command]
#[specta::specta]
pub async fn report_win_loss(state: State<'_, AppState>, filter: ReportFilter) -> AppResult<WinLoss> {
    win_loss::win_loss(&state.db, &state.actor(), &filter).await
}

/// The forecast: weighted and unweighted open pipeline by close month, in `calendar`.
#[tauri::command]
#[specta::specta]
pub async fn report_forecast(
    state: State<'_, AppState>,
    filter: ReportFilter,
    calendar: Calendar,
) -> AppResult<Vec<ForecastMonth>> {
    forecast::forecast(&state.db, &state.actor(), &filter, calendar).await
}
