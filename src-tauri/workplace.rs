//! Where this copy of Forsat works, and who is signed in there: the first start's
//! choice (this computer or a team server), the saved connections, the remembered
//! password (OS keychain only), the retry screen when a server does not answer, and
//! switching user or place, and restoring a backup of this computer's data (closing the
//! file, putting the backup in place, reopening it) and the daily backup. The commands
//! in `commands::connection`, `commands::app` and `commands::backup` call these; the
//! rules of what a user may do stay in `forsat-core`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::DatabaseConnection;

use forsat_core::backup::{self, BackupInfo, RestoreStep};
use forsat_core::connections::{Connections, Place, ServerConnection};
use forsat_core::error::{AppError, AppResult};
use forsat_core::service::{auth, users, Actor};
use forsat_core::{db, server, startup};

use crate::commands::{AppState, Where};

/// How long "Test the connection" and the start wait for a server to answer.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(8);

pub fn load(state: &AppState) -> Connections {
    state.config_dir.as_deref().map(Connections::load).unwrap_or_default()
}

pub fn save(state: &AppState, c: &Connections) -> AppResult<()> {
    match &state.config_dir {
        Some(dir) => c.save(dir),
        None => Ok(()),
    }
}

/// At start: the database the environment names (`FORSAT_DATABASE_URL`, `--demo`), or
/// the place chosen before, or — the first time — nothing: the first-start screen. A
/// copy that already has a file on this computer keeps working on it.
pub async fn start(state: &AppState, env_url: Option<String>) -> Result<(), Box<dyn std::error::Error>> {
    // The daily backup of a place on this computer, from now on (it skips a team server).
    if let Some(app) = state.app.get() {
        spawn_daily_backups(app.clone());
    }
    if let Some(url) = env_url {
        return open_url(state, url).await;
    }
    if state.demo {
        open_this_computer(state).await?;
        return Ok(());
    }
    let c = load(state);
    match c.place {
        Some(Place::ThisComputer) => open_this_computer(state).await?,
        Some(Place::Server { id }) => {
            let conn = c
                .server(id)
                .cloned()
                .expect("Connections::load keeps only known places");
            open_server(state, conn).await?;
        }
        None => {
            let has_file = state
                .data_dir
                .as_ref()
                .is_some_and(|d| d.join("forsat.sqlite").exists());
            if has_file {
                open_this_computer(state).await?;
            }
        }
    }
    Ok(())
}

/// A URL from the environment, as before there were saved connections.
async fn open_url(state: &AppState, url: String) -> Result<(), Box<dyn std::error::Error>> {
    if startup::is_team_server(&url) {
        let mut place = Where {
            backend: "postgres",
            server_url: Some(url.clone()),
            ..Default::default()
        };
        if server::has_credentials(&url) {
            // A URL with its own user: connect as it now (the sign-in screen otherwise).
            match startup::open(&url, state.demo).await {
                Ok(db) => {
                    let actor = users::actor_for(&db, &startup::acting_username(&db).await?).await.ok();
                    state.set_session(Some(Some(db)), actor);
                }
                Err(_) => place.unreachable = Some("server_unreachable".into()),
            }
        }
        state.set_place(place);
        return Ok(());
    }
    let db = startup::open(&url, state.demo).await?;
    let actor = if state.demo {
        Some(users::actor_for(&db, forsat_core::seed::reference::ADMIN_USERNAME).await?)
    } else {
        auth::sole_user(&db).await?
    };
    state.set_place(Where {
        backend: db::backend_name(&db),
        ..Default::default()
    });
    state.set_session(Some(Some(db)), actor);
    Ok(())
}

/// Works on a SQLite file in the app's data folder (created the first time). One user
/// without a password opens directly.
pub async fn open_this_computer(state: &AppState) -> AppResult<()> {
    let dir = state
        .data_dir
        .clone()
        .ok_or_else(|| AppError::database("no_data_folder"))?;
    std::fs::create_dir_all(&dir).map_err(|e| AppError::database(&format!("{}: {e}", dir.display())))?;
    let db = startup::open(&db::default_sqlite_url(&dir), state.demo).await?;
    let actor = if state.demo {
        Some(users::actor_for(&db, forsat_core::seed::reference::ADMIN_USERNAME).await?)
    } else {
        auth::sole_user(&db).await?
    };
    close_current(state).await;
    state.set_place(Where {
        backend: "sqlite",
        ..Default::default()
    });
    state.set_session(Some(Some(db)), actor);
    Ok(())
}

