//! Backups and restoring them. On this computer (SQLite): backup → change → restore
//! gives back exactly the data backed up (a canonical dump of every table); files that
//! are not good backups are refused with typed errors and change nothing; the daily
//! rule keeps N automatic backups and never deletes one made by hand; a backup taken
//! while others write is consistent; the window's restore signs the same user back
//! in. On a team server (PostgreSQL): the documented `pg_dump` / `pg_dumpall
//! --roles-only` / `pg_restore` path brings back the same schema, data, roles and
//! row-level security.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use forsat::commands::AppState;
use forsat::workplace;
use forsat_core::backup::{self, BackupKind, RestoreStep};
use forsat_core::connections::MemoryKeychain;
use forsat_core::domain::{UserRole, ValidationCode};
use forsat_core::error::AppError;
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::opportunities::{self as opps, OpportunityInput};
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::Actor;
use forsat_core::{server, startup};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// A folder of its own for each test, removed afterwards.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("forsat-backup-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&d).ok();
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }

    fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}?mode=rwc", file.display())
}

/// A database file opened as the app opens it (migrated, reference data).
async fn open_file(file: &Path) -> DatabaseConnection {
    startup::open(&sqlite_url(file), false).await.expect("open the file")
}

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// Everything in a SQLite database, in an order that does not depend on how it is
/// stored: the schema objects, then every table's rows (every column quoted), sorted.
async fn dump(db: &DatabaseConnection) -> Vec<String> {
    let mut out = strings(
        db,
        "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
    )
    .await;
    let tables = strings(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").await;
    assert!(tables.len() > 20, "the dump sees Forsat's tables: {tables:?}");
    for t in tables {
        let columns = strings(db, &format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid")).await;
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows = strings(db, &format!("SELECT {row} FROM \"{t}\"")).await;
        rows.sort();
        out.extend(rows.into_iter().map(|r| format!("{t}: {r}")));
    }
    out
}

/// An office with an opportunity, on `db`.
async fn office(db: &DatabaseConnection) -> (Actor, OpportunityInput, i32) {
    let admin = common::admin(db).await;
    let input = common::opportunity_input(db, &admin).await;
    let o = opps::create(db, &admin, input.clone()).await.unwrap();
    (admin, input, o.id)
}

async fn rename(db: &DatabaseConnection, admin: &Actor, input: &OpportunityInput, id: i32, title: &str) {
    let version = opps::get(db, admin, id).await.unwrap().version;
    opps::update(
        db,
        admin,
        id,
        version,
        OpportunityInput {
            title: title.into(),
            ..input.clone()
        },
    )
    .await
    .unwrap();
}

fn names(folder: &Path) -> Vec<String> {
    let mut n: Vec<String> = backup::list(folder).unwrap().into_iter().map(|b| b.file_name).collect();
    n.sort();
    n
}

#[tokio::test]
async fn backup_change_restore_gives_back_exactly_what_was_backed_up() {
    let dir = Dir::new("round-trip");
    let file = dir.join("forsat.sqlite");
    let db = open_file(&file).await;
    let (admin, input, id) = office(&db).await;
    let folder = backup::folder_for(&backup::database_file(&db).await.unwrap());
    assert_eq!(folder, dir.join("backups"), "the backups folder is beside the file");

    let before = dump(&db).await;
    let made = backup::backup_now(&db, &admin, &folder).await.unwrap();
    assert_eq!(made.kind, BackupKind::Manual);
    assert!(made.file_name.starts_with("forsat-") && made.file_name.ends_with(".forsat"));
    assert!(made.size > 0.0);
    assert_eq!(backup::list(&folder).unwrap(), vec![made.clone()]);
    assert!(
        std::fs::read_dir(&folder).unwrap().count() == 1,
        "no temporary or side files are left beside the backup"
    );

    rename(&db, &admin, &input, id, "Changed after the backup").await;
    let changed = dump(&db).await;
    assert_ne!(changed, before);

    let mut steps = vec![];
    let safety = backup::restore(db, Path::new(&made.path), &mut |s| steps.push(s))
        .await
        .unwrap();
    assert_eq!(
        steps,
        vec![RestoreStep::Checking, RestoreStep::SafetyCopy, RestoreStep::Replacing]
    );
    assert_eq!(safety.kind, BackupKind::SafetyCopy);
    assert!(safety.file_name.starts_with("forsat-before-restore-"));
    for side in ["forsat.sqlite-wal", "forsat.sqlite-shm"] {
        assert!(!dir.join(side).exists(), "{side} of the old file is gone");
    }

    let db = open_file(&file).await;
    assert_eq!(
        dump(&db).await,
        before,
        "the restored data is exactly the backed-up data"
    );
    assert_eq!(opps::get(&db, &admin, id).await.unwrap().title, "Server room");

    // The safety copy undoes the restore.
    backup::restore(db, Path::new(&safety.path), &mut |_| {}).await.unwrap();
    let db = open_file(&file).await;
    assert_eq!(
        dump(&db).await,
        changed,
        "the safety copy holds the data the restore replaced"
    );
    // Made by hand, safety copies (two now): all still listed.
    let kinds: Vec<BackupKind> = backup::list(&folder).unwrap().iter().map(|b| b.kind).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == BackupKind::SafetyCopy).count(), 2);
}

