//! The report totals (`opportunity_totals`, migration `m20261205_000009_report_totals`):
//! counts and money sums per bucket, kept by the database's triggers in the same
//! transaction as every write, so that a report adds up a few thousand buckets instead
//! of reading a million rows.
//!
//! - [`rebuild`] computes the periods of the configured time zone and every bucket from
//!   the rows ([`ensure`] does it when the zone the totals were built for is not the
//!   configured one: a new database, an older backup, a changed time zone).
//! - [`facts`] is what the reports read instead of `opportunities o`: the buckets of the
//!   whole periods inside the asked dates, plus the rows of the days at either edge
//!   that do not fill a period, in the same columns — or, when the totals are not
//!   built for the configured zone, only the rows. Either way the answer is exact.
//! - [`verify`] recomputes the buckets from the rows and lists every difference
//!   (`forsat check-totals`; tests compare after random writes).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use migration::m20261205_000009_report_totals::{
    close_period_of, columns, grouped_sql, CLOSE_PERIOD, DIMENSIONS, MEASURES,
};
use migration::m20261207_000010_stage_flows::{
    days_to, duration_cube, flow_cube, flows_sql, realized_sql, rebuild_statements, FLOW_DIMENSIONS, FLOW_MEASURES,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait, Value};
use serde::Serialize;
use specta::Type;

use crate::clock::Clock;
use crate::domain::jalali;
use crate::domain::validate::{date_max, date_min};
use crate::error::{AppError, AppResult};

/// The periods for `clock`: the first day of every Gregorian and every Jalali month
/// from 1900 to 2200, with the instant it starts at (midnight in the clock's zone), in
/// order.
pub fn period_starts(clock: &Clock) -> Vec<(NaiveDate, DateTime<Utc>)> {
    let mut days: Vec<NaiveDate> = vec![];
    let (first, last) = (date_min(), date_max());
    for year in first.year()..=last.year() + 1 {
        for month in 1..=12 {
            days.extend(NaiveDate::from_ymd_opt(year, month, 1));
        }
    }
    let (jy_first, _, _) = jalali::from_gregorian(first);
    let (jy_last, _, _) = jalali::from_gregorian(last);
    for jy in jy_first..=jy_last + 1 {
        for jm in 1..=12 {
            days.extend(jalali::to_gregorian(jy, jm, 1));
        }
    }
    days.retain(|d| *d >= first);
    days.sort();
    days.dedup();
    let mut starts: Vec<(NaiveDate, DateTime<Utc>)> = days.into_iter().map(|d| (d, clock.day_start(d))).collect();
    starts.dedup_by_key(|(_, at)| *at);
    starts
}

/// Rebuilds the periods for `clock`'s zone and every bucket from the rows. On a team
/// server through `forsat_rebuild_totals` (its owner, or an administrator changing the
/// time zone); nobody else may write the totals.
pub async fn rebuild<C: ConnectionTrait + TransactionTrait>(db: &C, clock: &Clock) -> AppResult<()> {
    let starts = period_starts(clock);
    let zone = clock.zone().name().to_owned();
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        let instants = starts
            .iter()
            .map(|(_, at)| at.format("%Y-%m-%d %H:%M:%S+00").to_string())
            .collect::<Vec<_>>()
            .join(",");
        let days = starts
            .iter()
            .map(|(day, _)| day.format("%Y-%m-%d").to_string())
            .collect::<Vec<_>>()
            .join(",");
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT forsat_rebuild_totals($1, $2, $3)",
            [Value::from(zone), Value::from(instants), Value::from(days)],
        ))
        .await?;
        // The stage flows' buckets are keyed by the periods just written.
        return rebuild_flows(db, clock).await;
    }
    let txn = crate::service::begin(db).await?;
    txn.execute_unprepared("DELETE FROM report_periods").await?;
    for (i, chunk) in starts.chunks(500).enumerate() {
        let mut q = Query::insert();
        q.into_table(Alias::new("report_periods")).columns([
            Alias::new("id"),
            Alias::new("start_at"),
            Alias::new("start_on"),
        ]);
        for (j, (day, start)) in chunk.iter().enumerate() {
            let id = i32::try_from(i * 500 + j + 1).map_err(|_| AppError::internal("too many periods"))?;
            q.values_panic([Expr::val(id), Expr::val(*start), Expr::val(*day)]);
        }
        txn.execute(&q).await?;
    }
    txn.execute_unprepared("DELETE FROM opportunity_totals").await?;
    txn.execute_unprepared(&format!(
        "INSERT INTO opportunity_totals ({}) {}",
        columns(),
        grouped_sql(backend)
    ))
    .await?;
    txn.execute_unprepared("DELETE FROM report_totals_state").await?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO report_totals_state (zone) VALUES (?)",
        [Value::from(zone)],
    ))
    .await?;
    txn.commit().await?;
    rebuild_flows(db, clock).await
}

