//! Forsat: a desktop CRM for sales opportunities — the desktop shell.
//!
//! Everything but the window lives in `forsat-core` (no tauri there, so the compiler
//! keeps the layering); this package holds the builder, the managed state, where the
//! app works (`workplace`), the thin commands and the bindings (see
//! docs/ARCHITECTURE.md).

pub mod bindings;
pub mod commands;
pub mod live;
pub mod workplace;

use tauri::Manager;

use crate::commands::AppState;
use forsat_core::connections::OsKeychain;
use forsat_core::{db, startup};

pub fn run() {
    let builder = bindings::builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            let args: Vec<String> = std::env::args().collect();
            let demo = startup::wants_demo(&args);
            let env_url = std::env::var(db::DATABASE_URL_ENV)
                .ok()
                .filter(|u| !u.trim().is_empty());
            let state = AppState::new(
                app.path().app_config_dir().ok(),
                app.path().app_data_dir().ok(),
                Box::new(OsKeychain),
                demo,
                env_url.is_some() || demo,
            );
            builder.mount_events(app);
            // A click on a reminder's notification opens its record (where the system
            // reports clicks: the desktop notification servers of Linux, Windows, macOS).
            {
                use tauri_plugin_notification::NotificationExt;
                let handle = app.handle().clone();
                app.notification().on_action(move |action| {
                    if action.action_id() == "tap" {
                        if let Some(n) = action.notification() {
                            live::reminder_clicked(&handle, n.id());
                        }
                    }
                })?;
            }
            state.app.set(app.handle().clone()).ok();
            app.manage(state);
            // The window paints first; connecting, migrating and loading happen behind
            // it (the session command waits for them: `AppState::started`).
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                let result = workplace::start(&state, env_url).await.map_err(|e| e.to_string());
                state.finish_start(result);
            });
            Ok(())
        })
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running Forsat");
}
