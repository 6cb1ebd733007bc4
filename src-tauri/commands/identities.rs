use tauri::State;

use super::{command, AppState};
use forsat_core::error::AppResult;
use forsat_core::service::identities::{self, IdentityDetail, IdentityInput, IdentityQuery, IdentitySummary};
use forsat_core::service::Page;

#[command]
pub async fn list_identities(state: State<'_, AppState>, query: IdentityQuery) -> AppResult<Page<IdentitySummary>> {
    identities::list(&state.db()?, query).await
}

#[command]
pub async fn get_identity(state: State<'_, AppState>, id: i32) -> AppResult<IdentityDetail> {
    identities::get(&state.db()?, id).await
}

#[command]
pub async fn create_identity(state: State<'_, AppState>, input: IdentityInput) -> AppResult<IdentityDetail> {
    identities::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_identity(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: IdentityInput,
) -> AppResult<IdentityDetail> {
    identities::update(&state.db()?, &state.actor()?, id, version, input).await
}

/// Other identities with the same name, for the duplicate-name warning.
#[command]
pub async fn identities_with_same_name(
    state: State<'_, AppState>,
    name: String,
    except: Option<i32>,
) -> AppResult<Vec<IdentitySummary>> {
    identities::same_name(&state.db()?, &name, except).await
}
