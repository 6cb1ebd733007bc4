use serde::Serialize;
use specta::Type;
use tauri::State;

use super::AppState;
use forsat_core::error::AppResult;
use forsat_core::service::changelog::ChangeEntry;
use forsat_core::service::records;
use forsat_core::service::settings::{self, AppSettings, SettingsPatch};
use forsat_core::service::users::{self, UserSummary};

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// "sqlite" or "postgres".
    pub backend: String,
    pub current_user: UserSummary,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> AppResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: state.backend.to_owned(),
        current_user: users::get(&state.db, state.actor().user_id).await?,
    })
}

#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> AppResult<AppSettings> {
    settings::for_user(&state.db, &state.actor()).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_settings(state: State<'_, AppState>, patch: SettingsPatch) -> AppResult<AppSettings> {
    settings::update(&state.db, &state.actor(), patch).await
}

/// The Changes panel of any record (`entity` is e.g. "identity", "opportunity").
#[tauri::command]
#[specta::specta]
pub async fn record_changes(state: State<'_, AppState>, entity: String, id: i32) -> AppResult<Vec<ChangeEntry>> {
    records::changes(&state.db, &state.actor(), &entity, id).await
}

/// Acts as another active user from now on (the desktop app has no sign-in yet;
/// only when the app was started by an admin, who can also switch back).
#[tauri::command]
#[specta::specta]
pub async fn switch_user(state: State<'_, AppState>, user_id: i32) -> AppResult<UserSummary> {
    if !state.signed_in.is_admin() {
        return Err(forsat_core::error::AppError::forbidden("switch_user_admin_only"));
    }
    let user = users::get(&state.db, user_id).await?;
    let actor = users::actor_for(&state.db, &user.username).await?;
    *state.actor.write().unwrap_or_else(|e| e.into_inner()) = actor;
    Ok(user)
}