#[tokio::test]
async fn a_backup_goes_only_to_a_new_file_and_is_for_administrators() {
    let dir = Dir::new("new-file");
    let db = open_file(&dir.join("forsat.sqlite")).await;
    let (admin, _, _) = office(&db).await;
    // A path with a quote in it is still one path.
    let odd = dir.join("it's here.sqlite");
    let made = backup::backup_to(&db, &odd).await.unwrap();
    assert_eq!(made.path, odd.display().to_string());
    backup::check(&odd).await.unwrap();
    // Never over an existing file.
    let err = backup::backup_to(&db, &odd).await.unwrap_err();
    assert_eq!(err.field_codes(), vec![("file".into(), ValidationCode::Duplicate)]);
    // Two backups in the same second get two names.
    let folder = dir.join("backups");
    let a = backup::backup_now(&db, &admin, &folder).await.unwrap();
    let b = backup::backup_now(&db, &admin, &folder).await.unwrap();
    assert_ne!(a.file_name, b.file_name);
    // A salesperson may not.
    let seller = common::salesperson(admin.user_id);
    assert_eq!(
        backup::backup_now(&db, &seller, &folder).await.unwrap_err(),
        AppError::forbidden("backup_admin_only")
    );
    // A database in memory has no file to back up beside.
    let memory = common::sqlite().await;
    assert_eq!(
        backup::database_file(&memory).await.unwrap_err(),
        AppError::forbidden("backup_in_memory")
    );
}

