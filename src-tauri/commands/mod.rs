//! Thin `#[tauri::command]` wrappers: each takes the managed state, calls one service
//! function with the current actor, and returns its DTO or typed error. No rules here.

pub mod app;
pub mod identities;
pub mod lists;
pub mod opportunities;

use sea_orm::DatabaseConnection;

use crate::service::Actor;

/// What every command can reach.
pub struct AppState {
    pub db: DatabaseConnection,
    pub actor: Actor,
    pub backend: &'static str,
}
