//! Live changes in the window: while someone is signed in, `forsat_core::live::watch`
//! runs for them and what it hears becomes typed events (tauri-specta, in the
//! bindings) that the UI turns into refetches and the connection banner. Signing out,
//! switching user or place stops it (`AppState::set_session` restarts it).

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event as _;

use forsat_core::live::{self, ChangeRef, Event};
use forsat_core::service::Actor;

/// Records this user may see were committed (by anyone, this window included).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct RecordsChanged {
    pub changes: Vec<ChangeRef>,
    /// Notifications may have been missed (a reconnect, a burst): refetch what is on
    /// screen.
    pub refresh_all: bool,
}

/// The team server was lost (`online: false`) or is back.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionChanged {
    pub online: bool,
}

/// The user clicked a reminder's OS notification: the window comes to the front and
/// opens the activity's record.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct ReminderClicked {
    pub activity_id: i32,
}

/// Brings the main window to the front and tells it which reminder was clicked.
pub fn reminder_clicked(app: &tauri::AppHandle, activity_id: i32) {
    crate::desktop::bring_forward(app);
    if let Err(e) = (ReminderClicked { activity_id }).emit(app) {
        log::warn!("could not tell the window about a clicked reminder: {e}");
    }
}

/// Starts watching for `actor` on `db`; the handle stops it.
pub fn spawn(
    app: tauri::AppHandle,
    db: sea_orm::DatabaseConnection,
    actor: Actor,
) -> tauri::async_runtime::JoinHandle<()> {
    tauri::async_runtime::spawn(live::watch(db, actor, move |event| {
        let sent = match event {
            Event::Changes(b) => RecordsChanged {
                changes: b.changes,
                refresh_all: b.refresh_all,
            }
            .emit(&app),
            Event::Online(online) => ConnectionChanged { online }.emit(&app),
        };
        if let Err(e) = sent {
            log::warn!("could not tell the window about a change: {e}");
        }
    }))
}
