//! Input that must be refused with a typed error and change nothing (money beyond its
//! range, ambiguous separators, dates outside the supported range, huge id lists), and
//! writers that wait their turn: 50 invoices issued at once from two processes on one
//! SQLite file all succeed with unique numbers. The same refusals through the real IPC
//! are in tests/e2e/specs/hostile.test.mjs.

mod common;

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;
use forsat_core::domain::{Calendar, DiscountKind, FinancialKind, ProductKind, SystemListKey};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::report::{self, ReportFilter};
use forsat_core::seed::reference;
use forsat_core::service::financial::{self, FinancialInput};
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::lines::LineInput;
use forsat_core::service::opportunities as opps;
use forsat_core::service::pipeline::{self, ListRequest, OpportunityFilter};
use forsat_core::service::products::{self, CategoryInput, ProductInput};
use forsat_core::service::{system_lists, Actor};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

struct Office {
    db: DatabaseConnection,
    admin: Actor,
    identity: i32,
    product: i32,
}

async fn office(db: DatabaseConnection) -> Office {
    let admin = common::admin(&db).await;
    let identity = identities::create(&db, &admin, IdentityInput::organization("Pars Office Co."))
        .await
        .unwrap()
        .id;
    let category = products::create_category(
        &db,
        &admin,
        CategoryInput {
            name: "Computers".into(),
            parent_id: None,
        },
    )
    .await
    .unwrap()
    .id;
    let unit = system_lists::list(&db, SystemListKey::ProductUnit, false)
        .await
        .unwrap()[0]
        .id;
    let product = products::create(
        &db,
        &admin,
        ProductInput {
            code: "PC-1".into(),
            name: "Laptop".into(),
            category_id: category,
            kind: ProductKind::Product,
            unit_id: Some(unit),
            sale_price: "1000000".into(),
            taxable: true,
            saleable: true,
            active: true,
        },
    )
    .await
    .unwrap()
    .id;
    Office {
        db,
        admin,
        identity,
        product,
    }
}

fn line(product: i32, quantity: &str, price: &str) -> LineInput {
    LineInput {
        product_id: product,
        quantity: quantity.into(),
        unit_price: Some(price.into()),
        discount_kind: DiscountKind::Percent,
        discount_value: "0".into(),
        description: None,
        source_line_id: None,
    }
}

