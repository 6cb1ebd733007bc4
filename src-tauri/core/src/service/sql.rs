//! Small pieces of SQL that differ between SQLite and PostgreSQL, or that every
//! aggregate needs, kept in one place so the services and reports share them.

use rust_decimal::Decimal;
use sea_orm::{DbBackend, QueryResult};

use crate::error::AppResult;

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

/// A quoted SQL string literal (for the few statements that cannot take parameters,
/// such as role management).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
