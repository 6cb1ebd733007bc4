//! Sales stages ("leveling"), in order, and their administration (domain §4).

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::{now, Actor};
use crate::domain::validate::NAME_MAX;
use crate::domain::{ChangeAction, StageKind, ValidationCode, Validator};
use crate::entity::{opportunities as opp, stage_history, stages};
use crate::error::{AppError, AppResult};

const ENTITY: &str = "stage";

/// The pipeline every stage belonged to before there were several.
pub const DEFAULT_PIPELINE: i32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    pub id: i32,
    pub key: String,
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
    pub sort_order: i32,
    pub active: bool,
    pub default_probability: Option<i32>,
    pub version: i32,
    /// The pipeline whose stage this is.
    pub pipeline_id: i32,
}

impl From<stages::Model> for Stage {
    fn from(m: stages::Model) -> Self {
        Self {
            id: m.id,
            key: m.key,
            title_fa: m.title_fa,
            title_en: m.title_en,
            kind: StageKind::parse(&m.kind).unwrap_or(StageKind::Open),
            sort_order: m.sort_order,
            active: m.active,
            default_probability: m.default_probability,
            version: m.version,
            pipeline_id: m.pipeline_id,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StageInput {
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
    pub default_probability: Option<i32>,
    pub active: bool,
    /// Where a deactivated stage's opportunities go (required when it holds any).
    pub replacement_stage_id: Option<i32>,
    /// On creation: the pipeline the stage belongs to (the default pipeline when
    /// absent); a stage never changes pipeline afterwards.
    #[serde(default)]
    pub pipeline_id: Option<i32>,
}

pub async fn list<C: ConnectionTrait>(db: &C, include_inactive: bool) -> AppResult<Vec<Stage>> {
    let mut q = stages::Entity::find()
        .filter(stages::Column::Deleted.eq(false))
        .order_by_asc(stages::Column::SortOrder)
        .order_by_asc(stages::Column::Id);
    if !include_inactive {
        q = q.filter(stages::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<Stage> {
    stages::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into)
        .ok_or_else(|| AppError::not_found(ENTITY, id))
}

/// Opportunities currently in a stage, for the administrator deciding whether to delete
/// it (everyone's opportunities are counted, so nobody else may ask).
pub async fn usage<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<u64> {
    actor.require_admin()?;
    holding(db, id).await
}

/// Opportunities in each stage (for the admin screen).
pub async fn holding<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<u64> {
    Ok(opp::Entity::find()
        .filter(opp::Column::StageId.eq(id))
        .count(db)
        .await?)
}

fn validate(input: &StageInput) -> AppResult<(String, String, Option<i32>)> {
    let mut v = Validator::new();
    let fa = v.required_text("titleFa", &input.title_fa, NAME_MAX);
    let en = v.required_text("titleEn", &input.title_en, NAME_MAX);
    let prob = match (input.kind, input.default_probability) {
        (StageKind::Open, Some(p)) => Some(v.int_range("defaultProbability", p as i64, 0, 100)),
        (StageKind::Open, None) => None,
        (_, Some(_)) => {
            v.push("defaultProbability", ValidationCode::NotAllowed);
            None
        }
        (_, None) => None,
    };
    v.finish()?;
    Ok((fa, en, prob))
}

fn slug(en: &str, id_hint: u64) -> String {
    let s: String = en
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let s: String = s.chars().take(40).collect();
    format!("{}_{id_hint}", if s.is_empty() { "stage" } else { &s })
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: StageInput,
) -> AppResult<Stage> {
    actor.require_admin()?;
    let (fa, en, prob) = validate(&input)?;
    let pipeline_id = input.pipeline_id.unwrap_or(DEFAULT_PIPELINE);
    if crate::entity::pipelines::Entity::find_by_id(pipeline_id)
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::field("pipelineId", ValidationCode::UnknownReference));
    }
    let txn = crate::service::begin(db).await?;
    let last = stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(pipeline_id))
        .order_by_desc(stages::Column::SortOrder)
        .one(&txn)
        .await?
        .map(|s| s.sort_order)
        .unwrap_or(0);
    let n = stages::Entity::find().count(&txn).await?;
    let m = stages::ActiveModel {
        key: Set(slug(&en, n + 1)),
        title_fa: Set(fa.clone()),
        title_en: Set(en.clone()),
        kind: Set(input.kind.as_str().into()),
        sort_order: Set(last + 1),
        active: Set(input.active),
        default_probability: Set(prob),
        deleted: Set(false),
        version: Set(1),
        pipeline_id: Set(pipeline_id),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::new();
    changes.set("titleFa", &fa);
    changes.set("titleEn", &en);
    changes.set("kind", &input.kind);
    changes.set("pipelineId", &pipeline_id);
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    Ok(m.into())
}

/// At least one active won and one active lost stage must remain in each pipeline.
async fn check_keeps_outcomes<C: ConnectionTrait>(db: &C, leaving: &stages::Model) -> AppResult<()> {
    let kind = StageKind::parse(&leaving.kind).unwrap_or(StageKind::Open);
    if kind == StageKind::Open {
        return Ok(());
    }
    let others = stages::Entity::find()
        .filter(stages::Column::Kind.eq(kind.as_str()))
        .filter(stages::Column::PipelineId.eq(leaving.pipeline_id))
        .filter(stages::Column::Active.eq(true))
        .filter(stages::Column::Deleted.eq(false))
        .filter(stages::Column::Id.ne(leaving.id))
        .count(db)
        .await?;
    if others == 0 {
        return Err(AppError::field("id", ValidationCode::NotAllowed));
    }
    Ok(())
}

/// Moves every opportunity of `from` to `to` (same kind), recording each move.
async fn move_opportunities<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    from: &stages::Model,
    to: Option<i32>,
) -> AppResult<u64> {
    let held = holding(db, from.id).await?;
    if held == 0 {
        return Ok(0);
    }
    let Some(to) = to else {
        return Err(AppError::field("replacementStageId", ValidationCode::Required));
    };
    let target = stages::Entity::find_by_id(to).one(db).await?;
    match &target {
        Some(t)
            if t.id != from.id
                && t.active
                && !t.deleted
                && t.kind == from.kind
                && t.pipeline_id == from.pipeline_id => {}
        _ => return Err(AppError::field("replacementStageId", ValidationCode::Invalid)),
    }
    move_all(db, actor, from.id, to, "stage_replaced").await
}

/// Moves every opportunity of stage `from` to stage `to`, each move written to the
/// stage history with `note`; returns how many moved. The caller has checked the
/// target (replacing a stage, merging a pipeline).
pub(crate) async fn move_all<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    from: i32,
    to: i32,
    note: &str,
) -> AppResult<u64> {
    let ids: Vec<i32> = opp::Entity::find()
        .filter(opp::Column::StageId.eq(from))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let at = now();
    for id in &ids {
        stage_history::ActiveModel {
            opportunity_id: Set(*id),
            from_stage_id: Set(Some(from)),
            to_stage_id: Set(to),
            changed_at: Set(at),
            changed_by: Set(Some(actor.user_id)),
            note: Set(Some(note.into())),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    opp::Entity::update_many()
        .col_expr(opp::Column::StageId, Expr::value(to))
        .col_expr(opp::Column::Version, Expr::col(opp::Column::Version).add(1))
        .col_expr(opp::Column::UpdatedAt, Expr::value(at))
        .col_expr(opp::Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(opp::Column::StageId.eq(from))
        .exec(db)
        .await?;
    Ok(ids.len() as u64)
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: StageInput,
) -> AppResult<Stage> {
    actor.require_admin()?;
    let old = stages::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| !s.deleted)
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let (fa, en, prob) = validate(&input)?;
    if input.kind.as_str() != old.kind && holding(db, id).await? > 0 {
        return Err(AppError::field("kind", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    if old.active && !input.active {
        check_keeps_outcomes(&txn, &old).await?;
        move_opportunities(&txn, actor, &old, input.replacement_stage_id).await?;
    }
    let res = stages::Entity::update_many()
        .col_expr(stages::Column::TitleFa, Expr::value(fa.clone()))
        .col_expr(stages::Column::TitleEn, Expr::value(en.clone()))
        .col_expr(stages::Column::Kind, Expr::value(input.kind.as_str()))
        .col_expr(stages::Column::DefaultProbability, Expr::value(prob))
        .col_expr(stages::Column::Active, Expr::value(input.active))
        .col_expr(stages::Column::Version, Expr::value(version + 1))
        .filter(stages::Column::Id.eq(id))
        .filter(stages::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut changes = Changes::new();
    changes.diff("titleFa", &old.title_fa, &fa);
    changes.diff("titleEn", &old.title_en, &en);
    changes.diff("kind", &old.kind, &input.kind.as_str().to_owned());
    changes.diff("defaultProbability", &old.default_probability, &prob);
    changes.diff("active", &old.active, &input.active);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    // Another kind changes what was won: the stage flows are rebuilt.
    crate::service::totals::ensure(&txn, &crate::service::settings::clock(&txn).await?).await?;
    txn.commit().await?;
    get(db, id).await
}

/// Deletes a stage; its opportunities move to `replacement` (same kind) in the same
/// transaction, each move recorded in their stage history. The stage stays in the
/// database for that history but is never listed again.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    replacement: Option<i32>,
) -> AppResult<u64> {
    actor.require_admin()?;
    let old = stages::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|s| !s.deleted)
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    let txn = crate::service::begin(db).await?;
    check_keeps_outcomes(&txn, &old).await?;
    let moved = move_opportunities(&txn, actor, &old, replacement).await?;
    stages::Entity::update_many()
        .col_expr(stages::Column::Deleted, Expr::value(true))
        .col_expr(stages::Column::Active, Expr::value(false))
        .col_expr(stages::Column::Version, Expr::value(old.version + 1))
        .filter(stages::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let mut changes = Changes::new();
    changes.diff("titleEn", &Some(old.title_en.clone()), &None);
    changes.diff("moved", &0u64, &moved);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(moved)
}

/// Puts the stages in the given order (every listed stage, each once).
pub async fn reorder<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    ids: Vec<i32>,
) -> AppResult<Vec<Stage>> {
    actor.require_admin()?;
    let mut current: Vec<i32> = list(db, true).await?.into_iter().map(|s| s.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    current.sort_unstable();
    if sorted != current {
        return Err(AppError::field("ids", ValidationCode::Invalid));
    }
    let txn = crate::service::begin(db).await?;
    for (i, id) in ids.iter().enumerate() {
        stages::Entity::update_many()
            .col_expr(stages::Column::SortOrder, Expr::value(i as i32 + 1))
            .col_expr(stages::Column::Version, Expr::col(stages::Column::Version).add(1))
            .filter(stages::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    // A new order changes which stages come later: the stage flows are rebuilt.
    crate::service::totals::ensure(&txn, &crate::service::settings::clock(&txn).await?).await?;
    txn.commit().await?;
    list(db, true).await
}
