//! Campaigns ("start of communication with customers").

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use serde::Serialize;
use specta::Type;

use crate::domain::{ValidationCode, Validator};
use crate::entity::campaigns;
use crate::error::AppResult;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignSummary {
    pub id: i32,
    pub name: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub active: bool,
}

pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<CampaignSummary>> {
    Ok(campaigns::Entity::find()
        .order_by_desc(campaigns::Column::StartDate)
        .order_by_asc(campaigns::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|m| CampaignSummary {
            id: m.id,
            name: m.name,
            start_date: m.start_date,
            end_date: m.end_date,
            active: m.active,
        })
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
