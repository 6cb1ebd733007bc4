//! Reports on a fixture whose answers were worked out by hand, cross-checked with
//! plain SQL written independently here.

mod common;

use std::collections::HashMap;
use std::str::FromStr;

use forsat::domain::Calendar;
use forsat::domain::SystemListKey;
use forsat::report::forecast::forecast;
use forsat::report::sales_status::sales_status;
use forsat::report::win_loss::win_loss;
use forsat::report::ReportFilter;
use forsat::service::identities::{self, IdentityInput};
use forsat::service::opportunities::{self as opps, OpportunityInput};
use forsat::service::users::{self, UserInput};
use forsat::service::{stages, system_lists, Actor};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn create(db: &DatabaseConnection, actor: &Actor, stage: &str, source: i32, amount: &str) {
    create_full(db, actor, stage, source, amount, None, None).await;
}

async fn create_full(
    db: &DatabaseConnection,
    actor: &Actor,
    stage: &str,
    source: i32,
    amount: &str,
    close_date: Option<chrono::NaiveDate>,
    probability: Option<&str>,
) {
    let identity = identities::create(db, actor, IdentityInput::organization("مشتری"))
        .await
        .unwrap()
        .id;
    let stage = stages::list(db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == stage)
        .unwrap();
    let win = system_lists::list(db, SystemListKey::WinReason, false).await.unwrap()[0].id;
    let loss = system_lists::list(db, SystemListKey::LossReason, false).await.unwrap()[0].id;
    opps::create(
        db,
        actor,
        OpportunityInput {
            identity_id: identity,
            title: "فرصت".into(),
            assigned_user_id: Some(actor.user_id),
            type_id: Some(
                system_lists::list(db, SystemListKey::OpportunityType, false)
                    .await
                    .unwrap()[0]
                    .id,
            ),
            source_id: Some(source),
            campaign_id: None,
            close_date,
            estimated_amount: amount.into(),
            amount_is_manual: true,
            probability: probability.map(str::to_owned),
            probability_is_manual: probability.is_some(),
            win_reason_id: (stage.key == "won").then_some(win),
            loss_reason_id: (stage.key == "lost").then_some(loss),
            reason_note: None,
            purchase_process_id: None,
            won_on: None,
            lost_on: None,
            custom_fields: vec![],
            competitors: vec![],
            lines: vec![],
            stage_id: stage.id,
        },
    )
    .await
    .unwrap();
}

