//! The one clock: every date the app stamps or compares with today is taken in the
//! configured time zone, on both backends. In Tehran at 00:30 on 2 December it is still
//! 1 December in UTC: a deal won then is won on the 2nd, and a deal due on the 1st is
//! overdue on every screen — the form, the list (row and filter), the board and the
//! dashboard.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use forsat_core::clock::{self, with_now};
use forsat_core::domain::{Calendar, StageKind, SystemListKey, UserRole};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::report::{dashboard, sales_status, ReportFilter};
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::opportunities::{self as svc, OpportunityInput};
use forsat_core::service::pipeline::{self, BoardRequest, ListRequest, OpportunityFilter};
use forsat_core::service::settings::{self, SettingsPatch};
use forsat_core::service::{stages, system_lists, Actor};
use sea_orm::DatabaseConnection;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn set_zone(db: &DatabaseConnection, admin: &Actor, zone: &str) {
    settings::update(
        db,
        admin,
        SettingsPatch {
            time_zone: Some(zone.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

struct Deals {
    admin: Actor,
    won_stage: i32,
    win_reason: i32,
    input: OpportunityInput,
}

async fn deals(db: &DatabaseConnection) -> Deals {
    let admin = common::admin(db).await;
    let identity = identities::create(db, &admin, IdentityInput::organization("Pars Office Co."))
        .await
        .unwrap()
        .id;
    let first = |l| async move { system_lists::list(db, l, false).await.unwrap()[0].id };
    let stage_list = stages::list(db, true).await.unwrap();
    let stage = |kind: StageKind| stage_list.iter().find(|s| s.kind == kind).unwrap().id;
    let input = OpportunityInput {
        identity_id: identity,
        title: "Server room".into(),
        assigned_user_id: Some(admin.user_id),
        type_id: Some(first(SystemListKey::OpportunityType).await),
        source_id: Some(first(SystemListKey::Source).await),
        campaign_id: None,
        // Yesterday in Tehran, today in UTC.
        close_date: Some(date(2026, 12, 1)),
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
        stage_id: stage(StageKind::Open),
    };
    Deals {
        admin,
        won_stage: stage(StageKind::Won),
        win_reason: first(SystemListKey::WinReason).await,
        input,
    }
}

/// Which screens call opportunity `id` overdue: the form, the list's row, the list's
/// overdue filter, the board's card, the dashboard's overdue list.
async fn overdue_everywhere(db: &DatabaseConnection, actor: &Actor, id: i32) -> [bool; 5] {
    let form = svc::get(db, actor, id).await.unwrap().overdue;
    let all = pipeline::list(
        db,
        actor,
        &ListRequest {
            filter: OpportunityFilter::default(),
            sort: vec![],
            page: 1,
            page_size: 50,
        },
    )
    .await
    .unwrap();
    let row = all.page.items.iter().find(|r| r.id == id).unwrap().overdue;
    let filtered = pipeline::list(
        db,
        actor,
        &ListRequest {
            filter: OpportunityFilter {
                overdue: true,
                ..Default::default()
            },
            sort: vec![],
            page: 1,
            page_size: 50,
        },
    )
    .await
    .unwrap();
    let in_filter = filtered.page.items.iter().any(|r| r.id == id);
    let stage_id = svc::get(db, actor, id).await.unwrap().stage_id;
    let cards = pipeline::board_cards(db, actor, &BoardRequest::default(), stage_id, None, 0, 50)
        .await
        .unwrap();
    let card = cards.iter().find(|c| c.id == id).unwrap().overdue;
    // The command takes "today" from the same clock.
    let today = settings::clock(db).await.unwrap().today();
    let board = dashboard::dashboard(db, actor, &ReportFilter::default(), Calendar::Gregorian, today)
        .await
        .unwrap();
    let on_dashboard = board.overdue.iter().any(|o| o.id == id);
    [form, row, in_filter, card, on_dashboard]
}

/// How many opportunities the list and the sales status chart count as created on `day`.
async fn created_on(db: &DatabaseConnection, actor: &Actor, day: NaiveDate) -> (u32, u32) {
    let list = pipeline::list(
        db,
        actor,
        &ListRequest {
            filter: OpportunityFilter {
                created_from: Some(day),
                created_to: Some(day),
                ..Default::default()
            },
            sort: vec![],
            page: 1,
            page_size: 50,
        },
    )
    .await
    .unwrap();
    let report = sales_status::sales_status(
        db,
        actor,
        &ReportFilter {
            from: Some(day),
            to: Some(day),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    (list.totals.count, report.total)
}

async fn a_deal_won_after_midnight_in_tehran_carries_the_tehran_date(db: DatabaseConnection) {
    let d = deals(&db).await;
    set_zone(&db, &d.admin, "Asia/Tehran").await;
    // 00:30 on 2 December in Tehran.
    let half_past_midnight = Utc.with_ymd_and_hms(2026, 12, 1, 21, 0, 0).unwrap();
    with_now(half_past_midnight, async {
        assert_eq!(settings::clock(&db).await.unwrap().today(), date(2026, 12, 2));
        let o = svc::create(&db, &d.admin, d.input.clone()).await.unwrap();
        // Due on the 1st: overdue, and the same on every screen.
        assert_eq!(overdue_everywhere(&db, &d.admin, o.id).await, [true; 5]);
        let won = svc::update(
            &db,
            &d.admin,
            o.id,
            o.version,
            OpportunityInput {
                stage_id: d.won_stage,
                win_reason_id: Some(d.win_reason),
                ..d.input.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(won.won_on, Some(date(2026, 12, 2)), "won on the Tehran date");
        // Created on the 2nd in Tehran: the list's creation-date filter and the reports'
        // period count it on that day, not on the UTC date.
        assert_eq!(created_on(&db, &d.admin, date(2026, 12, 2)).await, (1, 1));
        assert_eq!(created_on(&db, &d.admin, date(2026, 12, 1)).await, (0, 0));
        assert!(!won.overdue, "a won deal is never overdue");
        // In UTC the same instant is still the 1st: due today, not overdue anywhere.
        set_zone(&db, &d.admin, "UTC").await;
        let other = svc::create(&db, &d.admin, d.input.clone()).await.unwrap();
        assert_eq!(overdue_everywhere(&db, &d.admin, other.id).await, [false; 5]);
        let won_utc = svc::update(
            &db,
            &d.admin,
            other.id,
            other.version,
            OpportunityInput {
                stage_id: d.won_stage,
                win_reason_id: Some(d.win_reason),
                ..d.input.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(won_utc.won_on, Some(date(2026, 12, 1)));
    })
    .await;
}

async fn the_time_zone_is_an_admin_setting_checked_by_name(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    // Not configured: the operating system's zone.
    let s = settings::get(&db).await.unwrap();
    assert!(!s.time_zone_configured);
    assert_eq!(s.time_zone, clock::os_zone().name());
    set_zone(&db, &admin, "America/Toronto").await;
    let s = settings::get(&db).await.unwrap();
    assert_eq!(
        (s.time_zone.as_str(), s.time_zone_configured),
        ("America/Toronto", true)
    );
    // A zone that does not exist, or a name too long, is a field error and changes nothing.
    for bad in ["Mars/Olympus", "Asia/Tehran; DROP TABLE settings", &"A".repeat(300)] {
        let err = settings::update(
            &db,
            &admin,
            SettingsPatch {
                time_zone: Some(bad.to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        let codes = err.field_codes();
        assert_eq!(codes.len(), 1, "{bad}: {codes:?}");
        assert_eq!(codes[0].0, "timeZone");
        assert!(matches!(codes[0].1, ValidationCode::Invalid | ValidationCode::TooLong));
        assert_eq!(settings::get(&db).await.unwrap().time_zone, "America/Toronto");
    }
    // Only the admin sets it.
    let seller = Actor {
        user_id: admin.user_id,
        role: UserRole::Salesperson,
    };
    let err = settings::update(
        &db,
        &seller,
        SettingsPatch {
            time_zone: Some("UTC".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }), "{err:?}");
    // An empty name goes back to the operating system's zone.
    set_zone(&db, &admin, "").await;
    let s = settings::get(&db).await.unwrap();
    assert!(!s.time_zone_configured);
    assert_eq!(s.time_zone, clock::os_zone().name());
}

on_both_backends!(
    a_deal_won_after_midnight_in_tehran_carries_the_tehran_date,
    the_time_zone_is_an_admin_setting_checked_by_name,
);
