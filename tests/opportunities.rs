//! The opportunity form's rules (domain §3), on both backends.

mod common;

use forsat_core::domain::{StageKind, SystemListKey};
use forsat_core::entity::{change_log, custom_fields, opportunities, stage_history, users};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::service::custom_fields::CustomValue;
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::lines::LineInput;
use forsat_core::service::opportunities::{self as svc, CompetitorInput, OpportunityDetail, OpportunityInput};
use forsat_core::service::{changelog, records, stages, system_lists, Actor};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

struct Fixture {
    db: DatabaseConnection,
    admin: Actor,
    identity: i32,
    type_id: i32,
    source_id: i32,
    win_reason: i32,
    loss_reason: i32,
    stage: std::collections::HashMap<String, (i32, StageKind, Option<i32>)>,
}

impl Fixture {
    async fn new(db: DatabaseConnection) -> Self {
        let admin = common::admin(&db).await;
        let identity = identities::create(&db, &admin, IdentityInput::organization("شرکت فولاد پارس"))
            .await
            .unwrap()
            .id;
        let first = |l| {
            let db = db.clone();
            async move { system_lists::list(&db, l, false).await.unwrap()[0].id }
        };
        let stage = stages::list(&db, true)
            .await
            .unwrap()
            .into_iter()
            .map(|s| (s.key, (s.id, s.kind, s.default_probability)))
            .collect();
        Self {
            admin,
            identity,
            type_id: first(SystemListKey::OpportunityType).await,
            source_id: first(SystemListKey::Source).await,
            win_reason: first(SystemListKey::WinReason).await,
            loss_reason: first(SystemListKey::LossReason).await,
            stage,
            db,
        }
    }

    fn stage(&self, key: &str) -> i32 {
        self.stage[key].0
    }

    fn input(&self) -> OpportunityInput {
        OpportunityInput {
            identity_id: self.identity,
            title: "تجهیز اتاق سرور".into(),
            assigned_user_id: Some(self.admin.user_id),
            type_id: Some(self.type_id),
            source_id: Some(self.source_id),
            campaign_id: None,
            close_date: Some(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
            estimated_amount: "1250000000".into(),
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
            stage_id: self.stage("contact"),
        }
    }

    /// The input the form would send back for a loaded record.
    fn resend(&self, d: &OpportunityDetail) -> OpportunityInput {
        OpportunityInput {
            identity_id: d.identity_id,
            title: d.title.clone(),
            assigned_user_id: d.assigned_user_id,
            type_id: Some(d.type_id),
            source_id: Some(d.source_id),
            campaign_id: d.campaign_id,
            close_date: d.close_date,
            estimated_amount: d.estimated_amount.to_string(),
            amount_is_manual: d.amount_is_manual,
            probability: Some(d.probability.to_string()),
            probability_is_manual: d.probability_is_manual,
            win_reason_id: d.win_reason_id,
            loss_reason_id: d.loss_reason_id,
            reason_note: d.reason_note.clone(),
            purchase_process_id: d.purchase_process_id,
            won_on: d.won_on,
            lost_on: d.lost_on,
            custom_fields: d.custom_fields.clone(),
            competitors: d
                .competitors
                .iter()
                .map(|c| CompetitorInput {
                    competitor_id: c.competitor_id,
                    note: c.note.clone(),
                })
                .collect(),
            lines: d
                .lines
                .iter()
                .map(|l| LineInput {
                    product_id: l.product_id,
                    quantity: l.quantity.to_string(),
                    unit_price: Some(l.unit_price.to_string()),
                    discount_kind: l.discount_kind,
                    discount_value: l.discount_value.to_string(),
                    description: l.description.clone(),
                    source_line_id: None,
                })
                .collect(),
            stage_id: d.stage_id,
        }
    }

    async fn counts(&self) -> (u64, u64, u64) {
        (
            opportunities::Entity::find().count(&self.db).await.unwrap(),
            stage_history::Entity::find().count(&self.db).await.unwrap(),
            change_log::Entity::find().count(&self.db).await.unwrap(),
        )
    }
}

/// Today by the app's clock (no time zone is configured in these tests: the OS zone).
fn today() -> chrono::NaiveDate {
    forsat_core::clock::Clock::os().today()
}

async fn create_applies_stage_default_and_records_history(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let o = svc::create(&f.db, &f.admin, f.input()).await.unwrap();
    assert_eq!(o.probability, 10, "the stage's default probability");
    assert!(!o.probability_is_manual);
    assert_eq!(o.estimated_amount.to_string(), "1250000000");
    assert_eq!(o.expected_amount.to_string(), "125000000");
    assert!(o.overdue, "an open opportunity past its close date is flagged");
    assert_eq!(o.stage_history.len(), 1);
    assert_eq!(o.stage_history[0].from_stage_id, None);
    assert_eq!(o.stage_history[0].to_stage_id, f.stage("contact"));
    assert_eq!(o.identity_name, "شرکت فولاد پارس");
    assert_eq!(o.won_on, None);
    assert_eq!(o.balance, rust_decimal::Decimal::ZERO);
    // The close date never blocks editing: a past date saves fine.
    let edited = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            title: "new".into(),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap();
    assert_eq!(edited.title, "new");
    // It shows in the identity's Records tab, newest first.
    let rows = records::for_identity(&f.db, &f.admin, f.identity).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, o.id);
    assert_eq!(rows[0].stage_id, Some(f.stage("contact")));
    assert!(records::for_opportunity(&f.db, &f.admin, o.id)
        .await
        .unwrap()
        .is_empty());
}

