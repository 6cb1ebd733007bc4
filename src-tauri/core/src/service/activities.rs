//! Following up: activities (follow-up tasks, phone calls, meetings, notes) on an
//! opportunity or directly on an identity, their reminders, and "my day".
//!
//! Visibility is the opportunity's: an activity is seen by whoever sees its
//! opportunity, or (on an identity alone, or any activity) by whoever sees its
//! assignee's or its author's work. Due times are wall-clock times of the configured
//! time zone (`Clock::at`); "today" and "overdue" are that zone's.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::opportunities::visible_to;
use super::refs::Refs;
use super::{teams, Actor};
use crate::clock::Clock;
use crate::domain::opportunity as rules;
use crate::domain::validate::{normalize_digits, NOTE_MAX, TITLE_MAX};
use crate::domain::{
    ActivityKind, ActivityStatus, Calendar, CallDirection, CallResult, ChangeAction, Scope, StageKind, ValidationCode,
    Validator,
};
use crate::entity::{activities as act, identities, opportunities as opp, stages, users};
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "activity";

/// Longest a reminder may come before its activity (30 days), and an activity may last.
pub const REMIND_BEFORE_MAX: i64 = 30 * 24 * 60;
pub const DURATION_MAX: i64 = 7 * 24 * 60;
/// Most rows a list, the bell or a section of "my day" returns.
const LIST_MAX: u64 = 500;
const SECTION_MAX: u64 = 50;

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub subject: String,
    /// The opportunity it follows up (its identity is then the opportunity's).
    pub opportunity_id: Option<i32>,
    /// The identity, for an activity on no opportunity.
    pub identity_id: Option<i32>,
    pub assigned_user_id: Option<i32>,
    /// The day it is due (planned tasks, calls and meetings need one).
    pub due_on: Option<NaiveDate>,
    /// "HH:MM" in the configured time zone; none: due on the day.
    pub due_time: Option<String>,
    pub duration_minutes: Option<i32>,
    pub status: ActivityStatus,
    /// Calls only.
    pub direction: Option<CallDirection>,
    /// Calls only.
    pub call_result: Option<CallResult>,
    pub outcome: Option<String>,
    /// A reminder this many minutes before the due time (a due time is needed; 0: at
    /// the due time). None: no reminder.
    pub remind_before_minutes: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: i32,
    pub version: i32,
    pub kind: ActivityKind,
    pub subject: String,
    pub identity_id: i32,
    pub identity_name: String,
    pub opportunity_id: Option<i32>,
    pub opportunity_title: Option<String>,
    pub assigned_user_id: Option<i32>,
    pub assigned_user_name: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// The due day and time in the configured time zone.
    pub due_on: Option<NaiveDate>,
    pub due_time: Option<String>,
    pub duration_minutes: Option<i32>,
    pub status: ActivityStatus,
    pub direction: Option<CallDirection>,
    pub call_result: Option<CallResult>,
    pub outcome: Option<String>,
    pub remind_at: Option<DateTime<Utc>>,
    pub remind_before_minutes: Option<i32>,
    /// When the reminder was shown (an OS notification) and dismissed.
    pub reminder_shown_at: Option<DateTime<Utc>>,
    pub reminder_dismissed_at: Option<DateTime<Utc>>,
    /// Planned and past its due day (or, with a time, its due time).
    pub overdue: bool,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by_name: Option<String>,
}

/// The one visibility rule of an activity (`parent`: its opportunity, when it has one).
pub fn visible(scope: &Scope, m: &act::Model, parent: Option<&opp::Model>) -> bool {
    scope.sees(m.assigned_user_id) || scope.sees(m.created_by) || parent.is_some_and(|o| visible_to(scope, o))
}