#[tokio::test]
async fn files_that_are_not_good_backups_are_refused_and_change_nothing() {
    let dir = Dir::new("refused");
    let file = dir.join("forsat.sqlite");
    let db = open_file(&file).await;
    let (admin, _, _) = office(&db).await;
    let folder = dir.join("backups");
    let good = backup::backup_now(&db, &admin, &folder).await.unwrap();

    // Not SQLite at all.
    let text = dir.join("notes.sqlite");
    std::fs::write(&text, "these are my notes, not a database").unwrap();
    // SQLite, but not Forsat's.
    let other = dir.join("other.sqlite");
    {
        let o = forsat_core::db::connect(&sqlite_url(&other)).await.unwrap();
        o.execute_unprepared("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('ash')")
            .await
            .unwrap();
        o.close().await.unwrap();
    }
    // Forsat's, from a newer version.
    let newer = dir.join("newer.sqlite");
    backup::backup_to(&db, &newer).await.unwrap();
    {
        let n = forsat_core::db::connect(&sqlite_url(&newer)).await.unwrap();
        n.execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_future', 0)",
        )
        .await
        .unwrap();
        n.close().await.unwrap();
    }
    // Damaged: pages in the middle overwritten.
    let damaged = dir.join("damaged.sqlite");
    let mut bytes = std::fs::read(&good.path).unwrap();
    assert!(bytes.len() > 8 * 4096, "the backup has pages to damage");
    for b in &mut bytes[2 * 4096..6 * 4096] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, bytes).unwrap();
    // Cut short.
    let short = dir.join("short.sqlite");
    let bytes = std::fs::read(&good.path).unwrap();
    std::fs::write(&short, &bytes[..bytes.len() / 3]).unwrap();

    let before = dump(&db).await;
    let listed = names(&folder);
    for (path, issue) in [
        (&text, "not_sqlite"),
        (&other, "not_forsat"),
        (&newer, "newer_version"),
        (&damaged, "damaged"),
        (&short, "damaged"),
        (&file, "current_database"),
    ] {
        let err = backup::check_for_restore(&file, path).await.unwrap_err();
        assert_eq!(backup::issue_of(&err), Some(issue), "{}: {err:?}", path.display());
        assert_eq!(err.field_codes(), vec![("file".into(), ValidationCode::Invalid)]);
        // The whole restore refuses it before touching anything.
        let again = open_file(&file).await;
        let err = backup::restore(again, path, &mut |_| {}).await.unwrap_err();
        assert_eq!(backup::issue_of(&err), Some(issue));
        assert_eq!(dump(&db).await, before, "{issue}: the data is unchanged");
        assert_eq!(names(&folder), listed, "{issue}: no safety copy was made");
    }
    let missing = dir.join("gone.sqlite");
    assert!(matches!(
        backup::check(&missing).await.unwrap_err(),
        AppError::NotFound { entity, .. } if entity == "backup"
    ));
    // Checking leaves no side files and does not change the file checked.
    let good_bytes = std::fs::read(&good.path).unwrap();
    backup::check(Path::new(&good.path)).await.unwrap();
    assert_eq!(std::fs::read(&good.path).unwrap(), good_bytes);
    assert_eq!(names(&folder), listed);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), listed.len());
}

#[tokio::test]
async fn backups_are_named_by_the_window_only_as_listed() {
    let dir = Dir::new("names");
    let folder = dir.join("backups");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("forsat-20261203-101500.sqlite"), b"x").unwrap();
    std::fs::write(folder.join("forsat-auto-20261203-101500-2.sqlite"), b"x").unwrap();
    std::fs::write(dir.join("secret.sqlite"), b"x").unwrap();
    assert!(backup::in_folder(&folder, "forsat-20261203-101500.sqlite").is_ok());
    assert!(backup::in_folder(&folder, "forsat-auto-20261203-101500-2.sqlite").is_ok());
    for hostile in [
        "",
        ".",
        "..",
        "../secret.sqlite",
        "../forsat-20261203-101500.sqlite",
        "backups/forsat-20261203-101500.sqlite",
        "..\\forsat-20261203-101500.sqlite",
        "/etc/passwd",
        "C:forsat-20261203-101500.sqlite",
        "forsat-20261203-101500.sqlite\0",
        "secret.sqlite",
        "forsat-2026120-101500.sqlite",
        "forsat-20261203-101500-x.sqlite",
        ".forsat-20261203-101500.sqlite.part",
    ] {
        assert_eq!(
            backup::in_folder(&folder, hostile).unwrap_err().field_codes(),
            vec![("fileName".into(), ValidationCode::Invalid)],
            "{hostile:?}"
        );
    }
    assert!(matches!(
        backup::in_folder(&folder, "forsat-20200101-000000.sqlite").unwrap_err(),
        AppError::NotFound { .. }
    ));
    let (kind, at) = backup::parse_name("forsat-before-restore-20261203-101500.sqlite").unwrap();
    assert_eq!(kind, BackupKind::SafetyCopy);
    assert_eq!(at, Utc.with_ymd_and_hms(2026, 12, 3, 10, 15, 0).unwrap());
    assert_eq!(
        backup::parse_name("forsat-auto-20261203-101500.sqlite").unwrap().0,
        BackupKind::Automatic
    );
    assert_eq!(backup::list(&dir.join("none yet")).unwrap(), vec![]);
}

