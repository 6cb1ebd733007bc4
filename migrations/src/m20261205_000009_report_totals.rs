//! Report totals kept by the database: the count and the money sums of the
//! opportunities per bucket, so that the board's columns and the reports add up a few
//! thousand buckets instead of a million rows.
//!
//! - `report_periods`: the instants the report periods start at — the first day of
//!   every Gregorian month and of every Jalali month, at midnight in the configured
//!   time zone, 1900 to 2200 — and that first day (`start_on`). A period runs to the next start, so every Gregorian or
//!   Jalali month, quarter or year is a run of whole periods. Written by the app
//!   (`forsat_core::service::totals::rebuild`), which also records the zone in
//!   `report_totals_state`.
//! - `opportunity_totals`: one row per bucket — the creation period and every
//!   dimension a report groups or filters by ([`DIMENSIONS`], and the period of the
//!   close date, [`CLOSE_PERIOD`]) — with the count `n`, the
//!   estimated amount's whole units and ten-thousandths summed apart (`est_w`,
//!   `est_f`: a plain sum of a million amounts in Rial overflows 64 bits) and the same
//!   times the probability (`exp_w`, `exp_f`). `k` is the bucket's key as text.
//! - Triggers on `opportunities` add a new row to its bucket and take a removed or
//!   changed one out of its old bucket, in the same transaction as the write (forms,
//!   imports, bulk edits, deletes, restores alike; on PostgreSQL in a `SECURITY
//!   DEFINER` function, since clients may read the totals row-level-secured but never
//!   write them). A bucket whose count comes back to zero is deleted. SQLite's are row
//!   triggers (a write there is a function call in the process); PostgreSQL's are
//!   statement triggers over transition tables, one grouped upsert per statement.
//!
//! The rebuild and the check (`service::totals::{rebuild, verify}`) both read
//! [`grouped_sql`], the same buckets computed from the rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000009_report_totals"
    }
}

/// The columns of `opportunities` a bucket is keyed by (besides its period). The
/// win and loss dates are there for the board's "closed in the last days" and the
/// dashboard's "won in the period"; an open opportunity has neither, so they split only
/// the closed ones (one bucket per closing day at most).
pub const DIMENSIONS: [&str; 10] = [
    "stage_id",
    "assigned_user_id",
    "created_by",
    "type_id",
    "source_id",
    "campaign_id",
    "win_reason_id",
    "loss_reason_id",
    "won_on",
    "lost_on",
];

/// The period of an open deal's close date, beside [`DIMENSIONS`] (the forecast by
/// close month): derived from `close_date`, not a column of `opportunities`.
pub const CLOSE_PERIOD: &str = "close_period_id";

/// The dimensions that are dates (the rest are ids).
fn is_date(dimension: &str) -> bool {
    matches!(dimension, "won_on" | "lost_on")
}

/// The sums a bucket keeps, in column order.
pub const MEASURES: [&str; 5] = ["n", "est_w", "est_f", "exp_w", "exp_f"];

/// The measures of one row `r` of `opportunities`, times `sign`.
fn measures_of(r: &str, sign: &str) -> [String; 5] {
    [
        sign.to_owned(),
        format!("{sign} * ({r}.estimated_amount / 10000)"),
        format!("{sign} * ({r}.estimated_amount % 10000)"),
        format!("{sign} * (({r}.estimated_amount / 10000) * {r}.probability)"),
        format!("{sign} * (({r}.estimated_amount % 10000) * {r}.probability)"),
    ]
}

/// The period a row `r` was created in (0 before the first one).
pub fn period_of(r: &str) -> String {
    format!(
        "COALESCE((SELECT rp.id FROM report_periods rp WHERE rp.start_at <= {r}.created_at \
         ORDER BY rp.start_at DESC LIMIT 1), 0)"
    )
}

/// The period a row `r`'s close date falls in, by the periods' first days (so a day,
/// not an instant: the same in every zone); NULL without a close date, 0 before the
/// first period. Every period lies within one Gregorian and one Jalali month.
pub fn close_period_of(r: &str) -> String {
    format!(
        "CASE WHEN {r}.close_date IS NULL THEN NULL ELSE COALESCE((SELECT rp.id FROM report_periods rp \
         WHERE rp.start_on <= {r}.close_date ORDER BY rp.start_on DESC LIMIT 1), 0) END"
    )
}

