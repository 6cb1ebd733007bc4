//! Identities: create, list, search, edit, and every refusal.

mod common;

use forsat_core::domain::{IdentityKind, IdentityRole, PhoneKind, SystemListKey};
use forsat_core::entity::{change_log, identities, identity_phones, users};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::service::identities::{
    self as svc, AddressInput, EmailInput, IdentityInput, IdentityQuery, PhoneInput,
};
use forsat_core::service::{changelog, system_lists};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

fn query(search: Option<&str>) -> IdentityQuery {
    IdentityQuery {
        search: search.map(str::to_owned),
        kind: None,
        role: None,
        page: 1,
        page_size: 25,
    }
}

async fn counts(db: &DatabaseConnection) -> (u64, u64, u64) {
    (
        identities::Entity::find().count(db).await.unwrap(),
        identity_phones::Entity::find().count(db).await.unwrap(),
        change_log::Entity::find().count(db).await.unwrap(),
    )
}

async fn create_person_with_contacts_and_find_it(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let source = system_lists::list(&db, SystemListKey::Source, false).await.unwrap()[0].id;
    let mut input = IdentityInput::person("  علي ", " رضایی ");
    input.source_id = Some(source);
    input.national_code = Some("۰۰۱۲۳۴۵۶۷۸".into());
    input.phones = vec![
        PhoneInput {
            kind: PhoneKind::Phone,
            number: "021-8888 1234".into(),
            is_default: false,
        },
        PhoneInput {
            kind: PhoneKind::Mobile,
            number: "۰۹۱۲۱۲۳۴۵۶۷".into(),
            is_default: true,
        },
    ];
    input.emails = vec![EmailInput {
        address: "Ali@Example.IR".into(),
        is_default: false,
    }];
    input.addresses = vec![AddressInput {
        city: Some("تهران".into()),
        text: "خیابان ولیعصر".into(),
        postal_code: None,
        is_default: false,
    }];
    let created = svc::create(&db, &admin, input).await.unwrap();
    assert_eq!(created.display_name, "علي رضایی");
    assert_eq!(created.kind, IdentityKind::Person);
    assert_eq!(created.customer_number, "C00001");
    assert_eq!(created.national_code.as_deref(), Some("0012345678"));
    assert_eq!(
        created.phone.as_deref(),
        Some("09121234567"),
        "the default phone, digits normalized"
    );
    assert_eq!(created.email.as_deref(), Some("ali@example.ir"));
    assert!(created.emails[0].is_default, "the only e-mail becomes the default");
    assert_eq!(created.city.as_deref(), Some("تهران"));
    assert_eq!(created.balance, rust_decimal::Decimal::ZERO);
    assert_eq!(created.version, 1);

    let org = svc::create(&db, &admin, IdentityInput::organization("شرکت فولاد پارس"))
        .await
        .unwrap();
    assert_eq!(org.customer_number, "C00002");

    // Search by name (Arabic and Persian yeh fold together), by phone, by number.
    for term in ["علی", "رضایی", "09121234567", "۰۹۱۲۱۲۳", "c00001", "ali@example"] {
        let page = svc::list(&db, query(Some(term))).await.unwrap();
        assert_eq!(page.total, 1, "search {term}");
        assert_eq!(page.items[0].id, created.id);
    }
    assert_eq!(svc::list(&db, query(Some("فولاد"))).await.unwrap().items[0].id, org.id);
    assert_eq!(
        svc::list(&db, query(Some("%"))).await.unwrap().total,
        0,
        "LIKE wildcards are literal"
    );
    let all = svc::list(&db, query(None)).await.unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.items[0].id, org.id, "newest first");
    let people = svc::list(
        &db,
        IdentityQuery {
            kind: Some(IdentityKind::Person),
            ..query(None)
        },
    )
    .await
    .unwrap();
    assert_eq!(people.total, 1);
    let competitors = svc::list(
        &db,
        IdentityQuery {
            role: Some(IdentityRole::Competitor),
            ..query(None)
        },
    )
    .await
    .unwrap();
    assert_eq!(competitors.total, 0);

    // The change log has the creation, by the admin.
    let history = changelog::history(&db, "identity", created.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].user_id, Some(admin.user_id));
    assert!(history[0].changes.iter().any(|c| c.field == "displayName"));
}

