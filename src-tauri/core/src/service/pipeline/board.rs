//! The kanban board: columns by stage (and swimlanes by assigned user) with counts and
//! sums in one GROUP BY, and the cards of a column a slice at a time.

use std::collections::HashSet;

use rust_decimal::Decimal;
use sea_orm::sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::*;
use crate::domain::{StageKind, ValidationCode};
use crate::entity::stages as stage_rows;
use crate::error::{AppError, AppResult};
use crate::service::opportunities::Lane;
use crate::service::sql::{read_money_sum, select_row_sums};
use crate::service::totals::select_sum;
use crate::service::Actor;

/// How many cards one board request may return.
pub const BOARD_PAGE_MAX: u32 = 200;

/// The longest "closed within" window a board may ask for: a hundred years.
pub const CLOSED_WITHIN_MAX: u32 = 36_500;

/// Which part of the pipeline the board shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardRequest {
    pub filter: OpportunityFilter,
    /// Won and lost columns show the opportunities closed in the last this-many days;
    /// `None` shows them all.
    pub closed_within_days: Option<u32>,
    /// One row of columns per assigned user (and one for "unassigned").
    pub by_user: bool,
}

/// A column of the board (or one cell of a swimlane): how many cards and their sums.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardCell {
    pub stage_id: i32,
    /// Set when the board has swimlanes.
    pub lane: Option<Lane>,
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardStage {
    pub id: i32,
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BoardSummary {
    /// Active open stages in order, then the won and the lost stages.
    pub stages: Vec<BoardStage>,
    pub cells: Vec<BoardCell>,
    /// The lanes, in order (users by name, "unassigned" last), when asked for.
    pub lanes: Vec<LaneInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LaneInfo {
    pub lane: Lane,
    pub name: Option<String>,
}

impl BoardRequest {
    /// The filter resolved, after the board's own limits are checked.
    async fn resolve<C: ConnectionTrait>(&self, db: &C) -> AppResult<Resolved> {
        if self.closed_within_days.is_some_and(|d| d > CLOSED_WITHIN_MAX) {
            return Err(AppError::field_limit(
                "closedWithinDays",
                ValidationCode::OutOfRange,
                Some("0".into()),
                Some(CLOSED_WITHIN_MAX.to_string()),
            ));
        }
        resolve(db, &self.filter).await
    }

    fn apply_closed_window(&self, q: &mut SelectStatement, r: &Resolved) {
        if let Some(days) = self.closed_within_days {
            let since = r
                .today()
                .checked_sub_days(chrono::Days::new(days.into()))
                .unwrap_or(crate::domain::validate::date_min());
            q.cond_where(
                Cond::any()
                    .add(Cond::all().add(col("won_on").is_null()).add(col("lost_on").is_null()))
                    .add(col("won_on").gte(since))
                    .add(col("lost_on").gte(since)),
            );
        }
    }
}

/// One board per pipeline: the request as asked, or for the first active pipeline.
async fn for_pipeline<C: ConnectionTrait>(db: &C, req: &BoardRequest) -> AppResult<BoardRequest> {
    let mut req = req.clone();
    if req.filter.pipeline_id.is_none() {
        req.filter.pipeline_id = Some(
            crate::service::pipelines::list(db, false)
                .await?
                .first()
                .map_or(crate::service::stages::DEFAULT_PIPELINE, |p| p.id),
        );
    }
    Ok(req)
}

/// The board's columns with each one's count and sums (one GROUP BY).
pub async fn board<C: ConnectionTrait>(db: &C, actor: &Actor, req: &BoardRequest) -> AppResult<BoardSummary> {
    let req = &for_pipeline(db, req).await?;
    let r = req.resolve(db).await?;
    let pipeline_id = req
        .filter
        .pipeline_id
        .unwrap_or(crate::service::stages::DEFAULT_PIPELINE);
    let mut all = stage_rows::Entity::find()
        .filter(stage_rows::Column::PipelineId.eq(pipeline_id))
        .all(db)
        .await?;
    all.sort_by_key(|s| (s.sort_order, s.id));
    let mut stages: Vec<BoardStage> = vec![];
    for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
        stages.extend(
            all.iter()
                .filter(|s| s.active && !s.deleted && s.kind == kind.as_str())
                .map(|s| BoardStage {
                    id: s.id,
                    title_fa: s.title_fa.clone(),
                    title_en: s.title_en.clone(),
                    kind,
                }),
        );
    }
    // A filter on stages or on the status shows only those columns: a card dropped
    // on a column the filter leaves out would vanish and no count would change.
    if !req.filter.stage_ids.is_empty() {
        stages.retain(|s| req.filter.stage_ids.contains(&s.id));
    }
    if let Some(status) = req.filter.status {
        stages.retain(|s| s.kind == status);
    }
    let mut cells = vec![];
    let mut lane_ids: HashSet<Option<i32>> = HashSet::new();
    for row in column_sums(db, actor, req, &r).await? {
        let n: i64 = row.try_get("", "n")?;
        let lane = if req.by_user {
            let user: Option<i32> = row.try_get("", "assigned_user_id")?;
            lane_ids.insert(user);
            Some(Lane { user_id: user })
        } else {
            None
        };
        let stage_id: i32 = row.try_get("", "stage_id")?;
        if !stages.iter().any(|s| s.id == stage_id) {
            // A card in an inactive stage: show that stage too, where its kind belongs.
            if let Some(s) = all.iter().find(|s| s.id == stage_id) {
                let kind = StageKind::parse(&s.kind).unwrap_or(StageKind::Open);
                let at = stages.iter().rposition(|x| x.kind == kind).map(|p| p + 1).unwrap_or(0);
                stages.insert(
                    at,
                    BoardStage {
                        id: s.id,
                        title_fa: s.title_fa.clone(),
                        title_en: s.title_en.clone(),
                        kind,
                    },
                );
            }
        }
        cells.push(BoardCell {
            stage_id,
            lane,
            count: n as u32,
            estimated: read_money_sum(&row, "est")?.normalize(),
            expected: (read_money_sum(&row, "exp")? / Decimal::ONE_HUNDRED).normalize(),
        });
    }
    // One order whichever way the sums were read (a grouped scan has none of its own).
    cells.sort_by_key(|c| (c.stage_id, c.lane.map(|l| l.user_id)));
    let mut lanes = vec![];
    if req.by_user {
        let users = crate::entity::users::Entity::find().all(db).await?;
        let scope = crate::service::teams::scope(db, actor).await?;
        let mut named: Vec<LaneInfo> = users
            .into_iter()
            .filter(|u| lane_ids.contains(&Some(u.id)) || (u.active && scope.sees(Some(u.id))) || u.id == actor.user_id)
            .map(|u| LaneInfo {
                lane: Lane { user_id: Some(u.id) },
                name: Some(u.display_name),
            })
            .collect();
        named.sort_by(|x, y| x.name.cmp(&y.name));
        lanes = named;
        lanes.push(LaneInfo {
            lane: Lane { user_id: None },
            name: None,
        });
    }
    Ok(BoardSummary { stages, cells, lanes })
}

/// Count, estimated and expected sums per stage (and lane): from the report totals
/// when the filter is over their dimensions only, else from the rows.
async fn column_sums<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    req: &BoardRequest,
    r: &Resolved,
) -> AppResult<Vec<sea_orm::QueryResult>> {
    let group = |q: &mut SelectStatement| {
        q.column((a("o"), a("stage_id"))).group_by_col((a("o"), a("stage_id")));
        if req.by_user {
            q.column((a("o"), a("assigned_user_id")))
                .group_by_col((a("o"), a("assigned_user_id")));
        }
    };
    if !r.dimensions_only() {
        let mut q = Query::select();
        q.from_as(a("opportunities"), a("o"));
        group(&mut q);
        select_row_sums(&mut q);
        r.apply(&mut q, actor);
        req.apply_closed_window(&mut q, r);
        return Ok(db.query_all(&q).await?);
    }
    // The totals are keyed by the win and loss dates too: the closed window is a
    // condition on the buckets like any other.
    let (from, to) = r.created_range();
    let mut q = Query::select();
    q.from_subquery(crate::service::totals::facts(db, r.clock(), from, to).await?, a("o"));
    group(&mut q);
    select_sum(&mut q, "n", None, "n");
    select_sum(&mut q, "est", None, "est");
    select_sum(&mut q, "exp", None, "exp");
    r.apply_dimensions(&mut q, actor);
    req.apply_closed_window(&mut q, r);
    Ok(db.query_all(&q).await?)
}

