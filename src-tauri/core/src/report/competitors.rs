//! Report 5, competitors: per competitor (an identity named on opportunities), the
//! filtered opportunities where it appeared, how many of them are still open, won
//! and lost, and the win rate against it (won ÷ (won + lost)).

use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::ReportFilter;
use crate::domain::StageKind;
use crate::error::AppResult;
use crate::service::sql::JoinStage;
use crate::service::sql::{read_money_sum, select_money_sum};
use crate::service::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CompetitorRow {
    pub competitor_id: i32,
    pub name: String,
    /// Opportunities where the competitor appeared.
    pub count: u32,
    pub open_count: u32,
    pub won_count: u32,
    pub lost_count: u32,
    /// Estimated amount of those opportunities.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
    /// won / (won + lost) in percent with one decimal; None when none closed.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub win_rate: Option<Decimal>,
}

pub async fn competitors<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
) -> AppResult<Vec<CompetitorRow>> {
    let clock = super::clock_for(db, filter).await?;
    let a = |t: &str| Alias::new(t);
    let count_of =
        |kind: StageKind| Expr::cust(format!("SUM(CASE WHEN s.kind = '{}' THEN 1 ELSE 0 END)", kind.as_str()));
    let mut q = Query::select();
    q.expr_as(Expr::col((a("c"), a("competitor_id"))), a("competitor_id"))
        .expr_as(Expr::col((a("i"), a("display_name"))), a("name"))
        .expr_as(Expr::cust("COUNT(DISTINCT o.id)"), a("n"))
        .expr_as(count_of(StageKind::Open), a("open_n"))
        .expr_as(count_of(StageKind::Won), a("won_n"))
        .expr_as(count_of(StageKind::Lost), a("lost_n"))
        .from_as(a("opportunity_competitors"), a("c"))
        .join_as(
            JoinType::InnerJoin,
            a("opportunities"),
            a("o"),
            Expr::col((a("o"), a("id"))).equals((a("c"), a("opportunity_id"))),
        )
        .join_stage()
        .join_as(
            JoinType::InnerJoin,
            a("identities"),
            a("i"),
            Expr::col((a("i"), a("id"))).equals((a("c"), a("competitor_id"))),
        )
        .group_by_col((a("c"), a("competitor_id")))
        .group_by_col((a("i"), a("display_name")))
        .order_by_expr(Expr::cust("COUNT(DISTINCT o.id)"), Order::Desc)
        .order_by((a("i"), a("display_name")), Order::Asc)
        .order_by((a("c"), a("competitor_id")), Order::Asc);
    select_money_sum(&mut q, "o.estimated_amount", "amt");
    filter.apply(&mut q, actor, &clock);
    let mut out = vec![];
    for row in db.query_all(&q).await? {
        let won: i64 = row.try_get("", "won_n")?;
        let lost: i64 = row.try_get("", "lost_n")?;
        out.push(CompetitorRow {
            competitor_id: row.try_get("", "competitor_id")?,
            name: row.try_get("", "name")?,
            count: row.try_get::<i64>("", "n")? as u32,
            open_count: row.try_get::<i64>("", "open_n")? as u32,
            won_count: won as u32,
            lost_count: lost as u32,
            amount: read_money_sum(&row, "amt")?,
            win_rate: (won + lost > 0).then(|| {
                (Decimal::from(won * 100) / Decimal::from(won + lost))
                    .round_dp(1)
                    .normalize()
            }),
        });
    }
    Ok(out)
}