/// Rebuilds the stage flows (`opportunity_stage_flows`, `stage_flow_totals`, migration
/// `m20261207_000010_stage_flows`) from the history, keyed by the periods of
/// `clock`'s zone. On a team server through `forsat_rebuild_stage_flows` (its owner,
/// or an administrator editing the stages).
pub async fn rebuild_flows<C: ConnectionTrait + TransactionTrait>(db: &C, clock: &Clock) -> AppResult<()> {
    let zone = clock.zone().name().to_owned();
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT forsat_rebuild_stage_flows($1)",
            [Value::from(zone)],
        ))
        .await?;
        return Ok(());
    }
    let txn = crate::service::begin(db).await?;
    // Without the state the triggers stay out of the rebuild.
    txn.execute_unprepared("DELETE FROM stage_flows_state").await?;
    for stmt in rebuild_statements(backend) {
        txn.execute_unprepared(&stmt).await?;
    }
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO stage_flows_state (zone) VALUES (?)",
        [Value::from(zone)],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The zone the stage flows were built for, if they are kept (a changed stage order
/// or kind drops them until rebuilt).
pub async fn flows_built_for<C: ConnectionTrait>(db: &C) -> AppResult<Option<String>> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT zone FROM stage_flows_state",
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<String>("", "zone")).transpose()?)
}

/// Whether the stage flows are kept for `clock`'s zone (else the stage-history report
/// walks the history).
pub async fn flows_kept_for<C: ConnectionTrait>(db: &C, clock: &Clock) -> AppResult<bool> {
    Ok(flows_built_for(db).await?.as_deref() == Some(clock.zone().name()))
}

/// The zone the totals were built for, if they were.
pub async fn built_for<C: ConnectionTrait>(db: &C) -> AppResult<Option<String>> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT zone FROM report_totals_state",
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<String>("", "zone")).transpose()?)
}

/// The period `day` lies in: its id and its first day (None before the first one).
pub async fn period_holding<C: ConnectionTrait>(db: &C, day: NaiveDate) -> AppResult<Option<(i32, NaiveDate)>> {
    let mut q = Query::select();
    q.columns([Alias::new("id"), Alias::new("start_on")])
        .from(Alias::new("report_periods"))
        .and_where(Expr::col(Alias::new("start_on")).lte(day))
        .order_by(Alias::new("start_on"), sea_orm::sea_query::Order::Desc)
        .limit(1);
    match db.query_one(&q).await? {
        Some(row) => Ok(Some((row.try_get("", "id")?, row.try_get("", "start_on")?))),
        None => Ok(None),
    }
}

/// Whether the totals are built for `clock`'s zone (else every reader takes the rows).
pub async fn kept_for<C: ConnectionTrait>(db: &C, clock: &Clock) -> AppResult<bool> {
    Ok(built_for(db).await?.as_deref() == Some(clock.zone().name()))
}

/// Rebuilds the totals unless they are built for `clock`'s zone (the configured one:
/// `seed::reference::ensure` and a settings save that changes it call this).
pub async fn ensure<C: ConnectionTrait + TransactionTrait>(db: &C, clock: &Clock) -> AppResult<()> {
    if !kept_for(db, clock).await? {
        rebuild(db, clock).await?;
    } else if !flows_kept_for(db, clock).await? {
        rebuild_flows(db, clock).await?;
    }
    Ok(())
}

/// One bucket that differs between the totals and the rows.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TotalsMismatch {
    pub key: String,
    /// `[n, est_w, est_f, exp_w, exp_f]` as kept, and as computed from the rows.
    pub kept: Option<Vec<String>>,
    pub computed: Option<Vec<String>>,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TotalsCheck {
    /// The zone the totals are built for (None: not built; the reports read the rows).
    pub zone: Option<String>,
    pub buckets: u32,
    /// The zone the stage flows and the close durations are built for (None: not kept;
    /// those reports read the history and the rows), and their buckets.
    pub flows_zone: Option<String>,
    pub flow_buckets: u32,
    /// Differences in the totals' buckets (keyed as kept), in the stage flows (keyed
    /// `flow opportunity|stage`), their buckets (`flow bucket …`) and the close
    /// durations' (`duration bucket …`).
    pub mismatches: Vec<TotalsMismatch>,
}

