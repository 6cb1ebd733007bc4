//! The team server: one PostgreSQL database shared by an office, where **the database
//! itself** refuses what a user may not do, whatever client they use.
//!
//! - The tables belong to an owner role that clients never use: `forsat server init`
//!   and `forsat server upgrade` run as it (migrations, roles, policies).
//! - Each Forsat user is a PostgreSQL login role, `<database>.<username>`, member of
//!   one group per Forsat role (`<database>/admin`, `/manager`, `/salesperson`), all
//!   members of `<database>/client`. The app connects with the signed-in user's own
//!   credentials (scram-sha-256 on the server).
//! - `security.sql` grants the client group what a client may do at all and mirrors
//!   the service layer's visibility with row-level security; triggers check what a
//!   policy cannot see (the old row). `tests/security.rs` proves each rule as a client.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::db;
use crate::domain::UserRole;
use crate::error::{AppError, AppResult};
use crate::seed::reference;
use crate::service::sql::literal;

const SECURITY_SQL: &str = include_str!("security.sql");

/// The login role of a Forsat user on the database `database`.
pub fn login_role(database: &str, username: &str) -> String {
    format!("{database}.{username}")
}

/// The group role of a Forsat role (or `client`, the group of all of them).
pub fn group_role(database: &str, group: &str) -> String {
    format!("{database}/{group}")
}

/// A quoted SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn database_error(e: sea_orm::DbErr) -> AppError {
    AppError::from(e)
}

/// The name of the database `db` is connected to.
pub async fn database_name<C: ConnectionTrait>(db: &C) -> AppResult<String> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_database() AS d",
        ))
        .await?
        .ok_or_else(|| AppError::database("no current database"))?;
    Ok(row.try_get::<String>("", "d")?)
}

fn require_postgres<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        Ok(())
    } else {
        Err(AppError::field("url", crate::domain::ValidationCode::Invalid))
    }
}

/// Creates (or brings up to date) the group roles, the privileges, the policies and
/// the functions of the team server. Run as the tables' owner; idempotent.
pub async fn apply_security(owner: &DatabaseConnection) -> AppResult<()> {
    require_postgres(owner)?;
    let database = database_name(owner).await?;
    let client = group_role(&database, "client");
    let mut setup = String::from("DO $$ BEGIN\n");
    for group in ["client", "admin", "manager", "salesperson"] {
        let name = group_role(&database, group);
        setup.push_str(&format!(
            "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {lit}) THEN CREATE ROLE {id} NOLOGIN; END IF;\n",
            lit = literal(&name),
            id = ident(&name),
        ));
    }
    setup.push_str("END $$;\n");
    for group in ["admin", "manager", "salesperson"] {
        setup.push_str(&format!(
            "GRANT {} TO {};\n",
            ident(&client),
            ident(&group_role(&database, group))
        ));
    }
    owner.execute_unprepared(&setup).await.map_err(database_error)?;
    let sql = SECURITY_SQL
        .replace("@client@", &ident(&client))
        .replace("@client_name@", &literal(&client))
        .replace("@admin@", &ident(&group_role(&database, "admin")))
        .replace("@manager@", &ident(&group_role(&database, "manager")))
        .replace("@salesperson@", &ident(&group_role(&database, "salesperson")));
    owner.execute_unprepared(&sql).await.map_err(database_error)?;
    Ok(())
}

/// `forsat server init`: as the tables' owner, create the schema, the reference data,
/// the roles and policies, and the first administrator's sign-in (the reference data's
/// `admin`, with `admin_password`).
pub async fn init(owner_url: &str, admin_password: &str) -> AppResult<DatabaseConnection> {
    if admin_password.chars().count() < 8 {
        let mut v = crate::domain::Validator::new();
        v.push_limit(
            "password",
            crate::domain::ValidationCode::TooShort,
            Some("8".into()),
            None,
        );
        v.finish()?;
    }
    let owner = upgrade(owner_url).await?;
    sync_login(
        &owner,
        reference::ADMIN_USERNAME,
        UserRole::Admin,
        true,
        Some(admin_password),
    )
    .await?;
    Ok(owner)
}

/// `forsat server init --demo`: the demo company on a team server, for trying one out.
/// Its users sign in with the demo password (the administrator keeps theirs).
pub async fn load_demo(owner: &DatabaseConnection) -> AppResult<()> {
    use sea_orm::EntityTrait;
    crate::seed::demo::load(owner).await?;
    for u in crate::entity::users::Entity::find().all(owner).await? {
        if u.username != reference::ADMIN_USERNAME {
            let role = UserRole::parse(&u.role).unwrap_or(UserRole::Salesperson);
            sync_login(
                owner,
                &u.username,
                role,
                u.active,
                Some(crate::seed::demo::DEMO_PASSWORD),
            )
            .await?;
        }
    }
    Ok(())
}