#[tokio::test]
async fn the_daily_rule_keeps_n_automatic_backups_and_never_deletes_others() {
    let dir = Dir::new("daily");
    let db = open_file(&dir.join("forsat.sqlite")).await;
    let (admin, _, _) = office(&db).await;
    let folder = dir.join("backups");
    let day0 = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    // Made by hand long ago, and a safety copy: never deleted by the rule.
    backup::backup_to(&db, &folder.join("forsat-20200101-000000.sqlite"))
        .await
        .unwrap();
    backup::backup_to(&db, &folder.join("forsat-before-restore-20200102-000000.sqlite"))
        .await
        .unwrap();

    let first = backup::daily(&db, &folder, 3, day0).await.unwrap();
    assert!(first.made.is_some(), "none yet: one is made");
    assert_eq!(first.made.as_ref().unwrap().kind, BackupKind::Automatic);
    // Within a day: nothing more.
    for hours in [1, 12, 23] {
        let later = backup::daily(&db, &folder, 3, day0 + Duration::hours(hours))
            .await
            .unwrap();
        assert_eq!(later, backup::Daily::default(), "{hours} h later");
    }
    // A day later, every day for a week, keeping 3.
    let mut removed = vec![];
    for day in 1..=6 {
        let d = backup::daily(&db, &folder, 3, day0 + Duration::days(day))
            .await
            .unwrap();
        assert!(d.made.is_some(), "day {day}");
        removed.extend(d.removed);
    }
    let automatic: Vec<String> = backup::list(&folder)
        .unwrap()
        .into_iter()
        .filter(|b| b.kind == BackupKind::Automatic)
        .map(|b| b.file_name)
        .collect();
    assert_eq!(
        automatic,
        vec![
            "forsat-auto-20260107-090000.forsat",
            "forsat-auto-20260106-090000.forsat",
            "forsat-auto-20260105-090000.forsat",
        ],
        "the three newest, newest first"
    );
    assert_eq!(removed.len(), 4);
    assert!(folder.join("forsat-20200101-000000.sqlite").exists());
    assert!(folder.join("forsat-before-restore-20200102-000000.sqlite").exists());
    // Keeping fewer prunes at the next look, even when no backup is due.
    let d = backup::daily(&db, &folder, 1, day0 + Duration::days(6) + Duration::hours(1))
        .await
        .unwrap();
    assert!(d.made.is_none());
    assert_eq!(d.removed.len(), 2);
    // A backup dated in the future (a clock set wrong) does not stop the daily one.
    backup::backup_to(&db, &folder.join("forsat-auto-20990101-000000.sqlite"))
        .await
        .unwrap();
    let d = backup::daily(&db, &folder, 5, day0 + Duration::days(8)).await.unwrap();
    assert!(d.made.is_some());

    // How many are kept: 7 unless an administrator says otherwise, 1 to 365.
    assert_eq!(backup::keep(&db).await.unwrap(), backup::KEEP_DEFAULT);
    assert_eq!(backup::set_keep(&db, &admin, 14).await.unwrap(), 14);
    assert_eq!(backup::keep(&db).await.unwrap(), 14);
    for wrong in [0, backup::KEEP_MAX + 1] {
        let err = backup::set_keep(&db, &admin, wrong).await.unwrap_err();
        let AppError::Validation { fields } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(fields[0].field, "keep");
        assert_eq!(fields[0].code, ValidationCode::OutOfRange);
        assert_eq!(fields[0].min.as_deref(), Some("1"));
        assert_eq!(fields[0].max.as_deref(), Some("365"));
    }
    assert_eq!(
        backup::set_keep(&db, &common::salesperson(admin.user_id), 3)
            .await
            .unwrap_err(),
        AppError::forbidden("backup_admin_only")
    );
    assert_eq!(backup::keep(&db).await.unwrap(), 14);
}