async fn sales_status_by_hand_and_by_sql(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let sources = system_lists::list(&db, SystemListKey::Source, false).await.unwrap();
    let (a, b) = (sources[0].id, sources[1].id);
    // An empty database: every active stage, all zero.
    let empty = sales_status(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(empty.stages.len(), 6);
    assert!(empty.stages.iter().all(|s| s.count == 0 && s.amount.is_zero()));
    assert!(empty.sources.is_empty());

    create(&db, &admin, "contact", a, "100").await;
    create(&db, &admin, "contact", a, "200").await;
    create(&db, &admin, "proposal", a, "300").await;
    create(&db, &admin, "won", b, "400").await;
    let seller = users::create(
        &db,
        &admin,
        UserInput {
            username: "seller".into(),
            display_name: "S".into(),
            role: forsat::domain::UserRole::Salesperson,
            active: true,
        },
    )
    .await
    .unwrap();
    let seller = common::salesperson(seller.id);
    create(&db, &seller, "negotiation", b, "50").await;

    let r = sales_status(&db, &admin, &ReportFilter::default()).await.unwrap();
    let by_key: Vec<(String, u32, Decimal)> = r
        .stages
        .iter()
        .map(|s| (s.title_en.clone(), s.count, s.amount))
        .collect();
    assert_eq!(
        by_key,
        vec![
            ("Establishing contact".into(), 2, d("300")),
            ("Needs analysis".into(), 0, d("0")),
            ("Proposal".into(), 1, d("300")),
            ("Negotiation".into(), 1, d("50")),
            ("Won".into(), 1, d("400")),
            ("Lost".into(), 0, d("0")),
        ]
    );
    assert_eq!(r.total, 5);
    let shares: Vec<(i32, u32, Decimal)> = r.sources.iter().map(|s| (s.source_id, s.count, s.percent)).collect();
    assert_eq!(shares, vec![(a, 3, d("60")), (b, 2, d("40"))]);

    // The same counts from plain SQL.
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT stage_id, COUNT(*) AS n FROM opportunities GROUP BY stage_id".to_owned(),
        ))
        .await
        .unwrap();
    let plain: HashMap<i32, i64> = rows
        .iter()
        .map(|r| (r.try_get("", "stage_id").unwrap(), r.try_get("", "n").unwrap()))
        .collect();
    for s in &r.stages {
        assert_eq!(
            s.count as i64,
            plain.get(&s.stage_id).copied().unwrap_or(0),
            "stage {}",
            s.title_en
        );
    }

    // Filters: by source; an empty period; a salesperson sees only their own.
    let only_b = sales_status(
        &db,
        &admin,
        &ReportFilter {
            source_id: Some(b),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(only_b.total, 2);
    let tomorrow = chrono::Utc::now().date_naive().succ_opt().unwrap();
    let future = sales_status(
        &db,
        &admin,
        &ReportFilter {
            from: Some(tomorrow),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!((future.total, future.stages.len()), (0, 6));
    let today = chrono::Utc::now().date_naive();
    let this_day = sales_status(
        &db,
        &admin,
        &ReportFilter {
            from: Some(today),
            to: Some(today),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(this_day.total, 5);
    let mine = sales_status(&db, &seller, &ReportFilter::default()).await.unwrap();
    assert_eq!(mine.total, 1);
    assert_eq!(
        mine.stages.iter().find(|s| s.title_en == "Negotiation").unwrap().count,
        1
    );
    assert_eq!(mine.sources.len(), 1);
    assert_eq!(mine.sources[0].percent, d("100"));
}

async fn win_loss_by_hand_and_by_sql(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let sources = system_lists::list(&db, SystemListKey::Source, false).await.unwrap();
    let (a, b) = (sources[0].id, sources[1].id);
    // Nothing closed yet: zeros, no division by zero.
    let empty = win_loss(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        (empty.total.won_count, empty.total.lost_count, empty.total.win_rate),
        (0, 0, d("0"))
    );
    assert!(empty.win_reasons.is_empty() && empty.by_source.is_empty());

    create(&db, &admin, "won", a, "400").await;
    create(&db, &admin, "won", b, "100").await;
    create(&db, &admin, "lost", a, "250").await;
    create(&db, &admin, "proposal", a, "999").await; // open: not counted
    let seller = users::create(
        &db,
        &admin,
        UserInput {
            username: "seller2".into(),
            display_name: "S".into(),
            role: forsat::domain::UserRole::Salesperson,
            active: true,
        },
    )
    .await
    .unwrap();
    let seller = common::salesperson(seller.id);
    create(&db, &seller, "lost", b, "70").await;

    let r = win_loss(&db, &admin, &ReportFilter::default()).await.unwrap();
    // By hand: won 2 (500), lost 2 (320), win rate 50%.
    assert_eq!(
        (
            r.total.won_count,
            r.total.won_amount,
            r.total.lost_count,
            r.total.lost_amount
        ),
        (2, d("500"), 2, d("320"))
    );
    assert_eq!(r.total.win_rate, d("50"));
    assert_eq!(r.win_reasons.len(), 1);
    assert_eq!(
        (r.win_reasons[0].outcomes.won_count, r.win_reasons[0].title_en.as_str()),
        (2, "Better price")
    );
    assert_eq!(r.loss_reasons[0].outcomes.lost_amount, d("320"));
    let by_source: HashMap<i32, (u32, u32)> = r
        .by_source
        .iter()
        .map(|g| (g.id.unwrap(), (g.outcomes.won_count, g.outcomes.lost_count)))
        .collect();
    assert_eq!(by_source[&a], (1, 1));
    assert_eq!(by_source[&b], (1, 1));
    let sellers_row = r.by_user.iter().find(|g| g.id == Some(seller.user_id)).unwrap();
    assert_eq!(
        (sellers_row.outcomes.lost_count, sellers_row.outcomes.win_rate),
        (1, d("0"))
    );
    // Plain SQL, written independently.
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM opportunities o JOIN stages s ON s.id = o.stage_id WHERE s.kind = 'won'"
                .to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.total.won_count as i64, row.try_get::<i64>("", "n").unwrap());
    // A salesperson's view covers their own opportunity only.
    let mine = win_loss(&db, &seller, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        (mine.total.won_count, mine.total.lost_count, mine.total.lost_amount),
        (0, 1, d("70"))
    );
    // An empty period.
    let tomorrow = chrono::Utc::now().date_naive().succ_opt().unwrap();
    let none = win_loss(
        &db,
        &admin,
        &ReportFilter {
            from: Some(tomorrow),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(none.total.won_count + none.total.lost_count, 0);
}

async fn forecast_by_jalali_and_gregorian_month(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let src = system_lists::list(&db, SystemListKey::Source, false).await.unwrap()[0].id;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    // Esfand 29, 1404 and Farvardin 1, 1405: one Gregorian month, two Jalali months.
    create_full(&db, &admin, "contact", src, "1000", day(2026, 3, 20), Some("50")).await;
    create_full(&db, &admin, "contact", src, "3000", day(2026, 3, 21), Some("10")).await;
    create_full(&db, &admin, "contact", src, "200", None, Some("100")).await;
    create_full(&db, &admin, "won", src, "9999", day(2026, 3, 21), None).await; // closed: left out
    let g = forecast(&db, &admin, &ReportFilter::default(), Calendar::Gregorian)
        .await
        .unwrap();
    let rows: Vec<_> = g
        .iter()
        .map(|m| (m.year, m.month, m.count, m.amount, m.weighted))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some(2026), Some(3), 2, d("4000"), d("800")),
            (None, None, 1, d("200"), d("200"))
        ]
    );
    let j = forecast(&db, &admin, &ReportFilter::default(), Calendar::Jalali)
        .await
        .unwrap();
    let rows: Vec<_> = j.iter().map(|m| (m.year, m.month, m.count, m.weighted)).collect();
    assert_eq!(
        rows,
        vec![
            (Some(1404), Some(12), 1, d("500")),
            (Some(1405), Some(1), 1, d("300")),
            (None, None, 1, d("200"))
        ]
    );
    // Plain SQL: the unweighted open pipeline.
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(SUM(o.estimated_amount) AS BIGINT) AS t FROM opportunities o JOIN stages s ON s.id = o.stage_id WHERE s.kind = 'open'".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let total: Decimal = g.iter().map(|m| m.amount).sum();
    assert_eq!(
        forsat::domain::from_storage(row.try_get::<i64>("", "t").unwrap()),
        total
    );
    let nothing = forecast(
        &db,
        &common::salesperson(admin.user_id + 100),
        &ReportFilter::default(),
        Calendar::Jalali,
    )
    .await
    .unwrap();
    assert!(nothing.is_empty());
}

on_both_backends!(
    sales_status_by_hand_and_by_sql,
    win_loss_by_hand_and_by_sql,
    forecast_by_jalali_and_gregorian_month
);
