//! What a user may see and change. In the service layer, on both backends: a
//! salesperson reads neither the change log nor the invoices of an opportunity they may
//! not open, changes only their own language and calendar, and cannot count everyone's
//! rows through the personalization screens. On a team server, by PostgreSQL itself:
//! connected as a salesperson's own login role, with any SQL, the same rows are out of
//! reach, and the services running on that connection agree with the database.

mod common;

use forsat_core::domain::{FinancialKind, Language, PaymentMethod, UserRole};
use forsat_core::entity::users;
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::server;
use forsat_core::service::financial::{self, FinancialInput};
use forsat_core::service::opportunities::{self as opps, OpportunityInput};
use forsat_core::service::pipeline::{self, ListRequest};
use forsat_core::service::settings::{self, SettingsPatch};
use forsat_core::service::users::{self as user_service, UserInput};
use forsat_core::service::{records, stages, system_lists, Actor};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Set, Statement};

struct Office {
    db: DatabaseConnection,
    admin: Actor,
    seller: Actor,
    identity: i32,
    input: OpportunityInput,
}

async fn office(db: DatabaseConnection) -> Office {
    let admin = common::admin(&db).await;
    let seller = users::ActiveModel {
        username: Set("seller".into()),
        display_name: Set("Seller".into()),
        role: Set(UserRole::Salesperson.as_str().into()),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let seller = common::salesperson(seller.id);
    let input = common::opportunity_input(&db, &admin).await;
    let identity = input.identity_id;
    Office {
        db,
        admin,
        seller,
        identity,
        input,
    }
}

fn receipt(identity: i32, opportunity: i32, amount: &str) -> FinancialInput {
    FinancialInput {
        kind: FinancialKind::Receipt,
        identity_id: identity,
        opportunity_id: Some(opportunity),
        parent_record_id: None,
        title: "Deposit".into(),
        issue_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        description: None,
        expiry_date: None,
        method: Some(PaymentMethod::BankTransfer),
        reference_no: None,
        contract_kind: None,
        start_date: None,
        end_date: None,
        amount: Some(amount.into()),
        lines: vec![],
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::Forbidden { .. }))
}

/// Creates a user through the service (as `admin`), with a first password if given.
async fn new_user(
    db: &DatabaseConnection,
    admin: &Actor,
    username: &str,
    role: UserRole,
    password: Option<&str>,
) -> Result<forsat_core::service::users::UserSummary, AppError> {
    user_service::create(
        db,
        admin,
        UserInput {
            username: username.into(),
            display_name: username.into(),
            role,
            active: true,
            password: password.map(str::to_owned),
        },
    )
    .await
}

async fn the_change_log_follows_the_record(db: DatabaseConnection) {
    let o = office(db).await;
    let theirs = opps::create(
        &o.db,
        &o.admin,
        OpportunityInput {
            assigned_user_id: Some(o.admin.user_id),
            ..o.input.clone()
        },
    )
    .await
    .unwrap();
    let mine = opps::create(
        &o.db,
        &o.seller,
        OpportunityInput {
            assigned_user_id: Some(o.seller.user_id),
            ..o.input.clone()
        },
    )
    .await
    .unwrap();
    let their_receipt = financial::create(&o.db, &o.admin, receipt(o.identity, theirs.id, "500"))
        .await
        .unwrap();
    let my_receipt = financial::create(&o.db, &o.seller, receipt(o.identity, mine.id, "700"))
        .await
        .unwrap();

    // Not theirs: refused, and the admin still reads it.
    assert!(forbidden(
        records::changes(&o.db, &o.seller, "opportunity", theirs.id).await
    ));
    assert!(!records::changes(&o.db, &o.admin, "opportunity", theirs.id)
        .await
        .unwrap()
        .is_empty());
    assert!(forbidden(
        records::changes(&o.db, &o.seller, "financial_record", their_receipt.id).await
    ));
    // Their own: readable.
    assert!(!records::changes(&o.db, &o.seller, "opportunity", mine.id)
        .await
        .unwrap()
        .is_empty());
    assert!(!records::changes(&o.db, &o.seller, "financial_record", my_receipt.id)
        .await
        .unwrap()
        .is_empty());
    // A deleted or never existing opportunity's log is for managers and admins only.
    assert!(forbidden(
        records::changes(&o.db, &o.seller, "opportunity", 999_999).await
    ));
    // Another user's history is the administrators'; an unknown entity is a field error.
    assert!(forbidden(
        records::changes(&o.db, &o.seller, "user", o.admin.user_id).await
    ));
    let err = records::changes(&o.db, &o.seller, "no_such_thing", 1)
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("entity".into(), ValidationCode::Invalid)]);
    // Identities are everyone's to read.
    assert!(records::changes(&o.db, &o.seller, "identity", o.identity).await.is_ok());

    // The identity's Records tab lists only what the seller may open.
    let rows = records::for_identity(&o.db, &o.seller, o.identity).await.unwrap();
    let ids: Vec<(String, i32)> = rows.iter().map(|r| (r.kind.as_str().to_owned(), r.id)).collect();
    assert!(ids.contains(&("opportunity".into(), mine.id)), "{ids:?}");
    assert!(ids.contains(&("receipt".into(), my_receipt.id)), "{ids:?}");
    assert!(!ids.contains(&("opportunity".into(), theirs.id)), "{ids:?}");
    assert!(!ids.contains(&("receipt".into(), their_receipt.id)), "{ids:?}");
    assert_eq!(
        records::for_identity(&o.db, &o.admin, o.identity).await.unwrap().len(),
        4,
        "the admin sees all four"
    );
}