/// `forsat server upgrade`: as the owner, apply the app's migrations, add missing
/// reference data and bring the roles and policies up to date.
pub async fn upgrade(owner_url: &str) -> AppResult<DatabaseConnection> {
    let owner = db::connect(owner_url).await?;
    require_postgres(&owner)?;
    Migrator::up(&owner, None).await?;
    reference::ensure(&owner).await?;
    apply_security(&owner).await?;
    Ok(owner)
}

/// How the server's schema compares with this app's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaStatus {
    Current,
    /// The server lacks migrations this app has: an administrator runs `forsat server upgrade`.
    Older {
        missing: Vec<String>,
    },
    /// The server has migrations this app does not know: the app needs an update.
    Newer {
        unknown: Vec<String>,
    },
}

/// Compares the migrations applied on the server with the app's (read-only: clients
/// never migrate a team server).
pub async fn schema_status<C: ConnectionTrait>(db: &C) -> AppResult<SchemaStatus> {
    let known: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let applied: Vec<String> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .map_err(|_| AppError::database("no Forsat schema on this server"))?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "version").ok())
        .collect();
    let unknown: Vec<String> = applied.iter().filter(|a| !known.contains(a)).cloned().collect();
    if !unknown.is_empty() {
        return Ok(SchemaStatus::Newer { unknown });
    }
    let missing: Vec<String> = known.into_iter().filter(|k| !applied.contains(k)).collect();
    Ok(if missing.is_empty() {
        SchemaStatus::Current
    } else {
        SchemaStatus::Older { missing }
    })
}

/// The Forsat user this connection signed in as (its login role), if it is a client's;
/// `None` for the owner.
pub async fn signed_in_username<C: ConnectionTrait>(db: &C) -> AppResult<Option<String>> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT u.username FROM users u WHERE session_user = current_database() || '.' || u.username",
        ))
        .await?;
    Ok(row.and_then(|r| r.try_get::<String>("", "username").ok()))
}

/// Creates or updates the login role of a Forsat user (see `service::auth::sync_login`).
pub async fn sync_login<C: ConnectionTrait>(
    db: &C,
    username: &str,
    role: UserRole,
    active: bool,
    password: Option<&str>,
) -> AppResult<()> {
    require_postgres(db)?;
    crate::service::auth::sync_login(db, username, role, active, password).await
}

/// The URL a client uses to reach `database` on the server of `server_url` as
/// `username` (the login role and password replace whatever user the URL named).
pub fn client_url(server_url: &str, username: &str, password: &str) -> AppResult<String> {
    let (scheme, rest) = server_url
        .split_once("://")
        .ok_or_else(|| AppError::field("url", crate::domain::ValidationCode::Invalid))?;
    let host_and_db = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    let database = host_and_db
        .split_once('/')
        .map(|(_, d)| d.split(['?', '#']).next().unwrap_or(d))
        .filter(|d| !d.is_empty())
        .ok_or_else(|| AppError::field("url", crate::domain::ValidationCode::Invalid))?;
    let user = login_role(database, username);
    Ok(format!(
        "{scheme}://{}:{}@{host_and_db}",
        encode(&user),
        encode(password)
    ))
}

/// The server's host and database for display: `db.office:5432/forsat`, never the
/// credentials the URL may carry.
pub fn display_name(server_url: &str) -> String {
    let rest = server_url.split_once("://").map(|(_, r)| r).unwrap_or(server_url);
    let host_and_db = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    host_and_db.split(['?', '#']).next().unwrap_or(host_and_db).to_owned()
}

/// Whether the URL names a user of its own (then the app connects with it at start).
pub fn has_credentials(server_url: &str) -> bool {
    server_url
        .split_once("://")
        .is_some_and(|(_, r)| r.split('/').next().is_some_and(|h| h.contains('@')))
}

