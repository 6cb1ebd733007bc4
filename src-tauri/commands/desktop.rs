//! The desktop program's own commands: where its data and log live (and opening those
//! folders), the menu's language, files handed over by the system or a second launch,
//! and updates (checked on request or quietly after signing in, installed only when
//! the user says so; see `crate::desktop`).

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;
use tauri_plugin_updater::UpdaterExt;

use super::transfer::{stage_path, StagedImport};
use super::{command, AppState};
use crate::desktop::{self, Desktop, OpenedKind};
use forsat_core::domain::Language;
use forsat_core::error::{AppError, AppResult};
use forsat_core::service::settings;
use forsat_core::service::transfer::ImportKind;

/// An office that mirrors the releases names its own manifest address and, if it
/// re-signs them, its own public key.
pub const UPDATE_ENDPOINT_ENV: &str = "FORSAT_UPDATE_ENDPOINT";
pub const UPDATE_PUBKEY_ENV: &str = "FORSAT_UPDATE_PUBKEY";

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DesktopInfo {
    pub version: String,
    /// Where the app keeps its data (the SQLite file, backups) on this computer.
    pub data_dir: String,
    /// Where the log files are (`forsat.log`, rotated at 2 MiB, five kept).
    pub log_dir: String,
    /// Update checks are turned off on this computer (`FORSAT_UPDATES=off`).
    pub updates_off_here: bool,
}

#[command]
pub async fn desktop_info(app: AppHandle) -> AppResult<DesktopInfo> {
    let path = app.path();
    let shown = |p: Option<std::path::PathBuf>| p.map(|p| p.display().to_string()).unwrap_or_default();
    Ok(DesktopInfo {
        version: app.package_info().version.to_string(),
        data_dir: shown(path.app_data_dir().ok()),
        log_dir: shown(path.app_log_dir().ok()),
        updates_off_here: settings::updates_off_here(),
    })
}

/// The folders "Open data folder" and "Open log folder" show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    Data,
    Logs,
}

/// Opens one of the app's folders in the system's file manager.
#[command]
pub async fn open_folder(app: AppHandle, folder: Folder) -> AppResult<()> {
    let path = match folder {
        Folder::Data => app.path().app_data_dir(),
        Folder::Logs => app.path().app_log_dir(),
    }
    .map_err(|_| AppError::unavailable("open_failed"))?;
    std::fs::create_dir_all(&path).map_err(|_| AppError::unavailable("open_failed"))?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            log::warn!("could not open {}: {e}", path.display());
            AppError::unavailable("open_failed")
        })
}

/// The native menu in the user's language (the window calls it when the language is
/// known or changes).
#[command]
pub async fn set_menu_language(app: AppHandle, language: Language) -> AppResult<()> {
    desktop::install_menu(&app, language);
    Ok(())
}

/// A file handed to the app: an import staged for its preview, or a backup to offer
/// for restoring (by its path: restoring asks first, and checks the file).
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenedFile {
    pub kind: OpenedKind,
    pub file_name: String,
    /// A backup's full path (for `restore_backup_file`).
    pub path: Option<String>,
    /// An import's staged file (as `import_pick` answers).
    pub import: Option<StagedImport>,
}

/// The oldest file handed over and not yet taken (`None`: nothing waiting). Only
/// paths the system or a second launch handed over are read: the window names none.
#[command]
pub async fn take_opened_file(app: AppHandle, state: State<'_, AppState>) -> AppResult<Option<OpenedFile>> {
    state.started().await?;
    let Some(path) = app.state::<Desktop>().take() else {
        return Ok(None);
    };
    let Some(kind) = desktop::kind_of(&path) else {
        return Ok(None);
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(match kind {
        OpenedKind::Backup => OpenedFile {
            kind,
            file_name,
            path: Some(path.display().to_string()),
            import: None,
        },
        OpenedKind::Import => OpenedFile {
            kind,
            file_name,
            path: None,
            import: Some(stage_path(&state, ImportKind::Opportunities, &path).await?),
        },
    }))
}

/// The system's open dialog for a backup file; its path, or `None` when closed.
#[command]
pub async fn pick_backup_file(app: AppHandle) -> AppResult<Option<String>> {
    let picked = super::transfer::pick_path(&app, "Forsat", &[desktop::BACKUP_EXTENSION, "sqlite"]).await?;
    Ok(picked.map(|p| p.display().to_string()))
}

// --- updates ------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheck {
    pub current_version: String,
    /// The newer version on offer, if any.
    pub available: Option<AvailableUpdate>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    pub version: String,
    /// RFC 3339, when the release was published.
    pub date: Option<String>,
    pub notes: Option<String>,
}

/// A step of downloading an update, sent while it runs.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum UpdateStep {
    /// Bytes received so far (and in all, when the server says).
    Downloading { received: u32, total: Option<u32> },
    /// The download matched its signature: ready to install.
    Verified,
}