/// Parses "HH:MM" (Persian or Arabic digits too, "9:05" as well as "09:05").
pub fn parse_time(raw: &str) -> Option<NaiveTime> {
    let t = normalize_digits(raw.trim());
    let (h, m) = t.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

fn time_text(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// Names an activity shows, read once for a batch.
#[derive(Default)]
struct Names {
    identities: HashMap<i32, String>,
    opportunities: HashMap<i32, String>,
    users: HashMap<i32, String>,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, rows: &[act::Model]) -> AppResult<Self> {
        let ids = |f: &dyn Fn(&act::Model) -> Option<i32>| -> Vec<i32> {
            rows.iter().filter_map(f).collect::<BTreeSet<_>>().into_iter().collect()
        };
        let mut out = Names::default();
        for chunk in ids(&|a| Some(a.identity_id)).chunks(500) {
            for i in identities::Entity::find()
                .filter(identities::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                out.identities.insert(i.id, i.display_name);
            }
        }
        for chunk in ids(&|a| a.opportunity_id).chunks(500) {
            for o in opp::Entity::find()
                .filter(opp::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                out.opportunities.insert(o.id, o.title);
            }
        }
        for u in users::Entity::find().all(db).await? {
            out.users.insert(u.id, u.display_name);
        }
        Ok(out)
    }
}

/// The one overdue rule of an activity: planned and past its due day (all-day) or its
/// due time, in the configured zone.
fn is_overdue(m: &act::Model, clock: &Clock) -> bool {
    m.status == ActivityStatus::Planned.as_str()
        && match m.due_at {
            Some(d) if m.all_day => clock.date_of(d) < clock.today(),
            Some(d) => d < clock.now(),
            None => false,
        }
}

/// How many minutes before its due time an activity reminds.
fn remind_before(m: &act::Model) -> Option<i32> {
    match (m.due_at, m.remind_at) {
        (Some(d), Some(r)) => Some((d - r).num_minutes() as i32),
        _ => None,
    }
}

fn to_dto(m: act::Model, names: &Names, clock: &Clock) -> Activity {
    let status = ActivityStatus::parse(&m.status).unwrap_or(ActivityStatus::Planned);
    let due_on = m.due_at.map(|d| clock.date_of(d));
    let due_time = m.due_at.filter(|_| !m.all_day).map(|d| time_text(clock.time_of(d)));
    let overdue = is_overdue(&m, clock);
    let remind_before_minutes = remind_before(&m);
    Activity {
        id: m.id,
        version: m.version,
        kind: ActivityKind::parse(&m.kind).unwrap_or(ActivityKind::Task),
        subject: m.subject,
        identity_id: m.identity_id,
        identity_name: names.identities.get(&m.identity_id).cloned().unwrap_or_default(),
        opportunity_id: m.opportunity_id,
        opportunity_title: m.opportunity_id.and_then(|o| names.opportunities.get(&o).cloned()),
        assigned_user_id: m.assigned_user_id,
        assigned_user_name: m.assigned_user_id.and_then(|u| names.users.get(&u).cloned()),
        due_at: m.due_at,
        due_on,
        due_time,
        duration_minutes: m.duration_minutes,
        status,
        direction: m.direction.as_deref().and_then(CallDirection::parse),
        call_result: m.call_result.as_deref().and_then(CallResult::parse),
        outcome: m.outcome,
        remind_before_minutes,
        remind_at: m.remind_at,
        reminder_shown_at: m.reminder_shown_at,
        reminder_dismissed_at: m.reminder_dismissed_at,
        overdue,
        completed_at: m.completed_at,
        created_at: m.created_at,
        created_by_name: m.created_by.and_then(|u| names.users.get(&u).cloned()),
    }
}

/// Activities as the window shows them (names joined, times in the configured zone).
pub async fn to_dtos<C: ConnectionTrait>(db: &C, rows: Vec<act::Model>) -> AppResult<Vec<Activity>> {
    let names = Names::load(db, &rows).await?;
    let clock = super::settings::clock(db).await?;
    Ok(rows.into_iter().map(|m| to_dto(m, &names, &clock)).collect())
}

/// What an input becomes once checked.
struct Plan {
    kind: ActivityKind,
    subject: String,
    identity_id: i32,
    opportunity_id: Option<i32>,
    assigned_user_id: Option<i32>,
    due_at: Option<DateTime<Utc>>,
    all_day: bool,
    duration_minutes: Option<i32>,
    status: ActivityStatus,
    direction: Option<CallDirection>,
    call_result: Option<CallResult>,
    outcome: Option<String>,
    remind_at: Option<DateTime<Utc>>,
}

async fn plan<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &ActivityInput,
    old: Option<&act::Model>,
) -> AppResult<Plan> {
    let mut refs = Refs::new();
    let clock = refs.settings(db).await?.clock();
    let scope = refs.scope(db, actor).await?.clone();
    let mut v = Validator::new();
    let subject = v.required_text("subject", &input.subject, TITLE_MAX);
    let outcome = v.optional_text("outcome", input.outcome.as_deref(), NOTE_MAX);

    // What it is on: an opportunity one may see (its identity follows), or an identity.
    let mut identity_id = input.identity_id.unwrap_or(0);
    if let Some(o) = input.opportunity_id {
        match opp::Entity::find_by_id(o).one(db).await? {
            Some(m) if visible_to(&scope, &m) => {
                if input.identity_id.is_some_and(|i| i != m.identity_id) {
                    v.push("identityId", ValidationCode::Invalid);
                }
                identity_id = m.identity_id;
            }
            Some(_) if old.and_then(|a| a.opportunity_id) == Some(o) => {
                v.push("opportunityId", ValidationCode::NotAllowed)
            }
            _ => v.push("opportunityId", ValidationCode::UnknownReference),
        }
    } else {
        match input.identity_id {
            None => v.push("identityId", ValidationCode::Required),
            Some(i) if !refs.identity_exists(db, i).await? => v.push("identityId", ValidationCode::UnknownReference),
            Some(_) => {}
        }
    }

    // Whom it is for: an active user whose work one sees (a salesperson: themselves).
    if input.assigned_user_id != old.and_then(|a| a.assigned_user_id) {
        refs.check_assignable(db, &mut v, "assignedUserId", input.assigned_user_id)
            .await?;
        if !rules::may_assign(&scope, input.assigned_user_id) {
            v.push("assignedUserId", ValidationCode::NotAllowed);
        }
    }

    // When: a day (in range) and, optionally, a wall-clock time of the configured zone.
    v.date("dueOn", input.due_on);
    let time = match input.due_time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => match parse_time(raw) {
            Some(t) => Some(t),
            None => {
                v.push("dueTime", ValidationCode::Invalid);
                None
            }
        },
    };
    if time.is_some() && input.due_on.is_none() {
        v.push("dueOn", ValidationCode::Required);
    }
    let planned = input.status == ActivityStatus::Planned;
    if input.kind == ActivityKind::Note && planned {
        // A note records what happened: it is never "to do".
        v.push("status", ValidationCode::NotAllowed);
    } else if planned && input.due_on.is_none() && !v.has("dueOn") {
        v.push("dueOn", ValidationCode::Required);
    }
    let due_at = input
        .due_on
        .filter(|d| crate::domain::validate::date_in_range(*d))
        .map(|d| match time {
            Some(t) => clock.at(d, t),
            None => clock.day_start(d),
        });
    let duration_minutes = input
        .duration_minutes
        .map(|m| v.int_range("durationMinutes", m.into(), 0, DURATION_MAX));

    // Calls have a direction and a result; nothing else does.
    if input.kind != ActivityKind::Call {
        if input.direction.is_some() {
            v.push("direction", ValidationCode::NotAllowed);
        }
        if input.call_result.is_some() {
            v.push("callResult", ValidationCode::NotAllowed);
        }
    }

    // A reminder needs a due time, and only a planned activity reminds.
    let remind_at = match input.remind_before_minutes {
        None => None,
        Some(m) => {
            let m = v.int_range("remindBeforeMinutes", m.into(), 0, REMIND_BEFORE_MAX);
            if time.is_none() && !v.has("dueTime") {
                v.push("remindBeforeMinutes", ValidationCode::NotAllowed);
            }
            if !planned {
                v.push("remindBeforeMinutes", ValidationCode::NotAllowed);
            }
            due_at
                .filter(|_| time.is_some())
                .map(|d| d - Duration::minutes(m.into()))
        }
    };
    v.finish()?;
    Ok(Plan {
        kind: input.kind,
        subject,
        identity_id,
        opportunity_id: input.opportunity_id,
        assigned_user_id: input.assigned_user_id,
        due_at,
        all_day: due_at.is_some() && time.is_none(),
        duration_minutes,
        status: input.status,
        direction: input.direction.filter(|_| input.kind == ActivityKind::Call),
        call_result: input.call_result.filter(|_| input.kind == ActivityKind::Call),
        outcome,
        remind_at,
    })
}