/// Signs in to a team server: connects as the user's own login role (the server checks
/// the password), checks the schema, and returns the connection and who it is. A
/// wrong username or password is `forbidden(wrong_credentials)`, a server that does not
/// answer `database(server_unreachable)`.
pub async fn sign_in(
    server_url: &str,
    username: &str,
    password: &str,
) -> AppResult<(DatabaseConnection, crate::domain::Actor)> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(AppError::forbidden(crate::service::auth::WRONG_CREDENTIALS));
    }
    let url = client_url(server_url, &username, password)?;
    let db = match db::connect(&url).await {
        Ok(db) => db,
        Err(e) => {
            return Err(match connect_failure(&e.to_string()) {
                ConnectFailure::Refused => AppError::forbidden(crate::service::auth::WRONG_CREDENTIALS),
                other => other.error(),
            })
        }
    };
    if schema_status(&db).await? != SchemaStatus::Current {
        return Err(AppError::database("server_version_mismatch"));
    }
    let me = signed_in_username(&db)
        .await?
        .ok_or_else(|| AppError::forbidden(crate::service::auth::WRONG_CREDENTIALS))?;
    let actor = crate::service::users::actor_for(&db, &me).await?;
    Ok((db, actor))
}

/// Why a connection to a team server failed, in the words the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectFailure {
    /// The server answered and refused the user or password (or this computer).
    Refused,
    /// The server answered, but the database is not there.
    NoDatabase,
    /// The encrypted connection could not be made (the TLS mode).
    Tls,
    /// Nobody answered: wrong host or port, the server is down, a firewall, no network.
    Unreachable,
}

impl ConnectFailure {
    /// The typed error the app shows (`database(server_…)`).
    pub fn error(self) -> AppError {
        AppError::database(match self {
            ConnectFailure::Refused => "server_refused",
            ConnectFailure::NoDatabase => "server_database_missing",
            ConnectFailure::Tls => "server_tls_failed",
            ConnectFailure::Unreachable => "server_unreachable",
        })
    }
}

/// Classifies a connection error by its SQLSTATE (28P01 invalid_password, 28000
/// invalid_authorization, 3D000 invalid_catalog_name) or its kind.
pub fn connect_failure(text: &str) -> ConnectFailure {
    let lower = text.to_lowercase();
    if text.contains("28P01") || text.contains("28000") || lower.contains("password authentication") {
        ConnectFailure::Refused
    } else if text.contains("3D000") {
        ConnectFailure::NoDatabase
    } else if lower.contains("tls") || lower.contains("ssl") || lower.contains("certificate") {
        ConnectFailure::Tls
    } else {
        ConnectFailure::Unreachable
    }
}

/// Whether a team server answers at `server_url` (the "Test the connection" button):
/// it asks as a user nobody has, so a server that refuses that user has answered. Takes
/// at most `timeout`.
pub async fn probe(server_url: &str, timeout: std::time::Duration) -> AppResult<()> {
    use sea_orm::sqlx::Connection;
    let url = client_url(server_url, "forsat-connection-test", "-")?;
    // One plain connection, not a pool: a pool retries a refused connection until its
    // timeout, and the answer should come as soon as the server gives it.
    match tokio::time::timeout(timeout, sea_orm::sqlx::PgConnection::connect(&url)).await {
        Err(_) => Err(ConnectFailure::Unreachable.error()),
        Ok(Ok(conn)) => {
            conn.close().await.ok();
            Ok(())
        }
        Ok(Err(e)) => match connect_failure(&e.to_string()) {
            ConnectFailure::Refused | ConnectFailure::NoDatabase => Ok(()),
            other => Err(other.error()),
        },
    }
}

/// Percent-encodes a URL's user or password part.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_urls_carry_the_login_role_encoded() {
        assert_eq!(
            client_url(
                "postgres://owner:secret@db.office:5432/forsat?sslmode=require",
                "sara.k",
                "p@ss/w:rd"
            )
            .unwrap(),
            "postgres://forsat.sara.k:p%40ss%2Fw%3Ard@db.office:5432/forsat?sslmode=require"
        );
        assert_eq!(
            client_url("postgres://127.0.0.1:5432/crm", "ali", "x").unwrap(),
            "postgres://crm.ali:x@127.0.0.1:5432/crm"
        );
        assert!(client_url("postgres://127.0.0.1:5432/", "ali", "x").is_err());
        assert!(client_url("not a url", "ali", "x").is_err());
    }

    #[test]
    fn server_names_never_show_credentials() {
        assert_eq!(
            display_name("postgres://o:secret@db.office:5432/forsat?sslmode=require"),
            "db.office:5432/forsat"
        );
        assert!(has_credentials("postgres://o:secret@db.office/forsat"));
        assert!(!has_credentials("postgres://db.office:5432/forsat"));
    }

    #[test]
    fn names_and_literals_are_quoted() {
        assert_eq!(ident("crm/admin"), "\"crm/admin\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("o'brien"), "'o''brien'");
        assert_eq!(login_role("crm", "ali"), "crm.ali");
        assert_eq!(group_role("crm", "client"), "crm/client");
    }
}
