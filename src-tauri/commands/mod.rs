//! Thin `#[tauri::command]` wrappers: each takes the managed state, calls one service
//! function with the current actor, and returns its DTO or typed error. No rules here.

pub mod admin;
pub mod app;
pub mod catalogue;
pub mod identities;
pub mod lists;
pub mod opportunities;
pub mod pipeline;
pub mod reports;
pub mod transfer;

use sea_orm::DatabaseConnection;

use forsat_core::error::{AppError, AppResult};
use forsat_core::service::Actor;

/// What every command can reach.
pub struct AppState {
    /// The database: the SQLite file, or the team server as the signed-in user's own
    /// login role (none while nobody is signed in there).
    db: std::sync::RwLock<Option<DatabaseConnection>>,
    /// The signed-in user; every service call acts as them. `None`: the sign-in screen.
    actor: std::sync::RwLock<Option<Actor>>,
    /// The team server's URL (without a user), when this copy works on one.
    pub server_url: Option<String>,
    /// The demo was loaded at start (the app opened as its administrator).
    pub demo: bool,
    pub backend: &'static str,
    /// Files picked for import, by token, until imported or discarded.
    pub staged: std::sync::Mutex<std::collections::HashMap<u32, transfer::Staged>>,
    /// Cancel switches of running imports and exports, by the job id the UI chose.
    pub jobs: std::sync::Mutex<std::collections::HashMap<u32, std::sync::Arc<std::sync::atomic::AtomicBool>>>,
}

impl AppState {
    pub fn new(
        db: Option<DatabaseConnection>,
        actor: Option<Actor>,
        backend: &'static str,
        server_url: Option<String>,
        demo: bool,
    ) -> Self {
        Self {
            db: std::sync::RwLock::new(db),
            actor: std::sync::RwLock::new(actor),
            server_url,
            demo,
            backend,
            staged: Default::default(),
            jobs: Default::default(),
        }
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
    }
}
