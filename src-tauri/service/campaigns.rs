//! Campaigns ("start of communication with customers").

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set, TransactionSession, TransactionTrait};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::{now, settings, Actor};
use crate::domain::validate::{NAME_MAX, NOTE_MAX};
use crate::domain::{ChangeAction, ValidationCode, Validator};
use crate::entity::{campaigns, Fixed4};
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
}

fn summary(m: campaigns::Model) -> CampaignSummary {
    CampaignSummary {
        id: m.id,
        name: m.name,
        start_date: m.start_date,
        end_date: m.end_date,
        active: m.active,
        cost: m.cost.0,
    }
}

/// Parses a money string from the UI into a Decimal, reporting `field` when it is not a number.
pub fn parse_money(v: &mut Validator, field: &str, raw: &str, currency_decimals: u32) -> Decimal {
    let cleaned: String = crate::domain::validate::normalize_digits(raw.trim())
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | ' ' | '_'))
        .collect();
    if cleaned.is_empty() {
        return Decimal::ZERO;
    }
    match cleaned.parse::<Decimal>() {
        Ok(d) => v.money(field, d, currency_decimals, false),
        Err(_) => {
            v.push(field, ValidationCode::Invalid);
            Decimal::ZERO
        }
    }
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: CampaignInput,
) -> AppResult<CampaignSummary> {
    if !actor.sees_all() {
        return Err(AppError::forbidden("campaigns_managers_only"));
    }
    let decimals = settings::get(db).await?.currency_decimals;
    let mut v = Validator::new();
    let name = v.required_text("name", &input.name, NAME_MAX);
    let description = v.optional_text("description", input.description.as_deref(), NOTE_MAX);
    let cost = parse_money(&mut v, "cost", &input.cost, decimals);
    if let (Some(s), Some(e)) = (input.start_date, input.end_date) {
        if e < s {
            v.push("endDate", ValidationCode::OutOfRange);
        }
    }
    v.finish()?;
    let at = now();
    let txn = db.begin().await?;
    let m = campaigns::ActiveModel {
        name: Set(name.clone()),
        start_date: Set(input.start_date),
        end_date: Set(input.end_date),
        description: Set(description),
        cost: Set(Fixed4(cost)),
        active: Set(true),
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

pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<CampaignSummary>> {
    Ok(campaigns::Entity::find()
        .order_by_desc(campaigns::Column::StartDate)
        .order_by_asc(campaigns::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(summary)
        .collect())
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
    match campaigns::Entity::find_by_id(id).one(db).await? {
        None => v.push(field, ValidationCode::UnknownReference),
        Some(c) if !c.active && previous != Some(id) => v.push(field, ValidationCode::InactiveReference),
        Some(_) => {}
    }
    Ok(())
}
