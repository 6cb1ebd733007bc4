//! Where data lives: a SQLite file in the OS app-data folder by default, or the
//! PostgreSQL server named by `FORSAT_DATABASE_URL`. The same migrations run on both.

use std::path::Path;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};

/// The environment variable that points Forsat at another database.
pub const DATABASE_URL_ENV: &str = "FORSAT_DATABASE_URL";

/// How long a SQLite writer waits for another one before giving up (`database_busy`).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The default database URL for an app-data folder.
pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("forsat.sqlite").display())
}

/// Connects (SQLite: WAL journal, foreign keys enforced, a busy timeout) and brings
/// the schema up to date.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false).connect_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        let memory = url.contains(":memory:");
        if memory {
            // One connection, or every pooled connection would see its own empty database.
            opts.max_connections(1).min_connections(1);
        } else {
            // Two report slots of two lanes each (`report::slots`), and two more
            // for the list, the board and the forms meanwhile.
            opts.max_connections(6);
        }
        opts.map_sqlx_sqlite_opts(move |o| {
            // Writers queue (see `service::begin`): a save waits up to this long for
            // another window's or an import's transaction to finish.
            let o = o.foreign_keys(true).busy_timeout(BUSY_TIMEOUT);
            if memory {
                o
            } else {
                o.journal_mode(SqliteJournalMode::Wal)
            }
        });
    } else {
        opts.max_connections(8);
    }
    Database::connect(opts).await
}

/// "sqlite" or "postgres", for display.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}