fn diff_plan(changes: &mut Changes, old: Option<&act::Model>, p: &Plan) {
    let o = |f: &dyn Fn(&act::Model) -> serde_json::Value| old.map(f).unwrap_or(serde_json::Value::Null);
    let pairs: [(&str, serde_json::Value, serde_json::Value); 12] = [
        ("kind", o(&|a| a.kind.clone().into()), p.kind.as_str().into()),
        ("subject", o(&|a| a.subject.clone().into()), p.subject.clone().into()),
        (
            "opportunityId",
            o(&|a| a.opportunity_id.into()),
            p.opportunity_id.into(),
        ),
        ("identityId", o(&|a| a.identity_id.into()), p.identity_id.into()),
        (
            "assignedUserId",
            o(&|a| a.assigned_user_id.into()),
            p.assigned_user_id.into(),
        ),
        (
            "dueAt",
            o(&|a| a.due_at.map(|d| d.to_rfc3339()).into()),
            p.due_at.map(|d| d.to_rfc3339()).into(),
        ),
        (
            "durationMinutes",
            o(&|a| a.duration_minutes.into()),
            p.duration_minutes.into(),
        ),
        ("status", o(&|a| a.status.clone().into()), p.status.as_str().into()),
        (
            "direction",
            o(&|a| a.direction.clone().into()),
            p.direction.map(|d| d.as_str()).into(),
        ),
        (
            "callResult",
            o(&|a| a.call_result.clone().into()),
            p.call_result.map(|d| d.as_str()).into(),
        ),
        ("outcome", o(&|a| a.outcome.clone().into()), p.outcome.clone().into()),
        (
            "remindAt",
            o(&|a| a.remind_at.map(|d| d.to_rfc3339()).into()),
            p.remind_at.map(|d| d.to_rfc3339()).into(),
        ),
    ];
    for (field, before, after) in pairs {
        if old.is_none() {
            changes.set(field, &after);
        } else {
            changes.diff(field, &before, &after);
        }
    }
}