async fn language_and_calendar_are_personal_for_non_admins(db: DatabaseConnection) {
    let o = office(db).await;
    let mine = settings::update(
        &o.db,
        &o.seller,
        SettingsPatch {
            language: Some(Language::En),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(mine.language, Language::En, "the seller's own choice");
    assert_eq!(
        settings::get(&o.db).await.unwrap().language,
        Language::Fa,
        "the office's unchanged"
    );
    assert_eq!(
        settings::for_user(&o.db, &o.admin).await.unwrap().language,
        Language::Fa
    );
    assert_eq!(
        settings::for_user(&o.db, &o.seller).await.unwrap().language,
        Language::En
    );
    // A patch that mixes in the administrator's settings is refused whole.
    let err = settings::update(
        &o.db,
        &o.seller,
        SettingsPatch {
            language: Some(Language::Fa),
            currency_code: Some("USD".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }));
    assert_eq!(
        settings::for_user(&o.db, &o.seller).await.unwrap().language,
        Language::En,
        "nothing written"
    );
    assert_eq!(settings::get(&o.db).await.unwrap().currency_code, "IRR");
    // The administrator's choice is the office default.
    settings::update(
        &o.db,
        &o.admin,
        SettingsPatch {
            language: Some(Language::En),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(settings::get(&o.db).await.unwrap().language, Language::En);
}

async fn usage_counts_are_for_administrators(db: DatabaseConnection) {
    let o = office(db).await;
    opps::create(&o.db, &o.admin, o.input.clone()).await.unwrap();
    let stage = o.input.stage_id;
    let type_id = o.input.type_id.unwrap();
    assert!(forbidden(stages::usage(&o.db, &o.seller, stage).await));
    assert!(forbidden(system_lists::usage(&o.db, &o.seller, type_id).await));
    assert_eq!(stages::usage(&o.db, &o.admin, stage).await.unwrap(), 1);
    assert!(system_lists::usage(&o.db, &o.admin, type_id).await.unwrap() >= 1);
    assert!(users::Entity::find().all(&o.db).await.unwrap().len() >= 2);
}

on_both_backends!(
    the_change_log_follows_the_record,
    language_and_calendar_are_personal_for_non_admins,
    usage_counts_are_for_administrators,
);

// --- the team server: PostgreSQL refuses what a client may not do -----------------

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT count(*) AS n FROM ({sql}) q"),
        ))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn affected(db: &DatabaseConnection, sql: &str) -> Result<u64, String> {
    db.execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| e.to_string())
}

fn refused(result: Result<u64, String>, what: &str) {
    let err = result.expect_err(what);
    eprintln!("refused as it should be — {what}: {err}");
    assert!(
        err.contains("permission denied")
            || err.contains("must be owner")
            || err.contains("forsat:")
            || err.contains("row-level security"),
        "{what}: {err}"
    );
}

async fn ids(db: &DatabaseConnection, sql: &str) -> Vec<i32> {
    let mut out: Vec<i32> = db
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.try_get::<i32>("", "id").unwrap())
        .collect();
    out.sort();
    out
}

