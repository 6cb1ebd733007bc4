//! Moving cards and bulk edits: every write goes through the opportunity service's
//! own update (`opportunities::apply_change`), so the form's rules hold here too.

use std::collections::HashSet;

use sea_orm::sea_query::ExprTrait;
use sea_orm::{ConnectionTrait, EntityTrait, TransactionSession, TransactionTrait};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::*;
use crate::domain::{ValidationCode, Validator};
use crate::error::{AppError, AppResult};
use crate::service::opportunities::{BulkChange, Lane};
use crate::service::Actor;

/// How many opportunities one bulk edit may touch.
pub const BULK_MAX: usize = 5000;

/// Moves one opportunity to another stage and, on a board with swimlanes, to another
/// lane (a card dropped on a column or a swimlane cell). Won and lost need their
/// reason, exactly as in the form.
///
/// `assign` is the lane the card was dropped in: another user's lane assigns the
/// opportunity to that user, `{ userId: null }` unassigns it (the bulk edit's
/// `assign`, with the same rules). A `stage_id` equal to the current stage leaves the
/// stage (and its reason) alone, so a drop into the same column of another lane is a
/// pure reassignment; the same stage and the same lane is no move and writes nothing.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MoveInput {
    pub id: i32,
    pub version: i32,
    pub stage_id: i32,
    pub reason_id: Option<i32>,
    pub reason_note: Option<String>,
    /// The lane dropped in; `None` keeps the assignee.
    #[serde(default)]
    pub assign: Option<Lane>,
}

pub async fn move_to_stage<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: MoveInput,
) -> AppResult<OpportunityRow> {
    // What is already so is not changed again (the visibility and version checks are
    // `apply_change`'s, and `row`'s for a card that does not move).
    let current = crate::entity::opportunities::Entity::find_by_id(input.id)
        .one(db)
        .await?;
    let (stage_id, assign) = match &current {
        Some(o) => (
            Some(input.stage_id).filter(|s| *s != o.stage_id),
            input.assign.filter(|lane| lane.user_id != o.assigned_user_id),
        ),
        None => (Some(input.stage_id), input.assign),
    };
    if current.is_some() && stage_id.is_none() && assign.is_none() && input.reason_id.is_none() {
        let row = row(db, actor, input.id).await?;
        if row.version != input.version {
            return Err(AppError::conflict(crate::service::opportunities::ENTITY, input.id));
        }
        return Ok(row);
    }
    let change = BulkChange {
        assign,
        stage_id,
        reason_id: input.reason_id,
        reason_note: input.reason_note,
        ..BulkChange::default()
    };
    let txn = crate::service::begin(db).await?;
    crate::service::opportunities::apply_change(&txn, actor, input.id, input.version, &change).await?;
    txn.commit().await?;
    // Read back without the visibility filter: the write above was allowed, and a
    // salesperson who just unassigned their card still gets the answer to the move.
    let r = resolve(db, &OpportunityFilter::default()).await?;
    let mut q = row_select(&r);
    q.and_where(col("id").eq(input.id));
    match db.query_one(&q).await? {
        Some(row) => read_row(&row, r.today()),
        None => Err(AppError::not_found(crate::service::opportunities::ENTITY, input.id)),
    }
}

/// One selected opportunity and the version the list showed.
#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub id: i32,
    pub version: i32,
}

/// Why a bulk edit was refused: the opportunity it stopped at, and the error.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub updated: u32,
}

/// Applies one change to every selected opportunity in one transaction: all or none.
/// A refusal names the opportunity (`field` paths are prefixed with `items.N.`).
pub async fn bulk_update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    items: &[BulkItem],
    change: &BulkChange,
) -> AppResult<BulkResult> {
    if items.is_empty() {
        return Err(AppError::field("items", ValidationCode::Required));
    }
    if items.len() > BULK_MAX {
        let mut v = Validator::new();
        v.push_limit("items", ValidationCode::TooLong, None, Some(BULK_MAX.to_string()));
        v.finish()?;
    }
    if change.assign.is_none()
        && change.stage_id.is_none()
        && change.type_id.is_none()
        && change.source_id.is_none()
        && change.campaign.is_none()
    {
        return Err(AppError::field("change", ValidationCode::Required));
    }
    let txn = crate::service::begin(db).await?;
    let mut seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        if !seen.insert(item.id) {
            continue;
        }
        if let Err(e) = crate::service::opportunities::apply_change(&txn, actor, item.id, item.version, change).await {
            // Dropping the transaction rolls everything back.
            return Err(match e {
                AppError::Validation { fields } => AppError::Validation {
                    fields: fields
                        .into_iter()
                        .map(|mut f| {
                            f.field = format!("items.{i}.{}", f.field);
                            f
                        })
                        .collect(),
                },
                other => other,
            });
        }
    }
    txn.commit().await?;
    Ok(BulkResult {
        updated: seen.len() as u32,
    })
}
