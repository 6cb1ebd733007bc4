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

use sea_orm::DatabaseConnection;

use crate::service::Actor;

/// What every command can reach.
pub struct AppState {
    pub db: DatabaseConnection,
    /// The signed-in user; every service call acts as them.
    pub actor: std::sync::RwLock<Actor>,
    /// The user the app started as; an admin may act as others and back.
    pub signed_in: Actor,
    pub backend: &'static str,
}

impl AppState {
    pub fn new(db: DatabaseConnection, actor: Actor, backend: &'static str) -> Self {
        Self {
            db,
            actor: std::sync::RwLock::new(actor),
            signed_in: actor,
            backend,
        }
    }

    pub fn actor(&self) -> Actor {
        *self.actor.read().unwrap_or_else(|e| e.into_inner())
    }
}
