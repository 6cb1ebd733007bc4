//! Report 9, the dashboard (the Reports home): the sales status funnel, the amount won
//! in this period against the period of the same length just before it, the forecast
//! in total, and the overdue opportunities.
//!
//! Won amounts count by the win date (won on) inside the period, with the other
//! filters and visibility applied; overdue opportunities are the open ones whose close
//! date is before `today`, whatever the period (an overdue deal from last year is
//! still overdue), with the other filters applied.

use chrono::NaiveDate;
use migration::m20261205_000009_report_totals::CLOSE_PERIOD;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::forecast::{forecast, ForecastMonth};
use super::sales_status::{sales_status, SalesStatus};
use super::ReportFilter;
use crate::clock::Clock;
use crate::domain::{from_storage, Calendar, StageKind};
use crate::error::AppResult;
use crate::service::settings;
use crate::service::sql::read_money_sum;
use crate::service::sql::JoinStage;
use crate::service::totals::{self, select_sum};
use crate::service::{conditions, Actor};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WonInPeriod {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OverdueRow {
    pub id: i32,
    pub title: String,
    pub identity_name: String,
    pub assigned_user_name: Option<String>,
    pub close_date: NaiveDate,
    pub days_overdue: i32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub status: SalesStatus,
    /// Won in the filter's period (by win date).
    pub won: WonInPeriod,
    /// Won in the period of the same length just before; None when the period is open-ended.
    pub previous_won: Option<WonInPeriod>,
    pub forecast: Vec<ForecastMonth>,
    pub open_count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub open_amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub weighted_amount: Decimal,
    pub overdue_count: u32,
    /// The ten most overdue (earliest close date first).
    pub overdue: Vec<OverdueRow>,
}

/// Opportunities won between `from` and `to` (inclusive, by win date).
async fn won_between<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<WonInPeriod> {
    let clock = settings::clock(db).await?;
    let a = |t: &str| Alias::new(t);
    // From the report totals, which are keyed by the win date too.
    let mut q = Query::select();
    q.from_subquery(crate::service::totals::facts(db, &clock, None, None).await?, a("o"))
        .join_stage()
        .and_where(Expr::col((a("s"), a("kind"))).eq(StageKind::Won.as_str()))
        .and_where(Expr::col((a("o"), a("won_on"))).is_not_null());
    if let Some(f) = from {
        q.and_where(Expr::col((a("o"), a("won_on"))).gte(f));
    }
    if let Some(t) = to {
        q.and_where(Expr::col((a("o"), a("won_on"))).lte(t));
    }
    select_sum(&mut q, "n", None, "n");
    select_sum(&mut q, "est", None, "amt");
    undated(filter).apply_dimensions(&mut q, actor);
    let row = db.query_one(&q).await?;
    let (count, amount) = match row {
        Some(r) => (r.try_get::<i64>("", "n")?, read_money_sum(&r, "amt")?),
        None => (0, Decimal::ZERO),
    };
    Ok(WonInPeriod {
        from,
        to,
        count: count as u32,
        amount,
    })
}

/// How many of `filter`'s opportunities are overdue on `today` (open, a close date
/// before it): from the report totals for the close periods before today's, from the
/// rows for the days of today's period before today.
async fn overdue_count<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    clock: &Clock,
    today: NaiveDate,
) -> AppResult<u32> {
    let a = |t: &str| Alias::new(t);
    let count = |q: SelectStatement| async move {
        Ok::<_, crate::error::AppError>(match db.query_one(&q).await? {
            Some(r) => r.try_get::<i64>("", "n")?,
            None => 0,
        })
    };
    let rows = |since: Option<NaiveDate>| {
        let mut q = Query::select();
        q.expr_as(Expr::cust("COUNT(*)"), a("n"))
            .from_as(a("opportunities"), a("o"))
            .and_where(conditions::overdue("o", today));
        if let Some(day) = since {
            q.and_where(Expr::col((a("o"), a("close_date"))).gte(day));
        }
        filter.apply(&mut q, actor, clock);
        q
    };
    let current = match totals::kept_for(db, clock).await? {
        true => totals::period_holding(db, today).await?,
        false => None,
    };
    let Some((id, start)) = current else {
        return Ok(count(rows(None)).await? as u32);
    };
    let mut kept = Query::select();
    select_sum(&mut kept, "n", None, "n");
    kept.from_subquery(totals::facts(db, clock, None, None).await?, a("o"))
        .and_where(conditions::open("o"))
        .and_where(Expr::col((a("o"), a(CLOSE_PERIOD))).lt(id));
    filter.apply_dimensions(&mut kept, actor);
    Ok((count(kept).await? + count(rows(Some(start))).await?) as u32)
}

