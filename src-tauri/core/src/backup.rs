//! Backups of a database on this computer (SQLite), and restoring one.
//!
//! - **A backup** is `VACUUM INTO` a new file: one read transaction, so the copy is a
//!   consistent snapshot even while the window or an import keeps writing (WAL lets
//!   writers go on), compacted, and a single self-contained file (no `-wal`). It is
//!   written under a hidden temporary name in the same folder, flushed to disk and
//!   renamed, so a half-written file never looks like a backup.
//! - **Names** say what made them and when (UTC, so they sort and never repeat across
//!   daylight-saving changes): `forsat-YYYYMMDD-HHMMSS.forsat` (made by hand; older ones end in `.sqlite`),
//!   `forsat-auto-…` (the daily one), `forsat-before-restore-…` (the safety copy of
//!   what a restore replaced). Only files named so are listed or restored by name.
//! - **Daily backups** ([`daily`]): one when the newest automatic one is 24 hours old;
//!   automatic ones beyond the `keep` newest are deleted. Backups made by hand and
//!   safety copies are never deleted automatically.
//! - **Restoring** ([`restore`], or its steps for the window): [`check`] the file
//!   (`PRAGMA integrity_check`, a Forsat database, no migration newer than this
//!   build), keep a safety copy of the current data while the pool is still open,
//!   close the pool, then [`replace`] the file: copied next to it under a temporary
//!   name, the old `-wal`/`-shm` removed (they belong to the old file), renamed over
//!   it. The caller reopens it through `startup::open`, so older backups are migrated.
//!
//! A team server (PostgreSQL) is backed up by its administrator with `pg_dump` and
//! `pg_dumpall --roles-only` (docs/team-server.md): here it is
//! `forbidden("backup_on_server")`. Only administrators back up and restore.
//!
//! A file that cannot be restored is refused as `validation` on the field `file`
//! with the code `invalid` and the issue in `min` (as an import's file problems are):
//! `not_sqlite`, `damaged`, `not_forsat`, `newer_version`, `current_database`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::Serialize;
use specta::Type;

use crate::clock;
use crate::domain::{Actor, ValidationCode};
use crate::error::{AppError, AppResult, FieldError};
use crate::service::settings;
use crate::service::sql::literal;

/// How many automatic backups are kept unless an administrator chose otherwise.
pub const KEEP_DEFAULT: u32 = 7;
/// The most automatic backups that may be kept.
pub const KEEP_MAX: u32 = 365;
/// The setting that holds how many automatic backups are kept.
pub const KEEP_SETTING: &str = "backup_keep";
/// How old the newest automatic backup may get before the next one is made.
pub const DAILY: Duration = Duration::from_secs(24 * 60 * 60);
/// The folder backups go to, inside the database file's folder.
pub const FOLDER_NAME: &str = "backups";

/// Backups are SQLite files named `*.forsat`, the extension the installers register so
/// that a double-clicked backup opens Forsat's restore. Older ones ended in `.sqlite`.
const EXTENSION: &str = ".forsat";
const OLD_EXTENSION: &str = ".sqlite";
const STAMP: &str = "%Y%m%d-%H%M%S";
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What made a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// "Back up now", or `forsat backup`.
    Manual,
    /// The daily backup.
    Automatic,
    /// The copy of the data a restore replaced.
    SafetyCopy,
}

impl BackupKind {
    fn prefix(self) -> &'static str {
        match self {
            BackupKind::Manual => "forsat-",
            BackupKind::Automatic => "forsat-auto-",
            BackupKind::SafetyCopy => "forsat-before-restore-",
        }
    }
}

/// One backup file.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub file_name: String,
    /// The full path (shown so the file can be found and copied elsewhere).
    pub path: String,
    pub created_at: DateTime<Utc>,
    /// The size in bytes.
    pub size: f64,
    pub kind: BackupKind,
}

/// Where a restore is (the window shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RestoreStep {
    Checking,
    SafetyCopy,
    Replacing,
    Reopening,
}

