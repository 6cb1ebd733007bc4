//! Import and export of opportunities, on both backends: files in, problems out with
//! their line and column, nothing half-written; files out readable by spreadsheets.

mod common;

use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use forsat_core::domain::{Calendar, Language, StageKind, UserRole};
use forsat_core::entity::system_items;
use forsat_core::error::AppError;
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::pipeline::{self, ListColumn, ListRequest, OpportunityFilter};
use forsat_core::service::transfer::{
    self, ColumnMapping, DateFormat, ExportFormat, ExportRequest, ImportField, ImportIssue, ImportOptions,
    ImportReport, Table, TransferProgress,
};
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::{settings, Actor};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Statement};

const HEADER: &str = "Title,Customer,Stage,Type,Source,Close date,Amount,Reason,Product code,Quantity";

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
}

fn table(csv: &str) -> Table {
    transfer::read_table("deals.csv", csv.as_bytes()).unwrap()
}

fn mapping(t: &Table) -> Vec<ColumnMapping> {
    transfer::suggest(&t.headers, &Default::default())
}

async fn run(db: &DatabaseConnection, actor: &Actor, t: &Table, options: &ImportOptions, dry: bool) -> ImportReport {
    let mut seen = vec![];
    let report = transfer::run(
        db,
        actor,
        t,
        &mapping(t),
        options,
        dry,
        &mut |p: TransferProgress| seen.push(p.done),
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    assert_eq!(
        seen.last().copied(),
        Some(t.rows.len() as u32),
        "progress reaches the end"
    );
    report
}

/// The first ten rows of the opportunity list for a filter and sort.
async fn list_rows(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: OpportunityFilter,
    sort: Vec<pipeline::SortKey>,
) -> Vec<pipeline::OpportunityRow> {
    pipeline::list(
        db,
        actor,
        &ListRequest {
            filter,
            sort,
            page: 1,
            page_size: 10,
        },
    )
    .await
    .unwrap()
    .page
    .items
}

fn create_all() -> ImportOptions {
    ImportOptions {
        create_missing_identities: true,
        create_missing_products: true,
        ..ImportOptions::default()
    }
}

fn problems(r: &ImportReport) -> Vec<(u32, Option<String>, ImportIssue)> {
    r.problems.iter().map(|p| (p.line, p.column.clone(), p.issue)).collect()
}

async fn bad_rows_are_reported_with_line_and_column_and_nothing_is_written(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let long = "x".repeat(10_000);
    let csv = format!(
        "{HEADER}\n\
         Printers for HQ,Alborz Co,Proposal,Standard,Website,2026-12-01,1000000,,,\n\
         Copier,Alborz Co,Somewhere,Standard,Website,2026-12-01,5,,,\n\
         Toner,Behnam Rad,Proposal,Standard,Website,31/31/2026,5,,,\n\
         Paper,Behnam Rad,Proposal,Standard,Website,,-20,,,\n\
         {long},Behnam Rad,Proposal,Standard,Website,,1,,,\n\
         Scanner,Nobody,Won,Standard,Website,,1,,,\n\
         Ink,Alborz Co,Won,Standard,Website,,1,,,\n\
         Desk,Alborz Co,Proposal,Standard,Website,,1,,NOPE-1,2\n"
    );
    let t = table(&csv);
    let opportunities = count(&db, "opportunities").await;
    let identities_before = count(&db, "identities").await;
    let options = ImportOptions {
        create_missing_identities: false,
        ..ImportOptions::default()
    };
    identities::create(&db, &admin, IdentityInput::organization("Alborz Co"))
        .await
        .unwrap();
    identities::create(&db, &admin, IdentityInput::person("Behnam", "Rad"))
        .await
        .unwrap();
    let identities_before = identities_before + 2;
    let r = run(&db, &admin, &t, &options, true).await;
    let c = |s: &str| Some(s.to_owned());
    assert_eq!(
        problems(&r),
        vec![
            (3, c("Stage"), ImportIssue::UnknownStage),
            (4, c("Close date"), ImportIssue::InvalidDate),
            (5, c("Amount"), ImportIssue::OutOfRange),
            (6, c("Title"), ImportIssue::TooLong),
            (7, c("Customer"), ImportIssue::UnknownIdentity),
            (8, c("Reason"), ImportIssue::Required),
            (9, c("Product code"), ImportIssue::UnknownProduct),
        ]
    );
    assert_eq!((r.rows, r.good_rows, r.written), (8, 1, false));
    assert_eq!(count(&db, "opportunities").await, opportunities);
    // The real run refuses too: all or nothing.
    let r = run(&db, &admin, &t, &options, false).await;
    assert!(!r.written);
    assert_eq!(r.problems.len(), 7);
    assert_eq!(count(&db, "opportunities").await, opportunities);
    assert_eq!(count(&db, "identities").await, identities_before);
    assert_eq!(count(&db, "products").await, 0);
    assert_eq!(count(&db, "stage_history").await, 0);
}

async fn a_good_file_imports_everything_with_identities_and_products(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let csv = format!(
        "\u{feff}{HEADER}\n\
         Printers for HQ,Alborz Co,Proposal,Standard,Website,2026-12-01,\"1,000,000\",,PR-9,2\n\
         Copier,آلبرز,نیازسنجی,سفارش عمده,نمایشگاه,۱۴۰۵/۰۹/۰۸,۲۵۰۰۰۰۰,,,\n\
         Ink,Alborz Co,Won,Standard,Website,,100,Better price,,\n"
    );
    let t = table(&csv);
    assert_eq!(t.headers[0], "Title", "the byte order mark is not part of the header");
    let dry = run(&db, &admin, &t, &create_all(), true).await;
    assert!(dry.problems.is_empty(), "{:?}", dry.problems);
    assert_eq!((dry.good_rows, dry.written, dry.created_identities), (3, false, 2));
    assert_eq!(count(&db, "opportunities").await, 0, "a dry run writes nothing");
    assert_eq!(count(&db, "identities").await, 0);

    let r = run(&db, &admin, &t, &create_all(), false).await;
    assert!(r.written && r.problems.is_empty(), "{r:?}");
    assert_eq!((r.created_identities, r.created_products), (2, 1));
    let rows = list_rows(
        &db,
        &admin,
        OpportunityFilter::default(),
        vec![pipeline::SortKey {
            column: ListColumn::Title,
            desc: false,
        }],
    )
    .await;
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, vec!["Copier", "Ink", "Printers for HQ"]);
    let copier = &rows[0];
    assert_eq!(
        copier.close_date,
        NaiveDate::from_ymd_opt(2026, 11, 29),
        "Jalali 1405/09/08"
    );
    assert_eq!(copier.estimated_amount.to_string(), "2500000");
    assert_eq!(copier.identity_name, "آلبرز");
    let printers = &rows[2];
    assert_eq!(
        printers.estimated_amount.to_string(),
        "1000000",
        "a typed amount wins over the line"
    );
    assert_eq!(rows[1].stage_kind, StageKind::Won);
    assert_eq!(count(&db, "opportunity_lines").await, 1);
    // The mapping is remembered for the next file with the same headers.
    let remembered = settings::user_value(&db, &admin, transfer::MAPPING_KEY).await.unwrap();
    assert!(remembered.unwrap().contains("estimated_amount"));
    // Existing identities are matched, not duplicated.
    let again = run(&db, &admin, &t, &create_all(), true).await;
    assert_eq!((again.created_identities, again.created_products), (0, 0));
    // … also when the file spells the name in another case or with Arabic letters
    // and Persian digits: customers are matched by their folded name.
    let mut kaveh = IdentityInput::organization("کاوه ۲۰۲۶");
    kaveh.is_customer = true;
    let kaveh = identities::create(&db, &admin, kaveh).await.unwrap();
    let spelled = table(&format!(
        "{HEADER}\nA,ALBORZ CO,Proposal,Standard,Website,,,,,\nB,كاوه 2026,Proposal,Standard,Website,,,,,\n"
    ));
    let r = run(&db, &admin, &spelled, &create_all(), false).await;
    assert!(r.written && r.problems.is_empty(), "{r:?}");
    assert_eq!(r.created_identities, 0, "both customers were found by name");
    let kaveh_filter = OpportunityFilter {
        text: Some("کاوه".into()),
        ..OpportunityFilter::default()
    };
    let matched = list_rows(&db, &admin, kaveh_filter, vec![]).await;
    assert_eq!(
        matched.iter().map(|r| r.identity_id).collect::<Vec<_>>(),
        vec![kaveh.id]
    );
}