async fn user(owner: &DatabaseConnection, admin: &Actor, username: &str, role: UserRole) -> Actor {
    let u = user_service::create(
        owner,
        admin,
        UserInput {
            username: username.into(),
            display_name: username.into(),
            role,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    server::sync_login(owner, username, role, true, Some(&format!("{username}-pw")))
        .await
        .unwrap();
    Actor { user_id: u.id, role }
}

async fn connect_as(owner_url: &str, username: &str, password: &str) -> Result<DatabaseConnection, String> {
    let url = server::client_url(owner_url, username, password).map_err(|e| e.to_string())?;
    forsat_core::db::connect(&url).await.map_err(|e| e.to_string())
}

#[tokio::test]
async fn the_database_refuses_what_a_salesperson_may_not_do() {
    let Some((owner, owner_url)) = common::postgres_with_url().await else {
        return;
    };
    server::apply_security(&owner).await.unwrap();
    // Applying it again changes nothing and does not fail.
    server::apply_security(&owner).await.unwrap();
    let o = office(owner.clone()).await;
    let admin = o.admin;
    server::sync_login(&owner, "admin", UserRole::Admin, true, Some("admin-pw"))
        .await
        .unwrap();
    let ali = user(&owner, &admin, "ali", UserRole::Salesperson).await;
    let sara = user(&owner, &admin, "sara", UserRole::Salesperson).await;
    let boss = user(&owner, &admin, "boss", UserRole::Manager).await;
    let assigned = |who: &Actor| OpportunityInput {
        assigned_user_id: Some(who.user_id),
        ..o.input.clone()
    };
    let alis = opps::create(&owner, &admin, assigned(&ali)).await.unwrap();
    let saras = opps::create(&owner, &admin, assigned(&sara)).await.unwrap();
    let saras_receipt = financial::create(&owner, &admin, receipt(o.identity, saras.id, "900"))
        .await
        .unwrap();
    financial::create(&owner, &admin, receipt(o.identity, alis.id, "100"))
        .await
        .unwrap();

    let db = connect_as(&owner_url, "ali", "ali-pw").await.unwrap();
    // A wrong password, an unknown user, a deactivated user: no connection at all.
    assert!(connect_as(&owner_url, "ali", "wrong").await.is_err());
    assert!(connect_as(&owner_url, "nobody", "x").await.is_err());

    // Reading: only Ali's opportunity, its lines, records and change log.
    assert_eq!(ids(&db, "SELECT id FROM opportunities").await, vec![alis.id]);
    assert_eq!(
        count(
            &db,
            &format!("SELECT 1 FROM financial_records WHERE opportunity_id = {}", saras.id)
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT 1 FROM change_log WHERE entity = 'opportunity' AND record_id = {}",
                saras.id
            )
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT 1 FROM change_log WHERE entity = 'financial_record' AND record_id = {}",
                saras_receipt.id
            )
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT 1 FROM stage_history WHERE opportunity_id = {}", saras.id)
        )
        .await,
        0
    );
    assert!(
        count(
            &db,
            &format!(
                "SELECT 1 FROM change_log WHERE entity = 'opportunity' AND record_id = {}",
                alis.id
            )
        )
        .await
            > 0
    );

    // Writing someone else's rows: nothing happens.
    assert_eq!(
        affected(
            &db,
            &format!("UPDATE opportunities SET title = 'mine now' WHERE id = {}", saras.id)
        )
        .await,
        Ok(0)
    );
    assert_eq!(
        affected(&db, &format!("DELETE FROM opportunities WHERE id = {}", saras.id)).await,
        Ok(0)
    );
    assert_eq!(
        affected(
            &db,
            &format!(
                "UPDATE financial_records SET amount = 1 WHERE id = {}",
                saras_receipt.id
            )
        )
        .await,
        Ok(0)
    );
    assert_eq!(
        affected(&db, "UPDATE settings SET value = 'USD' WHERE key = 'currency_code'").await,
        Ok(0)
    );
    // Handing one's own to someone else, taking someone else's, forging the author.
    refused(
        affected(
            &db,
            &format!(
                "UPDATE opportunities SET assigned_user_id = {} WHERE id = {}",
                sara.user_id, alis.id
            ),
        )
        .await,
        "reassign to another user",
    );
    refused(
        affected(
            &db,
            &format!(
                "UPDATE opportunities SET created_by = {} WHERE id = {}",
                sara.user_id, alis.id
            ),
        )
        .await,
        "rewrite the author",
    );
    refused(
        affected(
            &db,
            &format!(
                "INSERT INTO opportunities
                 SELECT (jsonb_populate_record(o, jsonb_build_object(
                     'id', nextval(pg_get_serial_sequence('opportunities', 'id')),
                     'title', 'forged', 'assigned_user_id', {sara}, 'created_by', {sara}))).*
                 FROM opportunities o WHERE o.id = {alis}",
                sara = sara.user_id,
                alis = alis.id
            ),
        )
        .await,
        "insert in someone else's name",
    );
    // What no client may do at all.
    refused(
        affected(
            &db,
            &format!("UPDATE users SET role = 'admin' WHERE id = {}", ali.user_id),
        )
        .await,
        "promote oneself",
    );
    refused(affected(&db, "DELETE FROM change_log").await, "empty the change log");
    refused(
        affected(&db, "UPDATE change_log SET changes = '[]'").await,
        "rewrite the change log",
    );
    refused(affected(&db, "TRUNCATE change_log").await, "truncate the change log");
    refused(affected(&db, "DROP TABLE opportunities").await, "drop a table");
    refused(affected(&db, "CREATE TABLE mine (i int)").await, "create a table");
    refused(
        affected(&db, "ALTER TABLE opportunities DISABLE ROW LEVEL SECURITY").await,
        "switch the policies off",
    );
    refused(
        affected(&db, "SELECT forsat_sync_login('evil', 'admin', true, 'x')").await,
        "make an administrator",
    );
    refused(
        affected(&db, "DELETE FROM seaql_migrations").await,
        "rewrite the schema history",
    );
    // Pipelines are the administrators': a salesperson adds none, and changes or
    // deletes none (the policy hides every row from such a statement).
    refused(
        affected(
            &db,
            "INSERT INTO pipelines (name_fa, name_en, sort_order, active, version) VALUES ('x', 'x', 9, true, 1)",
        )
        .await,
        "add a pipeline",
    );
    assert_eq!(
        affected(&db, "UPDATE pipelines SET name_en = 'mine'").await.unwrap(),
        0,
        "rename a pipeline"
    );
    assert_eq!(
        affected(&db, "DELETE FROM pipelines").await.unwrap(),
        0,
        "delete pipelines"
    );
    assert_eq!(
        affected(&db, "UPDATE stages SET pipeline_id = 2").await.unwrap(),
        0,
        "move stages between pipelines"
    );
    assert_eq!(
        count(&db, "SELECT id FROM pipelines").await,
        1,
        "pipelines are read by everyone"
    );

    // Activities, comments and mentions follow the opportunity, from the client side:
    // Sara's follow-up, her comment and her bell are not Ali's to read or change, and
    // Ali writes none in another's name.
    use forsat_core::domain::{ActivityKind, ActivityStatus};
    use forsat_core::service::{activities, comments};
    let saras_task = activities::create(
        &owner,
        &admin,
        activities::ActivityInput {
            kind: ActivityKind::Task,
            subject: "Sara's follow-up".into(),
            opportunity_id: Some(saras.id),
            identity_id: None,
            assigned_user_id: Some(sara.user_id),
            due_on: Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()),
            due_time: Some("10:00".into()),
            duration_minutes: None,
            status: ActivityStatus::Planned,
            direction: None,
            call_result: None,
            outcome: None,
            remind_before_minutes: Some(0),
        },
    )
    .await
    .unwrap();
    let saras_comment = comments::add(&owner, &admin, saras.id, "@sara call them".into())
        .await
        .unwrap();
    assert_eq!(
        count(&db, "SELECT 1 FROM activities").await,
        0,
        "read another's activity"
    );
    assert_eq!(
        count(&db, "SELECT 1 FROM comments").await,
        0,
        "read comments of another's deal"
    );
    assert_eq!(
        count(&db, "SELECT 1 FROM notifications").await,
        0,
        "read another's bell"
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT 1 FROM change_log WHERE entity IN ('activity', 'comment') AND record_id IN ({}, {})",
                saras_task.id, saras_comment.id
            )
        )
        .await,
        0,
        "read the log of another's activity or comment"
    );
    assert_eq!(
        affected(
            &db,
            &format!("UPDATE activities SET status = 'done' WHERE id = {}", saras_task.id)
        )
        .await,
        Ok(0),
        "complete another's activity"
    );
    assert_eq!(
        affected(&db, "UPDATE notifications SET read_at = now()").await,
        Ok(0),
        "read another's mentions"
    );
    refused(
        affected(
            &db,
            &format!(
                "INSERT INTO comments (opportunity_id, author_id, body, created_at) VALUES ({}, {}, 'x', now())",
                saras.id, ali.user_id
            ),
        )
        .await,
        "comment on another's deal",
    );
    refused(
        affected(
            &db,
            &format!(
                "INSERT INTO comments (opportunity_id, author_id, body, created_at) VALUES ({}, {}, 'x', now())",
                alis.id, sara.user_id
            ),
        )
        .await,
        "comment in another's name",
    );
    refused(
        affected(
            &db,
            &format!("UPDATE comments SET body = 'edited' WHERE opportunity_id = {}", alis.id),
        )
        .await,
        "edit a comment",
    );
    refused(
        affected(
            &db,
            &format!(
                "INSERT INTO notifications (user_id, kind, actor_id, opportunity_id, created_at) VALUES ({}, 'mention', {}, {}, now())",
                sara.user_id, sara.user_id, alis.id
            ),
        )
        .await,
        "send a mention in another's name",
    );
    refused(
        affected(
            &db,
            &format!(
                "INSERT INTO activities (kind, subject, identity_id, opportunity_id, assigned_user_id, status, all_day, version, created_at, created_by, updated_at) \
                 VALUES ('task', 'x', {}, {}, {}, 'planned', false, 1, now(), {}, now())",
                o.identity, saras.id, sara.user_id, sara.user_id
            ),
        )
        .await,
        "plan work on another's deal in another's name",
    );
    assert!(connect_as(&owner_url, "evil", "x").await.is_err());

    // The services on Ali's own connection: the same rows as the database allows, and
    // the same as the service layer's rule decides on the owner's connection.
    let request = ListRequest {
        filter: Default::default(),
        sort: vec![],
        page: 1,
        page_size: 100,
    };
    let through_rls: Vec<i32> = pipeline::list(&db, &ali, &request)
        .await
        .unwrap()
        .page
        .items
        .iter()
        .map(|r| r.id)
        .collect();
    let by_services: Vec<i32> = pipeline::list(&owner, &ali, &request)
        .await
        .unwrap()
        .page
        .items
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(through_rls, vec![alis.id]);
    assert_eq!(by_services, through_rls, "the service rule and the policies agree");
    // The app works under the policies: Ali edits his deal and opens a new one.
    let edited = opps::update(
        &db,
        &ali,
        alis.id,
        alis.version,
        OpportunityInput {
            title: "Server room, phase 2".into(),
            ..assigned(&ali)
        },
    )
    .await
    .unwrap();
    assert_eq!(edited.title, "Server room, phase 2");
    let created = opps::create(&db, &ali, assigned(&ali)).await.unwrap();
    assert_eq!(
        ids(&db, "SELECT id FROM opportunities").await,
        vec![alis.id, created.id]
    );
    // Through the policies someone else's opportunity does not even exist.
    assert!(matches!(
        opps::get(&db, &ali, saras.id).await,
        Err(AppError::NotFound { .. })
    ));

    // A manager sees everyone's; an administrator manages sign-ins.
    let manager = connect_as(&owner_url, "boss", "boss-pw").await.unwrap();
    assert_eq!(
        ids(&manager, "SELECT id FROM opportunities").await,
        vec![alis.id, saras.id, created.id]
    );
    refused(
        affected(&manager, "SELECT forsat_sync_login('evil', 'admin', true, 'x')").await,
        "a manager makes an administrator",
    );
    let admin_db = connect_as(&owner_url, "admin", "admin-pw").await.unwrap();
    server::sync_login(&admin_db, "sara", UserRole::Salesperson, false, None)
        .await
        .unwrap();
    assert!(
        connect_as(&owner_url, "sara", "sara-pw").await.is_err(),
        "a deactivated user cannot sign in"
    );
    server::sync_login(&admin_db, "sara", UserRole::Salesperson, true, Some("new-pw"))
        .await
        .unwrap();
    assert!(connect_as(&owner_url, "sara", "new-pw").await.is_ok());
    // An administrator adds a user in the app: their login role comes with them.
    new_user(&admin_db, &admin, "kaveh", UserRole::Salesperson, Some("kaveh-secret"))
        .await
        .unwrap();
    let kaveh = connect_as(&owner_url, "kaveh", "kaveh-secret").await.unwrap();
    assert_eq!(forsat_core::startup::acting_username(&kaveh).await.unwrap(), "kaveh");
    assert_eq!(ids(&kaveh, "SELECT id FROM opportunities").await, Vec::<i32>::new());
    // A salesperson cannot add one.
    assert!(new_user(&db, &ali, "mallory", UserRole::Admin, Some("mallory-pw"))
        .await
        .is_err());
    let _ = boss;
}

