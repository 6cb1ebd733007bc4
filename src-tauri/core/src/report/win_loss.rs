//! Report 2, win / loss analysis: won and lost counts and amounts overall, by reason,
//! by assigned user, by type and by source, and the win rate. Closed opportunities
//! only; the filter's period bounds their creation date like every report.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::{Names, ReportFilter};
use crate::domain::StageKind;
use crate::error::AppResult;
use crate::service::sql::read_money_sum;
use crate::service::sql::JoinStage;
use crate::service::totals::select_sum;
use crate::service::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Outcomes {
    pub won_count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub won_amount: Decimal,
    pub lost_count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub lost_amount: Decimal,
    /// won / (won + lost), in percent with one decimal; 0 when nothing closed.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub win_rate: Decimal,
}

/// One group (a reason, a user, a type, a source). `id` is None for "not set".
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeGroup {
    pub id: Option<i32>,
    pub title_fa: String,
    pub title_en: String,
    pub outcomes: Outcomes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WinLoss {
    pub total: Outcomes,
    pub win_reasons: Vec<OutcomeGroup>,
    pub loss_reasons: Vec<OutcomeGroup>,
    pub by_user: Vec<OutcomeGroup>,
    pub by_type: Vec<OutcomeGroup>,
    pub by_source: Vec<OutcomeGroup>,
}

fn outcomes(won_count: i64, won_amount: Decimal, lost_count: i64, lost_amount: Decimal) -> Outcomes {
    let closed = won_count + lost_count;
    let win_rate = if closed == 0 {
        Decimal::ZERO
    } else {
        (Decimal::from(won_count * 100) / Decimal::from(closed)).round_dp(1)
    };
    Outcomes {
        won_count: won_count as u32,
        won_amount,
        lost_count: lost_count as u32,
        lost_amount,
        win_rate,
    }
}

/// The grouping columns: every view of the report folds the same rows.
const GROUPS: [&str; 5] = [
    "win_reason_id",
    "loss_reason_id",
    "assigned_user_id",
    "type_id",
    "source_id",
];

/// One scan of the closed opportunities (from the report totals: `facts` are the
/// filter's period as buckets), grouped by every column a view groups by; the few
/// rows are folded into the total and the five views in Rust.
fn grouped(filter: &ReportFilter, actor: &Actor, facts: SelectStatement) -> SelectStatement {
    let a = |t: &str| Alias::new(t);
    let won = StageKind::Won.as_str();
    let lost = StageKind::Lost.as_str();
    let mut q = Query::select();
    for g in GROUPS {
        q.column((a("o"), a(g))).group_by_col((a("o"), a(g)));
    }
    let is_won = format!("s.kind = '{won}'");
    let is_lost = format!("s.kind = '{lost}'");
    select_sum(&mut q, "n", Some(&is_won), "won_n");
    select_sum(&mut q, "n", Some(&is_lost), "lost_n");
    q.from_subquery(facts, a("o"))
        .join_stage()
        .and_where(Expr::col((a("s"), a("kind"))).is_in([won, lost]));
    select_sum(&mut q, "est", Some(&is_won), "won_amt");
    select_sum(&mut q, "est", Some(&is_lost), "lost_amt");
    filter.apply_dimensions(&mut q, actor);
    q
}

/// Won and lost counts and amounts being added up.
#[derive(Default, Clone, Copy)]
struct Sums {
    won_n: i64,
    won: Decimal,
    lost_n: i64,
    lost: Decimal,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.won_n += o.won_n;
        self.won += o.won;
        self.lost_n += o.lost_n;
        self.lost += o.lost;
    }

    fn outcomes(&self) -> Outcomes {
        outcomes(self.won_n, self.won.normalize(), self.lost_n, self.lost.normalize())
    }
}

/// The groups of one view, most closed first; ties in a fixed order (by id, "not set"
/// last) on every backend.
fn view(sums: HashMap<Option<i32>, Sums>, titles: &HashMap<i32, (String, String)>) -> Vec<OutcomeGroup> {
    let mut out: Vec<OutcomeGroup> = sums
        .into_iter()
        .map(|(id, s)| {
            let (title_fa, title_en) = id.and_then(|i| titles.get(&i).cloned()).unwrap_or_default();
            OutcomeGroup {
                id,
                title_fa,
                title_en,
                outcomes: s.outcomes(),
            }
        })
        .collect();
    out.sort_by_key(|g| {
        (
            std::cmp::Reverse(g.outcomes.won_count + g.outcomes.lost_count),
            g.id.is_none(),
            g.id,
        )
    });
    out
}

pub async fn win_loss<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &ReportFilter) -> AppResult<WinLoss> {
    let clock = super::clock_for(db, filter).await?;
    let Names { items, people } = Names::load(db).await?;
    let q = grouped(filter, actor, super::facts(db, filter, &clock).await?);
    let mut total = Sums::default();
    let mut views: Vec<HashMap<Option<i32>, Sums>> = vec![HashMap::new(); GROUPS.len()];
    for row in db.query_all(&q).await? {
        let sums = Sums {
            won_n: row.try_get("", "won_n")?,
            won: read_money_sum(&row, "won_amt")?,
            lost_n: row.try_get("", "lost_n")?,
            lost: read_money_sum(&row, "lost_amt")?,
        };
        total.add(&sums);
        for (view, column) in views.iter_mut().zip(GROUPS) {
            view.entry(row.try_get::<Option<i32>>("", column)?)
                .or_default()
                .add(&sums);
        }
    }
    let mut views = views.into_iter();
    let mut next = |titles| view(views.next().unwrap_or_default(), titles);
    let win_reasons = next(&items).into_iter().filter(|g| g.outcomes.won_count > 0).collect();
    let loss_reasons = next(&items).into_iter().filter(|g| g.outcomes.lost_count > 0).collect();
    Ok(WinLoss {
        total: total.outcomes(),
        win_reasons,
        loss_reasons,
        by_user: next(&people),
        by_type: next(&items),
        by_source: next(&items),
    })
}
