//! The Records tabs: every record of an identity (or the children of an opportunity),
//! newest first.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use specta::Type;

use std::collections::HashMap;

use super::changelog::{self, ChangeEntry};
use super::financial;
use super::opportunities::visible_to;
use super::{settings, teams, Actor};
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
    let clock = settings::clock(db).await?;
    let scope = teams::scope(db, actor).await?;
    let opportunities: HashMap<i32, opp::Model> = opp::Entity::find()
        .filter(opp::Column::IdentityId.eq(identity_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut rows: Vec<RecordRow> = opportunities
        .values()
        .filter(|o| visible_to(&scope, o))
        .cloned()
        .map(|o| RecordRow {
            kind: RecordKind::Opportunity,
            id: o.id,
            title: o.title,
            number: None,
            stage_id: Some(o.stage_id),
            status: None,
            amount: o.estimated_amount.0,
            date: clock.date_of(o.created_at),
            created_at: o.created_at,
        })
        .collect();
    // Financial records follow their opportunity (which may belong to another identity).
    for f in fin::Entity::find()
        .filter(fin::Column::IdentityId.eq(identity_id))
        .all(db)
        .await?
    {
        let visible = match f.opportunity_id {
            Some(o) if !scope.is_all() && !opportunities.contains_key(&o) => {
                let parent = opp::Entity::find_by_id(o).one(db).await?;
                financial::record_visible_to(&scope, &f, parent.as_ref())
            }
            parent => financial::record_visible_to(&scope, &f, parent.and_then(|o| opportunities.get(&o))),
        };
        if visible {
            rows.push(fin_row(f));
        }
    }
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
    if !visible_to(&teams::scope(db, actor).await?, &o) {
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

/// The entities whose change log everyone signed in may read.
const SHARED_LOGS: [&str; 9] = [
    "identity",
    "product",
    "product_category",
    "pipeline",
    "stage",
    "system_item",
    "custom_field",
    "campaign",
    super::teams::ENTITY,
];

/// Which of these records' change logs `actor` may read — the one rule for the Changes
/// panel and for live change events: an opportunity's or a financial record's log
/// follows the record's visibility (a deleted one's only those who see everything), a
/// user's log is the administrators' (and the user's own); identities, products,
/// personalization and teams are everyone's. An unknown entity: none.
pub async fn readable_logs<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    entity: &str,
    ids: &[i32],
) -> AppResult<std::collections::HashSet<i32>> {
    let ids: std::collections::BTreeSet<i32> = ids.iter().copied().collect();
    let mut out = std::collections::HashSet::new();
    match entity {
        super::opportunities::ENTITY => {
            let scope = teams::scope(db, actor).await?;
            let found: HashMap<i32, opp::Model> = opportunities_by_id(db, &ids).await?;
            for id in ids {
                match found.get(&id) {
                    Some(o) if visible_to(&scope, o) => out.insert(id),
                    None if scope.is_all() => out.insert(id),
                    _ => false,
                };
            }
        }
        financial::ENTITY => {
            let scope = teams::scope(db, actor).await?;
            let found: HashMap<i32, fin::Model> = financial_by_id(db, &ids).await?;
            let parent_ids: std::collections::BTreeSet<i32> = found.values().filter_map(|f| f.opportunity_id).collect();
            let parents: HashMap<i32, opp::Model> = if scope.is_all() {
                HashMap::new()
            } else {
                opportunities_by_id(db, &parent_ids).await?
            };
            for id in ids {
                match found.get(&id) {
                    Some(f)
                        if financial::record_visible_to(&scope, f, f.opportunity_id.and_then(|o| parents.get(&o))) =>
                    {
                        out.insert(id)
                    }
                    None if scope.is_all() => out.insert(id),
                    _ => false,
                };
            }
        }
        super::activities::ENTITY => {
            let scope = teams::scope(db, actor).await?;
            let found: Vec<crate::entity::activities::Model> = by_ids(db, &ids, |chunk| {
                crate::entity::activities::Entity::find().filter(crate::entity::activities::Column::Id.is_in(chunk))
            })
            .await?;
            let parent_ids: std::collections::BTreeSet<i32> = found.iter().filter_map(|a| a.opportunity_id).collect();
            let parents = opportunities_by_id(db, &parent_ids).await?;
            let found: HashMap<i32, crate::entity::activities::Model> = found.into_iter().map(|a| (a.id, a)).collect();
            for id in ids {
                match found.get(&id) {
                    Some(a)
                        if super::activities::visible(&scope, a, a.opportunity_id.and_then(|o| parents.get(&o))) =>
                    {
                        out.insert(id)
                    }
                    None if scope.is_all() => out.insert(id),
                    _ => false,
                };
            }
        }
        super::comments::ENTITY => {
            // A comment's log follows its opportunity.
            let scope = teams::scope(db, actor).await?;
            let found: Vec<crate::entity::comments::Model> = by_ids(db, &ids, |chunk| {
                crate::entity::comments::Entity::find().filter(crate::entity::comments::Column::Id.is_in(chunk))
            })
            .await?;
            let parent_ids: std::collections::BTreeSet<i32> = found.iter().map(|c| c.opportunity_id).collect();
            let parents = opportunities_by_id(db, &parent_ids).await?;
            let found: HashMap<i32, i32> = found.into_iter().map(|c| (c.id, c.opportunity_id)).collect();
            for id in ids {
                match found.get(&id).and_then(|o| parents.get(o)) {
                    Some(o) if visible_to(&scope, o) => out.insert(id),
                    None if scope.is_all() => out.insert(id),
                    _ => false,
                };
            }
        }
        super::users::ENTITY => {
            out.extend(ids.into_iter().filter(|id| actor.is_admin() || *id == actor.user_id));
        }
        e if SHARED_LOGS.contains(&e) => out.extend(ids),
        _ => {}
    }
    Ok(out)
}

/// Rows by id, in chunks of 500 (`find` builds the query of one chunk).
async fn by_ids<C: ConnectionTrait, E: EntityTrait>(
    db: &C,
    ids: &std::collections::BTreeSet<i32>,
    find: impl Fn(Vec<i32>) -> sea_orm::Select<E>,
) -> AppResult<Vec<E::Model>> {
    let ids: Vec<i32> = ids.iter().copied().collect();
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        out.extend(find(chunk.to_vec()).all(db).await?);
    }
    Ok(out)
}

/// Opportunities by id, in chunks (a long list of ids is one query per 500).
async fn opportunities_by_id<C: ConnectionTrait>(
    db: &C,
    ids: &std::collections::BTreeSet<i32>,
) -> AppResult<HashMap<i32, opp::Model>> {
    Ok(by_ids(db, ids, |chunk| {
        opp::Entity::find().filter(opp::Column::Id.is_in(chunk))
    })
    .await?
    .into_iter()
    .map(|m| (m.id, m))
    .collect())
}

/// Financial records by id, in chunks.
async fn financial_by_id<C: ConnectionTrait>(
    db: &C,
    ids: &std::collections::BTreeSet<i32>,
) -> AppResult<HashMap<i32, fin::Model>> {
    Ok(by_ids(db, ids, |chunk| {
        fin::Entity::find().filter(fin::Column::Id.is_in(chunk))
    })
    .await?
    .into_iter()
    .map(|m| (m.id, m))
    .collect())
}

/// The Changes panel of a record, for those who may read its log ([`readable_logs`]).
pub async fn changes<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    entity: &str,
    record_id: i32,
) -> AppResult<Vec<ChangeEntry>> {
    if !readable_logs(db, actor, entity, &[record_id])
        .await?
        .contains(&record_id)
    {
        return Err(match entity {
            super::opportunities::ENTITY | super::comments::ENTITY => AppError::forbidden("opportunity_not_yours"),
            super::activities::ENTITY => AppError::forbidden("activity_not_yours"),
            financial::ENTITY => AppError::forbidden("record_not_yours"),
            super::users::ENTITY => AppError::forbidden("users_admin_only"),
            _ => AppError::field("entity", crate::domain::ValidationCode::Invalid),
        });
    }
    changelog::history(db, entity, record_id).await
}
