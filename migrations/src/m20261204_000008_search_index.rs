//! Text search without reading every row: a trigram index over the folded title of
//! every opportunity and the folded search text of every identity.
//!
//! - **SQLite**: FTS5 tables with the trigram tokenizer (`opportunity_search`,
//!   `identity_search`; rowid = the record's id), kept equal to their rows by triggers
//!   in the same transaction as every write (forms, imports, bulk edits, deletes,
//!   restores alike). `LIKE '%…%'` over them uses the index when the term has three
//!   characters or more.
//! - **PostgreSQL**: `pg_trgm` GIN indexes on the same folded expressions, so the
//!   planner answers the same `LIKE` from the index.
//!
//! The fold is `forsat_core::domain::validate::search_fold` written in SQL
//! ([`fold_sql`]): Persian and Arabic digits to ASCII, Arabic ي ى ك to Persian ی ک,
//! the zero-width non-joiner to a space, lower case. Identities' `search_text` is
//! already folded by the service.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000008_search_index"
    }
}

/// The pairs the fold replaces, in order (before lower case).
const FOLDS: [(&str, &str); 24] = [
    ("۰", "0"),
    ("۱", "1"),
    ("۲", "2"),
    ("۳", "3"),
    ("۴", "4"),
    ("۵", "5"),
    ("۶", "6"),
    ("۷", "7"),
    ("۸", "8"),
    ("۹", "9"),
    ("٠", "0"),
    ("١", "1"),
    ("٢", "2"),
    ("٣", "3"),
    ("٤", "4"),
    ("٥", "5"),
    ("٦", "6"),
    ("٧", "7"),
    ("٨", "8"),
    ("٩", "9"),
    ("ي", "ی"),
    ("ى", "ی"),
    ("ك", "ک"),
    ("\u{200c}", " "),
];

/// The SQL of the search fold of `expr` (the same text on SQLite and PostgreSQL).
pub fn fold_sql(expr: &str) -> String {
    let mut s = expr.to_owned();
    for (from, to) in FOLDS {
        s = format!("REPLACE({s}, '{from}', '{to}')");
    }
    format!("LOWER({s})")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let title = |row: &str| fold_sql(&format!("{row}.title"));
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                for stmt in [
                    "CREATE VIRTUAL TABLE opportunity_search USING fts5(text, tokenize = 'trigram')".to_owned(),
                    format!(
                        "CREATE TRIGGER opportunity_search_ai AFTER INSERT ON opportunities BEGIN \
                         INSERT INTO opportunity_search(rowid, text) VALUES (new.id, {}); END",
                        title("new")
                    ),
                    format!(
                        "CREATE TRIGGER opportunity_search_au AFTER UPDATE OF title ON opportunities BEGIN \
                         UPDATE opportunity_search SET text = {} WHERE rowid = new.id; END",
                        title("new")
                    ),
                    "CREATE TRIGGER opportunity_search_ad AFTER DELETE ON opportunities BEGIN \
                     DELETE FROM opportunity_search WHERE rowid = old.id; END"
                        .to_owned(),
                    format!(
                        "INSERT INTO opportunity_search(rowid, text) SELECT o.id, {} FROM opportunities o",
                        title("o")
                    ),
                    "CREATE VIRTUAL TABLE identity_search USING fts5(text, tokenize = 'trigram')".to_owned(),
                    "CREATE TRIGGER identity_search_ai AFTER INSERT ON identities BEGIN \
                     INSERT INTO identity_search(rowid, text) VALUES (new.id, new.search_text); END"
                        .to_owned(),
                    "CREATE TRIGGER identity_search_au AFTER UPDATE OF search_text ON identities BEGIN \
                     UPDATE identity_search SET text = new.search_text WHERE rowid = new.id; END"
                        .to_owned(),
                    "CREATE TRIGGER identity_search_ad AFTER DELETE ON identities BEGIN \
                     DELETE FROM identity_search WHERE rowid = old.id; END"
                        .to_owned(),
                    "INSERT INTO identity_search(rowid, text) SELECT id, search_text FROM identities".to_owned(),
                ] {
                    db.execute_unprepared(&stmt).await?;
                }
            }
            DbBackend::Postgres => {
                for stmt in [
                    "CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned(),
                    format!(
                        "CREATE INDEX ix_opportunities_title_search ON opportunities USING gin (({}) gin_trgm_ops)",
                        fold_sql("title")
                    ),
                    "CREATE INDEX ix_identities_search_text_trgm ON identities USING gin (search_text gin_trgm_ops)"
                        .to_owned(),
                ] {
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
                "DROP TRIGGER IF EXISTS opportunity_search_ai",
                "DROP TRIGGER IF EXISTS opportunity_search_au",
                "DROP TRIGGER IF EXISTS opportunity_search_ad",
                "DROP TABLE IF EXISTS opportunity_search",
                "DROP TRIGGER IF EXISTS identity_search_ai",
                "DROP TRIGGER IF EXISTS identity_search_au",
                "DROP TRIGGER IF EXISTS identity_search_ad",
                "DROP TABLE IF EXISTS identity_search",
            ],
            DbBackend::Postgres => &[
                "DROP INDEX IF EXISTS ix_opportunities_title_search",
                "DROP INDEX IF EXISTS ix_identities_search_text_trgm",
            ],
            _ => &[],
        };
        for stmt in stmts {
            db.execute_unprepared(stmt).await?;
        }
        Ok(())
    }
}