/// Works on a team server: checks that it answers (else the retry screen) and, with a
/// password remembered in the keychain, signs in as its last user.
pub async fn open_server(state: &AppState, conn: ServerConnection) -> AppResult<()> {
    close_current(state).await;
    let url = conn.url();
    let mut place = Where {
        backend: "postgres",
        server_url: Some(url.clone()),
        connection: Some(conn.clone()),
        unreachable: None,
    };
    if let Err(e) = server::probe(&url, ANSWER_TIMEOUT).await {
        place.unreachable = Some(match e {
            AppError::Database { message } => message,
            other => other.to_string(),
        });
        state.set_place(place);
        return Ok(());
    }
    state.set_place(place);
    if let (true, Some(username)) = (conn.remembered, conn.last_username.as_deref()) {
        if let Some(password) = state.keychain.get(&conn.keychain_account(username)) {
            if let Ok((db, actor)) = server::sign_in(&url, username, &password).await {
                state.set_session(Some(Some(db)), Some(actor));
            }
        }
    }
    Ok(())
}

/// Signs in where this copy works. On a team server the username is kept for next
/// time and, with `remember`, the password goes to the keychain. Returns a notice
/// code when the keychain could not keep it (the user is signed in all the same).
pub async fn sign_in(state: &AppState, username: &str, password: &str, remember: bool) -> AppResult<Option<String>> {
    let place = state.place();
    let Some(server_url) = place.server_url else {
        let actor = auth::sign_in(&state.db()?, username, password).await?;
        state.set_session(None, Some(actor));
        return Ok(None);
    };
    let (db, actor) = server::sign_in(&server_url, username, password).await?;
    close_current(state).await;
    state.set_session(Some(Some(db)), Some(actor));
    let mut notice = None;
    if let Some(conn) = place.connection {
        let username = username.trim().to_lowercase();
        let account = conn.keychain_account(&username);
        let remembered = remember
            && match state.keychain.set(&account, password) {
                Ok(()) => true,
                Err(_) => {
                    notice = Some("keychain_unavailable".to_owned());
                    false
                }
            };
        if !remembered {
            state.keychain.delete(&account);
        }
        let mut c = load(state);
        if let Some(s) = c.server_mut(conn.id) {
            if let Some(previous) = s.last_username.as_deref().filter(|p| *p != username) {
                state.keychain.delete(&s.keychain_account(previous));
            }
            s.last_username = Some(username);
            s.remembered = remembered;
            let now = s.clone();
            save(state, &c)?;
            state.set_place(Where {
                connection: Some(now),
                ..state.place()
            });
        }
    }
    Ok(notice)
}

/// Signs out: the sign-in screen. On a team server the connection closes and a
/// remembered password is forgotten, so the next start asks again.
pub async fn sign_out(state: &AppState) -> AppResult<()> {
    let place = state.place();
    if place.server_url.is_some() {
        close_current(state).await;
        if let Some(conn) = place.connection {
            let mut c = load(state);
            if let Some(s) = c.server_mut(conn.id) {
                if let Some(u) = s.last_username.clone() {
                    state.keychain.delete(&s.keychain_account(&u));
                }
                s.remembered = false;
                let now = s.clone();
                save(state, &c)?;
                state.set_place(Where {
                    connection: Some(now),
                    ..state.place()
                });
            }
        }
    }
    state.set_session(None, None);
    Ok(())
}

/// Back to the first-start screen (another connection), signed out.
pub async fn leave(state: &AppState) -> AppResult<()> {
    if state.fixed {
        return Err(AppError::forbidden("place_fixed"));
    }
    close_current(state).await;
    state.set_session(Some(None), None);
    state.set_place(Where {
        backend: "none",
        ..Default::default()
    });
    let mut c = load(state);
    c.place = None;
    save(state, &c)
}

/// Closes a team server connection (a SQLite pool just drops).
async fn close_current(state: &AppState) {
    if state.place().server_url.is_some() {
        if let Ok(db) = state.db() {
            state.set_session(Some(None), None);
            db.close().await.ok();
        }
    }
}

// ------------------------------------------------------------ backups
//
// The rules (names, the daily rule, the check, replacing the file) are
// `forsat_core::backup`'s; here is what happens between the sessions: which file this
// copy has open, closing it for a restore, reopening it and signing back in.

/// How often the daily backup is looked at while the app runs.
pub const BACKUP_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// This computer's database and its backups folder (`backups` beside the file). A
/// team server: `forbidden(backup_on_server)`.
pub async fn backups_folder(state: &AppState) -> AppResult<(DatabaseConnection, PathBuf)> {
    if state.place().server_url.is_some() {
        return Err(AppError::forbidden("backup_on_server"));
    }
    let db = state.db()?;
    let file = backup::database_file(&db).await?;
    Ok((db, backup::folder_for(&file)))
}

