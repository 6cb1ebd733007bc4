//! Forsat: a desktop CRM for sales opportunities — the desktop shell.
//!
//! Everything but the window lives in `forsat-core` (no tauri there, so the compiler
//! keeps the layering); this package holds the builder, the managed state, the thin
//! commands and the bindings (see docs/ARCHITECTURE.md).

pub mod bindings;
pub mod commands;

use tauri::Manager;

use crate::commands::AppState;
use forsat_core::{db, service::users, startup};

pub fn run() {
    let builder = bindings::builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            let data_dir = app.path().app_data_dir().ok();
            let url = startup::database_url(|| data_dir)?;
            let args: Vec<String> = std::env::args().collect();
            let state = tauri::async_runtime::block_on(async {
                let db = startup::open(&url, startup::wants_demo(&args)).await?;
                let actor = users::actor_for(&db, &startup::acting_username(&db).await?).await?;
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