/// Plans an activity.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: ActivityInput,
) -> AppResult<Activity> {
    let p = plan(db, actor, &input, None).await?;
    let now = crate::clock::now();
    let txn = crate::service::begin(db).await?;
    let m = act::ActiveModel {
        kind: Set(p.kind.as_str().into()),
        subject: Set(p.subject.clone()),
        identity_id: Set(p.identity_id),
        opportunity_id: Set(p.opportunity_id),
        assigned_user_id: Set(p.assigned_user_id),
        due_at: Set(p.due_at),
        all_day: Set(p.all_day),
        duration_minutes: Set(p.duration_minutes),
        status: Set(p.status.as_str().into()),
        direction: Set(p.direction.map(|d| d.as_str().into())),
        call_result: Set(p.call_result.map(|d| d.as_str().into())),
        outcome: Set(p.outcome.clone()),
        remind_at: Set(p.remind_at),
        reminder_shown_at: Set(None),
        reminder_dismissed_at: Set(None),
        completed_at: Set((p.status != ActivityStatus::Planned).then_some(now)),
        version: Set(1),
        created_at: Set(now),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(now),
        updated_by: Set(Some(actor.user_id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::new();
    diff_plan(&mut changes, None, &p);
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    get(db, actor, m.id).await
}

/// Reads one activity the actor may see.
async fn find_visible<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<act::Model> {
    let m = act::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    let scope = teams::scope(db, actor).await?;
    let parent = match m.opportunity_id {
        Some(o) if !scope.is_all() => opp::Entity::find_by_id(o).one(db).await?,
        _ => None,
    };
    if visible(&scope, &m, parent.as_ref()) {
        Ok(m)
    } else {
        Err(AppError::forbidden("activity_not_yours"))
    }
}

pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<Activity> {
    let m = find_visible(db, actor, id).await?;
    Ok(to_dtos(db, vec![m]).await?.remove(0))
}

/// Edits an activity (optimistic: `version` is the one the window read). A changed
/// reminder time rings again; finishing or cancelling it stamps when.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: ActivityInput,
) -> AppResult<Activity> {
    let old = find_visible(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let p = plan(db, actor, &input, Some(&old)).await?;
    let now = crate::clock::now();
    let was_planned = old.status == ActivityStatus::Planned.as_str();
    let completed_at = match (was_planned, p.status == ActivityStatus::Planned) {
        (_, true) => None,
        (true, false) => Some(now),
        (false, false) => old.completed_at.or(Some(now)),
    };
    let rearm = p.remind_at != old.remind_at;
    let txn = crate::service::begin(db).await?;
    let res = act::Entity::update_many()
        .col_expr(act::Column::Kind, Expr::value(p.kind.as_str()))
        .col_expr(act::Column::Subject, Expr::value(p.subject.clone()))
        .col_expr(act::Column::IdentityId, Expr::value(p.identity_id))
        .col_expr(act::Column::OpportunityId, Expr::value(p.opportunity_id))
        .col_expr(act::Column::AssignedUserId, Expr::value(p.assigned_user_id))
        .col_expr(act::Column::DueAt, Expr::value(p.due_at))
        .col_expr(act::Column::AllDay, Expr::value(p.all_day))
        .col_expr(act::Column::DurationMinutes, Expr::value(p.duration_minutes))
        .col_expr(act::Column::Status, Expr::value(p.status.as_str()))
        .col_expr(act::Column::Direction, Expr::value(p.direction.map(|d| d.as_str())))
        .col_expr(act::Column::CallResult, Expr::value(p.call_result.map(|d| d.as_str())))
        .col_expr(act::Column::Outcome, Expr::value(p.outcome.clone()))
        .col_expr(act::Column::RemindAt, Expr::value(p.remind_at))
        .col_expr(
            act::Column::ReminderShownAt,
            Expr::value(if rearm { None } else { old.reminder_shown_at }),
        )
        .col_expr(
            act::Column::ReminderDismissedAt,
            Expr::value(if rearm { None } else { old.reminder_dismissed_at }),
        )
        .col_expr(act::Column::CompletedAt, Expr::value(completed_at))
        .col_expr(act::Column::Version, Expr::value(version + 1))
        .col_expr(act::Column::UpdatedAt, Expr::value(now))
        .col_expr(act::Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(act::Column::Id.eq(id))
        .filter(act::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut changes = Changes::new();
    diff_plan(&mut changes, Some(&old), &p);
    if !changes.is_empty() {
        changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    }
    txn.commit().await?;
    get(db, actor, id).await
}

fn input_of(m: &act::Model, clock: &Clock) -> ActivityInput {
    ActivityInput {
        kind: ActivityKind::parse(&m.kind).unwrap_or(ActivityKind::Task),
        subject: m.subject.clone(),
        opportunity_id: m.opportunity_id,
        identity_id: Some(m.identity_id),
        assigned_user_id: m.assigned_user_id,
        due_on: m.due_at.map(|d| clock.date_of(d)),
        due_time: m.due_at.filter(|_| !m.all_day).map(|d| time_text(clock.time_of(d))),
        duration_minutes: m.duration_minutes,
        status: ActivityStatus::parse(&m.status).unwrap_or(ActivityStatus::Planned),
        direction: m.direction.as_deref().and_then(CallDirection::parse),
        call_result: m.call_result.as_deref().and_then(CallResult::parse),
        outcome: m.outcome.clone(),
        remind_before_minutes: remind_before(m),
    }
}

/// Marks a planned activity done (with what came of it, when given) or cancelled.
pub async fn finish<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    status: ActivityStatus,
    outcome: Option<String>,
) -> AppResult<Activity> {
    if status == ActivityStatus::Planned {
        return Err(AppError::field("status", ValidationCode::Invalid));
    }
    let old = find_visible(db, actor, id).await?;
    let clock = super::settings::clock(db).await?;
    let mut input = input_of(&old, &clock);
    input.status = status;
    // A done activity reminds no more.
    input.remind_before_minutes = None;
    if let Some(o) = outcome.filter(|o| !o.trim().is_empty()) {
        input.outcome = Some(o);
    }
    update(db, actor, id, version, input).await
}

pub async fn delete<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    let old = find_visible(db, actor, id).await?;
    let txn = crate::service::begin(db).await?;
    act::Entity::delete_by_id(id).exec(&txn).await?;
    let mut changes = Changes::new();
    changes.diff("subject", &Some(old.subject), &None);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}

/// Which activities a list shows.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityQuery {
    pub opportunity_id: Option<i32>,
    /// An identity's: on it directly and on its opportunities.
    pub identity_id: Option<i32>,
    /// Only those assigned to this user.
    pub assigned_user_id: Option<i32>,
    #[serde(default)]
    pub statuses: Vec<ActivityStatus>,
    #[serde(default)]
    pub kinds: Vec<ActivityKind>,
    /// Due (or, without a due day, created) on these days, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Rows matching a query that the actor may see, in due order (undated last), at most
/// `limit`.
async fn query_rows<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    q: &ActivityQuery,
    limit: Option<u64>,
) -> AppResult<Vec<act::Model>> {
    let clock = super::settings::clock(db).await?;
    let scope = teams::scope(db, actor).await?;
    let mut v = Validator::new();
    // Each kind and status at most once: a longer list is not a query anyone means.
    if q.statuses.len() > ActivityStatus::ALL.len() {
        v.push("statuses", ValidationCode::TooLong);
    }
    if q.kinds.len() > ActivityKind::ALL.len() {
        v.push("kinds", ValidationCode::TooLong);
    }
    v.date("from", q.from);
    v.date("to", q.to);
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t < f {
            v.push("to", ValidationCode::OutOfRange);
        }
    }
    v.finish()?;
    let mut find = act::Entity::find();
    if let Some(o) = q.opportunity_id {
        let m = opp::Entity::find_by_id(o)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("opportunity", o))?;
        if !visible_to(&scope, &m) {
            return Err(AppError::forbidden("opportunity_not_yours"));
        }
        find = find.filter(act::Column::OpportunityId.eq(o));
    }
    if let Some(i) = q.identity_id {
        find = find.filter(act::Column::IdentityId.eq(i));
    }
    if let Some(u) = q.assigned_user_id {
        find = find.filter(act::Column::AssignedUserId.eq(u));
    }
    if !q.statuses.is_empty() {
        find = find.filter(act::Column::Status.is_in(q.statuses.iter().map(|s| s.as_str())));
    }
    if !q.kinds.is_empty() {
        find = find.filter(act::Column::Kind.is_in(q.kinds.iter().map(|s| s.as_str())));
    }
    let (start, end) = clock.day_range(q.from, q.to);
    if let Some(s) = start {
        find = find.filter(
            Condition::any().add(act::Column::DueAt.gte(s)).add(
                Condition::all()
                    .add(act::Column::DueAt.is_null())
                    .add(act::Column::CreatedAt.gte(s)),
            ),
        );
    }
    if let Some(e) = end {
        find = find.filter(
            Condition::any().add(act::Column::DueAt.lt(e)).add(
                Condition::all()
                    .add(act::Column::DueAt.is_null())
                    .add(act::Column::CreatedAt.lt(e)),
            ),
        );
    }
    let rows = find
        .order_by_asc(act::Column::DueAt)
        .order_by_desc(act::Column::CreatedAt)
        .order_by_desc(act::Column::Id)
        .all(db)
        .await?;
    visible_rows(db, &scope, rows, limit).await
}

