//! Small pieces of SQL that differ between SQLite and PostgreSQL, or that every
//! aggregate needs, kept in one place so the services and reports share them.

use rust_decimal::Decimal;
use sea_orm::{DbBackend, QueryResult};

use crate::error::{AppError, AppResult};

/// Exact sum of a money column stored in ten-thousandths (`Fixed4`).
///
/// A plain `SUM` of a million amounts in Rial overflows 64-bit integers (SQLite then
/// raises an error). The sum is therefore taken in two parts — whole units and the
/// ten-thousandths — each of which fits, and joined in Rust by [`read_money_sum`].
/// Appends `"{alias}_w"` and `"{alias}_f"` select expressions.
pub fn money_sum(expr: &str, alias: &str) -> [(String, String); 2] {
    [
        (
            format!("CAST(COALESCE(SUM(({expr}) / 10000), 0) AS BIGINT)"),
            format!("{alias}_w"),
        ),
        (
            format!("CAST(COALESCE(SUM(({expr}) % 10000), 0) AS BIGINT)"),
            format!("{alias}_f"),
        ),
    ]
}

/// Reads a sum selected with [`money_sum`].
pub fn read_money_sum(row: &QueryResult, alias: &str) -> AppResult<Decimal> {
    let whole: i64 = row.try_get("", &format!("{alias}_w"))?;
    let frac: i64 = row.try_get("", &format!("{alias}_f"))?;
    Ok((Decimal::from(whole) + Decimal::new(frac, 4)).normalize())
}

/// Whole days from the date of `from` (a timestamp or date) to the date `to`, as BIGINT.
pub fn days_between(backend: DbBackend, from: &str, to: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(CAST({to} AS DATE) - CAST({from} AS DATE) AS BIGINT)"),
        _ => format!("CAST(julianday(date({to})) - julianday(date({from})) AS INTEGER)"),
    }
}

/// A text column compared as a number (custom field values are stored as text).
pub fn as_number(backend: DbBackend, expr: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(NULLIF({expr}, '') AS NUMERIC)"),
        _ => format!("CAST({expr} AS REAL)"),
    }
}

/// `SELECT … FROM` helper: adds the expressions of [`money_sum`] to a query.
pub fn select_money_sum(q: &mut sea_orm::sea_query::SelectStatement, expr: &str, alias: &str) {
    use sea_orm::sea_query::{Alias, Expr};
    for (sql, name) in money_sum(expr, alias) {
        q.expr_as(Expr::cust(sql), Alias::new(name));
    }
}

/// `COUNT(*) AS n` and the exact estimated (`est_*`) and expected (`exp_*`, percent
/// × amount: divide by 100) sums of the rows of `opportunities o` — the rows' twin of
/// what `totals::select_sum` reads from the report totals.
pub fn select_row_sums(q: &mut sea_orm::sea_query::SelectStatement) {
    use sea_orm::sea_query::{Alias, Expr};
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
    select_money_sum(q, "o.estimated_amount", "est");
    q.expr_as(
        Expr::cust("CAST(COALESCE(SUM((o.estimated_amount / 10000) * o.probability), 0) AS BIGINT)"),
        Alias::new("exp_w"),
    )
    .expr_as(
        Expr::cust("CAST(COALESCE(SUM((o.estimated_amount % 10000) * o.probability), 0) AS BIGINT)"),
        Alias::new("exp_f"),
    );
}

/// A quoted SQL string literal (for the few statements that cannot take parameters,
/// such as role management).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Ids for `n` rows about to be inserted into `table` (whose key `id` is a serial):
/// drawn from its sequence on PostgreSQL; on SQLite, whose writer holds the lock
/// ([`super::begin`]), the ones after both the highest id and the AUTOINCREMENT
/// counter, so that no id of a deleted row comes back. `table` is one of the app's
/// own table names, never user text.
pub async fn reserve_ids<C: sea_orm::ConnectionTrait>(db: &C, table: &str, n: usize) -> AppResult<Vec<i32>> {
    use sea_orm::{Statement, Value};
    if n == 0 {
        return Ok(vec![]);
    }
    let backend = db.get_database_backend();
    let count = i64::try_from(n).map_err(|_| AppError::internal("too many rows"))?;
    if backend == DbBackend::Postgres {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT CAST(nextval(pg_get_serial_sequence($1, 'id')) AS INTEGER) AS id FROM generate_series(1, $2)",
                [Value::from(table), Value::from(count)],
            ))
            .await?;
        return rows
            .iter()
            .map(|r| r.try_get::<i32>("", "id").map_err(Into::into))
            .collect();
    }
    let top = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), \
                 COALESCE((SELECT MAX(id) FROM \"{table}\"), 0)) AS top"
            ),
            [Value::from(table)],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "top"))
        .transpose()?
        .unwrap_or(0);
    (1..=count)
        .map(|i| i32::try_from(top + i).map_err(|_| AppError::internal("ids exhausted")))
        .collect()
}

/// Inserts `rows` in as few statements as the database takes (its limit on bound
/// values), without reading anything back.
pub async fn insert_all<C, A>(db: &C, rows: Vec<A>) -> AppResult<()>
where
    C: sea_orm::ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Send,
{
    use sea_orm::{EntityTrait, Iterable};
    // SQLite binds at most 32,766 values per statement, PostgreSQL 65,535.
    const VALUES_PER_STATEMENT: usize = 30_000;
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter().count().max(1);
    let per = (VALUES_PER_STATEMENT / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        A::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The join every opportunity query over `opportunities o` makes to its stage, as `s`.
pub trait JoinStage {
    fn join_stage(&mut self) -> &mut Self;
}

impl JoinStage for sea_orm::sea_query::SelectStatement {
    fn join_stage(&mut self) -> &mut Self {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType};
        self.join_as(
            JoinType::InnerJoin,
            Alias::new("stages"),
            Alias::new("s"),
            Expr::col((Alias::new("s"), Alias::new("id"))).equals((Alias::new("o"), Alias::new("stage_id"))),
        )
    }
}
