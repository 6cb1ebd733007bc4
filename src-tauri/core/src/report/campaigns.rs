//! Report 3, campaigns: per campaign, the filtered opportunities created in it, their
//! estimated amount, how many were won and for how much, what was invoiced on them
//! (approved invoices) and, against the campaign's cost, the won amount per unit of
//! cost. Campaigns without opportunities in the period are listed while active, so
//! a campaign that brought nothing still shows (with its cost).

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::ReportFilter;
use crate::domain::{from_storage, FinancialKind, RecordStatus, StageKind};
use crate::error::AppResult;
use crate::service::sql::JoinStage;
use crate::service::sql::{read_money_sum, select_money_sum};
use crate::service::totals::select_sum;
use crate::service::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CampaignRow {
    pub campaign_id: i32,
    pub name: String,
    pub active: bool,
    pub created_count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub estimated_amount: Decimal,
    pub won_count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub won_amount: Decimal,
    /// Approved invoices on the campaign's filtered opportunities.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub invoiced_amount: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub cost: Decimal,
    /// Won amount ÷ cost with two decimals; None when the campaign has no cost.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub won_per_cost: Option<Decimal>,
}

pub async fn campaigns<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
) -> AppResult<Vec<CampaignRow>> {
    let clock = super::clock_for(db, filter).await?;
    let a = |t: &str| Alias::new(t);
    let won = StageKind::Won.as_str();

    // Opportunities per campaign, from the report totals (the filter and visibility
    // inside the subquery).
    let is_won = format!("s.kind = '{won}'");
    let mut inner = Query::select();
    inner
        .expr_as(Expr::col((a("o"), a("campaign_id"))), a("campaign_id"))
        .from_subquery(super::facts(db, filter, &clock).await?, a("o"))
        .join_stage()
        .and_where(Expr::col((a("o"), a("campaign_id"))).is_not_null())
        .group_by_col((a("o"), a("campaign_id")));
    select_sum(&mut inner, "n", None, "n");
    select_sum(&mut inner, "n", Some(&is_won), "won_n");
    select_sum(&mut inner, "est", None, "amt");
    select_sum(&mut inner, "est", Some(&is_won), "won_amt");
    filter.apply_dimensions(&mut inner, actor);

    let mut q = Query::select();
    q.columns([
        (a("c"), a("id")),
        (a("c"), a("name")),
        (a("c"), a("cost")),
        (a("c"), a("active")),
    ])
    .expr_as(Expr::cust("COALESCE(agg.n, 0)"), a("n"))
    .expr_as(Expr::cust("COALESCE(agg.won_n, 0)"), a("won_n"));
    for col in ["amt_w", "amt_f", "won_amt_w", "won_amt_f"] {
        q.expr_as(Expr::cust(format!("COALESCE(agg.{col}, 0)")), a(col));
    }
    q.from_as(a("campaigns"), a("c"))
        .join_subquery(
            JoinType::LeftJoin,
            inner,
            a("agg"),
            Expr::col((a("agg"), a("campaign_id"))).equals((a("c"), a("id"))),
        )
        .and_where(Expr::cust("(c.active = TRUE OR agg.n > 0)"))
        .order_by_expr(Expr::cust("COALESCE(agg.n, 0)"), Order::Desc)
        .order_by((a("c"), a("name")), Order::Asc)
        .order_by((a("c"), a("id")), Order::Asc);
    if let Some(id) = filter.campaign_id {
        q.and_where(Expr::col((a("c"), a("id"))).eq(id));
    }

    // Approved invoices on those opportunities, per campaign.
    let mut inv = Query::select();
    inv.expr_as(Expr::col((a("o"), a("campaign_id"))), a("campaign_id"))
        .from_as(a("financial_records"), a("f"))
        .join_as(
            JoinType::InnerJoin,
            a("opportunities"),
            a("o"),
            Expr::col((a("o"), a("id"))).equals((a("f"), a("opportunity_id"))),
        )
        .and_where(Expr::col((a("f"), a("kind"))).eq(FinancialKind::Invoice.as_str()))
        .and_where(Expr::col((a("f"), a("status"))).eq(RecordStatus::Approved.as_str()))
        .and_where(Expr::col((a("o"), a("campaign_id"))).is_not_null())
        .group_by_col((a("o"), a("campaign_id")));
    select_money_sum(&mut inv, "f.amount", "inv");
    filter.apply(&mut inv, actor, &clock);
    let mut invoiced: HashMap<i32, Decimal> = HashMap::new();
    for row in db.query_all(&inv).await? {
        invoiced.insert(row.try_get("", "campaign_id")?, read_money_sum(&row, "inv")?);
    }

    let mut out = vec![];
    for row in db.query_all(&q).await? {
        let id: i32 = row.try_get("", "id")?;
        let cost = from_storage(row.try_get("", "cost")?);
        let won_amount = read_money_sum(&row, "won_amt")?;
        out.push(CampaignRow {
            campaign_id: id,
            name: row.try_get("", "name")?,
            active: row.try_get("", "active")?,
            created_count: row.try_get::<i64>("", "n")? as u32,
            estimated_amount: read_money_sum(&row, "amt")?,
            won_count: row.try_get::<i64>("", "won_n")? as u32,
            won_amount,
            invoiced_amount: invoiced.get(&id).copied().unwrap_or_default(),
            cost,
            won_per_cost: (cost > Decimal::ZERO).then(|| (won_amount / cost).round_dp(2).normalize()),
        });
    }
    Ok(out)
}
