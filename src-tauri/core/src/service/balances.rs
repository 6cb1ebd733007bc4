//! Balances over approved financial records. The sign of each kind comes from
//! `FinancialKind::balance_sign`, so the rule lives in one place; the sum is computed
//! by the database.

use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::ConnectionTrait;

use crate::domain::{from_storage, ContractKind, FinancialKind, RecordStatus};
use crate::error::AppResult;

/// `CASE … END`: the signed amount of one financial record row.
pub fn signed_amount_sql() -> String {
    let mut plus = vec![];
    let mut minus = vec![];
    for k in FinancialKind::ALL {
        match (k.balance_sign(None), k.balance_sign(Some(ContractKind::Financial))) {
            (1, _) => plus.push(format!("kind = '{}'", k.as_str())),
            (-1, _) => minus.push(format!("kind = '{}'", k.as_str())),
            (0, 1) => plus.push(format!(
                "(kind = '{}' AND contract_kind = '{}')",
                k.as_str(),
                ContractKind::Financial.as_str()
            )),
            _ => {}
        }
    }
    format!(
        "CASE WHEN {} THEN amount WHEN {} THEN -amount ELSE 0 END",
        plus.join(" OR "),
        minus.join(" OR ")
    )
}

async fn sum_where<C: ConnectionTrait>(db: &C, filter: SimpleExpr) -> AppResult<Decimal> {
    let mut q = Query::select();
    q.expr_as(
        Expr::cust(format!("CAST(COALESCE(SUM({}), 0) AS BIGINT)", signed_amount_sql())),
        Alias::new("balance"),
    )
    .from(Alias::new("financial_records"))
    .and_where(Expr::col(Alias::new("status")).eq(RecordStatus::Approved.as_str()))
    .and_where(filter);
    let raw: i64 = match db.query_one(&q).await? {
        Some(row) => row.try_get("", "balance")?,
        None => 0,
    };
    Ok(from_storage(raw))
}

/// The identity's balance: positive when the customer owes, negative when owed.
pub async fn identity_balance<C: ConnectionTrait>(db: &C, identity_id: i32) -> AppResult<Decimal> {
    sum_where(db, Expr::col(Alias::new("identity_id")).eq(identity_id)).await
}

/// The opportunity's balance (field 1): only records whose parent is the opportunity.
pub async fn opportunity_balance<C: ConnectionTrait>(db: &C, opportunity_id: i32) -> AppResult<Decimal> {
    sum_where(db, Expr::col(Alias::new("opportunity_id")).eq(opportunity_id)).await
}

/// Realized amount: the approved invoices among the opportunity's records.
pub async fn realized<C: ConnectionTrait>(db: &C, opportunity_id: i32) -> AppResult<Decimal> {
    let mut q = Query::select();
    q.expr_as(
        Expr::cust("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"),
        Alias::new("total"),
    )
    .from(Alias::new("financial_records"))
    .and_where(Expr::col(Alias::new("status")).eq(RecordStatus::Approved.as_str()))
    .and_where(Expr::col(Alias::new("kind")).eq(FinancialKind::Invoice.as_str()))
    .and_where(Expr::col(Alias::new("opportunity_id")).eq(opportunity_id));
    let raw: i64 = match db.query_one(&q).await? {
        Some(row) => row.try_get("", "total")?,
        None => 0,
    };
    Ok(from_storage(raw))
}