/// What the daily rule did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Daily {
    pub made: Option<BackupInfo>,
    /// File names of the automatic backups deleted beyond `keep`.
    pub removed: Vec<String>,
}

/// Backups of this computer's data are for administrators.
pub fn require_admin(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("backup_admin_only"))
    }
}

/// A refused backup file: `validation` on `file`, the issue in `min`.
pub fn file_issue(issue: &str) -> AppError {
    AppError::Validation {
        fields: vec![FieldError {
            field: "file".into(),
            code: ValidationCode::Invalid,
            min: Some(issue.to_owned()),
            max: None,
        }],
    }
}

/// The issue code of a refused backup file, if `e` is one.
pub fn issue_of(e: &AppError) -> Option<&str> {
    match e {
        AppError::Validation { fields } => fields.iter().find(|f| f.field == "file").and_then(|f| f.min.as_deref()),
        _ => None,
    }
}

fn io_error(code: &str, path: &Path, e: std::io::Error) -> AppError {
    // The detail goes to the log; the window gets the code and says it in words.
    log::warn!("{code}: {}: {e}", path.display());
    AppError::database(code)
}

/// The file of a SQLite database (from the connection itself, so it is the file the
/// pool has open whatever URL named it). A team server: `forbidden(backup_on_server)`;
/// a database in memory: `forbidden(backup_in_memory)`.
pub async fn database_file<C: ConnectionTrait>(db: &C) -> AppResult<PathBuf> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(AppError::forbidden("backup_on_server"));
    }
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA database_list"))
        .await?;
    rows.iter()
        .find(|r| r.try_get::<String>("", "name").ok().as_deref() == Some("main"))
        .and_then(|r| r.try_get::<String>("", "file").ok())
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| AppError::forbidden("backup_in_memory"))
}

/// The backups folder of a database file: `backups` beside it.
pub fn folder_for(database_file: &Path) -> PathBuf {
    database_file
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(FOLDER_NAME)
}

/// What a file name says about a backup: its kind and when it was made. `None` for
/// any other file.
pub fn parse_name(file_name: &str) -> Option<(BackupKind, DateTime<Utc>)> {
    let stem = file_name
        .strip_suffix(EXTENSION)
        .or_else(|| file_name.strip_suffix(OLD_EXTENSION))?;
    // The longest prefix first: every name starts with "forsat-".
    for kind in [BackupKind::SafetyCopy, BackupKind::Automatic, BackupKind::Manual] {
        let Some(rest) = stem.strip_prefix(kind.prefix()) else {
            continue;
        };
        let (stamp, tail) = (rest.get(..15)?, rest.get(15..)?);
        let counter_ok = tail.is_empty()
            || tail
                .strip_prefix('-')
                .is_some_and(|n| !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit()));
        if !counter_ok {
            return None;
        }
        let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
        return Some((kind, at.and_utc()));
    }
    None
}

/// A name for a new backup of `kind` made at `at`, not yet taken in `folder`.
fn free_name(folder: &Path, kind: BackupKind, at: DateTime<Utc>) -> String {
    let base = format!("{}{}", kind.prefix(), at.format(STAMP));
    let mut name = format!("{base}{EXTENSION}");
    let mut n = 2;
    while folder.join(&name).exists() || folder.join(temp_name(&name)).exists() {
        name = format!("{base}-{n}{EXTENSION}");
        n += 1;
    }
    name
}

fn temp_name(file_name: &str) -> String {
    format!(".{file_name}.part")
}

fn info_of(path: &Path, kind: BackupKind, created_at: DateTime<Utc>) -> AppResult<BackupInfo> {
    let size = std::fs::metadata(path)
        .map_err(|e| io_error("backup_unreadable", path, e))?
        .len();
    Ok(BackupInfo {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        created_at,
        size: size as f64,
        kind,
    })
}

