//! Personalization and administration rules (domain §4, §5), on both backends.

mod common;

use forsat_core::domain::{CustomFieldEntity, CustomFieldType, StageKind, SystemListKey, UserRole};
use forsat_core::entity::{custom_field_values, opportunities, stage_history};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::service::custom_fields::{self, CustomFieldInput, CustomValue};
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::opportunities::{self as opps, OpportunityInput};
use forsat_core::service::stages::{self, StageInput};
use forsat_core::service::system_lists::{self, SystemItemInput};
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::Actor;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

async fn opportunity(db: &DatabaseConnection, admin: &Actor, stage_key: &str) -> i32 {
    let identity = identities::create(db, admin, IdentityInput::organization("مشتری"))
        .await
        .unwrap()
        .id;
    let stage = stages::list(db, true)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == stage_key)
        .unwrap();
    let win = system_lists::list(db, SystemListKey::WinReason, false).await.unwrap()[0].id;
    let loss = system_lists::list(db, SystemListKey::LossReason, false).await.unwrap()[0].id;
    opps::create(
        db,
        admin,
        OpportunityInput {
            identity_id: identity,
            title: "فرصت".into(),
            assigned_user_id: None,
            type_id: Some(
                system_lists::list(db, SystemListKey::OpportunityType, false)
                    .await
                    .unwrap()[0]
                    .id,
            ),
            source_id: Some(system_lists::list(db, SystemListKey::Source, false).await.unwrap()[0].id),
            campaign_id: None,
            close_date: None,
            estimated_amount: "1000".into(),
            amount_is_manual: true,
            probability: None,
            probability_is_manual: false,
            win_reason_id: (stage.kind == StageKind::Won).then_some(win),
            loss_reason_id: (stage.kind == StageKind::Lost).then_some(loss),
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
    .unwrap()
    .id
}

fn item(fa: &str, en: &str) -> SystemItemInput {
    SystemItemInput {
        title_fa: fa.into(),
        title_en: en.into(),
        active: true,
    }
}

async fn system_list_values(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let added = system_lists::create_item(&db, &admin, SystemListKey::Source, item("اینستاگرام", "Instagram"))
        .await
        .unwrap();
    let sources = system_lists::list(&db, SystemListKey::Source, false).await.unwrap();
    assert_eq!(sources.last().unwrap().id, added.id, "added at the end");
    let err = system_lists::create_item(&db, &admin, SystemListKey::Source, item("", &"x".repeat(500)))
        .await
        .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![
            ("titleFa".into(), ValidationCode::Required),
            ("titleEn".into(), ValidationCode::TooLong)
        ]
    );
    // Rename, then a stale rename conflicts.
    let renamed = system_lists::update_item(&db, &admin, added.id, 1, item("اینستاگرام", "Instagram ads"))
        .await
        .unwrap();
    assert_eq!(renamed.title_en, "Instagram ads");
    let stale = system_lists::update_item(&db, &admin, added.id, 1, item("x", "y"))
        .await
        .unwrap_err();
    assert!(matches!(stale, AppError::Conflict { .. }));
    // Reorder: the new value first.
    let mut ids: Vec<i32> = sources.iter().map(|s| s.id).collect();
    ids.rotate_right(1);
    let reordered = system_lists::reorder(&db, &admin, SystemListKey::Source, ids.clone())
        .await
        .unwrap();
    assert_eq!(reordered.iter().map(|s| s.id).collect::<Vec<_>>(), ids);
    let err = system_lists::reorder(&db, &admin, SystemListKey::Source, ids[1..].to_vec())
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("ids".into(), ValidationCode::Invalid)]);
    // A value in use cannot be deleted, only deactivated; an unused one can.
    let in_use = system_lists::list(&db, SystemListKey::OpportunityType, false)
        .await
        .unwrap()[0]
        .clone();
    opportunity(&db, &admin, "contact").await;
    assert!(system_lists::usage(&db, &admin, in_use.id).await.unwrap() > 0);
    let err = system_lists::delete_item(&db, &admin, in_use.id).await.unwrap_err();
    assert_eq!(err.field_codes(), vec![("id".into(), ValidationCode::NotAllowed)]);
    let off = system_lists::update_item(
        &db,
        &admin,
        in_use.id,
        in_use_version(&db, in_use.id).await,
        SystemItemInput {
            active: false,
            ..item(&in_use.title_fa, &in_use.title_en)
        },
    )
    .await
    .unwrap();
    assert!(!off.active);
    assert!(
        !system_lists::list(&db, SystemListKey::OpportunityType, false)
            .await
            .unwrap()
            .iter()
            .any(|i| i.id == in_use.id),
        "not offered anew"
    );
    assert!(
        system_lists::list(&db, SystemListKey::OpportunityType, true)
            .await
            .unwrap()
            .iter()
            .any(|i| i.id == in_use.id),
        "still shown on old records"
    );
    // (the new source is first now, so the opportunity above uses it)
    assert!(system_lists::delete_item(&db, &admin, added.id).await.is_err());
    let unused = system_lists::create_item(&db, &admin, SystemListKey::Source, item("بیلبورد", "Billboard"))
        .await
        .unwrap();
    system_lists::delete_item(&db, &admin, unused.id).await.unwrap();
    assert!(!system_lists::list(&db, SystemListKey::Source, true)
        .await
        .unwrap()
        .iter()
        .any(|i| i.id == unused.id));
    // Only admins shape the lists.
    let err = system_lists::create_item(
        &db,
        &common::salesperson(admin.user_id),
        SystemListKey::Source,
        item("a", "b"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }));
}

