//! Import and export of opportunities. The file to import is chosen in the system's
//! file dialog and read here from its path (a file dropped on the window arrives as
//! base64 instead); either way it is kept under a token until it is imported or
//! discarded. Exports are written to the export folder. Progress goes back over a
//! channel.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use base64::Engine;
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::{command, AppState};
use forsat_core::domain::ValidationCode;
use forsat_core::error::{AppError, AppResult};
use forsat_core::service::transfer::{
    self, ColumnMapping, ExportRequest, ExportResult, ImportKind, ImportOptions, ImportPreview, ImportReport,
    ImportValues, TransferProgress,
};

/// The largest file accepted for import (64 MiB).
pub const IMPORT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// How many picked files are kept waiting for their import at once.
const STAGED_MAX: usize = 4;

pub struct Staged {
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
}

static NEXT_TOKEN: AtomicU32 = AtomicU32::new(1);

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StagedImport {
    pub token: u32,
    pub file_name: String,
    /// The file's size in bytes.
    pub size: u32,
    pub preview: ImportPreview,
}

fn job_flag(state: &AppState, job: u32) -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    state
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(job, flag.clone());
    flag
}

fn end_job(state: &AppState, job: u32) {
    state.jobs.lock().unwrap_or_else(|e| e.into_inner()).remove(&job);
}

/// Reads a picked file and shows what it holds, with a suggested column mapping.
#[command]
pub async fn import_preview(
    state: State<'_, AppState>,
    kind: ImportKind,
    file_name: String,
    content_base64: String,
) -> AppResult<StagedImport> {
    if content_base64.len() > IMPORT_MAX_BYTES / 3 * 4 + 4 {
        return Err(AppError::field("file", ValidationCode::TooLong));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.trim())
        .map_err(|_| AppError::field("file", ValidationCode::Invalid))?;
    stage(&state, kind, file_name, bytes).await
}

/// Opens the system's file dialog and reads the chosen file from its path: only the
/// preview crosses the IPC, and the window never names a path. `None` when the user
/// closes the dialog.
#[command]
pub async fn import_pick(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: ImportKind,
) -> AppResult<Option<StagedImport>> {
    match pick_path(&app, "CSV, Excel", &["csv", "txt", "tsv", "xlsx"]).await? {
        Some(path) => stage_path(&state, kind, &path).await.map(Some),
        None => Ok(None),
    }
}

/// The system's open dialog for one file of these kinds; its path, or `None` when the
/// user closes it.
pub async fn pick_path(app: &AppHandle, filter: &str, extensions: &[&str]) -> AppResult<Option<std::path::PathBuf>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .add_filter(filter, extensions)
        .pick_file(move |path| {
            tx.send(path).ok();
        });
    let Some(path) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    path.into_path()
        .map(Some)
        .map_err(|_| AppError::field("file", ValidationCode::Invalid))
}

/// Reads a file from its path (one the system's dialog or a launch handed over, never
/// one the window names) and stages it.
pub async fn stage_path(state: &AppState, kind: ImportKind, path: &std::path::Path) -> AppResult<StagedImport> {
    let unreadable = |_| AppError::field("file", ValidationCode::Invalid);
    if tokio::fs::metadata(path).await.map_err(unreadable)?.len() > IMPORT_MAX_BYTES as u64 {
        return Err(AppError::field_limit(
            "file",
            ValidationCode::TooLong,
            None,
            Some(IMPORT_MAX_BYTES.to_string()),
        ));
    }
    let bytes = tokio::fs::read(path).await.map_err(unreadable)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    stage(state, kind, file_name, bytes).await
}

/// Reads a file and keeps it under a new token.
async fn stage(state: &AppState, kind: ImportKind, file_name: String, bytes: Vec<u8>) -> AppResult<StagedImport> {
    let preview = transfer::preview(&state.db()?, &state.actor()?, kind, &file_name, &bytes).await?;
    let size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
    let mut staged = state.staged.lock().unwrap_or_else(|e| e.into_inner());
    // A few picked files at most (each up to 64 MiB): the oldest are forgotten.
    while staged.len() >= STAGED_MAX {
        let Some(oldest) = staged.keys().min().copied() else {
            break;
        };
        staged.remove(&oldest);
    }
    staged.insert(
        token,
        Staged {
            file_name: file_name.clone(),
            bytes: Arc::new(bytes),
        },
    );
    drop(staged);
    Ok(StagedImport {
        token,
        file_name,
        size,
        preview,
    })
}

fn staged_table(state: &AppState, token: u32) -> AppResult<transfer::Table> {
    let (file_name, bytes) = {
        let staged = state.staged.lock().unwrap_or_else(|e| e.into_inner());
        let s = staged.get(&token).ok_or_else(|| AppError::not_found("import", token))?;
        (s.file_name.clone(), s.bytes.clone())
    };
    transfer::read_table(&file_name, &bytes)
}

/// The value mapping step: the distinct values of the mapped columns and what each
/// reads as.
#[command]
pub async fn import_values(
    state: State<'_, AppState>,
    token: u32,
    mapping: Vec<ColumnMapping>,
) -> AppResult<ImportValues> {
    state.actor()?;
    let table = staged_table(&state, token)?;
    transfer::values(&state.db()?, &table, &mapping).await
}