/// Backups are made one at a time in a process (the daily one and "Back up now" may
/// meet).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Writes a consistent copy of the SQLite database `db` to `dest`, which must not
/// exist (`validation` `file`/`duplicate`). The copy appears under its name only when
/// complete.
pub async fn backup_to<C: ConnectionTrait>(db: &C, dest: &Path) -> AppResult<BackupInfo> {
    let _one = ONE_AT_A_TIME.lock().await;
    write_backup(db, dest).await
}

/// [`backup_to`], with the one-at-a-time lock held by the caller.
async fn write_backup<C: ConnectionTrait>(db: &C, dest: &Path) -> AppResult<BackupInfo> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(AppError::forbidden("backup_on_server"));
    }
    let file_name = dest
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| AppError::field("file", ValidationCode::Invalid))?
        .to_owned();
    let folder = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if dest.exists() {
        return Err(AppError::field("file", ValidationCode::Duplicate));
    }
    std::fs::create_dir_all(&folder).map_err(|e| io_error("backup_folder_unwritable", &folder, e))?;
    let temp = folder.join(temp_name(&file_name));
    // A leftover of a backup that never finished (the app was closed meanwhile).
    std::fs::remove_file(&temp).ok();
    let target = temp
        .to_str()
        .filter(|t| !t.contains('\0'))
        .ok_or_else(|| AppError::field("file", ValidationCode::Invalid))?;
    if let Err(e) = db.execute_unprepared(&format!("VACUUM INTO {}", literal(target))).await {
        std::fs::remove_file(&temp).ok();
        return Err(e.into());
    }
    let finish = || -> std::io::Result<()> {
        std::fs::File::open(&temp)?.sync_all()?;
        if dest.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "taken meanwhile",
            ));
        }
        std::fs::rename(&temp, dest)?;
        sync_folder(&folder);
        Ok(())
    };
    if let Err(e) = finish() {
        std::fs::remove_file(&temp).ok();
        return Err(io_error("backup_write_failed", dest, e));
    }
    let (kind, created_at) = parse_name(&file_name).unwrap_or((BackupKind::Manual, clock::now()));
    info_of(dest, kind, created_at)
}

/// Makes the directory entry of a rename durable (a no-op where folders cannot be
/// opened).
fn sync_folder(folder: &Path) {
    if let Ok(dir) = std::fs::File::open(folder) {
        dir.sync_all().ok();
    }
}

/// A new backup of `kind` in `folder`, named by the clock's now.
pub async fn backup_into<C: ConnectionTrait>(db: &C, folder: &Path, kind: BackupKind) -> AppResult<BackupInfo> {
    let _one = ONE_AT_A_TIME.lock().await;
    let name = free_name(folder, kind, clock::now());
    write_backup(db, &folder.join(name)).await
}

/// "Back up now": an administrator's backup in `folder`.
pub async fn backup_now<C: ConnectionTrait>(db: &C, actor: &Actor, folder: &Path) -> AppResult<BackupInfo> {
    require_admin(actor)?;
    backup_into(db, folder, BackupKind::Manual).await
}

