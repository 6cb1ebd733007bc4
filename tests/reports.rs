//! Reports on a fixture whose answers were worked out by hand, cross-checked with
//! plain SQL written independently here.

mod common;

use std::collections::HashMap;
use std::str::FromStr;

use forsat_core::domain::Calendar;
use forsat_core::domain::SystemListKey;
use forsat_core::report::campaigns::campaigns;
use forsat_core::report::competitors::competitors;
use forsat_core::report::dashboard::{dashboard, previous_period};
use forsat_core::report::durations::{durations, DurationStat};
use forsat_core::report::forecast::forecast;
use forsat_core::report::sales_status::sales_status;
use forsat_core::report::stage_history::stage_history;
use forsat_core::report::win_loss::win_loss;
use forsat_core::report::ReportFilter;
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::opportunities::{self as opps, OpportunityInput};
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::{stages, system_lists, Actor};
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
            role: forsat_core::domain::UserRole::Salesperson,
            active: true,
            password: None,
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
            role: forsat_core::domain::UserRole::Salesperson,
            active: true,
            password: None,
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
        forsat_core::domain::from_storage(row.try_get::<i64>("", "t").unwrap()),
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

// ------------------------------------------------ fixtures for the reports below

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 09:00 UTC on an ISO date.
fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    day(s).and_hms_opt(9, 0, 0).unwrap().and_utc()
}

/// One opportunity of a fixture; unset fields take the first type and source.
#[derive(Default)]
struct Spec {
    stage: &'static str,
    amount: &'static str,
    created: &'static str,
    type_id: Option<i32>,
    source_id: Option<i32>,
    campaign_id: Option<i32>,
    close: Option<&'static str>,
    probability: Option<&'static str>,
    /// The win or loss date (by the stage).
    closed_on: Option<&'static str>,
    title: &'static str,
}

async fn stage_id(db: &DatabaseConnection, key: &str) -> i32 {
    stages::list(db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == key)
        .unwrap()
        .id
}

async fn opp(db: &DatabaseConnection, actor: &Actor, s: Spec) -> i32 {
    use forsat_core::entity::opportunities as o;
    use sea_orm::{ActiveModelTrait, Set};
    let identity = identities::create(db, actor, IdentityInput::organization("مشتری"))
        .await
        .unwrap()
        .id;
    let stage = if s.stage.is_empty() { "contact" } else { s.stage };
    let first = |key| async move { system_lists::list(db, key, false).await.unwrap()[0].id };
    let created = opps::create(
        db,
        actor,
        OpportunityInput {
            identity_id: identity,
            title: if s.title.is_empty() {
                "فرصت".into()
            } else {
                s.title.into()
            },
            assigned_user_id: Some(actor.user_id),
            type_id: Some(match s.type_id {
                Some(t) => t,
                None => first(SystemListKey::OpportunityType).await,
            }),
            source_id: Some(match s.source_id {
                Some(t) => t,
                None => first(SystemListKey::Source).await,
            }),
            campaign_id: s.campaign_id,
            close_date: s.close.map(day),
            estimated_amount: if s.amount.is_empty() {
                "100".into()
            } else {
                s.amount.into()
            },
            amount_is_manual: true,
            probability: s.probability.map(str::to_owned),
            probability_is_manual: s.probability.is_some(),
            win_reason_id: if stage == "won" {
                Some(first(SystemListKey::WinReason).await)
            } else {
                None
            },
            loss_reason_id: if stage == "lost" {
                Some(first(SystemListKey::LossReason).await)
            } else {
                None
            },
            reason_note: None,
            purchase_process_id: None,
            won_on: None,
            lost_on: None,
            custom_fields: vec![],
            competitors: vec![],
            lines: vec![],
            stage_id: stage_id(db, stage).await,
        },
    )
    .await
    .unwrap();
    let mut am = o::ActiveModel {
        id: Set(created.id),
        created_at: Set(at(if s.created.is_empty() { "2026-03-10" } else { s.created })),
        ..Default::default()
    };
    if let Some(c) = s.closed_on {
        if stage == "won" {
            am.won_on = Set(Some(day(c)));
        } else {
            am.lost_on = Set(Some(day(c)));
        }
    }
    am.update(db).await.unwrap();
    created.id
}