async fn paging_is_done_by_the_database(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    for i in 0..30 {
        svc::create(&db, &admin, IdentityInput::person("نام", &format!("مشتری {i:02}")))
            .await
            .unwrap();
    }
    let p1 = svc::list(
        &db,
        IdentityQuery {
            page_size: 25,
            ..query(None)
        },
    )
    .await
    .unwrap();
    assert_eq!((p1.total, p1.items.len(), p1.page), (30, 25, 1));
    let p2 = svc::list(
        &db,
        IdentityQuery {
            page: 2,
            page_size: 25,
            ..query(None)
        },
    )
    .await
    .unwrap();
    assert_eq!(p2.items.len(), 5);
    assert!(p1.items.iter().all(|a| p2.items.iter().all(|b| a.id != b.id)));
    let clamped = svc::list(
        &db,
        IdentityQuery {
            page: 0,
            page_size: 100_000,
            ..query(None)
        },
    )
    .await
    .unwrap();
    assert_eq!((clamped.page, clamped.page_size), (1, 500));
}

async fn bad_input_names_the_field_and_writes_nothing(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let before = counts(&db).await;
    let long = "ن".repeat(10_000);
    let cases: Vec<(IdentityInput, &str, ValidationCode)> = vec![
        (IdentityInput::person("علی", ""), "lastName", ValidationCode::Required),
        (
            IdentityInput::person("علی", "   "),
            "lastName",
            ValidationCode::Required,
        ),
        (IdentityInput::person("علی", &long), "lastName", ValidationCode::TooLong),
        (
            IdentityInput::person(&long, "رضایی"),
            "firstName",
            ValidationCode::TooLong,
        ),
        (
            IdentityInput::organization(""),
            "organizationName",
            ValidationCode::Required,
        ),
        (
            IdentityInput::organization(&long),
            "organizationName",
            ValidationCode::TooLong,
        ),
        (
            IdentityInput {
                campaign_id: Some(999_999),
                ..IdentityInput::person("a", "b")
            },
            "campaignId",
            ValidationCode::UnknownReference,
        ),
        (
            IdentityInput {
                source_id: Some(999_999),
                ..IdentityInput::person("a", "b")
            },
            "sourceId",
            ValidationCode::UnknownReference,
        ),
        (
            IdentityInput {
                responsible_user_id: Some(-3),
                ..IdentityInput::person("a", "b")
            },
            "responsibleUserId",
            ValidationCode::UnknownReference,
        ),
        (
            IdentityInput {
                national_code: Some("12ab".into()),
                ..IdentityInput::person("a", "b")
            },
            "nationalCode",
            ValidationCode::Invalid,
        ),
        (
            IdentityInput {
                notes: Some("x".repeat(4001)),
                ..IdentityInput::person("a", "b")
            },
            "notes",
            ValidationCode::TooLong,
        ),
        (
            IdentityInput {
                emails: vec![EmailInput {
                    address: "not-an-email".into(),
                    is_default: true,
                }],
                ..IdentityInput::person("a", "b")
            },
            "emails.0.address",
            ValidationCode::Invalid,
        ),
        (
            IdentityInput {
                phones: vec![
                    PhoneInput {
                        kind: PhoneKind::Mobile,
                        number: "0912".into(),
                        is_default: true,
                    },
                    PhoneInput {
                        kind: PhoneKind::Mobile,
                        number: "call me".into(),
                        is_default: false,
                    },
                ],
                ..IdentityInput::person("a", "b")
            },
            "phones.1.number",
            ValidationCode::Invalid,
        ),
        (
            IdentityInput {
                addresses: vec![AddressInput {
                    city: Some("تهران".into()),
                    text: "".into(),
                    postal_code: None,
                    is_default: true,
                }],
                ..IdentityInput::person("a", "b")
            },
            "addresses.0.text",
            ValidationCode::Required,
        ),
    ];
    for (input, field, code) in cases {
        let err = svc::create(&db, &admin, input).await.unwrap_err();
        assert!(
            err.field_codes().contains(&(field.to_owned(), code)),
            "{field}: got {err:?}"
        );
    }
    // A list value from the wrong list is unknown to that field.
    let win_reason = system_lists::list(&db, SystemListKey::WinReason, false).await.unwrap()[0].id;
    let err = svc::create(
        &db,
        &admin,
        IdentityInput {
            source_id: Some(win_reason),
            ..IdentityInput::person("a", "b")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("sourceId".into(), ValidationCode::UnknownReference)]
    );
    // Several problems are reported together.
    let err = svc::create(
        &db,
        &admin,
        IdentityInput {
            campaign_id: Some(42),
            ..IdentityInput::person("a", "")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes().len(), 2);
    assert_eq!(counts(&db).await, before, "nothing was written");
}

async fn inactive_references_are_refused_for_new_values(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let gone = users::ActiveModel {
        username: Set("gone".into()),
        display_name: Set("Gone".into()),
        role: Set("salesperson".into()),
        active: Set(false),
        created_at: Set(chrono::Utc::now()),
        version: Set(1),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let err = svc::create(
        &db,
        &admin,
        IdentityInput {
            responsible_user_id: Some(gone.id),
            ..IdentityInput::person("a", "b")
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("responsibleUserId".into(), ValidationCode::InactiveReference)]
    );
}

async fn edits_are_versioned_and_logged(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let created = svc::create(&db, &admin, IdentityInput::person("سارا", "کریمی"))
        .await
        .unwrap();
    let mut input = IdentityInput::person("سارا", "کریمی‌نژاد");
    input.is_competitor = true;
    let edited = svc::update(&db, &admin, created.id, created.version, input.clone())
        .await
        .unwrap();
    assert_eq!(edited.display_name, "سارا کریمی‌نژاد");
    assert_eq!(edited.version, 2);
    assert_eq!(
        edited.customer_number, created.customer_number,
        "the customer number never changes"
    );
    // A second window still holding version 1 gets a conflict and overwrites nothing.
    let stale = svc::update(
        &db,
        &admin,
        created.id,
        created.version,
        IdentityInput::person("x", "y"),
    )
    .await
    .unwrap_err();
    assert!(matches!(stale, AppError::Conflict { .. }), "{stale:?}");
    assert_eq!(svc::get(&db, created.id).await.unwrap().display_name, "سارا کریمی‌نژاد");
    let missing = svc::update(&db, &admin, 987_654, 1, input).await.unwrap_err();
    assert!(matches!(missing, AppError::NotFound { .. }));
    let history = changelog::history(&db, "identity", created.id).await.unwrap();
    assert_eq!(history.len(), 2);
    let update = &history[0];
    let fields: Vec<_> = update.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["displayName", "isCompetitor"]);
    assert_eq!(update.changes[0].old, serde_json::json!("سارا کریمی"));
    assert_eq!(update.changes[0].new, serde_json::json!("سارا کریمی‌نژاد"));
}

async fn same_name_warning_finds_duplicates(db: DatabaseConnection) {
    let admin = common::admin(&db).await;
    let a = svc::create(&db, &admin, IdentityInput::organization("شرکت پخش البرز"))
        .await
        .unwrap();
    svc::create(&db, &admin, IdentityInput::organization("شرکت پخش البرز شرق"))
        .await
        .unwrap();
    let same = svc::same_name(&db, "  شرکت پخش البرز ", None).await.unwrap();
    assert_eq!(same.iter().map(|s| s.id).collect::<Vec<_>>(), vec![a.id]);
    assert!(svc::same_name(&db, "شرکت پخش البرز", Some(a.id))
        .await
        .unwrap()
        .is_empty());
    assert!(svc::same_name(&db, "", None).await.unwrap().is_empty());

    // Sixty names starting the same way do not hide the one that is the same name
    // (the lookup is by the folded name, not by a prefix of the search text).
    for i in 0..60 {
        svc::create(&db, &admin, IdentityInput::organization(&format!("علی {i}")))
            .await
            .unwrap();
    }
    let ali = svc::create(&db, &admin, IdentityInput::organization("علی"))
        .await
        .unwrap();
    // Arabic ي and a different case/digit form fold to the same name.
    let same = svc::same_name(&db, "علي", None).await.unwrap();
    assert_eq!(same.iter().map(|s| s.id).collect::<Vec<_>>(), vec![ali.id]);
    let digits = svc::same_name(&db, "علی ۱۲", None).await.unwrap();
    assert_eq!(digits.len(), 1);
    assert_eq!(digits[0].display_name, "علی 12");

    // A rename moves the key with the name.
    svc::update(
        &db,
        &admin,
        ali.id,
        ali.version,
        IdentityInput::organization("علی رضایی"),
    )
    .await
    .unwrap();
    assert!(svc::same_name(&db, "علی", None).await.unwrap().is_empty());
    assert_eq!(svc::same_name(&db, "علي رضايي", None).await.unwrap().len(), 1);

    // Rows written without a key (older databases, hand-written SQL) get it at start.
    let written_by_hand = identities::Entity::find_by_id(a.id).one(&db).await.unwrap().unwrap();
    let mut blank: identities::ActiveModel = written_by_hand.into();
    blank.name_key = Set(String::new());
    blank.update(&db).await.unwrap();
    assert!(svc::same_name(&db, "شرکت پخش البرز", None).await.unwrap().is_empty());
    forsat_core::seed::reference::ensure(&db).await.unwrap();
    assert_eq!(svc::same_name(&db, "شرکت پخش البرز", None).await.unwrap().len(), 1);
    assert_eq!(svc::fill_name_keys(&db).await.unwrap(), 0, "nothing left to fill");
}

on_both_backends!(
    create_person_with_contacts_and_find_it,
    paging_is_done_by_the_database,
    bad_input_names_the_field_and_writes_nothing,
    inactive_references_are_refused_for_new_values,
    edits_are_versioned_and_logged,
    same_name_warning_finds_duplicates,
);
