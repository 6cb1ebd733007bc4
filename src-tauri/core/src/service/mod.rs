//! The use cases, one module per feature. Services know nothing of tauri: they take a
//! connection and an [`Actor`], validate, write in one transaction, and return DTOs.

pub mod activities;
pub mod auth;
pub mod balances;
pub mod campaigns;
pub mod changelog;
pub mod comments;
pub mod conditions;
pub mod custom_fields;
pub mod financial;
pub mod identities;
pub mod lines;
pub mod numbering;
pub mod opportunities;
pub mod pipeline;
pub mod pipelines;
pub mod products;
pub mod records;
pub mod refs;
pub mod settings;
pub mod sql;
pub mod stages;
pub mod system_lists;
pub mod teams;
pub mod timeline;
pub mod totals;
pub mod transfer;
pub mod users;

use serde::Serialize;
use specta::Type;

pub use crate::domain::Actor;

/// One page of a list, 1-based.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
}

pub const MAX_PAGE_SIZE: u32 = 500;

/// Clamp a requested page and size to sane bounds.
/// Starts a writing transaction. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): two writers (two windows, a window and a command-line import)
/// then queue under the busy timeout, where a deferred transaction whose read turns
/// into a write would fail at once with "database is locked". PostgreSQL: a plain
/// `BEGIN`. Every service that writes starts its transaction here.
pub async fn begin<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, sea_orm::DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

pub fn paging(page: u32, page_size: u32) -> (u32, u32) {
    (page.max(1), page_size.clamp(1, MAX_PAGE_SIZE))
}

/// The rows to skip before a page (from [`paging`]), computed wide so that no page
/// number can overflow: a page past the end is simply empty.
pub fn page_offset(page: u32, page_size: u32) -> u64 {
    u64::from(page.max(1) - 1) * u64::from(page_size)
}

/// The current instant, from the one clock (`crate::clock`).
pub use crate::clock::now;

/// Escape `%`, `_` and `\` for a LIKE pattern and wrap it in `%…%`.
pub fn like_pattern(term: &str) -> String {
    let mut s = String::with_capacity(term.len() + 2);
    s.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// `LIKE '%term%'` for a search term, with the ESCAPE clause only when the term holds
/// `%`, `_` or `\`: SQLite's trigram index (FTS5) is not used for a LIKE that has an
/// ESCAPE clause, so the common case goes without one.
pub fn like_term(term: &str) -> sea_orm::sea_query::LikeExpr {
    let pattern = sea_orm::sea_query::LikeExpr::new(like_pattern(term));
    if term.contains(['%', '_', '\\']) {
        pattern.escape('\\')
    } else {
        pattern
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn any_page_number_has_an_offset() {
        assert_eq!(super::page_offset(1, 50), 0);
        assert_eq!(super::page_offset(3, 50), 100);
        assert_eq!(super::page_offset(0, 50), 0);
        assert_eq!(
            super::page_offset(u32::MAX, super::MAX_PAGE_SIZE),
            u64::from(u32::MAX - 1) * 500
        );
    }
}
