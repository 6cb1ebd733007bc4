//! Test databases: `sqlite::memory:` always, and a fresh PostgreSQL database per test
//! when `FORSAT_TEST_PG_URL` names a server (the README's test command starts one).
//! With `FORSAT_REQUIRE_PG=1` a missing server fails the PostgreSQL tests instead of
//! skipping them.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use forsat_core::domain::UserRole;
use forsat_core::seed::reference;
use forsat_core::service::{users, Actor};
use sea_orm::{ConnectionTrait, DatabaseConnection};

pub async fn sqlite() -> DatabaseConnection {
    let db = forsat_core::db::connect_and_migrate("sqlite::memory:")
        .await
        .expect("sqlite");
    reference::ensure(&db).await.expect("reference data");
    db
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn postgres() -> Option<DatabaseConnection> {
    postgres_with_url().await.map(|(db, _)| db)
}

/// A fresh PostgreSQL database (migrated, reference data) and its owner URL.
pub async fn postgres_with_url() -> Option<(DatabaseConnection, String)> {
    let url = empty_postgres().await?;
    let db = forsat_core::db::connect_and_migrate(&url)
        .await
        .expect("postgres migrate");
    reference::ensure(&db).await.expect("reference data");
    Some((db, url))
}

/// The owner URL of a new, empty PostgreSQL database on the test server.
pub async fn empty_postgres() -> Option<String> {
    let admin_url = match std::env::var("FORSAT_TEST_PG_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            if std::env::var("FORSAT_REQUIRE_PG").as_deref() == Ok("1") {
                panic!("FORSAT_REQUIRE_PG=1 but FORSAT_TEST_PG_URL is not set");
            }
            eprintln!("skipped: FORSAT_TEST_PG_URL is not set");
            return None;
        }
    };
    let name = format!(
        "forsat_t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let admin = forsat_core::db::connect(&admin_url)
        .await
        .expect("connect to the PostgreSQL admin database");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
    Some(format!("{base}/{name}"))
}

pub async fn admin(db: &DatabaseConnection) -> Actor {
    users::actor_for(db, reference::ADMIN_USERNAME).await.expect("admin")
}

pub fn salesperson(user_id: i32) -> Actor {
    Actor {
        user_id,
        role: UserRole::Salesperson,
    }
}

/// Runs each listed `async fn(DatabaseConnection)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(super::common::sqlite().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    if let Some(db) = super::common::postgres().await {
                        super::$case(db).await;
                    }
                }
            )+
        }
    };
}

/// An organisation and the input of a valid opportunity for it (the first type and
/// source, the first open stage, a manual amount).
pub async fn opportunity_input(
    db: &DatabaseConnection,
    admin: &Actor,
) -> forsat_core::service::opportunities::OpportunityInput {
    use forsat_core::domain::{StageKind, SystemListKey};
    use forsat_core::service::identities::{self, IdentityInput};
    use forsat_core::service::{stages, system_lists};
    let identity = identities::create(db, admin, IdentityInput::organization("Pars Office Co."))
        .await
        .unwrap()
        .id;
    let first = |l| async move { system_lists::list(db, l, false).await.unwrap()[0].id };
    let open = stages::list(db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == StageKind::Open)
        .unwrap()
        .id;
    forsat_core::service::opportunities::OpportunityInput {
        identity_id: identity,
        title: "Server room".into(),
        assigned_user_id: None,
        type_id: Some(first(SystemListKey::OpportunityType).await),
        source_id: Some(first(SystemListKey::Source).await),
        campaign_id: None,
        close_date: None,
        estimated_amount: "1000".into(),
        amount_is_manual: true,
        probability: None,
        probability_is_manual: false,
        win_reason_id: None,
        loss_reason_id: None,
        reason_note: None,
        purchase_process_id: None,
        won_on: None,
        lost_on: None,
        custom_fields: vec![],
        competitors: vec![],
        lines: vec![],
        stage_id: open,
    }
}
