//! The Records tabs: every record of an identity (or the children of an opportunity),
//! newest first.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use specta::Type;

use super::opportunities::visible_to;
use super::Actor;
use crate::domain::{RecordKind, RecordStatus};
use crate::entity::{financial_records as fin, identities, opportunities as opp};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecordRow {
    pub kind: RecordKind,
    pub id: i32,
    pub title: String,
    /// The record number of financial records.
    pub number: Option<String>,
    /// Opportunities: their stage.
    pub stage_id: Option<i32>,
    /// Financial records: draft or approved.
    pub status: Option<RecordStatus>,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
    /// Opportunities: the creation date; financial records: the issue date.
    pub date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

fn fin_row(f: fin::Model) -> RecordRow {
    RecordRow {
        kind: RecordKind::parse(&f.kind).unwrap_or(RecordKind::Invoice),
        id: f.id,
        title: f.title,
        number: Some(f.number),
        stage_id: None,
        status: RecordStatus::parse(&f.status),
        amount: f.amount.0,
        date: f.issue_date,
        created_at: f.created_at,
    }
}

/// Every record of the identity, newest first (opportunities the actor may not see are left out).
pub async fn for_identity<C: ConnectionTrait>(db: &C, actor: &Actor, identity_id: i32) -> AppResult<Vec<RecordRow>> {
    if identities::Entity::find_by_id(identity_id).one(db).await?.is_none() {
        return Err(AppError::not_found("identity", identity_id));
    }
    let mut rows: Vec<RecordRow> = opp::Entity::find()
        .filter(opp::Column::IdentityId.eq(identity_id))
        .order_by_desc(opp::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|o| visible_to(actor, o))
        .map(|o| RecordRow {
            kind: RecordKind::Opportunity,
            id: o.id,
            title: o.title,
            number: None,
            stage_id: Some(o.stage_id),
            status: None,
            amount: o.estimated_amount.0,
            date: o.created_at.date_naive(),
            created_at: o.created_at,
        })
        .collect();
    rows.extend(
        fin::Entity::find()
            .filter(fin::Column::IdentityId.eq(identity_id))
            .all(db)
            .await?
            .into_iter()
            .map(fin_row),
    );
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Ok(rows)
}

/// The records whose parent is the opportunity (its own Records tab).
pub async fn for_opportunity<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    opportunity_id: i32,
) -> AppResult<Vec<RecordRow>> {
    let o = opp::Entity::find_by_id(opportunity_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("opportunity", opportunity_id))?;
    if !visible_to(actor, &o) {
        return Err(AppError::forbidden("opportunity_not_yours"));
    }
    Ok(fin::Entity::find()
        .filter(fin::Column::OpportunityId.eq(opportunity_id))
        .order_by_desc(fin::Column::CreatedAt)
        .order_by_desc(fin::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(fin_row)
        .collect())
}