async fn in_use_version(db: &DatabaseConnection, id: i32) -> i32 {
    forsat_core::entity::system_items::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .version
}

fn stage_input(fa: &str, en: &str, kind: StageKind) -> StageInput {
    StageInput {
        title_fa: fa.into(),
        title_en: en.into(),
        kind,
        default_probability: None,
        active: true,
        replacement_stage_id: None,
        pipeline_id: None,
    }
}

async fn stage_rules(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let all = stages::list(&db, true).await.unwrap();
    let by_key = |k: &str| all.iter().find(|s| s.key == k).unwrap().clone();
    let (contact, proposal, won, lost) = (by_key("contact"), by_key("proposal"), by_key("won"), by_key("lost"));
    // A new open stage with a default probability; closed stages carry none.
    let demo = stages::create(
        &db,
        &admin,
        StageInput {
            default_probability: Some(60),
            ..stage_input("دمو", "Demo", StageKind::Open)
        },
    )
    .await
    .unwrap();
    assert_eq!(demo.default_probability, Some(60));
    let err = stages::create(
        &db,
        &admin,
        StageInput {
            default_probability: Some(50),
            ..stage_input("x", "x", StageKind::Won)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("defaultProbability".into(), ValidationCode::NotAllowed)]
    );
    let err = stages::create(
        &db,
        &admin,
        StageInput {
            default_probability: Some(150),
            ..stage_input("x", "x", StageKind::Open)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("defaultProbability".into(), ValidationCode::OutOfRange)]
    );

    // Deleting a stage in use needs a replacement of the same kind; the move is recorded.
    let o1 = opportunity(&db, &admin, "contact").await;
    let o2 = opportunity(&db, &admin, "contact").await;
    let err = stages::delete(&db, &admin, contact.id, None).await.unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("replacementStageId".into(), ValidationCode::Required)]
    );
    let err = stages::delete(&db, &admin, contact.id, Some(won.id)).await.unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("replacementStageId".into(), ValidationCode::Invalid)]
    );
    assert_eq!(
        stages::holding(&db, contact.id).await.unwrap(),
        2,
        "nothing moved on refusal"
    );
    let moved = stages::delete(&db, &admin, contact.id, Some(proposal.id))
        .await
        .unwrap();
    assert_eq!(moved, 2);
    for id in [o1, o2] {
        let o = opportunities::Entity::find_by_id(id).one(&db).await.unwrap().unwrap();
        assert_eq!(o.stage_id, proposal.id);
        let last = stage_history::Entity::find()
            .filter(stage_history::Column::OpportunityId.eq(id))
            .filter(stage_history::Column::FromStageId.eq(contact.id))
            .one(&db)
            .await
            .unwrap()
            .expect("the move is in the stage history");
        assert_eq!(last.to_stage_id, proposal.id);
    }
    assert!(
        !stages::list(&db, true)
            .await
            .unwrap()
            .iter()
            .any(|s| s.id == contact.id),
        "deleted stages are not listed"
    );

    // The last won and the last lost stage always remain.
    let err = stages::delete(&db, &admin, won.id, None).await.unwrap_err();
    assert_eq!(err.field_codes(), vec![("id".into(), ValidationCode::NotAllowed)]);
    let err = stages::update(
        &db,
        &admin,
        lost.id,
        lost.version,
        StageInput {
            active: false,
            ..stage_input("ناموفق", "Lost", StageKind::Lost)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("id".into(), ValidationCode::NotAllowed)]);
    // With a second won stage, one can go (its opportunities move to the other).
    let won2 = stages::create(
        &db,
        &admin,
        stage_input("برنده - قرارداد", "Won - contract", StageKind::Won),
    )
    .await
    .unwrap();
    let wo = opportunity(&db, &admin, "won").await;
    stages::delete(&db, &admin, won.id, Some(won2.id)).await.unwrap();
    assert_eq!(
        opportunities::Entity::find_by_id(wo)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .stage_id,
        won2.id
    );
    // Deactivating a stage that holds opportunities also asks for a replacement.
    let p = stages::get(&db, proposal.id).await.unwrap();
    let err = stages::update(
        &db,
        &admin,
        p.id,
        p.version,
        StageInput {
            active: false,
            ..stage_input(&p.title_fa, &p.title_en, StageKind::Open)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("replacementStageId".into(), ValidationCode::Required)]
    );
    let off = stages::update(
        &db,
        &admin,
        p.id,
        p.version,
        StageInput {
            active: false,
            replacement_stage_id: Some(demo.id),
            pipeline_id: None,
            ..stage_input(&p.title_fa, &p.title_en, StageKind::Open)
        },
    )
    .await
    .unwrap();
    assert!(!off.active);
    assert_eq!(stages::holding(&db, demo.id).await.unwrap(), 2);
    // A stage holding opportunities cannot change kind.
    let d = stages::get(&db, demo.id).await.unwrap();
    let err = stages::update(
        &db,
        &admin,
        d.id,
        d.version,
        stage_input("دمو", "Demo", StageKind::Lost),
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("kind".into(), ValidationCode::NotAllowed)]);
    // Reorder.
    let ids: Vec<i32> = stages::list(&db, true)
        .await
        .unwrap()
        .iter()
        .rev()
        .map(|s| s.id)
        .collect();
    let reordered = stages::reorder(&db, &admin, ids.clone()).await.unwrap();
    assert_eq!(reordered.iter().map(|s| s.id).collect::<Vec<_>>(), ids);
}

