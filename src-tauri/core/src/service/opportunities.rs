//! Opportunities: the 19 numbered fields and their rules (domain §3).
//!
//! Every rule lives here, so it holds for every caller: win/loss dates are stamped by
//! stage changes and never set by hand; reasons belong to the matching outcome; the
//! stage's default probability applies unless the user set one; stage changes go to
//! the stage history; every write goes to the change log; stale versions conflict.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::custom_fields::{self, CustomValue};
use super::lines::{self, CleanLine, LineInput, LineOut, TotalsOut};
use super::refs::Refs;
use super::{balances, now, settings, sql, stages, teams, Actor};
use crate::domain::opportunity::{self as rules, Closing, Outcome, ProbabilityContext, ReasonRule, StoredProbability};
use crate::domain::validate::parse_money;
use crate::domain::validate::{NOTE_MAX, TITLE_MAX};
use crate::domain::{
    ChangeAction, CustomFieldEntity, DiscountKind, Scope, StageKind, SystemListKey, ValidationCode, Validator,
};
use crate::entity::{
    custom_field_values, identities, opportunities as opp, opportunity_competitors as comp, opportunity_lines,
    stage_history, stages as stage_rows, users as user_rows, Fixed4,
};
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "opportunity";

/// What a bulk edit changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkChange {
    /// Set to assign; `{ userId: null }` unassigns.
    pub assign: Option<Lane>,
    pub stage_id: Option<i32>,
    /// With a won or lost stage: the reason (required there).
    pub reason_id: Option<i32>,
    pub reason_note: Option<String>,
    pub type_id: Option<i32>,
    pub source_id: Option<i32>,
    /// Set to change the campaign; `{ campaignId: null }` clears it.
    pub campaign: Option<CampaignChange>,
}

#[derive(Debug, Clone, Copy, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignChange {
    pub campaign_id: Option<i32>,
}

/// A swimlane: one assigned user, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Lane {
    pub user_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CompetitorInput {
    pub competitor_id: i32,
    pub note: Option<String>,
}