/// Whether updates may be looked for here (the rule is the settings service's).
async fn updates_allowed(state: &AppState) -> AppResult<()> {
    settings::ensure_updates_allowed(state.db().ok().as_ref()).await
}

fn updater(app: &AppHandle) -> AppResult<tauri_plugin_updater::Updater> {
    let mut builder = app.updater_builder().timeout(std::time::Duration::from_secs(30));
    if let Some(url) = std::env::var(UPDATE_ENDPOINT_ENV).ok().filter(|u| !u.trim().is_empty()) {
        let url = url
            .trim()
            .parse()
            .map_err(|_| AppError::unavailable("update_unreachable"))?;
        builder = builder.endpoints(vec![url]).map_err(update_error)?;
    }
    if let Some(key) = std::env::var(UPDATE_PUBKEY_ENV).ok().filter(|k| !k.trim().is_empty()) {
        builder = builder.pubkey(key.trim());
    }
    builder.build().map_err(update_error)
}

/// What an updater failure is said as (the details go to the log).
fn update_error(e: tauri_plugin_updater::Error) -> AppError {
    use tauri_plugin_updater::Error as E;
    log::warn!("update: {e}");
    let code = match e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) => "update_signature_invalid",
        E::Reqwest(_) | E::Network(_) | E::EmptyEndpoints | E::UrlParse(_) => "update_unreachable",
        E::ReleaseNotFound | E::Serialization(_) | E::Semver(_) | E::TargetNotFound(_) | E::TargetsNotFound(_) => {
            "update_manifest_invalid"
        }
        _ => "update_failed",
    };
    AppError::unavailable(code)
}

/// Looks for a newer version (the manifest's signature is checked when it is
/// downloaded). Nothing is downloaded or changed.
#[command]
pub async fn check_for_update(app: AppHandle, state: State<'_, AppState>) -> AppResult<UpdateCheck> {
    updates_allowed(&state).await?;
    let found = updater(&app)?.check().await.map_err(update_error)?;
    let current_version = app.package_info().version.to_string();
    let available = found.as_ref().map(|u| AvailableUpdate {
        version: u.version.clone(),
        date: u
            .date
            .and_then(|d| chrono::DateTime::from_timestamp(d.unix_timestamp(), 0))
            .map(|d| d.to_rfc3339()),
        notes: u.body.clone(),
    });
    if let Some(u) = &found {
        log::info!("update {} found (this is {current_version})", u.version);
    }
    *app.state::<Desktop>().update.lock().await = found;
    Ok(UpdateCheck {
        current_version,
        available,
    })
}

/// Downloads the update the last check found and checks it against its signature; the
/// verified package is kept for `install_update`. A download that does not match its
/// signature is refused and dropped: nothing is installed, the running version stays.
#[command]
pub async fn download_update(
    app: AppHandle,
    state: State<'_, AppState>,
    on_progress: Channel<UpdateStep>,
) -> AppResult<()> {
    updates_allowed(&state).await?;
    let desktop = app.state::<Desktop>();
    let guard = desktop.update.lock().await;
    let Some(update) = guard.as_ref() else {
        return Err(AppError::not_found("update", "latest"));
    };
    *desktop.downloaded.lock().await = None;
    let mut received: u64 = 0;
    let bytes = update
        .download(
            |chunk, total| {
                received += chunk as u64;
                on_progress
                    .send(UpdateStep::Downloading {
                        received: u32::try_from(received).unwrap_or(u32::MAX),
                        total: total.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
                    })
                    .ok();
            },
            || {},
        )
        .await
        .map_err(update_error)?;
    log::info!("update {} downloaded and verified", update.version);
    *desktop.downloaded.lock().await = Some((update.version.clone(), bytes));
    on_progress.send(UpdateStep::Verified).ok();
    Ok(())
}

/// Installs the verified download (checked once more against its signature); the app
/// then restarts into it (`restart_app`; Windows' installer restarts it itself).
#[command]
pub async fn install_update(app: AppHandle, state: State<'_, AppState>) -> AppResult<()> {
    updates_allowed(&state).await?;
    let desktop = app.state::<Desktop>();
    let guard = desktop.update.lock().await;
    let downloaded = desktop.downloaded.lock().await;
    let (Some(update), Some((version, bytes))) = (guard.as_ref(), downloaded.as_ref()) else {
        return Err(AppError::not_found("update", "downloaded"));
    };
    if *version != update.version {
        return Err(AppError::not_found("update", "downloaded"));
    }
    update.install(bytes).map_err(update_error)?;
    log::info!("update {version} installed");
    Ok(())
}

/// Restarts into the installed version.
#[command]
pub async fn restart_app(app: AppHandle) -> AppResult<()> {
    app.restart()
}