/// [`backups_folder`] for the signed-in administrator.
pub async fn backups_for_admin(state: &AppState) -> AppResult<(DatabaseConnection, Actor, PathBuf)> {
    let actor = state.actor()?;
    backup::require_admin(&actor)?;
    let (db, folder) = backups_folder(state).await?;
    Ok((db, actor, folder))
}

/// What the Backups section shows above the list.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupSettings {
    /// Backups are made here (this computer); `false` on a team server, which its
    /// administrator backs up with `pg_dump`.
    pub available: bool,
    /// The backups folder.
    pub folder: Option<String>,
    /// How many automatic backups are kept.
    pub keep: u32,
    pub keep_max: u32,
}

pub async fn backup_settings(state: &AppState) -> AppResult<BackupSettings> {
    let actor = state.actor()?;
    backup::require_admin(&actor)?;
    match backups_folder(state).await {
        Ok((db, folder)) => Ok(BackupSettings {
            available: true,
            folder: Some(folder.display().to_string()),
            keep: backup::keep(&db).await?,
            keep_max: backup::KEEP_MAX,
        }),
        Err(AppError::Forbidden { reason }) if reason == "backup_on_server" => Ok(BackupSettings {
            available: false,
            folder: None,
            keep: backup::KEEP_DEFAULT,
            keep_max: backup::KEEP_MAX,
        }),
        Err(e) => Err(e),
    }
}

/// Replaces this computer's data with `file` (a backup in the backups folder or one the
/// administrator named): checks it (nothing changes when it is refused), keeps a safety
/// copy of the current data while the database is still open, closes it (the session
/// ends meanwhile, so no command reaches a closed pool), puts the file in place,
/// reopens it through `startup::open` (an older backup is migrated) and signs the same
/// username back in when it is there (else the sign-in screen). Should the reopened
/// file not open, the safety copy is put back. Returns the safety copy.
pub async fn restore_backup(
    state: &AppState,
    file: &Path,
    progress: &mut (dyn FnMut(RestoreStep) + Send),
) -> AppResult<BackupInfo> {
    let (db, actor, folder) = backups_for_admin(state).await?;
    let current = backup::database_file(&db).await?;
    progress(RestoreStep::Checking);
    backup::check_for_restore(&current, file).await?;
    let username = users::get(&db, actor.user_id).await?.username;
    progress(RestoreStep::SafetyCopy);
    let safety = backup::safety_copy(&db, &folder).await?;

    progress(RestoreStep::Replacing);
    state.set_session(Some(None), None);
    db.close().await.ok();
    let replaced = backup::replace(&current, file);
    progress(RestoreStep::Reopening);
    let url = format!("sqlite://{}?mode=rwc", current.display());
    let reopened = match &replaced {
        Ok(()) => startup::open(&url, false).await,
        Err(e) => Err(e.clone()),
    };
    let (db, result) = match reopened {
        Ok(db) => (db, Ok(safety)),
        Err(e) => {
            if replaced.is_ok() {
                // The restored file would not open: what was there comes back.
                backup::replace(&current, Path::new(&safety.path))?;
            }
            (startup::open(&url, false).await?, Err(e))
        }
    };
    let actor = match users::actor_for(&db, &username).await {
        Ok(actor) => Some(actor),
        Err(_) => auth::sole_user(&db).await?,
    };
    state.set_session(Some(Some(db)), actor);
    result
}

/// The daily backup of this computer's data, if one is due (see `backup::daily`).
/// Skipped while the place is changing (a restore, signing in elsewhere) and on a team
/// server; a failure is logged and tried again at the next check.
pub async fn daily_backup(state: &AppState) -> Option<backup::Daily> {
    let _one = state.switching.try_lock().ok()?;
    let (db, folder) = backups_folder(state).await.ok()?;
    let keep = backup::keep(&db).await.unwrap_or(backup::KEEP_DEFAULT);
    match backup::daily(&db, &folder, keep, forsat_core::clock::now()).await {
        Ok(done) => Some(done),
        Err(e) => {
            log::warn!("the daily backup failed: {e}");
            None
        }
    }
}

/// Looks at the daily backup once the app's state is there, then every
/// [`BACKUP_CHECK_EVERY`].
pub fn spawn_daily_backups(app: tauri::AppHandle) {
    use tauri::Manager;
    tauri::async_runtime::spawn(async move {
        loop {
            match app.try_state::<AppState>() {
                Some(state) => {
                    daily_backup(&state).await;
                    tokio::time::sleep(BACKUP_CHECK_EVERY).await;
                }
                // The window is still being set up.
                None => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
    });
}
