//! Report 4, follow-up duration: how many days an opportunity took from its creation
//! to its win (won on − created) and to its loss (lost on − created), as average and
//! median, in total and by type, by source and by assigned user.
//!
//! The database computes both: the average from SUM and COUNT, the median with
//! window functions (ROW_NUMBER and COUNT over the group, then the middle one or the
//! middle two rows, averaged) — the same SQL on SQLite and PostgreSQL. Rust only
//! divides the exact integer sums.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::{Names, ReportFilter};
use crate::domain::StageKind;
use crate::error::AppResult;
use crate::service::settings;
use crate::service::sql::days_between;
use crate::service::sql::JoinStage;
use crate::service::Actor;

/// Days from creation to one outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DurationStat {
    pub count: u32,
    /// Average days with one decimal; None when nothing closed this way.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub average: Option<Decimal>,
    /// Median days (a half when the two middle values differ by an odd number).
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub median: Option<Decimal>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DurationPair {
    pub won: DurationStat,
    pub lost: DurationStat,
}

/// One group (a type, a source, a user). `id` is None for "not set".
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DurationGroup {
    pub id: Option<i32>,
    pub title_fa: String,
    pub title_en: String,
    pub durations: DurationPair,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Durations {
    pub total: DurationPair,
    pub by_type: Vec<DurationGroup>,
    pub by_source: Vec<DurationGroup>,
    pub by_user: Vec<DurationGroup>,
}

/// Rows `(g, outcome, n, total_days, mid_days, mid_n)` for the closed opportunities,
/// grouped by `group` (a column of `o`) or all together.
async fn grouped<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    group: Option<&str>,
) -> AppResult<Vec<(Option<i32>, StageKind, DurationStat)>> {
    let clock = settings::clock(db).await?;
    let a = |t: &str| Alias::new(t);
    let backend = db.get_database_backend();
    let won = StageKind::Won.as_str();
    let lost = StageKind::Lost.as_str();
    let g = group.map(|c| format!("o.{c}")).unwrap_or_else(|| "NULL".into());
    let closed_on = format!("CASE WHEN s.kind = '{won}' THEN o.won_on ELSE o.lost_on END");
    let days = days_between(backend, "o.created_at", &closed_on);

    // d: one row per closed opportunity with its days and its rank in its group.
    let mut d = Query::select();
    d.expr_as(Expr::cust(format!("CAST({g} AS INTEGER)")), a("g"))
        .expr_as(Expr::col((a("s"), a("kind"))), a("outcome"))
        .expr_as(Expr::cust(days.clone()), a("days"))
        .expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER (PARTITION BY {g}, s.kind ORDER BY {days}, o.id)"
            )),
            a("rn"),
        )
        .expr_as(
            Expr::cust(format!("COUNT(*) OVER (PARTITION BY {g}, s.kind)")),
            a("cnt"),
        )
        .from_as(a("opportunities"), a("o"))
        .join_stage()
        .and_where(Expr::col((a("s"), a("kind"))).is_in([won, lost]))
        .and_where(Expr::cust(format!("({closed_on}) IS NOT NULL")));
    filter.apply(&mut d, actor, &clock);

    // The middle row(s): rank (cnt + 1) / 2 and (cnt + 2) / 2 in integer division.
    let middle = "d.rn IN ((d.cnt + 1) / 2, (d.cnt + 2) / 2)";
    let mut q = Query::select();
    q.expr_as(Expr::cust("d.g"), a("g"))
        .expr_as(Expr::cust("d.outcome"), a("outcome"))
        .expr_as(Expr::cust("COUNT(*)"), a("n"))
        .expr_as(Expr::cust("CAST(SUM(d.days) AS BIGINT)"), a("total_days"))
        .expr_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN {middle} THEN d.days ELSE 0 END) AS BIGINT)"
            )),
            a("mid_days"),
        )
        .expr_as(
            Expr::cust(format!("CAST(SUM(CASE WHEN {middle} THEN 1 ELSE 0 END) AS BIGINT)")),
            a("mid_n"),
        )
        .from_subquery(d, a("d"))
        .add_group_by([Expr::cust("d.g"), Expr::cust("d.outcome")]);
    let mut out = vec![];
    for row in db.query_all(&q).await? {
        let outcome = StageKind::parse(&row.try_get::<String>("", "outcome")?).unwrap_or(StageKind::Won);
        let n: i64 = row.try_get("", "n")?;
        let total: i64 = row.try_get("", "total_days")?;
        let mid: i64 = row.try_get("", "mid_days")?;
        let mid_n: i64 = row.try_get("", "mid_n")?;
        let stat = DurationStat {
            count: n as u32,
            average: (n > 0).then(|| (Decimal::from(total) / Decimal::from(n)).round_dp(1).normalize()),
            median: (mid_n > 0).then(|| (Decimal::from(mid) / Decimal::from(mid_n)).round_dp(1).normalize()),
        };
        out.push((row.try_get("", "g")?, outcome, stat));
    }
    Ok(out)
}

async fn groups<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    column: &str,
    titles: &HashMap<i32, (String, String)>,
) -> AppResult<Vec<DurationGroup>> {
    let mut by_id: Vec<DurationGroup> = vec![];
    for (id, outcome, stat) in grouped(db, actor, filter, Some(column)).await? {
        let pos = match by_id.iter().position(|g| g.id == id) {
            Some(p) => p,
            None => {
                let (title_fa, title_en) = id.and_then(|i| titles.get(&i).cloned()).unwrap_or_default();
                by_id.push(DurationGroup {
                    id,
                    title_fa,
                    title_en,
                    durations: DurationPair::default(),
                });
                by_id.len() - 1
            }
        };
        match outcome {
            StageKind::Lost => by_id[pos].durations.lost = stat,
            _ => by_id[pos].durations.won = stat,
        }
    }
    // Most closed first, then by name.
    by_id.sort_by(|x, y| {
        let n = |g: &DurationGroup| g.durations.won.count + g.durations.lost.count;
        n(y).cmp(&n(x))
            .then_with(|| x.title_en.cmp(&y.title_en))
            .then(x.id.cmp(&y.id))
    });
    Ok(by_id)
}

pub async fn durations<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &ReportFilter) -> AppResult<Durations> {
    filter.check()?;
    let Names { items, people } = Names::load(db).await?;
    let mut total = DurationPair::default();
    for (_, outcome, stat) in grouped(db, actor, filter, None).await? {
        match outcome {
            StageKind::Lost => total.lost = stat,
            _ => total.won = stat,
        }
    }
    Ok(Durations {
        total,
        by_type: groups(db, actor, filter, "type_id", &items).await?,
        by_source: groups(db, actor, filter, "source_id", &items).await?,
        by_user: groups(db, actor, filter, "assigned_user_id", &people).await?,
    })
}
