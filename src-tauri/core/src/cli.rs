//! `forsat import …` and `forsat export …`: the same import and export as the window,
//! without it, for administrators' scripts. Everything goes through the services, so
//! the rules, visibility and all-or-nothing writes are the same. `forsat backup` and
//! `forsat restore` are the Settings › Backups section's (`crate::backup`).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use sea_orm::DatabaseConnection;

use crate::backup;
use crate::domain::validate::search_fold;
use crate::domain::{Language, StageKind, SystemListKey};
use crate::error::AppError;
use crate::seed::reference;
use crate::service::pipeline::{OpportunityFilter, SortKey};
use crate::service::transfer::{
    self, ColumnMapping, DateFormat, ExportFormat, ExportRequest, ImportField, ImportOptions, ImportReport,
    TransferProgress,
};
use crate::service::{stages, system_lists, users, Actor};
use crate::startup::{self, USER_ENV};

pub const USAGE: &str = "\
Usage:
  forsat import FILE [--dry-run] [--create-missing] [--map FIELD=COLUMN]...
                     [--type NAME] [--source NAME] [--stage NAME] [--user USERNAME]
                     [--dates auto|iso|mdy|dmy|jalali] [--kind opportunities|identities|products|users]
  forsat export FILE [--format csv|xlsx] [--lang fa|en] [--status open|won|lost] [--user USERNAME]
  forsat server init --url postgres://OWNER@HOST:PORT/DATABASE [--demo]
  forsat server upgrade --url postgres://OWNER@HOST:PORT/DATABASE
  forsat check-totals [--rebuild] [--user USERNAME]
  forsat backup [FILE] [--user USERNAME]
  forsat backup --list
  forsat restore FILE [--yes] [--user USERNAME]

import  reads a CSV (UTF-8) or XLSX file of opportunities. Columns are matched to
        fields by their headers (or --map title=\"Deal name\"); --type/--source/--stage
        name the values used when the file has no such column. A dry run reports every
        row's problems and writes nothing; a real run writes all rows or none.
        --dates says how the file writes dates (mdy: 03/29/2026); without it the
        format is told from the date cells.
        Fields: title, identity_name, identity_code, pipeline, stage, assigned_user, type,
        source, campaign, close_date, created_on, closed_on, estimated_amount,
        probability, reason,
        reason_note, product_code, product_name, quantity, unit_price.
        --kind identities|products|users reads customers (identity_name or
        first_name/last_name, identity_kind, national_code, economic_code, phone,
        mobile, email, city, address, postal_code, source, assigned_user, notes),
        products (product_code, product_name, category, unit_price, unit, taxable,
        active) or users (username, display_name, role, team; created inactive until
        given a password) instead.
export  writes the opportunities (all, or --status) to FILE as CSV (UTF-8 with BOM)
        or XLSX (from the extension unless --format is given).
check-totals    recomputes the report totals (the counts and sums the board and
        the reports read, the stage flows and the close durations) from the
        opportunities and their stage history and lists every bucket that differs;
        --rebuild then rebuilds them from the rows. For administrators.
server init     sets up a team server, as the owner of its database (a role that
        may create roles): the schema, the reference data, one PostgreSQL login per
        Forsat user with row-level security, and the administrator `admin`, whose
        password comes from FORSAT_PASSWORD or is asked for. --demo adds the demo
        company, its users signing in with the demo password (for trying it out).
server upgrade  brings a team server up to this version of Forsat (as its owner).
backup  writes a consistent copy of the database on this computer to FILE (which
        must not exist), or without FILE to the backups folder beside the database.
        --list shows the backups there (the app also makes one a day, keeping the
        newest few). A team server is backed up with pg_dump (see the README).
restore replaces the database on this computer with the backup FILE (a path, or a
        name from --list) after checking it; a safety copy of the data it replaces
        goes to the backups folder first. Close the app first. Asks before replacing
        unless --yes is given. Backing up and restoring is for administrators.

The database is the app's (FORSAT_DATABASE_URL to use another); the user is
--user, else FORSAT_USER, else the administrator; where the database has several
users or passwords, the password comes from FORSAT_PASSWORD or is asked for. On a
team server the user is the one the URL signs in as, or --user with its password. Exit status: 0 done, 1 problems
found (nothing written), 2 usage or system error.
";

/// Runs a command-line request if `args` (without the program name) is one; `None`
/// when the window should start instead.
pub fn dispatch(args: &[String]) -> Option<i32> {
    let first = args.first()?.as_str();
    if !matches!(
        first,
        "import" | "export" | "check-totals" | "server" | "backup" | "restore" | "help" | "--help"
    ) {
        return None;
    }
    if matches!(first, "help" | "--help") {
        print!("{USAGE}");
        return Some(0);
    }
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("forsat: {e}");
            return Some(2);
        }
    };
    if first == "server" {
        return Some(rt.block_on(server_command(&args[1..])));
    }
    if matches!(first, "backup" | "restore") {
        return Some(rt.block_on(backup_on_this_computer(args)));
    }
    Some(rt.block_on(async {
        let url = match startup::database_url(startup::default_data_dir) {
            Ok(url) => url,
            Err(e) => {
                eprintln!("forsat: {e}");
                return 2;
            }
        };
        // A team server without a user in its URL: sign in as --user (its password from
        // FORSAT_PASSWORD or asked for) by connecting as that user's login role.
        let opened = if startup::is_team_server(&url) && !crate::server::has_credentials(&url) {
            let user = flag_value(args, "--user").unwrap_or_default();
            match password_for(&user) {
                Ok(password) => crate::server::sign_in(&url, &user, &password).await.map(|(db, _)| db),
                Err(e) => {
                    eprintln!("forsat: {e}");
                    return 2;
                }
            }
        } else {
            startup::open(&url, false).await
        };
        let conn = match opened {
            Ok(c) => c,
            Err(crate::error::AppError::Forbidden { .. }) => {
                eprintln!("forsat: wrong username or password");
                return 2;
            }
            Err(e) => {
                eprintln!("forsat: database: {e}");
                return 2;
            }
        };
        let mut out = std::io::stdout();
        match execute(&conn, args, &mut out, &mut std::io::stderr()).await {
            Ok(code) => code,
            Err(message) => {
                eprintln!("forsat: {message}\n\n{USAGE}");
                2
            }
        }
    }))
}