type Keyed = BTreeMap<String, Vec<i64>>;

/// The rows of `sql` by the text key `key` (an expression over `b`), with `measures`.
async fn keyed<C: ConnectionTrait>(db: &C, sql: &str, key: &str, measures: &[&str]) -> AppResult<Keyed> {
    let cast = measures
        .iter()
        .map(|m| format!("CAST(COALESCE(b.{m}, -1) AS BIGINT) AS {m}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT {key} AS k, {cast} FROM ({sql}) b"),
        ))
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let key: String = row.try_get("", "k")?;
        let values = measures
            .iter()
            .map(|m| row.try_get::<i64>("", m))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(key, values);
    }
    Ok(out)
}

/// Every key where `kept` and `computed` differ, named `prefix` and the key.
fn differences(prefix: &str, kept: &Keyed, computed: &Keyed, out: &mut Vec<TotalsMismatch>) {
    let show = |v: Option<&Vec<i64>>| v.map(|v| v.iter().map(i64::to_string).collect());
    for key in kept.keys().chain(computed.keys().filter(|k| !kept.contains_key(*k))) {
        let (a, b) = (kept.get(key), computed.get(key));
        if a != b {
            out.push(TotalsMismatch {
                key: format!("{prefix}{key}"),
                kept: show(a),
                computed: show(b),
            });
        }
    }
}

/// Recomputes every bucket from the rows and compares it with the kept totals; where
/// the stage flows are kept, every flow row from the history and every flow bucket
/// from the flow rows too.
pub async fn verify<C: ConnectionTrait>(db: &C) -> AppResult<TotalsCheck> {
    let backend = db.get_database_backend();
    let kept = keyed(db, "SELECT * FROM opportunity_totals", "b.k", &MEASURES).await?;
    let computed = keyed(db, &grouped_sql(backend), "b.k", &MEASURES).await?;
    let mut mismatches = vec![];
    differences("", &kept, &computed, &mut mismatches);
    // Every opportunity's realized sum, kept always (the list reads it).
    let off = db
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM opportunities o WHERE o.realized_amount <> {}",
                realized_sql("o")
            ),
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if off > 0 {
        mismatches.push(TotalsMismatch {
            key: "realized sums".into(),
            kept: Some(vec![off.to_string()]),
            computed: Some(vec!["0".into()]),
        });
    }
    let flows_zone = flows_built_for(db).await?;
    let mut flow_buckets = 0;
    if flows_zone.is_some() {
        let key = "CAST(b.opportunity_id AS TEXT) || '|' || CAST(b.flow_stage_id AS TEXT)";
        let mut flow_values: Vec<&str> = FLOW_DIMENSIONS.to_vec();
        flow_values.extend(FLOW_MEASURES);
        let kept = keyed(db, "SELECT * FROM opportunity_stage_flows", key, &flow_values).await?;
        let computed = keyed(db, &flows_sql(backend, "1 = 1"), key, &flow_values).await?;
        differences("flow ", &kept, &computed, &mut mismatches);
        for (name, cube, source) in [
            ("flow bucket ", flow_cube(), "opportunity_stage_flows"),
            ("duration bucket ", duration_cube(backend), "opportunities"),
        ] {
            let measures = cube.measure_names();
            let kept = keyed(db, &format!("SELECT * FROM {}", cube.table), "b.k", &measures).await?;
            let computed = keyed(db, &cube.grouped_sql(source), "b.k", &measures).await?;
            differences(name, &kept, &computed, &mut mismatches);
            flow_buckets += u32::try_from(kept.len()).unwrap_or(u32::MAX);
        }
        let moved = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM opportunity_stage_flows f \
                 JOIN opportunities o ON o.id = f.opportunity_id WHERE f.created_at <> o.created_at",
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if moved > 0 {
            mismatches.push(TotalsMismatch {
                key: "flow created_at".into(),
                kept: Some(vec![moved.to_string()]),
                computed: Some(vec!["0".into()]),
            });
        }
    }
    Ok(TotalsCheck {
        zone: built_for(db).await?,
        buckets: u32::try_from(kept.len()).unwrap_or(u32::MAX),
        flows_zone,
        flow_buckets,
        mismatches,
    })
}