async fn file_and_mapping_problems(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    // Not UTF-8 (Windows-1256 bytes on line 3).
    let mut bytes = format!("{HEADER}\nA,B,Proposal,Standard,Website,,1,,,\n").into_bytes();
    bytes.extend_from_slice(b"\xe1\xed\xd1,B,Proposal,Standard,Website,,1,,,\n");
    match transfer::read_table("legacy.csv", &bytes).unwrap_err() {
        AppError::Validation { fields } => {
            assert_eq!(fields[0].field, "file");
            assert_eq!(fields[0].min.as_deref(), Some("encoding"));
            assert_eq!(fields[0].max.as_deref(), Some("3"));
        }
        e => panic!("{e:?}"),
    }
    assert!(transfer::read_table("empty.csv", b"").is_err());
    assert!(transfer::read_table("junk.xlsx", b"PK\x03\x04 not really a zip").is_err());
    // Windows line ends (as spreadsheet programs write them) keep the line numbers right,
    // also after a quoted cell that spans two lines.
    let t = transfer::read_table(
        "crlf.csv",
        "Title,Customer\r\nA,B\r\n\"two\r\nlines\",C\r\nD,E\r\n".as_bytes(),
    )
    .unwrap();
    let lines: Vec<u32> = t.rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, vec![2, 3, 5]);
    // Semicolons and tabs are recognised.
    let t = transfer::read_table("x.csv", "Title;Customer\nA;B\n".as_bytes()).unwrap();
    assert_eq!(t.rows[0].1, vec!["A", "B"]);
    let t = transfer::read_table("x.tsv", "Title\tCustomer\nA\tB\n".as_bytes()).unwrap();
    assert_eq!(t.headers, vec!["Title", "Customer"]);

    // Missing required columns are named, and nothing runs.
    let t = table("Customer,Amount\nAlborz,5\n");
    let r = run_with(&db, &admin, &t, mapping(&t), &ImportOptions::default(), false).await;
    let missing: Vec<Option<ImportField>> = r.problems.iter().map(|p| p.field).collect();
    assert_eq!(
        missing,
        vec![
            Some(ImportField::Title),
            Some(ImportField::Type),
            Some(ImportField::Source)
        ]
    );
    assert!(r
        .problems
        .iter()
        .all(|p| p.issue == ImportIssue::MissingColumn && p.line == 1));
    // A mapping naming a column the file does not have.
    let t = table(HEADER);
    let mut m = mapping(&t);
    m.push(ColumnMapping {
        field: ImportField::Campaign,
        column: "Campagne".into(),
    });
    let r = run_with(&db, &admin, &t, m, &ImportOptions::default(), false).await;
    assert_eq!(r.problems[0].column.as_deref(), Some("Campagne"));
    assert_eq!(count(&db, "opportunities").await, 0);
}