async fn seller(db: &DatabaseConnection, admin: &Actor, username: &str, name: &str) -> Actor {
    let u = users::create(
        db,
        admin,
        UserInput {
            username: username.into(),
            display_name: name.into(),
            role: forsat_core::domain::UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    common::salesperson(u.id)
}

fn period(from: &str, to: &str) -> ReportFilter {
    ReportFilter {
        from: Some(day(from)),
        to: Some(day(to)),
        ..Default::default()
    }
}

async fn plain_rows(db: &DatabaseConnection, sql: &str) -> Vec<sea_orm::QueryResult> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap()
}

// ------------------------------------------------ report 3: campaigns

async fn invoice(db: &DatabaseConnection, opportunity: i32, kind: &str, status: &str, amount: &str, n: u32) {
    use forsat_core::entity::{financial_records as f, opportunities as o, Fixed4};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let identity = o::Entity::find_by_id(opportunity)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .identity_id;
    let now = chrono::Utc::now();
    f::ActiveModel {
        kind: Set(kind.into()),
        number: Set(format!("T-{n}")),
        title: Set("سند".into()),
        identity_id: Set(identity),
        opportunity_id: Set(Some(opportunity)),
        parent_record_id: Set(None),
        issue_date: Set(day("2026-03-20")),
        status: Set(status.into()),
        description: Set(None),
        expiry_date: Set(None),
        method: Set(None),
        reference_no: Set(None),
        contract_kind: Set(None),
        start_date: Set(None),
        end_date: Set(None),
        total_sum: Set(Fixed4(d(amount))),
        total_discount: Set(Fixed4(Decimal::ZERO)),
        total_tax: Set(Fixed4(Decimal::ZERO)),
        amount: Set(Fixed4(d(amount))),
        version: Set(1),
        created_at: Set(now),
        created_by: Set(None),
        updated_at: Set(now),
        updated_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

async fn campaigns_by_hand_and_by_sql(db: DatabaseConnection) {
    use forsat_core::service::campaigns::{self as camp, CampaignInput};
    let admin = common::admin(&db).await;
    let campaign = |name: &'static str, cost: &'static str| CampaignInput {
        name: name.into(),
        start_date: None,
        end_date: None,
        description: None,
        cost: cost.into(),
        active: true,
    };
    let spring = camp::create(&db, &admin, campaign("Spring", "1000")).await.unwrap().id;
    let fair = camp::create(&db, &admin, campaign("Fair", "0")).await.unwrap().id;
    let idle = camp::create(&db, &admin, campaign("Idle", "500")).await.unwrap().id;
    let rows = |r: Vec<forsat_core::report::campaigns::CampaignRow>| {
        r.into_iter()
            .map(|c| {
                (
                    c.campaign_id,
                    c.created_count,
                    c.estimated_amount,
                    c.won_count,
                    c.won_amount,
                    c.invoiced_amount,
                    c.won_per_cost,
                )
            })
            .collect::<Vec<_>>()
    };
    // No opportunities yet: the active campaigns with zeros (and their cost).
    let empty = campaigns(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(empty.len(), 3);
    assert!(empty
        .iter()
        .all(|c| c.created_count == 0 && c.invoiced_amount.is_zero()));

    let c = |campaign_id, stage, amount, created| Spec {
        campaign_id,
        stage,
        amount,
        created,
        ..Default::default()
    };
    let _o1 = opp(&db, &admin, c(Some(spring), "contact", "100", "2026-03-10")).await;
    let o2 = opp(&db, &admin, c(Some(spring), "won", "400", "2026-03-12")).await;
    // Farvardin 1, 1405: the first day after Esfand 1404.
    let o3 = opp(&db, &admin, c(Some(spring), "won", "600", "2026-03-21")).await;
    let _o4 = opp(&db, &admin, c(Some(fair), "lost", "50", "2026-03-15")).await;
    let _o5 = opp(&db, &admin, c(None, "won", "999", "2026-03-15")).await;
    let sara = seller(&db, &admin, "sara", "Sara").await;
    let o6 = opp(&db, &sara, c(Some(spring), "won", "300", "2026-03-16")).await;
    invoice(&db, o2, "invoice", "approved", "250", 1).await;
    invoice(&db, o2, "invoice", "draft", "70", 2).await; // a draft: not invoiced
    invoice(&db, o3, "proforma", "approved", "80", 3).await; // a proforma: not invoiced
    invoice(&db, o3, "invoice", "approved", "120", 4).await;
    invoice(&db, o6, "invoice", "approved", "40", 5).await;

    // By hand: Spring 4 opportunities (100 + 400 + 600 + 300 = 1400), won 3 for 1300,
    // invoiced 250 + 120 + 40 = 410, 1300 / 1000 = 1.3; Fair 1 lost; Idle nothing.
    let all = campaigns(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        rows(all.clone()),
        vec![
            (spring, 4, d("1400"), 3, d("1300"), d("410"), Some(d("1.3"))),
            (fair, 1, d("50"), 0, d("0"), d("0"), None),
            (idle, 0, d("0"), 0, d("0"), d("0"), Some(d("0"))),
        ]
    );
    assert_eq!((all[0].name.as_str(), all[0].cost), ("Spring", d("1000")));
    // Esfand 1404 (2026-02-20 … 2026-03-20) leaves out the opportunity of Farvardin 1.
    let esfand = campaigns(&db, &admin, &period("2026-02-20", "2026-03-20"))
        .await
        .unwrap();
    assert_eq!(
        rows(esfand)[0],
        (spring, 3, d("800"), 2, d("700"), d("290"), Some(d("0.7")))
    );
    // A salesperson's view: their own opportunity only.
    let mine = campaigns(&db, &sara, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        rows(mine)[0],
        (spring, 1, d("300"), 1, d("300"), d("40"), Some(d("0.3")))
    );
    // One campaign chosen; an empty period.
    let only = campaigns(
        &db,
        &admin,
        &ReportFilter {
            campaign_id: Some(fair),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(rows(only), vec![(fair, 1, d("50"), 0, d("0"), d("0"), None)]);
    let none = campaigns(&db, &admin, &period("2027-01-01", "2027-12-31"))
        .await
        .unwrap();
    assert!(none.iter().all(|c| c.created_count == 0 && c.won_amount.is_zero()));

    // Plain SQL, written independently.
    let plain = plain_rows(
        &db,
        &format!(
            "SELECT COUNT(*) AS n, CAST(SUM(estimated_amount) AS BIGINT) AS t FROM opportunities WHERE campaign_id = {spring}"
        ),
    )
    .await;
    assert_eq!(plain[0].try_get::<i64>("", "n").unwrap(), all[0].created_count as i64);
    assert_eq!(
        forsat_core::domain::from_storage(plain[0].try_get::<i64>("", "t").unwrap()),
        all[0].estimated_amount
    );
    let plain = plain_rows(
        &db,
        &format!(
            "SELECT CAST(SUM(amount) AS BIGINT) AS t FROM financial_records WHERE kind = 'invoice' AND status = 'approved' \
             AND opportunity_id IN (SELECT id FROM opportunities WHERE campaign_id = {spring})"
        ),
    )
    .await;
    assert_eq!(
        forsat_core::domain::from_storage(plain[0].try_get::<i64>("", "t").unwrap()),
        all[0].invoiced_amount
    );
}

// ------------------------------------------------ report 4: follow-up duration

fn stat(count: u32, average: Option<&str>, median: Option<&str>) -> DurationStat {
    DurationStat {
        count,
        average: average.map(d),
        median: median.map(d),
    }
}

async fn durations_by_hand_and_by_sql(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let types = system_lists::list(&db, SystemListKey::OpportunityType, false)
        .await
        .unwrap();
    let sources = system_lists::list(&db, SystemListKey::Source, false).await.unwrap();
    let (t1, t2, s1, s2) = (types[0].id, types[1].id, sources[0].id, sources[1].id);
    let empty = durations(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(empty.total.won, stat(0, None, None));
    assert!(empty.by_type.is_empty());

    let sp = |stage, t, s, created, closed| Spec {
        stage,
        type_id: Some(t),
        source_id: Some(s),
        created,
        closed_on: Some(closed),
        ..Default::default()
    };
    opp(&db, &admin, sp("won", t1, s1, "2026-01-01", "2026-01-11")).await; // 10 days
    opp(&db, &admin, sp("won", t1, s1, "2026-01-01", "2026-01-21")).await; // 20
    opp(&db, &admin, sp("won", t1, s2, "2026-01-01", "2026-02-15")).await; // 45
    opp(&db, &admin, sp("won", t2, s2, "2026-02-01", "2026-02-06")).await; // 5
    opp(&db, &admin, sp("lost", t1, s1, "2026-01-01", "2026-01-04")).await; // 3
    let sara = seller(&db, &admin, "sara", "Sara").await;
    opp(&db, &sara, sp("lost", t2, s1, "2026-01-10", "2026-01-17")).await; // 7
    opp(&db, &sara, sp("lost", t2, s2, "2026-01-10", "2026-01-30")).await; // 20
    opp(
        &db,
        &admin,
        Spec {
            created: "2026-01-01",
            ..Default::default()
        },
    )
    .await; // open: not counted

    // By hand. Won: 5, 10, 20, 45 → average 80 / 4 = 20, median (10 + 20) / 2 = 15.
    // Lost: 3, 7, 20 → average 10, median 7.
    let r = durations(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(r.total.won, stat(4, Some("20"), Some("15")));
    assert_eq!(r.total.lost, stat(3, Some("10"), Some("7")));
    let find = |groups: &[forsat_core::report::durations::DurationGroup], id: i32| {
        let g = groups.iter().find(|g| g.id == Some(id)).unwrap();
        (g.durations.won.clone(), g.durations.lost.clone())
    };
    // Type 1: won 10, 20, 45; lost 3. Type 2: won 5; lost 7, 20.
    assert_eq!(
        find(&r.by_type, t1),
        (stat(3, Some("25"), Some("20")), stat(1, Some("3"), Some("3")))
    );
    assert_eq!(
        find(&r.by_type, t2),
        (stat(1, Some("5"), Some("5")), stat(2, Some("13.5"), Some("13.5")))
    );
    // Source 1: won 10, 20; lost 3, 7. Source 2: won 45, 5; lost 20.
    assert_eq!(
        find(&r.by_source, s1),
        (stat(2, Some("15"), Some("15")), stat(2, Some("5"), Some("5")))
    );
    assert_eq!(
        find(&r.by_source, s2),
        (stat(2, Some("25"), Some("25")), stat(1, Some("20"), Some("20")))
    );
    assert_eq!(
        find(&r.by_user, admin.user_id),
        (stat(4, Some("20"), Some("15")), stat(1, Some("3"), Some("3")))
    );
    assert_eq!(
        find(&r.by_user, sara.user_id),
        (stat(0, None, None), stat(2, Some("13.5"), Some("13.5")))
    );
    assert_eq!(
        r.by_user.iter().find(|g| g.id == Some(sara.user_id)).unwrap().title_en,
        "Sara"
    );

    // A salesperson sees their own; a period (by creation) narrows to Jan 10 – Feb 28.
    let mine = durations(&db, &sara, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        (mine.total.won.clone(), mine.total.lost.clone()),
        (stat(0, None, None), stat(2, Some("13.5"), Some("13.5")))
    );
    let some = durations(&db, &admin, &period("2026-01-10", "2026-02-28"))
        .await
        .unwrap();
    assert_eq!(
        (some.total.won, some.total.lost),
        (stat(1, Some("5"), Some("5")), stat(2, Some("13.5"), Some("13.5")))
    );
    let none = durations(&db, &admin, &period("2027-01-01", "2027-12-31"))
        .await
        .unwrap();
    assert_eq!(none.total.lost, stat(0, None, None));
    assert!(none.by_source.is_empty());

    // Plain SQL: the won durations, listed and averaged here.
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "SELECT (won_on - CAST(created_at AS DATE)) AS days FROM opportunities WHERE won_on IS NOT NULL ORDER BY 1",
        _ => "SELECT CAST(julianday(won_on) - julianday(date(created_at)) AS INTEGER) AS days FROM opportunities WHERE won_on IS NOT NULL ORDER BY 1",
    };
    let days: Vec<i64> = plain_rows(&db, sql)
        .await
        .iter()
        .map(|r| {
            r.try_get::<i32>("", "days")
                .map(i64::from)
                .or_else(|_| r.try_get::<i64>("", "days"))
                .unwrap()
        })
        .collect();
    assert_eq!(days, vec![5, 10, 20, 45]);
    let n = days.len();
    let median = Decimal::from(days[(n - 1) / 2] + days[n / 2]) / Decimal::from(2);
    assert_eq!(Some(median), r.total.won.median);
    assert_eq!(
        Some(Decimal::from(days.iter().sum::<i64>()) / Decimal::from(n as i64)),
        r.total.won.average
    );
}

// ------------------------------------------------ report 5: competitors

async fn competitors_by_hand_and_by_sql(db: DatabaseConnection) {
    use forsat_core::entity::opportunity_competitors as oc;
    use sea_orm::{ActiveModelTrait, Set};
    let admin = common::admin(&db).await;
    let rival = |name: &str| {
        let mut input = IdentityInput::organization(name);
        input.is_competitor = true;
        input
    };
    let ra = identities::create(&db, &admin, rival("Rival A")).await.unwrap().id;
    let rb = identities::create(&db, &admin, rival("Rival B")).await.unwrap().id;
    let _rc = identities::create(&db, &admin, rival("Rival C")).await.unwrap().id; // never named
    let link = |o: i32, c: i32| oc::ActiveModel {
        opportunity_id: Set(o),
        competitor_id: Set(c),
        note: Set(None),
        ..Default::default()
    };
    assert!(competitors(&db, &admin, &ReportFilter::default())
        .await
        .unwrap()
        .is_empty());
    let sp = |stage, amount, created| Spec {
        stage,
        amount,
        created,
        ..Default::default()
    };
    let o1 = opp(&db, &admin, sp("won", "100", "2026-03-10")).await;
    let o2 = opp(&db, &admin, sp("lost", "200", "2026-03-10")).await;
    let o3 = opp(&db, &admin, sp("lost", "300", "2026-03-20")).await; // Esfand 29, 1404
    let o4 = opp(&db, &admin, sp("proposal", "50", "2026-03-10")).await;
    let sara = seller(&db, &admin, "sara", "Sara").await;
    let o5 = opp(&db, &sara, sp("won", "70", "2026-03-21")).await; // Farvardin 1, 1405
    for (o, c) in [(o1, ra), (o1, rb), (o2, ra), (o3, ra), (o4, rb), (o5, rb)] {
        link(o, c).insert(&db).await.unwrap();
    }
    let rows = |r: Vec<forsat_core::report::competitors::CompetitorRow>| {
        r.into_iter()
            .map(|c| {
                (
                    c.name,
                    c.count,
                    c.open_count,
                    c.won_count,
                    c.lost_count,
                    c.amount,
                    c.win_rate,
                )
            })
            .collect::<Vec<_>>()
    };
    // By hand: A on 1, 2, 3 (won 1, lost 2: 33.3%); B on 1, 4, 5 (open 1, won 2: 100%).
    let all = competitors(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        rows(all.clone()),
        vec![
            ("Rival A".into(), 3, 0, 1, 2, d("600"), Some(d("33.3"))),
            ("Rival B".into(), 3, 1, 2, 0, d("220"), Some(d("100"))),
        ]
    );
    assert_eq!(all[0].competitor_id, ra);
    // Esfand 1404 leaves out opportunity 5 (Farvardin 1); Farvardin has only it.
    let esfand = competitors(&db, &admin, &period("2026-02-20", "2026-03-20"))
        .await
        .unwrap();
    assert_eq!(
        rows(esfand)[1],
        ("Rival B".into(), 2, 1, 1, 0, d("150"), Some(d("100")))
    );
    let farvardin = competitors(&db, &admin, &period("2026-03-21", "2026-04-20"))
        .await
        .unwrap();
    assert_eq!(
        rows(farvardin),
        vec![("Rival B".into(), 1, 0, 1, 0, d("70"), Some(d("100")))]
    );
    // A salesperson's view; only open: no win rate; an empty period.
    let mine = competitors(&db, &sara, &ReportFilter::default()).await.unwrap();
    assert_eq!(
        rows(mine),
        vec![("Rival B".into(), 1, 0, 1, 0, d("70"), Some(d("100")))]
    );
    assert!(competitors(&db, &admin, &period("2027-01-01", "2027-01-31"))
        .await
        .unwrap()
        .is_empty());

    // Plain SQL.
    let plain: HashMap<i32, i64> = plain_rows(
        &db,
        "SELECT competitor_id, COUNT(*) AS n FROM opportunity_competitors GROUP BY competitor_id",
    )
    .await
    .iter()
    .map(|r| (r.try_get("", "competitor_id").unwrap(), r.try_get("", "n").unwrap()))
    .collect();
    for c in &all {
        assert_eq!(plain[&c.competitor_id], c.count as i64);
    }
    let won_a = plain_rows(
        &db,
        &format!(
            "SELECT COUNT(*) AS n FROM opportunity_competitors c JOIN opportunities o ON o.id = c.opportunity_id \
             JOIN stages s ON s.id = o.stage_id WHERE s.kind = 'won' AND c.competitor_id = {ra}"
        ),
    )
    .await;
    assert_eq!(won_a[0].try_get::<i64>("", "n").unwrap(), 1);
}

// ------------------------------------------------ report 7: stage history

async fn history(db: &DatabaseConnection, id: i32, steps: &[(&str, &str)]) {
    use forsat_core::entity::stage_history as h;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    h::Entity::delete_many()
        .filter(h::Column::OpportunityId.eq(id))
        .exec(db)
        .await
        .unwrap();
    let mut from = None;
    for (key, when) in steps {
        let to = stage_id(db, key).await;
        h::ActiveModel {
            opportunity_id: Set(id),
            from_stage_id: Set(from),
            to_stage_id: Set(to),
            changed_at: Set(at(when)),
            changed_by: Set(None),
            note: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        from = Some(to);
    }
}

async fn stage_history_by_hand_and_by_sql(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let today = day("2026-03-31");
    let empty = stage_history(&db, &admin, &ReportFilter::default(), today)
        .await
        .unwrap();
    assert_eq!(empty.len(), 6);
    assert!(empty.iter().all(|s| s.entered == 0 && s.average_days.is_none()));

    let sp = |stage, created| Spec {
        stage,
        created,
        ..Default::default()
    };
    let a = opp(&db, &admin, sp("won", "2026-03-01")).await;
    history(
        &db,
        a,
        &[
            ("contact", "2026-03-01"),
            ("proposal", "2026-03-04"),
            ("won", "2026-03-10"),
        ],
    )
    .await;
    let b = opp(&db, &admin, sp("lost", "2026-03-01")).await;
    history(
        &db,
        b,
        &[
            ("contact", "2026-03-01"),
            ("needs_analysis", "2026-03-03"),
            ("proposal", "2026-03-08"),
            ("lost", "2026-03-09"),
        ],
    )
    .await;
    let c = opp(&db, &admin, sp("proposal", "2026-03-02")).await;
    history(&db, c, &[("contact", "2026-03-02"), ("proposal", "2026-03-05")]).await;
    let sara = seller(&db, &admin, "sara", "Sara").await;
    let dd = opp(&db, &sara, sp("contact", "2026-03-21")).await; // Farvardin 1, 1405
    history(&db, dd, &[("contact", "2026-03-21")]).await;

    let rows = |r: Vec<forsat_core::report::stage_history::StageFlow>| {
        r.into_iter()
            .map(|s| {
                (
                    s.title_en,
                    s.stays,
                    s.average_days,
                    s.entered,
                    s.advanced,
                    s.won,
                    s.advanced_rate,
                    s.won_rate,
                )
            })
            .collect::<Vec<_>>()
    };
    let o = |s: &str| Some(d(s));
    // By hand, to March 31. Contact: 3 + 2 + 3 + 10 (still there) = 18 days in 4 stays;
    // needs analysis: 5; proposal: 6 + 1 + 26 (still there) = 33 in 3; negotiation: none.
    // Entered contact 4, went on 3 (A, B, C), won 1 (A); proposal 3, went on 1 (A won).
    let r = stage_history(&db, &admin, &ReportFilter::default(), today)
        .await
        .unwrap();
    assert_eq!(
        rows(r.clone()),
        vec![
            ("Establishing contact".into(), 4, o("4.5"), 4, 3, 1, o("75"), o("25")),
            ("Needs analysis".into(), 1, o("5"), 1, 1, 0, o("100"), o("0")),
            ("Proposal".into(), 3, o("11"), 3, 1, 1, o("33.3"), o("33.3")),
            ("Negotiation".into(), 0, None, 0, 0, 0, None, None),
            ("Won".into(), 0, None, 1, 0, 1, None, o("100")),
            ("Lost".into(), 0, None, 1, 0, 0, None, o("0")),
        ]
    );
    // Esfand 1404 (created up to March 20): A, B, C; contact 3 + 2 + 3 = 8 in 3 stays.
    let esfand = stage_history(&db, &admin, &period("2026-02-20", "2026-03-20"), today)
        .await
        .unwrap();
    assert_eq!(
        rows(esfand)[0],
        ("Establishing contact".into(), 3, o("2.7"), 3, 3, 1, o("100"), o("33.3"))
    );
    // A salesperson's view: D only, 10 days in contact so far.
    let mine = stage_history(&db, &sara, &ReportFilter::default(), today)
        .await
        .unwrap();
    assert_eq!(
        rows(mine)[0],
        ("Establishing contact".into(), 1, o("10"), 1, 0, 0, o("0"), o("0"))
    );
    let none = stage_history(&db, &admin, &period("2027-01-01", "2027-12-31"), today)
        .await
        .unwrap();
    assert!(none.iter().all(|s| s.stays == 0 && s.entered == 0));

    // Plain SQL: opportunities that entered each stage.
    let plain: HashMap<i32, i64> = plain_rows(
        &db,
        "SELECT to_stage_id, COUNT(DISTINCT opportunity_id) AS n FROM stage_history GROUP BY to_stage_id",
    )
    .await
    .iter()
    .map(|r| (r.try_get("", "to_stage_id").unwrap(), r.try_get("", "n").unwrap()))
    .collect();
    for s in &r {
        assert_eq!(
            s.entered as i64,
            plain.get(&s.stage_id).copied().unwrap_or(0),
            "{}",
            s.title_en
        );
    }
}

// ------------------------------------------------ report 9: the dashboard

async fn dashboard_by_hand_and_by_sql(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let today = day("2026-03-15");
    let filter = period("2026-03-01", "2026-03-10");
    let won = |amount, created, closed| Spec {
        stage: "won",
        amount,
        created,
        closed_on: Some(closed),
        ..Default::default()
    };
    let open = |title, amount, created, close, probability| Spec {
        title,
        stage: "contact",
        amount,
        created,
        close: Some(close),
        probability: Some(probability),
        ..Default::default()
    };
    opp(&db, &admin, won("500", "2026-02-10", "2026-03-05")).await; // won in the period
    opp(&db, &admin, won("200", "2026-02-10", "2026-02-25")).await; // in the period before
    opp(&db, &admin, won("1000", "2026-02-10", "2026-03-11")).await; // after it
    let o4 = opp(&db, &admin, open("Four", "300", "2026-03-02", "2026-03-01", "50")).await;
    let o5 = opp(&db, &admin, open("Five", "100", "2026-03-03", "2026-03-14", "10")).await;
    opp(&db, &admin, open("Six", "700", "2026-03-04", "2026-03-15", "100")).await; // due today
    let sara = seller(&db, &admin, "sara", "Sara").await;
    let o7 = opp(&db, &sara, open("Seven", "50", "2026-01-01", "2026-01-01", "20")).await;

    let r = dashboard(&db, &admin, &filter, Calendar::Gregorian, today)
        .await
        .unwrap();
    assert_eq!((r.won.count, r.won.amount), (1, d("500")));
    let prev = r.previous_won.clone().unwrap();
    // Ten days, so the ten days before: Feb 19 – Feb 28.
    assert_eq!(
        (prev.from, prev.to, prev.count, prev.amount),
        (Some(day("2026-02-19")), Some(day("2026-02-28")), 1, d("200"))
    );
    // Open, created in the period: 300 × 50% + 100 × 10% + 700 × 100% = 860.
    assert_eq!(
        (r.open_count, r.open_amount, r.weighted_amount),
        (3, d("1100"), d("860"))
    );
    assert_eq!(r.status.total, 3);
    // Overdue whatever the period: 7 (73 days), 4 (14), 5 (1); 6 is due today.
    assert_eq!(r.overdue_count, 3);
    let overdue: Vec<_> = r
        .overdue
        .iter()
        .map(|o| (o.id, o.title.as_str(), o.days_overdue, o.assigned_user_name.as_deref()))
        .collect();
    assert_eq!(
        overdue,
        vec![
            (o7, "Seven", 73, Some("Sara")),
            (o4, "Four", 14, Some("مدیر سیستم")),
            (o5, "Five", 1, Some("مدیر سیستم"))
        ]
    );
    assert_eq!(r.overdue[0].identity_name, "مشتری");
    // A salesperson's view.
    let mine = dashboard(&db, &sara, &filter, Calendar::Gregorian, today)
        .await
        .unwrap();
    assert_eq!(
        (
            mine.won.count,
            mine.previous_won.unwrap().count,
            mine.overdue_count,
            mine.open_count
        ),
        (0, 0, 1, 0)
    );
    // An empty period: nothing won or open, the overdue ones still listed.
    let none = dashboard(
        &db,
        &admin,
        &period("2027-01-01", "2027-01-31"),
        Calendar::Jalali,
        today,
    )
    .await
    .unwrap();
    assert_eq!((none.won.count, none.open_count, none.overdue_count), (0, 0, 3));
    // Open-ended: no previous period.
    let all = dashboard(&db, &admin, &ReportFilter::default(), Calendar::Jalali, today)
        .await
        .unwrap();
    assert!(all.previous_won.is_none());
    assert_eq!((all.won.count, all.won.amount), (3, d("1700")));

    // Plain SQL: overdue open opportunities.
    let plain = plain_rows(
        &db,
        "SELECT COUNT(*) AS n FROM opportunities o JOIN stages s ON s.id = o.stage_id \
         WHERE s.kind = 'open' AND o.close_date < '2026-03-15'",
    )
    .await;
    assert_eq!(plain[0].try_get::<i64>("", "n").unwrap(), r.overdue_count as i64);
}

#[test]
fn previous_period_has_the_same_length() {
    // Esfand 1404 (29 days) → the 29 days before it.
    assert_eq!(
        previous_period(day("2026-02-20"), day("2026-03-20")),
        (day("2026-01-22"), day("2026-02-19"))
    );
    assert_eq!(
        previous_period(day("2026-03-01"), day("2026-03-01")),
        (day("2026-02-28"), day("2026-02-28"))
    );
}

// ------------------------------------------------ sums that would overflow 64 bits

async fn huge_amounts_sum_exactly(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    // Ten times the largest amount: 9.99…e18 ten-thousandths, past i64::MAX.
    for _ in 0..10 {
        opp(
            &db,
            &admin,
            Spec {
                stage: "contact",
                amount: "99999999999999",
                probability: Some("100"),
                close: Some("2026-04-01"),
                ..Default::default()
            },
        )
        .await;
    }
    opp(
        &db,
        &admin,
        Spec {
            stage: "won",
            amount: "99999999999999",
            ..Default::default()
        },
    )
    .await;
    let total = d("999999999999990");
    let status = sales_status(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(status.stages[0].amount, total);
    let f = forecast(&db, &admin, &ReportFilter::default(), Calendar::Gregorian)
        .await
        .unwrap();
    assert_eq!((f[0].amount, f[0].weighted), (total, total));
    let w = win_loss(&db, &admin, &ReportFilter::default()).await.unwrap();
    assert_eq!(w.total.won_amount, d("99999999999999"));
}

on_both_backends!(
    sales_status_by_hand_and_by_sql,
    win_loss_by_hand_and_by_sql,
    forecast_by_jalali_and_gregorian_month,
    campaigns_by_hand_and_by_sql,
    durations_by_hand_and_by_sql,
    competitors_by_hand_and_by_sql,
    stage_history_by_hand_and_by_sql,
    dashboard_by_hand_and_by_sql,
    huge_amounts_sum_exactly
);

/// Five slow reports and a list call at once: the reports take their few slots
/// (`report::slots`), the others wait there rather than on the connection pool, and
/// the list answers while the reports are still running.
async fn the_list_answers_while_reports_run(db: DatabaseConnection) {
    use forsat_core::report::slots::Slots;
    use forsat_core::service::pipeline::{self, ListRequest, OpportunityFilter};
    use std::sync::Arc;
    use std::time::Instant;
    let admin = common::admin(&db).await;
    let slots = Arc::new(Slots::default());
    // A statement that keeps its connection busy for a few seconds, on either backend.
    let slow = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "SELECT CAST(1 AS BIGINT) AS n FROM pg_sleep(3)".to_owned(),
        _ => "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 6000000) \
              SELECT COUNT(*) AS n FROM c"
            .to_owned(),
    };
    let started = Instant::now();
    let mut reports = vec![];
    for _ in 0..5 {
        let (db, slots, slow) = (db.clone(), slots.clone(), slow.clone());
        reports.push(tokio::spawn(async move {
            slots
                .run(async {
                    db.query_one_raw(Statement::from_string(db.get_database_backend(), slow))
                        .await
                        .map_err(forsat_core::error::AppError::from)
                })
                .await
                .unwrap();
            started.elapsed()
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(slots.free(), 0, "the reports hold every slot");
    let page = pipeline::list(
        &db,
        &admin,
        &ListRequest {
            filter: OpportunityFilter::default(),
            sort: vec![],
            page: 1,
            page_size: 50,
        },
    )
    .await
    .expect("the list answers, never a pool timeout");
    let listed = started.elapsed();
    let mut finished = vec![];
    for r in reports {
        finished.push(r.await.unwrap());
    }
    finished.sort();
    assert!(
        listed < finished[0],
        "the list ({listed:?}) answered before the first report finished ({finished:?})"
    );
    assert_eq!(page.page.total, 0);
}

/// Reports the user has left behind are called off while they wait for a slot: they
/// never run, and the one on screen starts as soon as a slot is free instead of after
/// them. A ticket called off before its report arrives counts too; a bad ticket is a
/// typed refusal.
#[tokio::test]
async fn reports_left_behind_are_called_off_before_they_run() {
    use forsat_core::error::AppError;
    use forsat_core::report::slots::{Slots, TICKET_MAX};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;
    let slots = Arc::new(Slots::new(2));
    let ran = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Notify::new());
    let mut running = vec![];
    for _ in 0..2 {
        let (slots, release) = (slots.clone(), release.clone());
        running.push(tokio::spawn(async move {
            slots
                .run(async {
                    release.notified().await;
                    Ok(())
                })
                .await
        }));
    }
    let mut queued = vec![];
    for i in 0..3 {
        let (slots, ran) = (slots.clone(), ran.clone());
        queued.push(tokio::spawn(async move {
            slots
                .run_as(Some(&format!("tab-{i}")), async {
                    ran.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                })
                .await
        }));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!((slots.free(), slots.queued()), (0, 3));
    // The user went on to another tab: the first two are called off.
    slots.cancel("tab-0").unwrap();
    slots.cancel("tab-1").unwrap();
    let called_off = |r: Result<Result<(), AppError>, _>| matches!(r, Ok(Err(AppError::Unavailable { code })) if code == "cancelled");
    assert!(called_off(
        tokio::time::timeout(Duration::from_secs(5), &mut queued[0])
            .await
            .unwrap()
    ));
    assert!(called_off(
        tokio::time::timeout(Duration::from_secs(5), &mut queued[1])
            .await
            .unwrap()
    ));
    assert_eq!(slots.queued(), 1);
    // A cancel that overtakes its report: the report does not run when it comes.
    slots.cancel("late").unwrap();
    let late = slots
        .run_as(Some("late"), async {
            ran.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .await;
    assert!(matches!(late, Err(AppError::Unavailable { .. })));
    // The running ones finish; the one still wanted runs next.
    release.notify_waiters();
    for r in running {
        r.await.unwrap().unwrap();
    }
    queued.remove(2).await.unwrap().unwrap();
    assert_eq!(ran.load(Ordering::SeqCst), 1, "only the report still wanted ran");
    assert_eq!(slots.free(), 2);
    // A cancel of something that already finished changes nothing.
    slots.cancel("tab-2").unwrap();
    for bad in [String::new(), "x".repeat(TICKET_MAX + 1)] {
        assert!(matches!(slots.cancel(&bad), Err(AppError::Validation { .. })));
        assert!(matches!(
            slots.run_as(Some(&bad), async { Ok(()) }).await,
            Err(AppError::Validation { .. })
        ));
    }
}

/// A file database: its pool has several connections (the in-memory one has one).
async fn sqlite_file() -> (DatabaseConnection, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("forsat-slots-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = forsat_core::db::connect_and_migrate(&forsat_core::db::default_sqlite_url(&dir))
        .await
        .unwrap();
    forsat_core::seed::reference::ensure(&db).await.unwrap();
    (db, dir)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_file_list_answers_while_reports_run() {
    let (db, dir) = sqlite_file().await;
    the_list_answers_while_reports_run(db).await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_list_answers_while_reports_run() {
    if let Some(db) = common::postgres().await {
        the_list_answers_while_reports_run(db).await;
    }
}