async fn stage_changes_follow_the_probability_rules(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let o = svc::create(&f.db, &f.admin, f.input()).await.unwrap();
    let o = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            stage_id: f.stage("proposal"),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap();
    assert_eq!(o.probability, 50, "default of the new stage");
    // A hand-set probability is kept across stage changes.
    let o = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            probability: Some("۳۵".into()),
            probability_is_manual: true,
            ..f.resend(&o)
        },
    )
    .await
    .unwrap();
    assert_eq!((o.probability, o.probability_is_manual), (35, true));
    let o = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            stage_id: f.stage("negotiation"),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap();
    assert_eq!(o.probability, 35);
    assert_eq!(o.stage_history.len(), 3, "created, proposal, negotiation");
    assert_eq!(o.stage_history[0].from_stage_id, Some(f.stage("proposal")));
    assert_eq!(o.stage_history[0].to_stage_id, f.stage("negotiation"));
}

async fn winning_stamps_the_date_and_reopening_clears_it(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let o = svc::create(&f.db, &f.admin, f.input()).await.unwrap();
    // Closing as won needs a win reason.
    let err = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            stage_id: f.stage("won"),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("winReasonId".into(), ValidationCode::Required)]
    );
    let won = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            stage_id: f.stage("won"),
            win_reason_id: Some(f.win_reason),
            reason_note: Some("قیمت".into()),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap();
    assert_eq!(won.won_on, Some(today()));
    assert_eq!(won.lost_on, None);
    assert_eq!(won.probability, 100);
    assert_eq!(won.stage_kind, StageKind::Won);
    assert!(!won.overdue, "a closed opportunity is never overdue");
    assert_eq!(won.days_to_close, Some(0));
    // Saving again keeps the date (read-only, not re-stamped).
    let again = svc::update(
        &f.db,
        &f.admin,
        won.id,
        won.version,
        OpportunityInput {
            title: "x".into(),
            ..f.resend(&won)
        },
    )
    .await
    .unwrap();
    assert_eq!(again.won_on, Some(today()));
    // Nobody sets the win date by hand.
    let yesterday = today().pred_opt().unwrap();
    let err = svc::update(
        &f.db,
        &f.admin,
        again.id,
        again.version,
        OpportunityInput {
            won_on: Some(yesterday),
            ..f.resend(&again)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("wonOn".into(), ValidationCode::ReadOnly)]);
    // Moving to lost clears the win reason and date, stamps the loss date.
    let lost = svc::update(
        &f.db,
        &f.admin,
        again.id,
        again.version,
        OpportunityInput {
            stage_id: f.stage("lost"),
            loss_reason_id: Some(f.loss_reason),
            ..f.resend(&again)
        },
    )
    .await
    .unwrap();
    assert_eq!((lost.won_on, lost.lost_on), (None, Some(today())));
    assert_eq!((lost.win_reason_id, lost.loss_reason_id), (None, Some(f.loss_reason)));
    assert_eq!(lost.probability, 0);
    // Reopening clears both dates and the reason; the stage default applies again.
    let reopened = svc::update(
        &f.db,
        &f.admin,
        lost.id,
        lost.version,
        OpportunityInput {
            stage_id: f.stage("negotiation"),
            ..f.resend(&lost)
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (
            reopened.won_on,
            reopened.lost_on,
            reopened.loss_reason_id,
            reopened.reason_note.clone()
        ),
        (None, None, None, None)
    );
    assert_eq!(reopened.probability, 75);
    // Every change is in the change log with old and new values.
    let history = changelog::history(&f.db, "opportunity", o.id).await.unwrap();
    let stage_changes: Vec<_> = history
        .iter()
        .flat_map(|h| h.changes.iter())
        .filter(|c| c.field == "wonOn" || c.field == "lostOn")
        .collect();
    assert!(stage_changes.len() >= 4, "{stage_changes:?}");
}

