//! Benchmarks of the list and report queries against hand-written SQL on the same
//! data (see docs/benchmarks.md). Run: `cargo bench --bench lists` (optionally
//! `FORSAT_BENCH_N=1000000`). SQLite file database in a temporary folder.

use std::time::{Duration, Instant};

use forsat::report::sales_status::sales_status;
use forsat::report::ReportFilter;
use forsat::service::identities::{self, IdentityQuery};
use forsat::service::{reference, users};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, TransactionTrait};

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
                    "('organization', '{name}', '{name} c{i:07}', 'C{i:07}', true, false, false, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
                )
            })
            .collect();
        txn.execute_raw(Statement::from_string(
            b,
            format!(
                "INSERT INTO identities (kind, display_name, search_text, customer_number, is_customer, is_competitor, is_supplier, version, created_at, updated_at) VALUES {}",
                values.join(",")
            ),
        ))
        .await
        .unwrap();
    }
    let stages: Vec<i32> = forsat::service::stages::list(&txn, true)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let sources: Vec<i32> = forsat::service::system_lists::list(&txn, forsat::domain::SystemListKey::Source, true)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let types = forsat::service::system_lists::list(&txn, forsat::domain::SystemListKey::OpportunityType, true)
        .await
        .unwrap()[0]
        .id;
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "({}, 'opportunity {i}', {types}, {}, {}, {}, 10, 1, '2026-0{}-15T00:00:00Z', '2026-01-01T00:00:00Z')",
                    1 + i % (n / 2),
                    sources[i % sources.len()],
                    stages[i % stages.len()],
                    (i % 1000) as i64 * 10_000_000,
                    1 + i % 9
                )
            })
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
    let url = forsat::db::default_sqlite_url(&dir);
    let db = forsat::db::connect_and_migrate(&url).await.unwrap();
    reference::ensure(&db).await.unwrap();
    let t = Instant::now();
    seed(&db, n).await;
    eprintln!("seeded {n} opportunities and {} identities in {:?}", n / 2, t.elapsed());
    let admin = users::actor_for(&db, reference::ADMIN_USERNAME).await.unwrap();
    let b = db.get_database_backend();
    let runs = 15;
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
            "SELECT id, display_name FROM identities WHERE search_text LIKE '%فولاد 1234%' ORDER BY created_at DESC, id DESC LIMIT 25".to_owned(),
        ))
        .await
        .unwrap();
        db.query_one_raw(Statement::from_string(b, "SELECT COUNT(*) FROM identities WHERE search_text LIKE '%فولاد 1234%'".to_owned()))
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

    println!(
        "| query ({n} opportunities, {} identities, SQLite) | Forsat | raw SQL |",
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
    let _ = std::fs::remove_dir_all(&dir);
}
