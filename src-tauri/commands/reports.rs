//! Analytics.

use tauri::State;

use super::{command, AppState};
use forsat_core::domain::Calendar;
use forsat_core::error::AppResult;
use forsat_core::report::campaigns::{self, CampaignRow};
use forsat_core::report::competitors::{self, CompetitorRow};
use forsat_core::report::dashboard::{self, Dashboard};
use forsat_core::report::durations::{self, Durations};
use forsat_core::report::forecast::{self, ForecastMonth};
use forsat_core::report::sales_status::{self, SalesStatus};
use forsat_core::report::stage_history::{self, StageFlow};
use forsat_core::report::win_loss::{self, WinLoss};
use forsat_core::report::ReportFilter;
use forsat_core::service::settings;

/// Calls off a report asked with `ticket` that still waits for a slot (the window
/// does it when the user has moved on before it ran).
#[command]
pub async fn report_cancel(state: State<'_, AppState>, ticket: String) -> AppResult<()> {
    state.reports.cancel(&ticket)
}

/// The sales status chart: opportunities per stage, and the share per source.
#[command]
pub async fn report_sales_status(
    state: State<'_, AppState>,
    filter: ReportFilter,
    ticket: Option<String>,
) -> AppResult<SalesStatus> {
    state
        .reports
        .run_as(
            ticket.as_deref(),
            sales_status::sales_status(&state.db()?, &state.actor()?, &filter),
        )
        .await
}

/// Win / loss analysis: counts and amounts by reason, user, type and source; win rate.
#[command]
pub async fn report_win_loss(
    state: State<'_, AppState>,
    filter: ReportFilter,
    ticket: Option<String>,
) -> AppResult<WinLoss> {
    state
        .reports
        .run_as(
            ticket.as_deref(),
            win_loss::win_loss(&state.db()?, &state.actor()?, &filter),
        )
        .await
}

/// The forecast: weighted and unweighted open pipeline by close month, in `calendar`.
#[command]
pub async fn report_forecast(
    state: State<'_, AppState>,
    filter: ReportFilter,
    calendar: Calendar,

    ticket: Option<String>,
) -> AppResult<Vec<ForecastMonth>> {
    state
        .reports
        .run_as(
            ticket.as_deref(),
            forecast::forecast(&state.db()?, &state.actor()?, &filter, calendar),
        )
        .await
}

/// Campaigns: opportunities, estimated, won and invoiced amounts per campaign, against its cost.
#[command]
pub async fn report_campaigns(
    state: State<'_, AppState>,
    filter: ReportFilter,
    ticket: Option<String>,
) -> AppResult<Vec<CampaignRow>> {
    state
        .reports
        .run_as(
            ticket.as_deref(),
            campaigns::campaigns(&state.db()?, &state.actor()?, &filter),
        )
        .await
}

/// Follow-up duration: average and median days from creation to win and to loss.
#[command]
pub async fn report_durations(
    state: State<'_, AppState>,
    filter: ReportFilter,
    ticket: Option<String>,
) -> AppResult<Durations> {
    state
        .reports
        .run_as(
            ticket.as_deref(),
            durations::durations(&state.db()?, &state.actor()?, &filter),
        )
        .await
}

/// Competitors: where each appeared, won, lost and the win rate against it.
#[command]
pub async fn report_competitors(
    state: State<'_, AppState>,
    filter: ReportFilter,
    ticket: Option<String>,
) -> AppResult<Vec<CompetitorRow>> {
    state
        .reports
        .run_as(
            ticket.as_deref(),
            competitors::competitors(&state.db()?, &state.actor()?, &filter),
        )
        .await
}

/// Stage history: average days in each stage and the conversion onwards, up to today.
#[command]
pub async fn report_stage_history(
    state: State<'_, AppState>,
    filter: ReportFilter,
    ticket: Option<String>,
) -> AppResult<Vec<StageFlow>> {
    let today = settings::clock(&state.db()?).await?.today();
    state
        .reports
        .run_as(
            ticket.as_deref(),
            stage_history::stage_history(&state.db()?, &state.actor()?, &filter, today),
        )
        .await
}

/// The Reports home: funnel, won this period against the last, forecast, overdue.
#[command]
pub async fn report_dashboard(
    state: State<'_, AppState>,
    filter: ReportFilter,
    calendar: Calendar,

    ticket: Option<String>,
) -> AppResult<Dashboard> {
    let today = settings::clock(&state.db()?).await?.today();
    state
        .reports
        .run_as(
            ticket.as_deref(),
            dashboard::dashboard(&state.db()?, &state.actor()?, &filter, calendar, today),
        )
        .await
}
