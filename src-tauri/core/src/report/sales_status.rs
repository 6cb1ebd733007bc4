//! Report 1, the sales status chart: how the opportunities are spread over the stages
//! (count and estimated amount per stage, in stage order, empty stages included) and
//! the share of opportunities per source. From the report totals (`totals::facts`).

use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use super::ReportFilter;
use crate::domain::StageKind;
use crate::error::AppResult;
use crate::service::sql::read_money_sum;
use crate::service::totals::select_sum;
use crate::service::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StageBucket {
    pub stage_id: i32,
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
    pub count: u32,
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SourceBucket {
    pub source_id: i32,
    pub title_fa: String,
    pub title_en: String,
    pub count: u32,
    /// Share of all filtered opportunities, in percent with one decimal.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub percent: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SalesStatus {
    pub stages: Vec<StageBucket>,
    pub sources: Vec<SourceBucket>,
    pub total: u32,
}

pub async fn sales_status<C: ConnectionTrait>(db: &C, actor: &Actor, filter: &ReportFilter) -> AppResult<SalesStatus> {
    let clock = super::clock_for(db, filter).await?;
    let a = |t: &str| Alias::new(t);
    // One scan of the filtered opportunities, grouped by stage and source; every
    // stage LEFT JOINs it (the filter sits in the subquery, so empty stages still
    // show with 0). The few (stage, source) rows are folded into both views here.
    let mut inner = Query::select();
    inner
        .column((a("o"), a("stage_id")))
        .column((a("o"), a("source_id")))
        .from_subquery(super::facts(db, filter, &clock).await?, a("o"))
        .group_by_col((a("o"), a("stage_id")))
        .group_by_col((a("o"), a("source_id")));
    select_sum(&mut inner, "n", None, "n");
    select_sum(&mut inner, "est", None, "amount");
    filter.apply_dimensions(&mut inner, actor);
    let mut q = Query::select();
    q.columns([
        (a("s"), a("id")),
        (a("s"), a("title_fa")),
        (a("s"), a("title_en")),
        (a("s"), a("kind")),
    ])
    .expr_as(Expr::col((a("agg"), a("source_id"))), a("source_id"))
    .expr_as(Expr::col((a("si"), a("title_fa"))), a("source_fa"))
    .expr_as(Expr::col((a("si"), a("title_en"))), a("source_en"))
    .expr_as(Expr::cust("COALESCE(agg.n, 0)"), a("n"))
    .expr_as(Expr::cust("COALESCE(agg.amount_w, 0)"), a("amount_w"))
    .expr_as(Expr::cust("COALESCE(agg.amount_f, 0)"), a("amount_f"))
    .from_as(a("stages"), a("s"))
    .join_subquery(
        JoinType::LeftJoin,
        inner,
        a("agg"),
        Expr::col((a("agg"), a("stage_id"))).equals((a("s"), a("id"))),
    )
    .join_as(
        JoinType::LeftJoin,
        a("system_items"),
        a("si"),
        Expr::col((a("si"), a("id"))).equals((a("agg"), a("source_id"))),
    )
    .and_where(Expr::col((a("s"), a("deleted"))).eq(false))
    .and_where(match filter.pipeline_id {
        // One pipeline's funnel, or every pipeline's stages.
        Some(id) => Expr::col((a("s"), a("pipeline_id"))).eq(id),
        None => Expr::cust("TRUE"),
    })
    .and_where(Expr::cust("(s.active = TRUE OR agg.n > 0)"))
    .order_by((a("s"), a("sort_order")), Order::Asc)
    .order_by((a("s"), a("id")), Order::Asc);
    let mut stages: Vec<StageBucket> = vec![];
    let mut sources: Vec<SourceBucket> = vec![];
    let mut total = 0u32;
    for row in db.query_all(&q).await? {
        let stage_id: i32 = row.try_get("", "id")?;
        let count = row.try_get::<i64>("", "n")? as u32;
        let amount = read_money_sum(&row, "amount")?;
        total += count;
        match stages.last_mut() {
            Some(last) if last.stage_id == stage_id => {
                last.count += count;
                last.amount += amount;
            }
            _ => stages.push(StageBucket {
                stage_id,
                title_fa: row.try_get("", "title_fa")?,
                title_en: row.try_get("", "title_en")?,
                kind: StageKind::parse(&row.try_get::<String>("", "kind")?).unwrap_or(StageKind::Open),
                count,
                amount,
            }),
        }
        let Some(source_id) = row.try_get::<Option<i32>>("", "source_id")? else {
            continue;
        };
        match sources.iter_mut().find(|b| b.source_id == source_id) {
            Some(b) => b.count += count,
            None => sources.push(SourceBucket {
                source_id,
                title_fa: row.try_get("", "source_fa")?,
                title_en: row.try_get("", "source_en")?,
                count,
                percent: Decimal::ZERO,
            }),
        }
    }
    for stage in &mut stages {
        stage.amount = stage.amount.normalize();
    }
    sources.sort_by_key(|b| (std::cmp::Reverse(b.count), b.source_id));
    for b in &mut sources {
        if total > 0 {
            b.percent = (Decimal::from(b.count * 100) / Decimal::from(total)).round_dp(1);
        }
    }
    Ok(SalesStatus { stages, sources, total })
}
