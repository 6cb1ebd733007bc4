//! Forsat: a desktop CRM for sales opportunities — the desktop shell.
//!
//! Everything but the window lives in `forsat-core` (no tauri there, so the compiler
//! keeps the layering); this package holds the builder, the managed state, the thin
//! commands and the bindings (see docs/ARCHITECTURE.md).

pub mod bindings;
pub mod commands;

use tauri::Manager;

use crate::commands::AppState;
use forsat_core::service::{auth, users};
use forsat_core::{db, server, startup};

pub fn run() {
    let builder = bindings::builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            let data_dir = app.path().app_data_dir().ok();
            let url = startup::database_url(|| data_dir)?;
            let args: Vec<String> = std::env::args().collect();
            let demo = startup::wants_demo(&args);
            let state = tauri::async_runtime::block_on(open(url, demo))?;
            app.manage(state);
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running Forsat");
}

/// Opens the database and decides who is signed in at start: the demo's administrator
/// with `--demo`; the only user of a file that does not ask; on a team server, the
/// user the URL signs in as, if it names one. Anyone else starts on the sign-in screen.
async fn open(url: String, demo: bool) -> Result<AppState, Box<dyn std::error::Error>> {
    if startup::is_team_server(&url) {
        let server_url = Some(url.clone());
        if !server::has_credentials(&url) {
            return Ok(AppState::new(None, None, "postgres", server_url, false));
        }
        // A URL with its own user: connect as it now (the sign-in screen otherwise).
        return Ok(match startup::open(&url, demo).await {
            Ok(db) => {
                let actor = users::actor_for(&db, &startup::acting_username(&db).await?).await.ok();
                AppState::new(Some(db), actor, "postgres", server_url, demo)
            }
            Err(_) => AppState::new(None, None, "postgres", server_url, false),
        });
    }
    let db = startup::open(&url, demo).await?;
    let actor = if demo {
        Some(users::actor_for(&db, forsat_core::seed::reference::ADMIN_USERNAME).await?)
    } else {
        auth::sole_user(&db).await?
    };
    let backend = db::backend_name(&db);
    Ok(AppState::new(Some(db), actor, backend, None, demo))
}
