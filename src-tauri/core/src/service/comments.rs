//! The opportunity form's Comments panel: short messages with author and time, newest
//! first. A mention of a user (`@username`) who may see the opportunity puts the
//! comment in their bell (a `notifications` row).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::opportunities::visible_to;
use super::{teams, Actor};
use crate::domain::{ChangeAction, UserRole, ValidationCode, Validator};
use crate::entity::{comments, notifications, opportunities as opp, users};
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "comment";
/// Longest comment accepted.
pub const BODY_MAX: usize = 2000;
/// Most comments the panel and the bell show.
const LIST_MAX: u64 = 200;
const BELL_MAX: u64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: i32,
    pub opportunity_id: i32,
    pub author_id: Option<i32>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The usernames a text mentions: `@` then letters, digits, `.`, `_` or `-`, at the
/// start or after a space or punctuation (an e-mail address mentions nobody).
pub fn mentions(body: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let chars: Vec<char> = body.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '@' || (i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '.')) {
            continue;
        }
        let name: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        let name = name.trim_end_matches(['.', '-']);
        if !name.is_empty() {
            out.insert(name.to_lowercase());
        }
    }
    out
}

async fn visible_opportunity<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<opp::Model> {
    let o = opp::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("opportunity", id))?;
    if visible_to(&teams::scope(db, actor).await?, &o) {
        Ok(o)
    } else {
        Err(AppError::forbidden("opportunity_not_yours"))
    }
}

async fn user_names<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<i32, String>> {
    Ok(users::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn to_dto(m: comments::Model, names: &HashMap<i32, String>) -> Comment {
    Comment {
        id: m.id,
        opportunity_id: m.opportunity_id,
        author_name: m.author_id.and_then(|a| names.get(&a).cloned()),
        author_id: m.author_id,
        body: m.body,
        created_at: m.created_at,
    }
}

/// The comments of an opportunity one may see, newest first.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor, opportunity_id: i32) -> AppResult<Vec<Comment>> {
    visible_opportunity(db, actor, opportunity_id).await?;
    let names = user_names(db).await?;
    Ok(comments::Entity::find()
        .filter(comments::Column::OpportunityId.eq(opportunity_id))
        .order_by_desc(comments::Column::CreatedAt)
        .order_by_desc(comments::Column::Id)
        .limit(LIST_MAX)
        .all(db)
        .await?
        .into_iter()
        .map(|m| to_dto(m, &names))
        .collect())
}

/// Comments of several opportunities (the timeline), newest first.
pub async fn of_opportunities<C: ConnectionTrait>(db: &C, ids: &[i32]) -> AppResult<Vec<Comment>> {
    let names = user_names(db).await?;
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        out.extend(
            comments::Entity::find()
                .filter(comments::Column::OpportunityId.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(|m| to_dto(m, &names)),
        );
    }
    Ok(out)
}

/// Adds a comment; each active user it mentions who may see the opportunity (not the
/// author) gets it in their bell. Returns the comment.
pub async fn add<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    opportunity_id: i32,
    body: String,
) -> AppResult<Comment> {
    let o = visible_opportunity(db, actor, opportunity_id).await?;
    let mut v = Validator::new();
    let body = v.required_text("body", &body, BODY_MAX);
    v.finish()?;
    let named = mentions(&body);
    let mut recipients = vec![];
    if !named.is_empty() {
        for u in users::Entity::find()
            .filter(users::Column::Active.eq(true))
            .all(db)
            .await?
        {
            if u.id == actor.user_id || !named.contains(&u.username.to_lowercase()) {
                continue;
            }
            let their = Actor {
                user_id: u.id,
                role: UserRole::parse(&u.role).unwrap_or(UserRole::Salesperson),
            };
            if visible_to(&teams::scope(db, &their).await?, &o) {
                recipients.push(u.id);
            }
        }
    }
    let now = crate::clock::now();
    let txn = crate::service::begin(db).await?;
    let m = comments::ActiveModel {
        opportunity_id: Set(opportunity_id),
        author_id: Set(Some(actor.user_id)),
        body: Set(body.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // Without RETURNING: the row is the recipient's, which the author may not read.
    for user_id in &recipients {
        notifications::Entity::insert(notifications::ActiveModel {
            user_id: Set(*user_id),
            kind: Set("mention".into()),
            actor_id: Set(Some(actor.user_id)),
            opportunity_id: Set(Some(opportunity_id)),
            comment_id: Set(Some(m.id)),
            created_at: Set(now),
            read_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await?;
    }
    let mut changes = Changes::new();
    changes.set("opportunityId", &opportunity_id);
    changes.set("body", &body);
    if !recipients.is_empty() {
        changes.set("mentioned", &recipients);
    }
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    Ok(to_dto(m, &user_names(db).await?))
}

/// A mention in one's bell.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Mention {
    pub id: i32,
    pub opportunity_id: Option<i32>,
    pub opportunity_title: Option<String>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Mentions {
    /// The newest mentions (read ones too, the unread first).
    pub items: Vec<Mention>,
    pub unread: u32,
}

/// The signed-in user's mentions, unread first then newest.
pub async fn mentions_of<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Mentions> {
    let rows = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(actor.user_id))
        .order_by_asc(Expr::cust("CASE WHEN read_at IS NULL THEN 0 ELSE 1 END"))
        .order_by_desc(notifications::Column::CreatedAt)
        .order_by_desc(notifications::Column::Id)
        .limit(BELL_MAX)
        .all(db)
        .await?;
    let unread = notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(actor.user_id))
        .filter(notifications::Column::ReadAt.is_null())
        .count(db)
        .await? as u32;
    let names = user_names(db).await?;
    let comment_ids: Vec<i32> = rows.iter().filter_map(|n| n.comment_id).collect();
    let bodies: HashMap<i32, String> = comments::Entity::find()
        .filter(comments::Column::Id.is_in(comment_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.body))
        .collect();
    let opp_ids: Vec<i32> = rows.iter().filter_map(|n| n.opportunity_id).collect();
    let titles: HashMap<i32, String> = opp::Entity::find()
        .filter(opp::Column::Id.is_in(opp_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.title))
        .collect();
    Ok(Mentions {
        items: rows
            .into_iter()
            .map(|n| Mention {
                id: n.id,
                opportunity_id: n.opportunity_id,
                opportunity_title: n.opportunity_id.and_then(|o| titles.get(&o).cloned()),
                author_name: n.actor_id.and_then(|a| names.get(&a).cloned()),
                body: n.comment_id.and_then(|c| bodies.get(&c).cloned()).unwrap_or_default(),
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
            .collect(),
        unread,
    })
}

/// Marks one's own mentions read (all of them when `ids` is empty).
pub async fn mark_read<C: ConnectionTrait>(db: &C, actor: &Actor, ids: Vec<i32>) -> AppResult<()> {
    if ids.len() > 1000 {
        return Err(AppError::field("ids", ValidationCode::TooLong));
    }
    let mut q = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(Some(crate::clock::now())))
        .filter(notifications::Column::UserId.eq(actor.user_id))
        .filter(notifications::Column::ReadAt.is_null());
    if !ids.is_empty() {
        q = q.filter(notifications::Column::Id.is_in(ids));
    }
    q.exec(db).await?;
    Ok(())
}

/// What the window sends to add a comment.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommentInput {
    pub opportunity_id: i32,
    pub body: String,
}