#[tokio::test]
async fn a_backup_taken_while_others_write_is_consistent() {
    let dir = Dir::new("busy");
    let file = dir.join("forsat.sqlite");
    let db = open_file(&file).await;
    let admin = common::admin(&db).await;
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            for i in 0..150 {
                identities::create(&db, &admin, IdentityInput::organization(&format!("Busy Co. {i}")))
                    .await
                    .unwrap();
            }
        })
    };
    let folder = dir.join("backups");
    let mut made = vec![];
    while !writer.is_finished() {
        made.push(backup::backup_now(&db, &admin, &folder).await.unwrap());
    }
    writer.await.unwrap();
    assert!(
        made.len() >= 2,
        "backups were taken while the writer ran ({})",
        made.len()
    );
    let mut counts = vec![];
    for b in &made {
        backup::check(Path::new(&b.path)).await.unwrap();
        let copy = forsat_core::db::connect(&sqlite_url(Path::new(&b.path))).await.unwrap();
        // Each identity is written with its change-log row in one transaction: a
        // consistent snapshot has as many of one as of the other.
        let n = |sql: &'static str| {
            let copy = copy.clone();
            async move { strings(&copy, sql).await[0].parse::<i64>().unwrap() }
        };
        let identities =
            n("SELECT CAST(count(*) AS TEXT) FROM identities WHERE organization_name LIKE 'Busy Co.%'").await;
        let logged =
            n("SELECT CAST(count(*) AS TEXT) FROM change_log WHERE entity = 'identity' AND action = 'create'").await;
        assert_eq!(identities, logged, "{}", b.file_name);
        counts.push(identities);
        copy.close().await.ok();
    }
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "later backups hold more: {counts:?}"
    );
}

#[tokio::test]
async fn the_command_line_backs_up_lists_and_restores() {
    let dir = Dir::new("cli");
    let file = dir.join("forsat.sqlite");
    let db = open_file(&file).await;
    let (admin, input, id) = office(&db).await;
    let no_password = |_: &str| -> Result<String, String> { Err("no password here".into()) };
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let run = |db: DatabaseConnection, a: Vec<String>, yes: bool| async move {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let confirm = move |_: &str| yes;
        let code = forsat_core::cli::backup_command(db, &a, &no_password, &confirm, &mut out, &mut err).await;
        (code, String::from_utf8(out).unwrap())
    };

    let target = dir.join("by-hand.sqlite");
    let (code, out) = run(db.clone(), args(&["backup", target.to_str().unwrap()]), false).await;
    assert_eq!(code, Ok(0), "{out}");
    assert!(out.contains("backed up to"), "{out}");
    let (code, _) = run(db.clone(), args(&["backup", target.to_str().unwrap()]), false).await;
    assert!(code.unwrap_err().contains("exists already"));
    let (code, _) = run(db.clone(), args(&["backup"]), false).await;
    assert_eq!(code, Ok(0));
    let (code, out) = run(db.clone(), args(&["backup", "--list"]), false).await;
    assert_eq!(code, Ok(0));
    assert!(out.contains("forsat-") && out.contains("by hand"), "{out}");

    let before = dump(&db).await;
    rename(&db, &admin, &input, id, "Changed").await;
    // Not confirmed: nothing restored.
    let (code, _) = run(db.clone(), args(&["restore", target.to_str().unwrap()]), false).await;
    assert_eq!(code, Ok(1));
    assert_ne!(dump(&db).await, before);
    // A file that is not a backup.
    std::fs::write(dir.join("notes.txt"), "notes").unwrap();
    let (code, _) = run(
        db.clone(),
        args(&["restore", dir.join("notes.txt").to_str().unwrap(), "--yes"]),
        true,
    )
    .await;
    assert!(code.unwrap_err().contains("not a Forsat backup"));
    let (code, out) = run(db, args(&["restore", target.to_str().unwrap(), "--yes"]), false).await;
    assert_eq!(code, Ok(0), "{out}");
    assert!(out.contains("forsat-before-restore-"), "{out}");
    let db = open_file(&file).await;
    assert_eq!(dump(&db).await, before);
}

