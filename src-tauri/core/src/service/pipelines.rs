//! Sales pipelines: each has a fa/en name, an order, active or not, and its own
//! ordered stages (`stages.pipeline_id`; the stages service keeps one won and one lost
//! stage active in each). The stages that existed before there were several form the
//! default pipeline. An opportunity's pipeline is its stage's.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::Actor;
use crate::domain::validate::NAME_MAX;
use crate::domain::{ChangeAction, StageKind, SystemListKey, ValidationCode, Validator};
use crate::entity::{pipelines, stage_history, stages, system_items};
use crate::error::{AppError, AppResult};

const ENTITY: &str = "pipeline";

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    pub id: i32,
    pub name_fa: String,
    pub name_en: String,
    pub sort_order: i32,
    pub active: bool,
    pub version: i32,
}

impl From<pipelines::Model> for Pipeline {
    fn from(m: pipelines::Model) -> Self {
        Self {
            id: m.id,
            name_fa: m.name_fa,
            name_en: m.name_en,
            sort_order: m.sort_order,
            active: m.active,
            version: m.version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PipelineInput {
    pub name_fa: String,
    pub name_en: String,
    pub active: bool,
    /// The opportunity types whose new opportunities start in this pipeline (each type
    /// starts in one pipeline at most: naming it here takes it from another). Absent:
    /// the links stay as they are.
    #[serde(default)]
    pub type_ids: Option<Vec<i32>>,
}

/// The stages a new pipeline starts with (fa, en, kind, default probability): one open
/// stage to begin from, and the won and lost stages every pipeline needs.
const STARTING_STAGES: &[(&str, &str, StageKind, Option<i32>)] = &[
    ("شروع", "New", StageKind::Open, Some(10)),
    ("موفق", "Won", StageKind::Won, None),
    ("ناموفق", "Lost", StageKind::Lost, None),
];

pub async fn list<C: ConnectionTrait>(db: &C, include_inactive: bool) -> AppResult<Vec<Pipeline>> {
    let mut q = pipelines::Entity::find()
        .order_by_asc(pipelines::Column::SortOrder)
        .order_by_asc(pipelines::Column::Id);
    if !include_inactive {
        q = q.filter(pipelines::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

fn validate(input: &PipelineInput) -> AppResult<(String, String)> {
    let mut v = Validator::new();
    let fa = v.required_text("nameFa", &input.name_fa, NAME_MAX);
    let en = v.required_text("nameEn", &input.name_en, NAME_MAX);
    v.finish()?;
    Ok((fa, en))
}

/// The opportunity types linked to pipeline `id`, in id order.
async fn linked_types<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<Vec<i32>> {
    Ok(system_items::Entity::find()
        .filter(system_items::Column::PipelineId.eq(id))
        .order_by_asc(system_items::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect())
}

/// Checks the types of an input: each an opportunity type, each once. Returns them
/// sorted (the form the change log keeps).
async fn check_types<C: ConnectionTrait>(db: &C, ids: &Option<Vec<i32>>) -> AppResult<Option<Vec<i32>>> {
    let Some(ids) = ids else { return Ok(None) };
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != ids.len() {
        return Err(AppError::field("typeIds", ValidationCode::Invalid));
    }
    let found = system_items::Entity::find()
        .filter(system_items::Column::Id.is_in(sorted.clone()))
        .filter(system_items::Column::ListKey.eq(SystemListKey::OpportunityType.as_str()))
        .count(db)
        .await?;
    if found != sorted.len() as u64 {
        return Err(AppError::field("typeIds", ValidationCode::UnknownReference));
    }
    Ok(Some(sorted))
}

/// Links exactly `types` to pipeline `id` (taking them from any other pipeline) and
/// writes the change; each type whose link changes gets a new version.
async fn link_types<C: ConnectionTrait>(txn: &C, id: i32, types: &[i32], changes: &mut Changes) -> AppResult<()> {
    let old = linked_types(txn, id).await?;
    if old == types {
        return Ok(());
    }
    system_items::Entity::update_many()
        .col_expr(system_items::Column::PipelineId, Expr::value(None::<i32>))
        .col_expr(
            system_items::Column::Version,
            Expr::col(system_items::Column::Version).add(1),
        )
        .filter(system_items::Column::PipelineId.eq(id))
        .filter(system_items::Column::Id.is_not_in(types.to_vec()))
        .exec(txn)
        .await?;
    system_items::Entity::update_many()
        .col_expr(system_items::Column::PipelineId, Expr::value(id))
        .col_expr(
            system_items::Column::Version,
            Expr::col(system_items::Column::Version).add(1),
        )
        .filter(system_items::Column::Id.is_in(types.to_vec()))
        .filter(
            Condition::any()
                .add(system_items::Column::PipelineId.is_null())
                .add(system_items::Column::PipelineId.ne(id)),
        )
        .exec(txn)
        .await?;
    changes.diff("typeIds", &old, &types.to_vec());
    Ok(())
}

/// Creates a pipeline, last in the order, with its starting stages.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: PipelineInput,
) -> AppResult<Pipeline> {
    actor.require_admin()?;
    let (fa, en) = validate(&input)?;
    let types = check_types(db, &input.type_ids).await?;
    let txn = crate::service::begin(db).await?;
    let last = pipelines::Entity::find()
        .order_by_desc(pipelines::Column::SortOrder)
        .one(&txn)
        .await?
        .map_or(0, |p| p.sort_order);
    let m = pipelines::ActiveModel {
        name_fa: Set(fa.clone()),
        name_en: Set(en.clone()),
        sort_order: Set(last + 1),
        active: Set(input.active),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let top = stages::Entity::find()
        .order_by_desc(stages::Column::SortOrder)
        .one(&txn)
        .await?
        .map_or(0, |s| s.sort_order);
    let count = stages::Entity::find().count(&txn).await?;
    for (i, (sfa, sen, kind, prob)) in STARTING_STAGES.iter().enumerate() {
        stages::ActiveModel {
            key: Set(format!("p{}_{}_{}", m.id, kind.as_str(), count + i as u64 + 1)),
            title_fa: Set((*sfa).into()),
            title_en: Set((*sen).into()),
            kind: Set(kind.as_str().into()),
            sort_order: Set(top + i as i32 + 1),
            active: Set(true),
            default_probability: Set(*prob),
            deleted: Set(false),
            version: Set(1),
            pipeline_id: Set(m.id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut changes = Changes::new();
    changes.set("nameFa", &fa);
    changes.set("nameEn", &en);
    if let Some(types) = &types {
        link_types(&txn, m.id, types, &mut changes).await?;
    }
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    Ok(m.into())
}

/// Renames, activates or deactivates a pipeline; one active pipeline always remains.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: PipelineInput,
) -> AppResult<Pipeline> {
    actor.require_admin()?;
    let (fa, en) = validate(&input)?;
    let old = pipelines::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    if old.active && !input.active {
        let others = pipelines::Entity::find()
            .filter(pipelines::Column::Active.eq(true))
            .filter(pipelines::Column::Id.ne(id))
            .count(db)
            .await?;
        if others == 0 {
            return Err(AppError::field("active", ValidationCode::NotAllowed));
        }
    }
    let types = check_types(db, &input.type_ids).await?;
    let txn = crate::service::begin(db).await?;
    let res = pipelines::Entity::update_many()
        .col_expr(pipelines::Column::NameFa, Expr::value(fa.clone()))
        .col_expr(pipelines::Column::NameEn, Expr::value(en.clone()))
        .col_expr(pipelines::Column::Active, Expr::value(input.active))
        .col_expr(pipelines::Column::Version, Expr::value(version + 1))
        .filter(pipelines::Column::Id.eq(id))
        .filter(pipelines::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut changes = Changes::new();
    changes.diff("nameFa", &old.name_fa, &fa);
    changes.diff("nameEn", &old.name_en, &en);
    changes.diff("active", &old.active, &input.active);
    if let Some(types) = &types {
        link_types(&txn, id, types, &mut changes).await?;
    }
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    pipelines::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into)
        .ok_or_else(|| AppError::not_found(ENTITY, id))
}

/// Puts the pipelines in the given order (every pipeline, each once).
pub async fn reorder<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    ids: Vec<i32>,
) -> AppResult<Vec<Pipeline>> {
    actor.require_admin()?;
    let mut current: Vec<i32> = list(db, true).await?.into_iter().map(|p| p.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    current.sort_unstable();
    if sorted != current {
        return Err(AppError::field("ids", ValidationCode::Invalid));
    }
    let txn = crate::service::begin(db).await?;
    for (i, id) in ids.iter().enumerate() {
        pipelines::Entity::update_many()
            .col_expr(pipelines::Column::SortOrder, Expr::value(i as i32 + 1))
            .col_expr(pipelines::Column::Version, Expr::col(pipelines::Column::Version).add(1))
            .filter(pipelines::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    list(db, true).await
}

/// Deletes a pipeline no opportunity has ever been in (with its stages). One that has
/// held opportunities keeps its history: it is deactivated (or merged) instead.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    actor.require_admin()?;
    let old = pipelines::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    let stage_ids: Vec<i32> = stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let used = !stage_ids.is_empty()
        && stage_history::Entity::find()
            .filter(stage_history::Column::ToStageId.is_in(stage_ids.clone()))
            .count(db)
            .await?
            > 0;
    let last = pipelines::Entity::find().count(db).await? <= 1;
    if used || last {
        return Err(AppError::field("id", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    let mut changes = Changes::new();
    link_types(&txn, id, &[], &mut changes).await?;
    stages::Entity::delete_many()
        .filter(stages::Column::PipelineId.eq(id))
        .exec(&txn)
        .await?;
    pipelines::Entity::delete_by_id(id).exec(&txn).await?;
    changes.diff("nameEn", &Some(old.name_en), &None);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}

/// Where the opportunities of one stage of a merged pipeline go.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StageMapping {
    pub from_stage_id: i32,
    pub to_stage_id: i32,
}

/// Merges pipeline `id` into `into`, in one transaction: every opportunity of each of
/// its stages moves to the mapped stage of the other pipeline (open to open, won to
/// won, lost to lost; every stage of `id` mapped), each move written to the stage
/// history; its stages are then retired and the pipeline deactivated (its history
/// stays readable). Returns how many opportunities moved.
pub async fn merge<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    into: i32,
    mapping: Vec<StageMapping>,
) -> AppResult<u64> {
    actor.require_admin()?;
    let source = pipelines::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    let target = pipelines::Entity::find_by_id(into).one(db).await?;
    if into == id || !target.is_some_and(|t| t.active) {
        return Err(AppError::field("into", ValidationCode::Invalid));
    }
    let all = stages::Entity::find()
        .filter(stages::Column::Deleted.eq(false))
        .all(db)
        .await?;
    let mine: Vec<&stages::Model> = all.iter().filter(|s| s.pipeline_id == id).collect();
    let mut v = Validator::new();
    let mut moves = vec![];
    for (i, s) in mine.iter().enumerate() {
        let field = format!("mapping.{i}.toStageId");
        let target = mapping
            .iter()
            .find(|m| m.from_stage_id == s.id)
            .and_then(|m| all.iter().find(|t| t.id == m.to_stage_id));
        match target {
            None => v.push(field, ValidationCode::Required),
            Some(t) if t.pipeline_id != into || t.kind != s.kind || !t.active => v.push(field, ValidationCode::Invalid),
            Some(t) => moves.push((s.id, t.id)),
        }
    }
    v.finish()?;
    let txn = crate::service::begin(db).await?;
    let mut moved = 0u64;
    for (from, to) in moves {
        moved += super::stages::move_all(&txn, actor, from, to, "pipeline_merged").await?;
    }
    stages::Entity::update_many()
        .col_expr(stages::Column::Deleted, Expr::value(true))
        .col_expr(stages::Column::Active, Expr::value(false))
        .filter(stages::Column::PipelineId.eq(id))
        .exec(&txn)
        .await?;
    pipelines::Entity::update_many()
        .col_expr(pipelines::Column::Active, Expr::value(false))
        .col_expr(pipelines::Column::Version, Expr::col(pipelines::Column::Version).add(1))
        .filter(pipelines::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    // The types that started in the merged pipeline start in the one it went into.
    let types = linked_types(&txn, id).await?;
    let mut changes = Changes::new();
    link_types(&txn, id, &[], &mut changes).await?;
    let mut target_types = linked_types(&txn, into).await?;
    target_types.extend(&types);
    target_types.sort_unstable();
    let mut target_changes = Changes::new();
    link_types(&txn, into, &target_types, &mut target_changes).await?;
    if !target_changes.is_empty() {
        target_changes
            .write(&txn, actor, ENTITY, into, ChangeAction::Update)
            .await?;
    }
    changes.diff("active", &source.active, &false);
    changes.diff("mergedInto", &None::<i32>, &Some(into));
    changes.diff("moved", &0u64, &moved);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    Ok(moved)
}
