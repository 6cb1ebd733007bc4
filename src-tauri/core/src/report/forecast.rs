//! Report 6, the forecast: the weighted pipeline (estimated × probability) of open
//! opportunities by close month, with the unweighted sum beside it. The database
//! groups by close date; the days are then folded into Jalali or Gregorian months.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::ReportFilter;
use crate::domain::{jalali, Calendar, StageKind};
use crate::error::AppResult;
use crate::service::sql::{read_money_sum, select_money_sum};
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
    let a = |t: &str| Alias::new(t);
    let mut q = Query::select();
    q.expr_as(Expr::col((a("o"), a("close_date"))), a("day"))
        .expr_as(Expr::col((a("o"), a("probability"))), a("probability"))
        .expr_as(Expr::cust("COUNT(*)"), a("n"))
        .from_as(a("opportunities"), a("o"))
        .join_as(
            JoinType::InnerJoin,
            a("stages"),
            a("s"),
            Expr::col((a("s"), a("id"))).equals((a("o"), a("stage_id"))),
        )
        .and_where(Expr::col((a("s"), a("kind"))).eq(StageKind::Open.as_str()))
        .group_by_col((a("o"), a("close_date")))
        .group_by_col((a("o"), a("probability")))
        .order_by((a("o"), a("close_date")), Order::Asc);
    // Grouped by probability too, so that the weighted sum is Σ probability × (an
    // exact amount sum): no product of an amount and a probability is ever summed in
    // 64 bits, and the sums cannot overflow however large the pipeline.
    select_money_sum(&mut q, "o.estimated_amount", "amount");
    filter.apply(&mut q, actor, &clock);
    let mut months: BTreeMap<MonthKey, Sums> = BTreeMap::new();
    for row in db.query_all(&q).await? {
        let day: Option<NaiveDate> = row.try_get("", "day")?;
        let key = match (day, calendar) {
            (None, _) => (None, None),
            (Some(d), Calendar::Gregorian) => (Some(d.year()), Some(d.month())),
            (Some(d), Calendar::Jalali) => {
                let (y, m, _) = jalali::from_gregorian(d);
                (Some(y), Some(m))
            }
        };
        let amount = read_money_sum(&row, "amount")?;
        let probability: i32 = row.try_get("", "probability")?;
        let e = months.entry(key).or_default();
        e.0 += row.try_get::<i64>("", "n")?;
        e.1 += amount;
        e.2 += amount * Decimal::from(probability);
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
