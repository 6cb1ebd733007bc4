//! Forsat: a desktop CRM for sales opportunities.
//!
//! Layers (see docs/ARCHITECTURE.md): `entity` → `service` → `commands` →
//! `bindings` → the UI. Only `commands`, `bindings` and this file know about tauri.

pub mod bindings;
pub mod cli;
pub mod commands;
pub mod db;
pub mod domain;
pub mod entity;
pub mod error;
pub mod report;
pub mod service;

use tauri::Manager;

use crate::commands::AppState;
use crate::service::{demo, reference, users};

/// Environment switch for the demo data (the README's run command passes `--demo`).
pub const DEMO_ENV: &str = "FORSAT_DEMO";
/// The user the app acts as (the admin unless set). Sign-in is not part of this version.
pub const USER_ENV: &str = "FORSAT_USER";

fn wants_demo() -> bool {
    std::env::args().any(|a| a == "--demo")
        || std::env::var(DEMO_ENV)
            .map(|v| v == "1" || v.eq_ignore_ascii_case("true"))
            .unwrap_or(false)
}

pub fn run() {
    let builder = bindings::builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            let url = match std::env::var(db::DATABASE_URL_ENV) {
                Ok(url) if !url.trim().is_empty() => url,
                _ => {
                    let dir = app.path().app_data_dir()?;
                    std::fs::create_dir_all(&dir)?;
                    db::default_sqlite_url(&dir)
                }
            };
            let state = tauri::async_runtime::block_on(async {
                let db = db::connect_and_migrate(&url).await?;
                reference::ensure(&db).await?;
                if wants_demo() {
                    demo::load(&db).await?;
                }
                let username = std::env::var(USER_ENV).unwrap_or_else(|_| reference::ADMIN_USERNAME.to_owned());
                let actor = users::actor_for(&db, &username).await?;
                let backend = db::backend_name(&db);
                Ok::<_, Box<dyn std::error::Error>>(AppState::new(db, actor, backend))
            })?;
            app.manage(state);
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running Forsat");
}
