//! Stage flows and close durations kept by the database, so that the stage-history
//! and follow-up duration reports add up a few thousand buckets instead of walking
//! every opportunity's history or reading every closed one.
//!
//! - `opportunity_stage_flows`: one row per opportunity and stage it ever entered
//!   (`flow_stage_id`), with the opportunity's report dimensions copied beside it
//!   ([`FLOW_DIMENSIONS`], its `created_at`) and what the report measures of it
//!   ([`FLOW_MEASURES`]): its stays in the stage, the days of the stays it left
//!   (`days_closed`), whether it is in the stage now (`cur_n`) and since which day
//!   (`cur_day`: the report adds today's day number minus this, so the kept figure
//!   does not age), whether it went on to a later stage (`advanced`, by stage order,
//!   lost aside) and whether it was ever won. Days are UTC calendar days as day
//!   numbers since 1970-01-01 ([`day_number`]), the same for every zone.
//! - `stage_flow_totals`: those rows summed per bucket — the creation period (the
//!   periods of `report_periods`), the dimensions and the flow stage — with `n`, the
//!   opportunities that entered it.
//! - `close_duration_totals`: the closed opportunities (a win or a loss day) counted per
//!   creation period, the same dimensions, and the days from creation to the win
//!   (`won_days`) and to the loss (`lost_days`), for the follow-up duration report.
//! - `opportunities.realized_amount`: the sum of the opportunity's approved invoices,
//!   kept by triggers on `financial_records` ([`realized_sql`]), so that a filtered
//!   list adds up its realized sum from the rows (and the covering index) it reads
//!   anyway instead of joining the invoices. No client writes it (column privileges on
//!   a team server).
//! - `stage_flows_state`: the zone the buckets' periods were built for, for all three. Without it
//!   nothing here is trusted or kept (the triggers skip their work and the report
//!   walks the history): a rebuild (`forsat_core::service::totals::rebuild_flows`)
//!   recomputes everything and records the zone. A changed stage order or stage kind
//!   changes what "advanced" and "won" mean for every row, so it drops the state (the
//!   stage editor rebuilds at once).
//! - Triggers in the same transaction as every write: a change of an opportunity's
//!   history recomputes that opportunity's flow rows; a change of its dimensions
//!   copies them to its rows; a change of a flow row moves it between buckets; a
//!   changed opportunity moves between close-duration buckets. SQLite's
//!   are row triggers, PostgreSQL's statement triggers over transition tables
//!   (`SECURITY DEFINER`: clients read these tables under the opportunities' row rule,
//!   never write them).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::m20261205_000009_report_totals::period_of;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000010_stage_flows"
    }
}

/// The columns of `opportunities` a flow row copies and a bucket is keyed by (besides
/// its period and its flow stage): what the report filters by and who may see it.
pub const FLOW_DIMENSIONS: [&str; 6] = [
    "stage_id",
    "assigned_user_id",
    "created_by",
    "type_id",
    "source_id",
    "campaign_id",
];

/// What a flow row measures of one opportunity in one stage, in column order.
pub const FLOW_MEASURES: [&str; 6] = ["stays", "days_closed", "cur_n", "cur_day", "advanced", "won"];

/// The day number (days since 1970-01-01, by the UTC calendar) of a timestamp.
pub fn day_number(backend: DbBackend, at: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("(CAST(({at}) AT TIME ZONE 'UTC' AS DATE) - DATE '1970-01-01')"),
        _ => format!("CAST(julianday(date({at})) - 2440587.5 AS INTEGER)"),
    }
}

/// The columns of `opportunity_stage_flows`, in order.
pub fn flow_columns() -> String {
    let mut cols = vec!["opportunity_id", "flow_stage_id", "created_at"];
    cols.extend(FLOW_DIMENSIONS);
    cols.extend(FLOW_MEASURES);
    cols.join(", ")
}