fn field(fa: &str, en: &str, ty: CustomFieldType) -> CustomFieldInput {
    CustomFieldInput {
        entity: CustomFieldEntity::Opportunity,
        title_fa: fa.into(),
        title_en: en.into(),
        field_type: ty,
        required: false,
        help_fa: None,
        help_en: None,
        group_fa: None,
        group_en: None,
        options: vec![],
        active: true,
        default_value: None,
    }
}

async fn custom_field_rules(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let o1 = opportunity(&db, &admin, "contact").await;
    let o2 = opportunity(&db, &admin, "proposal").await;
    // Required on creation with existing records: a default is needed and fills them.
    let err = custom_fields::create(
        &db,
        &admin,
        CustomFieldInput {
            required: true,
            ..field("روش ارسال", "Shipping", CustomFieldType::Text)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("defaultValue".into(), ValidationCode::Required)]
    );
    assert!(
        custom_fields::list(&db, CustomFieldEntity::Opportunity, true)
            .await
            .unwrap()
            .is_empty(),
        "nothing written"
    );
    let shipping = custom_fields::create(
        &db,
        &admin,
        CustomFieldInput {
            required: true,
            default_value: Some("پیک".into()),
            ..field("روش ارسال", "Shipping", CustomFieldType::Text)
        },
    )
    .await
    .unwrap();
    for id in [o1, o2] {
        let values = custom_fields::values(&db, CustomFieldEntity::Opportunity, id)
            .await
            .unwrap();
        assert_eq!(
            values,
            vec![CustomValue {
                field_id: shipping.id,
                value: Some("پیک".into())
            }]
        );
    }
    // Making an optional field required later backfills too; the default must fit the type.
    let budget = custom_fields::create(&db, &admin, field("بودجه", "Budget", CustomFieldType::Number))
        .await
        .unwrap();
    let err = custom_fields::update(
        &db,
        &admin,
        budget.id,
        1,
        CustomFieldInput {
            required: true,
            default_value: Some("زیاد".into()),
            ..field("بودجه", "Budget", CustomFieldType::Number)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("defaultValue".into(), ValidationCode::Invalid)]
    );
    custom_fields::update(
        &db,
        &admin,
        budget.id,
        1,
        CustomFieldInput {
            required: true,
            default_value: Some("۱۲.۵".into()),
            ..field("بودجه", "Budget", CustomFieldType::Number)
        },
    )
    .await
    .unwrap();
    let n = custom_field_values::Entity::find()
        .filter(custom_field_values::Column::FieldId.eq(budget.id))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(n, 2);
    // A value of the wrong type is rejected on save.
    let o = opps::get(&db, &admin, o1).await.unwrap();
    let err = opps::update(
        &db,
        &admin,
        o.id,
        o.version,
        OpportunityInput {
            identity_id: o.identity_id,
            title: o.title.clone(),
            assigned_user_id: o.assigned_user_id,
            type_id: Some(o.type_id),
            source_id: Some(o.source_id),
            campaign_id: None,
            close_date: None,
            estimated_amount: o.estimated_amount.to_string(),
            amount_is_manual: true,
            probability: None,
            probability_is_manual: false,
            win_reason_id: None,
            loss_reason_id: None,
            reason_note: None,
            purchase_process_id: None,
            won_on: None,
            lost_on: None,
            custom_fields: vec![
                CustomValue {
                    field_id: shipping.id,
                    value: Some("پیک".into()),
                },
                CustomValue {
                    field_id: budget.id,
                    value: Some("abc".into()),
                },
            ],
            competitors: vec![],
            lines: vec![],
            stage_id: o.stage_id,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![(format!("customFields.{}", budget.id), ValidationCode::Invalid)]
    );
    // A type change that would not convert existing values is refused; one that would is fine.
    let s = custom_fields::list(&db, CustomFieldEntity::Opportunity, true)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.id == shipping.id)
        .unwrap();
    let err = custom_fields::update(
        &db,
        &admin,
        s.id,
        1,
        CustomFieldInput {
            required: true,
            ..field("روش ارسال", "Shipping", CustomFieldType::Date)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("fieldType".into(), ValidationCode::NotAllowed)]
    );
    custom_fields::update(
        &db,
        &admin,
        budget.id,
        2,
        CustomFieldInput {
            required: true,
            ..field("بودجه", "Budget", CustomFieldType::Text)
        },
    )
    .await
    .unwrap();
    // At most 200 per entity.
    for i in 2..200 {
        custom_fields::create(
            &db,
            &admin,
            field(&format!("f{i}"), &format!("f{i}"), CustomFieldType::Text),
        )
        .await
        .unwrap();
    }
    let err = custom_fields::create(&db, &admin, field("یکی بیشتر", "One more", CustomFieldType::Text))
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("entity".into(), ValidationCode::TooLong)]);
    assert_eq!(
        custom_fields::list(&db, CustomFieldEntity::Opportunity, true)
            .await
            .unwrap()
            .len(),
        200
    );
    // Choice fields need options with unique keys.
    let err = custom_fields::create(
        &db,
        &admin,
        CustomFieldInput {
            entity: CustomFieldEntity::Identity,
            ..field("نوع", "Kind", CustomFieldType::Choice)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("options".into(), ValidationCode::Required)]);
    let err = custom_fields::create(
        &db,
        &common::salesperson(admin.user_id),
        field("a", "b", CustomFieldType::Text),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }));
}

