//! Report 7, stage history: from the stage-history table, the average days spent in
//! each open stage and the conversion from each stage onwards.
//!
//! Time in a stage runs from the change that entered it to the next change of the
//! same opportunity. For an open opportunity still in the stage it runs to `today`
//! (the current stay counts, so a stage where opportunities get stuck shows it);
//! won and lost are where opportunities end, so no time is measured in them. Days
//! are whole calendar days (a stage entered and left on one day counts 0).
//!
//! Conversion: of the filtered opportunities that ever entered a stage, the share
//! that later entered a stage further on in stage order (won included, lost not),
//! and the share that reached won.

use migration::m20261207_000010_stage_flows::day_number;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use specta::Type;

use chrono::NaiveDate;

use super::ReportFilter;
use crate::domain::StageKind;
use crate::error::AppResult;
use crate::service::Actor;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StageFlow {
    pub stage_id: i32,
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
    /// Stays measured (an opportunity that came back to a stage stays twice).
    pub stays: u32,
    /// Average days per stay, one decimal; None when no stay (and for won / lost).
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub average_days: Option<Decimal>,
    /// Opportunities that entered the stage.
    pub entered: u32,
    /// Of those, how many went on to a later stage (by stage order, lost excluded).
    pub advanced: u32,
    pub won: u32,
    /// advanced / entered and won / entered in percent, one decimal; None when none entered.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub advanced_rate: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    #[specta(type = Option<String>)]
    pub won_rate: Option<Decimal>,
}

fn percent(part: i64, whole: i64) -> Option<Decimal> {
    (whole > 0).then(|| {
        (Decimal::from(part * 100) / Decimal::from(whole))
            .round_dp(1)
            .normalize()
    })
}

