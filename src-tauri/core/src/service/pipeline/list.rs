//! The opportunity list: rows with their derived columns, sorting, paging and the
//! totals of the whole filtered set — all done by the database.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Order, Query, SelectStatement, SimpleExpr};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::*;
use crate::domain::opportunity as opportunity_rules;
use crate::domain::{from_storage, FinancialKind, RecordStatus, StageKind};
use crate::error::{AppError, AppResult};
use crate::service::sql::JoinStage;
use crate::service::sql::{read_money_sum, select_money_sum, select_row_sums};
use crate::service::totals::select_sum;
use crate::service::{paging, Actor, Page};

crate::domain::enums::string_enum!(
    /// The list's columns, in their default order.
    ListColumn {
        Title = "title",
        Identity = "identity",
        Stage = "stage",
        AssignedTo = "assigned_to",
        Type = "type",
        Source = "source",
        Campaign = "campaign",
        Estimated = "estimated",
        Probability = "probability",
        Expected = "expected",
        Realized = "realized",
        CloseDate = "close_date",
        Created = "created",
        DaysOpen = "days_open",
        Reason = "reason",
        ReasonNote = "reason_note",
        ClosedOn = "closed_on",
        Pipeline = "pipeline",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SortKey {
    pub column: ListColumn,
    pub desc: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListRequest {
    pub filter: OpportunityFilter,
    /// First key first; the id breaks ties so pages never overlap.
    pub sort: Vec<SortKey>,
    pub page: u32,
    pub page_size: u32,
}

/// One row of the list or one card of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpportunityRow {
    pub id: i32,
    pub version: i32,
    pub title: String,
    pub identity_id: i32,
    pub identity_name: String,
    pub stage_id: i32,
    pub stage_kind: StageKind,
    pub assigned_user_id: Option<i32>,
    pub assigned_user_name: Option<String>,
    pub type_id: i32,
    pub source_id: i32,
    pub campaign_id: Option<i32>,
    pub campaign_name: Option<String>,
    pub win_reason_id: Option<i32>,
    pub loss_reason_id: Option<i32>,
    /// The note on the win or loss reason.
    pub reason_note: Option<String>,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated_amount: Decimal,
    pub probability: i32,
    /// Estimated × probability.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected_amount: Decimal,
    /// Approved invoices of the opportunity.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub realized_amount: Decimal,
    pub close_date: Option<NaiveDate>,
    pub overdue: bool,
    pub won_on: Option<NaiveDate>,
    pub lost_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// Days from creation to today, or to the win / loss date once closed.
    pub days_open: i32,
    /// A planned activity follows it up (open ones without: "no next step").
    pub has_next_step: bool,
}

/// Sums over the whole filtered set (not just the page).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListTotals {
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub expected: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub realized: Decimal,
}

/// The realized sum of a row `o`: its approved invoices, kept on the row by the
/// invoices' triggers (migration `m20261207_000010_stage_flows`).
pub(super) const REALIZED_SQL: &str = "o.realized_amount";

/// The SELECT of a list row: opportunities `o` with the names joined in.
pub(super) fn row_select(r: &Resolved) -> SelectStatement {
    let mut q = Query::select();
    q.columns([
        (a("o"), a("id")),
        (a("o"), a("version")),
        (a("o"), a("title")),
        (a("o"), a("identity_id")),
        (a("o"), a("stage_id")),
        (a("o"), a("assigned_user_id")),
        (a("o"), a("type_id")),
        (a("o"), a("source_id")),
        (a("o"), a("campaign_id")),
        (a("o"), a("win_reason_id")),
        (a("o"), a("loss_reason_id")),
        (a("o"), a("reason_note")),
        (a("o"), a("estimated_amount")),
        (a("o"), a("probability")),
        (a("o"), a("close_date")),
        (a("o"), a("won_on")),
        (a("o"), a("lost_on")),
        (a("o"), a("created_at")),
    ])
    .expr_as(Expr::col((a("i"), a("display_name"))), a("identity_name"))
    .expr_as(Expr::col((a("s"), a("kind"))), a("stage_kind"))
    .expr_as(Expr::col((a("u"), a("display_name"))), a("user_name"))
    .expr_as(Expr::col((a("c"), a("name"))), a("campaign_name"))
    .expr_as(Expr::cust(REALIZED_SQL), a("realized"))
    .expr_as(Expr::cust(r.days_open_sql()), a("days_open"))
    .expr_as(
        Expr::case(crate::service::conditions::has_next_step("o"), 1).finally(0),
        a("has_next_step"),
    );
    joined(&mut q);
    q
}

/// `FROM opportunities o` with the identity, stage, user and campaign joined (what
/// the row shows and the sorts read).
fn joined(q: &mut SelectStatement) {
    join_names(q, [true; 4]);
}

/// `opportunities o` with the names joined in that `[identity, stage, user, campaign]`
/// ask for.
fn join_names(q: &mut SelectStatement, [identity, stage, user, campaign]: [bool; 4]) {
    q.from_as(a("opportunities"), a("o"));
    if identity {
        q.join_as(
            JoinType::InnerJoin,
            a("identities"),
            a("i"),
            Expr::col((a("i"), a("id"))).equals((a("o"), a("identity_id"))),
        );
    }
    if stage {
        q.join_stage();
    }
    if user {
        q.join_as(
            JoinType::LeftJoin,
            a("users"),
            a("u"),
            Expr::col((a("u"), a("id"))).equals((a("o"), a("assigned_user_id"))),
        );
    }
    if campaign {
        q.join_as(
            JoinType::LeftJoin,
            a("campaigns"),
            a("c"),
            Expr::col((a("c"), a("id"))).equals((a("o"), a("campaign_id"))),
        );
    }
}

/// `opportunities o` with only the names the sort reads joined in (the filter reads
/// `o` alone): what the page's ids are picked from, so that a deep page skips its
/// rows without looking up their customers, stages, users and campaigns.
fn joined_for_sort(q: &mut SelectStatement, sort: &[SortKey]) {
    let sorts_by = |columns: &[ListColumn]| sort.iter().take(4).any(|k| columns.contains(&k.column));
    join_names(
        q,
        [
            sorts_by(&[ListColumn::Identity]),
            sorts_by(&[ListColumn::Stage, ListColumn::Pipeline]),
            sorts_by(&[ListColumn::AssignedTo]),
            sorts_by(&[ListColumn::Campaign]),
        ],
    );
}

pub(super) fn sort_expr(r: &Resolved, column: ListColumn) -> SimpleExpr {
    match column {
        ListColumn::Title => Expr::cust("LOWER(o.title)"),
        ListColumn::Identity => Expr::cust("LOWER(i.display_name)"),
        ListColumn::Stage => Expr::cust("s.sort_order"),
        ListColumn::AssignedTo => Expr::cust("LOWER(u.display_name)"),
        ListColumn::Type => Expr::cust("(SELECT t.sort_order FROM system_items t WHERE t.id = o.type_id)"),
        ListColumn::Source => Expr::cust("(SELECT t.sort_order FROM system_items t WHERE t.id = o.source_id)"),
        ListColumn::Campaign => Expr::cust("LOWER(c.name)"),
        ListColumn::Estimated => Expr::cust("o.estimated_amount"),
        ListColumn::Probability => Expr::cust("o.probability"),
        ListColumn::Expected => Expr::cust("(o.estimated_amount / 100) * o.probability"),
        ListColumn::Realized => Expr::cust(REALIZED_SQL),
        ListColumn::CloseDate => Expr::cust("o.close_date"),
        ListColumn::Created => Expr::cust("o.created_at"),
        ListColumn::DaysOpen => Expr::cust(r.days_open_sql()),
        ListColumn::Reason => Expr::cust(
            "(SELECT t.sort_order FROM system_items t WHERE t.id = COALESCE(o.win_reason_id, o.loss_reason_id))",
        ),
        ListColumn::ReasonNote => Expr::cust("LOWER(o.reason_note)"),
        ListColumn::ClosedOn => Expr::cust("COALESCE(o.won_on, o.lost_on)"),
        ListColumn::Pipeline => Expr::cust("(SELECT p.sort_order FROM pipelines p WHERE p.id = s.pipeline_id)"),
    }
}

pub(super) fn expected_of(estimated: Decimal, probability: i32) -> Decimal {
    (estimated * Decimal::from(probability) / Decimal::ONE_HUNDRED).normalize()
}

pub fn read_row(row: &QueryResult, today: NaiveDate) -> AppResult<OpportunityRow> {
    let estimated = from_storage(row.try_get("", "estimated_amount")?);
    let probability: i32 = row.try_get("", "probability")?;
    let kind = StageKind::parse(&row.try_get::<String>("", "stage_kind")?).unwrap_or(StageKind::Open);
    let close_date: Option<NaiveDate> = row.try_get("", "close_date")?;
    let days_open: i64 = row.try_get("", "days_open")?;
    Ok(OpportunityRow {
        id: row.try_get("", "id")?,
        version: row.try_get("", "version")?,
        title: row.try_get("", "title")?,
        identity_id: row.try_get("", "identity_id")?,
        identity_name: row.try_get("", "identity_name")?,
        stage_id: row.try_get("", "stage_id")?,
        stage_kind: kind,
        assigned_user_id: row.try_get("", "assigned_user_id")?,
        assigned_user_name: row.try_get("", "user_name")?,
        type_id: row.try_get("", "type_id")?,
        source_id: row.try_get("", "source_id")?,
        campaign_id: row.try_get("", "campaign_id")?,
        campaign_name: row.try_get("", "campaign_name")?,
        win_reason_id: row.try_get("", "win_reason_id")?,
        loss_reason_id: row.try_get("", "loss_reason_id")?,
        reason_note: row.try_get("", "reason_note")?,
        estimated_amount: estimated,
        probability,
        expected_amount: expected_of(estimated, probability),
        realized_amount: from_storage(row.try_get("", "realized")?),
        overdue: opportunity_rules::is_overdue(kind, close_date, today),
        close_date,
        won_on: row.try_get("", "won_on")?,
        lost_on: row.try_get("", "lost_on")?,
        created_at: row.try_get("", "created_at")?,
        days_open: days_open as i32,
        has_next_step: row.try_get::<i32>("", "has_next_step")? != 0,
    })
}

pub(super) fn apply_sort(q: &mut SelectStatement, r: &Resolved, sort: &[SortKey]) {
    for key in sort.iter().take(4) {
        let order = if key.desc { Order::Desc } else { Order::Asc };
        q.order_by_expr(sort_expr(r, key.column), order);
    }
    if sort.is_empty() {
        q.order_by((a("o"), a("created_at")), Order::Desc);
    }
    q.order_by((a("o"), a("id")), Order::Desc);
}

/// The query of the list's rows, filtered and sorted (no paging): also what exports read.
pub fn rows_query(r: &Resolved, actor: &Actor, sort: &[SortKey]) -> SelectStatement {
    let mut q = row_select(r);
    r.apply(&mut q, actor);
    apply_sort(&mut q, r, sort);
    q
}

/// One page of the filtered, sorted list, with the totals of the whole filtered set.
pub async fn list<C: ConnectionTrait>(db: &C, actor: &Actor, req: &ListRequest) -> AppResult<ListPage> {
    let r = resolve(db, &req.filter).await?;
    let (page, page_size) = paging(req.page, req.page_size);
    // The totals and the page at once, each on a pooled connection of its own.
    let (totals, items) = tokio::try_join!(totals_of(db, actor, &r), page_rows(db, actor, &r, req, page, page_size))?;
    Ok(ListPage {
        page: Page {
            items,
            total: totals.count,
            page,
            page_size,
        },
        totals,
    })
}

async fn page_rows<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    r: &Resolved,
    req: &ListRequest,
    page: u32,
    page_size: u32,
) -> AppResult<Vec<OpportunityRow>> {
    // The page's ids first (filtered, sorted, skipped over on the narrow rows), then
    // only those rows with their names and computed columns: a deep page no longer
    // computes the realized sum and the next step of every row it skips.
    let mut ids = Query::select();
    ids.column((a("o"), a("id")));
    joined_for_sort(&mut ids, &req.sort);
    r.apply(&mut ids, actor);
    apply_sort(&mut ids, r, &req.sort);
    ids.limit(page_size as u64)
        .offset(crate::service::page_offset(page, page_size));
    let mut q = row_select(r);
    q.and_where(col("id").in_subquery(ids));
    apply_sort(&mut q, r, &req.sort);
    db.query_all(&q)
        .await?
        .iter()
        .map(|row| read_row(row, r.today()))
        .collect()
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListPage {
    pub page: Page<OpportunityRow>,
    pub totals: ListTotals,
}

/// Count, estimated, expected and realized sums of the filtered set.
pub async fn totals<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &OpportunityFilter) -> AppResult<ListTotals> {
    let r = resolve(db, filter).await?;
    totals_of(db, actor, &r).await
}