struct Args {
    command: String,
    file: PathBuf,
    flags: HashMap<String, Vec<String>>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let command = args.first().cloned().unwrap_or_default();
    let mut file = None;
    let mut flags: HashMap<String, Vec<String>> = HashMap::new();
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dry-run" | "--create-missing" => {
                flags.entry(a.clone()).or_default().push(String::new());
            }
            "--map" | "--type" | "--source" | "--stage" | "--user" | "--format" | "--lang" | "--status" | "--dates"
            | "--kind" => {
                let v = it.next().ok_or_else(|| format!("{a} needs a value"))?;
                flags.entry(a.clone()).or_default().push(v.clone());
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s if file.is_none() => file = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}")),
        }
    }
    Ok(Args {
        command,
        file: file.ok_or("FILE is missing")?,
        flags,
    })
}

impl Args {
    fn one(&self, flag: &str) -> Option<&str> {
        self.flags.get(flag).and_then(|v| v.last()).map(String::as_str)
    }

    fn has(&self, flag: &str) -> bool {
        self.flags.contains_key(flag)
    }
}

/// `forsat server init|upgrade --url URL`.
async fn server_command(args: &[String]) -> i32 {
    let (sub, url, demo) = match args {
        [sub, flag, url] if flag == "--url" && matches!(sub.as_str(), "init" | "upgrade") => (sub.as_str(), url, false),
        [sub, flag, url, demo] if flag == "--url" && sub == "init" && demo == "--demo" => (sub.as_str(), url, true),
        _ => {
            eprintln!("forsat: usage: forsat server init|upgrade --url postgres://OWNER@HOST:PORT/DATABASE [--demo]");
            return 2;
        }
    };
    let result = if sub == "init" {
        let password = match std::env::var(PASSWORD_ENV) {
            Ok(p) if !p.is_empty() => p,
            _ => match ask_new_password() {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("forsat: {e}");
                    return 2;
                }
            },
        };
        match crate::server::init(url, &password).await {
            Ok(owner) if demo => crate::server::load_demo(&owner)
                .await
                .map(|_| "initialised, with the demo company"),
            Ok(_) => Ok("initialised"),
            Err(e) => Err(e),
        }
    } else {
        crate::server::upgrade(url).await.map(|_| "upgraded")
    };
    match result {
        Ok(done) => {
            println!("forsat: the team server is {done}");
            0
        }
        Err(e) => {
            eprintln!("forsat: {}", plain_error(&e));
            2
        }
    }
}

/// The environment variable a script gives a password in.
pub const PASSWORD_ENV: &str = "FORSAT_PASSWORD";