/// The bucket key of a row `r` in `period` and `close` (its close period): its periods
/// and dimensions as text. Dates as their day number on PostgreSQL (a date's text there
/// follows the session's DateStyle), as their stored ISO text on SQLite.
fn key_of(r: &str, period: &str, close: &str, backend: DbBackend) -> String {
    let mut parts = vec![format!("CAST({period} AS TEXT)")];
    parts.extend(DIMENSIONS.iter().map(|d| {
        if is_date(d) && backend == DbBackend::Postgres {
            format!("COALESCE(CAST(({r}.{d} - DATE '1900-01-01') AS TEXT), '')")
        } else {
            format!("COALESCE(CAST({r}.{d} AS TEXT), '')")
        }
    }));
    parts.push(format!("COALESCE(CAST({close} AS TEXT), '')"));
    parts.join(" || '|' || ")
}

/// The columns of `opportunity_totals`, in order.
pub fn columns() -> String {
    let mut cols = vec!["k", "period_id"];
    cols.extend(DIMENSIONS);
    cols.push(CLOSE_PERIOD);
    cols.extend(MEASURES);
    cols.join(", ")
}

/// Every row of `source` (a table, or a trigger's transition table) as its bucket
/// and its measures times `sign`.
fn deltas_of(source: &str, sign: &str, backend: DbBackend) -> String {
    let dims = DIMENSIONS.map(|d| format!("r.{d}")).join(", ");
    let measures = measures_of("r", sign)
        .iter()
        .zip(MEASURES)
        .map(|(e, m)| format!("{e} AS {m}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {key} AS k, r.p AS period_id, {dims}, r.cp AS {CLOSE_PERIOD}, {measures} \
         FROM (SELECT x.*, {period} AS p, {close} AS cp FROM {source} x) r",
        key = key_of("r", "r.p", "r.cp", backend),
        period = period_of("x"),
        close = close_period_of("x"),
    )
}

/// The rows of every `(source, sign)` summed per bucket, in the columns of
/// `opportunity_totals`, buckets whose sums all come to zero left out, in key order.
fn grouped_deltas(sources: &[(&str, &str)], backend: DbBackend) -> String {
    let union = sources
        .iter()
        .map(|(source, sign)| deltas_of(source, sign, backend))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let mut dims = DIMENSIONS.map(|d| format!("d.{d}")).join(", ");
    dims.push_str(&format!(", d.{CLOSE_PERIOD}"));
    let sums = MEASURES.map(|m| format!("SUM(d.{m}) AS {m}")).join(", ");
    let moved = MEASURES.map(|m| format!("SUM(d.{m}) <> 0")).join(" OR ");
    format!(
        "SELECT d.k, d.period_id, {dims}, {sums} FROM ({union}) d \
         GROUP BY d.k, d.period_id, {dims} HAVING {moved} ORDER BY d.k"
    )
}

/// The buckets computed from the rows, in the columns of `opportunity_totals`.
pub fn grouped_sql(backend: DbBackend) -> String {
    grouped_deltas(&[("opportunities", "1")], backend)
}

/// `INSERT … ON CONFLICT` adding row `r` (times `sign`) to its bucket, then dropping
/// the bucket if it is empty (SQLite's row triggers).
fn add_row(r: &str, sign: &str, backend: DbBackend) -> Vec<String> {
    let key = key_of(r, &period_of(r), &close_period_of(r), backend);
    let mut dims = DIMENSIONS.map(|d| format!("{r}.{d}")).join(", ");
    dims.push_str(&format!(", {}", close_period_of(r)));
    let sets = MEASURES.map(|m| format!("{m} = {m} + excluded.{m}")).join(", ");
    let mut out = vec![format!(
        "INSERT INTO opportunity_totals ({cols}) VALUES ({key}, {period}, {dims}, {measures}) \
         ON CONFLICT (k) DO UPDATE SET {sets}",
        cols = columns(),
        period = period_of(r),
        measures = measures_of(r, sign).join(", "),
    )];
    if sign.starts_with('-') {
        out.push(format!("DELETE FROM opportunity_totals WHERE k = {key} AND n = 0"));
    }
    out
}

/// What PostgreSQL's statement triggers run: the rows a statement removed (`old_rows`)
/// and added (`new_rows`) summed per bucket in one pass, added to the buckets in key
/// order (two writers meet the buckets they share in the same order), then the
/// buckets the removed rows left empty deleted. A statement that changed nothing a
/// bucket keeps touches no bucket.
fn apply_transition(old: bool, new: bool) -> String {
    let backend = DbBackend::Postgres;
    let mut sources = vec![];
    if old {
        sources.push(("old_rows", "-1"));
    }
    if new {
        sources.push(("new_rows", "1"));
    }
    let sets = MEASURES.map(|m| format!("{m} = t.{m} + excluded.{m}")).join(", ");
    let mut out = format!(
        "INSERT INTO opportunity_totals AS t ({cols}) {grouped} ON CONFLICT (k) DO UPDATE SET {sets}; ",
        cols = columns(),
        grouped = grouped_deltas(&sources, backend),
    );
    if old {
        out.push_str(&format!(
            "DELETE FROM opportunity_totals t WHERE t.n = 0 AND t.k IN \
             (SELECT {key} FROM (SELECT x.*, {period} AS p, {close} AS cp FROM old_rows x) r); ",
            key = key_of("r", "r.p", "r.cp", backend),
            period = period_of("x"),
            close = close_period_of("x"),
        ));
    }
    out
}

/// A change of any of these moves a row to another bucket or changes its sums.
fn watched() -> Vec<&'static str> {
    let mut cols = vec!["created_at", "close_date", "estimated_amount", "probability"];
    cols.extend(DIMENSIONS);
    cols
}

