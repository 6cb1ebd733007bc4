use serde::Serialize;
use specta::Type;
use tauri::State;

use super::{command, AppState};
use crate::workplace;
use forsat_core::connections::ServerConnection;
use forsat_core::error::AppResult;
use forsat_core::seed::demo;
use forsat_core::server;
use forsat_core::service::auth;
use forsat_core::service::changelog::ChangeEntry;
use forsat_core::service::records;
use forsat_core::service::settings::{self, AppSettings, SettingsPatch};
use forsat_core::service::users::{self, UserSummary};

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// "sqlite" or "postgres".
    pub backend: String,
    pub current_user: UserSummary,
}

#[command]
pub async fn app_info(state: State<'_, AppState>) -> AppResult<AppInfo> {
    state.started().await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: state.place().backend.to_owned(),
        current_user: users::get(&state.db()?, state.actor()?.user_id).await?,
    })
}

#[command]
pub async fn get_settings(state: State<'_, AppState>) -> AppResult<AppSettings> {
    settings::for_user(&state.db()?, &state.actor()?).await
}

#[command]
pub async fn update_settings(state: State<'_, AppState>, patch: SettingsPatch) -> AppResult<AppSettings> {
    settings::update(&state.db()?, &state.actor()?, patch).await
}

/// The Changes panel of any record (`entity` is e.g. "identity", "opportunity").
#[command]
pub async fn record_changes(state: State<'_, AppState>, entity: String, id: i32) -> AppResult<Vec<ChangeEntry>> {
    records::changes(&state.db()?, &state.actor()?, &entity, id).await
}

/// Who is signed in, and what the sign-in screen needs to know. Answers without a
/// signed-in user.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub user: Option<UserSummary>,
    /// The user has no password yet (this computer only): the app asks them to set one.
    pub needs_password: bool,
    /// "sqlite" or "postgres".
    pub backend: String,
    /// The team server's host and database, shown on the sign-in screen.
    pub server: Option<String>,
    /// The demo company: the sign-in screen lists its users and their password.
    pub demo: Option<DemoAccounts>,
    /// No place chosen yet: the first-start screen ("this computer" or "a team server").
    pub choosing: bool,
    /// The team server did not answer: the retry screen, with the reason code
    /// (`server_unreachable`, `server_tls_failed`, ...).
    pub unreachable: Option<String>,
    /// The saved connection in use (its name, the last username).
    pub connection: Option<ServerConnection>,
    /// The place can be changed from the app (not when the environment names it).
    pub can_change_place: bool,
    /// Something to tell after signing in (`keychain_unavailable`).
    pub notice: Option<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DemoAccounts {
    pub password: String,
    pub users: Vec<UserSummary>,
}

pub(crate) async fn session_of(state: &AppState) -> AppResult<Session> {
    let place = state.place();
    let db = state.db().ok();
    let user = match (&db, state.signed_in()) {
        (Some(db), Some(actor)) => Some(users::get(db, actor.user_id).await?),
        _ => None,
    };
    let needs_password = match (&db, &user) {
        (Some(db), Some(u)) if place.backend == "sqlite" => !auth::has_password(db, u.id).await?,
        _ => false,
    };
    let demo = match &db {
        Some(db) if demo::is_loaded(db).await? => Some(DemoAccounts {
            password: demo::DEMO_PASSWORD.to_owned(),
            users: users::list(db, false).await?,
        }),
        _ => None,
    };
    Ok(Session {
        user,
        needs_password,
        backend: place.backend.to_owned(),
        server: match &place.connection {
            Some(c) => Some(c.name.clone()),
            None => place.server_url.as_deref().map(server::display_name),
        },
        demo,
        choosing: place.backend == "none",
        unreachable: place.unreachable,
        connection: place.connection,
        can_change_place: !state.fixed,
        notice: None,
    })
}

#[command]
pub async fn session(state: State<'_, AppState>) -> AppResult<Session> {
    state.started().await?;
    session_of(&state).await
}

/// Signs in: on this computer against the stored password, on a team server by
/// connecting as the user's own login role (the server checks the password); with
/// `remember`, the keychain keeps the password for the next start.
#[command]
pub async fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
    remember: bool,
) -> AppResult<Session> {
    let _one = state.switching.lock().await;
    let notice = workplace::sign_in(&state, &username, &password, remember).await?;
    Ok(Session {
        notice,
        ..session_of(&state).await?
    })
}

/// Signs out: the sign-in screen. On a team server the user's connection is closed
/// and a remembered password forgotten.
#[command]
pub async fn sign_out(state: State<'_, AppState>) -> AppResult<Session> {
    let _one = state.switching.lock().await;
    workplace::sign_out(&state).await?;
    session_of(&state).await
}

/// Sets a password: one's own, or (administrators) anyone's.
#[command]
pub async fn set_password(state: State<'_, AppState>, user_id: i32, password: String) -> AppResult<Session> {
    auth::set_password(&state.db()?, &state.actor()?, user_id, &password).await?;
    session_of(&state).await
}