fn ask_new_password() -> Result<String, String> {
    let first = rpassword::prompt_password("Password for the administrator `admin`: ").map_err(|e| e.to_string())?;
    let again = rpassword::prompt_password("The same password again: ").map_err(|e| e.to_string())?;
    if first != again {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}

fn plain_error(e: &crate::error::AppError) -> String {
    use crate::error::AppError;
    match e {
        AppError::Validation { fields } if fields.iter().any(|f| f.field == "password") => {
            "the password must have at least 8 characters".into()
        }
        AppError::Validation { fields } if fields.iter().any(|f| f.field == "url") => {
            "a team server is a PostgreSQL database: give a postgres:// URL".into()
        }
        other => other.to_string(),
    }
}

/// The value of `flag` among raw arguments (before parsing).
fn flag_value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// A password for signing in as `username`: `FORSAT_PASSWORD`, else asked for on the
/// terminal.
fn password_for(username: &str) -> Result<String, String> {
    if let Ok(p) = std::env::var(PASSWORD_ENV) {
        return Ok(p);
    }
    rpassword::prompt_password(format!("Password for {username}: "))
        .map_err(|_| format!("a password is needed: set {PASSWORD_ENV} or run this in a terminal"))
}

/// Runs `import` / `export` against `db`; `Err` is a usage or system error. Where the
/// database asks who is there (several users, or passwords), the password comes from
/// `FORSAT_PASSWORD` or the terminal.
pub async fn execute(
    db: &DatabaseConnection,
    args: &[String],
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<i32, String> {
    execute_with(db, args, &password_for, out, err).await
}

/// [`execute`] with the password taken from `password(username)`.
pub async fn execute_with(
    db: &DatabaseConnection,
    args: &[String],
    password: &(dyn Fn(&str) -> Result<String, String> + Sync),
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<i32, String> {
    if args.first().map(String::as_str) == Some("check-totals") {
        return check_totals(db, args, password, out, err).await;
    }
    let args = parse(args)?;
    let actor = acting(db, args.one("--user"), password).await?;
    match args.command.as_str() {
        "import" => import(db, &actor, &args, out, err).await,
        "export" => export(db, &actor, &args, out).await,
        other => Err(format!("unknown command {other}")),
    }
}

/// `forsat check-totals [--rebuild]`: the report totals compared with the rows
/// (`service::totals::verify`); exit status 1 when they differ (after `--rebuild`,
/// checked again).
async fn check_totals(
    db: &DatabaseConnection,
    args: &[String],
    password: &(dyn Fn(&str) -> Result<String, String> + Sync),
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<i32, String> {
    use crate::service::totals;
    let (mut rebuild, mut user) = (false, None);
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rebuild" => rebuild = true,
            "--user" => user = Some(it.next().ok_or("--user needs a value")?.clone()),
            s => return Err(format!("unexpected argument {s}")),
        }
    }
    let actor = acting(db, user.as_deref(), password).await?;
    if !actor.is_admin() {
        return Err("checking the report totals is for administrators".into());
    }
    let plain = |e: AppError| e.to_string();
    let mut check = totals::verify(db).await.map_err(plain)?;
    let zone = check
        .zone
        .clone()
        .unwrap_or_else(|| "none (the reports read the rows)".into());
    writeln!(out, "{} buckets, built for the time zone {zone}", check.buckets).ok();
    for m in check.mismatches.iter().take(20) {
        writeln!(
            err,
            "differs: {} kept {:?}, from the rows {:?}",
            m.key, m.kept, m.computed
        )
        .ok();
    }
    if rebuild {
        let clock = crate::service::settings::clock(db).await.map_err(plain)?;
        totals::rebuild(db, &clock).await.map_err(plain)?;
        check = totals::verify(db).await.map_err(plain)?;
        writeln!(out, "rebuilt: {} buckets", check.buckets).ok();
    }
    if check.mismatches.is_empty() {
        writeln!(out, "the report totals equal the rows").ok();
        Ok(0)
    } else {
        writeln!(out, "{} buckets differ from the rows", check.mismatches.len()).ok();
        Ok(1)
    }
}

/// Who a command-line request acts as: on a team server the user the connection signed
/// in as (`asked` may only repeat it); otherwise `asked`, else `FORSAT_USER`, else the
/// administrator, signing in with `password(username)` where the file asks.
async fn acting(
    db: &DatabaseConnection,
    asked: Option<&str>,
    password: &(dyn Fn(&str) -> Result<String, String> + Sync),
) -> Result<Actor, String> {
    // On a team server the database knows who signed in; --user may only repeat it.
    let signed_in = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        crate::server::signed_in_username(db).await.map_err(|e| e.to_string())?
    } else {
        None
    };
    let username = match (signed_in, asked) {
        (Some(me), Some(asked)) if asked != me => {
            return Err(format!("on a team server you act as the user you sign in as ({me})"))
        }
        (Some(me), _) => me,
        (None, asked) => asked
            .map(str::to_owned)
            .or_else(|| std::env::var(USER_ENV).ok())
            .unwrap_or_else(|| reference::ADMIN_USERNAME.to_owned()),
    };
    let actor = if db.get_database_backend() == sea_orm::DbBackend::Sqlite
        && crate::service::auth::sign_in_required(db)
            .await
            .map_err(|e| e.to_string())?
    {
        let typed = password(&username)?;
        crate::service::auth::sign_in(db, &username, &typed)
            .await
            .map_err(|_| "wrong username or password".to_owned())?
    } else {
        users::actor_for(db, &username)
            .await
            .map_err(|_| format!("no such user: {username}"))?
    };
    Ok(actor)
}

async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    args: &Args,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<i32, String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let name = args.file.file_name().and_then(|n| n.to_str()).unwrap_or("import.csv");
    let table = match transfer::read_table(name, &bytes) {
        Ok(t) => t,
        Err(crate::error::AppError::Validation { fields }) => {
            let f = fields.first();
            writeln!(
                out,
                "line {}: {}",
                f.and_then(|f| f.max.clone()).unwrap_or_default(),
                f.and_then(|f| f.min.clone()).unwrap_or_default()
            )
            .ok();
            return Ok(1);
        }
        Err(e) => return Err(e.to_string()),
    };
    let kind = match args.one("--kind") {
        Some(k) => transfer::ImportKind::parse(k).ok_or("--kind: opportunities, identities, products or users")?,
        None => transfer::ImportKind::Opportunities,
    };
    let mut mapping: Vec<ColumnMapping> = transfer::suggest_for(kind, &table.headers, &HashMap::new());
    for m in args.flags.get("--map").into_iter().flatten() {
        let (field, column) = m
            .split_once('=')
            .ok_or_else(|| format!("--map {m}: use FIELD=COLUMN"))?;
        let field = ImportField::parse(field.trim()).ok_or_else(|| format!("--map: unknown field {field}"))?;
        mapping.retain(|x| x.field != field && x.column != column);
        mapping.push(ColumnMapping {
            field,
            column: column.to_owned(),
        });
    }
    let list_id = |key: SystemListKey, flag: &'static str| {
        let wanted = args.one(flag).map(search_fold);
        async move {
            let Some(wanted) = wanted else { return Ok(None) };
            system_lists::list(db, key, false)
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .find(|i| search_fold(&i.title_fa) == wanted || search_fold(&i.title_en) == wanted)
                .map(|i| Some(i.id))
                .ok_or_else(|| format!("{flag}: no such value"))
        }
    };
    let default_type_id = list_id(SystemListKey::OpportunityType, "--type").await?;
    let default_source_id = list_id(SystemListKey::Source, "--source").await?;
    let default_stage_id = match args.one("--stage").map(search_fold) {
        None => None,
        Some(wanted) => Some(
            stages::list(db, false)
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .find(|s| search_fold(&s.title_fa) == wanted || search_fold(&s.title_en) == wanted || s.key == wanted)
                .map(|s| s.id)
                .ok_or("--stage: no such stage")?,
        ),
    };
    let options = ImportOptions {
        create_missing_identities: args.has("--create-missing"),
        create_missing_products: args.has("--create-missing"),
        create_missing_users: args.has("--create-missing"),
        default_type_id,
        default_source_id,
        default_stage_id,
        date_format: match args.one("--dates") {
            Some(v) => DateFormat::parse(v).ok_or("--dates: auto, iso, mdy, dmy or jalali")?,
            None => transfer::table_date_format(&table, &mapping),
        },
        kind,
        ..ImportOptions::default()
    };
    let mut progress = |p: TransferProgress| {
        write!(err, "\r{} / {}", p.done, p.total).ok();
    };
    let report = transfer::run(
        db,
        actor,
        &table,
        &mapping,
        &options,
        args.has("--dry-run"),
        &mut progress,
        &AtomicBool::new(false),
    )
    .await
    .map_err(|e| e.to_string())?;
    writeln!(err).ok();
    write_report(out, &report);
    Ok(if report.problems.is_empty() { 0 } else { 1 })
}