async fn reasons_belong_to_their_outcome(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let before = f.counts().await;
    let err = svc::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            win_reason_id: Some(f.win_reason),
            ..f.input()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("winReasonId".into(), ValidationCode::NotAllowed)]
    );
    let err = svc::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            stage_id: f.stage("won"),
            win_reason_id: Some(f.win_reason),
            loss_reason_id: Some(f.loss_reason),
            ..f.input()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("lossReasonId".into(), ValidationCode::NotAllowed)]
    );
    // A loss reason id given as the win reason is unknown to that list.
    let err = svc::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            stage_id: f.stage("won"),
            win_reason_id: Some(f.loss_reason),
            ..f.input()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("winReasonId".into(), ValidationCode::UnknownReference)]
    );
    assert_eq!(f.counts().await, before);
    // Created directly as won: stamped at once.
    let o = svc::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            stage_id: f.stage("won"),
            win_reason_id: Some(f.win_reason),
            ..f.input()
        },
    )
    .await
    .unwrap();
    assert_eq!((o.won_on, o.probability), (Some(today()), 100));
}

async fn hostile_input_is_refused_and_writes_nothing(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let inactive = users::ActiveModel {
        username: Set("left".into()),
        display_name: Set("Left".into()),
        role: Set("salesperson".into()),
        active: Set(false),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&f.db)
    .await
    .unwrap();
    let inactive_type = system_lists::list(&f.db, SystemListKey::OpportunityType, false)
        .await
        .unwrap()[1]
        .id;
    forsat_core::entity::system_items::ActiveModel {
        id: Set(inactive_type),
        active: Set(false),
        ..Default::default()
    }
    .update(&f.db)
    .await
    .unwrap();
    let inactive_stage = f.stage("needs_analysis");
    forsat_core::entity::stages::ActiveModel {
        id: Set(inactive_stage),
        active: Set(false),
        ..Default::default()
    }
    .update(&f.db)
    .await
    .unwrap();
    let before = f.counts().await;
    let manual = |p: &str| OpportunityInput {
        probability: Some(p.into()),
        probability_is_manual: true,
        ..f.input()
    };
    let long = "ع".repeat(10_000);
    let cases: Vec<(OpportunityInput, &str, ValidationCode)> = vec![
        (manual("-1"), "probability", ValidationCode::OutOfRange),
        (manual("101"), "probability", ValidationCode::OutOfRange),
        (manual("abc"), "probability", ValidationCode::Invalid),
        (
            OpportunityInput {
                title: "".into(),
                ..f.input()
            },
            "title",
            ValidationCode::Required,
        ),
        (
            OpportunityInput {
                title: long.clone(),
                ..f.input()
            },
            "title",
            ValidationCode::TooLong,
        ),
        (
            OpportunityInput {
                assigned_user_id: Some(999_999),
                ..f.input()
            },
            "assignedUserId",
            ValidationCode::UnknownReference,
        ),
        (
            OpportunityInput {
                assigned_user_id: Some(inactive.id),
                ..f.input()
            },
            "assignedUserId",
            ValidationCode::InactiveReference,
        ),
        (
            OpportunityInput {
                type_id: None,
                ..f.input()
            },
            "typeId",
            ValidationCode::Required,
        ),
        (
            OpportunityInput {
                type_id: Some(999_999),
                ..f.input()
            },
            "typeId",
            ValidationCode::UnknownReference,
        ),
        (
            OpportunityInput {
                type_id: Some(inactive_type),
                ..f.input()
            },
            "typeId",
            ValidationCode::InactiveReference,
        ),
        (
            OpportunityInput {
                source_id: Some(f.type_id),
                ..f.input()
            },
            "sourceId",
            ValidationCode::UnknownReference,
        ),
        (
            OpportunityInput {
                source_id: None,
                ..f.input()
            },
            "sourceId",
            ValidationCode::Required,
        ),
        (
            OpportunityInput {
                campaign_id: Some(999_999),
                ..f.input()
            },
            "campaignId",
            ValidationCode::UnknownReference,
        ),
        (
            OpportunityInput {
                stage_id: 999_999,
                ..f.input()
            },
            "stageId",
            ValidationCode::UnknownReference,
        ),
        (
            OpportunityInput {
                stage_id: inactive_stage,
                ..f.input()
            },
            "stageId",
            ValidationCode::InactiveReference,
        ),
        (
            OpportunityInput {
                identity_id: 999_999,
                ..f.input()
            },
            "identityId",
            ValidationCode::UnknownReference,
        ),
        (
            OpportunityInput {
                estimated_amount: "12,3a".into(),
                ..f.input()
            },
            "estimatedAmount",
            ValidationCode::Invalid,
        ),
        (
            OpportunityInput {
                estimated_amount: "1000000000000000000".into(),
                ..f.input()
            },
            "estimatedAmount",
            ValidationCode::OutOfRange,
        ),
        (
            OpportunityInput {
                won_on: Some(today()),
                ..f.input()
            },
            "wonOn",
            ValidationCode::ReadOnly,
        ),
        (
            OpportunityInput {
                lost_on: Some(today()),
                ..f.input()
            },
            "lostOn",
            ValidationCode::ReadOnly,
        ),
        (
            OpportunityInput {
                reason_note: Some(long),
                stage_id: f.stage("won"),
                win_reason_id: Some(f.win_reason),
                ..f.input()
            },
            "reasonNote",
            ValidationCode::TooLong,
        ),
        (
            OpportunityInput {
                competitors: vec![CompetitorInput {
                    competitor_id: f.identity,
                    note: None,
                }],
                ..f.input()
            },
            "competitors.0.competitorId",
            ValidationCode::Invalid,
        ),
        (
            OpportunityInput {
                custom_fields: vec![CustomValue {
                    field_id: 999_999,
                    value: Some("x".into()),
                }],
                ..f.input()
            },
            "customFields.999999",
            ValidationCode::UnknownReference,
        ),
    ];
    for (input, field, code) in cases {
        let err = svc::create(&f.db, &f.admin, input).await.unwrap_err();
        assert!(
            err.field_codes().contains(&(field.to_owned(), code)),
            "{field} {code:?}: got {err:?}"
        );
    }
    assert_eq!(f.counts().await, before, "nothing was written");
}

