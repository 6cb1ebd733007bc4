//! Backups of this computer's data, for administrators: the list, "Back up now", how
//! many automatic ones are kept, and restoring one (from the list, or a file named by
//! its path). The rules are `forsat_core::backup`'s; restoring runs between sessions
//! (`crate::workplace::restore_backup`), its steps sent back over a channel.

use std::path::Path;

use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use super::app::{session_of, Session};
use super::{command, AppState};
use crate::workplace::{self, BackupSettings};
use forsat_core::backup::{self, BackupInfo, RestoreStep};
use forsat_core::error::AppResult;

/// What a restore answers: the session on the restored data (the same user signed
/// in, or the sign-in screen) and the safety copy of what it replaced.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RestoreResult {
    pub session: Session,
    pub safety_copy: BackupInfo,
}

#[command]
pub async fn backup_settings(state: State<'_, AppState>) -> AppResult<BackupSettings> {
    workplace::backup_settings(&state).await
}

/// The backups in the backups folder, newest first.
#[command]
pub async fn list_backups(state: State<'_, AppState>) -> AppResult<Vec<BackupInfo>> {
    let (_, _, folder) = workplace::backups_for_admin(&state).await?;
    backup::list(&folder)
}

#[command]
pub async fn backup_now(state: State<'_, AppState>) -> AppResult<BackupInfo> {
    let (db, actor, folder) = workplace::backups_for_admin(&state).await?;
    backup::backup_now(&db, &actor, &folder).await
}

#[command]
pub async fn set_backup_keep(state: State<'_, AppState>, keep: u32) -> AppResult<BackupSettings> {
    let (db, actor, _) = workplace::backups_for_admin(&state).await?;
    backup::set_keep(&db, &actor, keep).await?;
    workplace::backup_settings(&state).await
}

/// Restores a backup of the list, by its file name.
#[command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    file_name: String,
    on_progress: Channel<RestoreStep>,
) -> AppResult<RestoreResult> {
    let _one = state.switching.lock().await;
    let (_, _, folder) = workplace::backups_for_admin(&state).await?;
    let file = backup::in_folder(&folder, &file_name)?;
    restore(&state, &file, on_progress).await
}

/// Restores a backup file the administrator names by its full path (copied from
/// elsewhere, another computer's).
#[command]
pub async fn restore_backup_file(
    state: State<'_, AppState>,
    path: String,
    on_progress: Channel<RestoreStep>,
) -> AppResult<RestoreResult> {
    let _one = state.switching.lock().await;
    restore(&state, &backup::named_file(&path)?, on_progress).await
}

async fn restore(state: &AppState, file: &Path, on_progress: Channel<RestoreStep>) -> AppResult<RestoreResult> {
    let mut progress = |step: RestoreStep| {
        on_progress.send(step).ok();
    };
    let safety_copy = workplace::restore_backup(state, file, &mut progress).await?;
    Ok(RestoreResult {
        session: session_of(state).await?,
        safety_copy,
    })
}