fn invoice(identity: i32, lines: Vec<LineInput>) -> FinancialInput {
    FinancialInput {
        kind: FinancialKind::Invoice,
        identity_id: identity,
        opportunity_id: None,
        parent_record_id: None,
        title: "Invoice".into(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        description: None,
        expiry_date: None,
        method: None,
        reference_no: None,
        contract_kind: None,
        start_date: None,
        end_date: None,
        amount: None,
        lines,
    }
}

/// Every table's row count: "nothing changed" after a refusal.
async fn counts(db: &DatabaseConnection) -> Vec<(String, i64)> {
    let mut out = vec![];
    for table in [
        "opportunities",
        "opportunity_lines",
        "financial_records",
        "financial_lines",
        "identities",
        "change_log",
        "number_sequences",
    ] {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"))
            .unwrap();
        out.push((table.to_owned(), row.try_get::<i64>("", "n").unwrap()));
    }
    out
}

fn fields(e: AppError) -> Vec<(String, ValidationCode)> {
    assert!(
        matches!(e, AppError::Validation { .. }),
        "expected a validation error, got {e:?}"
    );
    e.field_codes()
}

async fn money_beyond_its_range_is_refused_not_saturated(db: DatabaseConnection) {
    let o = office(db).await;
    let before = counts(&o.db).await;
    // quantity × price beyond the range of an amount (and of the Decimal itself).
    let e = financial::create(
        &o.db,
        &o.admin,
        invoice(o.identity, vec![line(o.product, "99999999999999", "99999999999999")]),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(e), vec![("lines.0.total".into(), ValidationCode::OutOfRange)]);
    // Each line fits, their sum does not.
    let e = financial::create(
        &o.db,
        &o.admin,
        invoice(
            o.identity,
            vec![
                line(o.product, "1", "60000000000000"),
                line(o.product, "1", "60000000000000"),
            ],
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(fields(e), vec![("lines".into(), ValidationCode::OutOfRange)]);
    // The opportunity: the same lines, and an amount at the 64-bit limit.
    let mut input = common::opportunity_input(&o.db, &o.admin).await;
    let before_opp = counts(&o.db).await;
    input.lines = vec![line(o.product, "99999999999999", "99999999999999")];
    input.amount_is_manual = false;
    let e = opps::create(&o.db, &o.admin, input.clone()).await.unwrap_err();
    assert_eq!(fields(e), vec![("lines.0.total".into(), ValidationCode::OutOfRange)]);
    input.lines = vec![];
    input.amount_is_manual = true;
    input.estimated_amount = "922337203685477.5807".into();
    let e = opps::create(&o.db, &o.admin, input.clone()).await.unwrap_err();
    assert_eq!(fields(e), vec![("estimatedAmount".into(), ValidationCode::OutOfRange)]);
    // `12,5` could be twelve and a half or 125: refused, not stored as 125.
    input.estimated_amount = "12,5".into();
    let e = opps::create(&o.db, &o.admin, input.clone()).await.unwrap_err();
    assert_eq!(
        fields(e),
        vec![("estimatedAmount".into(), ValidationCode::AmbiguousNumber)]
    );
    // Grouped thousands and Persian digits and separator are read as typed.
    input.estimated_amount = "۱۲٬۵۰۰٫۵".into();
    let created = opps::create(&o.db, &o.admin, input).await.unwrap();
    assert_eq!(
        created.estimated_amount.to_string(),
        "12501",
        "Rial has no decimals: rounded once"
    );
    assert_eq!(counts(&o.db).await[1..4], before_opp[1..4]);
    assert_eq!(
        before[2..4],
        counts(&o.db).await[2..4],
        "no financial record was written"
    );
}

async fn dates_outside_the_supported_range_are_refused(db: DatabaseConnection) {
    let o = office(db).await;
    let mut input = common::opportunity_input(&o.db, &o.admin).await;
    let before = counts(&o.db).await;
    for year in [0, 1899, 2200, 10000, -1] {
        input.close_date = NaiveDate::from_ymd_opt(year, 1, 1);
        let e = opps::create(&o.db, &o.admin, input.clone()).await.unwrap_err();
        match &e {
            AppError::Validation { fields } => {
                assert_eq!(fields.len(), 1, "{year}: {fields:?}");
                assert_eq!(fields[0].field, "closeDate");
                assert_eq!(fields[0].code, ValidationCode::OutOfRange);
                assert_eq!(fields[0].min.as_deref(), Some("1900-01-01"));
                assert_eq!(fields[0].max.as_deref(), Some("2199-12-31"));
            }
            other => panic!("{year}: {other:?}"),
        }
    }
    // An invoice dated in year 99378 gets no number (nothing is consumed).
    let mut doc = invoice(o.identity, vec![line(o.product, "1", "10")]);
    doc.issue_date = NaiveDate::from_ymd_opt(99378, 1, 1).unwrap();
    let e = financial::create(&o.db, &o.admin, doc).await.unwrap_err();
    assert_eq!(fields(e), vec![("issueDate".into(), ValidationCode::OutOfRange)]);
    assert_eq!(counts(&o.db).await, before);
    // The limits themselves are fine.
    input.close_date = NaiveDate::from_ymd_opt(2199, 12, 31);
    opps::create(&o.db, &o.admin, input).await.unwrap();
    // Filters too.
    let filter = OpportunityFilter {
        close_from: NaiveDate::from_ymd_opt(10000, 1, 1),
        ..Default::default()
    };
    let e = pipeline::list(&o.db, &o.admin, &list_query(filter)).await.unwrap_err();
    assert_eq!(fields(e), vec![("closeFrom".into(), ValidationCode::OutOfRange)]);
    // And every report's period.
    let period = ReportFilter {
        from: NaiveDate::from_ymd_opt(0, 1, 1),
        to: NaiveDate::from_ymd_opt(10000, 1, 1),
        ..Default::default()
    };
    let refused = vec![
        ("from".to_string(), ValidationCode::OutOfRange),
        ("to".to_string(), ValidationCode::OutOfRange),
    ];
    let (db, a) = (&o.db, &o.admin);
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    assert_eq!(
        fields(report::sales_status::sales_status(db, a, &period).await.unwrap_err()),
        refused
    );
    assert_eq!(
        fields(report::win_loss::win_loss(db, a, &period).await.unwrap_err()),
        refused
    );
    assert_eq!(
        fields(report::durations::durations(db, a, &period).await.unwrap_err()),
        refused
    );
    assert_eq!(
        fields(report::campaigns::campaigns(db, a, &period).await.unwrap_err()),
        refused
    );
    assert_eq!(
        fields(report::competitors::competitors(db, a, &period).await.unwrap_err()),
        refused
    );
    assert_eq!(
        fields(
            report::stage_history::stage_history(db, a, &period, today)
                .await
                .unwrap_err()
        ),
        refused
    );
    assert_eq!(
        fields(
            report::forecast::forecast(db, a, &period, Calendar::Gregorian)
                .await
                .unwrap_err()
        ),
        refused
    );
    assert_eq!(
        fields(
            report::dashboard::dashboard(db, a, &period, Calendar::Gregorian, today)
                .await
                .unwrap_err()
        ),
        refused
    );
}

fn list_query(filter: OpportunityFilter) -> ListRequest {
    ListRequest {
        filter,
        sort: vec![],
        page: 1,
        page_size: 50,
    }
}

async fn huge_id_lists_are_a_validation_error(db: DatabaseConnection) {
    let o = office(db).await;
    let filter = OpportunityFilter {
        assigned_user_ids: (0..100_000).collect(),
        stage_ids: (0..2_000).collect(),
        ..Default::default()
    };
    let e = pipeline::list(&o.db, &o.admin, &list_query(filter)).await.unwrap_err();
    let AppError::Validation { fields } = e else {
        panic!("expected validation")
    };
    let got: Vec<_> = fields
        .iter()
        .map(|f| (f.field.as_str(), f.code, f.max.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("stageIds", ValidationCode::TooLong, Some("1000")),
            ("assignedUserIds", ValidationCode::TooLong, Some("1000"))
        ]
    );
}

/// A board window far beyond the calendar is refused, not a date arithmetic panic.
async fn board_windows_beyond_the_calendar_are_refused(db: DatabaseConnection) {
    let o = office(db).await;
    let request = pipeline::BoardRequest {
        filter: OpportunityFilter::default(),
        closed_within_days: Some(u32::MAX),
        by_user: false,
    };
    let e = pipeline::board(&o.db, &o.admin, &request).await.unwrap_err();
    assert_eq!(fields(e), vec![("closedWithinDays".into(), ValidationCode::OutOfRange)]);
    let stage = pipeline::board(
        &o.db,
        &o.admin,
        &pipeline::BoardRequest {
            closed_within_days: Some(pipeline::CLOSED_WITHIN_MAX),
            ..request.clone()
        },
    )
    .await
    .unwrap()
    .stages[0]
        .id;
    let e = pipeline::board_cards(&o.db, &o.admin, &request, stage, None, 0, 50)
        .await
        .unwrap_err();
    assert_eq!(fields(e), vec![("closedWithinDays".into(), ValidationCode::OutOfRange)]);
}

async fn concurrent_invoices_in_one_process_get_unique_numbers(db: DatabaseConnection) {
    let o = office(db).await;
    let numbers = issue_at_once(&o.db, &o.admin, o.identity, o.product, 50).await;
    assert_eq!(numbers.len(), 50);
    assert_eq!(numbers.iter().collect::<HashSet<_>>().len(), 50, "{numbers:?}");
}

/// Issues `n` invoices at the same moment; returns their numbers (each must succeed).
async fn issue_at_once(db: &DatabaseConnection, admin: &Actor, identity: i32, product: i32, n: usize) -> Vec<String> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (db, admin) = (db.clone(), *admin);
            tokio::spawn(async move {
                financial::create(&db, &admin, invoice(identity, vec![line(product, "1", "10")]))
                    .await
                    .map(|r| r.number)
            })
        })
        .collect();
    let mut numbers = vec![];
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap_or_else(|e| panic!("an invoice failed: {e:?}")));
    }
    numbers
}