pub async fn stage_history<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &ReportFilter,
    today: NaiveDate,
) -> AppResult<Vec<StageFlow>> {
    let clock = super::clock_for(db, filter).await?;
    let a = |t: &str| Alias::new(t);
    let backend = db.get_database_backend();
    let open = StageKind::Open.as_str();
    let today_number = (today - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days();
    let agg = match crate::service::totals::flow_facts(db, &clock, filter.from, filter.to).await? {
        Some(facts) => {
            // The kept stage flows: a current stay counts to today.
            let mut agg = Query::select();
            let sum = |expr: String| Expr::cust(format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)"));
            agg.expr_as(Expr::cust("o.flow_stage_id"), a("stage_id"))
                .expr_as(sum(format!("CASE WHEN ss.kind = '{open}' THEN o.stays ELSE 0 END")), a("stays"))
                .expr_as(
                    sum(format!(
                        "CASE WHEN ss.kind = '{open}' THEN o.days_closed + o.cur_n * {today_number} - o.cur_day ELSE 0 END"
                    )),
                    a("days"),
                )
                .expr_as(sum("o.n".into()), a("entered"))
                .expr_as(sum("o.advanced".into()), a("advanced"))
                .expr_as(sum("o.won".into()), a("won"))
                .from_subquery(facts, a("o"))
                .join_as(
                    JoinType::InnerJoin,
                    a("stages"),
                    a("ss"),
                    Expr::col((a("ss"), a("id"))).equals((a("o"), a("flow_stage_id"))),
                )
                .add_group_by([Expr::cust("o.flow_stage_id")]);
            filter.apply_dimensions(&mut agg, actor);
            agg
        }
        None => from_history(backend, actor, filter, &clock, today_number),
    };
    flows(db, agg).await
}

/// The per-stage figures walked from the history itself (when the kept stage flows
/// are not there: being rebuilt after the stages changed, or another time zone).
fn from_history(
    backend: sea_orm::DbBackend,
    actor: &Actor,
    filter: &ReportFilter,
    clock: &crate::clock::Clock,
    today_number: i64,
) -> SelectStatement {
    let a = |t: &str| Alias::new(t);
    let open = StageKind::Open.as_str();
    let won = StageKind::Won.as_str();
    let lost = StageKind::Lost.as_str();

    // One pass over the filtered history, in each opportunity's order: every entry
    // into a stage with the moment the opportunity left it (LEAD), and — over the
    // whole of the opportunity's history — the furthest stage order it reached
    // (lost aside) and whether it was won. One window, so one sort.
    let window = "PARTITION BY h.opportunity_id ORDER BY h.changed_at, h.id";
    let whole = format!("{window} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING");
    let mut stays = Query::select();
    stays
        .column((a("h"), a("opportunity_id")))
        .expr_as(Expr::col((a("h"), a("to_stage_id"))), a("stage_id"))
        .expr_as(Expr::cust(day_number(backend, "h.changed_at")), a("entered_day"))
        .expr_as(
            Expr::cust(day_number(backend, &format!("LEAD(h.changed_at) OVER ({window})"))),
            a("left_day"),
        )
        .expr_as(
            Expr::cust(format!(
                "MAX(CASE WHEN rs.kind <> '{lost}' THEN rs.sort_order END) OVER ({whole})"
            )),
            a("furthest"),
        )
        .expr_as(
            Expr::cust(format!(
                "MAX(CASE WHEN rs.kind = '{won}' THEN 1 ELSE 0 END) OVER ({whole})"
            )),
            a("won"),
        )
        .from_as(a("stage_history"), a("h"))
        .join_as(
            JoinType::InnerJoin,
            a("stages"),
            a("rs"),
            Expr::col((a("rs"), a("id"))).equals((a("h"), a("to_stage_id"))),
        )
        .join_as(
            JoinType::InnerJoin,
            a("opportunities"),
            a("o"),
            Expr::col((a("o"), a("id"))).equals((a("h"), a("opportunity_id"))),
        );
    filter.apply(&mut stays, actor, clock);
    let days = format!("COALESCE(st.left_day, {today_number}) - st.entered_day");
    // Per stage: time is measured in open stages only; an opportunity counts once
    // per stage it entered, however often it came back.
    let mut agg = Query::select();
    agg.expr_as(Expr::cust("st.stage_id"), a("stage_id"))
        .expr_as(
            Expr::cust(format!("SUM(CASE WHEN ss.kind = '{open}' THEN 1 ELSE 0 END)")),
            a("stays"),
        )
        .expr_as(
            Expr::cust(format!(
                "CAST(COALESCE(SUM(CASE WHEN ss.kind = '{open}' THEN {days} END), 0) AS BIGINT)"
            )),
            a("days"),
        )
        .expr_as(Expr::cust("COUNT(DISTINCT st.opportunity_id)"), a("entered"))
        .expr_as(
            Expr::cust("COUNT(DISTINCT CASE WHEN st.furthest > ss.sort_order THEN st.opportunity_id END)"),
            a("advanced"),
        )
        .expr_as(
            Expr::cust("COUNT(DISTINCT CASE WHEN st.won = 1 THEN st.opportunity_id END)"),
            a("won"),
        )
        .from_subquery(stays, a("st"))
        .join_as(
            JoinType::InnerJoin,
            a("stages"),
            a("ss"),
            Expr::col((a("ss"), a("id"))).equals((a("st"), a("stage_id"))),
        )
        .add_group_by([Expr::cust("st.stage_id")]);
    agg
}

/// Every stage in order with the per-stage figures of `agg` (`stage_id`, `stays`,
/// `days`, `entered`, `advanced`, `won`) LEFT JOINed: empty stages show zeros.
async fn flows<C: ConnectionTrait>(db: &C, agg: SelectStatement) -> AppResult<Vec<StageFlow>> {
    let a = |t: &str| Alias::new(t);
    let mut q = Query::select();
    q.columns([
        (a("s"), a("id")),
        (a("s"), a("title_fa")),
        (a("s"), a("title_en")),
        (a("s"), a("kind")),
    ])
    .expr_as(Expr::cust("COALESCE(t.stays, 0)"), a("stays"))
    .expr_as(Expr::cust("COALESCE(t.days, 0)"), a("days"))
    .expr_as(Expr::cust("COALESCE(t.entered, 0)"), a("entered"))
    .expr_as(Expr::cust("COALESCE(t.advanced, 0)"), a("advanced"))
    .expr_as(Expr::cust("COALESCE(t.won, 0)"), a("won"))
    .from_as(a("stages"), a("s"))
    .join_subquery(
        JoinType::LeftJoin,
        agg,
        a("t"),
        Expr::col((a("t"), a("stage_id"))).equals((a("s"), a("id"))),
    )
    .and_where(Expr::col((a("s"), a("deleted"))).eq(false))
    .and_where(Expr::cust("(s.active = TRUE OR t.entered > 0)"))
    .order_by((a("s"), a("sort_order")), Order::Asc)
    .order_by((a("s"), a("id")), Order::Asc);

    let mut out = vec![];
    for row in db.query_all(&q).await? {
        let kind = StageKind::parse(&row.try_get::<String>("", "kind")?).unwrap_or(StageKind::Open);
        let stays: i64 = row.try_get("", "stays")?;
        let days: i64 = row.try_get("", "days")?;
        let entered: i64 = row.try_get("", "entered")?;
        let advanced: i64 = row.try_get("", "advanced")?;
        let won: i64 = row.try_get("", "won")?;
        out.push(StageFlow {
            stage_id: row.try_get("", "id")?,
            title_fa: row.try_get("", "title_fa")?,
            title_en: row.try_get("", "title_en")?,
            kind,
            stays: stays as u32,
            average_days: (stays > 0).then(|| (Decimal::from(days) / Decimal::from(stays)).round_dp(1).normalize()),
            entered: entered as u32,
            advanced: advanced as u32,
            won: won as u32,
            advanced_rate: if kind == StageKind::Open {
                percent(advanced, entered)
            } else {
                None
            },
            won_rate: percent(won, entered),
        });
    }
    Ok(out)
}
