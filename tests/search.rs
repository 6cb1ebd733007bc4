//! Text search through the trigram indexes answers exactly what reading every row
//! answers: the same opportunities for every term (short and long, Persian with
//! Arabic letters and digits, Latin in any case, `%` and `_` taken literally), after
//! creates, title changes, identity renames and deletes; and on SQLite the index
//! holds one folded text per row, equal to its row.

mod common;

use forsat_core::domain::validate::search_fold;
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::opportunities as opps;
use forsat_core::service::pipeline::{self, ListRequest, OpportunityFilter};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

const TITLES: [&str; 12] = [
    "شبکه شعبه جدید",
    "پروژه علي در كرج",
    "قرارداد ۱۴۰۵ پشتیبانی",
    "Network for the NEW branch",
    "Printer 100% done",
    "a_b test",
    "سرور‌های اتاق",
    "Server room 2026",
    "خرید ٢٠ دستگاه",
    "ERP Rollout",
    "نرم‌افزار حسابداری",
    "x",
];

const TERMS: [&str; 22] = [
    "شبکه",
    "شع",
    "علی",
    "علي",
    "کرج",
    "كرج",
    "1405",
    "۱۴۰۵",
    "network",
    "NEW",
    "100%",
    "a_b",
    "_",
    "%",
    "سرور های",
    "سرور‌های",
    "20",
    "erp",
    "x",
    "room 20",
    "پارس",
    "zzz",
];

async fn ids_for(db: &DatabaseConnection, admin: &forsat_core::service::Actor, term: &str) -> Vec<i32> {
    let page = pipeline::list(
        db,
        admin,
        &ListRequest {
            filter: OpportunityFilter {
                text: Some(term.into()),
                ..Default::default()
            },
            sort: vec![],
            page: 1,
            page_size: 500,
        },
    )
    .await
    .unwrap();
    let mut ids: Vec<i32> = page.page.items.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids
}

/// What reading every row answers: the folded title or the identity's search text
/// holds the folded term.
async fn expected(db: &DatabaseConnection, term: &str) -> Vec<i32> {
    let term = search_fold(term.trim());
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT o.id, o.title, i.search_text FROM opportunities o JOIN identities i ON i.id = o.identity_id"
                .to_owned(),
        ))
        .await
        .unwrap();
    let mut ids: Vec<i32> = rows
        .iter()
        .filter(|r| {
            let title: String = r.try_get("", "title").unwrap();
            let text: String = r.try_get("", "search_text").unwrap();
            search_fold(&title).contains(&term) || text.contains(&term)
        })
        .map(|r| r.try_get("", "id").unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

async fn index_is_its_rows(db: &DatabaseConnection) {
    if db.get_database_backend() != DbBackend::Sqlite {
        return;
    }
    let fold = migration::m20261204_000008_search_index::fold_sql("o.title");
    for (sql, what) in [
        (
            format!(
                "SELECT COUNT(*) AS n FROM opportunities o LEFT JOIN opportunity_search s ON s.rowid = o.id \
                 WHERE s.text IS NULL OR s.text <> {fold}"
            ),
            "opportunities missing or stale in the index",
        ),
        (
            "SELECT COUNT(*) AS n FROM opportunity_search s LEFT JOIN opportunities o ON o.id = s.rowid WHERE o.id IS NULL"
                .to_owned(),
            "index rows of deleted opportunities",
        ),
        (
            "SELECT COUNT(*) AS n FROM identities i LEFT JOIN identity_search s ON s.rowid = i.id \
             WHERE s.text IS NULL OR s.text <> i.search_text"
                .to_owned(),
            "identities missing or stale in the index",
        ),
        (
            "SELECT COUNT(*) AS n FROM identity_search s LEFT JOIN identities i ON i.id = s.rowid WHERE i.id IS NULL"
                .to_owned(),
            "index rows of deleted identities",
        ),
    ] {
        let row = db
            .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .unwrap()
            .unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert_eq!(n, 0, "{what}");
    }
}

async fn search_reads_like_every_row(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let base = common::opportunity_input(&db, &admin).await;
    let bahar = identities::create(&db, &admin, IdentityInput::organization("شركت بهار پارس"))
        .await
        .unwrap();
    let mut made = vec![];
    for (i, title) in TITLES.iter().enumerate() {
        let mut input = base.clone();
        input.title = (*title).into();
        if i % 3 == 0 {
            input.identity_id = bahar.id;
        }
        made.push(opps::create(&db, &admin, input).await.unwrap());
    }
    let check = |label: &'static str| {
        let db = &db;
        let admin = &admin;
        async move {
            for term in TERMS {
                assert_eq!(
                    ids_for(db, admin, term).await,
                    expected(db, term).await,
                    "{label}: «{term}»"
                );
            }
            index_is_its_rows(db).await;
        }
    };
    check("created").await;

    // Titles changed, an identity renamed, opportunities deleted.
    for (k, o) in made.iter().enumerate().filter(|(k, _)| k % 4 == 1) {
        let detail = opps::get(&db, &admin, o.id).await.unwrap();
        let mut input = base.clone();
        input.identity_id = detail.identity_id;
        input.title = format!("عنوان تازه {k} NETWORK");
        opps::update(&db, &admin, o.id, detail.version, input).await.unwrap();
    }
    let renamed = identities::get(&db, bahar.id).await.unwrap();
    identities::update(
        &db,
        &admin,
        bahar.id,
        renamed.version,
        IdentityInput::organization("گروه ERP نوین"),
    )
    .await
    .unwrap();
    for o in made.iter().filter(|o| o.id % 5 == 0) {
        let version = opps::get(&db, &admin, o.id).await.unwrap().version;
        opps::delete(&db, &admin, o.id, version).await.unwrap();
    }
    check("after edits and deletes").await;
    assert!(
        !ids_for(&db, &admin, "نوین").await.is_empty(),
        "the renamed identity is found"
    );
}

on_both_backends!(search_reads_like_every_row);