/// Keeps the rows `scope` may see (reading their opportunities once), at most `limit`.
async fn visible_rows<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    rows: Vec<act::Model>,
    limit: Option<u64>,
) -> AppResult<Vec<act::Model>> {
    let parents: HashMap<i32, opp::Model> = if scope.is_all() {
        HashMap::new()
    } else {
        let ids: Vec<i32> = rows
            .iter()
            .filter_map(|a| a.opportunity_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            for o in opp::Entity::find()
                .filter(opp::Column::Id.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                out.insert(o.id, o);
            }
        }
        out
    };
    let mut kept: Vec<act::Model> = rows
        .into_iter()
        .filter(|a| visible(scope, a, a.opportunity_id.and_then(|o| parents.get(&o))))
        .collect();
    if let Some(l) = limit {
        kept.truncate(l as usize);
    }
    Ok(kept)
}

/// The activities of an opportunity, of an identity (on it and its opportunities), or
/// of a user, that the actor may see.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor, q: &ActivityQuery) -> AppResult<Vec<Activity>> {
    let rows = query_rows(db, actor, q, Some(LIST_MAX)).await?;
    to_dtos(db, rows).await
}

/// Every activity of a query (for the CSV export), with no cap.
pub async fn list_all<C: ConnectionTrait>(db: &C, actor: &Actor, q: &ActivityQuery) -> AppResult<Vec<Activity>> {
    let rows = query_rows(db, actor, q, None).await?;
    to_dtos(db, rows).await
}

