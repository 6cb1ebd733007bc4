//! Report 4, follow-up duration: how many days an opportunity took from its creation
//! to its win (won on − created) and to its loss (lost on − created), as average and
//! median, in total and by type, by source and by assigned user.
//!
//! Days are UTC calendar days. The database counts the closed opportunities per type,
//! source, user, outcome and number of days — from the kept close durations
//! (`service::totals::duration_facts`), else in one scan of the rows; every view (in total, by type, by source, by user) is
//! folded from those counts: the average from the exact integer sums, the median as
//! the middle value (or the mean of the middle two) of the counted days.

use std::collections::{BTreeMap, HashMap};

use migration::m20261207_000010_stage_flows::days_to;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::{Names, ReportFilter};
use crate::domain::StageKind;
use crate::error::AppResult;
use crate::service::settings;
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

/// The closed opportunities' days to close, counted per type, source, assigned user,
/// outcome and number of days: one scan, which every view below is folded from.
struct Closed {
    type_id: Option<i32>,
    source_id: Option<i32>,
    user_id: Option<i32>,
    outcome: StageKind,
    days: i64,
    n: i64,
}

async fn closed<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &ReportFilter) -> AppResult<Vec<Closed>> {
    let clock = settings::clock(db).await?;
    let a = |t: &str| Alias::new(t);
    let backend = db.get_database_backend();
    let won = StageKind::Won.as_str();
    let lost = StageKind::Lost.as_str();
    let facts = crate::service::totals::duration_facts(db, &clock, filter.from, filter.to).await?;
    let kept = facts.is_some();
    // From the kept close durations (days counted per bucket), else from the rows.
    let (days, n) = if kept {
        (
            format!("CASE WHEN s.kind = '{won}' THEN o.won_days ELSE o.lost_days END"),
            "CAST(SUM(o.n) AS BIGINT)",
        )
    } else {
        (
            format!(
                "CASE WHEN s.kind = '{won}' THEN {} ELSE {} END",
                days_to(backend, "o", "won_on"),
                days_to(backend, "o", "lost_on")
            ),
            "COUNT(*)",
        )
    };
    let mut q = Query::select();
    q.expr_as(Expr::cust("CAST(o.type_id AS INTEGER)"), a("type_id"))
        .expr_as(Expr::cust("CAST(o.source_id AS INTEGER)"), a("source_id"))
        .expr_as(Expr::cust("CAST(o.assigned_user_id AS INTEGER)"), a("user_id"))
        .expr_as(Expr::col((a("s"), a("kind"))), a("outcome"))
        .expr_as(Expr::cust(format!("CAST({days} AS BIGINT)")), a("days"))
        .expr_as(Expr::cust(n), a("n"));
    match facts {
        Some(facts) => q.from_subquery(facts, a("o")),
        None => q.from_as(a("opportunities"), a("o")),
    };
    q.join_stage()
        .and_where(Expr::col((a("s"), a("kind"))).is_in([won, lost]))
        .and_where(Expr::cust(format!("({days}) IS NOT NULL")))
        .add_group_by([
            Expr::cust("o.type_id"),
            Expr::cust("o.source_id"),
            Expr::cust("o.assigned_user_id"),
            Expr::cust("s.kind"),
            Expr::cust(days),
        ]);
    if kept {
        filter.apply_dimensions(&mut q, actor);
    } else {
        filter.apply(&mut q, actor, &clock);
    }
    let mut out = vec![];
    for row in db.query_all(&q).await? {
        out.push(Closed {
            type_id: row.try_get("", "type_id")?,
            source_id: row.try_get("", "source_id")?,
            user_id: row.try_get("", "user_id")?,
            outcome: StageKind::parse(&row.try_get::<String>("", "outcome")?).unwrap_or(StageKind::Won),
            days: row.try_get("", "days")?,
            n: row.try_get("", "n")?,
        });
    }
    Ok(out)
}

/// Count, average and median of the days of one group, from how many closed in how
/// many days. The median is the middle value, or the mean of the middle two.
fn stat(days: &BTreeMap<i64, i64>) -> DurationStat {
    let n: i64 = days.values().sum();
    let total: i64 = days.iter().map(|(d, k)| d * k).sum();
    // The values at ranks (n + 1) / 2 and (n + 2) / 2 (1-based, integer division).
    let at = |rank: i64| {
        let mut seen = 0;
        days.iter().find_map(|(d, k)| {
            seen += k;
            (seen >= rank).then_some(*d)
        })
    };
    let median = match (at((n + 1) / 2), at((n + 2) / 2)) {
        (Some(x), Some(y)) if n > 0 => Some((Decimal::from(x + y) / Decimal::TWO).round_dp(1).normalize()),
        _ => None,
    };
    DurationStat {
        count: n as u32,
        average: (n > 0).then(|| (Decimal::from(total) / Decimal::from(n)).round_dp(1).normalize()),
        median,
    }
}

/// The days of `closed` per group (`key`) and outcome.
fn histograms(
    closed: &[Closed],
    key: impl Fn(&Closed) -> Option<i32>,
) -> BTreeMap<Option<i32>, [BTreeMap<i64, i64>; 2]> {
    let mut out: BTreeMap<Option<i32>, [BTreeMap<i64, i64>; 2]> = BTreeMap::new();
    for c in closed {
        let lost = usize::from(c.outcome == StageKind::Lost);
        *out.entry(key(c)).or_default()[lost].entry(c.days).or_default() += c.n;
    }
    out
}

fn pair([won, lost]: &[BTreeMap<i64, i64>; 2]) -> DurationPair {
    DurationPair {
        won: stat(won),
        lost: stat(lost),
    }
}

fn groups(
    closed: &[Closed],
    key: impl Fn(&Closed) -> Option<i32>,
    titles: &HashMap<i32, (String, String)>,
) -> Vec<DurationGroup> {
    let mut by_id: Vec<DurationGroup> = histograms(closed, key)
        .iter()
        .map(|(id, days)| {
            let (title_fa, title_en) = id.and_then(|i| titles.get(&i).cloned()).unwrap_or_default();
            DurationGroup {
                id: *id,
                title_fa,
                title_en,
                durations: pair(days),
            }
        })
        .collect();
    // Most closed first, then by name.
    by_id.sort_by(|x, y| {
        let n = |g: &DurationGroup| g.durations.won.count + g.durations.lost.count;
        n(y).cmp(&n(x))
            .then_with(|| x.title_en.cmp(&y.title_en))
            .then(x.id.cmp(&y.id))
    });
    by_id
}

pub async fn durations<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &ReportFilter) -> AppResult<Durations> {
    filter.check()?;
    let Names { items, people } = Names::load(db).await?;
    let closed = closed(db, actor, filter).await?;
    let total = histograms(&closed, |_| None).get(&None).map(pair).unwrap_or_default();
    Ok(Durations {
        total,
        by_type: groups(&closed, |c| c.type_id, &items),
        by_source: groups(&closed, |c| c.source_id, &items),
        by_user: groups(&closed, |c| c.user_id, &people),
    })
}