/// The flow rows computed from the history of the opportunities `which` selects (a
/// condition on `h.opportunity_id`), in the columns of `opportunity_stage_flows`.
///
/// A stay runs from the change that entered the stage to the opportunity's next change
/// (in `changed_at`, then `id` order); over the opportunity's whole history, the
/// furthest stage order it reached (lost aside) and whether it was ever won.
pub fn flows_sql(backend: DbBackend, which: &str) -> String {
    let window = "PARTITION BY h.opportunity_id ORDER BY h.changed_at, h.id";
    let whole = format!("{window} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING");
    let dims = FLOW_DIMENSIONS.map(|d| format!("o.{d}")).join(", ");
    format!(
        "SELECT st.opportunity_id, st.flow_stage_id, o.created_at, {dims}, \
           COUNT(*) AS stays, \
           SUM(CASE WHEN st.left_day IS NULL THEN 0 ELSE st.left_day - st.entered_day END) AS days_closed, \
           SUM(CASE WHEN st.left_day IS NULL THEN 1 ELSE 0 END) AS cur_n, \
           SUM(CASE WHEN st.left_day IS NULL THEN st.entered_day ELSE 0 END) AS cur_day, \
           MAX(CASE WHEN st.furthest > ss.sort_order THEN 1 ELSE 0 END) AS advanced, \
           MAX(st.won) AS won \
         FROM (SELECT h.opportunity_id, h.to_stage_id AS flow_stage_id, {entered} AS entered_day, \
                 {left} AS left_day, \
                 MAX(CASE WHEN rs.kind <> 'lost' THEN rs.sort_order END) OVER ({whole}) AS furthest, \
                 MAX(CASE WHEN rs.kind = 'won' THEN 1 ELSE 0 END) OVER ({whole}) AS won \
               FROM stage_history h JOIN stages rs ON rs.id = h.to_stage_id WHERE {which}) st \
         JOIN stages ss ON ss.id = st.flow_stage_id \
         JOIN opportunities o ON o.id = st.opportunity_id \
         GROUP BY st.opportunity_id, st.flow_stage_id, o.created_at, {dims}",
        entered = day_number(backend, "h.changed_at"),
        left = day_number(backend, &format!("LEAD(h.changed_at) OVER ({window})")),
    )
}