/// The signed-in user's reminders that are due: planned activities assigned to them
/// whose reminder time has come and that they have not dismissed — also those that
/// came while the app was closed (`reminder_shown_at` empty: not yet notified).
/// `upcoming`: the next reminders within a day, so the window can ring on time.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Reminders {
    pub due: Vec<Activity>,
    pub upcoming: Vec<Activity>,
}

pub async fn reminders<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Reminders> {
    let now = crate::clock::now();
    let base = || {
        act::Entity::find()
            .filter(act::Column::AssignedUserId.eq(actor.user_id))
            .filter(act::Column::Status.eq(ActivityStatus::Planned.as_str()))
            .filter(act::Column::RemindAt.is_not_null())
            .filter(act::Column::ReminderDismissedAt.is_null())
    };
    let due = base()
        .filter(act::Column::RemindAt.lte(now))
        .order_by_desc(act::Column::RemindAt)
        .limit(SECTION_MAX)
        .all(db)
        .await?;
    let upcoming = base()
        .filter(act::Column::RemindAt.gt(now))
        .filter(act::Column::RemindAt.lte(now + Duration::days(1)))
        .order_by_asc(act::Column::RemindAt)
        .limit(SECTION_MAX)
        .all(db)
        .await?;
    Ok(Reminders {
        due: to_dtos(db, due).await?,
        upcoming: to_dtos(db, upcoming).await?,
    })
}