on_both_backends!(
    money_beyond_its_range_is_refused_not_saturated,
    dates_outside_the_supported_range_are_refused,
    huge_id_lists_are_a_validation_error,
    board_windows_beyond_the_calendar_are_refused,
    concurrent_invoices_in_one_process_get_unique_numbers,
);

const CHILD_DB: &str = "FORSAT_HARDENING_CHILD_DB";

/// Two processes on one SQLite file, 25 invoices each, all at the same instant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_invoices_from_two_processes_all_succeed_with_unique_numbers() {
    let dir = std::env::temp_dir().join(format!("forsat-two-writers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = forsat_core::db::default_sqlite_url(&dir);
    let db = forsat_core::db::connect_and_migrate(&url).await.unwrap();
    reference::ensure(&db).await.unwrap();
    let o = office(db).await;
    let start = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + Duration::from_millis(1500);
    let child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "issue_from_a_second_process", "--nocapture"])
        .env(CHILD_DB, &url)
        .env("FORSAT_HARDENING_IDS", format!("{},{}", o.identity, o.product))
        .env("FORSAT_HARDENING_START", start.as_millis().to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until(start).await;
    let mine = issue_at_once(&o.db, &o.admin, o.identity, o.product, 25).await;
    let out = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the second process failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<String> = financial_numbers(&o.db).await;
    assert_eq!(all.len(), 50, "{all:?}");
    assert_eq!(
        all.iter().collect::<HashSet<_>>().len(),
        50,
        "duplicate numbers: {all:?}"
    );
    assert!(mine.iter().all(|n| all.contains(n)));
    o.db.close().await.ok();
    std::fs::remove_dir_all(&dir).ok();
}