async fn stale_versions_conflict_and_overwrite_nothing(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let o = svc::create(&f.db, &f.admin, f.input()).await.unwrap();
    // Two windows load version 1; the first saves.
    let first = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            title: "first".into(),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap();
    let log_before = f.counts().await;
    let err = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            title: "second".into(),
            ..f.resend(&o)
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");
    assert_eq!(svc::get(&f.db, &f.admin, o.id).await.unwrap().title, "first");
    assert_eq!(f.counts().await, log_before);
    let err = svc::delete(&f.db, &f.admin, o.id, o.version).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }));
    svc::delete(&f.db, &f.admin, o.id, first.version).await.unwrap();
    assert!(matches!(
        svc::get(&f.db, &f.admin, o.id).await.unwrap_err(),
        AppError::NotFound { .. }
    ));
    let history = changelog::history(&f.db, "opportunity", o.id).await.unwrap();
    assert_eq!(history[0].action, forsat_core::domain::ChangeAction::Delete);
}

async fn custom_fields_and_competitors(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let required = custom_fields::ActiveModel {
        entity: Set("opportunity".into()),
        key: Set("terms".into()),
        title_fa: Set("شرایط پرداخت".into()),
        title_en: Set("Payment terms".into()),
        field_type: Set("text".into()),
        required: Set(true),
        sort_order: Set(1),
        active: Set(true),
        version: Set(1),
        ..Default::default()
    }
    .insert(&f.db)
    .await
    .unwrap();
    let choice = custom_fields::ActiveModel {
        entity: Set("opportunity".into()),
        key: Set("ship".into()),
        title_fa: Set("ارسال".into()),
        title_en: Set("Shipping".into()),
        field_type: Set("choice".into()),
        required: Set(false),
        sort_order: Set(2),
        options: Set(Some(r#"[{"key":"courier","fa":"پیک","en":"Courier"}]"#.into())),
        active: Set(true),
        version: Set(1),
        ..Default::default()
    }
    .insert(&f.db)
    .await
    .unwrap();
    let err = svc::create(&f.db, &f.admin, f.input()).await.unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![(format!("customFields.{}", required.id), ValidationCode::Required)]
    );
    let err = svc::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            custom_fields: vec![
                CustomValue {
                    field_id: required.id,
                    value: Some("نقدی".into()),
                },
                CustomValue {
                    field_id: choice.id,
                    value: Some("airmail".into()),
                },
            ],
            ..f.input()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![(format!("customFields.{}", choice.id), ValidationCode::Invalid)]
    );

    let mut rival = IdentityInput::organization("شرکت رقیب");
    rival.is_competitor = true;
    let rival = identities::create(&f.db, &f.admin, rival).await.unwrap().id;
    let o = svc::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            custom_fields: vec![
                CustomValue {
                    field_id: required.id,
                    value: Some("نقدی".into()),
                },
                CustomValue {
                    field_id: choice.id,
                    value: Some("courier".into()),
                },
            ],
            competitors: vec![CompetitorInput {
                competitor_id: rival,
                note: Some("قیمت پایین‌تر".into()),
            }],
            ..f.input()
        },
    )
    .await
    .unwrap();
    assert_eq!(o.custom_fields.len(), 2);
    assert_eq!(o.competitors.len(), 1);
    assert_eq!(o.competitors[0].name, "شرکت رقیب");
    let err = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            competitors: vec![
                CompetitorInput {
                    competitor_id: rival,
                    note: None,
                },
                CompetitorInput {
                    competitor_id: rival,
                    note: None,
                },
            ],
            ..f.resend(&o)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("competitors.1.competitorId".into(), ValidationCode::Duplicate)]
    );
    // Clearing a required field is refused.
    let err = svc::update(
        &f.db,
        &f.admin,
        o.id,
        o.version,
        OpportunityInput {
            custom_fields: vec![CustomValue {
                field_id: required.id,
                value: None,
            }],
            ..f.resend(&o)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![(format!("customFields.{}", required.id), ValidationCode::Required)]
    );
}

