//! Campaigns ("start of communication with customers").

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::{now, settings, Actor};
use crate::domain::validate::{parse_money, NAME_MAX, NOTE_MAX};
use crate::domain::{ChangeAction, ValidationCode, Validator};
use crate::entity::{campaigns, opportunities, Fixed4};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignSummary {
    pub id: i32,
    pub name: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub active: bool,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub cost: Decimal,
    pub description: Option<String>,
    /// Opportunities linked to the campaign.
    pub opportunity_count: u32,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignInput {
    pub name: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub description: Option<String>,
    /// A decimal string, e.g. "1250000".
    pub cost: String,
    pub active: bool,
}

fn summary(m: campaigns::Model) -> CampaignSummary {
    CampaignSummary {
        id: m.id,
        name: m.name,
        start_date: m.start_date,
        end_date: m.end_date,
        active: m.active,
        cost: m.cost.0,
        description: m.description,
        opportunity_count: 0,
        version: m.version,
    }
}

fn validate(v: &mut Validator, input: &CampaignInput, decimals: u32) -> (String, Option<String>, Decimal) {
    let name = v.required_text("name", &input.name, NAME_MAX);
    let description = v.optional_text("description", input.description.as_deref(), NOTE_MAX);
    let cost = parse_money(v, "cost", &input.cost, decimals);
    v.date("startDate", input.start_date);
    v.date("endDate", input.end_date);
    if let (Some(s), Some(e)) = (input.start_date, input.end_date) {
        if e < s {
            v.push("endDate", ValidationCode::OutOfRange);
        }
    }
    (name, description, cost)
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: CampaignInput,
) -> AppResult<CampaignSummary> {
    if !actor.manages() {
        return Err(AppError::forbidden("campaigns_managers_only"));
    }
    let decimals = settings::get(db).await?.currency_decimals;
    let mut v = Validator::new();
    let (name, description, cost) = validate(&mut v, &input, decimals);
    v.finish()?;
    let at = now();
    let txn = crate::service::begin(db).await?;
    let m = campaigns::ActiveModel {
        name: Set(name.clone()),
        start_date: Set(input.start_date),
        end_date: Set(input.end_date),
        description: Set(description),
        cost: Set(Fixed4(cost)),
        active: Set(input.active),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(at),
        updated_by: Set(Some(actor.user_id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::new();
    changes.set("name", &name);
    changes.set("cost", &cost);
    changes
        .write(&txn, actor, "campaign", m.id, ChangeAction::Create)
        .await?;
    txn.commit().await?;
    Ok(summary(m))
}

/// Every campaign, newest first, with its opportunity count (counted by the database).
pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<CampaignSummary>> {
    let counts: HashMap<i32, i64> = opportunities::Entity::find()
        .select_only()
        .column(opportunities::Column::CampaignId)
        .column_as(opportunities::Column::Id.count(), "n")
        .filter(opportunities::Column::CampaignId.is_not_null())
        .group_by(opportunities::Column::CampaignId)
        .into_tuple::<(Option<i32>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, n)))
        .collect();
    Ok(campaigns::Entity::find()
        .order_by_desc(campaigns::Column::StartDate)
        .order_by_asc(campaigns::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let n = counts.get(&m.id).copied().unwrap_or(0);
            CampaignSummary {
                opportunity_count: n as u32,
                ..summary(m)
            }
        })
        .collect())
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: CampaignInput,
) -> AppResult<CampaignSummary> {
    if !actor.manages() {
        return Err(AppError::forbidden("campaigns_managers_only"));
    }
    let old = campaigns::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("campaign", id))?;
    if old.version != version {
        return Err(AppError::conflict("campaign", id));
    }
    let decimals = settings::get(db).await?.currency_decimals;
    let mut v = Validator::new();
    let (name, description, cost) = validate(&mut v, &input, decimals);
    v.finish()?;
    let txn = crate::service::begin(db).await?;
    let res = campaigns::Entity::update_many()
        .set(campaigns::ActiveModel {
            name: Set(name.clone()),
            start_date: Set(input.start_date),
            end_date: Set(input.end_date),
            description: Set(description.clone()),
            cost: Set(Fixed4(cost)),
            active: Set(input.active),
            version: Set(version + 1),
            updated_at: Set(now()),
            updated_by: Set(Some(actor.user_id)),
            ..Default::default()
        })
        .filter(campaigns::Column::Id.eq(id))
        .filter(campaigns::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict("campaign", id));
    }
    let mut changes = Changes::new();
    changes.diff("name", &old.name, &name);
    changes.diff("startDate", &old.start_date, &input.start_date);
    changes.diff("endDate", &old.end_date, &input.end_date);
    changes.diff("description", &old.description, &description);
    changes.diff("cost", &old.cost.0, &cost);
    changes.diff("active", &old.active, &input.active);
    changes.write(&txn, actor, "campaign", id, ChangeAction::Update).await?;
    txn.commit().await?;
    let m = campaigns::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("campaign", id))?;
    Ok(summary(m))
}

/// Checks an optional campaign reference: it exists and is active (unless unchanged).
pub async fn check_ref<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    field: &str,
    id: Option<i32>,
    previous: Option<i32>,
) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    let found = campaigns::Entity::find_by_id(id).one(db).await?;
    check_found(v, field, id, found.as_ref(), previous);
    Ok(())
}

/// The rule of [`check_ref`] on a row already read (`found`: the campaign `id`, if any).
pub fn check_found(v: &mut Validator, field: &str, id: i32, found: Option<&campaigns::Model>, previous: Option<i32>) {
    match found {
        None => v.push(field, ValidationCode::UnknownReference),
        Some(c) if !c.active && previous != Some(id) => v.push(field, ValidationCode::InactiveReference),
        Some(_) => {}
    }
}