/// Notes that the window showed these reminders (as OS notifications): they are not
/// sent again, but stay in the bell until dismissed or done. Only one's own.
pub async fn mark_reminders_shown<C: ConnectionTrait>(db: &C, actor: &Actor, ids: Vec<i32>) -> AppResult<()> {
    if ids.len() > SECTION_MAX as usize * 4 {
        return Err(AppError::field("ids", ValidationCode::TooLong));
    }
    act::Entity::update_many()
        .col_expr(act::Column::ReminderShownAt, Expr::value(Some(crate::clock::now())))
        .filter(act::Column::Id.is_in(ids))
        .filter(act::Column::AssignedUserId.eq(actor.user_id))
        .filter(act::Column::ReminderShownAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Takes a reminder off the bell (the activity stays planned).
pub async fn dismiss_reminder<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    let m = find_visible(db, actor, id).await?;
    if m.assigned_user_id != Some(actor.user_id) {
        return Err(AppError::forbidden("reminder_not_yours"));
    }
    let now = crate::clock::now();
    act::Entity::update_many()
        .col_expr(act::Column::ReminderDismissedAt, Expr::value(Some(now)))
        .col_expr(
            act::Column::ReminderShownAt,
            Expr::value(Some(m.reminder_shown_at.unwrap_or(now))),
        )
        .filter(act::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// An opportunity as "my day" lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityBrief {
    pub id: i32,
    pub title: String,
    pub identity_id: i32,
    pub identity_name: String,
    pub stage_id: i32,
    pub close_date: Option<NaiveDate>,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated_amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MyDay {
    /// Today in the configured time zone.
    pub today: NaiveDate,
    /// The last day of this week (Friday on the Jalali calendar, Sunday otherwise).
    pub week_end: NaiveDate,
    /// Planned activities assigned to the user, due today.
    pub due_today: Vec<Activity>,
    /// Planned activities assigned to the user, due before today.
    pub overdue: Vec<Activity>,
    /// Their open opportunities with no planned activity (at most 50, oldest first).
    pub without_next_step: Vec<OpportunityBrief>,
    pub without_next_step_count: u32,
    /// Their open opportunities closing from today to the week's end.
    pub closing_this_week: Vec<OpportunityBrief>,
}

/// The last day of the week `d` is in: weeks run Saturday–Friday on the Jalali
/// calendar, Monday–Sunday otherwise.
pub fn week_end(d: NaiveDate, calendar: Calendar) -> NaiveDate {
    let from_monday = d.weekday().num_days_from_monday() as i64;
    let last = match calendar {
        // Friday is day 4 from Monday.
        Calendar::Jalali => (4 - from_monday).rem_euclid(7),
        Calendar::Gregorian => 6 - from_monday,
    };
    d + Duration::days(last)
}

/// "My day": what the signed-in user has to do today, what is late, the deals with no
/// next step, and those closing this week — their own, assigned to them.
pub async fn my_day<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<MyDay> {
    let settings = super::settings::get(db).await?;
    let clock = settings.clock();
    let today = clock.today();
    let week_end = week_end(today, settings.calendar);
    let start = clock.day_start(today);
    let end = clock.day_start(today + Duration::days(1));
    let mine = || {
        act::Entity::find()
            .filter(act::Column::AssignedUserId.eq(actor.user_id))
            .filter(act::Column::Status.eq(ActivityStatus::Planned.as_str()))
    };
    let due_today = mine()
        .filter(act::Column::DueAt.gte(start))
        .filter(act::Column::DueAt.lt(end))
        .order_by_asc(act::Column::DueAt)
        .limit(SECTION_MAX)
        .all(db)
        .await?;
    let overdue = mine()
        .filter(act::Column::DueAt.lt(start))
        .order_by_asc(act::Column::DueAt)
        .limit(SECTION_MAX)
        .all(db)
        .await?;

    let open_stages: Vec<i32> = stages::Entity::find()
        .filter(stages::Column::Kind.eq(StageKind::Open.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let my_open = || {
        opp::Entity::find()
            .filter(opp::Column::AssignedUserId.eq(actor.user_id))
            .filter(opp::Column::StageId.is_in(open_stages.clone()))
    };
    let no_step = Condition::all()
        .add(super::conditions::has_next_step("opportunities"))
        .not();
    let without: Vec<opp::Model> = my_open()
        .filter(no_step.clone())
        .order_by_asc(opp::Column::CreatedAt)
        .limit(SECTION_MAX)
        .all(db)
        .await?;
    let without_count = sea_orm::PaginatorTrait::count(my_open().filter(no_step), db).await? as u32;
    let closing: Vec<opp::Model> = my_open()
        .filter(opp::Column::CloseDate.gte(today))
        .filter(opp::Column::CloseDate.lte(week_end))
        .order_by_asc(opp::Column::CloseDate)
        .limit(SECTION_MAX)
        .all(db)
        .await?;
    let ids: Vec<i32> = without
        .iter()
        .chain(&closing)
        .map(|o| o.identity_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names: HashMap<i32, String> = identities::Entity::find()
        .filter(identities::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.display_name))
        .collect();
    let brief = |o: opp::Model| OpportunityBrief {
        id: o.id,
        identity_name: names.get(&o.identity_id).cloned().unwrap_or_default(),
        identity_id: o.identity_id,
        title: o.title,
        stage_id: o.stage_id,
        close_date: o.close_date,
        estimated_amount: o.estimated_amount.0,
    };
    Ok(MyDay {
        today,
        week_end,
        due_today: to_dtos(db, due_today).await?,
        overdue: to_dtos(db, overdue).await?,
        without_next_step: without.into_iter().map(brief).collect(),
        without_next_step_count: without_count,
        closing_this_week: closing.into_iter().map(brief).collect(),
    })
}

/// Activities per user and kind over a period: how many were planned in it, done,
/// cancelled, and how many of the planned are overdue now.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityReportRequest {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub user_ids: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityReportRow {
    pub user_id: Option<i32>,
    pub user_name: Option<String>,
    pub kind: ActivityKind,
    pub planned: u32,
    pub done: u32,
    pub cancelled: u32,
    pub overdue: u32,
    pub total: u32,
}

pub async fn report<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    req: &ActivityReportRequest,
) -> AppResult<Vec<ActivityReportRow>> {
    if req.user_ids.len() > 1000 {
        return Err(AppError::field("userIds", ValidationCode::TooLong));
    }
    let q = ActivityQuery {
        from: req.from,
        to: req.to,
        ..ActivityQuery::default()
    };
    let rows = query_rows(db, actor, &q, None).await?;
    let clock = super::settings::clock(db).await?;
    let names: HashMap<i32, String> = users::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut out: HashMap<(Option<i32>, ActivityKind), ActivityReportRow> = HashMap::new();
    for a in rows {
        if !req.user_ids.is_empty() && !a.assigned_user_id.is_some_and(|u| req.user_ids.contains(&u)) {
            continue;
        }
        let kind = ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Task);
        let r = out
            .entry((a.assigned_user_id, kind))
            .or_insert_with(|| ActivityReportRow {
                user_id: a.assigned_user_id,
                user_name: a.assigned_user_id.and_then(|u| names.get(&u).cloned()),
                kind,
                planned: 0,
                done: 0,
                cancelled: 0,
                overdue: 0,
                total: 0,
            });
        r.total += 1;
        match ActivityStatus::parse(&a.status).unwrap_or(ActivityStatus::Planned) {
            ActivityStatus::Planned => {
                r.planned += 1;
                if is_overdue(&a, &clock) {
                    r.overdue += 1;
                }
            }
            ActivityStatus::Done => r.done += 1,
            ActivityStatus::Cancelled => r.cancelled += 1,
        }
    }
    let mut rows: Vec<ActivityReportRow> = out.into_values().collect();
    rows.sort_by(|a, b| {
        a.user_name
            .is_none()
            .cmp(&b.user_name.is_none())
            .then(a.user_name.cmp(&b.user_name))
            .then((a.kind as u8).cmp(&(b.kind as u8)))
    });
    Ok(rows)
}
