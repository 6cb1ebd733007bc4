//! Live changes. On a team server: a commit on one connection reaches another's
//! listener within a second, a rolled-back transaction sends nothing, the
//! notification carries nothing (not even an id), a killed listener connection comes
//! back by itself and says a refresh is needed, and a salesperson's feed — read
//! through their own login role — never names a record they may not see. On SQLite:
//! another connection to the same file (another window or process) is noticed by the
//! watcher, with the same visibility rule.

mod common;

use std::time::Duration;

use forsat_core::domain::{ChangeAction, UserRole};
use forsat_core::live::{self, Event, Feed, Listener, Signal};
use forsat_core::server;
use forsat_core::service::opportunities as opps;
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::Actor;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

async fn user(owner: &sea_orm::DatabaseConnection, admin: &Actor, name: &str, role: UserRole) -> Actor {
    let u = users::create(
        owner,
        admin,
        UserInput {
            username: name.into(),
            display_name: name.into(),
            role,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    if owner.get_database_backend() == DbBackend::Postgres {
        server::sync_login(owner, name, role, true, Some(&format!("{name}-password")))
            .await
            .unwrap();
    }
    Actor { user_id: u.id, role }
}

#[tokio::test]
async fn a_commit_reaches_the_other_listener_and_a_rollback_sends_nothing() {
    let Some((owner, owner_url)) = common::postgres_with_url().await else {
        return;
    };
    server::apply_security(&owner).await.unwrap();
    let admin = common::admin(&owner).await;
    let input = common::opportunity_input(&owner, &admin).await;
    let other = forsat_core::db::connect(&owner_url).await.unwrap();

    let mut feed = Feed::start(&owner).await.unwrap();
    let mut listener = Listener::connect(&owner).await.unwrap();
    let o = opps::create(&other, &admin, input.clone()).await.unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(1), listener.next()).await;
    assert_eq!(heard.expect("heard within a second").unwrap(), Signal::Changed);
    let batch = feed.poll(&owner, &admin).await.unwrap();
    assert!(!batch.refresh_all);
    assert!(
        batch
            .changes
            .iter()
            .any(|c| c.entity == "opportunity" && c.id == o.id && c.action == ChangeAction::Create),
        "{batch:?}"
    );
    // Nothing new: nothing to tell.
    assert!(feed.poll(&owner, &admin).await.unwrap().is_empty());

    // A transaction rolled back sends nothing.
    let txn = other.begin().await.unwrap();
    opps::create(&txn, &admin, input.clone()).await.unwrap();
    txn.rollback().await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(1000), listener.next())
            .await
            .is_err(),
        "a rollback is never announced"
    );
    assert!(feed.poll(&owner, &admin).await.unwrap().is_empty());

    // The notification itself says nothing: an empty payload.
    let mut raw = sea_orm::sqlx::postgres::PgListener::connect(&owner_url).await.unwrap();
    raw.listen(live::CHANNEL).await.unwrap();
    opps::create(&other, &admin, input.clone()).await.unwrap();
    let n = tokio::time::timeout(Duration::from_secs(1), raw.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n.payload(), "");
    let _ = tokio::time::timeout(Duration::from_secs(1), listener.next()).await;
    feed.poll(&owner, &admin).await.unwrap();

    // The listener's connection is killed: it comes back by itself, says a refresh is
    // needed, and hears the next commit.
    owner
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'",
        ))
        .await
        .unwrap();
    let after = tokio::time::timeout(Duration::from_secs(5), listener.next()).await;
    assert_eq!(after.expect("noticed").unwrap(), Signal::Reconnected);
    let o2 = opps::create(&other, &admin, input).await.unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(1), listener.next()).await;
    assert_eq!(heard.expect("heard after reconnecting").unwrap(), Signal::Changed);
    assert!(feed
        .poll(&owner, &admin)
        .await
        .unwrap()
        .changes
        .iter()
        .any(|c| c.id == o2.id));
}

#[tokio::test]
async fn a_salesperson_hears_only_of_what_they_may_see() {
    let Some((owner, owner_url)) = common::postgres_with_url().await else {
        return;
    };
    server::apply_security(&owner).await.unwrap();
    let admin = common::admin(&owner).await;
    let input = common::opportunity_input(&owner, &admin).await;
    let ali = user(&owner, &admin, "ali", UserRole::Salesperson).await;
    let sara = user(&owner, &admin, "sara", UserRole::Salesperson).await;
    let url = server::client_url(&owner_url, "ali", "ali-password").unwrap();
    let alis_db = forsat_core::db::connect(&url).await.unwrap();

    let mut feed = Feed::start(&alis_db).await.unwrap();
    let mut listener = Listener::connect(&alis_db).await.unwrap();
    let saras = opps::create(
        &owner,
        &admin,
        opps::OpportunityInput {
            assigned_user_id: Some(sara.user_id),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(1), listener.next())
        .await
        .unwrap()
        .unwrap();
    let batch = feed.poll(&alis_db, &ali).await.unwrap();
    assert!(batch.is_empty(), "Sara's opportunity is not Ali's business: {batch:?}");
    let alis = opps::create(
        &owner,
        &admin,
        opps::OpportunityInput {
            assigned_user_id: Some(ali.user_id),
            ..input.clone()
        },
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(1), listener.next())
        .await
        .unwrap()
        .unwrap();
    let batch = feed.poll(&alis_db, &ali).await.unwrap();
    let ids: Vec<(String, i32)> = batch.changes.iter().map(|c| (c.entity.clone(), c.id)).collect();
    assert_eq!(ids, vec![("opportunity".to_owned(), alis.id)]);
    // The service rule alone gives the same answer (the owner's connection has no
    // policies in the way): Sara's never, Ali's yes.
    let mut unfiltered = Feed::default();
    let all = unfiltered.poll(&owner, &ali).await.unwrap();
    assert!(all
        .changes
        .iter()
        .all(|c| !(c.entity == "opportunity" && c.id == saras.id)));
    assert!(all.changes.iter().any(|c| c.entity == "opportunity" && c.id == alis.id));
}

#[tokio::test]
async fn on_sqlite_another_connection_to_the_file_is_noticed() {
    let dir = std::env::temp_dir().join(format!("forsat-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = forsat_core::db::default_sqlite_url(&dir);
    let first = forsat_core::startup::open(&url, false).await.unwrap();
    let second = forsat_core::db::connect(&url).await.unwrap();
    let admin = common::admin(&first).await;
    let input = common::opportunity_input(&first, &admin).await;
    let seller = user(&first, &admin, "seller", UserRole::Salesperson).await;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let watcher = tokio::spawn(live::watch(first.clone(), seller, move |e| {
        let _ = tx.send(e);
    }));
    tokio::time::sleep(live::POLL * 2).await;
    // Someone else's: nothing is said.
    opps::create(&second, &admin, input.clone()).await.unwrap();
    // The seller's: said within a moment.
    let theirs = opps::create(
        &second,
        &admin,
        opps::OpportunityInput {
            assigned_user_id: Some(seller.user_id),
            ..input
        },
    )
    .await
    .unwrap();
    let event = tokio::time::timeout(Duration::from_secs(2), rx.recv())
        .await
        .unwrap()
        .unwrap();
    match event {
        Event::Changes(b) => {
            let ids: Vec<i32> = b
                .changes
                .iter()
                .filter(|c| c.entity == "opportunity")
                .map(|c| c.id)
                .collect();
            assert_eq!(ids, vec![theirs.id], "{b:?}");
        }
        other => panic!("{other:?}"),
    }
    watcher.abort();
    std::fs::remove_dir_all(&dir).ok();
}