/// The columns [`facts`] yields: every dimension, then the measures.
fn facts_part(from_totals: bool) -> SelectStatement {
    let mut q = Query::select();
    for d in DIMENSIONS {
        q.column((Alias::new("o"), Alias::new(d)));
    }
    if from_totals {
        q.column((Alias::new("o"), Alias::new(CLOSE_PERIOD)));
    } else {
        q.expr_as(Expr::cust(close_period_of("o")), Alias::new(CLOSE_PERIOD));
    }
    if from_totals {
        for m in MEASURES {
            q.column((Alias::new("o"), Alias::new(m)));
        }
        q.from_as(Alias::new("opportunity_totals"), Alias::new("o"));
    } else {
        for (sql, m) in [
            ("1", "n"),
            ("o.estimated_amount / 10000", "est_w"),
            ("o.estimated_amount % 10000", "est_f"),
            ("(o.estimated_amount / 10000) * o.probability", "exp_w"),
            ("(o.estimated_amount % 10000) * o.probability", "exp_f"),
        ] {
            q.expr_as(Expr::cust(format!("CAST({sql} AS BIGINT)")), Alias::new(m));
        }
        q.from_as(Alias::new("opportunities"), Alias::new("o"));
    }
    q
}

/// The stage flows' columns as [`flow_facts`] yields them: the dimensions, the flow
/// stage, then `n` and the measures, from the buckets or from the flow rows.
fn flow_part(from_buckets: bool) -> SelectStatement {
    let mut q = Query::select();
    for d in FLOW_DIMENSIONS.iter().chain(["flow_stage_id"].iter()) {
        q.column((Alias::new("o"), Alias::new(*d)));
    }
    if from_buckets {
        q.column((Alias::new("o"), Alias::new("n")));
        q.from_as(Alias::new("stage_flow_totals"), Alias::new("o"));
    } else {
        q.expr_as(Expr::cust("CAST(1 AS BIGINT)"), Alias::new("n"));
        q.from_as(Alias::new("opportunity_stage_flows"), Alias::new("o"));
    }
    for m in FLOW_MEASURES {
        q.column((Alias::new("o"), Alias::new(m)));
    }
    q
}

/// `part`'s rows (never its buckets) created from `from` until `until`.
fn rows_between(
    part: &(dyn Fn(bool) -> SelectStatement + Sync),
    from: Option<Expr>,
    until: Option<Expr>,
) -> SelectStatement {
    let mut q = part(false);
    let created = || Expr::col((Alias::new("o"), Alias::new("created_at")));
    if let Some(f) = from {
        q.and_where(created().gte(f));
    }
    if let Some(u) = until {
        q.and_where(created().lt(u));
    }
    q
}

fn period_start(id: i32) -> Expr {
    // An id read from `report_periods`, never user text.
    Expr::cust(format!("(SELECT start_at FROM report_periods WHERE id = {id})"))
}