/// The second process of the test above (does nothing when run on its own).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_from_a_second_process() {
    let Ok(url) = std::env::var(CHILD_DB) else { return };
    let ids: Vec<i32> = std::env::var("FORSAT_HARDENING_IDS")
        .unwrap()
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    let start: u128 = std::env::var("FORSAT_HARDENING_START").unwrap().parse().unwrap();
    let db = forsat_core::db::connect(&url).await.unwrap();
    let admin = common::admin(&db).await;
    wait_until(Duration::from_millis(start as u64)).await;
    let numbers = issue_at_once(&db, &admin, ids[0], ids[1], 25).await;
    assert_eq!(numbers.len(), 25);
}

async fn wait_until(at: Duration) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    if let Some(left) = at.checked_sub(now) {
        tokio::time::sleep(left).await;
    }
}

async fn financial_numbers(db: &DatabaseConnection) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT number FROM financial_records".to_owned(),
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get::<String>("", "number").unwrap())
    .collect()
}

fn file_issue(e: AppError) -> (String, Option<String>) {
    match e {
        AppError::Validation { fields } if fields.len() == 1 => (fields[0].field.clone(), fields[0].min.clone()),
        other => panic!("expected one file problem, got {other:?}"),
    }
}

#[test]
fn wide_and_sprawling_files_are_refused_at_once() {
    use forsat_core::service::transfer;
    // A header of a million columns.
    let header = vec!["x"; 1_000_000].join(",");
    let started = std::time::Instant::now();
    let e = transfer::read_table("wide.csv", header.as_bytes()).unwrap_err();
    assert_eq!(file_issue(e), ("file".into(), Some("too_many_columns".into())));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // A data row wider than the limit, further down.
    let file = format!("title,amount\na,1\n{}\n", vec!["1"; 600].join(","));
    let e = transfer::read_table("wide.csv", file.as_bytes()).unwrap_err();
    assert_eq!(file_issue(e), ("file".into(), Some("too_many_columns".into())));
    // An .xlsx with one cell in A1 and one in the sheet's last cell: read cell by cell,
    // never as the 17-billion-cell rectangle between them.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "title").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let e = transfer::read_table("far.xlsx", &bytes).unwrap_err();
    assert_eq!(file_issue(e), ("file".into(), Some("too_many_columns".into())));
    // A normal sheet still reads, with its line numbers.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "title").unwrap();
    sheet.write_string(0, 1, "amount").unwrap();
    sheet.write_string(1, 0, "Server room").unwrap();
    sheet.write_number(1, 1, 2500000).unwrap();
    sheet.write_string(3, 0, "Copier").unwrap();
    let table = transfer::read_table("ok.xlsx", &book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(table.headers, vec!["title", "amount"]);
    assert_eq!(
        table.rows,
        vec![
            (2, vec!["Server room".to_string(), "2500000".to_string()]),
            (4, vec!["Copier".to_string()])
        ]
    );
    // A file name longer than file systems allow.
    let e = transfer::read_table(&format!("{}.csv", "ن".repeat(300)), b"title\na\n").unwrap_err();
    assert_eq!(e.field_codes(), vec![("fileName".into(), ValidationCode::TooLong)]);
    let e = transfer::save_file(&std::env::temp_dir(), &format!("{}.csv", "ن".repeat(150)), b"x").unwrap_err();
    assert_eq!(e.field_codes(), vec![("fileName".into(), ValidationCode::TooLong)]);
}