async fn user_rules(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let u = users::create(
        &db,
        &admin,
        UserInput {
            username: "Sara.K".into(),
            display_name: "سارا".into(),
            role: UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(u.username, "sara.k");
    let err = users::create(
        &db,
        &admin,
        UserInput {
            username: "sara.k".into(),
            display_name: "x".into(),
            role: UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("username".into(), ValidationCode::Duplicate)]);
    let err = users::update(
        &db,
        &admin,
        u.id,
        u.version,
        UserInput {
            username: "sara".into(),
            display_name: "سارا".into(),
            role: UserRole::Manager,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("username".into(), ValidationCode::ReadOnly)]);
    let off = users::update(
        &db,
        &admin,
        u.id,
        u.version,
        UserInput {
            username: "sara.k".into(),
            display_name: "سارا کریمی".into(),
            role: UserRole::Manager,
            active: false,
            password: None,
        },
    )
    .await
    .unwrap();
    assert!(!off.active);
    assert!(
        !users::list(&db, false).await.unwrap().iter().any(|x| x.id == u.id),
        "inactive users are not offered"
    );
    let me = users::get(&db, admin.user_id).await.unwrap();
    let err = users::update(
        &db,
        &admin,
        me.id,
        me.version,
        UserInput {
            username: "admin".into(),
            display_name: "x".into(),
            role: UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("role".into(), ValidationCode::NotAllowed)],
        "the last admin stays"
    );
    let err = users::create(
        &db,
        &common::salesperson(u.id),
        UserInput {
            username: "z".into(),
            display_name: "z".into(),
            role: UserRole::Admin,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }));
}

on_both_backends!(system_list_values, stage_rules, custom_field_rules, user_rules);
