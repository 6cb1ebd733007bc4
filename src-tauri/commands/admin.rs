//! Personalization and administration: system lists, stages, custom fields,
//! campaigns, users, teams.

use tauri::State;

use super::{command, AppState};
use forsat_core::domain::SystemListKey;
use forsat_core::error::AppResult;
use forsat_core::service::campaigns::{self, CampaignInput, CampaignSummary};
use forsat_core::service::custom_fields::{self, CustomFieldDef, CustomFieldInput};
use forsat_core::service::pipelines::{self, Pipeline, PipelineInput, StageMapping};
use forsat_core::service::stages::{self, Stage, StageInput};
use forsat_core::service::system_lists::{self, SystemItem, SystemItemInput};
use forsat_core::service::teams::{self, TeamInput, TeamSummary};
use forsat_core::service::users::{self, UserInput, UserSummary};

#[command]
pub async fn create_system_item(
    state: State<'_, AppState>,
    list: SystemListKey,
    input: SystemItemInput,
) -> AppResult<SystemItem> {
    system_lists::create_item(&state.db()?, &state.actor()?, list, input).await
}

#[command]
pub async fn update_system_item(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: SystemItemInput,
) -> AppResult<SystemItem> {
    system_lists::update_item(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn reorder_system_items(
    state: State<'_, AppState>,
    list: SystemListKey,
    ids: Vec<i32>,
) -> AppResult<Vec<SystemItem>> {
    system_lists::reorder(&state.db()?, &state.actor()?, list, ids).await
}

#[command]
pub async fn delete_system_item(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    system_lists::delete_item(&state.db()?, &state.actor()?, id).await
}

/// How many records use a list value (a value in use can only be deactivated).
#[command]
pub async fn system_item_usage(state: State<'_, AppState>, id: i32) -> AppResult<u32> {
    Ok(system_lists::usage(&state.db()?, &state.actor()?, id).await? as u32)
}

/// The sales pipelines, in order (inactive ones too when asked).
#[command]
pub async fn list_pipelines(state: State<'_, AppState>, include_inactive: bool) -> AppResult<Vec<Pipeline>> {
    state.actor()?;
    pipelines::list(&state.db()?, include_inactive).await
}

/// A new pipeline, with its starting open, won and lost stages.
#[command]
pub async fn create_pipeline(state: State<'_, AppState>, input: PipelineInput) -> AppResult<Pipeline> {
    pipelines::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_pipeline(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: PipelineInput,
) -> AppResult<Pipeline> {
    pipelines::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn reorder_pipelines(state: State<'_, AppState>, ids: Vec<i32>) -> AppResult<Vec<Pipeline>> {
    pipelines::reorder(&state.db()?, &state.actor()?, ids).await
}

/// Merges a pipeline into another with a stage mapping; returns how many opportunities moved.
#[command]
pub async fn merge_pipeline(
    state: State<'_, AppState>,
    id: i32,
    into: i32,
    mapping: Vec<StageMapping>,
) -> AppResult<u32> {
    let moved = pipelines::merge(&state.db()?, &state.actor()?, id, into, mapping).await?;
    Ok(u32::try_from(moved).unwrap_or(u32::MAX))
}

/// Deletes a pipeline no opportunity was ever in; others are deactivated instead.
#[command]
pub async fn delete_pipeline(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    pipelines::delete(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn create_stage(state: State<'_, AppState>, input: StageInput) -> AppResult<Stage> {
    stages::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_stage(state: State<'_, AppState>, id: i32, version: i32, input: StageInput) -> AppResult<Stage> {
    stages::update(&state.db()?, &state.actor()?, id, version, input).await
}

/// Deletes a stage, moving its opportunities to `replacement`; returns how many moved.
#[command]
pub async fn delete_stage(state: State<'_, AppState>, id: i32, replacement: Option<i32>) -> AppResult<u32> {
    Ok(stages::delete(&state.db()?, &state.actor()?, id, replacement).await? as u32)
}

#[command]
pub async fn reorder_stages(state: State<'_, AppState>, ids: Vec<i32>) -> AppResult<Vec<Stage>> {
    stages::reorder(&state.db()?, &state.actor()?, ids).await
}

/// Opportunities currently in a stage.
#[command]
pub async fn stage_usage(state: State<'_, AppState>, id: i32) -> AppResult<u32> {
    Ok(stages::usage(&state.db()?, &state.actor()?, id).await? as u32)
}

#[command]
pub async fn create_custom_field(state: State<'_, AppState>, input: CustomFieldInput) -> AppResult<CustomFieldDef> {
    custom_fields::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_custom_field(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: CustomFieldInput,
) -> AppResult<CustomFieldDef> {
    custom_fields::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn delete_custom_field(state: State<'_, AppState>, id: i32) -> AppResult<()> {
    custom_fields::delete(&state.db()?, &state.actor()?, id).await
}

#[command]
pub async fn create_campaign(state: State<'_, AppState>, input: CampaignInput) -> AppResult<CampaignSummary> {
    campaigns::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_campaign(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: CampaignInput,
) -> AppResult<CampaignSummary> {
    campaigns::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn create_user(state: State<'_, AppState>, input: UserInput) -> AppResult<UserSummary> {
    users::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_user(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: UserInput,
) -> AppResult<UserSummary> {
    users::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn list_teams(state: State<'_, AppState>) -> AppResult<Vec<TeamSummary>> {
    teams::list(&state.db()?).await
}

#[command]
pub async fn create_team(state: State<'_, AppState>, input: TeamInput) -> AppResult<TeamSummary> {
    teams::create(&state.db()?, &state.actor()?, input).await
}

#[command]
pub async fn update_team(
    state: State<'_, AppState>,
    id: i32,
    version: i32,
    input: TeamInput,
) -> AppResult<TeamSummary> {
    teams::update(&state.db()?, &state.actor()?, id, version, input).await
}

#[command]
pub async fn delete_team(state: State<'_, AppState>, id: i32, version: i32) -> AppResult<()> {
    teams::delete(&state.db()?, &state.actor()?, id, version).await
}