/// A dry run (reports problems, writes nothing) or the real import (all or nothing).
#[command]
#[allow(clippy::too_many_arguments)]
pub async fn import_run(
    state: State<'_, AppState>,
    token: u32,
    mapping: Vec<ColumnMapping>,
    options: ImportOptions,
    dry_run: bool,
    job: u32,
    on_progress: Channel<TransferProgress>,
) -> AppResult<ImportReport> {
    let table = staged_table(&state, token)?;
    let cancel = job_flag(&state, job);
    let mut progress = |p: TransferProgress| {
        on_progress.send(p).ok();
    };
    let report = transfer::run(
        &state.db()?,
        &state.actor()?,
        &table,
        &mapping,
        &options,
        dry_run,
        &mut progress,
        &cancel,
    )
    .await;
    end_job(&state, job);
    if report.as_ref().is_ok_and(|r| r.written) {
        state.staged.lock().unwrap_or_else(|e| e.into_inner()).remove(&token);
    }
    report
}

/// Forgets a picked file.
#[command]
pub async fn import_discard(state: State<'_, AppState>, token: u32) -> AppResult<()> {
    state.staged.lock().unwrap_or_else(|e| e.into_inner()).remove(&token);
    Ok(())
}

/// Stops a running import or export (nothing is written).
#[command]
pub async fn cancel_transfer(state: State<'_, AppState>, job: u32) -> AppResult<()> {
    if let Some(flag) = state.jobs.lock().unwrap_or_else(|e| e.into_inner()).get(&job) {
        flag.store(true, Ordering::Relaxed);
    }
    Ok(())
}

/// Asks where to save with the system's save dialog, suggesting `file_name` in the
/// export folder; `None` when the user closes it. With `FORSAT_EXPORT_DIR` set the
/// file goes there without asking (`fixed`).
async fn ask_save_path(app: &AppHandle, file_name: &str) -> AppResult<Option<std::path::PathBuf>> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let dir = transfer::export_dir();
    let mut dialog = app.dialog().file().set_file_name(file_name);
    if dir.is_dir() {
        dialog = dialog.set_directory(&dir);
    }
    if !ext.is_empty() {
        dialog = dialog.add_filter(ext.to_uppercase(), &[ext.as_str()]);
    }
    dialog.save_file(move |path| {
        tx.send(path).ok();
    });
    let Some(path) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = path
        .into_path()
        .map_err(|_| AppError::field("fileName", ValidationCode::Invalid))?;
    transfer::chosen_path(&path, if ext.is_empty() { "csv" } else { &ext }).map(Some)
}

/// Writes the filtered list to a CSV or XLSX file: where the user chooses in the save
/// dialog (`None`: they closed it), or in the fixed export folder.
#[command]
pub async fn export_opportunities(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
    job: u32,
    on_progress: Channel<TransferProgress>,
) -> AppResult<Option<ExportResult>> {
    let path = if transfer::fixed_export_dir().is_some() {
        transfer::export_path(&state.db()?, request.format).await?
    } else {
        let today = forsat_core::service::settings::clock(&state.db()?).await?.today();
        match ask_save_path(&app, &transfer::export_file_name(request.format, today)).await? {
            Some(path) => path,
            None => return Ok(None),
        }
    };
    let cancel = job_flag(&state, job);
    let mut progress = |p: TransferProgress| {
        on_progress.send(p).ok();
    };
    let result = transfer::export(&state.db()?, &state.actor()?, &request, &path, &mut progress, &cancel).await;
    end_job(&state, job);
    result.map(Some)
}

/// Saves a file the window made (a report's CSV, a chart's PNG, an import's problem
/// list) where the user chooses in the save dialog, or in the fixed export folder;
/// returns the path it was saved to (`None`: the dialog was closed, nothing saved).
#[command]
pub async fn save_export(app: AppHandle, file_name: String, content_base64: String) -> AppResult<Option<String>> {
    if content_base64.len() > transfer::SAVE_MAX_BYTES / 3 * 4 + 4 {
        return Err(AppError::field("file", ValidationCode::TooLong));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.trim())
        .map_err(|_| AppError::field("file", ValidationCode::Invalid))?;
    Ok(save_where_asked(&app, &file_name, &bytes)
        .await?
        .map(|p| p.display().to_string()))
}

/// Saves bytes the app made: where the user chooses in the save dialog (`None` when
/// closed), or under a free name in the fixed export folder.
pub async fn save_where_asked(app: &AppHandle, file_name: &str, bytes: &[u8]) -> AppResult<Option<std::path::PathBuf>> {
    match transfer::fixed_export_dir() {
        Some(dir) => transfer::save_file(&dir, file_name, bytes).map(Some),
        None => {
            let clean = transfer::clean_file_name(file_name)?;
            match ask_save_path(app, &clean).await? {
                Some(path) => transfer::save_to(&path, bytes).map(Some),
                None => Ok(None),
            }
        }
    }
}