/// An import with a mapping of its own (not the suggested one), no progress, not cancelled.
async fn run_with(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &Table,
    mapping: Vec<ColumnMapping>,
    options: &ImportOptions,
    dry: bool,
) -> ImportReport {
    transfer::run(
        db,
        actor,
        t,
        &mapping,
        options,
        dry,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .await
    .unwrap()
}

async fn cancelling_writes_nothing(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let mut csv = String::from(HEADER);
    for i in 0..20 {
        csv.push_str(&format!("\nDeal {i},Alborz Co,Proposal,Standard,Website,,1,,,"));
    }
    let t = table(&csv);
    let r = transfer::run(
        &db,
        &admin,
        &t,
        &mapping(&t),
        &create_all(),
        false,
        &mut |_| {},
        &AtomicBool::new(true),
    )
    .await
    .unwrap();
    assert!(r.cancelled && !r.written);
    assert_eq!(count(&db, "opportunities").await, 0);
    assert_eq!(count(&db, "identities").await, 0);
}

async fn exports_csv_and_xlsx(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let csv = format!(
        "{HEADER}\n\
         =cmd|' /C calc'!A0,شرکت البرز,Proposal,Standard,Website,2026-12-01,1000000,,,\n\
         Copier,Behnam Rad,Won,Standard,Website,,2500000,Better price,,\n"
    );
    let t = table(&csv);
    assert!(run(&db, &admin, &t, &create_all(), false).await.written);
    let dir = std::env::temp_dir().join(format!("forsat-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let request = |format, language, status| ExportRequest {
        filter: OpportunityFilter {
            status,
            ..OpportunityFilter::default()
        },
        sort: vec![],
        columns: vec![
            ListColumn::Title,
            ListColumn::Identity,
            ListColumn::Stage,
            ListColumn::Estimated,
        ],
        format,
        language,
    };
    let path = dir.join(format!("all-{}.csv", db.get_database_backend() as u8));
    let mut progress = vec![];
    let r = transfer::export(
        &db,
        &admin,
        &request(ExportFormat::Csv, Language::En, None),
        &path,
        &mut |p: TransferProgress| progress.push((p.done, p.total)),
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    assert_eq!(r.rows, 2);
    assert_eq!(progress.last(), Some(&(2, 2)));
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "Title,Related to,Sales stage,Estimated amount");
    assert!(lines.contains(&"Copier,Behnam Rad,Won,2500000"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("'=cmd")),
        "formulas are neutralised: {lines:?}"
    );

    let path = dir.join(format!("open-{}.xlsx", db.get_database_backend() as u8));
    let r = transfer::export(
        &db,
        &admin,
        &request(ExportFormat::Xlsx, Language::Fa, Some(StageKind::Open)),
        &path,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    assert_eq!(r.rows, 1);
    let back = transfer::read_table("open.xlsx", &std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(back.headers, vec!["عنوان", "مرتبط با", "مرحله فروش", "مبلغ برآورد"]);
    assert_eq!(back.rows.len(), 1);
    assert_eq!(back.rows[0].1[1], "شرکت البرز");
    assert_eq!(back.rows[0].1[2], "ارائه پیشنهاد");
    assert_eq!(back.rows[0].1[3], "1000000");

    // The exported file imports again (round trip through XLSX).
    let cancelled = transfer::export(
        &db,
        &admin,
        &request(ExportFormat::Csv, Language::En, None),
        &dir.join("cancelled.csv"),
        &mut |_| {},
        &AtomicBool::new(true),
    )
    .await;
    assert!(cancelled.is_err());
    assert!(!dir.join("cancelled.csv").exists(), "a cancelled export leaves no file");
    std::fs::remove_dir_all(&dir).ok();
}

async fn a_salesperson_imports_as_themself_and_exports_their_own(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let seller = forsat_core::service::users::create(
        &db,
        &admin,
        forsat_core::service::users::UserInput {
            username: "seller".into(),
            display_name: "Seller".into(),
            role: forsat_core::domain::UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    let seller = common::salesperson(seller.id);
    let csv = format!("{HEADER}\nOwn deal,Alborz Co,Proposal,Standard,Website,,5,,,\n");
    let t = table(&csv);
    assert!(run(&db, &seller, &t, &create_all(), false).await.written);
    let csv = "Title,Customer,Type,Source,Assigned to\nTheirs,Alborz Co,Standard,Website,admin\n";
    let t = table(csv);
    let r = run(&db, &seller, &t, &create_all(), false).await;
    assert_eq!(
        problems(&r),
        vec![(2, Some("Assigned to".into()), ImportIssue::NotAllowed)]
    );
    let rows = pipeline::list(
        &db,
        &seller,
        &ListRequest {
            filter: OpportunityFilter::default(),
            sort: vec![],
            page: 1,
            page_size: 10,
        },
    )
    .await
    .unwrap();
    assert_eq!(rows.page.items.len(), 1);
    assert_eq!(rows.page.items[0].assigned_user_id, Some(seller.user_id));
}

async fn the_command_line_imports_and_exports(db: DatabaseConnection) {
    let dir = std::env::temp_dir().join(format!(
        "forsat-cli-{}-{}",
        std::process::id(),
        db.get_database_backend() as u8
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("in.csv");
    std::fs::write(
        &file,
        "Deal name,Customer,Amount\nFirst,Alborz Co,100\nSecond,Alborz Co,abc\n",
    )
    .unwrap();
    let args = |extra: &[&str]| -> Vec<String> { extra.iter().map(|s| s.to_string()).collect() };
    let file_s = file.display().to_string();
    let mut out = vec![];
    let mut err = vec![];
    let code = forsat_core::cli::execute(
        &db,
        &args(&[
            "import",
            &file_s,
            "--map",
            "title=Deal name",
            "--type",
            "Standard",
            "--source",
            "Website",
            "--create-missing",
            "--dry-run",
        ]),
        &mut out,
        &mut err,
    )
    .await
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("line 3, column \"Amount\": invalid_number"), "{text}");
    assert_eq!(count(&db, "opportunities").await, 0);

    std::fs::write(
        &file,
        "Deal name,Customer,Amount\nFirst,Alborz Co,100\nSecond,Alborz Co,200\n",
    )
    .unwrap();
    let mut out = vec![];
    let code = forsat_core::cli::execute(
        &db,
        &args(&[
            "import",
            &file_s,
            "--map",
            "title=Deal name",
            "--type",
            "استاندارد",
            "--source",
            "Website",
            "--stage",
            "Negotiation",
            "--create-missing",
        ]),
        &mut out,
        &mut vec![],
    )
    .await
    .unwrap();
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    assert_eq!(count(&db, "opportunities").await, 2);

    let target = dir.join("out.xlsx");
    let mut out = vec![];
    let code = forsat_core::cli::execute(
        &db,
        &args(&["export", &target.display().to_string(), "--status", "open"]),
        &mut out,
        &mut vec![],
    )
    .await
    .unwrap();
    assert_eq!(code, 0);
    let back = transfer::read_table("out.xlsx", &std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(back.rows.len(), 2);
    assert!(back.rows.iter().all(|r| r.1[2] == "Negotiation"));

    // Usage errors are errors, not panics.
    assert!(
        forsat_core::cli::execute(&db, &args(&["import"]), &mut vec![], &mut vec![])
            .await
            .is_err()
    );
    assert!(forsat_core::cli::execute(
        &db,
        &args(&["export", "x.csv", "--format", "pdf"]),
        &mut vec![],
        &mut vec![]
    )
    .await
    .is_err());
    assert!(forsat_core::cli::execute(
        &db,
        &args(&["export", "x.csv", "--user", "ghost"]),
        &mut vec![],
        &mut vec![]
    )
    .await
    .is_err());
    std::fs::remove_dir_all(&dir).ok();
}

/// What a row of the list says about an opportunity, in names rather than ids: two
/// databases agree on these when one was imported from the other's export.
async fn comparable(db: &DatabaseConnection, admin: &Actor) -> Vec<String> {
    let rows = pipeline::list(
        db,
        admin,
        &ListRequest {
            filter: OpportunityFilter::default(),
            sort: vec![pipeline::SortKey {
                column: ListColumn::Title,
                desc: false,
            }],
            page: 1,
            page_size: 100,
        },
    )
    .await
    .unwrap()
    .page
    .items;
    let clock = settings::clock(db).await.unwrap();
    let item = |id: Option<i32>| async move {
        match id {
            Some(id) => system_items::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .map(|i| i.title_en)
                .unwrap_or_default(),
            None => String::new(),
        }
    };
    let mut out = vec![];
    for r in rows {
        out.push(format!(
            "{} | {} | stage {} | {} | type {} | source {} | {} | {}% | close {:?} | created {} | won {:?} | lost {:?} | reason {}{} | note {:?} | days {}",
            r.title,
            r.identity_name,
            r.stage_kind.as_str(),
            r.assigned_user_name.clone().unwrap_or_default(),
            item(Some(r.type_id)).await,
            item(Some(r.source_id)).await,
            r.estimated_amount.normalize(),
            r.probability,
            r.close_date,
            clock.date_of(r.created_at),
            r.won_on,
            r.lost_on,
            item(r.win_reason_id).await,
            item(r.loss_reason_id).await,
            r.reason_note,
            r.days_open,
        ));
    }
    out
}

/// A database of the same backend as `db`, fresh.
async fn fresh_like(db: &DatabaseConnection) -> DatabaseConnection {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => common::postgres().await.expect("postgres"),
        _ => common::sqlite().await,
    }
}

async fn sara(db: &DatabaseConnection, admin: &Actor) {
    users::create(
        db,
        admin,
        UserInput {
            username: "sara".into(),
            display_name: "Sara Ahmadi".into(),
            role: UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
}

/// An export of every column imports back into another database unchanged: stages,
/// users, amounts, probabilities, reasons with their notes, and the dates, the
/// creation and win/loss days included (so durations and periods stay true). In
/// English with Gregorian dates and in Persian with Jalali ones.
async fn an_export_imports_back_unchanged(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    sara(&db, &admin).await;
    let csv = "Title,Customer,Stage,Assigned to,Type,Source,Close date,Amount,Probability,Reason,Reason note,Created,Won/lost on\n\
         Printers for HQ,Alborz Co,Proposal,sara,Standard,Website,2026-12-20,1250000.5,60,,,2026-03-01,\n\
         -Toner (bulk),شرکت البرز,Won,Sara Ahmadi,Bulk order,Exhibition,,2500000,,Better price,\"Paid, on time\",2025-11-02,2026-01-15\n\
         Copier,Behnam Rad,Lost,,Standard,Phone call,2026-02-01,900000,,Chose a competitor,Went with the cheaper one,2025-12-10,2026-02-03\n\
         Scanner,Behnam Rad,Needs analysis,,Delivery,Website,,,,,,,\n";
    let t = table(csv);
    let r = run(&db, &admin, &t, &create_all(), false).await;
    assert!(r.written && r.problems.is_empty(), "{r:?}");
    let original = comparable(&db, &admin).await;
    assert!(
        original[0].contains("won Some(2026-01-15)") && original[0].contains("created 2025-11-02"),
        "the file's history is kept: {original:#?}"
    );
    assert!(
        original[1].contains("lost Some(2026-02-03)") && original[1].contains("days 55"),
        "{original:#?}"
    );

    let dir = std::env::temp_dir().join(format!(
        "forsat-roundtrip-{}-{}",
        std::process::id(),
        db.get_database_backend() as u8
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (language, calendar) in [(Language::En, Calendar::Gregorian), (Language::Fa, Calendar::Jalali)] {
        let patch = settings::SettingsPatch {
            calendar: Some(calendar),
            ..Default::default()
        };
        settings::update(&db, &admin, patch).await.unwrap();
        let path = dir.join(format!("every-{}.csv", language.as_str()));
        let request = ExportRequest {
            filter: OpportunityFilter::default(),
            sort: vec![],
            columns: vec![],
            format: ExportFormat::Csv,
            language,
        };
        transfer::export(&db, &admin, &request, &path, &mut |_| {}, &AtomicBool::new(false))
            .await
            .unwrap();
        let exported = transfer::read_table("every.csv", &std::fs::read(&path).unwrap()).unwrap();

        let other = fresh_like(&db).await;
        let other_admin = common::admin(&other).await;
        sara(&other, &other_admin).await;
        let r = run(&other, &other_admin, &exported, &create_all(), false).await;
        assert!(r.written && r.problems.is_empty(), "{language:?}: {r:?}");
        assert_eq!(
            comparable(&other, &other_admin).await,
            original,
            "{language:?}: the re-imported opportunities read as the exported ones"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The history an import may carry is checked like any other cell: not in the future,
/// a close not before the opening, and no close day for an open stage.
async fn imported_history_is_checked(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let csv = "Title,Customer,Stage,Type,Source,Reason,Created,Won/lost on\n\
         A,Alborz Co,Won,Standard,Website,Better price,2099-01-01,\n\
         B,Alborz Co,Won,Standard,Website,Better price,2026-02-01,2026-01-01\n\
         C,Alborz Co,Proposal,Standard,Website,,2026-02-01,2026-03-01\n\
         D,Alborz Co,Won,Standard,Website,Better price,2026-02-30,\n\
         E,Alborz Co,Lost,Standard,Website,No budget,1850-01-01,\n";
    let t = table(csv);
    let r = run(&db, &admin, &t, &create_all(), true).await;
    assert_eq!(
        r.unmapped,
        vec![
            ImportField::AssignedUser,
            ImportField::EstimatedAmount,
            ImportField::CloseDate
        ],
        "the check says which important fields no column feeds"
    );
    let got = problems(&r);
    assert!(
        got.contains(&(2, Some("Created".into()), ImportIssue::OutOfRange)),
        "{got:?}"
    );
    assert!(
        got.contains(&(3, Some("Won/lost on".into()), ImportIssue::OutOfRange)),
        "{got:?}"
    );
    assert!(
        got.contains(&(4, Some("Won/lost on".into()), ImportIssue::NotAllowed)),
        "{got:?}"
    );
    assert!(
        got.contains(&(5, Some("Created".into()), ImportIssue::InvalidDate)),
        "{got:?}"
    );
    assert!(
        got.contains(&(6, Some("Created".into()), ImportIssue::OutOfRange)),
        "{got:?}"
    );
    assert_eq!(count(&db, "opportunities").await, 0);
}

/// Another CRM's export, as it comes: its own column names (snake_case), US dates and
/// agents by name. The columns map themselves, the date format is told from the cells,
/// won rows close on their close date, and a refused cell is reported with its value.
async fn another_crms_export_maps_itself(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    sara(&db, &admin).await;
    let csv = "opportunity_id,sales_agent,account,deal_stage,deal_type,lead_source,engage_date,close_date,close_value,win_reason\n\
         1C1I7A6R,Sara Ahmadi,Alborz Co,Won,Standard,Website,10/20/2025,3/1/2026,1054,Better price\n\
         Z063OYW0,Sara Ahmadi,Behnam Rad,Proposal,Standard,Website,10/25/2025,12/24/2026,4514,\n\
         EC4QE1BX,sara,Behnam Rad,Won,Standard,Website,11/2/2025,11/30/2025,50,Better price\n";
    let t = table(csv);
    let mapping = mapping(&t);
    let fields: Vec<(ImportField, &str)> = mapping.iter().map(|m| (m.field, m.column.as_str())).collect();
    for expected in [
        (ImportField::Title, "opportunity_id"),
        (ImportField::AssignedUser, "sales_agent"),
        (ImportField::IdentityName, "account"),
        (ImportField::Stage, "deal_stage"),
        (ImportField::CreatedOn, "engage_date"),
        (ImportField::CloseDate, "close_date"),
        (ImportField::EstimatedAmount, "close_value"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {fields:?}");
    }
    assert_eq!(transfer::table_date_format(&t, &mapping), DateFormat::Mdy);
    let options = ImportOptions {
        date_format: DateFormat::Mdy,
        default_type_id: None,
        ..create_all()
    };
    // deal_type / lead_source / win_reason are not Forsat's names: mapped by hand.
    let mut mapping = mapping;
    mapping.extend([
        ColumnMapping {
            field: ImportField::Type,
            column: "deal_type".into(),
        },
        ColumnMapping {
            field: ImportField::Source,
            column: "lead_source".into(),
        },
        ColumnMapping {
            field: ImportField::Reason,
            column: "win_reason".into(),
        },
    ]);
    let r = run_with(&db, &admin, &t, mapping.clone(), &options, false).await;
    assert!(r.written && r.problems.is_empty(), "{r:?}");
    let rows = comparable(&db, &admin).await;
    assert!(
        rows[0].starts_with("1C1I7A6R | Alborz Co | stage won | Sara Ahmadi")
            && rows[0].contains("created 2025-10-20")
            && rows[0].contains("won Some(2026-03-01)")
            && rows[0].contains("days 132"),
        "{rows:#?}"
    );
    assert!(
        rows[2].contains("close Some(2026-12-24)") && rows[2].contains("won None"),
        "{rows:#?}"
    );

    // Under day/month/year the same cells are refused, each with what it said.
    let options = ImportOptions {
        date_format: DateFormat::Dmy,
        ..options
    };
    let r = run_with(&db, &admin, &t, mapping.clone(), &options, true).await;
    let refused: Vec<(u32, Option<String>, Option<String>)> = r
        .problems
        .iter()
        .map(|p| (p.line, p.column.clone(), p.value.clone()))
        .collect();
    assert!(
        refused.contains(&(2, Some("engage_date".into()), Some("10/20/2025".into()))),
        "{refused:?}"
    );
    assert!(
        refused.contains(&(3, Some("close_date".into()), Some("12/24/2026".into()))),
        "{refused:?}"
    );
}

/// A team moves in from another CRM in one pass: the file's own column names, US
/// dates, accounts left empty (sent to a placeholder customer), a product spelled
/// differently from the catalogue (a near match), agents who are not users yet
/// (created, inactive), won and lost rows without reasons (a default reason), open
/// rows without a value (kept at zero, not the product's price). The reports then
/// say what the file says: stage counts, the won amount, the win days and the days
/// each deal took.
async fn a_crm_export_moves_in_in_one_pass(db: DatabaseConnection) {
    use forsat_core::report::{durations::durations, sales_status::sales_status, win_loss::win_loss, ReportFilter};
    use forsat_core::service::products::{self, CategoryInput, ProductInput};
    use forsat_core::service::{stages, system_lists};
    let admin = common::admin(&db).await;
    sara(&db, &admin).await;
    let category = products::create_category(
        &db,
        &admin,
        CategoryInput {
            name: "Hardware".into(),
            parent_id: None,
        },
    )
    .await
    .unwrap()
    .id;
    let product = products::create(
        &db,
        &admin,
        ProductInput {
            code: "GTX-PP".into(),
            name: "GTX Plus Pro".into(),
            category_id: category,
            kind: forsat_core::domain::ProductKind::Product,
            unit_id: None,
            sale_price: "4821".into(),
            taxable: true,
            saleable: true,
            active: true,
        },
    )
    .await
    .unwrap()
    .id;
    let placeholder = identities::create(&db, &admin, IdentityInput::organization("Unknown account"))
        .await
        .unwrap()
        .id;

    // 40 rows, each with what it should become.
    struct Row {
        stage: &'static str,
        created: NaiveDate,
        closed: NaiveDate,
        value: Option<u32>,
    }
    let agents = ["Sara Ahmadi", "Darius Kamali", "Nina Parsa"];
    let accounts = ["", "Kavir Steel", "Alborz Co", "Pars Office Co."];
    let mut csv =
        String::from("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n");
    let mut rows = vec![];
    for i in 0..40u32 {
        let stage = ["Prospecting", "Engaging", "Won", "Lost", "Won"][(i % 5) as usize];
        let created = NaiveDate::from_ymd_opt(2025, 1 + i % 12, 1 + i % 28).unwrap();
        let closed = if stage == "Won" || stage == "Lost" {
            created + chrono::Days::new(u64::from(3 + i * 2))
        } else {
            NaiveDate::from_ymd_opt(2027, 1 + i % 12, 2).unwrap()
        };
        let value = if stage == "Prospecting" && i % 2 == 0 {
            None
        } else {
            Some(100 + i * 7)
        };
        let d = |x: NaiveDate| x.format("%-m/%-d/%Y").to_string();
        csv.push_str(&format!(
            "OP{i:04},{},GTXPlus Pro,{},{stage},{},{},{}\n",
            agents[(i % 3) as usize],
            accounts[(i % 4) as usize],
            d(created),
            d(closed),
            value.map(|v| v.to_string()).unwrap_or_default(),
        ));
        rows.push(Row {
            stage,
            created,
            closed,
            value,
        });
    }
    let t = table(&csv);
    let mapping = mapping(&t);
    assert_eq!(mapping.len(), 8, "every column is recognised: {mapping:?}");
    assert_eq!(transfer::table_date_format(&t, &mapping), DateFormat::Mdy);

    // The value mapping step: what each value reads as.
    let values = transfer::values(&db, &t, &mapping).await.unwrap();
    let value = |field: ImportField, v: &str| {
        values
            .values
            .iter()
            .find(|x| x.field == field && x.value == v)
            .unwrap_or_else(|| panic!("{v} in {:?}", values.values))
            .clone()
    };
    let near = value(ImportField::ProductName, "GTXPlus Pro");
    assert_eq!((near.match_id, near.near, near.rows), (Some(product), true, 40));
    assert_eq!(value(ImportField::AssignedUser, "Darius Kamali").match_id, None);
    assert!(value(ImportField::AssignedUser, "Sara Ahmadi").match_id.is_some());
    assert_eq!(value(ImportField::Stage, "Prospecting").match_id, None);
    assert!(value(ImportField::Stage, "Won").match_id.is_some());
    assert_eq!(value(ImportField::IdentityName, "Kavir Steel").match_id, None);
    assert_eq!(values.rows_without_identity, 10);
    assert!(values.targets.iter().any(|x| x.field == ImportField::Stage));

    // The user's choices: the file's open stages to the first two open stages; the
    // near product taken; new agents and accounts created.
    let open: Vec<i32> = stages::list(&db, false)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let first = |key| {
        let db = &db;
        async move { system_lists::list(db, key, false).await.unwrap()[0].id }
    };
    use forsat_core::domain::SystemListKey;
    let win_reason = first(SystemListKey::WinReason).await;
    let choice = |field, value: &str, target_id: Option<i32>, create: bool| transfer::ValueChoice {
        field,
        value: value.into(),
        target_id,
        create,
    };
    let options = ImportOptions {
        date_format: DateFormat::Mdy,
        default_type_id: Some(first(SystemListKey::OpportunityType).await),
        default_source_id: Some(first(SystemListKey::Source).await),
        default_win_reason_id: Some(win_reason),
        default_loss_reason_id: Some(first(SystemListKey::LossReason).await),
        placeholder_identity_id: Some(placeholder),
        values: vec![
            choice(ImportField::Stage, "Prospecting", Some(open[0]), false),
            choice(ImportField::Stage, "engaging", Some(open[1]), false),
            choice(ImportField::ProductName, "GTXPlus Pro", Some(product), false),
            choice(ImportField::AssignedUser, "Darius Kamali", None, true),
            choice(ImportField::AssignedUser, "Nina Parsa", None, true),
            choice(ImportField::IdentityName, "Kavir Steel", None, true),
            choice(ImportField::IdentityName, "Alborz Co", None, true),
            choice(ImportField::IdentityName, "Pars Office Co.", Some(placeholder), false),
        ],
        ..ImportOptions::default()
    };
    let products_before = count(&db, "products").await;
    let dry = run_with(&db, &admin, &t, mapping.clone(), &options, true).await;
    assert!(dry.problems.is_empty() && !dry.written, "{:?}", dry.problems);
    let r = run_with(&db, &admin, &t, mapping.clone(), &options, false).await;
    assert!(r.written && r.problems.is_empty(), "{r:?}");
    assert_eq!((r.created_identities, r.created_users, r.created_products), (2, 2, 0));
    assert_eq!(
        count(&db, "products").await,
        products_before,
        "the near product is the catalogue's"
    );

    // The agents are users now, inactive until given a password.
    let all_users = users::list(&db, true).await.unwrap();
    for name in ["Darius Kamali", "Nina Parsa"] {
        let u = all_users.iter().find(|u| u.display_name == name).expect(name);
        assert!(!u.active, "{name} is inactive");
    }

    // The reports, against the file.
    let all = ReportFilter::default();
    let status = sales_status(&db, &admin, &all).await.unwrap();
    let in_stage = |id: i32| status.stages.iter().find(|s| s.stage_id == id).map_or(0, |s| s.count);
    let by_file = |stage: &str| rows.iter().filter(|r| r.stage == stage).count() as u32;
    assert_eq!(in_stage(open[0]), by_file("Prospecting"));
    assert_eq!(in_stage(open[1]), by_file("Engaging"));
    let kind_count = |k: StageKind| {
        status
            .stages
            .iter()
            .filter(|s| s.kind == k)
            .map(|s| s.count)
            .sum::<u32>()
    };
    assert_eq!(kind_count(StageKind::Won), by_file("Won"));
    assert_eq!(kind_count(StageKind::Lost), by_file("Lost"));
    let wl = win_loss(&db, &admin, &all).await.unwrap();
    let won_sum: u32 = rows.iter().filter(|r| r.stage == "Won").filter_map(|r| r.value).sum();
    assert_eq!(wl.total.won_amount, rust_decimal::Decimal::from(won_sum));
    assert_eq!(wl.total.won_count, by_file("Won"));
    let days: Vec<i64> = rows
        .iter()
        .filter(|r| r.stage == "Won")
        .map(|r| (r.closed - r.created).num_days())
        .collect();
    let d = durations(&db, &admin, &all).await.unwrap();
    let mean = rust_decimal::Decimal::from(days.iter().sum::<i64>()) / rust_decimal::Decimal::from(days.len() as i64);
    assert_eq!(d.total.won.count, days.len() as u32);
    assert_eq!(d.total.won.average.map(|a| a.round_dp(1)), Some(mean.round_dp(1)));

    // Row by row: win days from the file, empty values stay zero, the placeholder.
    let listed = comparable(&db, &admin).await;
    for (i, r) in rows.iter().enumerate() {
        let line = listed
            .iter()
            .find(|l| l.starts_with(&format!("OP{i:04} |")))
            .unwrap_or_else(|| panic!("OP{i:04} in {listed:#?}"));
        assert!(line.contains(&format!("created {}", r.created)), "{line}");
        match r.stage {
            "Won" => assert!(line.contains(&format!("won Some({})", r.closed)), "{line}"),
            "Lost" => assert!(line.contains(&format!("lost Some({})", r.closed)), "{line}"),
            _ => assert!(line.contains("won None") && line.contains("lost None"), "{line}"),
        }
        let cells: Vec<&str> = line.split(" | ").collect();
        let expected = r.value.map(|v| v.to_string()).unwrap_or_else(|| "0".into());
        assert_eq!(
            cells[6], expected,
            "the file's value, an empty one staying empty: {line}"
        );
        if i % 4 == 0 || i % 4 == 3 {
            assert_eq!(cells[1], "Unknown account", "{line}");
        }
    }
}

/// Customers, products and users come in the same way: columns of another system
/// recognised, every problem of a row at once with its value, all or nothing, and a
/// customer or a code the app already has is not made twice.
async fn customers_products_and_users_import_too(db: DatabaseConnection) {
    use forsat_core::service::products::{self, ProductQuery};
    use forsat_core::service::transfer::ImportKind;
    let admin = common::admin(&db).await;
    let run_kind = |kind: ImportKind, csv: &'static str, dry: bool| {
        let (db, admin) = (&db, &admin);
        async move {
            let t = table(csv);
            let mapping = transfer::suggest_for(kind, &t.headers, &Default::default());
            let options = ImportOptions {
                kind,
                ..ImportOptions::default()
            };
            (mapping.clone(), run_with(db, admin, &t, mapping, &options, dry).await)
        }
    };

    // Customers: an organisation and a person with their phones, e-mail and address.
    let csv = "Account Name,Type,First Name,Last Name,Phone,Mobile,Email,Billing City,Billing Street,National code\n\
               Kavir Steel,company,,,021-44556677,,sales@kavir.example,Tehran,12 Azadi St,\n\
               ,person,Maryam,Karimi,,0912 345 6789,maryam@example.com,Shiraz,,0012345678\n\
               Kavir Steel,company,,,,,not-an-email,,,\n";
    let (mapping, r) = run_kind(ImportKind::Identities, csv, true).await;
    let fields: Vec<ImportField> = mapping.iter().map(|m| m.field).collect();
    for f in [
        ImportField::IdentityName,
        ImportField::IdentityKind,
        ImportField::FirstName,
        ImportField::LastName,
        ImportField::Phone,
        ImportField::Mobile,
        ImportField::Email,
        ImportField::City,
        ImportField::Address,
        ImportField::NationalCode,
    ] {
        assert!(fields.contains(&f), "{f:?} in {fields:?}");
    }
    // The third row repeats a customer of the file and has a bad e-mail: both said.
    let said: Vec<(u32, Option<String>, ImportIssue)> = problems(&r);
    assert!(
        said.contains(&(4, Some("Account Name".into()), ImportIssue::Duplicate)),
        "{said:?}"
    );
    assert!(
        said.contains(&(4, Some("Email".into()), ImportIssue::Invalid)),
        "{said:?}"
    );
    assert_eq!(r.good_rows, 2);
    let csv_ok =
        "Account Name,Type,First Name,Last Name,Phone,Mobile,Email,Billing City,Billing Street,National code\n\
               Kavir Steel,company,,,021-44556677,,sales@kavir.example,Tehran,12 Azadi St,\n\
               ,person,Maryam,Karimi,,0912 345 6789,maryam@example.com,Shiraz,,0012345678\n";
    let before = count(&db, "identities").await;
    let (_, r) = run_kind(ImportKind::Identities, csv_ok, false).await;
    assert!(r.written && r.created_identities == 2, "{r:?}");
    assert_eq!(count(&db, "identities").await, before + 2);
    let kavir = identities::same_name(&db, "Kavir Steel", None).await.unwrap();
    let kavir = identities::get(&db, kavir[0].id).await.unwrap();
    assert_eq!(kavir.phones[0].number, "021-44556677");
    assert_eq!(kavir.emails[0].address, "sales@kavir.example");
    assert_eq!(kavir.addresses[0].city.as_deref(), Some("Tehran"));
    let maryam = identities::same_name(&db, "Maryam Karimi", None).await.unwrap();
    assert_eq!(maryam.len(), 1, "the person is named from first and last name");
    // The same file again: every customer is already there, nothing is added.
    let (_, again) = run_kind(ImportKind::Identities, csv_ok, false).await;
    assert!(
        !again.written && again.problems.iter().all(|p| p.issue == ImportIssue::Duplicate),
        "{again:?}"
    );
    assert_eq!(count(&db, "identities").await, before + 2);

    // Products: a category created by name, prices and flags read, a bad flag said.
    let csv = "SKU,Item,Product group,List price,Taxable,Active\n\
               GTX-B,GTX Basic,Hardware,\"1,200,000\",yes,1\n\
               GTX-P,GTX Pro,Hardware,۲۵۰۰۰۰۰,خیر,فعال\n\
               GTX-X,GTX Broken,Hardware,abc,maybe,1\n";
    let (_, r) = run_kind(ImportKind::Products, csv, true).await;
    let said = problems(&r);
    assert!(
        said.contains(&(4, Some("List price".into()), ImportIssue::InvalidNumber)),
        "{said:?}"
    );
    assert!(
        said.contains(&(4, Some("Taxable".into()), ImportIssue::Invalid)),
        "{said:?}"
    );
    let csv = "SKU,Item,Product group,List price,Taxable,Active\n\
               GTX-B,GTX Basic,Hardware,\"1,200,000\",yes,1\n\
               GTX-P,GTX Pro,Hardware,۲۵۰۰۰۰۰,خیر,فعال\n";
    let (_, r) = run_kind(ImportKind::Products, csv, false).await;
    assert!(r.written && r.created_products == 2, "{r:?}");
    let listed = products::list(
        &db,
        ProductQuery {
            search: Some("GTX".into()),
            category_id: None,
            for_sale: false,
            page: 1,
            page_size: 10,
        },
    )
    .await
    .unwrap();
    let pro = listed.items.iter().find(|p| p.code == "GTX-P").unwrap();
    assert_eq!(pro.sale_price, rust_decimal::Decimal::from(2_500_000));
    assert!(!pro.taxable && pro.active);
    // A code the catalogue has is refused, not doubled.
    let (_, again) = run_kind(ImportKind::Products, csv, false).await;
    assert!(
        !again.written && again.problems.iter().any(|p| p.issue == ImportIssue::Duplicate),
        "{again:?}"
    );

    // Users: roles in either language, inactive until given a password.
    let csv = "Username,Full name,Role\n\
               darius,Darius Kamali,فروشنده\n\
               nina,Nina Parsa,Sales manager\n";
    let (_, r) = run_kind(ImportKind::Users, csv, false).await;
    assert!(r.written && r.created_users == 2, "{r:?}");
    let all = users::list(&db, true).await.unwrap();
    let nina = all.iter().find(|u| u.username == "nina").unwrap();
    assert_eq!((nina.role, nina.active), (UserRole::Manager, false));
    // A salesperson may not add users: refused per row, nothing written.
    let sara_id = {
        sara(&db, &admin).await;
        users::list(&db, true)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.username == "sara")
            .unwrap()
            .id
    };
    let t = table("Username,Full name\nomid,Omid Rahimi\n");
    let options = ImportOptions {
        kind: ImportKind::Users,
        ..ImportOptions::default()
    };
    let mapping = transfer::suggest_for(ImportKind::Users, &t.headers, &Default::default());
    let r = run_with(&db, &common::salesperson(sara_id), &t, mapping, &options, false).await;
    assert!(!r.written && r.problems[0].issue == ImportIssue::NotAllowed, "{r:?}");
}

#[test]
fn date_formats_are_told_from_the_cells() {
    use transfer::{detect_date_format as detect, parse_date_as as parse};
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    assert_eq!(detect(["2026-03-04", "2025-12-31"]), DateFormat::Iso);
    assert_eq!(detect(["1405/09/08", "۱۴۰۴/۰۱/۱۵"]), DateFormat::Jalali);
    assert_eq!(
        detect(["1405/09/08", "2026-12-10"]),
        DateFormat::Iso,
        "year-first, mixed"
    );
    assert_eq!(detect(["03/04/2026", "04/13/2026"]), DateFormat::Mdy);
    assert_eq!(detect(["03/04/2026", "13/04/2026"]), DateFormat::Dmy);
    assert_eq!(detect(["03/04/2026", "05/06/2026"]), DateFormat::Auto, "nothing tells");
    assert_eq!(
        detect(["13/04/2026", "04/13/2026"]),
        DateFormat::Auto,
        "the cells disagree"
    );
    assert_eq!(detect(["", "n/a"]), DateFormat::Auto);
    assert_eq!(parse("3/4/2026", DateFormat::Mdy), d(2026, 3, 4));
    assert_eq!(parse("3/4/2026", DateFormat::Dmy), d(2026, 4, 3));
    assert_eq!(parse("3/4/2026", DateFormat::Auto), None, "ambiguous");
    assert_eq!(parse("13/4/2026", DateFormat::Auto), d(2026, 4, 13));
    assert_eq!(
        parse("2026-04-13", DateFormat::Mdy),
        d(2026, 4, 13),
        "year-first reads alike"
    );
    assert_eq!(parse("1405/09/08 10:30", DateFormat::Dmy), d(2026, 11, 29));
    assert_eq!(parse("02/30/2026", DateFormat::Mdy), None);
    assert_eq!(
        parse("1/2/26", DateFormat::Mdy),
        None,
        "two-digit years are not guessed"
    );
    assert_eq!(parse("+1/2/2026", DateFormat::Mdy), None);
}

on_both_backends!(
    bad_rows_are_reported_with_line_and_column_and_nothing_is_written,
    a_good_file_imports_everything_with_identities_and_products,
    file_and_mapping_problems,
    cancelling_writes_nothing,
    exports_csv_and_xlsx,
    a_salesperson_imports_as_themself_and_exports_their_own,
    the_command_line_imports_and_exports,
    an_export_imports_back_unchanged,
    imported_history_is_checked,
    another_crms_export_maps_itself,
    a_crm_export_moves_in_in_one_pass,
    customers_products_and_users_import_too,
);

/// What the window saves (a report's CSV, a chart's PNG) lands in the export folder
/// under a safe name, never over another file; bad names and huge files are refused
/// and write nothing.
#[test]
fn files_from_the_window_are_saved_safely() {
    let dir = std::env::temp_dir().join(format!("forsat-save-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let listing = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };

    let first = transfer::save_file(&dir, "وضعیت فروش_1405.csv", "\u{feff}a,b\r\n".as_bytes()).unwrap();
    assert_eq!(first, dir.join("وضعیت فروش_1405.csv"));
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "\u{feff}a,b\r\n");
    let second = transfer::save_file(&dir, "وضعیت فروش_1405.csv", b"x").unwrap();
    assert_eq!(
        second,
        dir.join("وضعیت فروش_1405 (2).csv"),
        "a taken name is not overwritten"
    );
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "\u{feff}a,b\r\n");

    // A name cannot leave the folder.
    let escaped = transfer::save_file(&dir, "../../etc/passwd.csv", b"x").unwrap();
    assert_eq!(escaped.parent(), Some(dir.as_path()));
    assert_eq!(escaped.file_name().unwrap().to_string_lossy(), "_.._etc_passwd.csv");

    let before = listing(&dir);
    for (name, field) in [
        ("", "fileName"),
        (".csv", "fileName"),
        ("report.exe", "fileName"),
        ("report", "fileName"),
        (&format!("{}.csv", "x".repeat(300)), "fileName"),
    ] {
        let err = transfer::save_file(&dir, name, b"x").unwrap_err();
        match err {
            AppError::Validation { fields } => assert_eq!(fields[0].field, field, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    let huge = vec![b'x'; transfer::SAVE_MAX_BYTES + 1];
    assert!(matches!(
        transfer::save_file(&dir, "huge.csv", &huge),
        Err(AppError::Validation { .. })
    ));
    assert_eq!(listing(&dir), before, "refused saves write nothing");
    std::fs::remove_dir_all(&dir).ok();
}