async fn salespeople_see_only_their_own(db: DatabaseConnection) {
    let f = Fixture::new(db).await;
    let o = svc::create(&f.db, &f.admin, f.input()).await.unwrap();
    let seller = users::ActiveModel {
        username: Set("seller".into()),
        display_name: Set("Seller".into()),
        role: Set("salesperson".into()),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&f.db)
    .await
    .unwrap();
    let seller = common::salesperson(seller.id);
    assert!(matches!(
        svc::get(&f.db, &seller, o.id).await.unwrap_err(),
        AppError::Forbidden { .. }
    ));
    let err = svc::update(&f.db, &seller, o.id, o.version, f.resend(&o))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }));
    assert!(records::for_identity(&f.db, &seller, f.identity)
        .await
        .unwrap()
        .is_empty());
    // Their own opportunity is theirs to see; they cannot hand it to someone else.
    let mine = svc::create(
        &f.db,
        &seller,
        OpportunityInput {
            assigned_user_id: Some(seller.user_id),
            ..f.input()
        },
    )
    .await
    .unwrap();
    assert_eq!(svc::get(&f.db, &seller, mine.id).await.unwrap().id, mine.id);
    let err = svc::update(
        &f.db,
        &seller,
        mine.id,
        mine.version,
        OpportunityInput {
            assigned_user_id: Some(f.admin.user_id),
            ..f.resend(&mine)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("assignedUserId".into(), ValidationCode::NotAllowed)]
    );
    assert_eq!(
        opportunities::Entity::find()
            .filter(opportunities::Column::CreatedBy.eq(seller.user_id))
            .count(&f.db)
            .await
            .unwrap(),
        1
    );
}