/// The PostgreSQL function that rebuilds the totals from the rows for the periods
/// given (`p_starts`: the period starts in order, comma-separated, as timestamps;
/// `p_days`: their first days, as ISO dates), for `p_zone`. `SECURITY DEFINER`: administrators may call it (when they change the time
/// zone), nobody may write the tables directly.
fn pg_rebuild_function() -> String {
    format!(
        "CREATE OR REPLACE FUNCTION forsat_rebuild_totals(p_zone text, p_starts text, p_days text) RETURNS void \
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
         BEGIN \
           LOCK TABLE opportunities IN SHARE MODE; \
           DELETE FROM report_periods; \
           INSERT INTO report_periods (id, start_at, start_on) \
             SELECT u.n, CAST(u.s AS timestamptz), CAST(u.d AS date) \
             FROM unnest(string_to_array(p_starts, ','), string_to_array(p_days, ',')) WITH ORDINALITY AS u(s, d, n); \
           DELETE FROM opportunity_totals; \
           INSERT INTO opportunity_totals ({cols}) {grouped}; \
           DELETE FROM report_totals_state; \
           INSERT INTO report_totals_state (zone) VALUES (p_zone); \
         END $$",
        cols = columns(),
        grouped = grouped_sql(DbBackend::Postgres),
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        m.create_table(
            Table::create()
                .table("report_periods")
                .col(ColumnDef::new("id").integer().not_null().primary_key())
                .col(ColumnDef::new("start_at").timestamp_with_time_zone().not_null())
                .col(ColumnDef::new("start_on").date().not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_report_periods_start_at")
                .table("report_periods")
                .col("start_at")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_report_periods_start_on")
                .table("report_periods")
                .col("start_on")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("report_totals_state")
                .col(ColumnDef::new("zone").string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        let mut t = Table::create();
        t.table("opportunity_totals")
            .col(ColumnDef::new("k").string_len(255).not_null().primary_key())
            .col(ColumnDef::new("period_id").integer().not_null());
        for d in DIMENSIONS {
            let mut c = ColumnDef::new(d);
            if is_date(d) {
                c.date();
            } else {
                c.integer();
            }
            if matches!(d, "stage_id" | "type_id" | "source_id") {
                c.not_null();
            } else {
                c.null();
            }
            t.col(c);
        }
        t.col(ColumnDef::new(CLOSE_PERIOD).integer().null());
        for measure in MEASURES {
            t.col(ColumnDef::new(measure).big_integer().not_null().default(0));
        }
        m.create_table(t.to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_opportunity_totals_period")
                .table("opportunity_totals")
                .col("period_id")
                .to_owned(),
        )
        .await?;
        // The list sorted by amount (its most used sort after the date) reads the
        // page from an index instead of sorting every row.
        m.create_index(
            Index::create()
                .name("ix_opportunities_estimated_amount")
                .table("opportunities")
                .col("estimated_amount")
                .col("id")
                .to_owned(),
        )
        .await?;
        // One salesperson's list (their open ones, an amount range) adds up its totals
        // from this index alone instead of reading every row it counts.
        m.drop_index(
            Index::drop()
                .name("ix_opportunities_assigned_user_id_stage_id")
                .table("opportunities")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_opportunities_user_stage_amount")
                .table("opportunities")
                .col("assigned_user_id")
                .col("stage_id")
                .col("estimated_amount")
                .col("probability")
                .to_owned(),
        )
        .await?;
        match backend {
            DbBackend::Sqlite => {
                let changed = watched()
                    .iter()
                    .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                let body = |parts: Vec<String>| parts.into_iter().map(|s| format!("{s}; ")).collect::<String>();
                let stmts = [
                    format!(
                        "CREATE TRIGGER opportunity_totals_ai AFTER INSERT ON opportunities BEGIN {}END",
                        body(add_row("NEW", "1", backend))
                    ),
                    format!(
                        "CREATE TRIGGER opportunity_totals_ad AFTER DELETE ON opportunities BEGIN {}END",
                        body(add_row("OLD", "-1", backend))
                    ),
                    format!(
                        "CREATE TRIGGER opportunity_totals_au AFTER UPDATE ON opportunities WHEN {changed} BEGIN {}{}END",
                        body(add_row("OLD", "-1", backend)),
                        body(add_row("NEW", "1", backend))
                    ),
                ];
                for stmt in stmts {
                    db.execute_unprepared(&stmt).await?;
                }
            }
            DbBackend::Postgres => {
                // Statement triggers with transition tables: one grouped pass per
                // statement, so a bulk edit of a million rows costs one aggregate, not
                // a million upserts. (A trigger with transition tables takes one event.)
                let function = |name: &str, body: String| {
                    format!(
                        "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger \
                         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
                         BEGIN {body}RETURN NULL; END $$"
                    )
                };
                let stmts = [
                    function("forsat_totals_inserted", apply_transition(false, true)),
                    function("forsat_totals_updated", apply_transition(true, true)),
                    function("forsat_totals_deleted", apply_transition(true, false)),
                    function("forsat_totals_truncated", "DELETE FROM opportunity_totals; ".to_owned()),
                    "CREATE TRIGGER forsat_totals_ai AFTER INSERT ON opportunities \
                     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION forsat_totals_inserted()"
                        .to_owned(),
                    "CREATE TRIGGER forsat_totals_au AFTER UPDATE ON opportunities \
                     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
                     FOR EACH STATEMENT EXECUTE FUNCTION forsat_totals_updated()"
                        .to_owned(),
                    "CREATE TRIGGER forsat_totals_ad AFTER DELETE ON opportunities \
                     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION forsat_totals_deleted()"
                        .to_owned(),
                    "CREATE TRIGGER forsat_totals_at AFTER TRUNCATE ON opportunities \
                     FOR EACH STATEMENT EXECUTE FUNCTION forsat_totals_truncated()"
                        .to_owned(),
                    pg_rebuild_function(),
                    "REVOKE ALL ON FUNCTION forsat_rebuild_totals(text, text, text), forsat_totals_inserted(), \
                     forsat_totals_updated(), forsat_totals_deleted(), forsat_totals_truncated() FROM PUBLIC"
                        .to_owned(),
                ];
                for stmt in stmts {
                    db.execute_unprepared(&stmt).await?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let stmts: &[&str] = match db.get_database_backend() {
            DbBackend::Sqlite => &[
                "DROP TRIGGER IF EXISTS opportunity_totals_ai",
                "DROP TRIGGER IF EXISTS opportunity_totals_ad",
                "DROP TRIGGER IF EXISTS opportunity_totals_au",
            ],
            DbBackend::Postgres => &[
                "DROP TRIGGER IF EXISTS forsat_totals_ai ON opportunities",
                "DROP TRIGGER IF EXISTS forsat_totals_au ON opportunities",
                "DROP TRIGGER IF EXISTS forsat_totals_ad ON opportunities",
                "DROP TRIGGER IF EXISTS forsat_totals_at ON opportunities",
                "DROP FUNCTION IF EXISTS forsat_totals_inserted()",
                "DROP FUNCTION IF EXISTS forsat_totals_updated()",
                "DROP FUNCTION IF EXISTS forsat_totals_deleted()",
                "DROP FUNCTION IF EXISTS forsat_totals_truncated()",
                "DROP FUNCTION IF EXISTS forsat_rebuild_totals(text, text, text)",
            ],
            _ => &[],
        };
        for stmt in stmts {
            db.execute_unprepared(stmt).await?;
        }
        m.drop_index(
            Index::drop()
                .name("ix_opportunities_estimated_amount")
                .table("opportunities")
                .to_owned(),
        )
        .await?;
        m.drop_index(
            Index::drop()
                .name("ix_opportunities_user_stage_amount")
                .table("opportunities")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_opportunities_assigned_user_id_stage_id")
                .table("opportunities")
                .col("assigned_user_id")
                .col("stage_id")
                .to_owned(),
        )
        .await?;
        for table in ["opportunity_totals", "report_totals_state", "report_periods"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