/// The cards of one column (or one swimlane cell), a slice at a time: open stages by
/// close date (soonest first), closed ones by the date they closed (latest first).
pub async fn board_cards<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    req: &BoardRequest,
    stage_id: i32,
    lane: Option<Lane>,
    offset: u32,
    limit: u32,
) -> AppResult<Vec<OpportunityRow>> {
    let r = req.resolve(db).await?;
    let mut q = row_select(&r);
    r.apply(&mut q, actor);
    req.apply_closed_window(&mut q, &r);
    q.and_where(col("stage_id").eq(stage_id));
    if let Some(lane) = lane {
        match lane.user_id {
            Some(id) => q.and_where(col("assigned_user_id").eq(id)),
            None => q.and_where(col("assigned_user_id").is_null()),
        };
    }
    q.order_by_expr(Expr::cust("COALESCE(o.won_on, o.lost_on) IS NULL"), Order::Asc)
        .order_by_expr(Expr::cust("COALESCE(o.won_on, o.lost_on)"), Order::Desc)
        .order_by_expr(Expr::cust("o.close_date IS NULL"), Order::Asc)
        .order_by((a("o"), a("close_date")), Order::Asc)
        .order_by((a("o"), a("id")), Order::Desc)
        .limit(limit.clamp(1, BOARD_PAGE_MAX) as u64)
        .offset(offset as u64);
    db.query_all(&q)
        .await?
        .iter()
        .map(|row| read_row(row, r.today()))
        .collect()
}
