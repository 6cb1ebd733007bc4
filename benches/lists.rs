//! Benchmarks of the list and report queries against hand-written SQL on the same
//! data (see docs/benchmarks.md). Run: `cargo bench --bench lists` (optionally
//! `FORSAT_BENCH_N=1000000`). SQLite file database in a temporary folder.

use std::time::{Duration, Instant};

use forsat_core::report::campaigns::campaigns;
use forsat_core::report::competitors::competitors;
use forsat_core::report::dashboard::dashboard;
use forsat_core::report::durations::durations;
use forsat_core::report::forecast::forecast;
use forsat_core::report::sales_status::sales_status;
use forsat_core::report::stage_history::stage_history;
use forsat_core::report::win_loss::win_loss;
use forsat_core::report::ReportFilter;
use forsat_core::seed::reference;
use forsat_core::service::identities::{self, IdentityQuery};
use forsat_core::service::pipeline::{self, BoardRequest, ListColumn, ListRequest, OpportunityFilter, SortKey};
use forsat_core::service::transfer::{self, ExportFormat, ExportRequest, ImportOptions, TransferProgress};
use forsat_core::service::users;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};
use std::sync::atomic::AtomicBool;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn time<F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await; // warm the cache
    let mut times = vec![];
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    median(times)
}

async fn seed(db: &DatabaseConnection, n: usize) {
    let b = db.get_database_backend();
    let pg = b == sea_orm::DbBackend::Postgres;
    let txn = db.begin().await.unwrap();
    let names = [
        "علی",
        "مریم",
        "رضا",
        "سارا",
        "شرکت فولاد",
        "گروه صنعتی",
        "بیمارستان",
        "دانشگاه",
    ];
    for chunk in (0..n / 2).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                let name = format!("{} {}", names[i % names.len()], i);
                format!(
                    "('organization', '{name}', '{name}', '{name} c{i:07}', 'C{i:07}', true, false, false, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
                )
            })
            .collect();
        txn.execute_raw(Statement::from_string(
            b,
            format!(
                "INSERT INTO identities (kind, display_name, name_key, search_text, customer_number, is_customer, is_competitor, is_supplier, version, created_at, updated_at) VALUES {}",
                values.join(",")
            ),
        ))
        .await
        .unwrap();
    }
    let stages: Vec<i32> = forsat_core::service::stages::list(&txn, true)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let sources: Vec<i32> =
        forsat_core::service::system_lists::list(&txn, forsat_core::domain::SystemListKey::Source, true)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
    let types =
        forsat_core::service::system_lists::list(&txn, forsat_core::domain::SystemListKey::OpportunityType, true)
            .await
            .unwrap()[0]
            .id;
    let stage_kinds: Vec<String> = forsat_core::service::stages::list(&txn, true)
        .await
        .unwrap()
        .iter()
        .map(|s| s.kind.as_str().to_owned())
        .collect();
    // Five salespeople; one opportunity in six is unassigned.
    let mut users = vec![];
    for u in 0..5 {
        txn.execute_raw(Statement::from_string(
            b,
            format!(
                "INSERT INTO users (username, display_name, role, active, created_at, version) \
                 VALUES ('seller{u}', 'Seller {u}', 'salesperson', true, '2026-01-01T00:00:00Z', 1)"
            ),
        ))
        .await
        .unwrap();
        let row = txn
            .query_one_raw(Statement::from_string(
                b,
                format!("SELECT id FROM users WHERE username = 'seller{u}'"),
            ))
            .await
            .unwrap()
            .unwrap();
        users.push(row.try_get::<i32>("", "id").unwrap());
    }
    let titles = [
        "چاپگر لیزری",
        "دستگاه کپی",
        "Scanner",
        "قرارداد پشتیبانی",
        "Toner",
        "سرور",
    ];
    // FORSAT_BENCH_SPREAD: every column drawn independently (a hash of the row number)
    // instead of in short cycles, creation days over two years, closing days after
    // them, every type, win and loss reasons — the least regular data, the most
    // report-total buckets.
    let spread = std::env::var("FORSAT_BENCH_SPREAD").is_ok();
    let list_ids = |key| {
        let txn = &txn;
        async move {
            forsat_core::service::system_lists::list(txn, key, true)
                .await
                .unwrap()
                .iter()
                .map(|s| s.id)
                .collect::<Vec<i32>>()
        }
    };
    let all_types = list_ids(forsat_core::domain::SystemListKey::OpportunityType).await;
    let win_reasons = list_ids(forsat_core::domain::SystemListKey::WinReason).await;
    let loss_reasons = list_ids(forsat_core::domain::SystemListKey::LossReason).await;
    let mix = |i: usize, salt: u64| {
        // splitmix64
        let mut z = (i as u64).wrapping_add(salt.wrapping_mul(0x9E3779B97F4A7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        (z ^ (z >> 31)) as usize
    };
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let spread_row = |i: usize| {
        let s = mix(i, 1) % stages.len();
        let created = start + chrono::Days::new((mix(i, 2) % 697) as u64);
        let closed = (created + chrono::Days::new((mix(i, 10) % 120) as u64)).min(last);
        let (won, lost, win, loss) = match stage_kinds[s].as_str() {
            "won" => (
                format!("'{}'", day(closed)),
                "NULL".to_owned(),
                win_reasons[mix(i, 11) % win_reasons.len()].to_string(),
                "NULL".to_owned(),
            ),
            "lost" => (
                "NULL".to_owned(),
                format!("'{}'", day(closed)),
                "NULL".to_owned(),
                loss_reasons[mix(i, 12) % loss_reasons.len()].to_string(),
            ),
            _ => (
                "NULL".to_owned(),
                "NULL".to_owned(),
                "NULL".to_owned(),
                "NULL".to_owned(),
            ),
        };
        let user = match mix(i, 4) % 6 {
            5 => "NULL".to_owned(),
            u => users[u].to_string(),
        };
        format!(
            "({}, '{} {i}', {}, {}, {}, {}, {}, {user}, '{}', {won}, {lost}, {win}, {loss}, 1, '{}T{:02}:{:02}:00Z', '2026-01-01T00:00:00Z')",
            1 + mix(i, 13) % (n / 2),
            titles[mix(i, 14) % titles.len()],
            all_types[mix(i, 6) % all_types.len()],
            sources[mix(i, 5) % sources.len()],
            stages[s],
            (mix(i, 7) % 1000) as i64 * 10_000_000_000,
            [10, 25, 50, 75, 100, 0][mix(i, 8) % 6],
            day(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new((mix(i, 9) % 540) as u64)),
            day(created),
            mix(i, 3) % 24,
            mix(i, 15) % 60,
        )
    };
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = if spread {
            chunk.iter().map(|&i| spread_row(i)).collect()
        } else {
            chunk
            .iter()
            .map(|i| {
                let s = i % stages.len();
                let month = 1 + i % 9;
                let (won, lost) = match stage_kinds[s].as_str() {
                    "won" => (format!("'2026-{:02}-20'", month + 1), "NULL".to_owned()),
                    "lost" => ("NULL".to_owned(), format!("'2026-{:02}-20'", month + 1)),
                    _ => ("NULL".to_owned(), "NULL".to_owned()),
                };
                let user = if i % 6 == 5 { "NULL".to_owned() } else { users[i % 5].to_string() };
                format!(
                    "({}, '{} {i}', {types}, {}, {}, {}, {}, {user}, '2026-{:02}-{:02}', {won}, {lost}, NULL, NULL, 1, '2026-{month:02}-15T00:00:00Z', '2026-01-01T00:00:00Z')",
                    1 + i % (n / 2),
                    titles[i % titles.len()],
                    sources[i % sources.len()],
                    stages[s],
                    // Up to 999 million Rial each: a million of them overflow a 64-bit SUM.
                    (i % 1000) as i64 * 10_000_000_000,
                    [10, 25, 50, 75, 100, 0][i % 6],
                    1 + (i * 7) % 12,
                    1 + i % 28,
                )
            })
            .collect()
        };
        txn.execute_raw(Statement::from_string(
            b,
            format!(
                "INSERT INTO opportunities (identity_id, title, type_id, source_id, stage_id, estimated_amount, probability, assigned_user_id, close_date, won_on, lost_on, win_reason_id, loss_reason_id, version, created_at, updated_at) VALUES {}",
                values.join(",")
            ),
        ))
        .await
        .unwrap();
    }
    // Three campaigns on three opportunities in four; five competitors on one in ten;
    // a stage history of two steps for every opportunity not in the first stage.
    for c in 0..3 {
        txn.execute_unprepared(&format!(
            "INSERT INTO campaigns (name, cost, active, version, created_at, updated_at) VALUES ('Campaign {c}', 5000000000000, true, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ))
        .await
        .unwrap();
    }
    txn.execute_unprepared(if spread {
        "UPDATE opportunities SET campaign_id = (SELECT MIN(id) FROM campaigns) + ((CAST(id AS BIGINT) * 2654435761) % 3) \
         WHERE ((CAST(id AS BIGINT) * 40503) % 4) <> 0"
    } else {
        "UPDATE opportunities SET campaign_id = (SELECT MIN(id) FROM campaigns) + (id % 3) WHERE id % 4 <> 0"
    })
    .await
    .unwrap();
    txn.execute_unprepared("UPDATE identities SET is_competitor = true WHERE id <= 5")
        .await
        .unwrap();
    txn.execute_unprepared(
        "INSERT INTO opportunity_competitors (opportunity_id, competitor_id) SELECT id, 1 + (id % 5) FROM opportunities WHERE id % 10 = 0",
    )
    .await
    .unwrap();
    txn.execute_unprepared(&format!(
        "INSERT INTO stage_history (opportunity_id, from_stage_id, to_stage_id, changed_at) \
         SELECT id, NULL, {first}, created_at FROM opportunities",
        first = stages[0]
    ))
    .await
    .unwrap();
    let later = if pg {
        "created_at + (id % 40) * INTERVAL '1 day'"
    } else {
        "strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+' || (id % 40) || ' days')"
    };
    txn.execute_unprepared(&format!(
        "INSERT INTO stage_history (opportunity_id, from_stage_id, to_stage_id, changed_at) \
         SELECT id, {first}, stage_id, {later} FROM opportunities WHERE stage_id <> {first}",
        first = stages[0]
    ))
    .await
    .unwrap();
    // An approved invoice for one opportunity in twenty (the realized amounts).
    txn.execute_unprepared(
        "INSERT INTO financial_records (kind, number, title, identity_id, opportunity_id, issue_date, status, amount, version, created_at, updated_at) \
         SELECT 'invoice', 'INV-' || id, 'invoice', identity_id, id, '2026-10-01', 'approved', estimated_amount, 1, '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z' \
         FROM opportunities WHERE id % 20 = 0",
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    db.execute_unprepared("ANALYZE").await.unwrap();
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("FORSAT_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = std::env::temp_dir().join(format!("forsat-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // FORSAT_BENCH_URL: an empty PostgreSQL database to measure instead of a SQLite file.
    let url = std::env::var("FORSAT_BENCH_URL").unwrap_or_else(|_| forsat_core::db::default_sqlite_url(&dir));
    let db = forsat_core::db::connect_and_migrate(&url).await.unwrap();
    reference::ensure(&db).await.unwrap();
    // The office's clock: report periods start at midnight in Tehran.
    let owner = users::actor_for(&db, reference::ADMIN_USERNAME).await.unwrap();
    forsat_core::service::settings::update(
        &db,
        &owner,
        forsat_core::service::settings::SettingsPatch {
            time_zone: Some("Asia/Tehran".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let t = Instant::now();
    seed(&db, n).await;
    eprintln!("seeded {n} opportunities and {} identities in {:?}", n / 2, t.elapsed());
    let admin = users::actor_for(&db, reference::ADMIN_USERNAME).await.unwrap();
    let b = db.get_database_backend();
    let pg = b == sea_orm::DbBackend::Postgres;
    let backend_name = if pg { "PostgreSQL" } else { "SQLite" };
    // The search terms' hand-written form: the trigram tables on SQLite, the trigram
    // indexes' expressions on PostgreSQL.
    let title_search = |term: &str| {
        if pg {
            format!(
                "({} LIKE '%{term}%' OR o.identity_id IN (SELECT id FROM identities WHERE search_text LIKE '%{term}%'))",
                migration::m20261204_000008_search_index::fold_sql("o.title")
            )
        } else {
            format!(
                "(o.id IN (SELECT rowid FROM opportunity_search WHERE text LIKE '%{term}%') \
                 OR o.identity_id IN (SELECT rowid FROM identity_search WHERE text LIKE '%{term}%'))"
            )
        }
    };
    let identity_search = if pg {
        "search_text LIKE '%فولاد 1234%'"
    } else {
        "id IN (SELECT rowid FROM identity_search WHERE text LIKE '%فولاد 1234%')"
    };
    let month_of = |col: &str| {
        if pg {
            format!("to_char({col}, 'YYYY-MM')")
        } else {
            format!("strftime('%Y-%m', {col})")
        }
    };
    let days = |to: &str, from: &str| {
        if pg {
            format!("CAST(CAST({to} AS DATE) - CAST({from} AS DATE) AS INTEGER)")
        } else {
            format!("CAST(julianday(date({to})) - julianday(date({from})) AS INTEGER)")
        }
    };
    // The Gregorian year 2026 in Tehran, as the hand-written SQL filters by it.
    let year_sql = |col: &str| format!("{col} >= '2025-12-31T20:30:00Z' AND {col} < '2026-12-31T20:30:00Z'");
    // FORSAT_BENCH_RUNS: fewer timed calls for a quick look at a million rows.
    let runs = std::env::var("FORSAT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let mut rows = vec![];

    let service = time(runs, || async {
        identities::list(
            &db,
            IdentityQuery {
                search: None,
                kind: None,
                role: None,
                page: 1,
                page_size: 25,
            },
        )
        .await
        .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            "SELECT id, display_name FROM identities ORDER BY created_at DESC, id DESC LIMIT 25".to_owned(),
        ))
        .await
        .unwrap();
        db.query_one_raw(Statement::from_string(b, "SELECT COUNT(*) FROM identities".to_owned()))
            .await
            .unwrap();
    })
    .await;
    rows.push(("identities, first page (25 rows + total)", service, raw));

    let service = time(runs, || async {
        identities::list(
            &db,
            IdentityQuery {
                search: Some("فولاد 1234".into()),
                kind: None,
                role: None,
                page: 1,
                page_size: 25,
            },
        )
        .await
        .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            format!("SELECT id, display_name FROM identities WHERE {identity_search} ORDER BY created_at DESC, id DESC LIMIT 25"),
        ))
        .await
        .unwrap();
        db.query_one_raw(Statement::from_string(b, format!("SELECT COUNT(*) FROM identities WHERE {identity_search}")))
            .await
            .unwrap();
    })
    .await;
    rows.push(("identities, search by name", service, raw));

    let service = time(runs, || async {
        sales_status(&db, &admin, &ReportFilter::default()).await.unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            "SELECT stage_id, COUNT(*), SUM(estimated_amount) FROM opportunities GROUP BY stage_id".to_owned(),
        ))
        .await
        .unwrap();
        db.query_all_raw(Statement::from_string(
            b,
            "SELECT source_id, COUNT(*) FROM opportunities GROUP BY source_id".to_owned(),
        ))
        .await
        .unwrap();
    })
    .await;
    rows.push(("sales status chart (stages + sources)", service, raw));

    // "This year" as the window asks for it: a Gregorian year and a Jalali one (1405,
    // 2026-03-21 to 2027-03-20), each against the same GROUP BY over that year's rows.
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let gregorian_year = ReportFilter {
        from: day(2026, 1, 1),
        to: day(2026, 12, 31),
        ..ReportFilter::default()
    };
    let jalali_year = ReportFilter {
        from: day(2026, 3, 21),
        to: day(2027, 3, 20),
        ..ReportFilter::default()
    };
    for (name, filter, range) in [
        (
            "sales status chart, this year (Gregorian 2026)",
            &gregorian_year,
            "created_at >= '2025-12-31T20:30:00Z' AND created_at < '2026-12-31T20:30:00Z'",
        ),
        (
            "sales status chart, this year (Jalali 1405)",
            &jalali_year,
            "created_at >= '2026-03-20T20:30:00Z' AND created_at < '2027-03-20T20:30:00Z'",
        ),
    ] {
        let service = time(runs, || async {
            sales_status(&db, &admin, filter).await.unwrap();
        })
        .await;
        let raw = time(runs, || async {
            db.query_all_raw(Statement::from_string(
                b,
                format!("SELECT stage_id, source_id, COUNT(*), SUM(estimated_amount / 10000), SUM(estimated_amount % 10000) FROM opportunities WHERE {range} GROUP BY stage_id, source_id"),
            ))
            .await
            .unwrap();
        })
        .await;
        rows.push((name, service, raw));
    }
    let service = time(runs, || async {
        win_loss(&db, &admin, &gregorian_year).await.unwrap();
    })
    .await;
    let raw = time(runs, || async {
        for dim in ["win_reason_id", "loss_reason_id", "assigned_user_id", "type_id", "source_id"] {
            db.query_all_raw(Statement::from_string(
                b,
                format!(
                    "SELECT o.{dim}, SUM(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN s.kind = 'won' THEN o.estimated_amount / 10000 ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN o.estimated_amount / 10000 ELSE 0 END) \
                     FROM opportunities o JOIN stages s ON s.id = o.stage_id \
                     WHERE o.created_at >= '2025-12-31T20:30:00Z' AND o.created_at < '2026-12-31T20:30:00Z' GROUP BY o.{dim}"
                ),
            ))
            .await
            .unwrap();
        }
    })
    .await;
    rows.push(("win / loss, this year (Gregorian 2026)", service, raw));

    // --- the other reports (issue 7), each against its hand-written GROUP BY ---------
    let f = ReportFilter::default();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let q = |sql: &'static str| {
        let db = &db;
        async move {
            db.query_all_raw(Statement::from_string(b, sql.to_owned()))
                .await
                .unwrap();
        }
    };
    let service = time(runs, || async {
        win_loss(&db, &admin, &f).await.unwrap();
    })
    .await;
    let raw = time(runs, || async {
        for dim in ["win_reason_id", "loss_reason_id", "assigned_user_id", "type_id", "source_id"] {
            db.query_all_raw(Statement::from_string(
                b,
                format!(
                    "SELECT o.{dim}, SUM(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN 1 ELSE 0 END), \
                     SUM(CASE WHEN s.kind = 'won' THEN o.estimated_amount / 10000 ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN o.estimated_amount / 10000 ELSE 0 END) \
                     FROM opportunities o JOIN stages s ON s.id = o.stage_id GROUP BY o.{dim}"
                ),
            ))
            .await
            .unwrap();
        }
    })
    .await;
    rows.push(("win / loss (totals; by reason, user, type, source)", service, raw));

    let service = time(runs, || async {
        campaigns(&db, &admin, &f).await.unwrap();
    })
    .await;
    let raw = time(runs, || {
        q("SELECT o.campaign_id, COUNT(*), SUM(o.estimated_amount / 10000), SUM(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN s.kind = 'won' THEN o.estimated_amount / 10000 ELSE 0 END), \
           SUM((SELECT COALESCE(SUM(fr.amount), 0) FROM financial_records fr WHERE fr.opportunity_id = o.id AND fr.kind = 'invoice' AND fr.status = 'approved') / 10000) \
           FROM opportunities o JOIN stages s ON s.id = o.stage_id WHERE o.campaign_id IS NOT NULL GROUP BY o.campaign_id")
    })
    .await;
    rows.push(("campaigns", service, raw));

    let service = time(runs, || async {
        durations(&db, &admin, &f).await.unwrap();
    })
    .await;
    // By hand, as Forsat answers it: the closed ones counted per type, source, user,
    // outcome and days in one scan (averages and medians are then read off the counts).
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            format!(
                "SELECT type_id, source_id, assigned_user_id, CASE WHEN won_on IS NOT NULL THEN 'w' ELSE 'l' END, \
                 CASE WHEN won_on IS NOT NULL THEN {won} ELSE {lost} END AS days, COUNT(*) FROM opportunities \
                 WHERE won_on IS NOT NULL OR lost_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5",
                won = days("won_on", "created_at"),
                lost = days("lost_on", "created_at"),
            ),
        ))
        .await
        .unwrap();
    })
    .await;
    rows.push((
        "follow-up duration (average and median; by type, source, user)",
        service,
        raw,
    ));
    let service = time(runs, || async {
        durations(&db, &admin, &gregorian_year).await.unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            format!(
                "SELECT type_id, source_id, assigned_user_id, CASE WHEN won_on IS NOT NULL THEN 'w' ELSE 'l' END, \
                 CASE WHEN won_on IS NOT NULL THEN {won} ELSE {lost} END AS days, COUNT(*) FROM opportunities \
                 WHERE (won_on IS NOT NULL OR lost_on IS NOT NULL) AND {year} GROUP BY 1, 2, 3, 4, 5",
                won = days("won_on", "created_at"),
                lost = days("lost_on", "created_at"),
                year = year_sql("created_at"),
            ),
        ))
        .await
        .unwrap();
    })
    .await;
    rows.push(("follow-up duration, this year (Gregorian 2026)", service, raw));

    let service = time(runs, || async {
        competitors(&db, &admin, &f).await.unwrap();
    })
    .await;
    let raw = time(runs, || {
        q("SELECT c.competitor_id, COUNT(*), SUM(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END), SUM(CASE WHEN s.kind = 'lost' THEN 1 ELSE 0 END) \
           FROM opportunity_competitors c JOIN opportunities o ON o.id = c.opportunity_id JOIN stages s ON s.id = o.stage_id GROUP BY c.competitor_id")
    })
    .await;
    rows.push(("competitors", service, raw));

    let service = time(runs, || async {
        forecast(&db, &admin, &f, forsat_core::domain::Calendar::Jalali)
            .await
            .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            format!(
                "SELECT {month}, o.probability, COUNT(*), SUM(o.estimated_amount / 10000) FROM opportunities o \
                 JOIN stages s ON s.id = o.stage_id WHERE s.kind = 'open' AND o.close_date IS NOT NULL GROUP BY 1, 2",
                month = month_of("o.close_date")
            ),
        ))
        .await
        .unwrap();
    })
    .await;
    rows.push(("forecast (open pipeline by close month)", service, raw));

    let service = time(runs, || async {
        stage_history(&db, &admin, &f, today).await.unwrap();
    })
    .await;
    let stage_history_sql = format!(
        // The same figures as the report: time in open stages, and per stage the
        // opportunities that entered it, went further, and were won.
        "WITH h AS (SELECT h.opportunity_id, h.to_stage_id, h.changed_at, \
           LEAD(h.changed_at) OVER (PARTITION BY h.opportunity_id ORDER BY h.changed_at, h.id) AS left_at, \
           MAX(CASE WHEN s.kind <> 'lost' THEN s.sort_order END) OVER (PARTITION BY h.opportunity_id) AS furthest, \
           MAX(CASE WHEN s.kind = 'won' THEN 1 ELSE 0 END) OVER (PARTITION BY h.opportunity_id) AS won \
           FROM stage_history h JOIN stages s ON s.id = h.to_stage_id) \
         SELECT h.to_stage_id, SUM(CASE WHEN s.kind = 'open' THEN 1 ELSE 0 END), \
           SUM(CASE WHEN s.kind = 'open' THEN {span} END), \
           COUNT(DISTINCT opportunity_id), COUNT(DISTINCT CASE WHEN furthest > s.sort_order THEN opportunity_id END), \
           COUNT(DISTINCT CASE WHEN won = 1 THEN opportunity_id END) \
         FROM h JOIN stages s ON s.id = h.to_stage_id GROUP BY h.to_stage_id",
        span = days("COALESCE(left_at, CAST('2026-11-29' AS TIMESTAMP))", "changed_at"),
    );
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(b, stage_history_sql.clone()))
            .await
            .unwrap();
    })
    .await;
    rows.push(("stage history (time in stage, conversion)", service, raw));
    let service = time(runs, || async {
        stage_history(&db, &admin, &gregorian_year, today).await.unwrap();
    })
    .await;
    let stage_history_year = stage_history_sql.replace(
        "FROM stage_history h JOIN stages s ON s.id = h.to_stage_id)",
        &format!(
            "FROM stage_history h JOIN stages s ON s.id = h.to_stage_id \
             WHERE h.opportunity_id IN (SELECT id FROM opportunities WHERE {}))",
            year_sql("created_at")
        ),
    );
    assert_ne!(stage_history_year, stage_history_sql);
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(b, stage_history_year.clone()))
            .await
            .unwrap();
    })
    .await;
    rows.push(("stage history, this year (Gregorian 2026)", service, raw));

    let service = time(runs, || async {
        dashboard(&db, &admin, &f, forsat_core::domain::Calendar::Jalali, today)
            .await
            .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        q("SELECT stage_id, COUNT(*), SUM(estimated_amount / 10000) FROM opportunities GROUP BY stage_id").await;
        q("SELECT source_id, COUNT(*) FROM opportunities GROUP BY source_id").await;
        q("SELECT SUM(estimated_amount / 10000) FROM opportunities WHERE won_on >= '2026-01-01' AND won_on <= '2026-11-29'").await;
        db.query_all_raw(Statement::from_string(
            b,
            format!(
                "SELECT {}, SUM(estimated_amount / 10000), SUM(estimated_amount / 10000 * probability) FROM opportunities WHERE won_on IS NULL AND lost_on IS NULL GROUP BY 1",
                month_of("close_date")
            ),
        ))
        .await
        .unwrap();
        q("SELECT id, title, close_date FROM opportunities WHERE close_date < '2026-11-29' AND won_on IS NULL AND lost_on IS NULL ORDER BY close_date LIMIT 10").await;
        q("SELECT COUNT(*) FROM opportunities WHERE close_date < '2026-11-29' AND won_on IS NULL AND lost_on IS NULL").await;
    })
    .await;
    rows.push(("dashboard (funnel, won vs before, forecast, overdue)", service, raw));

    let service = time(runs, || async {
        dashboard(
            &db,
            &admin,
            &gregorian_year,
            forsat_core::domain::Calendar::Gregorian,
            today,
        )
        .await
        .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        let y = "created_at >= '2025-12-31T20:30:00Z' AND created_at < '2026-12-31T20:30:00Z'";
        for sql in [
            format!("SELECT stage_id, source_id, COUNT(*), SUM(estimated_amount / 10000) FROM opportunities WHERE {y} GROUP BY stage_id, source_id"),
            "SELECT COUNT(*), SUM(estimated_amount / 10000) FROM opportunities WHERE won_on >= '2026-01-01' AND won_on <= '2026-12-31'".to_owned(),
            "SELECT COUNT(*), SUM(estimated_amount / 10000) FROM opportunities WHERE won_on >= '2025-01-01' AND won_on <= '2025-12-31'".to_owned(),
            format!("SELECT close_date, probability, COUNT(*), SUM(estimated_amount / 10000) FROM opportunities WHERE {y} AND won_on IS NULL AND lost_on IS NULL GROUP BY 1, 2"),
            "SELECT id, title, close_date FROM opportunities WHERE close_date < '2026-11-29' AND won_on IS NULL AND lost_on IS NULL ORDER BY close_date LIMIT 10".to_owned(),
            "SELECT COUNT(*) FROM opportunities WHERE close_date < '2026-11-29' AND won_on IS NULL AND lost_on IS NULL".to_owned(),
        ] {
            db.query_all_raw(Statement::from_string(b, sql)).await.unwrap();
        }
    })
    .await;
    rows.push(("dashboard, this year (Gregorian 2026)", service, raw));

    // --- the pipeline list and board ----------------------------------------------
    let seller: i32 = db
        .query_one_raw(Statement::from_string(
            b,
            "SELECT id FROM users WHERE username = 'seller0'".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let open_ids: Vec<String> = forsat_core::service::stages::list(&db, true)
        .await
        .unwrap()
        .iter()
        .filter(|s| s.kind == forsat_core::domain::StageKind::Open)
        .map(|s| s.id.to_string())
        .collect();
    let open_ids = open_ids.join(",");
    let request = |filter: OpportunityFilter, sort: Vec<SortKey>, page: u32| ListRequest {
        filter,
        sort,
        page,
        page_size: 50,
    };
    const ROW: &str = "SELECT o.id, o.version, o.title, o.identity_id, o.stage_id, o.assigned_user_id, o.type_id, \
        o.source_id, o.campaign_id, o.estimated_amount, o.probability, o.close_date, o.won_on, o.lost_on, o.created_at, \
        i.display_name, s.kind, u.display_name, c.name, \
        (SELECT COALESCE(SUM(fr.amount), 0) FROM financial_records fr WHERE fr.opportunity_id = o.id AND fr.kind = 'invoice' AND fr.status = 'approved') \
        FROM opportunities o JOIN identities i ON i.id = o.identity_id JOIN stages s ON s.id = o.stage_id \
        LEFT JOIN users u ON u.id = o.assigned_user_id LEFT JOIN campaigns c ON c.id = o.campaign_id";
    // Exact sums split in whole units and ten-thousandths, as a plain SUM overflows here.
    const TOTALS: &str = "SELECT COUNT(*), SUM(estimated_amount / 10000), SUM(estimated_amount % 10000), \
        SUM((estimated_amount / 10000) * probability), SUM((estimated_amount % 10000) * probability) FROM opportunities o";
    let raw_page = |filter: String, order: &str, offset: u32| {
        let db = &db;
        let order = order.to_owned();
        async move {
            db.query_all_raw(Statement::from_string(
                b,
                format!("{ROW} {filter} ORDER BY {order}, o.id DESC LIMIT 50 OFFSET {offset}"),
            ))
            .await
            .unwrap();
            db.query_one_raw(Statement::from_string(b, format!("{TOTALS} {filter}")))
                .await
                .unwrap();
            db.query_one_raw(Statement::from_string(
                b,
                format!(
                    "SELECT SUM(fr.amount / 10000), SUM(fr.amount % 10000) FROM financial_records fr \
                     JOIN opportunities o ON o.id = fr.opportunity_id {and_filter} fr.kind = 'invoice' AND fr.status = 'approved'",
                    and_filter = if filter.is_empty() { "WHERE".to_owned() } else { format!("{filter} AND") }
                ),
            ))
            .await
            .unwrap();
        }
    };

    let service = time(runs, || async {
        pipeline::list(&db, &admin, &request(OpportunityFilter::default(), vec![], 1))
            .await
            .unwrap();
    })
    .await;
    let raw = time(runs, || raw_page(String::new(), "o.created_at DESC", 0)).await;
    rows.push(("opportunity list, first page (50 rows + totals)", service, raw));

    let filtered = OpportunityFilter {
        status: Some(forsat_core::domain::StageKind::Open),
        assigned_user_ids: vec![seller],
        amount_min: Some("100000000".into()),
        ..OpportunityFilter::default()
    };
    let by_amount = vec![SortKey {
        column: ListColumn::Estimated,
        desc: true,
    }];
    let where_filtered = format!(
        "WHERE o.stage_id IN ({open_ids}) AND o.assigned_user_id = {seller} AND o.estimated_amount >= 1000000000000"
    );
    let service = time(runs, || async {
        pipeline::list(&db, &admin, &request(filtered.clone(), by_amount.clone(), 1))
            .await
            .unwrap();
    })
    .await;
    let raw = time(runs, || raw_page(where_filtered.clone(), "o.estimated_amount DESC", 0)).await;
    rows.push((
        "opportunity list, open + one user + amount ≥ 100M, by amount (page + totals)",
        service,
        raw,
    ));

    let service = time(runs, || async {
        pipeline::list(
            &db,
            &admin,
            &request(OpportunityFilter::default(), by_amount.clone(), 1000),
        )
        .await
        .unwrap();
    })
    .await;
    let raw = time(runs, || raw_page(String::new(), "o.estimated_amount DESC", 49_950)).await;
    rows.push(("opportunity list, page 1,000 by amount (page + totals)", service, raw));

    let text = OpportunityFilter {
        text: Some("scanner 12".into()),
        ..OpportunityFilter::default()
    };
    let service = time(runs, || async {
        pipeline::list(&db, &admin, &request(text.clone(), vec![], 1))
            .await
            .unwrap();
    })
    .await;
    let raw = time(runs, || {
        raw_page(format!("WHERE {}", title_search("scanner 12")), "o.created_at DESC", 0)
    })
    .await;
    rows.push(("opportunity list, text search (title or identity)", service, raw));

    let service = time(runs, || async {
        pipeline::board(
            &db,
            &admin,
            &BoardRequest {
                filter: OpportunityFilter::default(),
                closed_within_days: None,
                by_user: false,
            },
        )
        .await
        .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            "SELECT stage_id, COUNT(*), SUM(estimated_amount / 10000), SUM(estimated_amount % 10000), \
             SUM((estimated_amount / 10000) * probability), SUM((estimated_amount % 10000) * probability) \
             FROM opportunities GROUP BY stage_id"
                .to_owned(),
        ))
        .await
        .unwrap();
    })
    .await;
    rows.push(("board, every column's count and sums", service, raw));

    let service = time(runs, || async {
        pipeline::board(
            &db,
            &admin,
            &BoardRequest {
                filter: OpportunityFilter::default(),
                closed_within_days: Some(30),
                by_user: false,
            },
        )
        .await
        .unwrap();
    })
    .await;
    let raw = time(runs, || async {
        db.query_all_raw(Statement::from_string(
            b,
            "SELECT stage_id, COUNT(*), SUM(estimated_amount / 10000), SUM(estimated_amount % 10000), \
             SUM((estimated_amount / 10000) * probability), SUM((estimated_amount % 10000) * probability) \
             FROM opportunities WHERE (won_on IS NULL AND lost_on IS NULL) OR won_on >= '2026-10-30' OR lost_on >= '2026-10-30' GROUP BY stage_id"
                .to_owned(),
        ))
        .await
        .unwrap();
    })
    .await;
    rows.push((
        "board as it opens (won and lost closed in the last 30 days)",
        service,
        raw,
    ));

    // --- export and import throughput -------------------------------------------
    let export_path = dir.join("export.csv");
    let t = Instant::now();
    let exported = transfer::export(
        &db,
        &admin,
        &ExportRequest {
            filter: OpportunityFilter::default(),
            sort: vec![],
            columns: vec![],
            format: ExportFormat::Csv,
            language: forsat_core::domain::Language::Fa,
        },
        &export_path,
        &mut |_p: TransferProgress| {},
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    let export_time = t.elapsed();
    let import_n = 10_000;
    let mut csv = String::from("Title,Customer,Stage,Type,Source,Close date,Amount,Assigned to\n");
    for i in 0..import_n {
        csv.push_str(&format!(
            "Imported {i},علی {},Proposal,Standard,Website,1405/09/{:02},{},seller{}\n",
            i % 1000,
            1 + i % 28,
            1_000_000 + i,
            i % 5
        ));
    }
    let table = transfer::read_table("bench.csv", csv.as_bytes()).unwrap();
    let mapping = transfer::suggest(&table.headers, &Default::default());
    let t = Instant::now();
    let report = transfer::run(
        &db,
        &admin,
        &table,
        &mapping,
        &ImportOptions {
            create_missing_identities: true,
            ..ImportOptions::default()
        },
        false,
        &mut |_p: TransferProgress| {},
        &AtomicBool::new(false),
    )
    .await
    .unwrap();
    let import_time = t.elapsed();
    assert!(report.written, "{:?}", report.problems.first());
    let first = |key: forsat_core::domain::SystemListKey| {
        let db = &db;
        async move { forsat_core::service::system_lists::list(db, key, false).await.unwrap()[0].id }
    };
    let types = first(forsat_core::domain::SystemListKey::OpportunityType).await;
    let sources = [first(forsat_core::domain::SystemListKey::Source).await];
    let stages = [forsat_core::service::stages::list(&db, false).await.unwrap()[0].id];
    let t = Instant::now();
    let txn = db.begin().await.unwrap();
    for chunk in (0..import_n).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| format!("(1, 'raw {i}', {types}, {}, {}, 10000000000, 10, 1, '2026-11-29T00:00:00Z', '2026-11-29T00:00:00Z')", sources[0], stages[0]))
            .collect();
        txn.execute_raw(Statement::from_string(
            b,
            format!(
                "INSERT INTO opportunities (identity_id, title, type_id, source_id, stage_id, estimated_amount, probability, version, created_at, updated_at) VALUES {}",
                values.join(",")
            ),
        ))
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
    let raw_insert = t.elapsed();

    println!(
        "| query ({n} opportunities, {} identities, {backend_name}) | Forsat | raw SQL |",
        n / 2
    );
    println!("|---|---|---|");
    for (name, s, r) in rows {
        println!(
            "| {name} | {:.2} ms | {:.2} ms |",
            s.as_secs_f64() * 1000.0,
            r.as_secs_f64() * 1000.0
        );
    }
    println!();
    println!("| throughput | Forsat | raw SQL |");
    println!("|---|---|---|");
    println!(
        "| export to CSV ({} rows, fa) | {:.0} rows/s ({:.1} s) | — |",
        exported.rows,
        exported.rows as f64 / export_time.as_secs_f64(),
        export_time.as_secs_f64()
    );
    println!(
        "| import {import_n} CSV rows (every rule, one transaction) | {:.0} rows/s | {:.0} rows/s (bare multi-row INSERT) |",
        import_n as f64 / import_time.as_secs_f64(),
        import_n as f64 / raw_insert.as_secs_f64()
    );
    if std::env::var("FORSAT_BENCH_KEEP").is_ok() {
        // For the analytic floor (`benches/duckdb_floor.py`) on the same file.
        eprintln!("kept {}", dir.join("forsat.sqlite").display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