fn write_report(out: &mut (dyn Write + Send), r: &ImportReport) {
    for p in &r.problems {
        writeln!(
            out,
            "line {}{}: {}",
            p.line,
            p.column
                .as_deref()
                .map(|c| format!(", column \"{c}\""))
                .unwrap_or_else(|| { p.field.map(|f| format!(", field {f}")).unwrap_or_default() }),
            p.issue
        )
        .ok();
    }
    let verdict = if r.written {
        "imported"
    } else if r.dry_run && r.problems.is_empty() {
        "checked, nothing written (dry run)"
    } else {
        "nothing written"
    };
    writeln!(
        out,
        "{} rows, {} good, {} problems; {} identities and {} products {}: {verdict}",
        r.rows,
        r.good_rows,
        r.problems.len(),
        r.created_identities,
        r.created_products,
        if r.written { "created" } else { "to create" },
    )
    .ok();
}

async fn export(
    db: &DatabaseConnection,
    actor: &Actor,
    args: &Args,
    out: &mut (dyn Write + Send),
) -> Result<i32, String> {
    let format = match args.one("--format") {
        Some(f) => ExportFormat::parse(f).ok_or_else(|| format!("--format {f}: csv or xlsx"))?,
        None if has_extension(&args.file, "xlsx") => ExportFormat::Xlsx,
        None => ExportFormat::Csv,
    };
    let language = match args.one("--lang") {
        Some(l) => Language::parse(l).ok_or_else(|| format!("--lang {l}: fa or en"))?,
        None => Language::En,
    };
    let status = match args.one("--status") {
        Some(s) => Some(StageKind::parse(s).ok_or_else(|| format!("--status {s}: open, won or lost"))?),
        None => None,
    };
    let request = ExportRequest {
        filter: OpportunityFilter {
            status,
            ..OpportunityFilter::default()
        },
        sort: Vec::<SortKey>::new(),
        columns: vec![],
        format,
        language,
    };
    let result = transfer::export(
        db,
        actor,
        &request,
        &args.file,
        &mut |_p: TransferProgress| {},
        &AtomicBool::new(false),
    )
    .await
    .map_err(|e| e.to_string())?;
    writeln!(out, "{} rows written to {}", result.rows, result.path).ok();
    Ok(0)
}

