//! The foundation: migrations, reference data, exact money, settings, demo data.

mod common;

use std::str::FromStr;

use forsat_core::domain::{StageKind, SystemListKey};
use forsat_core::entity::{campaigns, identities, opportunities, stages, system_items};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::seed::{demo, reference};
use forsat_core::service::campaigns::CampaignInput;
use forsat_core::service::settings::SettingsPatch;
use forsat_core::service::{campaigns as campaign_service, settings, system_lists};
use migration::{Migrator, MigratorTrait};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn migrations_apply_and_roll_back(db: DatabaseConnection) {
    assert!(Migrator::get_pending_migrations(&db).await.unwrap().is_empty());
    Migrator::down(&db, None).await.expect("down");
    Migrator::up(&db, None).await.expect("up again");
    reference::ensure(&db).await.unwrap();
    assert_eq!(stages::Entity::find().count(&db).await.unwrap(), 6);
}

async fn reference_data_is_complete_and_idempotent(db: DatabaseConnection) {
    reference::ensure(&db).await.unwrap();
    reference::ensure(&db).await.unwrap();
    let all = stages::Entity::find().all(&db).await.unwrap();
    assert_eq!(all.len(), 6);
    let keys: Vec<_> = all.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        ["contact", "needs_analysis", "proposal", "negotiation", "won", "lost"]
    );
    assert!(all.iter().any(|s| s.kind == StageKind::Won.as_str()));
    assert!(all.iter().any(|s| s.kind == StageKind::Lost.as_str()));
    assert!(all.iter().all(|s| !s.title_fa.is_empty() && !s.title_en.is_empty()));
    for list in SystemListKey::ALL {
        let items = system_lists::list(&db, *list, false).await.unwrap();
        assert!(!items.is_empty(), "{list} has default values");
    }
    let types: Vec<_> = system_lists::list(&db, SystemListKey::OpportunityType, false)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.title_en)
        .collect();
    assert_eq!(types, ["Standard", "Bulk order", "Delivery", "Special order"]);
    let processes = system_lists::list(&db, SystemListKey::PurchaseProcess, false)
        .await
        .unwrap();
    assert_eq!(processes.len(), 2);
    assert_eq!(
        system_items::Entity::find().count(&db).await.unwrap() as usize,
        reference::LISTS.iter().map(|(_, i)| i.len()).sum::<usize>()
    );
    let admin = common::admin(&db).await;
    assert!(admin.is_admin());
}