pub(super) async fn totals_of<C: ConnectionTrait>(db: &C, actor: &Actor, r: &Resolved) -> AppResult<ListTotals> {
    if !r.dimensions_only() {
        // The rows are read: their realized sums with their count and amounts.
        return sums_of(db, actor, r).await;
    }
    // From the report totals, which do not keep the realized sum: the invoices at once.
    let (sums, realized) = tokio::try_join!(sums_of(db, actor, r), realized_of(db, actor, r))?;
    Ok(ListTotals { realized, ..sums })
}

/// The count, estimated and expected sums of the filtered set; the realized sum too
/// when the rows are read (from the report totals it is left at zero).
async fn sums_of<C: ConnectionTrait>(db: &C, actor: &Actor, r: &Resolved) -> AppResult<ListTotals> {
    let mut q = Query::select();
    if r.dimensions_only() {
        // From the report totals: the same count and sums, a few thousand buckets.
        let (from, to) = r.created_range();
        q.from_subquery(crate::service::totals::facts(db, r.clock(), from, to).await?, a("o"));
        select_sum(&mut q, "n", None, "n");
        select_sum(&mut q, "est", None, "est");
        select_sum(&mut q, "exp", None, "exp");
        r.apply_dimensions(&mut q, actor);
    } else {
        q.from_as(a("opportunities"), a("o"));
        select_row_sums(&mut q);
        select_money_sum(&mut q, REALIZED_SQL, "real");
        r.apply(&mut q, actor);
    }
    let row = db
        .query_one(&q)
        .await?
        .ok_or_else(|| AppError::database("no totals row"))?;
    let count: i64 = row.try_get("", "n")?;
    let estimated = read_money_sum(&row, "est")?;
    let expected = (read_money_sum(&row, "exp")? / Decimal::ONE_HUNDRED).normalize();
    let realized = if r.dimensions_only() {
        Decimal::ZERO
    } else {
        read_money_sum(&row, "real")?.normalize()
    };
    Ok(ListTotals {
        count: count as u32,
        estimated: estimated.normalize(),
        expected,
        realized,
    })
}

