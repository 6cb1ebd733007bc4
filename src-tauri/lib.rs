//! Forsat: a desktop CRM for sales opportunities — the desktop shell.
//!
//! Everything but the window lives in `forsat-core` (no tauri there, so the compiler
//! keeps the layering); this package holds the builder, the managed state, where the
//! app works (`workplace`), the thin commands and the bindings (see
//! docs/ARCHITECTURE.md).

pub mod bindings;
pub mod commands;
pub mod desktop;
pub mod live;
pub mod workplace;

use tauri::Manager;

use crate::commands::AppState;
use forsat_core::connections::OsKeychain;
use forsat_core::{db, startup};

pub fn run() {
    let builder = bindings::builder();
    let context = tauri::generate_context!("tauri.conf.json");
    // First: a second launch must be told before anything else starts.
    let single_instance = {
        let b = tauri_plugin_single_instance::Builder::new().callback(desktop::second_launch);
        #[cfg(target_os = "linux")]
        let b = b.dbus_id(desktop::instance_id(&context.config().identifier));
        b.build()
    };
    let app = tauri::Builder::default()
        .plugin(single_instance)
        .plugin(desktop::log_plugin())
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(desktop::window_state_flags())
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(desktop::Desktop::default())
        .invoke_handler(builder.invoke_handler())
        .on_window_event(desktop::remember_window_on_change)
        .on_menu_event(desktop::on_menu_event)
        .setup(move |app| {
            log::info!("Forsat {} starting", app.package_info().version);
            desktop::install_menu(app.handle(), forsat_core::domain::Language::Fa);
            let args: Vec<String> = std::env::args().collect();
            let demo = startup::wants_demo(&args);
            // Files named on the command line (the system's "Open with", a double-clicked
            // `.forsat` backup) wait for the window to ask for them.
            if let Ok(cwd) = std::env::current_dir() {
                app.state::<desktop::Desktop>()
                    .push(desktop::files_in_args(&args, &cwd));
            }
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
        .build(context)
        .expect("error while starting Forsat");
    app.run(|_handle, _event| {
        // macOS hands files opened with the app over as an event, not as arguments.
        #[cfg(target_os = "macos")]
        if let tauri::RunEvent::Opened { urls } = _event {
            let files = urls.iter().filter_map(|u| u.to_file_path().ok()).collect();
            desktop::hand_over(_handle, files);
        }
    });
}