/// The opportunities created from `from` to `to` (days by `clock`), as buckets
/// (`n`, `est_w`, `est_f`, `exp_w`, `exp_f` beside the dimensions): what a report
/// selects `FROM … AS o` instead of the rows. Sum the measures, never count.
pub async fn facts<C: ConnectionTrait>(
    db: &C,
    clock: &Clock,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<SelectStatement> {
    let (from, until) = clock.day_range(from, to);
    if !kept_for(db, clock).await? {
        return Ok(rows_between(&facts_part, from.map(Expr::val), until.map(Expr::val)));
    }
    whole_periods_and_edges(db, &facts_part, from, until).await
}

/// The stage flows of the opportunities created from `from` to `to`, like [`facts`]
/// (the flow rows' dimensions, `flow_stage_id`, `n` and [`FLOW_MEASURES`]); None when
/// they are not kept for `clock`'s zone.
pub async fn flow_facts<C: ConnectionTrait>(
    db: &C,
    clock: &Clock,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<Option<SelectStatement>> {
    if !flows_kept_for(db, clock).await? {
        return Ok(None);
    }
    let (from, until) = clock.day_range(from, to);
    Ok(Some(whole_periods_and_edges(db, &flow_part, from, until).await?))
}

/// The closed opportunities (a win or a loss day) created from `from` to `to`, like
/// [`facts`]: the dimensions of the flows, `won_days`, `lost_days` (days from creation
/// to the win, to the loss) and `n`; None when they are not kept for `clock`'s zone.
pub async fn duration_facts<C: ConnectionTrait>(
    db: &C,
    clock: &Clock,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<Option<SelectStatement>> {
    if !flows_kept_for(db, clock).await? {
        return Ok(None);
    }
    let backend = db.get_database_backend();
    let part = |from_buckets: bool| {
        let mut q = Query::select();
        for d in FLOW_DIMENSIONS {
            q.column((Alias::new("o"), Alias::new(d)));
        }
        if from_buckets {
            for c in ["won_days", "lost_days", "n"] {
                q.column((Alias::new("o"), Alias::new(c)));
            }
            q.from_as(Alias::new(duration_cube(backend).table), Alias::new("o"));
        } else {
            q.expr_as(Expr::cust(days_to(backend, "o", "won_on")), Alias::new("won_days"))
                .expr_as(Expr::cust(days_to(backend, "o", "lost_on")), Alias::new("lost_days"))
                .expr_as(Expr::cust("CAST(1 AS BIGINT)"), Alias::new("n"))
                .from_as(Alias::new("opportunities"), Alias::new("o"))
                .and_where(Expr::cust("(o.won_on IS NOT NULL OR o.lost_on IS NOT NULL)"));
        }
        q
    };
    let (from, until) = clock.day_range(from, to);
    Ok(Some(whole_periods_and_edges(db, &part, from, until).await?))
}

/// The buckets of `part` in the periods wholly from `from` until `until`, and its rows
/// in the days at either edge that do not fill a period.
async fn whole_periods_and_edges<C: ConnectionTrait>(
    db: &C,
    part: &(dyn Fn(bool) -> SelectStatement + Sync),
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> AppResult<SelectStatement> {
    let backend = db.get_database_backend();
    let id_where = |sql: &str, at: DateTime<Utc>| Statement::from_sql_and_values(backend, sql, [Value::from(at)]);
    let fix = |sql: &str| {
        if backend == DbBackend::Postgres {
            sql.replace('?', "$1")
        } else {
            sql.to_owned()
        }
    };
    // The first period starting at or after `from`, and the last starting at or before
    // `until`: the periods between them lie wholly inside the dates.
    let first = match from {
        None => Some(i32::MIN),
        Some(at) => db
            .query_one_raw(id_where(
                &fix("SELECT MIN(id) AS id FROM report_periods WHERE start_at >= ?"),
                at,
            ))
            .await?
            .and_then(|r| r.try_get::<Option<i32>>("", "id").ok().flatten()),
    };
    let last = match until {
        None => Some(i32::MAX),
        Some(at) => db
            .query_one_raw(id_where(
                &fix("SELECT MAX(id) AS id FROM report_periods WHERE start_at <= ?"),
                at,
            ))
            .await?
            .and_then(|r| r.try_get::<Option<i32>>("", "id").ok().flatten()),
    };
    let rows = || rows_between(part, from.map(Expr::val), until.map(Expr::val));
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(rows());
    };
    if first >= last {
        return Ok(rows());
    }
    let mut q = part(true);
    let period = || Expr::col((Alias::new("o"), Alias::new("period_id")));
    if first > i32::MIN {
        q.and_where(period().gte(first));
    }
    if last < i32::MAX {
        q.and_where(period().lt(last));
    }
    if let Some(f) = from {
        q.union(
            UnionType::All,
            rows_between(part, Some(Expr::val(f)), Some(period_start(first))),
        );
    }
    if let Some(u) = until {
        q.union(
            UnionType::All,
            rows_between(part, Some(period_start(last)), Some(Expr::val(u))),
        );
    }
    Ok(q)
}

/// `SUM` of a measure of [`facts`] (`n`, or a money measure `est` / `exp` as its two
/// parts `{alias}_w`, `{alias}_f` for `service::sql::read_money_sum`), optionally only
/// where `when` holds.
pub fn select_sum(q: &mut SelectStatement, measure: &str, when: Option<&str>, alias: &str) {
    let part = |m: String| match when {
        Some(w) => format!("CAST(COALESCE(SUM(CASE WHEN {w} THEN {m} ELSE 0 END), 0) AS BIGINT)"),
        None => format!("CAST(COALESCE(SUM({m}), 0) AS BIGINT)"),
    };
    if measure == "n" {
        q.expr_as(Expr::cust(part("o.n".into())), Alias::new(alias));
    } else {
        q.expr_as(
            Expr::cust(part(format!("o.{measure}_w"))),
            Alias::new(format!("{alias}_w")),
        );
        q.expr_as(
            Expr::cust(part(format!("o.{measure}_f"))),
            Alias::new(format!("{alias}_f")),
        );
    }
}