fn has_extension(p: &Path, ext: &str) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// `forsat backup …` / `forsat restore …` on the database of this computer.
async fn backup_on_this_computer(args: &[String]) -> i32 {
    let url = match startup::database_url(startup::default_data_dir) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("forsat: {e}");
            return 2;
        }
    };
    if startup::is_team_server(&url) {
        eprintln!(
            "forsat: {}",
            plain_backup_error(&AppError::forbidden("backup_on_server"))
        );
        return 2;
    }
    let conn = match startup::open(&url, false).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("forsat: database: {e}");
            return 2;
        }
    };
    let confirm = |question: &str| -> bool {
        eprint!("{question} Type yes to go on: ");
        std::io::stderr().flush().ok();
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).is_ok() && line.trim().eq_ignore_ascii_case("yes")
    };
    let mut out = std::io::stdout();
    match backup_command(conn, args, &password_for, &confirm, &mut out, &mut std::io::stderr()).await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("forsat: {message}");
            2
        }
    }
}

/// Runs `backup [FILE] | backup --list | restore FILE [--yes]` against the SQLite
/// database `db` (which a restore closes; it reopens the restored file to bring it up
/// to date). `confirm` asks before a restore without `--yes`. `Err` is a usage or
/// system error, in words.
pub async fn backup_command(
    db: DatabaseConnection,
    args: &[String],
    password: &(dyn Fn(&str) -> Result<String, String> + Sync),
    confirm: &(dyn Fn(&str) -> bool + Sync),
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<i32, String> {
    let command = args.first().map(String::as_str).unwrap_or_default();
    let mut file: Option<PathBuf> = None;
    let (mut list, mut yes, mut user) = (false, false, None);
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--list" if command == "backup" => list = true,
            "--yes" if command == "restore" => yes = true,
            "--user" => user = Some(it.next().ok_or("--user needs a value")?.clone()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n\n{USAGE}")),
            s if file.is_none() => file = Some(PathBuf::from(s)),
            s => return Err(format!("unexpected argument {s}\n\n{USAGE}")),
        }
    }
    if list && file.is_some() {
        return Err(format!("backup --list takes no FILE\n\n{USAGE}"));
    }
    let actor = acting(&db, user.as_deref(), password).await?;
    let plain = |e: AppError| plain_backup_error(&e);
    backup::require_admin(&actor).map_err(plain)?;
    let current = backup::database_file(&db).await.map_err(plain)?;
    let folder = backup::folder_for(&current);
    match command {
        "backup" if list => {
            let zone = crate::service::settings::clock(&db).await.map_err(plain)?.zone();
            let backups = backup::list(&folder).map_err(plain)?;
            if backups.is_empty() {
                writeln!(out, "no backups in {}", folder.display()).ok();
            }
            for b in backups {
                let kind = match b.kind {
                    backup::BackupKind::Manual => "by hand",
                    backup::BackupKind::Automatic => "daily",
                    backup::BackupKind::SafetyCopy => "before a restore",
                };
                writeln!(
                    out,
                    "{}  {}  {:>12} bytes  {kind}",
                    b.file_name,
                    b.created_at.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
                    b.size
                )
                .ok();
            }
            Ok(0)
        }
        "backup" => {
            let made = match &file {
                Some(f) => backup::backup_to(&db, f).await,
                None => backup::backup_now(&db, &actor, &folder).await,
            }
            .map_err(|e| match (&file, &e) {
                (Some(f), AppError::Validation { .. }) => {
                    format!("{}: a file of that name exists already", f.display())
                }
                _ => plain(e),
            })?;
            writeln!(out, "backed up to {} ({} bytes)", made.path, made.size).ok();
            Ok(0)
        }
        "restore" => {
            let named = file.ok_or_else(|| format!("FILE is missing\n\n{USAGE}"))?;
            let path = if named.exists() {
                named
            } else {
                match named.to_str().map(|n| backup::in_folder(&folder, n)) {
                    Some(Ok(p)) => p,
                    _ => return Err(format!("{}: no such file", named.display())),
                }
            };
            let question = format!(
                "This replaces the data in {} with {}; a safety copy of the data now there goes to {}.",
                current.display(),
                path.display(),
                folder.display()
            );
            if !yes && !confirm(&question) {
                writeln!(err, "nothing restored").ok();
                return Ok(1);
            }
            let mut progress = |step: backup::RestoreStep| {
                let words = match step {
                    backup::RestoreStep::Checking => "checking the backup",
                    backup::RestoreStep::SafetyCopy => "keeping a safety copy",
                    backup::RestoreStep::Replacing => "restoring",
                    backup::RestoreStep::Reopening => "reopening",
                };
                writeln!(err, "{words}…").ok();
            };
            let safety = backup::restore(db, &path, &mut progress).await.map_err(|e| {
                if backup::issue_of(&e).is_some() {
                    format!("{}: {}", path.display(), plain(e))
                } else {
                    plain(e)
                }
            })?;
            progress(backup::RestoreStep::Reopening);
            let url = format!("sqlite://{}?mode=rwc", current.display());
            let reopened = startup::open(&url, false).await.map_err(plain)?;
            reopened.close().await.ok();
            writeln!(
                out,
                "restored from {}; the data it replaced is kept in {}",
                path.display(),
                safety.path
            )
            .ok();
            Ok(0)
        }
        other => Err(format!("unknown command {other}")),
    }
}

/// A backup error in words, for the command line.
fn plain_backup_error(e: &AppError) -> String {
    if let Some(issue) = backup::issue_of(e) {
        return match issue {
            "not_sqlite" => "this is not a Forsat backup (not a SQLite database)",
            "damaged" => "this backup is damaged: its integrity check failed",
            "not_forsat" => "this SQLite database is not Forsat's",
            "newer_version" => "this backup comes from a newer version of Forsat: update Forsat first",
            "current_database" => "this is the database itself, not a backup of it",
            other => other,
        }
        .to_owned();
    }
    match e {
        AppError::Forbidden { reason } if reason == "backup_on_server" => {
            "a team server is backed up by its administrator with pg_dump and pg_dumpall --roles-only (see docs/team-server.md)".into()
        }
        AppError::Forbidden { reason } if reason == "backup_admin_only" => {
            "only an administrator backs up and restores".into()
        }
        AppError::NotFound { id, .. } => format!("{id}: no such file"),
        AppError::Database { message } if message.starts_with("backup_") || message.starts_with("restore_") => {
            "the file could not be written or read (see the message above)".into()
        }
        other => other.to_string(),
    }
}
