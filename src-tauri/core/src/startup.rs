//! Opening Forsat's database, for the window and the command line alike: find it,
//! connect, bring the schema up to date, make sure the reference data is there and,
//! when asked, load the demo company.

use std::path::PathBuf;

use sea_orm::DatabaseConnection;

use crate::db;
use crate::error::{AppError, AppResult};
use crate::seed::{demo, reference};
use crate::server::{self, SchemaStatus};

/// Environment switch for the demo data (the README's run command passes `--demo`).
pub const DEMO_ENV: &str = "FORSAT_DEMO";
/// The user the app acts as (the admin unless set). Sign-in is not part of this version.
pub const USER_ENV: &str = "FORSAT_USER";
/// The app's identifier (tauri.conf.json): its data folder's name.
pub const APP_IDENTIFIER: &str = "app.forsat.crm";

/// Whether the demo data was asked for, by `--demo` among `args` or `FORSAT_DEMO=1`.
pub fn wants_demo(args: &[String]) -> bool {
    args.iter().any(|a| a == "--demo")
        || std::env::var(DEMO_ENV)
            .map(|v| v == "1" || v.eq_ignore_ascii_case("true"))
            .unwrap_or(false)
}

/// The database URL: `FORSAT_DATABASE_URL` when set, else `forsat.sqlite` in the data
/// folder that `data_dir` gives (created when missing).
pub fn database_url(data_dir: impl FnOnce() -> Option<PathBuf>) -> Result<String, String> {
    match std::env::var(db::DATABASE_URL_ENV) {
        Ok(url) if !url.trim().is_empty() => Ok(url),
        _ => {
            let dir = data_dir().ok_or_else(|| format!("no data folder; set {}", db::DATABASE_URL_ENV))?;
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            Ok(db::default_sqlite_url(&dir))
        }
    }
}

/// The OS data folder of the app (`~/.local/share/app.forsat.crm` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER))
}

/// Opens the database. SQLite ("this computer only"): connect, migrate, ensure the
/// reference data and, with `demo`, load the demo. A team server (PostgreSQL) is never
/// migrated by a client: its schema must match this app's (`forsat server init` and
/// `upgrade` are the owner's), else a plain-words error says what to do.
pub async fn open(url: &str, demo: bool) -> AppResult<DatabaseConnection> {
    if is_team_server(url) {
        let conn = db::connect(url).await?;
        match server::schema_status(&conn).await {
            Ok(SchemaStatus::Current) => {}
            Ok(SchemaStatus::Older { .. }) => {
                return Err(AppError::database(
                    "The team server's database is older than this version of Forsat: ask your administrator to run `forsat server upgrade`.",
                ))
            }
            Ok(SchemaStatus::Newer { .. }) => {
                return Err(AppError::database(
                    "The team server runs a newer version of Forsat than this one: update Forsat on this computer.",
                ))
            }
            Err(_) => {
                return Err(AppError::database(
                    "This PostgreSQL database is not a Forsat team server yet: its administrator sets it up with `forsat server init`.",
                ))
            }
        }
        if demo {
            demo::load(&conn).await?;
        }
        return Ok(conn);
    }
    let conn = db::connect_and_migrate(url).await?;
    reference::ensure(&conn).await?;
    if demo {
        demo::load(&conn).await?;
    }
    Ok(conn)
}

/// Whether `url` names a team server (PostgreSQL) rather than a file on this computer.
pub fn is_team_server(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The username the app acts as. On a team server, the database decides: the Forsat
/// user whose login role the URL signs in with. Otherwise (SQLite, or the owner's
/// URL): `FORSAT_USER`, else the admin.
pub async fn acting_username(db: &DatabaseConnection) -> AppResult<String> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        if let Some(u) = server::signed_in_username(db).await? {
            return Ok(u);
        }
    }
    Ok(username_from_env())
}

/// The username from the environment: `FORSAT_USER`, else the admin.
pub fn username_from_env() -> String {
    std::env::var(USER_ENV).unwrap_or_else(|_| reference::ADMIN_USERNAME.to_owned())
}
