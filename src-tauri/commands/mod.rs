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

use forsat_core::service::Actor;

/// What every command can reach.
pub struct AppState {
    pub db: DatabaseConnection,
    /// The signed-in user; every service call acts as them.
    pub actor: std::sync::RwLock<Actor>,
    /// The user the app started as; an admin may act as others and back.
    pub signed_in: Actor,
    pub backend: &'static str,
    /// Files picked for import, by token, until imported or discarded.
    pub staged: std::sync::Mutex<std::collections::HashMap<u32, transfer::Staged>>,
    /// Cancel switches of running imports and exports, by the job id the UI chose.
    pub jobs: std::sync::Mutex<std::collections::HashMap<u32, std::sync::Arc<std::sync::atomic::AtomicBool>>>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, actor: Actor, backend: &'static str) -> Self {
        Self {
            db,
            actor: std::sync::RwLock::new(actor),
            signed_in: actor,
            backend,
            staged: Default::default(),
            jobs: Default::default(),
        }
    }

    pub fn actor(&self) -> Actor {
        *self.actor.read().unwrap_or_else(|e| e.into_inner())
    }
}
