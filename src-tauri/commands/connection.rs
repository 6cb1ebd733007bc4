//! Where the app works: the first-start choice, saved team servers, testing one,
//! connecting (or retrying), and going back to choose another. They answer without a
//! signed-in user; the logic is `crate::workplace`'s.

use serde::Serialize;
use specta::Type;
use tauri::State;

use super::app::{session_of, Session};
use super::{command, AppState};
use crate::workplace;
use forsat_core::connections::{Place, ServerConnection, ServerInput};
use forsat_core::error::{AppError, AppResult};
use forsat_core::server;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedConnections {
    pub servers: Vec<ServerConnection>,
    /// The place chosen last, if any.
    pub place: Option<Place>,
}

#[command]
pub async fn saved_connections(state: State<'_, AppState>) -> AppResult<SavedConnections> {
    state.started().await?;
    let c = workplace::load(&state);
    Ok(SavedConnections {
        servers: c.servers,
        place: c.place,
    })
}

/// "Test the connection": whether a server answers there, without saving anything.
#[command]
pub async fn test_server(input: ServerInput) -> AppResult<()> {
    let input = forsat_core::connections::validate(&input)?;
    let probe = ServerConnection {
        id: 0,
        name: input.name,
        host: input.host,
        port: input.port,
        database: input.database,
        tls: input.tls,
        last_username: None,
        remembered: false,
    };
    server::probe(&probe.url(), workplace::ANSWER_TIMEOUT).await
}

/// Saves a team server (a new one with `id` null) and connects to it: the sign-in
/// screen, or the retry screen when it does not answer.
#[command]
pub async fn connect_to_server(state: State<'_, AppState>, id: Option<u32>, input: ServerInput) -> AppResult<Session> {
    if state.fixed {
        return Err(AppError::forbidden("place_fixed"));
    }
    let _one = state.switching.lock().await;
    let mut c = workplace::load(&state);
    let conn = c.upsert(id, &input)?;
    c.place = Some(Place::Server { id: conn.id });
    workplace::save(&state, &c)?;
    workplace::open_server(&state, conn).await?;
    session_of(&state).await
}

/// Connects to a saved server again (the retry button, or a saved connection picked).
#[command]
pub async fn open_saved_server(state: State<'_, AppState>, id: u32) -> AppResult<Session> {
    if state.fixed {
        return Err(AppError::forbidden("place_fixed"));
    }
    let _one = state.switching.lock().await;
    let mut c = workplace::load(&state);
    let conn = c
        .server(id)
        .cloned()
        .ok_or_else(|| AppError::not_found("connection", id))?;
    c.place = Some(Place::Server { id });
    workplace::save(&state, &c)?;
    workplace::open_server(&state, conn).await?;
    session_of(&state).await
}

/// Forgets a saved server (and a password remembered for it).
#[command]
pub async fn forget_server(state: State<'_, AppState>, id: u32) -> AppResult<SavedConnections> {
    let _one = state.switching.lock().await;
    if state.place().connection.is_some_and(|c| c.id == id) {
        return Err(AppError::forbidden("connection_in_use"));
    }
    let mut c = workplace::load(&state);
    if let Some(s) = c.remove(id) {
        if let Some(u) = &s.last_username {
            state.keychain.delete(&s.keychain_account(u));
        }
    }
    workplace::save(&state, &c)?;
    Ok(SavedConnections {
        servers: c.servers,
        place: c.place,
    })
}

/// "Work on this computer": a file in the app's data folder.
#[command]
pub async fn work_on_this_computer(state: State<'_, AppState>) -> AppResult<Session> {
    if state.fixed {
        return Err(AppError::forbidden("place_fixed"));
    }
    let _one = state.switching.lock().await;
    workplace::open_this_computer(&state).await?;
    let mut c = workplace::load(&state);
    c.place = Some(Place::ThisComputer);
    workplace::save(&state, &c)?;
    session_of(&state).await
}

/// Back to the first-start screen to choose another place (signed out).
#[command]
pub async fn change_place(state: State<'_, AppState>) -> AppResult<Session> {
    let _one = state.switching.lock().await;
    workplace::leave(&state).await?;
    session_of(&state).await
}
