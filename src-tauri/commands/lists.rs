use tauri::State;

use super::{command, AppState};
use forsat_core::domain::SystemListKey;
use forsat_core::error::AppResult;
use forsat_core::service::campaigns::{self, CampaignSummary};
use forsat_core::service::system_lists::{self, SystemItem};
use forsat_core::service::users::{self, UserSummary};

#[command]
pub async fn list_system_items(
    state: State<'_, AppState>,
    list: SystemListKey,
    include_inactive: bool,
) -> AppResult<Vec<SystemItem>> {
    system_lists::list(&state.db()?, list, include_inactive).await
}

#[command]
pub async fn list_campaigns(state: State<'_, AppState>) -> AppResult<Vec<CampaignSummary>> {
    campaigns::list(&state.db()?).await
}

#[command]
pub async fn list_users(state: State<'_, AppState>, include_inactive: bool) -> AppResult<Vec<UserSummary>> {
    users::list(&state.db()?, include_inactive).await
}
