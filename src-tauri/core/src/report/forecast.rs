//! Report 6, the forecast: the weighted pipeline (estimated × probability) of open
//! opportunities by close month, with the unweighted sum beside it. The database
//! groups by close period (from the report totals: every period lies within one
//! Jalali and one Gregorian month) or, without the totals, by close date; the days are
//! then folded into Jalali or Gregorian months.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::ReportFilter;
use migration::m20261205_000009_report_totals::CLOSE_PERIOD;

use crate::clock::Clock;
use crate::domain::{jalali, Calendar, StageKind};
use crate::error::AppResult;
use crate::service::sql::JoinStage;
use crate::service::sql::{read_money_sum, select_money_sum};
use crate::service::totals::{self, select_sum};
use crate::service::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ForecastMonth {
    /// Year and month in the requested calendar; None for opportunities without a close date.
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub weighted: Decimal,
}

/// (year, month) in the calendar; (None, None) for no close date.
type MonthKey = (Option<i32>, Option<u32>);
/// (count, amount, Σ amount × probability in percent).
type Sums = (i64, Decimal, Decimal);

pub async fn forecast<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    calendar: Calendar,
) -> AppResult<Vec<ForecastMonth>> {
    let clock = super::clock_for(db, filter).await?;
    let kept = match totals::kept_for(db, &clock).await? {
        true => by_close_period(db, actor, filter, &clock).await?,
        false => None,
    };
    let days = match kept {
        Some(days) => days,
        None => by_close_date(db, actor, filter, &clock).await?,
    };
    let mut months: BTreeMap<MonthKey, Sums> = BTreeMap::new();
    for (day, sums) in days {
        let key = match (day, calendar) {
            (None, _) => (None, None),
            (Some(d), Calendar::Gregorian) => (Some(d.year()), Some(d.month())),
            (Some(d), Calendar::Jalali) => {
                let (y, m, _) = jalali::from_gregorian(d);
                (Some(y), Some(m))
            }
        };
        let e = months.entry(key).or_default();
        e.0 += sums.0;
        e.1 += sums.1;
        e.2 += sums.2;
    }
    // Dated months in order, "no close date" last.
    let mut out: Vec<ForecastMonth> = months
        .into_iter()
        .map(|((year, month), (n, amount, weighted))| ForecastMonth {
            year,
            month,
            count: n as u32,
            amount: amount.normalize(),
            weighted: (weighted / Decimal::ONE_HUNDRED).normalize(),
        })
        .collect();
    out.sort_by_key(|m| (m.year.is_none(), m.year, m.month));
    Ok(out)
}

/// The open opportunities' sums per close period (a day in it stands for the period),
/// from the report totals; None when a close date lies before the first period.
async fn by_close_period<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    clock: &Clock,
) -> AppResult<Option<Vec<(Option<NaiveDate>, Sums)>>> {
    let a = |t: &str| Alias::new(t);
    let mut q = Query::select();
    q.expr_as(Expr::col((a("o"), a(CLOSE_PERIOD))), a("period"))
        .expr_as(Expr::col((a("cp"), a("start_on"))), a("day"))
        .from_subquery(super::facts(db, filter, clock).await?, a("o"))
        .join_stage()
        .join_as(
            JoinType::LeftJoin,
            a("report_periods"),
            a("cp"),
            Expr::col((a("cp"), a("id"))).equals((a("o"), a(CLOSE_PERIOD))),
        )
        .and_where(Expr::col((a("s"), a("kind"))).eq(StageKind::Open.as_str()))
        .group_by_col((a("o"), a(CLOSE_PERIOD)))
        .group_by_col((a("cp"), a("start_on")));
    select_sum(&mut q, "n", None, "n");
    select_sum(&mut q, "est", None, "amount");
    select_sum(&mut q, "exp", None, "weighted");
    filter.apply_dimensions(&mut q, actor);
    let mut out = vec![];
    for row in db.query_all(&q).await? {
        let period: Option<i32> = row.try_get("", "period")?;
        let day: Option<NaiveDate> = row.try_get("", "day")?;
        if period.is_some() && day.is_none() {
            return Ok(None);
        }
        let n: i64 = row.try_get("", "n")?;
        if n == 0 {
            continue;
        }
        out.push((
            day,
            (n, read_money_sum(&row, "amount")?, read_money_sum(&row, "weighted")?),
        ));
    }
    Ok(Some(out))
}

/// The open opportunities' sums per close date, from the rows. Grouped by probability
/// too, so that the weighted sum is Σ probability × (an exact amount sum): no product
/// of an amount and a probability is ever summed in 64 bits, and the sums cannot
/// overflow however large the pipeline.
async fn by_close_date<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    clock: &Clock,
) -> AppResult<Vec<(Option<NaiveDate>, Sums)>> {
    let a = |t: &str| Alias::new(t);
    let mut q = Query::select();
    q.expr_as(Expr::col((a("o"), a("close_date"))), a("day"))
        .expr_as(Expr::col((a("o"), a("probability"))), a("probability"))
        .expr_as(Expr::cust("COUNT(*)"), a("n"))
        .from_as(a("opportunities"), a("o"))
        .join_stage()
        .and_where(Expr::col((a("s"), a("kind"))).eq(StageKind::Open.as_str()))
        .group_by_col((a("o"), a("close_date")))
        .group_by_col((a("o"), a("probability")))
        .order_by((a("o"), a("close_date")), Order::Asc);
    select_money_sum(&mut q, "o.estimated_amount", "amount");
    filter.apply(&mut q, actor, clock);
    let mut out = vec![];
    for row in db.query_all(&q).await? {
        let amount = read_money_sum(&row, "amount")?;
        let probability: i32 = row.try_get("", "probability")?;
        out.push((
            row.try_get("", "day")?,
            (
                row.try_get::<i64>("", "n")?,
                amount,
                amount * Decimal::from(probability),
            ),
        ));
    }
    Ok(out)
}
