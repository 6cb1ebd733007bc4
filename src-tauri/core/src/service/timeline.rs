//! The timeline of an opportunity or an identity: its activities, comments, stage
//! changes, field changes and financial records in one list, newest first — each
//! entry what the actor may see of it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::activities::{self, Activity, ActivityQuery};
use super::changelog::{self, ChangeEntry};
use super::comments::{self, Comment};
use super::opportunities::visible_to;
use super::records::{self, RecordRow};
use super::{teams, Actor};
use crate::domain::{RecordKind, TimelineKind, ValidationCode};
use crate::entity::{identities, opportunities as opp, stage_history, users};
use crate::error::{AppError, AppResult};

/// Most entries a timeline returns (the newest).
pub const TIMELINE_MAX: usize = 500;

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineRequest {
    /// One of the two.
    pub opportunity_id: Option<i32>,
    pub identity_id: Option<i32>,
    /// Only these kinds (none: every kind).
    #[serde(default)]
    pub kinds: Vec<TimelineKind>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TimelineItem {
    pub kind: TimelineKind,
    pub at: DateTime<Utc>,
    pub user_name: Option<String>,
    /// The opportunity the entry belongs to (an identity's timeline spans several).
    pub opportunity_id: Option<i32>,
    pub opportunity_title: Option<String>,
    pub activity: Option<Activity>,
    pub comment: Option<Comment>,
    pub from_stage_id: Option<i32>,
    pub to_stage_id: Option<i32>,
    /// A change-log entry (the opportunity's or the identity's own fields).
    pub change: Option<ChangeEntry>,
    /// Whose fields changed: "opportunity" or "identity".
    pub change_entity: Option<String>,
    pub record: Option<RecordRow>,
}

impl TimelineItem {
    fn new(kind: TimelineKind, at: DateTime<Utc>) -> Self {
        Self {
            kind,
            at,
            user_name: None,
            opportunity_id: None,
            opportunity_title: None,
            activity: None,
            comment: None,
            from_stage_id: None,
            to_stage_id: None,
            change: None,
            change_entity: None,
            record: None,
        }
    }
}

/// Fields the stage entries already tell.
const STAGE_FIELDS: [&str; 2] = ["stageId", "stage"];

pub async fn timeline<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    req: &TimelineRequest,
) -> AppResult<Vec<TimelineItem>> {
    if req.kinds.len() > TimelineKind::ALL.len() {
        return Err(AppError::field("kinds", ValidationCode::TooLong));
    }
    let want = |k: TimelineKind| req.kinds.is_empty() || req.kinds.contains(&k);
    let scope = teams::scope(db, actor).await?;
    let (opportunities, identity_id): (Vec<opp::Model>, Option<i32>) = match (req.opportunity_id, req.identity_id) {
        (Some(o), None) => {
            let m = opp::Entity::find_by_id(o)
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found("opportunity", o))?;
            if !visible_to(&scope, &m) {
                return Err(AppError::forbidden("opportunity_not_yours"));
            }
            (vec![m], None)
        }
        (None, Some(i)) => {
            if identities::Entity::find_by_id(i).one(db).await?.is_none() {
                return Err(AppError::not_found("identity", i));
            }
            let mine = opp::Entity::find()
                .filter(opp::Column::IdentityId.eq(i))
                .all(db)
                .await?
                .into_iter()
                .filter(|o| visible_to(&scope, o))
                .collect();
            (mine, Some(i))
        }
        _ => return Err(AppError::field("opportunityId", ValidationCode::Invalid)),
    };
    let ids: Vec<i32> = opportunities.iter().map(|o| o.id).collect();
    let titles: HashMap<i32, String> = opportunities.iter().map(|o| (o.id, o.title.clone())).collect();
    let names: HashMap<i32, String> = users::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut out: Vec<TimelineItem> = vec![];
    let of = |item: &mut TimelineItem, o: Option<i32>| {
        item.opportunity_id = o;
        item.opportunity_title = o.and_then(|o| titles.get(&o).cloned());
    };

    if want(TimelineKind::Activity) {
        let q = ActivityQuery {
            opportunity_id: req.opportunity_id,
            identity_id,
            ..ActivityQuery::default()
        };
        for a in activities::list_all(db, actor, &q).await? {
            let at = a.completed_at.or(a.due_at).unwrap_or(a.created_at);
            let mut item = TimelineItem::new(TimelineKind::Activity, at);
            item.user_name = a.assigned_user_name.clone().or(a.created_by_name.clone());
            of(&mut item, a.opportunity_id);
            item.activity = Some(a);
            out.push(item);
        }
    }
    if want(TimelineKind::Comment) {
        for c in comments::of_opportunities(db, &ids).await? {
            let mut item = TimelineItem::new(TimelineKind::Comment, c.created_at);
            item.user_name = c.author_name.clone();
            of(&mut item, Some(c.opportunity_id));
            item.comment = Some(c);
            out.push(item);
        }
    }
    if want(TimelineKind::Stage) {
        for chunk in ids.chunks(500) {
            for h in stage_history::Entity::find()
                .filter(stage_history::Column::OpportunityId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                let mut item = TimelineItem::new(TimelineKind::Stage, h.changed_at);
                item.user_name = h.changed_by.and_then(|u| names.get(&u).cloned());
                of(&mut item, Some(h.opportunity_id));
                item.from_stage_id = h.from_stage_id;
                item.to_stage_id = Some(h.to_stage_id);
                out.push(item);
            }
        }
    }
    if want(TimelineKind::Change) {
        let mut logs: Vec<(&str, i32)> = ids.iter().map(|o| (super::opportunities::ENTITY, *o)).collect();
        if let Some(i) = identity_id {
            logs.push((super::identities::ENTITY, i));
        }
        for (entity, id) in logs {
            for mut e in changelog::history(db, entity, id).await? {
                e.changes.retain(|c| !STAGE_FIELDS.contains(&c.field.as_str()));
                if e.changes.is_empty() {
                    continue;
                }
                let mut item = TimelineItem::new(TimelineKind::Change, e.at);
                item.user_name = e.user_id.and_then(|u| names.get(&u).cloned());
                of(&mut item, (entity == super::opportunities::ENTITY).then_some(id));
                item.change_entity = Some(entity.to_owned());
                item.change = Some(e);
                out.push(item);
            }
        }
    }
    if want(TimelineKind::Financial) {
        let rows = match (req.opportunity_id, identity_id) {
            (Some(o), _) => records::for_opportunity(db, actor, o).await?,
            (None, Some(i)) => records::for_identity(db, actor, i)
                .await?
                .into_iter()
                .filter(|r| r.kind != RecordKind::Opportunity)
                .collect(),
            _ => vec![],
        };
        for r in rows {
            let mut item = TimelineItem::new(TimelineKind::Financial, r.created_at);
            item.record = Some(r);
            out.push(item);
        }
    }
    out.sort_by_key(|i| std::cmp::Reverse(i.at));
    out.truncate(TIMELINE_MAX);
    Ok(out)
}