/// The approved invoices of the filtered set, summed.
async fn realized_of<C: ConnectionTrait>(db: &C, actor: &Actor, r: &Resolved) -> AppResult<Decimal> {
    // Approved invoices joined to the filtered opportunities: the planner drives from
    // whichever side is smaller (an `IN (SELECT id …)` over a million ids was slow
    // and its plan unstable on SQLite — see docs/benchmarks.md).
    let mut q = Query::select();
    q.from_as(a("financial_records"), a("fr"))
        .and_where(Expr::col((a("fr"), a("kind"))).eq(FinancialKind::Invoice.as_str()))
        .and_where(Expr::col((a("fr"), a("status"))).eq(RecordStatus::Approved.as_str()));
    if r.is_everything(actor) {
        // Every opportunity: every invoice of one (the foreign key holds the rest).
        q.and_where(Expr::col((a("fr"), a("opportunity_id"))).is_not_null());
    } else {
        q.join_as(
            JoinType::InnerJoin,
            a("opportunities"),
            a("o"),
            Expr::col((a("o"), a("id"))).equals((a("fr"), a("opportunity_id"))),
        );
        r.apply(&mut q, actor);
    }
    select_money_sum(&mut q, "fr.amount", "real");
    let row = db
        .query_one(&q)
        .await?
        .ok_or_else(|| AppError::database("no totals row"))?;
    Ok(read_money_sum(&row, "real")?.normalize())
}

/// One row by id, as the list shows it (after a move or an edit).
pub async fn row<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<OpportunityRow> {
    let r = resolve(db, &OpportunityFilter::default()).await?;
    let mut q = row_select(&r);
    r.apply(&mut q, actor);
    q.and_where(col("id").eq(id));
    match db.query_one(&q).await? {
        Some(row) => read_row(&row, r.today()),
        None => Err(AppError::not_found(crate::service::opportunities::ENTITY, id)),
    }
}