/// What the form sends. Free-typed numbers arrive as text so that a wrong entry is a
/// field error, not a transport error.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityInput {
    /// Related to: the identity (customer).
    pub identity_id: i32,
    /// 2
    pub title: String,
    /// 3
    pub assigned_user_id: Option<i32>,
    /// 4 (required)
    pub type_id: Option<i32>,
    /// 5 (required)
    pub source_id: Option<i32>,
    /// 6
    pub campaign_id: Option<i32>,
    /// 7
    pub close_date: Option<NaiveDate>,
    /// 8, a decimal string; used when `amount_is_manual` or when there are no lines
    pub estimated_amount: String,
    /// 8: true when the user typed the amount; false follows the lines' final sum.
    pub amount_is_manual: bool,
    /// 9, whole percent as typed; used when `probability_is_manual`
    pub probability: Option<String>,
    pub probability_is_manual: bool,
    /// 10
    pub win_reason_id: Option<i32>,
    pub loss_reason_id: Option<i32>,
    pub reason_note: Option<String>,
    /// 11
    pub purchase_process_id: Option<i32>,
    /// 12: read-only. The form sends back what it loaded; anything else is refused.
    pub won_on: Option<NaiveDate>,
    pub lost_on: Option<NaiveDate>,
    /// 13
    pub custom_fields: Vec<CustomValue>,
    /// 14
    pub competitors: Vec<CompetitorInput>,
    /// 15: the product lines, in order.
    pub lines: Vec<LineInput>,
    /// 19
    pub stage_id: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CompetitorOut {
    pub competitor_id: i32,
    pub name: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StageChange {
    pub from_stage_id: Option<i32>,
    pub to_stage_id: i32,
    pub changed_at: DateTime<Utc>,
    pub changed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityDetail {
    pub id: i32,
    pub identity_id: i32,
    pub identity_name: String,
    /// 1: over approved records whose parent is this opportunity; + = the customer owes.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub balance: Decimal,
    pub title: String,
    pub assigned_user_id: Option<i32>,
    pub type_id: i32,
    pub source_id: i32,
    pub campaign_id: Option<i32>,
    pub close_date: Option<NaiveDate>,
    /// Open and past its close date.
    pub overdue: bool,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated_amount: Decimal,
    pub amount_is_manual: bool,
    pub probability: i32,
    pub probability_is_manual: bool,
    /// Estimated amount × probability.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected_amount: Decimal,
    pub win_reason_id: Option<i32>,
    pub loss_reason_id: Option<i32>,
    pub reason_note: Option<String>,
    pub purchase_process_id: Option<i32>,
    pub won_on: Option<NaiveDate>,
    pub lost_on: Option<NaiveDate>,
    /// Days from creation to the win/loss date, once closed.
    pub days_to_close: Option<i32>,
    pub custom_fields: Vec<CustomValue>,
    pub competitors: Vec<CompetitorOut>,
    pub lines: Vec<LineOut>,
    pub line_totals: TotalsOut,
    /// Approved invoices among the opportunity's records.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub realized_amount: Decimal,
    pub stage_id: i32,
    pub stage_kind: StageKind,
    pub stage_history: Vec<StageChange>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<String>,
}

/// The outcome of validating an input against the current record (if any).
struct Plan {
    title: String,
    estimated: Decimal,
    amount_is_manual: bool,
    lines: Vec<CleanLine>,
    probability: i32,
    probability_is_manual: bool,
    win_reason_id: Option<i32>,
    loss_reason_id: Option<i32>,
    reason_note: Option<String>,
    won_on: Option<NaiveDate>,
    lost_on: Option<NaiveDate>,
    closed_at: Option<DateTime<Utc>>,
    stage_changed: bool,
    custom: HashMap<i32, Option<String>>,
    competitors: Vec<CompetitorInput>,
}

/// Whether an actor with this scope (`teams::scope`) may see and edit an opportunity
/// (the one rule: `domain::opportunity`).
pub fn visible_to(scope: &Scope, m: &opp::Model) -> bool {
    rules::visible_to(scope, m.assigned_user_id, m.created_by)
}

async fn plan<C: ConnectionTrait>(
    db: &C,
    refs: &mut Refs,
    actor: &Actor,
    input: &OpportunityInput,
    old: Option<&opp::Model>,
) -> AppResult<Plan> {
    let (decimals, clock) = {
        let settings = refs.settings(db).await?;
        (settings.currency_decimals, settings.clock())
    };
    let mut v = Validator::new();
    let title = v.required_text("title", &input.title, TITLE_MAX);

    // Related to.
    if old.map(|o| o.identity_id) != Some(input.identity_id) && !refs.identity_exists(db, input.identity_id).await? {
        v.push("identityId", ValidationCode::UnknownReference);
    }
    // 3: only active users can be newly assigned; salespeople keep their own work.
    if input.assigned_user_id != old.and_then(|o| o.assigned_user_id) {
        refs.check_assignable(db, &mut v, "assignedUserId", input.assigned_user_id)
            .await?;
        if !rules::may_assign(refs.scope(db, actor).await?, input.assigned_user_id) {
            v.push("assignedUserId", ValidationCode::NotAllowed);
        }
    }
    // 4, 5, 6, 11
    match input.type_id {
        None => v.push("typeId", ValidationCode::Required),
        id => {
            refs.check_item(
                db,
                &mut v,
                "typeId",
                SystemListKey::OpportunityType,
                id,
                old.map(|o| o.type_id),
            )
            .await?
        }
    }
    match input.source_id {
        None => v.push("sourceId", ValidationCode::Required),
        id => {
            refs.check_item(
                db,
                &mut v,
                "sourceId",
                SystemListKey::Source,
                id,
                old.map(|o| o.source_id),
            )
            .await?
        }
    }
    refs.check_campaign(
        db,
        &mut v,
        "campaignId",
        input.campaign_id,
        old.and_then(|o| o.campaign_id),
    )
    .await?;
    refs.check_item(
        db,
        &mut v,
        "purchaseProcessId",
        SystemListKey::PurchaseProcess,
        input.purchase_process_id,
        old.and_then(|o| o.purchase_process_id),
    )
    .await?;
    // 7: informational; any date of the supported range is accepted (past dates simply
    // mark it overdue).
    v.date("closeDate", input.close_date);
    // 15 and 8: the lines' final sum, unless the user typed the amount.
    let previous_products: Vec<i32> = match old {
        Some(o) => opportunity_lines::Entity::find()
            .filter(opportunity_lines::Column::OpportunityId.eq(o.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.product_id)
            .collect(),
        None => vec![],
    };
    let ids: Vec<i32> = input.lines.iter().map(|l| l.product_id).collect();
    let products = refs.products(db, &ids).await?;
    let lines = lines::validate_against(&products, &mut v, &input.lines, &previous_products, None, decimals);
    let amount_is_manual = input.amount_is_manual || input.lines.is_empty();
    let estimated = if amount_is_manual {
        parse_money(&mut v, "estimatedAmount", &input.estimated_amount, decimals)
    } else {
        lines::sum(&lines).total
    };

    // 19: the stage.
    let stage = refs.stage(db, input.stage_id).await?.cloned();
    let stage_changed = old.map(|o| o.stage_id) != Some(input.stage_id);
    let kind = match &stage {
        None => {
            v.push("stageId", ValidationCode::UnknownReference);
            StageKind::Open
        }
        Some(s) => {
            if !s.active && stage_changed {
                v.push("stageId", ValidationCode::InactiveReference);
            }
            StageKind::parse(&s.kind).unwrap_or(StageKind::Open)
        }
    };

    // 9: won = 100, lost = 0; a hand-set value is kept; otherwise the stage default.
    let typed = input.probability.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let typed_value = match typed {
        None => None,
        Some(p) => match crate::domain::validate::normalize_digits(p)
            .trim_end_matches('%')
            .parse::<i64>()
        {
            Ok(n) => Some(v.int_range("probability", n, 0, 100)),
            Err(_) => {
                v.push("probability", ValidationCode::Invalid);
                None
            }
        },
    };
    let probability = rules::probability(
        kind,
        typed_value,
        input.probability_is_manual,
        ProbabilityContext {
            stage_default: stage.as_ref().and_then(|s| s.default_probability),
            stage_changed,
            previous: old.map(|o| StoredProbability {
                value: o.probability,
                manual: o.probability_is_manual,
            }),
        },
    );
    let probability_is_manual = rules::probability_is_manual(kind, typed_value, input.probability_is_manual);

    // 10: a reason belongs to its outcome. Reasons the form merely carries over from the
    // record are cleared when they no longer fit; a reason newly set where it does not
    // belong is refused.
    let mut reason_ids = [None, None];
    for (i, (outcome, field, list, given, stored)) in [
        (
            Outcome::Won,
            "winReasonId",
            SystemListKey::WinReason,
            input.win_reason_id,
            old.and_then(|o| o.win_reason_id),
        ),
        (
            Outcome::Lost,
            "lossReasonId",
            SystemListKey::LossReason,
            input.loss_reason_id,
            old.and_then(|o| o.loss_reason_id),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        match rules::reason(outcome, kind, given, stored) {
            ReasonRule::Required => v.push(field, ValidationCode::Required),
            ReasonRule::NotAllowed => v.push(field, ValidationCode::NotAllowed),
            ReasonRule::Keep(None) => {}
            ReasonRule::Keep(id) => {
                refs.check_item(db, &mut v, field, list, id, stored).await?;
                reason_ids[i] = id;
            }
        }
    }
    let [win_reason_id, loss_reason_id] = reason_ids;
    let reason_note = if kind == StageKind::Open {
        None
    } else {
        v.optional_text("reasonNote", input.reason_note.as_deref(), NOTE_MAX)
    };

    // 12: never set by hand.
    let old_won_on = old.and_then(|o| o.won_on);
    let old_lost_on = old.and_then(|o| o.lost_on);
    if input.won_on.is_some() && input.won_on != old_won_on {
        v.push("wonOn", ValidationCode::ReadOnly);
    }
    if input.lost_on.is_some() && input.lost_on != old_lost_on {
        v.push("lostOn", ValidationCode::ReadOnly);
    }
    let old_kind = match old {
        Some(_) if !stage_changed => Some(kind),
        Some(o) => refs
            .stage(db, o.stage_id)
            .await?
            .and_then(|s| StageKind::parse(&s.kind)),
        None => None,
    };
    let Closing {
        won_on,
        lost_on,
        closed_at,
    } = rules::closing(
        kind,
        old_kind,
        Closing {
            won_on: old_won_on,
            lost_on: old_lost_on,
            closed_at: old.and_then(|o| o.closed_at),
        },
        clock.today(),
        clock.now(),
    );

    // 13
    let defs = refs.custom_defs(db, CustomFieldEntity::Opportunity).await?.to_vec();
    let custom = custom_fields::validate_with(db, &mut v, &defs, &input.custom_fields, decimals).await?;

    // 14: identities flagged competitor, each once.
    if input.competitors.len() > 50 {
        v.push_limit("competitors", ValidationCode::TooLong, None, Some("50".into()));
    }
    let mut seen = HashSet::new();
    let mut competitors = vec![];
    for (i, c) in input.competitors.iter().enumerate() {
        let field = format!("competitors.{i}.competitorId");
        match identities::Entity::find_by_id(c.competitor_id).one(db).await? {
            None => v.push(field.clone(), ValidationCode::UnknownReference),
            Some(m) if !m.is_competitor => v.push(field.clone(), ValidationCode::Invalid),
            Some(_) => {}
        }
        if !seen.insert(c.competitor_id) {
            v.push(field, ValidationCode::Duplicate);
        }
        let note = v.optional_text(&format!("competitors.{i}.note"), c.note.as_deref(), 1000);
        competitors.push(CompetitorInput {
            competitor_id: c.competitor_id,
            note,
        });
    }
    v.finish()?;
    Ok(Plan {
        title,
        estimated,
        amount_is_manual,
        lines,
        probability,
        probability_is_manual,
        win_reason_id,
        loss_reason_id,
        reason_note,
        won_on,
        lost_on,
        closed_at,
        stage_changed,
        custom,
        competitors,
    })
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: OpportunityInput,
) -> AppResult<OpportunityDetail> {
    let id = create_in(db, actor, input).await?;
    get(db, actor, id).await
}

/// What an import knows of an opportunity's past. The form never sets these: a new
/// opportunity is created now and closes today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct History {
    /// The day it was opened: its creation and its first stage entry, instead of now.
    pub created_on: Option<NaiveDate>,
    /// The day a won or lost opportunity closed, instead of today.
    pub closed_on: Option<NaiveDate>,
}

/// Creates an opportunity and returns its id (imports call this inside their own
/// transaction; the form calls [`create`]).
pub async fn create_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: OpportunityInput,
) -> AppResult<i32> {
    create_with_history(db, actor, input, History::default()).await
}

/// [`create_in`] for a record that already has a past (an import): created on
/// `history.created_on` and, when won or lost, closed on `history.closed_on`. Neither
/// may be after today, and a close may not come before the opening (`createdOn`,
/// `closedOn` field errors); an open stage takes no close day.
pub async fn create_with_history<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: OpportunityInput,
    history: History,
) -> AppResult<i32> {
    let new = check_new(db, &mut Refs::new(), actor, input, history).await?;
    let txn = crate::service::begin(db).await?;
    let ids = insert_new(&txn, actor, vec![new]).await?;
    txn.commit().await?;
    ids.first().copied().ok_or_else(|| AppError::internal("not created"))
}

/// A new opportunity that passed every rule of [`create_with_history`], ready for
/// [`insert_new`].
pub struct NewOpportunity {
    input: OpportunityInput,
    plan: Plan,
    created_at: DateTime<Utc>,
    stage_at: DateTime<Utc>,
}

/// Checks a new opportunity (and its past) by every rule of the form, against the
/// reference rows of `refs`; writes nothing.
pub async fn check_new<C: ConnectionTrait>(
    db: &C,
    refs: &mut Refs,
    actor: &Actor,
    input: OpportunityInput,
    history: History,
) -> AppResult<NewOpportunity> {
    let mut p = plan(db, refs, actor, &input, None).await?;
    let mut at = now();
    let mut stage_at = at;
    if history != History::default() {
        let clock = refs.settings(db).await?.clock();
        let today = clock.today();
        let mut v = Validator::new();
        v.date("createdOn", history.created_on);
        v.date("closedOn", history.closed_on);
        if history.created_on.is_some_and(|d| d > today) {
            v.push("createdOn", ValidationCode::OutOfRange);
        }
        if let Some(closed) = history.closed_on {
            let opened = history.created_on.unwrap_or(today);
            if p.won_on.is_none() && p.lost_on.is_none() {
                v.push("closedOn", ValidationCode::NotAllowed);
            } else if closed > today || closed < opened {
                v.push("closedOn", ValidationCode::OutOfRange);
            }
        }
        v.finish()?;
        if let Some(d) = history.created_on {
            at = clock.day_start(d);
            stage_at = at;
        }
        if let Some(d) = history.closed_on {
            p.won_on = p.won_on.map(|_| d);
            p.lost_on = p.lost_on.map(|_| d);
            p.closed_at = Some(clock.day_start(d).max(at));
            // The stage history: it reached its closed stage on the day it closed.
            stage_at = clock.day_start(d).max(at);
        }
    }
    Ok(NewOpportunity {
        input,
        plan: p,
        created_at: at,
        stage_at,
    })
}

/// Writes checked opportunities — with their lines, custom values, competitors, first
/// stage entry and change-log entry — in a few multi-row statements (the ids reserved
/// first: `sql::reserve_ids`), inside the caller's transaction. Returns their ids.
pub async fn insert_new<C: ConnectionTrait>(db: &C, actor: &Actor, news: Vec<NewOpportunity>) -> AppResult<Vec<i32>> {
    let ids = sql::reserve_ids(db, "opportunities", news.len()).await?;
    let written = now();
    let (mut rows, mut lines, mut custom, mut competitors, mut stages_in, mut log) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for (&id, n) in ids.iter().zip(news) {
        let NewOpportunity {
            input,
            plan: p,
            created_at,
            stage_at,
        } = n;
        for (i, l) in p.lines.iter().enumerate() {
            lines.push(opportunity_lines::ActiveModel {
                opportunity_id: Set(id),
                position: Set(i as i32 + 1),
                product_id: Set(l.product_id),
                quantity: Set(Fixed4(l.quantity)),
                unit_price: Set(Fixed4(l.unit_price)),
                discount_kind: Set(l.discount_kind.as_str().into()),
                discount_value: Set(Fixed4(l.discount_value)),
                final_price: Set(Fixed4(l.amounts.total)),
                description: Set(l.description.clone()),
                ..Default::default()
            });
        }
        for (field_id, value) in &p.custom {
            if let Some(value) = value {
                custom.push(custom_field_values::ActiveModel {
                    field_id: Set(*field_id),
                    record_id: Set(id),
                    value: Set(value.clone()),
                    ..Default::default()
                });
            }
        }
        for c in &p.competitors {
            competitors.push(comp::ActiveModel {
                opportunity_id: Set(id),
                competitor_id: Set(c.competitor_id),
                note: Set(c.note.clone()),
                ..Default::default()
            });
        }
        stages_in.push(stage_history::ActiveModel {
            opportunity_id: Set(id),
            from_stage_id: Set(None),
            to_stage_id: Set(input.stage_id),
            changed_at: Set(stage_at),
            changed_by: Set(Some(actor.user_id)),
            note: Set(None),
            ..Default::default()
        });
        let mut changes = Changes::new();
        changes.set("title", &p.title);
        changes.set("identityId", &input.identity_id);
        changes.set("assignedUserId", &input.assigned_user_id);
        changes.set("typeId", &input.type_id);
        changes.set("sourceId", &input.source_id);
        changes.set("campaignId", &input.campaign_id);
        changes.set("closeDate", &input.close_date);
        changes.set("estimatedAmount", &p.estimated);
        changes.set("probability", &p.probability);
        changes.set("winReasonId", &p.win_reason_id);
        changes.set("lossReasonId", &p.loss_reason_id);
        changes.set("purchaseProcessId", &input.purchase_process_id);
        changes.set("stageId", &input.stage_id);
        changes.set("wonOn", &p.won_on);
        changes.set("lostOn", &p.lost_on);
        log.push(changes.entry(actor, ENTITY, id, ChangeAction::Create, written));
        rows.push(opp::ActiveModel {
            id: Set(id),
            identity_id: Set(input.identity_id),
            title: Set(p.title),
            assigned_user_id: Set(input.assigned_user_id),
            type_id: Set(input.type_id.unwrap_or_default()),
            source_id: Set(input.source_id.unwrap_or_default()),
            campaign_id: Set(input.campaign_id),
            close_date: Set(input.close_date),
            estimated_amount: Set(Fixed4(p.estimated)),
            amount_is_manual: Set(p.amount_is_manual),
            probability: Set(p.probability),
            probability_is_manual: Set(p.probability_is_manual),
            win_reason_id: Set(p.win_reason_id),
            loss_reason_id: Set(p.loss_reason_id),
            reason_note: Set(p.reason_note),
            purchase_process_id: Set(input.purchase_process_id),
            stage_id: Set(input.stage_id),
            won_on: Set(p.won_on),
            lost_on: Set(p.lost_on),
            closed_at: Set(p.closed_at),
            version: Set(1),
            created_at: Set(created_at),
            created_by: Set(Some(actor.user_id)),
            updated_at: Set(written),
            updated_by: Set(Some(actor.user_id)),
        });
    }
    sql::insert_all(db, rows).await?;
    sql::insert_all(db, lines).await?;
    sql::insert_all(db, custom).await?;
    sql::insert_all(db, competitors).await?;
    sql::insert_all(db, stages_in).await?;
    sql::insert_all(db, log).await?;
    Ok(ids)
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: OpportunityInput,
) -> AppResult<OpportunityDetail> {
    update_in(db, actor, id, version, input).await?;
    get(db, actor, id).await
}

/// Saves an edit (all the rules of [`update`]) without reading the detail back.
pub async fn update_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: OpportunityInput,
) -> AppResult<()> {
    let old = find_visible(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let p = plan(db, &mut Refs::new(), actor, &input, Some(&old)).await?;
    let txn = crate::service::begin(db).await?;
    let at = now();
    let mut am: opp::ActiveModel = old.clone().into();
    am.identity_id = Set(input.identity_id);
    am.title = Set(p.title.clone());
    am.assigned_user_id = Set(input.assigned_user_id);
    am.type_id = Set(input.type_id.unwrap_or(old.type_id));
    am.source_id = Set(input.source_id.unwrap_or(old.source_id));
    am.campaign_id = Set(input.campaign_id);
    am.close_date = Set(input.close_date);
    am.estimated_amount = Set(Fixed4(p.estimated));
    am.amount_is_manual = Set(p.amount_is_manual);
    am.probability = Set(p.probability);
    am.probability_is_manual = Set(p.probability_is_manual);
    am.win_reason_id = Set(p.win_reason_id);
    am.loss_reason_id = Set(p.loss_reason_id);
    am.reason_note = Set(p.reason_note.clone());
    am.purchase_process_id = Set(input.purchase_process_id);
    am.stage_id = Set(input.stage_id);
    am.won_on = Set(p.won_on);
    am.lost_on = Set(p.lost_on);
    am.closed_at = Set(p.closed_at);
    am.version = Set(version + 1);
    am.updated_at = Set(at);
    am.updated_by = Set(Some(actor.user_id));
    // Compare-and-set on the version: a concurrent save in between makes this a conflict.
    let res = opp::Entity::update_many()
        .set(am)
        .filter(opp::Column::Id.eq(id))
        .filter(opp::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let old_custom: HashMap<i32, Option<String>> = custom_fields::values(&txn, CustomFieldEntity::Opportunity, id)
        .await?
        .into_iter()
        .map(|c| (c.field_id, c.value))
        .collect();
    let old_competitors: Vec<i32> = comp::Entity::find()
        .filter(comp::Column::OpportunityId.eq(id))
        .order_by_asc(comp::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.competitor_id)
        .collect();
    let old_lines: Vec<(i32, String)> = opportunity_lines::Entity::find()
        .filter(opportunity_lines::Column::OpportunityId.eq(id))
        .order_by_asc(opportunity_lines::Column::Position)
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.product_id, l.quantity.0.normalize().to_string()))
        .collect();
    write_children(&txn, id, &p).await?;
    if p.stage_changed {
        record_stage(&txn, actor, id, Some(old.stage_id), input.stage_id).await?;
    }
    let mut changes = Changes::new();
    changes.diff("title", &old.title, &p.title);
    changes.diff("identityId", &old.identity_id, &input.identity_id);
    changes.diff("assignedUserId", &old.assigned_user_id, &input.assigned_user_id);
    changes.diff("typeId", &Some(old.type_id), &input.type_id);
    changes.diff("sourceId", &Some(old.source_id), &input.source_id);
    changes.diff("campaignId", &old.campaign_id, &input.campaign_id);
    changes.diff("closeDate", &old.close_date, &input.close_date);
    changes.diff("estimatedAmount", &old.estimated_amount.0, &p.estimated);
    changes.diff("probability", &old.probability, &p.probability);
    changes.diff("winReasonId", &old.win_reason_id, &p.win_reason_id);
    changes.diff("lossReasonId", &old.loss_reason_id, &p.loss_reason_id);
    changes.diff("reasonNote", &old.reason_note, &p.reason_note);
    changes.diff(
        "purchaseProcessId",
        &old.purchase_process_id,
        &input.purchase_process_id,
    );
    changes.diff("stageId", &old.stage_id, &input.stage_id);
    changes.diff("wonOn", &old.won_on, &p.won_on);
    changes.diff("lostOn", &old.lost_on, &p.lost_on);
    for (field_id, value) in &p.custom {
        changes.diff(
            &format!("customFields.{field_id}"),
            &old_custom.get(field_id).cloned().flatten(),
            value,
        );
    }
    let new_lines: Vec<(i32, String)> = p
        .lines
        .iter()
        .map(|l| (l.product_id, l.quantity.normalize().to_string()))
        .collect();
    changes.diff("lines", &old_lines, &new_lines);
    changes.diff("amountIsManual", &old.amount_is_manual, &p.amount_is_manual);
    let new_competitors: Vec<i32> = p.competitors.iter().map(|c| c.competitor_id).collect();
    changes.diff("competitors", &old_competitors, &new_competitors);
    if !changes.is_empty() {
        changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The input that would save an opportunity exactly as it is stored.
async fn input_of<C: ConnectionTrait>(db: &C, m: &opp::Model) -> AppResult<OpportunityInput> {
    let custom_fields = custom_fields::values(db, CustomFieldEntity::Opportunity, m.id).await?;
    let competitors = comp::Entity::find()
        .filter(comp::Column::OpportunityId.eq(m.id))
        .order_by_asc(comp::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CompetitorInput {
            competitor_id: c.competitor_id,
            note: c.note,
        })
        .collect();
    let lines = opportunity_lines::Entity::find()
        .filter(opportunity_lines::Column::OpportunityId.eq(m.id))
        .order_by_asc(opportunity_lines::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|l| LineInput {
            product_id: l.product_id,
            quantity: l.quantity.0.normalize().to_string(),
            unit_price: Some(l.unit_price.0.normalize().to_string()),
            discount_kind: DiscountKind::parse(&l.discount_kind).unwrap_or(DiscountKind::Percent),
            discount_value: l.discount_value.0.normalize().to_string(),
            description: l.description,
            source_line_id: None,
        })
        .collect();
    Ok(OpportunityInput {
        identity_id: m.identity_id,
        title: m.title.clone(),
        assigned_user_id: m.assigned_user_id,
        type_id: Some(m.type_id),
        source_id: Some(m.source_id),
        campaign_id: m.campaign_id,
        close_date: m.close_date,
        estimated_amount: m.estimated_amount.0.normalize().to_string(),
        amount_is_manual: m.amount_is_manual,
        probability: Some(m.probability.to_string()),
        probability_is_manual: m.probability_is_manual,
        win_reason_id: m.win_reason_id,
        loss_reason_id: m.loss_reason_id,
        reason_note: m.reason_note.clone(),
        purchase_process_id: m.purchase_process_id,
        won_on: m.won_on,
        lost_on: m.lost_on,
        custom_fields,
        competitors,
        lines,
        stage_id: m.stage_id,
    })
}

/// Applies a list edit or a card move to one opportunity through the same rules as the
/// form (`version` must be the current one).
pub async fn apply_change<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    change: &BulkChange,
) -> AppResult<()> {
    let old = find_visible(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut input = input_of(db, &old).await?;
    if let Some(lane) = change.assign {
        input.assigned_user_id = lane.user_id;
    }
    if let Some(t) = change.type_id {
        input.type_id = Some(t);
    }
    if let Some(s) = change.source_id {
        input.source_id = Some(s);
    }
    if let Some(c) = change.campaign {
        input.campaign_id = c.campaign_id;
    }
    if let Some(stage_id) = change.stage_id {
        input.stage_id = stage_id;
        let kind = stage_rows::Entity::find_by_id(stage_id)
            .one(db)
            .await?
            .and_then(|s| StageKind::parse(&s.kind));
        match kind {
            Some(StageKind::Won) => {
                input.win_reason_id = change.reason_id;
                input.loss_reason_id = None;
            }
            Some(StageKind::Lost) => {
                input.loss_reason_id = change.reason_id;
                input.win_reason_id = None;
            }
            _ => {
                if change.reason_id.is_some() {
                    return Err(AppError::field("reasonId", ValidationCode::NotAllowed));
                }
            }
        }
        if change.reason_note.is_some() {
            input.reason_note = change.reason_note.clone();
        }
    } else if change.reason_id.is_some() {
        return Err(AppError::field("reasonId", ValidationCode::NotAllowed));
    }
    update_in(db, actor, id, version, input).await
}

pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<()> {
    let old = find_visible(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let children = crate::entity::financial_records::Entity::find()
        .filter(crate::entity::financial_records::Column::OpportunityId.eq(id))
        .one(db)
        .await?;
    if children.is_some() {
        return Err(AppError::field("records", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    let res = opp::Entity::delete_many()
        .filter(opp::Column::Id.eq(id))
        .filter(opp::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    custom_field_values::Entity::delete_many()
        .filter(custom_field_values::Column::RecordId.eq(id))
        .filter(
            custom_field_values::Column::FieldId.is_in(
                custom_fields::list(&txn, CustomFieldEntity::Opportunity, true)
                    .await?
                    .into_iter()
                    .map(|f| f.id),
            ),
        )
        .exec(&txn)
        .await?;
    let mut changes = Changes::new();
    changes.diff("title", &Some(old.title.clone()), &None);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}

async fn find_visible<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<opp::Model> {
    let m = opp::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if !visible_to(&teams::scope(db, actor).await?, &m) {
        return Err(AppError::forbidden("opportunity_not_yours"));
    }
    Ok(m)
}

async fn write_children<C: ConnectionTrait>(db: &C, id: i32, p: &Plan) -> AppResult<()> {
    for (field_id, value) in &p.custom {
        custom_field_values::Entity::delete_many()
            .filter(custom_field_values::Column::FieldId.eq(*field_id))
            .filter(custom_field_values::Column::RecordId.eq(id))
            .exec(db)
            .await?;
        if let Some(value) = value {
            custom_field_values::ActiveModel {
                field_id: Set(*field_id),
                record_id: Set(id),
                value: Set(value.clone()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    opportunity_lines::Entity::delete_many()
        .filter(opportunity_lines::Column::OpportunityId.eq(id))
        .exec(db)
        .await?;
    for (i, l) in p.lines.iter().enumerate() {
        opportunity_lines::ActiveModel {
            opportunity_id: Set(id),
            position: Set(i as i32 + 1),
            product_id: Set(l.product_id),
            quantity: Set(Fixed4(l.quantity)),
            unit_price: Set(Fixed4(l.unit_price)),
            discount_kind: Set(l.discount_kind.as_str().into()),
            discount_value: Set(Fixed4(l.discount_value)),
            final_price: Set(Fixed4(l.amounts.total)),
            description: Set(l.description.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    comp::Entity::delete_many()
        .filter(comp::Column::OpportunityId.eq(id))
        .exec(db)
        .await?;
    for c in &p.competitors {
        comp::ActiveModel {
            opportunity_id: Set(id),
            competitor_id: Set(c.competitor_id),
            note: Set(c.note.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn record_stage<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32, from: Option<i32>, to: i32) -> AppResult<()> {
    record_stage_at(db, actor, id, from, to, now()).await
}

async fn record_stage_at<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    from: Option<i32>,
    to: i32,
    at: DateTime<Utc>,
) -> AppResult<()> {
    stage_history::ActiveModel {
        opportunity_id: Set(id),
        from_stage_id: Set(from),
        to_stage_id: Set(to),
        changed_at: Set(at),
        changed_by: Set(Some(actor.user_id)),
        note: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn user_name<C: ConnectionTrait>(
    db: &C,
    cache: &mut HashMap<i32, String>,
    id: Option<i32>,
) -> AppResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    if let Some(n) = cache.get(&id) {
        return Ok(Some(n.clone()));
    }
    let name = user_rows::Entity::find_by_id(id).one(db).await?.map(|u| u.display_name);
    if let Some(n) = &name {
        cache.insert(id, n.clone());
    }
    Ok(name)
}

pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<OpportunityDetail> {
    let m = find_visible(db, actor, id).await?;
    let identity_name = identities::Entity::find_by_id(m.identity_id)
        .one(db)
        .await?
        .map(|i| i.display_name)
        .unwrap_or_default();
    let stage = stages::get(db, m.stage_id).await?;
    let mut names = HashMap::new();
    let competitors_rows = comp::Entity::find()
        .filter(comp::Column::OpportunityId.eq(id))
        .order_by_asc(comp::Column::Id)
        .all(db)
        .await?;
    let mut competitors = vec![];
    for c in competitors_rows {
        let name = identities::Entity::find_by_id(c.competitor_id)
            .one(db)
            .await?
            .map(|i| i.display_name)
            .unwrap_or_default();
        competitors.push(CompetitorOut {
            competitor_id: c.competitor_id,
            name,
            note: c.note,
        });
    }
    let history_rows = stage_history::Entity::find()
        .filter(stage_history::Column::OpportunityId.eq(id))
        .order_by_desc(stage_history::Column::ChangedAt)
        .order_by_desc(stage_history::Column::Id)
        .all(db)
        .await?;
    let mut stage_history = vec![];
    for h in history_rows {
        stage_history.push(StageChange {
            from_stage_id: h.from_stage_id,
            to_stage_id: h.to_stage_id,
            changed_at: h.changed_at,
            changed_by: user_name(db, &mut names, h.changed_by).await?,
        });
    }
    let line_rows = opportunity_lines::Entity::find()
        .filter(opportunity_lines::Column::OpportunityId.eq(id))
        .order_by_asc(opportunity_lines::Column::Position)
        .all(db)
        .await?;
    let settings = settings::get(db).await?;
    let decimals = settings.currency_decimals;
    let labels = lines::product_labels(db, line_rows.iter().map(|l| l.product_id).collect()).await?;
    let mut amounts = vec![];
    let mut line_out = vec![];
    for l in line_rows {
        let kind = DiscountKind::parse(&l.discount_kind).unwrap_or(DiscountKind::Percent);
        let a = crate::domain::lines::line(
            l.quantity.0,
            l.unit_price.0,
            kind,
            l.discount_value.0,
            Decimal::ZERO,
            decimals,
        )
        // Stored lines passed validation: their figures are in range.
        .unwrap_or_default();
        let (code, name, unit_fa, unit_en) = labels.get(&l.product_id).cloned().unwrap_or_default();
        line_out.push(LineOut {
            id: l.id,
            position: l.position,
            product_id: l.product_id,
            product_code: code,
            product_name: name,
            unit_fa,
            unit_en,
            quantity: l.quantity.0,
            unit_price: l.unit_price.0,
            discount_kind: kind,
            discount_value: l.discount_value.0,
            discount_amount: a.discount,
            tax_percent: Decimal::ZERO,
            tax_amount: Decimal::ZERO,
            net: l.final_price.0,
            total: l.final_price.0,
            description: l.description,
            source_line_id: None,
        });
        amounts.push(a);
    }
    let closed_on = m.won_on.or(m.lost_on);
    let estimated = m.estimated_amount.0;
    Ok(OpportunityDetail {
        id: m.id,
        identity_id: m.identity_id,
        identity_name,
        balance: balances::opportunity_balance(db, id).await?,
        title: m.title,
        assigned_user_id: m.assigned_user_id,
        type_id: m.type_id,
        source_id: m.source_id,
        campaign_id: m.campaign_id,
        close_date: m.close_date,
        overdue: rules::is_overdue(stage.kind, m.close_date, settings.clock().today()),
        estimated_amount: estimated,
        amount_is_manual: m.amount_is_manual,
        probability: m.probability,
        probability_is_manual: m.probability_is_manual,
        expected_amount: (estimated * Decimal::from(m.probability) / Decimal::from(100)).normalize(),
        win_reason_id: m.win_reason_id,
        loss_reason_id: m.loss_reason_id,
        reason_note: m.reason_note,
        purchase_process_id: m.purchase_process_id,
        won_on: m.won_on,
        lost_on: m.lost_on,
        days_to_close: closed_on.map(|d| (d - m.created_at.date_naive()).num_days() as i32),
        custom_fields: custom_fields::values(db, CustomFieldEntity::Opportunity, id).await?,
        competitors,
        lines: line_out,
        line_totals: crate::domain::lines::totals(&amounts).unwrap_or_default().into(),
        realized_amount: balances::realized(db, id).await?,
        stage_id: m.stage_id,
        stage_kind: stage.kind,
        stage_history,
        version: m.version,
        created_at: m.created_at,
        created_by: user_name(db, &mut names, m.created_by).await?,
        updated_at: m.updated_at,
        updated_by: user_name(db, &mut names, m.updated_by).await?,
    })
}
