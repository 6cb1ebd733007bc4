use tauri::State;

use super::{command, AppState};
use forsat_core::domain::CustomFieldEntity;
use forsat_core::error::AppResult;
use forsat_core::service::custom_fields::{self, CustomFieldDef};
use forsat_core::service::opportunities::{self, OpportunityDetail, OpportunityInput};
use forsat_core::service::records::{self, RecordRow};
use forsat_core::service::stages::{self, Stage};

#[command]
pub async fn get_opportunity(state: State<'_, AppState>, id: i32) -> AppResult<OpportunityDetail> {
    opportunities::get(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn create_opportunity(state: State<'_, AppState>, input: OpportunityInput) -> AppResult<OpportunityDetail> {
    opportunities::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_opportunity(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: OpportunityInput,
) -> AppResult<OpportunityDetail> {
    opportunities::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn delete_opportunity(state: State<'_, AppState>, id: i32, version: i32) -> AppResult<()> {
    opportunities::delete(&state.db()?, &state.actor()?, id, version).await
}

#[command]
pub async fn list_stages(state: State<'_, AppState>, include_inactive: bool) -> AppResult<Vec<Stage>> {
    stages::list(&state.db()?, include_inactive).await
}

#[command]
pub async fn list_custom_fields(
    state: State<'_, AppState>,
    entity: CustomFieldEntity,
    include_inactive: bool,
) -> AppResult<Vec<CustomFieldDef>> {
    custom_fields::list(&state.db()?, entity, include_inactive).await
}

/// The identity page's Records tab.
#[command]
pub async fn identity_records(state: State<'_, AppState>, identity_id: i32) -> AppResult<Vec<RecordRow>> {
    records::for_identity(&state.db()?, &state.actor()?, identity_id).await
}

/// The opportunity's own Records tab.
#[command]
pub async fn opportunity_records(state: State<'_, AppState>, opportunity_id: i32) -> AppResult<Vec<RecordRow>> {
    records::for_opportunity(&state.db()?, &state.actor()?, opportunity_id).await
}