/// Teams on a team server: a manager's own connection sees the opportunities (and
/// what hangs from them) of the teams they lead, nested teams included, and nothing
/// else; they hand work only within those teams and cannot rewrite the organisation.
/// The services agree with the policies, before teams exist and after.
#[tokio::test]
async fn a_manager_sees_their_teams_and_no_other() {
    use forsat_core::service::teams::{self, TeamInput};
    let Some((owner, owner_url)) = common::postgres_with_url().await else {
        return;
    };
    server::apply_security(&owner).await.unwrap();
    let o = office(owner.clone()).await;
    let admin = o.admin;
    server::sync_login(&owner, "admin", UserRole::Admin, true, Some("admin-pw"))
        .await
        .unwrap();
    let boss = user(&owner, &admin, "boss", UserRole::Manager).await;
    let ali = user(&owner, &admin, "ali", UserRole::Salesperson).await;
    let nima = user(&owner, &admin, "nima", UserRole::Salesperson).await;
    let sara = user(&owner, &admin, "sara", UserRole::Salesperson).await;
    let assigned = |who: &Actor| OpportunityInput {
        assigned_user_id: Some(who.user_id),
        ..o.input.clone()
    };
    let alis = opps::create(&owner, &admin, assigned(&ali)).await.unwrap();
    let nimas = opps::create(&owner, &admin, assigned(&nima)).await.unwrap();
    let saras = opps::create(&owner, &admin, assigned(&sara)).await.unwrap();
    let saras_receipt = financial::create(&owner, &admin, receipt(o.identity, saras.id, "900"))
        .await
        .unwrap();
    let request = ListRequest {
        filter: Default::default(),
        sort: vec![],
        page: 1,
        page_size: 100,
    };
    let listed = |db: DatabaseConnection, actor: Actor| {
        let request = request.clone();
        async move {
            let mut v: Vec<i32> = pipeline::list(&db, &actor, &request)
                .await
                .unwrap()
                .page
                .items
                .iter()
                .map(|r| r.id)
                .collect();
            v.sort();
            v
        }
    };
    let manager = connect_as(&owner_url, "boss", "boss-pw").await.unwrap();
    // No teams yet: a manager sees every opportunity, in the database and the app.
    let everything = vec![alis.id, nimas.id, saras.id];
    assert_eq!(ids(&manager, "SELECT id FROM opportunities").await, everything);
    assert_eq!(listed(manager.clone(), boss).await, everything);

    // The administrator, on their own connection, sets up the organisation.
    let admin_db = connect_as(&owner_url, "admin", "admin-pw").await.unwrap();
    let north = teams::create(
        &admin_db,
        &admin,
        TeamInput {
            name: "North".into(),
            manager_user_id: Some(boss.user_id),
            parent_id: None,
            member_ids: vec![ali.user_id],
        },
    )
    .await
    .unwrap();
    let juniors = teams::create(
        &admin_db,
        &admin,
        TeamInput {
            name: "North juniors".into(),
            manager_user_id: None,
            parent_id: Some(north.id),
            member_ids: vec![nima.user_id],
        },
    )
    .await
    .unwrap();
    teams::create(
        &admin_db,
        &admin,
        TeamInput {
            name: "South".into(),
            manager_user_id: None,
            parent_id: None,
            member_ids: vec![sara.user_id],
        },
    )
    .await
    .unwrap();
    // A circle of teams is refused.
    let circle = teams::update(
        &admin_db,
        &admin,
        north.id,
        north.version,
        TeamInput {
            name: "North".into(),
            manager_user_id: Some(boss.user_id),
            parent_id: Some(juniors.id),
            member_ids: vec![ali.user_id],
        },
    )
    .await
    .unwrap_err();
    assert_eq!(circle.field_codes(), vec![("parentId".into(), ValidationCode::Invalid)]);

    // Now the manager's connection holds their team and the team inside it, no other.
    let team = vec![alis.id, nimas.id];
    assert_eq!(ids(&manager, "SELECT id FROM opportunities").await, team);
    assert_eq!(
        listed(manager.clone(), boss).await,
        team,
        "the services on the manager's connection"
    );
    assert_eq!(
        listed(owner.clone(), boss).await,
        team,
        "the service rule agrees with the policies"
    );
    assert_eq!(
        count(
            &manager,
            &format!("SELECT 1 FROM financial_records WHERE id = {}", saras_receipt.id)
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &manager,
            &format!(
                "SELECT 1 FROM change_log WHERE entity = 'opportunity' AND record_id = {}",
                saras.id
            )
        )
        .await,
        0
    );
    assert_eq!(
        affected(
            &manager,
            &format!("UPDATE opportunities SET title = 'ours' WHERE id = {}", saras.id)
        )
        .await,
        Ok(0)
    );
    // Work moves within the team, never out of it.
    assert_eq!(
        affected(
            &manager,
            &format!(
                "UPDATE opportunities SET assigned_user_id = {} WHERE id = {}",
                nima.user_id, alis.id
            )
        )
        .await,
        Ok(1)
    );
    refused(
        affected(
            &manager,
            &format!(
                "UPDATE opportunities SET assigned_user_id = {} WHERE id = {}",
                sara.user_id, alis.id
            ),
        )
        .await,
        "a manager hands work outside their team",
    );
    // The organisation is the administrators' to change.
    refused(
        affected(&manager, "INSERT INTO teams (name, version) VALUES ('Mine', 1)").await,
        "a manager creates a team",
    );
    refused(
        affected(
            &manager,
            &format!(
                "INSERT INTO team_members (team_id, user_id) VALUES ({}, {})",
                north.id, sara.user_id
            ),
        )
        .await,
        "a manager takes someone into their team",
    );
    assert_eq!(affected(&manager, "DELETE FROM team_members").await, Ok(0));
    assert_eq!(
        affected(&manager, "UPDATE teams SET manager_user_id = NULL").await,
        Ok(0)
    );
    let seller = connect_as(&owner_url, "sara", "sara-pw").await.unwrap();
    refused(
        affected(
            &seller,
            &format!(
                "UPDATE teams SET manager_user_id = {} WHERE id = {}",
                sara.user_id, north.id
            ),
        )
        .await
        .and_then(|n| {
            if n == 0 {
                Err("forsat: nothing changed".into())
            } else {
                Ok(n)
            }
        }),
        "a salesperson takes over a team",
    );
    assert!(forbidden(
        teams::create(
            &manager,
            &boss,
            TeamInput {
                name: "Mine".into(),
                manager_user_id: Some(boss.user_id),
                parent_id: None,
                member_ids: vec![sara.user_id],
            },
        )
        .await
    ));
    // A salesperson still sees only their own.
    assert_eq!(ids(&seller, "SELECT id FROM opportunities").await, vec![saras.id]);
}

