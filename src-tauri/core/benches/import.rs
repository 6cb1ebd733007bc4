//! The import's throughput (see docs/benchmarks.md): a file shaped like another CRM's
//! export — its own column names, M/D/YYYY dates, agents, accounts (some empty, some
//! unknown), a product per row, won and lost rows without reasons, open rows without
//! a value — checked by every rule of the form and written, beside a bare multi-row
//! INSERT of the same rows. Run: `cargo bench -p forsat-core --bench import` (optionally
//! `FORSAT_BENCH_ROWS=100000`). SQLite file database in a temporary folder.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use forsat_core::domain::{ProductKind, SystemListKey};
use forsat_core::seed::reference;
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::products::{self, CategoryInput, ProductInput};
use forsat_core::service::transfer::{self, DateFormat, ImportOptions, TransferProgress};
use forsat_core::service::{system_lists, users};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("FORSAT_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("forsat-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = forsat_core::db::default_sqlite_url(&dir);
    let db = forsat_core::db::connect_and_migrate(&url).await.unwrap();
    reference::ensure(&db).await.unwrap();
    let admin = users::actor_for(&db, reference::ADMIN_USERNAME).await.unwrap();
    let b = db.get_database_backend();

    // What the team already has: 500 accounts, 12 products, a placeholder customer.
    for i in 0..500 {
        identities::create(&db, &admin, IdentityInput::organization(&format!("Account {i}")))
            .await
            .unwrap();
    }
    let placeholder = identities::create(&db, &admin, IdentityInput::organization("Unknown account"))
        .await
        .unwrap()
        .id;
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
    let product_names = [
        "GTX Basic",
        "GTX Pro",
        "MG Special",
        "MG Advanced",
        "GTX Plus Pro",
        "GTX Plus Basic",
        "GTK 500",
        "Scanner X",
        "Toner Pack",
        "Support Plan",
        "Server 2U",
        "Copier 40",
    ];
    for (i, name) in product_names.iter().enumerate() {
        products::create(
            &db,
            &admin,
            ProductInput {
                code: format!("P{i:03}"),
                name: (*name).into(),
                category_id: category,
                kind: ProductKind::Product,
                unit_id: None,
                sale_price: format!("{}", 1_000_000 * (i + 1)),
                taxable: true,
                saleable: true,
                active: true,
            },
        )
        .await
        .unwrap();
    }
    let first = |key: SystemListKey| {
        let db = &db;
        async move { system_lists::list(db, key, false).await.unwrap()[0].id }
    };
    let options = ImportOptions {
        create_missing_identities: true,
        create_missing_users: true,
        placeholder_identity_id: Some(placeholder),
        default_type_id: Some(first(SystemListKey::OpportunityType).await),
        default_source_id: Some(first(SystemListKey::Source).await),
        default_win_reason_id: Some(first(SystemListKey::WinReason).await),
        default_loss_reason_id: Some(first(SystemListKey::LossReason).await),
        date_format: DateFormat::Mdy,
        ..ImportOptions::default()
    };

    // The file: 30 agents not yet users, 2% rows without an account, 3% naming one
    // of 200 accounts the team does not have, a stage per row (a third closed, none
    // with a reason), no value on one open row in four.
    let stages = ["Prospecting", "Engaging", "Won", "Lost"];
    let mut csv =
        String::from("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n");
    for i in 0..n {
        let stage = match i % 6 {
            0 | 1 => stages[0],
            2 | 3 => stages[1],
            4 => stages[2],
            _ => stages[3],
        };
        let account = match i % 100 {
            0 | 1 => String::new(),
            2..=4 => format!("New account {}", i % 200),
            _ => format!("Account {}", i % 500),
        };
        let (m, d, y) = (1 + i % 12, 1 + i % 28, 2024 + (i % 2));
        let close = if stage == "Won" || stage == "Lost" {
            format!("{}/{}/{}", 1 + (i + 2) % 12, 1 + i % 28, 2025)
        } else {
            format!("{}/{}/{}", 1 + i % 12, 1 + i % 28, 2027)
        };
        let value = if (stage == "Prospecting" || stage == "Engaging") && i % 4 == 0 {
            String::new()
        } else {
            format!("{}", 1000 + i % 5000)
        };
        csv.push_str(&format!(
            "OP{i:07},Agent {},{},{account},{stage},{m}/{d}/{y},{close},{value}\n",
            i % 30,
            product_names[i % product_names.len()],
        ));
    }
    // The file's own stage names, as the value mapping step maps them.
    let stage_ids = forsat_core::service::stages::list(&db, false).await.unwrap();
    let by_kind = |k: &str| stage_ids.iter().find(|s| s.kind.as_str() == k).unwrap().id;
    let mut options = options;
    options.values = vec![
        transfer::ValueChoice {
            field: transfer::ImportField::Stage,
            value: "Prospecting".into(),
            target_id: Some(stage_ids[0].id),
            create: false,
        },
        transfer::ValueChoice {
            field: transfer::ImportField::Stage,
            value: "Engaging".into(),
            target_id: Some(stage_ids[1].id),
            create: false,
        },
        transfer::ValueChoice {
            field: transfer::ImportField::Stage,
            value: "Won".into(),
            target_id: Some(by_kind("won")),
            create: false,
        },
        transfer::ValueChoice {
            field: transfer::ImportField::Stage,
            value: "Lost".into(),
            target_id: Some(by_kind("lost")),
            create: false,
        },
    ];
    let table = transfer::read_table("export.csv", csv.as_bytes()).unwrap();
    let mapping = transfer::suggest(&table.headers, &Default::default());
    assert!(mapping.len() >= 7, "{mapping:?}");

    let run = |dry_run: bool| {
        let (db, admin, table, mapping, options) = (&db, &admin, &table, &mapping, &options);
        async move {
            let t = Instant::now();
            let report = transfer::run(
                db,
                admin,
                table,
                mapping,
                options,
                dry_run,
                &mut |_p: TransferProgress| {},
                &AtomicBool::new(false),
            )
            .await
            .unwrap();
            assert!(
                report.problems.is_empty(),
                "{:?}",
                &report.problems[..3.min(report.problems.len())]
            );
            (t.elapsed(), report)
        }
    };
    let (dry, _) = run(true).await;
    let (real, report) = run(false).await;
    assert!(report.written);

    // The same number of rows by hand: one multi-row INSERT per 500 opportunities, and
    // their stage history and change log the same way, in one transaction.
    let t = Instant::now();
    let txn = db.begin().await.unwrap();
    let (types, sources, stage) = (
        options.default_type_id.unwrap(),
        options.default_source_id.unwrap(),
        stage_ids[0].id,
    );
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "({}, 'raw {i}', {types}, {sources}, {stage}, 10000000000, 10, 1, '2026-11-29T00:00:00Z', '2026-11-29T00:00:00Z')",
                    1 + i % 500
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
    let bare = t.elapsed();
    txn.execute_raw(Statement::from_string(
        b,
        "INSERT INTO stage_history (opportunity_id, to_stage_id, changed_at) \
         SELECT id, stage_id, created_at FROM opportunities WHERE title LIKE 'raw %'"
            .to_owned(),
    ))
    .await
    .unwrap();
    txn.execute_raw(Statement::from_string(
        b,
        "INSERT INTO change_log (entity, record_id, action, changes, at) \
         SELECT 'opportunity', id, 'create', '[]', created_at FROM opportunities WHERE title LIKE 'raw %'"
            .to_owned(),
    ))
    .await
    .unwrap();
    txn.commit().await.unwrap();
    let bare_all = t.elapsed();

    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!("| import of {n} rows (SQLite) | rows/s | time |");
    println!("|---|---|---|");
    println!(
        "| dry run (every rule, nothing written) | {:.0} | {:.2} s |",
        rate(dry),
        dry.as_secs_f64()
    );
    println!(
        "| import (every rule; {} customers and {} users created) | {:.0} | {:.2} s |",
        report.created_identities,
        report.created_users,
        rate(real),
        real.as_secs_f64()
    );
    println!(
        "| bare multi-row INSERT, opportunities only | {:.0} | {:.2} s |",
        rate(bare),
        bare.as_secs_f64()
    );
    println!(
        "| bare multi-row INSERT, with stage history and change log | {:.0} | {:.2} s |",
        rate(bare_all),
        bare_all.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