async fn money_round_trips_exactly(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    settings::update(
        &db,
        &admin,
        SettingsPatch {
            currency_decimals: Some(2),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    for (input, expected) in [
        ("0.10", "0.10"),
        ("1,234,567.891", "1234567.89"),
        ("99,999,999,999,999.99", "99999999999999.99"),
        ("۱۲۳۴۵۶", "123456"),
    ] {
        let c = campaign_service::create(
            &db,
            &admin,
            CampaignInput {
                active: true,
                name: format!("c {input}"),
                start_date: None,
                end_date: None,
                description: None,
                cost: input.into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(c.cost, d(expected), "returned {input}");
        let stored = campaigns::Entity::find_by_id(c.id).one(&db).await.unwrap().unwrap();
        assert_eq!(stored.cost.0, d(expected), "stored {input}");
    }
    // At the currency's precision: Rial keeps whole numbers.
    settings::update(
        &db,
        &admin,
        SettingsPatch {
            currency_decimals: Some(0),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let c = campaign_service::create(
        &db,
        &admin,
        CampaignInput {
            active: true,
            name: "rial".into(),
            start_date: None,
            end_date: None,
            description: None,
            cost: "1234567.891".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(c.cost, d("1234568"));
    // Beyond the range, or not a number: refused, nothing written.
    let before = campaigns::Entity::find().count(&db).await.unwrap();
    for bad in ["100000000000000000", "12abc", "-5"] {
        let err = campaign_service::create(
            &db,
            &admin,
            CampaignInput {
                active: true,
                name: "bad".into(),
                start_date: None,
                end_date: None,
                description: None,
                cost: bad.into(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.field_codes()[0].0, "cost", "{bad}");
    }
    assert_eq!(campaigns::Entity::find().count(&db).await.unwrap(), before);
}

async fn settings_are_validated_and_guarded(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let s = settings::get(&db).await.unwrap();
    assert_eq!(s.language, forsat_core::domain::Language::Fa);
    assert_eq!(s.currency_code, "IRR");
    let s = settings::update(
        &db,
        &admin,
        SettingsPatch {
            language: Some(forsat_core::domain::Language::En),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.language, forsat_core::domain::Language::En);
    assert_eq!(
        settings::get(&db).await.unwrap().language,
        forsat_core::domain::Language::En
    );
    let err = settings::update(
        &db,
        &admin,
        SettingsPatch {
            currency_decimals: Some(9),
            tax_percent: Some("101".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![
            ("currencyDecimals".into(), ValidationCode::OutOfRange),
            ("taxPercent".into(), ValidationCode::OutOfRange)
        ]
    );
    let seller = common::salesperson(admin.user_id);
    let err = settings::update(
        &db,
        &seller,
        SettingsPatch {
            tax_percent: Some("9".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }));
    assert_eq!(settings::get(&db).await.unwrap().tax_percent, d("10"));

    // Printout header and numbering templates.
    use forsat_core::service::settings::NumberingTemplate;
    let s = settings::update(
        &db,
        &admin,
        SettingsPatch {
            company_name: Some("شرکت نمونه".into()),
            company_header: Some("تهران، خیابان ولیعصر".into()),
            numbering: Some(vec![NumberingTemplate {
                kind: "identity".into(),
                template: "CUS-{gy}-{seq:3}".into(),
            }]),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.company_name, "شرکت نمونه");
    assert!(s
        .numbering
        .iter()
        .any(|t| t.kind == "identity" && t.template == "CUS-{gy}-{seq:3}"));
    let created = forsat_core::service::identities::create(
        &db,
        &admin,
        forsat_core::service::identities::IdentityInput::person("a", "b"),
    )
    .await
    .unwrap();
    assert_eq!(
        created.customer_number,
        format!("CUS-{}-001", chrono::Datelike::year(&chrono::Utc::now()))
    );
    let err = settings::update(
        &db,
        &admin,
        SettingsPatch {
            numbering: Some(vec![
                NumberingTemplate {
                    kind: "invoice".into(),
                    template: "INV-{jy}".into(),
                },
                NumberingTemplate {
                    kind: "rocket".into(),
                    template: "{seq}".into(),
                },
                // A width that would make every new number fail.
                NumberingTemplate {
                    kind: "invoice".into(),
                    template: "INV-{seq:99999999}".into(),
                },
            ]),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![
            ("numbering.0.template".into(), ValidationCode::Invalid),
            ("numbering.1.kind".into(), ValidationCode::UnknownReference),
            ("numbering.2.template".into(), ValidationCode::OutOfRange)
        ]
    );
}

async fn demo_data_loads_once(db: DatabaseConnection) {
    assert!(demo::load(&db).await.unwrap());
    let counts = |db: DatabaseConnection| async move {
        (
            identities::Entity::find().count(&db).await.unwrap(),
            opportunities::Entity::find().count(&db).await.unwrap(),
            forsat_core::entity::products::Entity::find().count(&db).await.unwrap(),
            campaigns::Entity::find().count(&db).await.unwrap(),
        )
    };
    let first = counts(db.clone()).await;
    assert!(first.0 >= 30, "identities: {}", first.0);
    assert_eq!(first.1, 150);
    assert_eq!(first.2, 40);
    assert_eq!(first.3, 3);
    assert!(!demo::load(&db).await.unwrap(), "second load is a no-op");
    assert_eq!(counts(db.clone()).await, first);
    // The organisation: the sales manager oversees every salesperson, through a team
    // and the team inside it.
    let org = forsat_core::service::teams::list(&db).await.unwrap();
    assert_eq!(org.len(), 2);
    let manager = forsat_core::service::users::actor_for(&db, "s.karimi").await.unwrap();
    let scope = forsat_core::service::teams::scope(&db, &manager).await.unwrap();
    for seller in ["a.rezaei", "m.hosseini", "k.tehrani", "p.nouri"] {
        let u = forsat_core::entity::users::Entity::find()
            .filter(forsat_core::entity::users::Column::Username.eq(seller))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert!(scope.sees(Some(u.id)), "{seller}");
    }
    // Every stage holds opportunities; closed ones carry their reason and date.
    for stage in stages::Entity::find().all(&db).await.unwrap() {
        let n = opportunities::Entity::find()
            .filter(opportunities::Column::StageId.eq(stage.id))
            .count(&db)
            .await
            .unwrap();
        assert!(n > 0, "stage {} is empty", stage.key);
        let opps = opportunities::Entity::find()
            .filter(opportunities::Column::StageId.eq(stage.id))
            .all(&db)
            .await
            .unwrap();
        for o in opps {
            match StageKind::parse(&stage.kind).unwrap() {
                StageKind::Won => assert!(o.won_on.is_some() && o.win_reason_id.is_some() && o.probability == 100),
                StageKind::Lost => assert!(o.lost_on.is_some() && o.loss_reason_id.is_some() && o.probability == 0),
                StageKind::Open => assert!(o.won_on.is_none() && o.lost_on.is_none() && o.win_reason_id.is_none()),
            }
        }
    }
    let invoices = forsat_core::entity::financial_records::Entity::find()
        .filter(forsat_core::entity::financial_records::Column::Kind.eq("invoice"))
        .count(&db)
        .await
        .unwrap();
    assert!(invoices > 0);
}

on_both_backends!(
    migrations_apply_and_roll_back,
    reference_data_is_complete_and_idempotent,
    money_round_trips_exactly,
    settings_are_validated_and_guarded,
    demo_data_loads_once,
);