#[tokio::test]
async fn a_team_server_is_set_up_by_its_owner_and_never_migrated_by_a_client() {
    use forsat_core::startup;
    let Some(owner_url) = common::empty_postgres().await else {
        return;
    };
    // Not set up yet: the app says what to do instead of migrating it.
    let err = startup::open(&owner_url, false).await.unwrap_err().to_string();
    assert!(err.contains("forsat server init"), "{err}");
    // The first administrator's password has a minimum length.
    let err = server::init(&owner_url, "short").await.unwrap_err();
    assert_eq!(err.field_codes(), vec![("password".into(), ValidationCode::TooShort)]);
    server::init(&owner_url, "correct horse").await.unwrap();
    // The administrator signs in with their own login; the database says who they are.
    let admin_url = server::client_url(&owner_url, "admin", "correct horse").unwrap();
    let db = startup::open(&admin_url, false).await.unwrap();
    assert_eq!(startup::acting_username(&db).await.unwrap(), "admin");
    assert_eq!(server::schema_status(&db).await.unwrap(), server::SchemaStatus::Current);
    // A server older than the app: the client refuses in plain words and changes nothing.
    let owner = forsat_core::db::connect(&owner_url).await.unwrap();
    let last = owner
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT max(version) AS v, max(applied_at) AS t FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let (version, applied_at): (String, i64) = (last.try_get("", "v").unwrap(), last.try_get("", "t").unwrap());
    affected(
        &owner,
        &format!("DELETE FROM seaql_migrations WHERE version = '{version}'"),
    )
    .await
    .unwrap();
    let err = startup::open(&admin_url, false).await.unwrap_err().to_string();
    assert!(err.contains("forsat server upgrade"), "{err}");
    affected(
        &owner,
        &format!("INSERT INTO seaql_migrations (version, applied_at) VALUES ('{version}', {applied_at})"),
    )
    .await
    .unwrap();
    // A newer one: the app needs an update.
    affected(
        &owner,
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_future', 0)",
    )
    .await
    .unwrap();
    let err = startup::open(&admin_url, false).await.unwrap_err().to_string();
    assert!(err.contains("update Forsat"), "{err}");
    affected(&owner, "DELETE FROM seaql_migrations WHERE version LIKE 'm2999%'")
        .await
        .unwrap();
    // The owner's upgrade is idempotent: migrations, reference data and policies again.
    server::upgrade(&owner_url).await.unwrap();
    assert_eq!(server::schema_status(&db).await.unwrap(), server::SchemaStatus::Current);
    assert!(startup::open(&admin_url, false).await.is_ok());
}