/// A table of buckets summed from the rows of a source table, one bucket per distinct
/// key: the stage flows' buckets and the close durations. Its dimensions and measures
/// are expressions over a source row written `@` (`@.stage_id`); the measure `n`
/// counts the rows, and a bucket whose `n` comes back to zero is deleted.
pub struct Cube {
    pub table: &'static str,
    dims: Vec<(&'static str, String)>,
    measures: Vec<(&'static str, String)>,
    /// Which source rows count, if not all.
    when: Option<String>,
}

impl Cube {
    fn over(expr: &str, row: &str) -> String {
        expr.replace('@', row)
    }

    /// The columns of the table, in order.
    pub fn columns(&self) -> String {
        let mut cols = vec!["k"];
        cols.extend(self.dims.iter().map(|(d, _)| *d));
        cols.extend(self.measures.iter().map(|(m, _)| *m));
        cols.join(", ")
    }

    pub fn measure_names(&self) -> Vec<&'static str> {
        self.measures.iter().map(|(m, _)| *m).collect()
    }

    /// The key of the bucket whose dimensions `dim(name)` gives, as text.
    fn key(&self, dim: impl Fn(&str, &str) -> String) -> String {
        self.dims
            .iter()
            .map(|(d, e)| format!("COALESCE(CAST({} AS TEXT), '')", dim(d, e)))
            .collect::<Vec<_>>()
            .join(" || '|' || ")
    }

    fn when_over(&self, row: &str) -> String {
        self.when.as_deref().map_or("1 = 1".to_owned(), |w| Self::over(w, row))
    }

    /// Every counted row of `source` (a table, or a transition table) as its bucket and
    /// its measures times `sign`.
    fn deltas_of(&self, source: &str, sign: &str) -> String {
        let computed = self
            .dims
            .iter()
            .chain(&self.measures)
            .map(|(name, e)| format!("{} AS {name}", Self::over(e, "x")))
            .collect::<Vec<_>>()
            .join(", ");
        let dims = self
            .dims
            .iter()
            .map(|(d, _)| format!("r.{d}"))
            .collect::<Vec<_>>()
            .join(", ");
        let measures = self
            .measures
            .iter()
            .map(|(m, _)| format!("{sign} * r.{m} AS {m}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "SELECT {key} AS k, {dims}, {measures} FROM (SELECT {computed} FROM {source} x WHERE {when}) r",
            key = self.key(|d, _| format!("r.{d}")),
            when = self.when_over("x"),
        )
    }

    /// The rows of every `(source, sign)` summed per bucket, in the table's columns,
    /// buckets whose sums all come to zero left out, in key order.
    fn grouped(&self, sources: &[(&str, &str)]) -> String {
        let union = sources
            .iter()
            .map(|(source, sign)| self.deltas_of(source, sign))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let dims = self
            .dims
            .iter()
            .map(|(d, _)| format!("d.{d}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sums = self
            .measures
            .iter()
            .map(|(m, _)| format!("SUM(d.{m}) AS {m}"))
            .collect::<Vec<_>>()
            .join(", ");
        let moved = self
            .measures
            .iter()
            .map(|(m, _)| format!("SUM(d.{m}) <> 0"))
            .collect::<Vec<_>>()
            .join(" OR ");
        format!("SELECT d.k, {dims}, {sums} FROM ({union}) d GROUP BY d.k, {dims} HAVING {moved} ORDER BY d.k")
    }

    /// The buckets computed from every row of `source`.
    pub fn grouped_sql(&self, source: &str) -> String {
        self.grouped(&[(source, "1")])
    }

    /// SQLite's row triggers: trigger row `r` (`NEW`, `OLD`) times `sign` added to its
    /// bucket, the bucket dropped if that empties it.
    fn add_row(&self, r: &str, sign: &str) -> Vec<String> {
        let key = self.key(|_, e| Self::over(e, r));
        let values = self
            .dims
            .iter()
            .map(|(_, e)| Self::over(e, r))
            .chain(
                self.measures
                    .iter()
                    .map(|(_, e)| format!("{sign} * ({})", Self::over(e, r))),
            )
            .collect::<Vec<_>>()
            .join(", ");
        let sets = self
            .measures
            .iter()
            .map(|(m, _)| format!("{m} = {m} + excluded.{m}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = vec![format!(
            "INSERT INTO {table} ({cols}) SELECT {key}, {values} WHERE {when} ON CONFLICT (k) DO UPDATE SET {sets}",
            table = self.table,
            cols = self.columns(),
            when = self.when_over(r),
        )];
        if sign.starts_with('-') {
            out.push(format!("DELETE FROM {} WHERE k = {key} AND n = 0", self.table));
        }
        out
    }

    /// PostgreSQL's statement triggers: the rows a statement removed (`old_rows`) and
    /// added (`new_rows`) summed per bucket in one pass and added in key order, then
    /// the buckets the removed rows left empty deleted.
    fn apply_transition(&self, old: bool, new: bool) -> String {
        let mut sources = vec![];
        if old {
            sources.push(("old_rows", "-1"));
        }
        if new {
            sources.push(("new_rows", "1"));
        }
        let sets = self
            .measures
            .iter()
            .map(|(m, _)| format!("{m} = t.{m} + excluded.{m}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut out = format!(
            "INSERT INTO {table} AS t ({cols}) {grouped} ON CONFLICT (k) DO UPDATE SET {sets}; ",
            table = self.table,
            cols = self.columns(),
            grouped = self.grouped(&sources),
        );
        if old {
            out.push_str(&format!(
                "DELETE FROM {table} t WHERE t.n = 0 AND t.k IN (SELECT {key} FROM old_rows x WHERE {when}); ",
                table = self.table,
                key = self.key(|_, e| Self::over(e, "x")),
                when = self.when_over("x"),
            ));
        }
        out
    }
}

/// The dimensions both cubes share: the creation period and what the reports filter by.
fn shared_dimensions() -> Vec<(&'static str, String)> {
    let mut dims = vec![("period_id", period_of("@"))];
    dims.extend(FLOW_DIMENSIONS.iter().map(|d| (*d, format!("@.{d}"))));
    dims
}

/// `stage_flow_totals`: the flow rows summed per period, dimensions and flow stage.
pub fn flow_cube() -> Cube {
    let mut dims = shared_dimensions();
    dims.push(("flow_stage_id", "@.flow_stage_id".into()));
    let mut measures = vec![("n", "1".to_owned())];
    measures.extend(FLOW_MEASURES.iter().map(|m| (*m, format!("@.{m}"))));
    Cube {
        table: "stage_flow_totals",
        dims,
        measures,
        when: None,
    }
}

/// The day number of a calendar date (see [`day_number`]).
pub fn date_number(backend: DbBackend, date: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("({date} - DATE '1970-01-01')"),
        _ => format!("CAST(julianday({date}) - 2440587.5 AS INTEGER)"),
    }
}

/// Days from an opportunity `r`'s creation (its UTC calendar day) to the day it was won
/// (`won_on`) or lost (`lost_on`).
pub fn days_to(backend: DbBackend, r: &str, closed: &str) -> String {
    format!(
        "({} - {})",
        date_number(backend, &format!("{r}.{closed}")),
        day_number(backend, &format!("{r}.created_at"))
    )
}

/// `close_duration_totals`: the closed opportunities (a win or a loss day) counted per
/// period, dimensions and days from creation to the win and to the loss.
pub fn duration_cube(backend: DbBackend) -> Cube {
    let mut dims = shared_dimensions();
    dims.push(("won_days", days_to(backend, "@", "won_on")));
    dims.push(("lost_days", days_to(backend, "@", "lost_on")));
    Cube {
        table: "close_duration_totals",
        dims,
        measures: vec![("n", "1".to_owned())],
        when: Some("(@.won_on IS NOT NULL OR @.lost_on IS NOT NULL)".into()),
    }
}

/// The statements that put everything kept here right from the history and the rows
/// (with the state already dropped, so that the triggers stay out of it); the caller
/// records the zone after them.
pub fn rebuild_statements(backend: DbBackend) -> Vec<String> {
    let (flows, durations) = (flow_cube(), duration_cube(backend));
    vec![
        realized_repair(),
        "DELETE FROM opportunity_stage_flows".to_owned(),
        format!("DELETE FROM {}", flows.table),
        format!("DELETE FROM {}", durations.table),
        format!(
            "INSERT INTO opportunity_stage_flows ({}) {}",
            flow_columns(),
            flows_sql(backend, "1 = 1")
        ),
        format!(
            "INSERT INTO {} ({}) {}",
            flows.table,
            flows.columns(),
            flows.grouped_sql("opportunity_stage_flows")
        ),
        format!(
            "INSERT INTO {} ({}) {}",
            durations.table,
            durations.columns(),
            durations.grouped_sql("opportunities")
        ),
    ]
}

/// The flow rows of the opportunities whose ids `ids` selects, recomputed from their
/// history (what a change of history runs).
fn recompute(backend: DbBackend, ids: &str) -> Vec<String> {
    vec![
        format!("DELETE FROM opportunity_stage_flows WHERE opportunity_id IN ({ids})"),
        format!(
            "INSERT INTO opportunity_stage_flows ({}) {}",
            flow_columns(),
            flows_sql(backend, &format!("h.opportunity_id IN ({ids})"))
        ),
    ]
}

/// The columns of `opportunities` a flow row copies.
fn copied() -> Vec<&'static str> {
    let mut cols = vec!["created_at"];
    cols.extend(FLOW_DIMENSIONS);
    cols
}

/// The sum of the approved invoices of the opportunity `o` (a row of `opportunities`).
pub fn realized_sql(o: &str) -> String {
    format!(
        "COALESCE((SELECT SUM(fr.amount) FROM financial_records fr WHERE fr.opportunity_id = {o}.id \
         AND fr.kind = 'invoice' AND fr.status = 'approved'), 0)"
    )
}

/// The opportunities whose ids `ids` selects given their realized sum again.
fn refresh_realized(ids: &str) -> String {
    format!(
        "UPDATE opportunities SET realized_amount = {} WHERE id IN ({ids})",
        realized_sql("opportunities")
    )
}

/// Every opportunity's realized sum put right (the rebuild; the check compares).
pub fn realized_repair() -> String {
    format!(
        "UPDATE opportunities SET realized_amount = {r} WHERE realized_amount <> {r}",
        r = realized_sql("opportunities")
    )
}

/// The columns of `opportunities` a close duration's bucket depends on.
fn closing_columns() -> Vec<&'static str> {
    let mut cols = copied();
    cols.extend(["won_on", "lost_on"]);
    cols
}

const KEPT: &str = "EXISTS (SELECT 1 FROM stage_flows_state)";

fn sqlite_triggers() -> Vec<String> {
    let backend = DbBackend::Sqlite;
    let body = |parts: Vec<String>| parts.into_iter().map(|s| format!("{s}; ")).collect::<String>();
    let changed = copied()
        .iter()
        .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sets = copied()
        .iter()
        .map(|c| format!("{c} = NEW.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut history_update = recompute(backend, "OLD.opportunity_id");
    history_update.extend(recompute(backend, "NEW.opportunity_id"));
    let flows = flow_cube();
    let mut flow_update = flows.add_row("OLD", "-1");
    flow_update.extend(flows.add_row("NEW", "1"));
    let durations = duration_cube(backend);
    let mut duration_update = durations.add_row("OLD", "-1");
    duration_update.extend(durations.add_row("NEW", "1"));
    let closing = closing_columns()
        .iter()
        .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    vec![
        format!(
            "CREATE TRIGGER realized_ai AFTER INSERT ON financial_records WHEN NEW.opportunity_id IS NOT NULL \
             BEGIN {}; END",
            refresh_realized("NEW.opportunity_id")
        ),
        format!(
            "CREATE TRIGGER realized_ad AFTER DELETE ON financial_records WHEN OLD.opportunity_id IS NOT NULL \
             BEGIN {}; END",
            refresh_realized("OLD.opportunity_id")
        ),
        format!(
            "CREATE TRIGGER realized_au AFTER UPDATE ON financial_records WHEN OLD.opportunity_id IS NOT NEW.opportunity_id \
             OR OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.amount IS NOT NEW.amount \
             BEGIN {}; END",
            refresh_realized("OLD.opportunity_id, NEW.opportunity_id")
        ),
        format!(
            "CREATE TRIGGER close_durations_ai AFTER INSERT ON opportunities WHEN {KEPT} BEGIN {}END",
            body(durations.add_row("NEW", "1"))
        ),
        format!(
            "CREATE TRIGGER close_durations_ad AFTER DELETE ON opportunities WHEN {KEPT} BEGIN {}END",
            body(durations.add_row("OLD", "-1"))
        ),
        format!(
            "CREATE TRIGGER close_durations_au AFTER UPDATE ON opportunities WHEN {KEPT} AND ({closing}) \
             BEGIN {}END",
            body(duration_update)
        ),
        format!(
            "CREATE TRIGGER stage_flows_history_ai AFTER INSERT ON stage_history WHEN {KEPT} BEGIN {}END",
            body(recompute(backend, "NEW.opportunity_id"))
        ),
        format!(
            "CREATE TRIGGER stage_flows_history_ad AFTER DELETE ON stage_history WHEN {KEPT} BEGIN {}END",
            body(recompute(backend, "OLD.opportunity_id"))
        ),
        format!(
            "CREATE TRIGGER stage_flows_history_au AFTER UPDATE ON stage_history WHEN {KEPT} BEGIN {}END",
            body(history_update)
        ),
        format!(
            "CREATE TRIGGER stage_flows_opportunity_au AFTER UPDATE ON opportunities WHEN {KEPT} AND ({changed}) \
             BEGIN UPDATE opportunity_stage_flows SET {sets} WHERE opportunity_id = NEW.id; END"
        ),
        format!(
            "CREATE TRIGGER stage_flows_opportunity_ad AFTER DELETE ON opportunities WHEN {KEPT} \
             BEGIN DELETE FROM opportunity_stage_flows WHERE opportunity_id = OLD.id; END"
        ),
        format!(
            "CREATE TRIGGER stage_flows_ai AFTER INSERT ON opportunity_stage_flows WHEN {KEPT} BEGIN {}END",
            body(flows.add_row("NEW", "1"))
        ),
        format!(
            "CREATE TRIGGER stage_flows_ad AFTER DELETE ON opportunity_stage_flows WHEN {KEPT} BEGIN {}END",
            body(flows.add_row("OLD", "-1"))
        ),
        format!(
            "CREATE TRIGGER stage_flows_au AFTER UPDATE ON opportunity_stage_flows WHEN {KEPT} BEGIN {}END",
            body(flow_update)
        ),
        "CREATE TRIGGER stage_flows_stage_au AFTER UPDATE ON stages \
         WHEN OLD.sort_order IS NOT NEW.sort_order OR OLD.kind IS NOT NEW.kind \
         BEGIN DELETE FROM stage_flows_state; END"
            .to_owned(),
    ]
}

const PG_FUNCTIONS: [&str; 17] = [
    "forsat_realized_inserted()",
    "forsat_realized_updated()",
    "forsat_realized_deleted()",
    "forsat_durations_inserted()",
    "forsat_durations_updated()",
    "forsat_durations_deleted()",
    "forsat_flows_history_inserted()",
    "forsat_flows_history_updated()",
    "forsat_flows_history_deleted()",
    "forsat_flows_opportunities_updated()",
    "forsat_flows_opportunities_deleted()",
    "forsat_flows_inserted()",
    "forsat_flows_updated()",
    "forsat_flows_deleted()",
    "forsat_flows_truncated()",
    "forsat_flows_stage_changed()",
    "forsat_rebuild_stage_flows(text)",
];

fn pg_statements() -> Vec<String> {
    let backend = DbBackend::Postgres;
    let (flows, durations) = (flow_cube(), duration_cube(backend));
    // A trigger function that does its work only while the flows are kept.
    let function = |name: &str, body: String| {
        format!(
            "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger \
             LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
             BEGIN IF {KEPT} THEN {body}END IF; RETURN NULL; END $$"
        )
    };
    let stmts = |parts: Vec<String>| parts.into_iter().map(|s| format!("{s}; ")).collect::<String>();
    let realized_function = |name: &str, tables: &[&str]| {
        let ids = tables
            .iter()
            .map(|t| format!("SELECT opportunity_id FROM {t} WHERE opportunity_id IS NOT NULL"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        format!(
            "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger \
             LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
             BEGIN UPDATE opportunities o SET realized_amount = {r} WHERE o.id IN ({ids}) \
             AND o.realized_amount <> {r}; RETURN NULL; END $$",
            r = realized_sql("o"),
        )
    };
    let ids = |tables: &[&str]| {
        tables
            .iter()
            .map(|t| format!("SELECT opportunity_id FROM {t}"))
            .collect::<Vec<_>>()
            .join(" UNION ")
    };
    let changed = copied()
        .iter()
        .map(|c| format!("n.{c} IS DISTINCT FROM o.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sets = copied()
        .iter()
        .map(|c| format!("{c} = n.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let trigger = |name: &str, event: &str, table: &str, refs: &str, function: &str| {
        format!(
            "CREATE TRIGGER {name} AFTER {event} ON {table} {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    };
    let rebuild = rebuild_statements(backend)
        .into_iter()
        .map(|s| format!("{s}; "))
        .collect::<String>();
    vec![
        function(
            "forsat_flows_history_inserted",
            stmts(recompute(backend, &ids(&["new_rows"]))),
        ),
        function(
            "forsat_flows_history_updated",
            stmts(recompute(backend, &ids(&["old_rows", "new_rows"]))),
        ),
        function(
            "forsat_flows_history_deleted",
            stmts(recompute(backend, &ids(&["old_rows"]))),
        ),
        function(
            "forsat_flows_opportunities_updated",
            format!(
                "UPDATE opportunity_stage_flows f SET {sets} FROM new_rows n JOIN old_rows o ON o.id = n.id \
                 WHERE f.opportunity_id = n.id AND ({changed}); "
            ),
        ),
        function(
            "forsat_flows_opportunities_deleted",
            "DELETE FROM opportunity_stage_flows WHERE opportunity_id IN (SELECT id FROM old_rows); ".to_owned(),
        ),
        function("forsat_flows_inserted", flows.apply_transition(false, true)),
        function("forsat_flows_updated", flows.apply_transition(true, true)),
        function("forsat_flows_deleted", flows.apply_transition(true, false)),
        // Realized sums: not guarded by the flows' state (the list reads them always).
        realized_function("forsat_realized_inserted", &["new_rows"]),
        realized_function("forsat_realized_updated", &["old_rows", "new_rows"]),
        realized_function("forsat_realized_deleted", &["old_rows"]),
        trigger(
            "forsat_realized_ai",
            "INSERT",
            "financial_records",
            "REFERENCING NEW TABLE AS new_rows",
            "forsat_realized_inserted",
        ),
        trigger(
            "forsat_realized_au",
            "UPDATE",
            "financial_records",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "forsat_realized_updated",
        ),
        trigger(
            "forsat_realized_ad",
            "DELETE",
            "financial_records",
            "REFERENCING OLD TABLE AS old_rows",
            "forsat_realized_deleted",
        ),
        function("forsat_durations_inserted", durations.apply_transition(false, true)),
        function("forsat_durations_updated", durations.apply_transition(true, true)),
        function("forsat_durations_deleted", durations.apply_transition(true, false)),
        trigger(
            "forsat_durations_ai",
            "INSERT",
            "opportunities",
            "REFERENCING NEW TABLE AS new_rows",
            "forsat_durations_inserted",
        ),
        trigger(
            "forsat_durations_au",
            "UPDATE",
            "opportunities",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "forsat_durations_updated",
        ),
        trigger(
            "forsat_durations_ad",
            "DELETE",
            "opportunities",
            "REFERENCING OLD TABLE AS old_rows",
            "forsat_durations_deleted",
        ),
        // A truncated history or opportunities table: nothing is kept until rebuilt.
        "CREATE OR REPLACE FUNCTION forsat_flows_truncated() RETURNS trigger \
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
         BEGIN DELETE FROM stage_flows_state; RETURN NULL; END $$"
            .to_owned(),
        "CREATE OR REPLACE FUNCTION forsat_flows_stage_changed() RETURNS trigger \
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
         BEGIN IF OLD.sort_order IS DISTINCT FROM NEW.sort_order OR OLD.kind IS DISTINCT FROM NEW.kind THEN \
           DELETE FROM stage_flows_state; END IF; RETURN NULL; END $$"
            .to_owned(),
        format!(
            "CREATE OR REPLACE FUNCTION forsat_rebuild_stage_flows(p_zone text) RETURNS void \
             LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ \
             BEGIN \
               LOCK TABLE opportunities, stage_history, stages IN SHARE MODE; \
               DELETE FROM stage_flows_state; \
               {rebuild}\
               INSERT INTO stage_flows_state (zone) VALUES (p_zone); \
             END $$"
        ),
        trigger(
            "forsat_flows_history_ai",
            "INSERT",
            "stage_history",
            "REFERENCING NEW TABLE AS new_rows",
            "forsat_flows_history_inserted",
        ),
        trigger(
            "forsat_flows_history_au",
            "UPDATE",
            "stage_history",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "forsat_flows_history_updated",
        ),
        trigger(
            "forsat_flows_history_ad",
            "DELETE",
            "stage_history",
            "REFERENCING OLD TABLE AS old_rows",
            "forsat_flows_history_deleted",
        ),
        trigger(
            "forsat_flows_history_at",
            "TRUNCATE",
            "stage_history",
            "",
            "forsat_flows_truncated",
        ),
        trigger(
            "forsat_flows_opportunities_au",
            "UPDATE",
            "opportunities",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "forsat_flows_opportunities_updated",
        ),
        trigger(
            "forsat_flows_opportunities_ad",
            "DELETE",
            "opportunities",
            "REFERENCING OLD TABLE AS old_rows",
            "forsat_flows_opportunities_deleted",
        ),
        trigger(
            "forsat_flows_opportunities_at",
            "TRUNCATE",
            "opportunities",
            "",
            "forsat_flows_truncated",
        ),
        trigger(
            "forsat_flows_ai",
            "INSERT",
            "opportunity_stage_flows",
            "REFERENCING NEW TABLE AS new_rows",
            "forsat_flows_inserted",
        ),
        trigger(
            "forsat_flows_au",
            "UPDATE",
            "opportunity_stage_flows",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "forsat_flows_updated",
        ),
        trigger(
            "forsat_flows_ad",
            "DELETE",
            "opportunity_stage_flows",
            "REFERENCING OLD TABLE AS old_rows",
            "forsat_flows_deleted",
        ),
        "CREATE TRIGGER forsat_flows_stage_au AFTER UPDATE ON stages FOR EACH ROW \
         EXECUTE FUNCTION forsat_flows_stage_changed()"
            .to_owned(),
        format!("REVOKE ALL ON FUNCTION {} FROM PUBLIC", PG_FUNCTIONS.join(", ")),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let backend = db.get_database_backend();
        m.alter_table(
            Table::alter()
                .table("opportunities")
                .add_column(ColumnDef::new("realized_amount").big_integer().not_null().default(0))
                .to_owned(),
        )
        .await?;
        db.execute_unprepared(&refresh_realized(
            "SELECT opportunity_id FROM financial_records WHERE opportunity_id IS NOT NULL",
        ))
        .await?;
        // One salesperson's list adds up its realized sum from the same index as its
        // count and amounts.
        m.drop_index(
            Index::drop()
                .name("ix_opportunities_user_stage_amount")
                .table("opportunities")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_opportunities_user_stage_amount_realized")
                .table("opportunities")
                .col("assigned_user_id")
                .col("stage_id")
                .col("estimated_amount")
                .col("probability")
                .col("realized_amount")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("stage_flows_state")
                .col(ColumnDef::new("zone").string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        let id_col = |name: &'static str, null: bool| {
            let mut c = ColumnDef::new(name);
            c.integer();
            if null {
                c.null();
            } else {
                c.not_null();
            }
            c
        };
        let nullable = |d: &str| !matches!(d, "stage_id" | "type_id" | "source_id");
        let mut flows = Table::create();
        flows
            .table("opportunity_stage_flows")
            .col(id_col("opportunity_id", false))
            .col(id_col("flow_stage_id", false))
            .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null());
        for d in FLOW_DIMENSIONS {
            flows.col(id_col(d, nullable(d)));
        }
        for measure in FLOW_MEASURES {
            flows.col(ColumnDef::new(measure).big_integer().not_null().default(0));
        }
        flows.primary_key(Index::create().col("opportunity_id").col("flow_stage_id"));
        m.create_table(flows.to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_opportunity_stage_flows_created_at")
                .table("opportunity_stage_flows")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        let mut buckets = Table::create();
        buckets
            .table("stage_flow_totals")
            .col(ColumnDef::new("k").string_len(255).not_null().primary_key())
            .col(id_col("period_id", false));
        for d in FLOW_DIMENSIONS {
            buckets.col(id_col(d, nullable(d)));
        }
        buckets.col(id_col("flow_stage_id", false));
        for measure in std::iter::once("n").chain(FLOW_MEASURES) {
            buckets.col(ColumnDef::new(measure).big_integer().not_null().default(0));
        }
        m.create_table(buckets.to_owned()).await?;
        let mut durations = Table::create();
        durations
            .table("close_duration_totals")
            .col(ColumnDef::new("k").string_len(255).not_null().primary_key())
            .col(id_col("period_id", false));
        for d in FLOW_DIMENSIONS {
            durations.col(id_col(d, nullable(d)));
        }
        durations
            .col(id_col("won_days", true))
            .col(id_col("lost_days", true))
            .col(ColumnDef::new("n").big_integer().not_null().default(0));
        m.create_table(durations.to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_close_duration_totals_period")
                .table("close_duration_totals")
                .col("period_id")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_stage_flow_totals_period")
                .table("stage_flow_totals")
                .col("period_id")
                .to_owned(),
        )
        .await?;
        let stmts = match backend {
            DbBackend::Sqlite => sqlite_triggers(),
            DbBackend::Postgres => pg_statements(),
            _ => vec![],
        };
        for stmt in stmts {
            db.execute_unprepared(&stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for t in [
                    "stage_flows_history_ai",
                    "stage_flows_history_ad",
                    "stage_flows_history_au",
                    "stage_flows_opportunity_au",
                    "stage_flows_opportunity_ad",
                    "stage_flows_ai",
                    "stage_flows_ad",
                    "stage_flows_au",
                    "stage_flows_stage_au",
                    "close_durations_ai",
                    "close_durations_ad",
                    "close_durations_au",
                    "realized_ai",
                    "realized_ad",
                    "realized_au",
                ] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {t}")).await?;
                }
            }
            DbBackend::Postgres => {
                for (t, table) in [
                    ("forsat_flows_history_ai", "stage_history"),
                    ("forsat_flows_history_au", "stage_history"),
                    ("forsat_flows_history_ad", "stage_history"),
                    ("forsat_flows_history_at", "stage_history"),
                    ("forsat_flows_opportunities_au", "opportunities"),
                    ("forsat_flows_opportunities_ad", "opportunities"),
                    ("forsat_flows_opportunities_at", "opportunities"),
                    ("forsat_flows_stage_au", "stages"),
                    ("forsat_durations_ai", "opportunities"),
                    ("forsat_durations_au", "opportunities"),
                    ("forsat_durations_ad", "opportunities"),
                    ("forsat_realized_ai", "financial_records"),
                    ("forsat_realized_au", "financial_records"),
                    ("forsat_realized_ad", "financial_records"),
                ] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {t} ON {table}"))
                        .await?;
                }
                for f in PG_FUNCTIONS {
                    db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {f} CASCADE"))
                        .await?;
                }
            }
            _ => {}
        }
        m.drop_index(
            Index::drop()
                .name("ix_opportunities_user_stage_amount_realized")
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
        m.alter_table(
            Table::alter()
                .table("opportunities")
                .drop_column("realized_amount")
                .to_owned(),
        )
        .await?;
        for table in [
            "close_duration_totals",
            "stage_flow_totals",
            "opportunity_stage_flows",
            "stage_flows_state",
        ] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