/// The backups in `folder`, newest first. A folder that does not exist yet holds none.
pub fn list(folder: &Path) -> AppResult<Vec<BackupInfo>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(io_error("backup_folder_unreadable", folder, e)),
    };
    let mut out = vec![];
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let Some((kind, at)) = parse_name(&name) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if let Ok(info) = info_of(&entry.path(), kind, at) {
            out.push(info);
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// A backup in `folder` by its file name, as the window names it: only a name `list`
/// shows (no folders, no `..`), of a file that is there.
pub fn in_folder(folder: &Path, file_name: &str) -> AppResult<PathBuf> {
    let plain = !file_name.is_empty()
        && !file_name.contains(['/', '\\', '\0', ':'])
        && file_name != "."
        && file_name != ".."
        && parse_name(file_name).is_some();
    if !plain {
        return Err(AppError::field("fileName", ValidationCode::Invalid));
    }
    let path = folder.join(file_name);
    if !path.is_file() {
        return Err(AppError::not_found("backup", file_name));
    }
    Ok(path)
}

/// A backup file the administrator names by its full path (copied from elsewhere).
pub fn named_file(path: &str) -> AppResult<PathBuf> {
    let path = path.trim();
    if path.is_empty() {
        return Err(AppError::field("path", ValidationCode::Required));
    }
    if path.contains('\0') || !Path::new(path).is_absolute() {
        return Err(AppError::field("path", ValidationCode::Invalid));
    }
    Ok(PathBuf::from(path))
}

/// The daily rule: a new automatic backup when the newest one (not dated in the
/// future) is at least [`DAILY`] old, or there is none; then only the `keep` newest
/// automatic backups stay. `now` is the clock's.
pub async fn daily<C: ConnectionTrait>(db: &C, folder: &Path, keep: u32, now: DateTime<Utc>) -> AppResult<Daily> {
    let _one = ONE_AT_A_TIME.lock().await;
    let mut out = Daily::default();
    let newest = list(folder)?
        .into_iter()
        .filter(|b| b.kind == BackupKind::Automatic && b.created_at <= now)
        .map(|b| b.created_at)
        .max();
    let due = newest.is_none_or(|at| (now - at).to_std().unwrap_or_default() >= DAILY);
    if due {
        let name = free_name(folder, BackupKind::Automatic, now);
        out.made = Some(write_backup(db, &folder.join(name)).await?);
    }
    let keep = keep.clamp(1, KEEP_MAX) as usize;
    let automatic: Vec<BackupInfo> = list(folder)?
        .into_iter()
        .filter(|b| b.kind == BackupKind::Automatic)
        .collect();
    for old in automatic.into_iter().skip(keep) {
        match std::fs::remove_file(&old.path) {
            Ok(()) => out.removed.push(old.file_name),
            Err(e) => log::warn!("could not delete the old backup {}: {e}", old.path),
        }
    }
    Ok(out)
}

/// How many automatic backups are kept (the setting, else [`KEEP_DEFAULT`]).
pub async fn keep<C: ConnectionTrait>(db: &C) -> AppResult<u32> {
    Ok(settings::get_raw(db, KEEP_SETTING)
        .await?
        .and_then(|v| v.parse::<u32>().ok())
        .map(|k| k.clamp(1, KEEP_MAX))
        .unwrap_or(KEEP_DEFAULT))
}

/// Sets how many automatic backups are kept (1 to [`KEEP_MAX`]); administrators only.
pub async fn set_keep<C: ConnectionTrait>(db: &C, actor: &Actor, keep: u32) -> AppResult<u32> {
    require_admin(actor)?;
    if !(1..=KEEP_MAX).contains(&keep) {
        return Err(AppError::field_limit(
            "keep",
            ValidationCode::OutOfRange,
            Some("1".into()),
            Some(KEEP_MAX.to_string()),
        ));
    }
    settings::put(db, KEEP_SETTING, &keep.to_string()).await?;
    Ok(keep)
}

/// Whether `path` can be restored: a SQLite file that passes `PRAGMA integrity_check`,
/// with Forsat's schema history and no migration this build does not know. Opened
/// read-only and immutable, so checking changes nothing and leaves no side files. A
/// missing file is `not_found("backup")`.
pub async fn check(path: &Path) -> AppResult<()> {
    use sea_orm::sqlx::sqlite::SqliteConnectOptions;
    use sea_orm::sqlx::{ConnectOptions, Connection};

    let shown = || {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if !path.is_file() {
        return Err(AppError::not_found("backup", shown()));
    }
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| {
        use std::io::Read;
        f.read_exact(&mut header)
    });
    if read.is_err() || &header != SQLITE_HEADER {
        return Err(file_issue("not_sqlite"));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .foreign_keys(false)
        .disable_statement_logging();
    let mut conn = options.connect().await.map_err(|_| file_issue("damaged"))?;
    let result = inspect(&mut conn).await;
    conn.close().await.ok();
    result
}

async fn inspect(conn: &mut sea_orm::sqlx::SqliteConnection) -> AppResult<()> {
    use sea_orm::sqlx;
    let verdict: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|_| file_issue("damaged"))?;
    if verdict != ["ok"] {
        return Err(file_issue("damaged"));
    }
    let has_history: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'")
            .fetch_one(&mut *conn)
            .await
            .map_err(|_| file_issue("damaged"))?;
    if has_history == 0 {
        return Err(file_issue("not_forsat"));
    }
    let applied: Vec<String> = sqlx::query_scalar("SELECT version FROM seaql_migrations")
        .fetch_all(&mut *conn)
        .await
        .map_err(|_| file_issue("not_forsat"))?;
    let known = known_migrations();
    let Some(first) = known.first() else {
        return Err(file_issue("not_forsat"));
    };
    if !applied.contains(first) {
        return Err(file_issue("not_forsat"));
    }
    if applied.iter().any(|a| !known.contains(a)) {
        return Err(file_issue("newer_version"));
    }
    Ok(())
}

fn known_migrations() -> Vec<String> {
    use migration::MigratorTrait;
    migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Whether two paths name the same file (both must exist).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Checks `backup` as a replacement for the database in `current`: [`check`], and not
/// the database file itself (`current_database`).
pub async fn check_for_restore(current: &Path, backup: &Path) -> AppResult<()> {
    if same_file(current, backup) {
        return Err(file_issue("current_database"));
    }
    check(backup).await
}

/// The safety copy of the data a restore is about to replace (made while the pool is
/// still open).
pub async fn safety_copy<C: ConnectionTrait>(db: &C, folder: &Path) -> AppResult<BackupInfo> {
    backup_into(db, folder, BackupKind::SafetyCopy).await
}

/// Puts `backup` in place of the database file `current`. Every connection to it must
/// be closed. Copied next to it first (same file system, so the rename is atomic), the
/// old file's `-wal`, `-shm` and `-journal` removed (left beside the new file they
/// would be replayed into it), then renamed over it.
pub fn replace(current: &Path, backup: &Path) -> AppResult<()> {
    let name = current
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| AppError::field("file", ValidationCode::Invalid))?;
    let folder = match current.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = folder.join(format!(".{name}.restoring"));
    std::fs::remove_file(&temp).ok();
    let copy = || -> std::io::Result<()> {
        std::fs::copy(backup, &temp)?;
        std::fs::File::open(&temp)?.sync_all()
    };
    if let Err(e) = copy() {
        std::fs::remove_file(&temp).ok();
        return Err(io_error("restore_failed", &temp, e));
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = folder.join(format!("{name}{suffix}"));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                std::fs::remove_file(&temp).ok();
                return Err(io_error("restore_failed", &side, e));
            }
        }
    }
    if let Err(e) = std::fs::rename(&temp, current) {
        std::fs::remove_file(&temp).ok();
        return Err(io_error("restore_failed", current, e));
    }
    sync_folder(&folder);
    Ok(())
}

/// Restores `backup` over the SQLite database `db` has open, for the command line
/// and the tests (the window runs the same steps between its sessions): check it,
/// keep a safety copy in the backups folder, close `db`, replace the file. Returns the
/// safety copy; the caller reopens the file. Nothing changes when the check fails.
pub async fn restore(
    db: DatabaseConnection,
    backup: &Path,
    progress: &mut (dyn FnMut(RestoreStep) + Send),
) -> AppResult<BackupInfo> {
    let current = database_file(&db).await?;
    progress(RestoreStep::Checking);
    check_for_restore(&current, backup).await?;
    progress(RestoreStep::SafetyCopy);
    let safety = safety_copy(&db, &folder_for(&current)).await?;
    progress(RestoreStep::Replacing);
    db.close().await.ok();
    replace(&current, backup)?;
    Ok(safety)
}
