//! Thin `#[tauri::command]` wrappers: each takes the managed state, calls one service
//! function with the current actor, and returns its DTO or typed error. No rules here.
//! Each is declared with `#[command]` (see `ipc`): typed refusals of unreadable
//! arguments, and an answer even when something panics.

pub mod activities;
pub mod admin;
pub mod app;
pub mod backup;
pub mod catalogue;
pub mod connection;
pub mod desktop;
pub mod identities;
mod ipc;
pub mod lists;
pub mod opportunities;
pub mod pipeline;
pub mod reports;
pub mod transfer;

use sea_orm::DatabaseConnection;

pub use forsat_macros::command;
pub use ipc::{guard, Arg};

use forsat_core::error::{AppError, AppResult};
use forsat_core::service::Actor;

/// Where this copy works right now (see `crate::workplace`).
#[derive(Debug, Clone, Default)]
pub struct Where {
    /// "sqlite", "postgres", or "none" before the first start's choice.
    pub backend: &'static str,
    /// The team server's URL (without a user), when this copy works on one.
    pub server_url: Option<String>,
    /// The saved connection it came from (none when the URL came from the environment).
    pub connection: Option<forsat_core::connections::ServerConnection>,
    /// The server did not answer: the retry screen, with the reason code.
    pub unreachable: Option<String>,
}

/// What every command can reach.
pub struct AppState {
    /// The database: the SQLite file, or the team server as the signed-in user's own
    /// login role (none while nobody is signed in there).
    db: std::sync::RwLock<Option<DatabaseConnection>>,
    /// The signed-in user; every service call acts as them. `None`: the sign-in screen.
    actor: std::sync::RwLock<Option<Actor>>,
    place: std::sync::RwLock<Where>,
    /// The demo was loaded at start (the app opened as its administrator).
    pub demo: bool,
    /// The database was named by `FORSAT_DATABASE_URL` (or `--demo`): the connection
    /// screens do not apply.
    pub fixed: bool,
    /// The app's config and data folders (connections.json; forsat.sqlite).
    pub config_dir: Option<std::path::PathBuf>,
    pub data_dir: Option<std::path::PathBuf>,
    /// Remembered passwords.
    pub keychain: Box<dyn forsat_core::connections::Keychain>,
    /// One place change at a time (connecting, signing in, switching).
    pub switching: tokio::sync::Mutex<()>,
    /// The window, once it exists: live changes are sent to it.
    pub app: std::sync::OnceLock<tauri::AppHandle>,
    /// The live-changes task of the signed-in user.
    live: std::sync::Mutex<Option<tauri::async_runtime::JoinHandle<()>>>,
    /// Files picked for import, by token, until imported or discarded.
    pub staged: std::sync::Mutex<std::collections::HashMap<u32, transfer::Staged>>,
    /// Cancel switches of running imports and exports, by the job id the UI chose.
    pub jobs: std::sync::Mutex<std::collections::HashMap<u32, std::sync::Arc<std::sync::atomic::AtomicBool>>>,
    /// Reports run in slots of their own, so that lists and saves never wait behind them.
    pub reports: forsat_core::report::slots::Slots,
    /// The start (connecting, migrating, the demo) runs behind the window: `None` until
    /// it is done, then how it ended.
    started: tokio::sync::watch::Sender<Option<Result<(), String>>>,
}

impl AppState {
    pub fn new(
        config_dir: Option<std::path::PathBuf>,
        data_dir: Option<std::path::PathBuf>,
        keychain: Box<dyn forsat_core::connections::Keychain>,
        demo: bool,
        fixed: bool,
    ) -> Self {
        Self {
            db: std::sync::RwLock::new(None),
            actor: std::sync::RwLock::new(None),
            place: std::sync::RwLock::new(Where {
                backend: "none",
                ..Default::default()
            }),
            demo,
            fixed,
            config_dir,
            data_dir,
            keychain,
            switching: Default::default(),
            app: Default::default(),
            live: Default::default(),
            staged: Default::default(),
            jobs: Default::default(),
            reports: Default::default(),
            started: tokio::sync::watch::Sender::new(None),
        }
    }

    /// Waits until the start is done (the window shows "Loading…" meanwhile). A start
    /// that failed answers `database("start_failed")`; the reason is in the log.
    pub async fn started(&self) -> AppResult<()> {
        let mut rx = self.started.subscribe();
        let done = rx
            .wait_for(Option::is_some)
            .await
            .map_err(|_| AppError::internal("start_lost"))?;
        match done.as_ref() {
            Some(Err(_)) => Err(AppError::database("start_failed")),
            _ => Ok(()),
        }
    }

    /// Marks the start as done.
    pub fn finish_start(&self, result: Result<(), String>) {
        if let Err(e) = &result {
            log::error!("the start failed: {e}");
        }
        self.started.send_replace(Some(result));
    }

    /// Where this copy works now.
    pub fn place(&self) -> Where {
        self.place.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_place(&self, place: Where) {
        *self.place.write().unwrap_or_else(|e| e.into_inner()) = place;
    }

    /// The signed-in user, or `forbidden("not_signed_in")`.
    pub fn actor(&self) -> AppResult<Actor> {
        self.actor
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .ok_or_else(|| AppError::forbidden("not_signed_in"))
    }

    pub fn signed_in(&self) -> Option<Actor> {
        *self.actor.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The database connection (a cheap handle to the pool).
    pub fn db(&self) -> AppResult<DatabaseConnection> {
        self.db
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| AppError::forbidden("not_signed_in"))
    }

    /// Signs in (or out, with `None`), possibly on another connection.
    pub fn set_session(&self, db: Option<Option<DatabaseConnection>>, actor: Option<Actor>) {
        if let Some(db) = db {
            *self.db.write().unwrap_or_else(|e| e.into_inner()) = db;
        }
        *self.actor.write().unwrap_or_else(|e| e.into_inner()) = actor;
        self.restart_live();
    }

    /// Live changes follow the session: stopped for the previous one, started for the
    /// new one (when there is a window to tell).
    fn restart_live(&self) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(task) = live.take() {
            task.abort();
        }
        if let (Some(app), Ok(db), Some(actor)) = (self.app.get(), self.db(), self.signed_in()) {
            *live = Some(crate::live::spawn(app.clone(), db, actor));
        }
    }
}
