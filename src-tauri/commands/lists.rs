use tauri::State;

use super::AppState;
use crate::domain::SystemListKey;
use crate::error::AppResult;
use crate::service::campaigns::{self, CampaignSummary};
use crate::service::system_lists::{self, SystemItem};
use crate::service::users::{self, UserSummary};

#[tauri::command]
#[specta::specta]
pub async fn list_system_items(
    state: State<'_, AppState>,
    list: SystemListKey,
    include_inactive: bool,
) -> AppResult<Vec<SystemItem>> {
    system_lists::list(&state.db, list, include_inactive).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_campaigns(state: State<'_, AppState>) -> AppResult<Vec<CampaignSummary>> {
    campaigns::list(&state.db).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_users(state: State<'_, AppState>, include_inactive: bool) -> AppResult<Vec<UserSummary>> {
    users::list(&state.db, include_inactive).await
}