/// The filter without its period.
fn undated(filter: &ReportFilter) -> ReportFilter {
    ReportFilter {
        from: None,
        to: None,
        ..filter.clone()
    }
}

/// The period of the same length that ends the day before `from`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let len = (to - from).num_days() + 1;
    let prev_to = from.pred_opt().unwrap_or(from);
    (prev_to - chrono::Duration::days(len - 1), prev_to)
}

pub async fn dashboard<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    calendar: Calendar,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    let clock = super::clock_for(db, filter).await?;
    let a = |t: &str| Alias::new(t);
    let previous = async {
        match (filter.from, filter.to) {
            (Some(f), Some(t)) if f <= t => {
                let (pf, pt) = previous_period(f, t);
                Ok::<_, crate::error::AppError>(Some(won_between(db, actor, filter, Some(pf), Some(pt)).await?))
            }
            _ => Ok(None),
        }
    };
    let overdue_part = async {
        // Overdue: open, close date before today; the period does not apply.
        let overdue_where = |q: &mut sea_orm::sea_query::SelectStatement| {
            q.from_as(a("opportunities"), a("o"))
                .join_stage()
                .and_where(conditions::overdue("o", today));
            undated(filter).apply(q, actor, &clock);
        };
        let overdue_count = overdue_count(db, actor, &undated(filter), &clock, today).await?;
        let mut list = Query::select();
        list.columns([
            (a("o"), a("id")),
            (a("o"), a("title")),
            (a("o"), a("close_date")),
            (a("o"), a("estimated_amount")),
        ])
        .expr_as(Expr::col((a("i"), a("display_name"))), a("identity_name"))
        .expr_as(Expr::col((a("u"), a("display_name"))), a("user_name"));
        overdue_where(&mut list);
        list.join_as(
            JoinType::InnerJoin,
            a("identities"),
            a("i"),
            Expr::col((a("i"), a("id"))).equals((a("o"), a("identity_id"))),
        )
        .join_as(
            JoinType::LeftJoin,
            a("users"),
            a("u"),
            Expr::col((a("u"), a("id"))).equals((a("o"), a("assigned_user_id"))),
        )
        .order_by((a("o"), a("close_date")), Order::Asc)
        .order_by((a("o"), a("id")), Order::Asc)
        .limit(10);
        let mut overdue = vec![];
        for row in db.query_all(&list).await? {
            let close_date: NaiveDate = row.try_get("", "close_date")?;
            overdue.push(OverdueRow {
                id: row.try_get("", "id")?,
                title: row.try_get("", "title")?,
                identity_name: row.try_get("", "identity_name")?,
                assigned_user_name: row.try_get("", "user_name")?,
                close_date,
                days_overdue: (today - close_date).num_days() as i32,
                amount: from_storage(row.try_get("", "estimated_amount")?),
            });
        }
        Ok::<_, crate::error::AppError>((overdue_count, overdue))
    };
    // Two lanes at once, each on its own pooled connection: the funnel, the won
    // amounts (from the report totals) and the overdue list (from the rows), and the
    // forecast (from the totals, or from the rows while they are rebuilt). Two, so that the report slots
    // (`slots::REPORT_SLOTS`) never take the connections interactive calls need.
    let quick = async {
        let status = sales_status(db, actor, filter).await?;
        let won = won_between(db, actor, filter, filter.from, filter.to).await?;
        let previous = previous.await?;
        Ok::<_, crate::error::AppError>((status, won, previous, overdue_part.await?))
    };
    let ((status, won, previous_won, (overdue_count, overdue)), months) =
        tokio::try_join!(quick, forecast(db, actor, filter, calendar))?;
    let open_count = months.iter().map(|m| m.count).sum();
    let open_amount = months.iter().map(|m| m.amount).sum::<Decimal>().normalize();
    let weighted_amount = months.iter().map(|m| m.weighted).sum::<Decimal>().normalize();

    Ok(Dashboard {
        status,
        won,
        previous_won,
        forecast: months,
        open_count,
        open_amount,
        weighted_amount,
        overdue_count,
        overdue,
    })
}