// --- the window ----------------------------------------------------------------------

fn app_state(dir: &Dir) -> AppState {
    AppState::new(
        Some(dir.join("config")),
        Some(dir.join("data")),
        Box::new(Arc::new(MemoryKeychain::default())),
        false,
        false,
    )
}

#[tokio::test]
async fn the_window_restores_and_signs_the_same_user_back_in() {
    let dir = Dir::new("window");
    let state = app_state(&dir);
    workplace::open_this_computer(&state).await.unwrap();
    let db = state.db().unwrap();
    let (admin, input, id) = office(&db).await;
    // A second user with a password: the app asks who is there from now on.
    users::create(
        &db,
        &admin,
        UserInput {
            username: "sara".into(),
            display_name: "Sara".into(),
            role: UserRole::Salesperson,
            active: true,
            password: Some("sara-secret".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(state.signed_in(), Some(admin));

    let settings = workplace::backup_settings(&state).await.unwrap();
    assert!(settings.available);
    assert_eq!(settings.keep, 7);
    assert_eq!(
        settings.folder.as_deref(),
        Some(dir.join("data").join("backups").display().to_string().as_str())
    );
    let (_, _, folder) = workplace::backups_for_admin(&state).await.unwrap();
    let made = backup::backup_now(&db, &admin, &folder).await.unwrap();
    let before = dump(&db).await;
    rename(&db, &admin, &input, id, "Changed in the window").await;

    // A refused file: still signed in, nothing changed.
    let text = dir.join("notes.sqlite");
    std::fs::write(&text, "notes").unwrap();
    let err = workplace::restore_backup(&state, &text, &mut |_| {}).await.unwrap_err();
    assert_eq!(backup::issue_of(&err), Some("not_sqlite"));
    assert_eq!(state.signed_in(), Some(admin));
    assert_eq!(
        opps::get(&state.db().unwrap(), &admin, id).await.unwrap().title,
        "Changed in the window"
    );

    let mut steps = vec![];
    let safety = workplace::restore_backup(&state, Path::new(&made.path), &mut |s| steps.push(s))
        .await
        .unwrap();
    assert_eq!(
        steps,
        vec![
            RestoreStep::Checking,
            RestoreStep::SafetyCopy,
            RestoreStep::Replacing,
            RestoreStep::Reopening
        ]
    );
    assert_eq!(safety.kind, BackupKind::SafetyCopy);
    assert_eq!(state.signed_in(), Some(admin), "the same user is signed in again");
    let db = state.db().unwrap();
    assert_eq!(dump(&db).await, before);
    assert_eq!(opps::get(&db, &admin, id).await.unwrap().title, "Server room");

    // Only administrators; the daily backup runs without anyone signed in.
    state.set_session(None, Some(common::salesperson(admin.user_id + 1)));
    assert_eq!(
        workplace::restore_backup(&state, Path::new(&safety.path), &mut |_| {})
            .await
            .unwrap_err(),
        AppError::forbidden("backup_admin_only")
    );
    state.set_session(None, None);
    let daily = workplace::daily_backup(&state).await.unwrap();
    assert!(daily.made.is_some());
    assert!(
        workplace::daily_backup(&state).await.unwrap().made.is_none(),
        "once a day"
    );
}

fn user(username: &str, role: UserRole) -> UserInput {
    UserInput {
        username: username.into(),
        display_name: username.into(),
        role,
        active: true,
        password: Some(format!("{username}-secret")),
    }
}

#[tokio::test]
async fn a_user_missing_from_the_backup_gets_the_sign_in_screen() {
    let dir = Dir::new("window-missing");
    let state = app_state(&dir);
    workplace::open_this_computer(&state).await.unwrap();
    let db = state.db().unwrap();
    let admin = common::admin(&db).await;
    users::create(&db, &admin, user("sara", UserRole::Salesperson))
        .await
        .unwrap();
    let (_, _, folder) = workplace::backups_for_admin(&state).await.unwrap();
    let made = backup::backup_now(&db, &admin, &folder).await.unwrap();
    // A second administrator, added after the backup, restores it: the backup does
    // not know them, and it has several users, so it asks who is there.
    let boss = users::create(&db, &admin, user("boss", UserRole::Admin)).await.unwrap();
    state.set_session(None, Some(users::actor_for(&db, &boss.username).await.unwrap()));
    workplace::restore_backup(&state, Path::new(&made.path), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(state.signed_in(), None, "the sign-in screen");
    assert!(state.db().is_ok(), "on the restored file");
    assert!(users::actor_for(&state.db().unwrap(), "boss").await.is_err());
}

// --- the team server -----------------------------------------------------------------

/// A PostgreSQL program of the test server's version: beside its `pg_ctl`, else on
/// the PATH.
fn pg_tool(name: &str) -> std::process::Command {
    let dir = std::env::var("FORSAT_TEST_PG_CTL")
        .ok()
        .and_then(|c| c.split_whitespace().next().map(PathBuf::from))
        .and_then(|p| p.parent().map(Path::to_path_buf));
    match dir {
        Some(d) if d.join(name).exists() => std::process::Command::new(d.join(name)),
        _ => std::process::Command::new(name),
    }
}

fn run_tool(mut cmd: std::process::Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `pg_dump` as plain SQL (schema, data, privileges, policies), without the lines
/// that differ on every run (`\restrict` keys).
fn plain_dump(url: &str) -> String {
    let mut cmd = pg_tool("pg_dump");
    cmd.arg("--format=plain").arg(format!("--dbname={url}"));
    run_tool(cmd)
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The roles of a team server and their groups.
async fn roles(admin: &DatabaseConnection, database: &str) -> Vec<String> {
    strings(
        admin,
        &format!(
            "SELECT r.rolname || ' login=' || r.rolcanlogin || ' in=' || coalesce(string_agg(g.rolname, ',' ORDER BY g.rolname), '') \
             FROM pg_roles r LEFT JOIN pg_auth_members m ON m.member = r.oid LEFT JOIN pg_roles g ON g.oid = m.roleid \
             WHERE r.rolname LIKE '{database}.%' OR r.rolname LIKE '{database}/%' GROUP BY r.rolname, r.rolcanlogin ORDER BY 1"
        ),
    )
    .await
}

#[tokio::test]
async fn a_team_server_comes_back_whole_through_pg_dump_and_pg_restore() {
    let Some(owner_url) = common::empty_postgres().await else {
        return;
    };
    let admin_url = std::env::var("FORSAT_TEST_PG_URL").unwrap();
    let database = owner_url.rsplit('/').next().unwrap().to_owned();
    let owner = server::init(&owner_url, "correct horse").await.unwrap();
    // Backing up is not the app's job on a team server.
    assert_eq!(
        backup::database_file(&owner).await.unwrap_err(),
        AppError::forbidden("backup_on_server")
    );
    assert_eq!(
        backup::backup_to(&owner, Path::new("/tmp/never.sqlite"))
            .await
            .unwrap_err(),
        AppError::forbidden("backup_on_server")
    );
    let admin = common::admin(&owner).await;
    users::create(
        &owner,
        &admin,
        UserInput {
            username: "sara".into(),
            display_name: "Sara".into(),
            role: UserRole::Salesperson,
            active: true,
            password: Some("sara-secret".into()),
        },
    )
    .await
    .unwrap();
    let (sara_db, sara) = server::sign_in(&owner_url, "sara", "sara-secret").await.unwrap();
    let input = common::opportunity_input(&owner, &admin).await;
    let saras = opps::create(&sara_db, &sara, input.clone()).await.unwrap();
    let others = opps::create(
        &owner,
        &admin,
        OpportunityInput {
            title: "Not Sara's".into(),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    sara_db.close().await.ok();

    // The backup, as the README's Team server section says: the database by its owner,
    // the roles by a superuser.
    let work = Dir::new(&format!("pg-{database}"));
    let archive = work.join("forsat.dump");
    let roles_file = work.join("roles.sql");
    let mut cmd = pg_tool("pg_dump");
    cmd.arg("--format=custom")
        .arg(format!("--file={}", archive.display()))
        .arg(format!("--dbname={owner_url}"));
    run_tool(cmd);
    let mut cmd = pg_tool("pg_dumpall");
    cmd.arg("--roles-only")
        .arg(format!("--file={}", roles_file.display()))
        .arg(format!("--dbname={admin_url}"));
    run_tool(cmd);
    let before = plain_dump(&owner_url);
    for part in [
        "CREATE POLICY",
        "ENABLE ROW LEVEL SECURITY",
        "GRANT SELECT",
        "Server room",
        "Not Sara's",
    ] {
        assert!(before.contains(part), "the dump holds {part}");
    }
    let cluster = forsat_core::db::connect(&admin_url).await.unwrap();
    let roles_before = roles(&cluster, &database).await;
    assert!(
        roles_before
            .iter()
            .any(|r| r.starts_with(&format!("{database}.sara login=true"))),
        "{roles_before:?}"
    );

    // Something changes after the backup…
    rename(&owner, &admin, &input, saras.id, "Changed after the backup").await;
    owner.close().await.ok();
    assert_ne!(plain_dump(&owner_url), before);
    // …and then the server is lost: the database and its roles.
    cluster
        .execute_unprepared(&format!("DROP DATABASE \"{database}\" WITH (FORCE)"))
        .await
        .unwrap();
    for role in &roles_before {
        let name = role.split(' ').next().unwrap();
        cluster
            .execute_unprepared(&format!("DROP ROLE \"{name}\""))
            .await
            .unwrap();
    }
    assert!(roles(&cluster, &database).await.is_empty());

    // The restore: the roles first (those that still exist are reported and kept),
    // then the database, created again by pg_restore.
    let mut cmd = pg_tool("psql");
    cmd.arg("--quiet")
        .arg("--set=ON_ERROR_STOP=0")
        .arg(format!("--file={}", roles_file.display()))
        .arg(format!("--dbname={admin_url}"));
    run_tool(cmd);
    let mut cmd = pg_tool("pg_restore");
    cmd.arg("--create")
        .arg("--exit-on-error")
        .arg(format!("--dbname={admin_url}"))
        .arg(&archive);
    run_tool(cmd);

    assert_eq!(
        plain_dump(&owner_url),
        before,
        "schema, data, privileges and policies are back"
    );
    assert_eq!(roles(&cluster, &database).await, roles_before, "the roles are back");
    // Sara signs in with her own password and, by row-level security, sees only hers.
    let (sara_db, sara) = server::sign_in(&owner_url, "sara", "sara-secret").await.unwrap();
    assert_eq!(opps::get(&sara_db, &sara, saras.id).await.unwrap().title, "Server room");
    let visible = strings(&sara_db, "SELECT CAST(id AS TEXT) FROM opportunities ORDER BY id").await;
    assert_eq!(visible, vec![saras.id.to_string()]);
    assert!(!visible.contains(&others.id.to_string()));
    sara_db.close().await.ok();
    cluster.close().await.ok();
}