// --- accounts on this computer (SQLite) ---------------------------------------------

#[tokio::test]
async fn one_user_opens_directly_and_several_sign_in_with_their_passwords() {
    use forsat_core::service::auth;
    let db = common::sqlite().await;
    let admin = common::admin(&db).await;
    // A single user without a password: no sign-in.
    assert!(!auth::sign_in_required(&db).await.unwrap());
    assert_eq!(auth::sole_user(&db).await.unwrap(), Some(admin));
    // A second user: the app asks.
    let seller = new_user(&db, &admin, "Sara.K", UserRole::Salesperson, Some("sara-secret"))
        .await
        .unwrap();
    assert!(auth::sign_in_required(&db).await.unwrap());
    assert_eq!(auth::sole_user(&db).await.unwrap(), None);
    let stored = users::Entity::find_by_id(seller.id).one(&db).await.unwrap().unwrap();
    assert!(
        stored.password_hash.as_deref().unwrap().starts_with("$argon2id$"),
        "hashed, never stored as typed"
    );
    // Her password, case-insensitive username; the admin has none yet (empty password).
    let sara = auth::sign_in(&db, "sara.k", "sara-secret").await.unwrap();
    assert_eq!((sara.user_id, sara.role), (seller.id, UserRole::Salesperson));
    assert_eq!(auth::sign_in(&db, " ADMIN ", "").await.unwrap(), admin);
    // A wrong password, an unknown user, an empty one for someone who has a password:
    // the same refusal, which does not say which usernames exist.
    for (u, p) in [
        ("sara.k", "wrong"),
        ("nobody", "x"),
        ("sara.k", ""),
        ("", ""),
        (&"x".repeat(100), "x"),
    ] {
        match auth::sign_in(&db, u, p).await {
            Err(AppError::Forbidden { reason }) => assert_eq!(reason, auth::WRONG_CREDENTIALS),
            other => panic!("{u}/{p}: {other:?}"),
        }
    }
    // Passwords: at least 8 characters; one's own or, for an administrator, anyone's.
    let err = auth::set_password(&db, &admin, admin.user_id, "short")
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("password".into(), ValidationCode::TooShort)]);
    assert!(matches!(
        auth::set_password(&db, &sara, admin.user_id, "taken-over!").await,
        Err(AppError::Forbidden { .. })
    ));
    auth::set_password(&db, &admin, admin.user_id, "correct horse")
        .await
        .unwrap();
    assert!(
        auth::sign_in(&db, "admin", "").await.is_err(),
        "an empty password no longer opens it"
    );
    assert_eq!(auth::sign_in(&db, "admin", "correct horse").await.unwrap(), admin);
    auth::set_password(&db, &sara, sara.user_id, "sara-new-secret")
        .await
        .unwrap();
    assert!(auth::sign_in(&db, "sara.k", "sara-secret").await.is_err());
    assert!(auth::sign_in(&db, "sara.k", "sara-new-secret").await.is_ok());
    // A deactivated user cannot sign in.
    let current = user_service::get(&db, seller.id).await.unwrap();
    user_service::update(
        &db,
        &admin,
        seller.id,
        current.version,
        UserInput {
            username: "sara.k".into(),
            display_name: "Sara".into(),
            role: UserRole::Salesperson,
            active: false,
            password: None,
        },
    )
    .await
    .unwrap();
    assert!(auth::sign_in(&db, "sara.k", "sara-new-secret").await.is_err());
    // A too-short first password is refused with the user, and nothing is created.
    let err = new_user(&db, &admin, "kaveh", UserRole::Salesperson, Some("1234"))
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("password".into(), ValidationCode::TooShort)]);
    assert_eq!(users::Entity::find().all(&db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_command_line_signs_in_where_the_app_would_ask() {
    let db = common::sqlite().await;
    let admin = common::admin(&db).await;
    let target = std::env::temp_dir().join(format!("forsat-cli-auth-{}.csv", std::process::id()));
    let args: Vec<String> = ["export", &target.display().to_string(), "--user", "sara"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let asked = |answer: &'static str| move |_: &str| -> Result<String, String> { Ok(answer.to_owned()) };
    new_user(&db, &admin, "sara", UserRole::Salesperson, Some("sara-secret"))
        .await
        .unwrap();
    let err = forsat_core::cli::execute_with(&db, &args, &asked("wrong"), &mut vec![], &mut vec![])
        .await
        .unwrap_err();
    assert_eq!(err, "wrong username or password");
    assert!(!target.exists(), "nothing written");
    let code = forsat_core::cli::execute_with(&db, &args, &asked("sara-secret"), &mut vec![], &mut vec![])
        .await
        .unwrap();
    assert_eq!(code, 0);
    assert!(target.exists());
    std::fs::remove_file(&target).ok();
}

/// The report totals on a team server: a salesperson's own connection reads only the
/// buckets of the opportunities they may see (so their reports count what their list
/// shows), their writes keep the totals exact through the triggers, and nobody but the
/// triggers and an administrator's rebuild writes them.
#[tokio::test]
async fn the_report_totals_follow_the_rows_rule() {
    let Some((owner, owner_url)) = common::postgres_with_url().await else {
        return;
    };
    server::apply_security(&owner).await.unwrap();
    let o = office(owner.clone()).await;
    let admin = o.admin;
    server::sync_login(&owner, "admin", UserRole::Admin, true, Some("admin-pw"))
        .await
        .unwrap();
    let ali = user(&owner, &admin, "ali", UserRole::Salesperson).await;
    let sara = user(&owner, &admin, "sara", UserRole::Salesperson).await;
    let assigned = |who: &Actor| OpportunityInput {
        assigned_user_id: Some(who.user_id),
        ..o.input.clone()
    };
    opps::create(&owner, &admin, assigned(&ali)).await.unwrap();
    for _ in 0..3 {
        opps::create(&owner, &admin, assigned(&sara)).await.unwrap();
    }
    let db = connect_as(&owner_url, "ali", "ali-pw").await.unwrap();
    let kept = |db: DatabaseConnection| async move {
        count(&db, "SELECT 1 FROM opportunities").await;
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM opportunity_totals",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    assert_eq!(kept(db.clone()).await, 1, "Ali's buckets only");
    assert_eq!(kept(owner.clone()).await, 4);
    // The stage flows likewise: each new opportunity entered its first stage.
    let flows = |db: DatabaseConnection| async move {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n, \
                 (SELECT CAST(COUNT(*) AS BIGINT) FROM opportunity_stage_flows) AS rows FROM stage_flow_totals",
            ))
            .await
            .unwrap()
            .unwrap();
        (
            row.try_get::<i64>("", "n").unwrap(),
            row.try_get::<i64>("", "rows").unwrap(),
        )
    };
    assert_eq!(flows(db.clone()).await, (1, 1), "Ali's stage flows only");
    assert_eq!(flows(owner.clone()).await, (4, 4));
    // His own writes go through the triggers, which he may not bypass.
    let mine = opps::create(&db, &ali, assigned(&ali)).await.unwrap();
    assert_eq!(kept(db.clone()).await, 2);
    for sql in [
        "UPDATE opportunity_totals SET n = n + 100".to_owned(),
        "DELETE FROM opportunity_totals".to_owned(),
        "INSERT INTO opportunity_totals (k, period_id, stage_id, type_id, source_id, n, est_w, est_f, exp_w, exp_f) \
         VALUES ('forged', 1, 1, 1, 1, 1000, 0, 0, 0, 0)"
            .to_owned(),
        "DELETE FROM report_periods".to_owned(),
        "UPDATE report_totals_state SET zone = 'UTC'".to_owned(),
        "SELECT forsat_rebuild_totals('UTC', '2026-01-01 00:00:00+00', '2026-01-01')".to_owned(),
        "SELECT forsat_totals_updated()".to_owned(),
        "UPDATE stage_flow_totals SET n = n + 100".to_owned(),
        "DELETE FROM opportunity_stage_flows".to_owned(),
        "INSERT INTO stage_flows_state (zone) VALUES ('UTC')".to_owned(),
        "DELETE FROM stage_flows_state".to_owned(),
        "SELECT forsat_rebuild_stage_flows('UTC')".to_owned(),
        "SELECT forsat_flows_history_inserted()".to_owned(),
        "UPDATE close_duration_totals SET n = n + 1".to_owned(),
        "UPDATE opportunities SET realized_amount = 999".to_owned(),
        "INSERT INTO opportunities (identity_id, title, type_id, source_id, stage_id, estimated_amount, probability, \
         realized_amount, version, created_at, updated_at) SELECT identity_id, 'forged', type_id, source_id, stage_id, \
         0, 0, 999, 1, created_at, updated_at FROM opportunities LIMIT 1"
            .to_owned(),
        "SELECT forsat_durations_updated()".to_owned(),
    ] {
        refused(affected(&db, &sql).await, &sql);
    }
    assert_eq!(kept(owner.clone()).await, 5);
    // The sales status chart from his connection counts what his list shows.
    let status = forsat_core::report::sales_status::sales_status(&db, &ali, &Default::default())
        .await
        .unwrap();
    assert_eq!(status.total, 2);
    let history = forsat_core::report::stage_history::stage_history(
        &db,
        &ali,
        &Default::default(),
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        history.iter().map(|s| s.entered).sum::<u32>(),
        2,
        "his two, from the kept flows"
    );
    // A close duration: Sara's lost, then his connection counts none of them.
    let won_or_lost = |db: DatabaseConnection| async move {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM close_duration_totals",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    owner
        .execute_unprepared(&format!(
            "UPDATE opportunities SET lost_on = DATE '2026-05-01' WHERE assigned_user_id = {}",
            sara.user_id
        ))
        .await
        .unwrap();
    assert_eq!(won_or_lost(owner.clone()).await, 3);
    assert_eq!(won_or_lost(db.clone()).await, 0, "none of Sara's closed ones");
    opps::delete(&db, &ali, mine.id, mine.version).await.unwrap();
    assert_eq!(kept(db.clone()).await, 1);
    // An administrator changing the time zone rebuilds them for the new zone.
    let admin_db = connect_as(&owner_url, "admin", "admin-pw").await.unwrap();
    settings::update(
        &admin_db,
        &admin,
        SettingsPatch {
            time_zone: Some("Asia/Tehran".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let check = forsat_core::service::totals::verify(&owner).await.unwrap();
    assert_eq!(check.zone.as_deref(), Some("Asia/Tehran"));
    assert_eq!(check.flows_zone.as_deref(), Some("Asia/Tehran"));
    assert!(check.mismatches.is_empty(), "{:?}", check.mismatches);
    assert_eq!(kept(owner.clone()).await, 4);
    // An administrator reordering the stages rebuilds the stage flows from his
    // connection (the order decides which stages come later).
    let mut order: Vec<i32> = forsat_core::service::stages::list(&admin_db, true)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    order.swap(0, 1);
    forsat_core::service::stages::reorder(&admin_db, &admin, order)
        .await
        .unwrap();
    let check = forsat_core::service::totals::verify(&owner).await.unwrap();
    assert_eq!(check.flows_zone.as_deref(), Some("Asia/Tehran"));
    assert!(check.mismatches.is_empty(), "{:?}", check.mismatches);
    assert_eq!(flows(owner.clone()).await, (4, 4));
}
