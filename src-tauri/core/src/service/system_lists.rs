//! Values of the fixed system lists (opportunity type, source, reasons, …).

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
use crate::domain::{ChangeAction, SystemListKey, ValidationCode, Validator};
use crate::entity::system_items;
use crate::error::{AppError, AppResult};

const ENTITY: &str = "system_item";

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SystemItem {
    pub id: i32,
    pub list: SystemListKey,
    pub key: Option<String>,
    pub title_fa: String,
    pub title_en: String,
    pub sort_order: i32,
    pub active: bool,
    pub version: i32,
    /// For an opportunity type: the pipeline its new opportunities start in (set from
    /// the pipeline's settings).
    pub pipeline_id: Option<i32>,
}

impl From<system_items::Model> for SystemItem {
    fn from(m: system_items::Model) -> Self {
        Self {
            id: m.id,
            list: SystemListKey::parse(&m.list_key).unwrap_or(SystemListKey::OpportunityType),
            key: m.key,
            title_fa: m.title_fa,
            title_en: m.title_en,
            sort_order: m.sort_order,
            active: m.active,
            version: m.version,
            pipeline_id: m.pipeline_id,
        }
    }
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    list: SystemListKey,
    include_inactive: bool,
) -> AppResult<Vec<SystemItem>> {
    let mut q = system_items::Entity::find()
        .filter(system_items::Column::ListKey.eq(list.as_str()))
        .order_by_asc(system_items::Column::SortOrder)
        .order_by_asc(system_items::Column::Id);
    if !include_inactive {
        q = q.filter(system_items::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

/// Checks a reference to a list value: it exists, belongs to `list`, and is active
/// (unless it is the value the record already had: inactive values stay on old records).
pub async fn check_ref<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    field: &str,
    list: SystemListKey,
    id: Option<i32>,
    previous: Option<i32>,
) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    let item = system_items::Entity::find_by_id(id).one(db).await?;
    check_item(v, field, list, id, item.as_ref(), previous);
    Ok(())
}

/// The rule of [`check_ref`] on a row already read (`item`: the row of `id`, if any).
pub fn check_item(
    v: &mut Validator,
    field: &str,
    list: SystemListKey,
    id: i32,
    item: Option<&system_items::Model>,
    previous: Option<i32>,
) {
    match item {
        Some(item) if item.list_key == list.as_str() => {
            if !item.active && previous != Some(id) {
                v.push(field, ValidationCode::InactiveReference);
            }
        }
        _ => v.push(field, ValidationCode::UnknownReference),
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SystemItemInput {
    pub title_fa: String,
    pub title_en: String,
    pub active: bool,
}

fn validate_input(input: &SystemItemInput) -> AppResult<(String, String)> {
    let mut v = Validator::new();
    let fa = v.required_text("titleFa", &input.title_fa, NAME_MAX);
    let en = v.required_text("titleEn", &input.title_en, NAME_MAX);
    v.finish()?;
    Ok((fa, en))
}

/// Adds a value at the end of the list.
pub async fn create_item<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    list: SystemListKey,
    input: SystemItemInput,
) -> AppResult<SystemItem> {
    actor.require_admin()?;
    let (fa, en) = validate_input(&input)?;
    let txn = crate::service::begin(db).await?;
    let last = system_items::Entity::find()
        .filter(system_items::Column::ListKey.eq(list.as_str()))
        .order_by_desc(system_items::Column::SortOrder)
        .one(&txn)
        .await?
        .map(|i| i.sort_order)
        .unwrap_or(0);
    let m = system_items::ActiveModel {
        list_key: Set(list.as_str().into()),
        key: Set(None),
        title_fa: Set(fa.clone()),
        title_en: Set(en.clone()),
        sort_order: Set(last + 1),
        active: Set(input.active),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::new();
    changes.set("titleFa", &fa);
    changes.set("titleEn", &en);
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    Ok(m.into())
}

/// Renames or (de)activates a value.
pub async fn update_item<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: SystemItemInput,
) -> AppResult<SystemItem> {
    actor.require_admin()?;
    let old = system_items::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let (fa, en) = validate_input(&input)?;
    let txn = crate::service::begin(db).await?;
    let res = system_items::Entity::update_many()
        .col_expr(system_items::Column::TitleFa, Expr::value(fa.clone()))
        .col_expr(system_items::Column::TitleEn, Expr::value(en.clone()))
        .col_expr(system_items::Column::Active, Expr::value(input.active))
        .col_expr(system_items::Column::Version, Expr::value(version + 1))
        .filter(system_items::Column::Id.eq(id))
        .filter(system_items::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut changes = Changes::new();
    changes.diff("titleFa", &old.title_fa, &fa);
    changes.diff("titleEn", &old.title_en, &en);
    changes.diff("active", &old.active, &input.active);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    Ok(system_items::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?
        .into())
}

/// Puts the list's values in the given order (every value of the list, each once).
pub async fn reorder<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    list: SystemListKey,
    ids: Vec<i32>,
) -> AppResult<Vec<SystemItem>> {
    actor.require_admin()?;
    let current: Vec<i32> = self::list(db, list, true).await?.into_iter().map(|i| i.id).collect();
    let mut sorted_new = ids.clone();
    sorted_new.sort_unstable();
    let mut sorted_old = current.clone();
    sorted_old.sort_unstable();
    if sorted_new != sorted_old {
        return Err(AppError::field("ids", ValidationCode::Invalid));
    }
    let txn = crate::service::begin(db).await?;
    for (i, id) in ids.iter().enumerate() {
        system_items::Entity::update_many()
            .col_expr(system_items::Column::SortOrder, Expr::value(i as i32 + 1))
            .col_expr(
                system_items::Column::Version,
                Expr::col(system_items::Column::Version).add(1),
            )
            .filter(system_items::Column::Id.eq(*id))
            .exec(&txn)
            .await?;
    }
    let mut changes = Changes::new();
    changes.diff("order", &current, &ids);
    changes.write(&txn, actor, ENTITY, 0, ChangeAction::Update).await?;
    txn.commit().await?;
    self::list(db, list, true).await
}

/// How many records use a value (opportunities, identities, products): everyone's
/// rows, so only for the administrators who shape the lists.
pub async fn usage<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<u64> {
    actor.require_admin()?;
    use crate::entity::{identities, opportunities as opp, products};
    let o = opp::Entity::find()
        .filter(
            Condition::any()
                .add(opp::Column::TypeId.eq(id))
                .add(opp::Column::SourceId.eq(id))
                .add(opp::Column::WinReasonId.eq(id))
                .add(opp::Column::LossReasonId.eq(id))
                .add(opp::Column::PurchaseProcessId.eq(id)),
        )
        .count(db)
        .await?;
    let i = identities::Entity::find()
        .filter(
            Condition::any()
                .add(identities::Column::SourceId.eq(id))
                .add(identities::Column::PrefixId.eq(id)),
        )
        .count(db)
        .await?;
    let p = products::Entity::find()
        .filter(products::Column::UnitId.eq(id))
        .count(db)
        .await?;
    Ok(o + i + p)
}

/// Deletes a value that no record uses; a value in use can only be deactivated.
pub async fn delete_item<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    actor.require_admin()?;
    let old = system_items::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if usage(db, actor, id).await? > 0 {
        return Err(AppError::field("id", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    system_items::Entity::delete_by_id(id).exec(&txn).await?;
    let mut changes = Changes::new();
    changes.diff("titleEn", &Some(old.title_en), &None);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}