/// Who may see an opportunity is one rule (`domain::opportunity::visible_to` over
/// `teams::scope`) and its SQL twin (`service::conditions`): the form, the list, the
/// board and the reports show a salesperson, a manager (without teams, then with nested
/// teams) and an administrator exactly the same opportunities.
async fn visibility_is_one_rule_on_every_screen(db: DatabaseConnection) {
    use forsat_core::domain::{opportunity::visible_to, Actor, Scope, UserRole};
    use forsat_core::report::{sales_status, ReportFilter};
    use forsat_core::service::pipeline::{self, BoardRequest, ListRequest};
    use forsat_core::service::teams::{self, TeamInput};
    use std::collections::BTreeSet;

    let f = Fixture::new(db).await;
    let user = |name: &'static str, role: &'static str| {
        let db = f.db.clone();
        async move {
            users::ActiveModel {
                username: Set(name.into()),
                display_name: Set(name.into()),
                role: Set(role.into()),
                active: Set(true),
                created_at: Set(chrono::Utc::now()),
                version: Set(1),
                ..Default::default()
            }
            .insert(&db)
            .await
            .unwrap()
            .id
        }
    };
    let seller = common::salesperson(user("seller", "salesperson").await);
    let junior = common::salesperson(user("junior", "salesperson").await);
    let outsider = common::salesperson(user("outsider", "salesperson").await);
    let manager = Actor {
        user_id: user("manager", "manager").await,
        role: UserRole::Manager,
    };
    // One opportunity assigned to each of them, one to nobody; the seller's own, later
    // handed to the admin (still theirs: they created it).
    let mut by_assignee = std::collections::BTreeMap::new();
    for assigned in [
        Some(seller.user_id),
        Some(junior.user_id),
        Some(outsider.user_id),
        Some(manager.user_id),
        Some(f.admin.user_id),
        None,
    ] {
        let o = svc::create(
            &f.db,
            &f.admin,
            OpportunityInput {
                assigned_user_id: assigned,
                ..f.input()
            },
        )
        .await
        .unwrap();
        by_assignee.insert(assigned, o.id);
    }
    let own = svc::create(
        &f.db,
        &seller,
        OpportunityInput {
            assigned_user_id: Some(seller.user_id),
            ..f.input()
        },
    )
    .await
    .unwrap();
    svc::update(
        &f.db,
        &f.admin,
        own.id,
        own.version,
        OpportunityInput {
            assigned_user_id: Some(f.admin.user_id),
            ..f.resend(&own)
        },
    )
    .await
    .unwrap();
    let rows = opportunities::Entity::find().all(&f.db).await.unwrap();

    let screens_agree = |actor: Actor| {
        let f = &f;
        let rows = &rows;
        async move {
            let scope = teams::scope(&f.db, &actor).await.unwrap();
            let expected: BTreeSet<i32> = rows
                .iter()
                .filter(|m| visible_to(&scope, m.assigned_user_id, m.created_by))
                .map(|m| m.id)
                .collect();
            let mut form = BTreeSet::new();
            for m in rows {
                if svc::get(&f.db, &actor, m.id).await.is_ok() {
                    form.insert(m.id);
                }
            }
            let list: BTreeSet<i32> = pipeline::list(
                &f.db,
                &actor,
                &ListRequest {
                    filter: Default::default(),
                    sort: vec![],
                    page: 1,
                    page_size: 100,
                },
            )
            .await
            .unwrap()
            .page
            .items
            .iter()
            .map(|r| r.id)
            .collect();
            let mut board = BTreeSet::new();
            for stage in f.stage.values() {
                for card in pipeline::board_cards(&f.db, &actor, &BoardRequest::default(), stage.0, None, 0, 100)
                    .await
                    .unwrap()
                {
                    board.insert(card.id);
                }
            }
            let report = sales_status::sales_status(&f.db, &actor, &ReportFilter::default())
                .await
                .unwrap()
                .total;
            assert_eq!(form, expected, "the form");
            assert_eq!(list, expected, "the list");
            assert_eq!(board, expected, "the board");
            assert_eq!(report as usize, expected.len(), "the sales status chart");
            expected
        }
    };

    // No teams yet: a manager sees everything, as before teams existed.
    assert_eq!(teams::scope(&f.db, &manager).await.unwrap(), Scope::All);
    let all: BTreeSet<i32> = rows.iter().map(|m| m.id).collect();
    assert_eq!(screens_agree(manager).await, all);
    assert_eq!(screens_agree(f.admin).await, all);
    // The seller sees their two (assigned; created by them), not the others'.
    assert_eq!(
        screens_agree(seller).await,
        [by_assignee[&Some(seller.user_id)], own.id].into()
    );

    // The manager leads "North"; "North juniors" sits inside it; the outsider's team
    // is someone else's.
    let north = teams::create(
        &f.db,
        &f.admin,
        TeamInput {
            name: "North".into(),
            manager_user_id: Some(manager.user_id),
            parent_id: None,
            member_ids: vec![seller.user_id],
        },
    )
    .await
    .unwrap();
    teams::create(
        &f.db,
        &f.admin,
        TeamInput {
            name: "North juniors".into(),
            manager_user_id: None,
            parent_id: Some(north.id),
            member_ids: vec![junior.user_id],
        },
    )
    .await
    .unwrap();
    teams::create(
        &f.db,
        &f.admin,
        TeamInput {
            name: "South".into(),
            manager_user_id: None,
            parent_id: None,
            member_ids: vec![outsider.user_id],
        },
    )
    .await
    .unwrap();
    assert_eq!(
        teams::scope(&f.db, &manager).await.unwrap(),
        Scope::Users([manager.user_id, seller.user_id, junior.user_id].into())
    );
    assert_eq!(
        screens_agree(manager).await,
        [
            by_assignee[&Some(seller.user_id)],
            by_assignee[&Some(junior.user_id)],
            by_assignee[&Some(manager.user_id)],
            own.id,
        ]
        .into()
    );
    assert_eq!(screens_agree(f.admin).await, all);
    assert_eq!(
        screens_agree(outsider).await,
        [by_assignee[&Some(outsider.user_id)]].into()
    );

    // A manager hands work only to the team; a salesperson only to themselves.
    let outside = svc::create(
        &f.db,
        &manager,
        OpportunityInput {
            assigned_user_id: Some(outsider.user_id),
            ..f.input()
        },
    )
    .await
    .unwrap_err();
    assert!(
        outside.field_codes().iter().any(|(f, _)| f == "assignedUserId"),
        "{outside:?}"
    );
    svc::create(
        &f.db,
        &manager,
        OpportunityInput {
            assigned_user_id: Some(junior.user_id),
            ..f.input()
        },
    )
    .await
    .unwrap();
}

on_both_backends!(
    create_applies_stage_default_and_records_history,
    stage_changes_follow_the_probability_rules,
    winning_stamps_the_date_and_reopening_clears_it,
    reasons_belong_to_their_outcome,
    hostile_input_is_refused_and_writes_nothing,
    stale_versions_conflict_and_overwrite_nothing,
    custom_fields_and_competitors,
    salespeople_see_only_their_own,
    visibility_is_one_rule_on_every_screen,
);
