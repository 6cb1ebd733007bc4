//! The pipeline list, board, moves and bulk edits on a small fixture whose answers are
//! written out by hand; counts and sums are cross-checked with plain SQL.

mod common;

use std::str::FromStr;

use chrono::{Days, NaiveDate, Utc};
use forsat_core::domain::{
    CustomFieldEntity, CustomFieldType, DiscountKind, FinancialKind, StageKind, SystemListKey, UserRole,
};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::service::campaigns::{self, CampaignInput};
use forsat_core::service::custom_fields::{self, CustomFieldInput, CustomValue};
use forsat_core::service::financial::{self, FinancialInput};
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::lines::LineInput;
use forsat_core::service::opportunities::{self as opps, CompetitorInput, OpportunityInput};
use forsat_core::service::opportunities::{BulkChange, CampaignChange, Lane};
use forsat_core::service::pipeline::{
    self, BoardRequest, BulkItem, CustomFilter, ListColumn, ListRequest, MoveInput, OpportunityFilter, SortKey,
};
use forsat_core::service::products::{self, CategoryInput, ProductInput};
use forsat_core::service::users::{self, UserInput};
use forsat_core::service::{changelog, stages, system_lists, Actor};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

struct F {
    db: DatabaseConnection,
    admin: Actor,
    sales1: Actor,
    sales2: Actor,
    stage: std::collections::HashMap<String, i32>,
    types: Vec<i32>,
    sources: Vec<i32>,
    win_reason: i32,
    loss_reason: i32,
    campaign: i32,
    parent_category: i32,
    printer: i32,
    competitor: i32,
    budget_field: i32,
    /// The four opportunities, by letter.
    a: i32,
    b: i32,
    c: i32,
    dd: i32,
}

/// The fixture, worked out by hand:
///
/// | | title | identity | assigned | stage (prob) | type | source | campaign | amount | close |
/// |---|---|---|---|---|---|---|---|---|---|
/// | A | Printer deal | Alborz Co | sales1 | contact (10) | t0 | s0 | Spring | 1,000,000 | 2020-01-01 (overdue) |
/// | B | Copier lease | Behnam Rad | sales2 | needs_analysis (manual 40) | t1 | s1 | — | 2,500,000 | 2199-01-01 |
/// | C | Scanner | Alborz Co | — | won | t0 | s1 | Spring | 4,000,000 | — |
/// | D | Toner refill | Behnam Rad | sales1 | lost | t1 | s0 | — | 500,000 | — |
///
/// A has a line of the printer (in a child of "Office"), B lists the competitor, D's
/// custom "Budget" is 750, C has an approved invoice of 3,000,000 (realized) and a
/// draft one (not realized). A was created on 2026-01-15, the others today.
async fn fixture(db: DatabaseConnection) -> F {
    let admin = common::admin(&db).await;
    let mut made = vec![];
    for name in ["sales1", "sales2"] {
        let u = users::create(
            &db,
            &admin,
            UserInput {
                username: name.into(),
                display_name: format!("User {name}"),
                role: UserRole::Salesperson,
                active: true,
                password: None,
            },
        )
        .await
        .unwrap();
        made.push(Actor {
            user_id: u.id,
            role: UserRole::Salesperson,
        });
    }
    let stage = stages::list(&db, true)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.key, s.id))
        .collect::<std::collections::HashMap<_, _>>();
    let list = |key| {
        let db = db.clone();
        async move {
            system_lists::list(&db, key, false)
                .await
                .unwrap()
                .into_iter()
                .map(|i| i.id)
                .collect::<Vec<_>>()
        }
    };
    let types = list(SystemListKey::OpportunityType).await;
    let sources = list(SystemListKey::Source).await;
    let win_reason = list(SystemListKey::WinReason).await[0];
    let loss_reason = list(SystemListKey::LossReason).await[0];
    let campaign = campaigns::create(
        &db,
        &admin,
        CampaignInput {
            name: "Spring".into(),
            start_date: None,
            end_date: None,
            description: None,
            cost: "0".into(),
            active: true,
        },
    )
    .await
    .unwrap()
    .id;
    let parent_category = products::create_category(
        &db,
        &admin,
        CategoryInput {
            name: "Office".into(),
            parent_id: None,
        },
    )
    .await
    .unwrap()
    .id;
    let child = products::create_category(
        &db,
        &admin,
        CategoryInput {
            name: "Printers".into(),
            parent_id: Some(parent_category),
        },
    )
    .await
    .unwrap()
    .id;
    let printer = products::create(
        &db,
        &admin,
        ProductInput {
            code: "PR-1".into(),
            name: "Laser printer".into(),
            category_id: child,
            kind: forsat_core::domain::ProductKind::Product,
            unit_id: None,
            sale_price: "1000000".into(),
            taxable: false,
            saleable: true,
            active: true,
        },
    )
    .await
    .unwrap()
    .id;
    let mut rival = IdentityInput::organization("Rival Ltd");
    rival.is_competitor = true;
    let competitor = identities::create(&db, &admin, rival).await.unwrap().id;
    let budget_field = custom_fields::create(
        &db,
        &admin,
        CustomFieldInput {
            entity: CustomFieldEntity::Opportunity,
            title_fa: "بودجه".into(),
            title_en: "Budget".into(),
            field_type: CustomFieldType::Number,
            required: false,
            help_fa: None,
            help_en: None,
            group_fa: None,
            group_en: None,
            options: vec![],
            active: true,
            default_value: None,
        },
    )
    .await
    .unwrap()
    .id;
    let alborz = identities::create(&db, &admin, IdentityInput::organization("Alborz Co"))
        .await
        .unwrap()
        .id;
    let behnam = identities::create(&db, &admin, IdentityInput::person("Behnam", "Rad"))
        .await
        .unwrap()
        .id;
    let base = OpportunityInput {
        identity_id: alborz,
        title: String::new(),
        assigned_user_id: None,
        type_id: Some(types[0]),
        source_id: Some(sources[0]),
        campaign_id: None,
        close_date: None,
        estimated_amount: String::new(),
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
        stage_id: stage["contact"],
    };
    let a = opps::create(
        &db,
        &admin,
        OpportunityInput {
            title: "Printer deal".into(),
            assigned_user_id: Some(made[0].user_id),
            campaign_id: Some(campaign),
            close_date: NaiveDate::from_ymd_opt(2020, 1, 1),
            estimated_amount: "1000000".into(),
            lines: vec![LineInput {
                product_id: printer,
                quantity: "1".into(),
                unit_price: None,
                discount_kind: DiscountKind::Percent,
                discount_value: "0".into(),
                description: None,
                source_line_id: None,
            }],
            ..base.clone()
        },
    )
    .await
    .unwrap()
    .id;
    let b = opps::create(
        &db,
        &admin,
        OpportunityInput {
            identity_id: behnam,
            title: "Copier lease".into(),
            assigned_user_id: Some(made[1].user_id),
            type_id: Some(types[1]),
            source_id: Some(sources[1]),
            close_date: NaiveDate::from_ymd_opt(2199, 1, 1),
            estimated_amount: "2500000".into(),
            probability: Some("40".into()),
            probability_is_manual: true,
            stage_id: stage["needs_analysis"],
            competitors: vec![CompetitorInput {
                competitor_id: competitor,
                note: None,
            }],
            ..base.clone()
        },
    )
    .await
    .unwrap()
    .id;
    let c = opps::create(
        &db,
        &admin,
        OpportunityInput {
            title: "Scanner".into(),
            source_id: Some(sources[1]),
            campaign_id: Some(campaign),
            estimated_amount: "4000000".into(),
            win_reason_id: Some(win_reason),
            stage_id: stage["won"],
            ..base.clone()
        },
    )
    .await
    .unwrap()
    .id;
    let dd = opps::create(
        &db,
        &admin,
        OpportunityInput {
            identity_id: behnam,
            title: "Toner refill".into(),
            assigned_user_id: Some(made[0].user_id),
            type_id: Some(types[1]),
            estimated_amount: "500000".into(),
            loss_reason_id: Some(loss_reason),
            stage_id: stage["lost"],
            custom_fields: vec![CustomValue {
                field_id: budget_field,
                value: Some("750".into()),
            }],
            ..base.clone()
        },
    )
    .await
    .unwrap()
    .id;
    let invoice = |status_approved: bool| {
        let db = db.clone();
        async move {
            let r = financial::create(
                &db,
                &admin,
                FinancialInput {
                    kind: FinancialKind::Invoice,
                    identity_id: alborz,
                    opportunity_id: Some(c),
                    parent_record_id: None,
                    title: "Invoice".into(),
                    issue_date: today(),
                    description: None,
                    expiry_date: None,
                    method: None,
                    reference_no: None,
                    contract_kind: None,
                    start_date: None,
                    end_date: None,
                    amount: None,
                    lines: vec![LineInput {
                        product_id: printer,
                        quantity: "3".into(),
                        unit_price: None,
                        discount_kind: DiscountKind::Percent,
                        discount_value: "0".into(),
                        description: None,
                        source_line_id: None,
                    }],
                },
            )
            .await
            .unwrap();
            if status_approved {
                financial::approve(&db, &admin, r.id, r.version).await.unwrap();
            }
        }
    };
    invoice(true).await;
    invoice(false).await;
    sql(
        &db,
        &format!("UPDATE opportunities SET created_at = '2026-01-15T10:00:00+00:00' WHERE id = {a}"),
    )
    .await;
    F {
        db,
        admin,
        sales1: made[0],
        sales2: made[1],
        stage,
        types,
        sources,
        win_reason,
        loss_reason,
        campaign,
        parent_category,
        printer,
        competitor,
        budget_field,
        a,
        b,
        c,
        dd,
    }
}

async fn sql(db: &DatabaseConnection, text: &str) {
    let text = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        text.replace("'2026-01-15T10:00:00+00:00'", "TIMESTAMPTZ '2026-01-15 10:00:00+00'")
    } else {
        text.to_owned()
    };
    db.execute_unprepared(&text).await.unwrap();
}

fn req(filter: OpportunityFilter) -> ListRequest {
    ListRequest {
        filter,
        sort: vec![SortKey {
            column: ListColumn::Title,
            desc: false,
        }],
        page: 1,
        page_size: 50,
    }
}

impl F {
    async fn ids_as(&self, actor: &Actor, filter: OpportunityFilter) -> Vec<i32> {
        let what = format!("{filter:?}");
        pipeline::list(&self.db, actor, &req(filter))
            .await
            .expect(&what)
            .page
            .items
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    async fn ids(&self, filter: OpportunityFilter) -> Vec<i32> {
        self.ids_as(&self.admin, filter).await
    }

    async fn version(&self, id: i32) -> i32 {
        opps::get(&self.db, &self.admin, id).await.unwrap().version
    }

    async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

fn f() -> OpportunityFilter {
    OpportunityFilter::default()
}

async fn each_filter_alone_and_combined(db: DatabaseConnection) {
    let x = fixture(db).await;
    let (a, b, c, dd) = (x.a, x.b, x.c, x.dd);
    // Sorted by title: Copier lease (B), Printer deal (A), Scanner (C), Toner refill (D).
    assert_eq!(x.ids(f()).await, vec![b, a, c, dd]);
    let text = |t: &str| OpportunityFilter {
        text: Some(t.into()),
        ..f()
    };
    assert_eq!(x.ids(text("alborz")).await, vec![a, c], "identity name, any case");
    assert_eq!(x.ids(text("COPIER")).await, vec![b], "title, any case");
    assert_eq!(
        x.ids(text("50%_")).await,
        Vec::<i32>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            stage_ids: vec![x.stage["needs_analysis"]],
            ..f()
        })
        .await,
        vec![b]
    );
    for (kind, want) in [
        (StageKind::Open, vec![b, a]),
        (StageKind::Won, vec![c]),
        (StageKind::Lost, vec![dd]),
    ] {
        assert_eq!(
            x.ids(OpportunityFilter {
                status: Some(kind),
                ..f()
            })
            .await,
            want
        );
    }
    assert_eq!(
        x.ids(OpportunityFilter {
            assigned_user_ids: vec![x.sales1.user_id],
            ..f()
        })
        .await,
        vec![a, dd]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            unassigned: true,
            ..f()
        })
        .await,
        vec![c]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            assigned_user_ids: vec![x.sales2.user_id],
            unassigned: true,
            ..f()
        })
        .await,
        vec![b, c]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            type_ids: vec![x.types[1]],
            ..f()
        })
        .await,
        vec![b, dd]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            source_ids: vec![x.sources[1]],
            ..f()
        })
        .await,
        vec![b, c]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            campaign_ids: vec![x.campaign],
            ..f()
        })
        .await,
        vec![a, c]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            reason_ids: vec![x.win_reason, x.loss_reason],
            ..f()
        })
        .await,
        vec![c, dd]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            product_id: Some(x.printer),
            ..f()
        })
        .await,
        vec![a]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            category_id: Some(x.parent_category),
            ..f()
        })
        .await,
        vec![a],
        "a product in a child category counts for the parent"
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            competitor_id: Some(x.competitor),
            ..f()
        })
        .await,
        vec![b]
    );
    let budget = |min: Option<&str>, max: Option<&str>| OpportunityFilter {
        custom: vec![CustomFilter {
            field_id: x.budget_field,
            value: None,
            min: min.map(str::to_owned),
            max: max.map(str::to_owned),
        }],
        ..f()
    };
    assert_eq!(x.ids(budget(Some("700"), None)).await, vec![dd]);
    assert_eq!(
        x.ids(budget(Some("۸۰۰"), None)).await,
        Vec::<i32>::new(),
        "Persian digits, numeric compare"
    );
    assert_eq!(x.ids(budget(None, Some("1000"))).await, vec![dd]);
    assert_eq!(
        x.ids(OpportunityFilter {
            amount_min: Some("1,000,000".into()),
            amount_max: Some("۲۵۰۰۰۰۰".into()),
            ..f()
        })
        .await,
        vec![b, a]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            close_from: NaiveDate::from_ymd_opt(2019, 12, 31),
            close_to: NaiveDate::from_ymd_opt(2020, 1, 1),
            ..f()
        })
        .await,
        vec![a]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            created_from: NaiveDate::from_ymd_opt(2026, 1, 15),
            created_to: NaiveDate::from_ymd_opt(2026, 1, 15),
            ..f()
        })
        .await,
        vec![a],
        "created range is inclusive of the whole last day"
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            won_from: Some(today()),
            won_to: Some(today()),
            ..f()
        })
        .await,
        vec![c]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            lost_from: Some(today()),
            ..f()
        })
        .await,
        vec![dd]
    );
    assert_eq!(x.ids(OpportunityFilter { overdue: true, ..f() }).await, vec![a]);
    assert_eq!(
        x.ids(OpportunityFilter {
            identity_id: Some(opps::get(&x.db, &x.admin, b).await.unwrap().identity_id),
            ..f()
        })
        .await,
        vec![b, dd]
    );
    // Combined: open and sales1's; Alborz and campaign Spring and won.
    assert_eq!(
        x.ids(OpportunityFilter {
            status: Some(StageKind::Open),
            assigned_user_ids: vec![x.sales1.user_id],
            ..f()
        })
        .await,
        vec![a]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            text: Some("alborz".into()),
            campaign_ids: vec![x.campaign],
            status: Some(StageKind::Won),
            ..f()
        })
        .await,
        vec![c]
    );
    assert_eq!(
        x.ids(OpportunityFilter {
            type_ids: vec![x.types[1]],
            source_ids: vec![x.sources[0]],
            ..f()
        })
        .await,
        vec![dd]
    );
}

async fn derived_columns_totals_sorting_and_paging(db: DatabaseConnection) {
    let x = fixture(db).await;
    let page = pipeline::list(&x.db, &x.admin, &req(f())).await.unwrap();
    let by_id = |id: i32| page.page.items.iter().find(|r| r.id == id).unwrap().clone();
    let (a, b, c, dd) = (by_id(x.a), by_id(x.b), by_id(x.c), by_id(x.dd));
    assert_eq!((a.probability, a.expected_amount), (10, d("100000")));
    assert_eq!((b.probability, b.expected_amount), (40, d("1000000")));
    assert_eq!((c.probability, c.expected_amount), (100, d("4000000")));
    assert_eq!((dd.probability, dd.expected_amount), (0, d("0")));
    assert_eq!(c.realized_amount, d("3000000"), "the approved invoice, not the draft");
    assert_eq!(a.realized_amount, Decimal::ZERO);
    assert!(a.overdue && !b.overdue && !c.overdue);
    assert_eq!(
        a.days_open as i64,
        (today() - NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()).num_days()
    );
    assert_eq!((b.days_open, c.days_open), (0, 0));
    assert_eq!(a.identity_name, "Alborz Co");
    assert_eq!(a.assigned_user_name.as_deref(), Some("User sales1"));
    assert_eq!(a.campaign_name.as_deref(), Some("Spring"));
    assert_eq!(c.stage_kind, StageKind::Won);

    let t = &page.totals;
    assert_eq!(t.count, 4);
    assert_eq!(t.estimated, d("8000000"));
    assert_eq!(t.expected, d("5100000"));
    assert_eq!(t.realized, d("3000000"));
    // The same figures by plain SQL, written independently.
    let row =
        x.db.query_one_raw(Statement::from_string(
            x.db.get_database_backend(),
            "SELECT COUNT(*) AS n, SUM(estimated_amount) AS e, SUM(estimated_amount * probability) AS w \
             FROM opportunities"
                .to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let n: i64 = row.try_get("", "n").unwrap();
    let e: Decimal = row
        .try_get::<i64>("", "e")
        .map(Decimal::from)
        .or_else(|_| row.try_get::<Decimal>("", "e"))
        .unwrap();
    let w: Decimal = row
        .try_get::<i64>("", "w")
        .map(Decimal::from)
        .or_else(|_| row.try_get::<Decimal>("", "w"))
        .unwrap();
    assert_eq!(n, 4);
    assert_eq!(e / d("10000"), t.estimated);
    assert_eq!(w / d("1000000"), t.expected);

    // Totals follow the filter, not the page.
    let open = pipeline::list(
        &x.db,
        &x.admin,
        &ListRequest {
            page_size: 1,
            ..req(OpportunityFilter {
                status: Some(StageKind::Open),
                ..f()
            })
        },
    )
    .await
    .unwrap();
    assert_eq!(open.page.items.len(), 1);
    assert_eq!(
        (open.totals.count, open.totals.estimated, open.totals.expected),
        (2, d("3500000"), d("1100000"))
    );

    // Sorting: each key both ways, the id breaking ties; paging never overlaps.
    let sorted = |column, desc| {
        let db = x.db.clone();
        let admin = x.admin;
        async move {
            pipeline::list(
                &db,
                &admin,
                &ListRequest {
                    filter: f(),
                    sort: vec![SortKey { column, desc }],
                    page: 1,
                    page_size: 50,
                },
            )
            .await
            .unwrap()
            .page
            .items
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(sorted(ListColumn::Estimated, true).await, vec![x.c, x.b, x.a, x.dd]);
    assert_eq!(sorted(ListColumn::Estimated, false).await, vec![x.dd, x.a, x.b, x.c]);
    assert_eq!(sorted(ListColumn::Expected, true).await, vec![x.c, x.b, x.a, x.dd]);
    assert_eq!(sorted(ListColumn::Realized, true).await[0], x.c);
    assert_eq!(sorted(ListColumn::Probability, false).await, vec![x.dd, x.a, x.b, x.c]);
    assert_eq!(sorted(ListColumn::Created, false).await[0], x.a);
    assert_eq!(sorted(ListColumn::DaysOpen, true).await[0], x.a);
    assert_eq!(sorted(ListColumn::Identity, false).await, vec![x.c, x.a, x.dd, x.b]);
    assert_eq!(sorted(ListColumn::Stage, false).await[0], x.a, "contact comes first");
    for column in ListColumn::ALL {
        assert_eq!(sorted(*column, false).await.len(), 4, "{column} sorts");
    }
    let mut seen = vec![];
    for page in 1..=3 {
        let p = pipeline::list(
            &x.db,
            &x.admin,
            &ListRequest {
                filter: f(),
                sort: vec![SortKey {
                    column: ListColumn::Type,
                    desc: false,
                }],
                page,
                page_size: 2,
            },
        )
        .await
        .unwrap();
        assert_eq!(p.page.total, 4);
        seen.extend(p.page.items.into_iter().map(|r| r.id));
    }
    seen.sort();
    let mut all = vec![x.a, x.b, x.c, x.dd];
    all.sort();
    assert_eq!(seen, all);
}

async fn salespeople_list_only_their_own(db: DatabaseConnection) {
    let x = fixture(db).await;
    assert_eq!(x.ids_as(&x.sales1, f()).await, vec![x.a, x.dd]);
    assert_eq!(x.ids_as(&x.sales2, f()).await, vec![x.b]);
    let t = pipeline::list(&x.db, &x.sales1, &req(f())).await.unwrap().totals;
    assert_eq!((t.count, t.estimated), (2, d("1500000")));
    let board = pipeline::board(
        &x.db,
        &x.sales2,
        &BoardRequest {
            filter: f(),
            closed_within_days: None,
            by_user: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(board.cells.iter().map(|c| c.count).sum::<u32>(), 1);
}

async fn bad_filters_are_refused(db: DatabaseConnection) {
    let x = fixture(db).await;
    let codes = |filter: OpportunityFilter| {
        let db = x.db.clone();
        let admin = x.admin;
        async move {
            pipeline::list(&db, &admin, &req(filter))
                .await
                .unwrap_err()
                .field_codes()
        }
    };
    assert_eq!(
        codes(OpportunityFilter {
            amount_min: Some("abc".into()),
            ..f()
        })
        .await,
        vec![("amountMin".into(), ValidationCode::Invalid)]
    );
    assert_eq!(
        codes(OpportunityFilter {
            amount_min: Some("-5".into()),
            ..f()
        })
        .await[0]
            .0,
        "amountMin"
    );
    assert_eq!(
        codes(OpportunityFilter {
            amount_min: Some("9".into()),
            amount_max: Some("1".into()),
            ..f()
        })
        .await,
        vec![("amountMax".into(), ValidationCode::OutOfRange)]
    );
    assert_eq!(
        codes(OpportunityFilter {
            close_from: NaiveDate::from_ymd_opt(2026, 5, 2),
            close_to: NaiveDate::from_ymd_opt(2026, 5, 1),
            ..f()
        })
        .await,
        vec![("closeTo".into(), ValidationCode::OutOfRange)]
    );
    assert_eq!(
        codes(OpportunityFilter {
            text: Some("x".repeat(10_000)),
            ..f()
        })
        .await,
        vec![("text".into(), ValidationCode::TooLong)]
    );
    assert_eq!(
        codes(OpportunityFilter {
            category_id: Some(999_999),
            ..f()
        })
        .await,
        vec![("categoryId".into(), ValidationCode::UnknownReference)]
    );
    assert_eq!(
        codes(OpportunityFilter {
            custom: vec![CustomFilter {
                field_id: 999_999,
                ..CustomFilter::default()
            }],
            ..f()
        })
        .await,
        vec![("custom.0".into(), ValidationCode::UnknownReference)]
    );
    assert_eq!(
        codes(OpportunityFilter {
            custom: vec![CustomFilter {
                field_id: x.budget_field,
                min: Some("lots".into()),
                ..CustomFilter::default()
            }],
            ..f()
        })
        .await,
        vec![("custom.0".into(), ValidationCode::Invalid)]
    );
    // Unknown ids in the plain id filters simply match nothing.
    assert!(x
        .ids(OpportunityFilter {
            stage_ids: vec![999_999],
            ..f()
        })
        .await
        .is_empty());
    // The address holds only the product's and the competitor's ids; their chips are
    // named by looking them up one by one, and an unknown id is `not_found`.
    assert_eq!(products::get(&x.db, x.printer).await.unwrap().name, "Laser printer");
    assert_eq!(
        identities::get(&x.db, x.competitor).await.unwrap().display_name,
        "Rival Ltd"
    );
    assert!(matches!(
        products::get(&x.db, 999_999).await.unwrap_err(),
        AppError::NotFound { .. }
    ));
    assert!(matches!(
        identities::get(&x.db, 999_999).await.unwrap_err(),
        AppError::NotFound { .. }
    ));
}

async fn board_columns_lanes_and_cards(db: DatabaseConnection) {
    let x = fixture(db).await;
    // D was lost 60 days ago: outside the board's default 30-day window.
    let long_ago = today() - Days::new(60);
    sql(
        &x.db,
        &format!("UPDATE opportunities SET lost_on = '{long_ago}' WHERE id = {}", x.dd),
    )
    .await;
    let request = |days: Option<u32>, by_user: bool| BoardRequest {
        filter: f(),
        closed_within_days: days,
        by_user,
    };
    let board = pipeline::board(&x.db, &x.admin, &request(Some(30), false))
        .await
        .unwrap();
    let kinds: Vec<StageKind> = board.stages.iter().map(|s| s.kind).collect();
    let first_closed = kinds.iter().position(|k| *k != StageKind::Open).unwrap();
    assert!(
        kinds[first_closed..].iter().all(|k| *k != StageKind::Open),
        "won and lost at the end"
    );
    assert_eq!(*kinds.last().unwrap(), StageKind::Lost);
    let cell = |b: &pipeline::BoardSummary, stage: i32| b.cells.iter().find(|c| c.stage_id == stage).cloned();
    let contact = cell(&board, x.stage["contact"]).unwrap();
    assert_eq!(
        (contact.count, contact.estimated, contact.expected),
        (1, d("1000000"), d("100000"))
    );
    assert_eq!(cell(&board, x.stage["won"]).unwrap().count, 1);
    assert!(cell(&board, x.stage["lost"]).is_none(), "lost 60 days ago is hidden");
    let all = pipeline::board(&x.db, &x.admin, &request(None, false)).await.unwrap();
    assert_eq!(cell(&all, x.stage["lost"]).unwrap().count, 1);

    let lanes = pipeline::board(&x.db, &x.admin, &request(None, true)).await.unwrap();
    let sales1_contact = lanes
        .cells
        .iter()
        .find(|c| {
            c.stage_id == x.stage["contact"]
                && c.lane
                    == Some(Lane {
                        user_id: Some(x.sales1.user_id),
                    })
        })
        .unwrap();
    assert_eq!(sales1_contact.count, 1);
    let unassigned_won = lanes
        .cells
        .iter()
        .find(|c| c.stage_id == x.stage["won"] && c.lane == Some(Lane { user_id: None }))
        .unwrap();
    assert_eq!(unassigned_won.count, 1);
    assert_eq!(
        lanes.lanes.last().unwrap().lane,
        Lane { user_id: None },
        "unassigned last"
    );

    let cards = pipeline::board_cards(&x.db, &x.admin, &request(None, true), x.stage["won"], None, 0, 30)
        .await
        .unwrap();
    assert_eq!(cards.iter().map(|c| c.id).collect::<Vec<_>>(), vec![x.c]);
    let none = pipeline::board_cards(
        &x.db,
        &x.admin,
        &request(None, true),
        x.stage["won"],
        Some(Lane {
            user_id: Some(x.sales1.user_id),
        }),
        0,
        30,
    )
    .await
    .unwrap();
    assert!(none.is_empty());
    // Filtered on stages or on the status: only those columns, each card where it is.
    let mut only = request(None, false);
    only.filter.stage_ids = vec![x.stage["contact"], x.stage["won"]];
    let filtered = pipeline::board(&x.db, &x.admin, &only).await.unwrap();
    assert_eq!(
        filtered.stages.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![x.stage["contact"], x.stage["won"]]
    );
    assert_eq!(cell(&filtered, x.stage["contact"]).unwrap().count, 1);
    let mut open = request(None, false);
    open.filter.status = Some(StageKind::Open);
    let open_board = pipeline::board(&x.db, &x.admin, &open).await.unwrap();
    assert!(!open_board.stages.is_empty());
    assert!(open_board.stages.iter().all(|s| s.kind == StageKind::Open));
    assert!(open_board
        .cells
        .iter()
        .all(|c| open_board.stages.iter().any(|s| s.id == c.stage_id)));

    let past = pipeline::board_cards(&x.db, &x.admin, &request(None, false), x.stage["contact"], None, 1, 30)
        .await
        .unwrap();
    assert!(past.is_empty(), "offset past the end");
}

async fn moving_a_card_follows_the_form_rules(db: DatabaseConnection) {
    let x = fixture(db).await;
    let history_before = x.count("stage_history").await;
    let changes_before = x.count("change_log").await;
    let v = x.version(x.a).await;
    let err = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        MoveInput {
            id: x.a,
            version: v,
            stage_id: x.stage["won"],
            reason_id: None,
            reason_note: None,
            assign: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Validation { .. }), "{err:?}");
    assert_eq!(x.version(x.a).await, v, "nothing written");
    assert_eq!(x.count("stage_history").await, history_before);
    // A loss reason on a win is refused too.
    let err = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        MoveInput {
            id: x.a,
            version: v,
            stage_id: x.stage["won"],
            reason_id: Some(x.loss_reason),
            reason_note: None,
            assign: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Validation { .. }), "{err:?}");

    let row = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        MoveInput {
            id: x.a,
            version: v,
            stage_id: x.stage["won"],
            reason_id: Some(x.win_reason),
            reason_note: Some("Best price".into()),
            assign: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (row.stage_kind, row.won_on, row.probability),
        (StageKind::Won, Some(today()), 100)
    );
    let detail = opps::get(&x.db, &x.admin, x.a).await.unwrap();
    assert_eq!(detail.win_reason_id, Some(x.win_reason));
    assert_eq!(detail.reason_note.as_deref(), Some("Best price"));
    assert_eq!(detail.lines.len(), 1, "lines kept");
    assert_eq!(detail.estimated_amount, d("1000000"));
    assert_eq!(x.count("stage_history").await, history_before + 1);
    assert!(x.count("change_log").await > changes_before);

    // The stale version now conflicts.
    let err = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        MoveInput {
            id: x.a,
            version: v,
            stage_id: x.stage["contact"],
            reason_id: None,
            reason_note: None,
            assign: None,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }));
    // A salesperson cannot move someone else's card.
    let err = pipeline::move_to_stage(
        &x.db,
        &x.sales2,
        MoveInput {
            id: x.dd,
            version: x.version(x.dd).await,
            stage_id: x.stage["contact"],
            reason_id: None,
            reason_note: None,
            assign: None,
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, AppError::NotFound { .. } | AppError::Forbidden { .. }),
        "{err:?}"
    );
}

fn to_lane(user_id: Option<i32>) -> Option<Lane> {
    Some(Lane { user_id })
}

async fn moving_a_card_to_another_lane_reassigns_it(db: DatabaseConnection) {
    let x = fixture(db).await;
    let mv = |id: i32, version: i32, stage_id: i32, assign: Option<Lane>| MoveInput {
        id,
        version,
        stage_id,
        reason_id: None,
        reason_note: None,
        assign,
    };
    let assignee = |id: i32| {
        let x = &x;
        async move { opps::get(&x.db, &x.admin, id).await.unwrap().assigned_user_id }
    };

    // The same column of another lane: a pure reassignment, logged, the stage kept.
    let history_before = x.count("stage_history").await;
    let v = x.version(x.a).await;
    let row = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        mv(x.a, v, x.stage["contact"], to_lane(Some(x.sales2.user_id))),
    )
    .await
    .unwrap();
    assert_eq!(
        (
            row.stage_id,
            row.assigned_user_id,
            row.assigned_user_name.as_deref(),
            row.version
        ),
        (x.stage["contact"], Some(x.sales2.user_id), Some("User sales2"), v + 1)
    );
    assert_eq!(
        x.count("stage_history").await,
        history_before,
        "the stage did not change"
    );
    let logged = changelog::history(&x.db, "opportunity", x.a).await.unwrap();
    let change = logged[0]
        .changes
        .iter()
        .find(|c| c.field == "assignedUserId")
        .expect("the reassignment is in the change log");
    assert_eq!(
        (change.old.as_i64(), change.new.as_i64()),
        (Some(x.sales1.user_id as i64), Some(x.sales2.user_id as i64))
    );
    assert!(logged[0].changes.iter().all(|c| c.field != "stageId"));

    // Another column of the "unassigned" lane: moved and unassigned at once.
    let row = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        mv(x.b, x.version(x.b).await, x.stage["contact"], to_lane(None)),
    )
    .await
    .unwrap();
    assert_eq!((row.stage_id, row.assigned_user_id), (x.stage["contact"], None));
    assert_eq!(x.count("stage_history").await, history_before + 1);

    // A won card into another lane of the won column keeps its win and its reason:
    // no reason is asked for a reassignment.
    let row = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        mv(
            x.c,
            x.version(x.c).await,
            x.stage["won"],
            to_lane(Some(x.sales1.user_id)),
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        (row.stage_kind, row.assigned_user_id, row.win_reason_id),
        (StageKind::Won, Some(x.sales1.user_id), Some(x.win_reason))
    );

    // The same column of the same lane is no move: nothing is written.
    let v = x.version(x.a).await;
    let changes_before = x.count("change_log").await;
    let row = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        mv(x.a, v, x.stage["contact"], to_lane(Some(x.sales2.user_id))),
    )
    .await
    .unwrap();
    assert_eq!(row.version, v);
    assert_eq!(x.version(x.a).await, v);
    assert_eq!(x.count("change_log").await, changes_before);
    // … but a stale version still says so.
    let err = pipeline::move_to_stage(&x.db, &x.admin, mv(x.a, v - 1, x.stage["contact"], None))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");

    // The lane of a user who does not exist is refused, and nothing is written, not
    // even the stage change that came with it.
    let history_before = x.count("stage_history").await;
    let err = pipeline::move_to_stage(
        &x.db,
        &x.admin,
        mv(x.a, v, x.stage["needs_analysis"], to_lane(Some(999_999))),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("assignedUserId".into(), ValidationCode::UnknownReference)]
    );
    let a = opps::get(&x.db, &x.admin, x.a).await.unwrap();
    assert_eq!(
        (a.version, a.stage_id, a.assigned_user_id),
        (v, x.stage["contact"], Some(x.sales2.user_id))
    );
    assert_eq!(x.count("stage_history").await, history_before);
    assert_eq!(x.count("change_log").await, changes_before);

    // A salesperson may not hand their card to someone else, by lane or otherwise.
    let dd_version = x.version(x.dd).await;
    let err = pipeline::move_to_stage(
        &x.db,
        &x.sales1,
        mv(x.dd, dd_version, x.stage["lost"], to_lane(Some(x.sales2.user_id))),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("assignedUserId".into(), ValidationCode::NotAllowed)]
    );
    assert_eq!(assignee(x.dd).await, Some(x.sales1.user_id));
    assert_eq!(x.version(x.dd).await, dd_version);
    assert_eq!(x.count("change_log").await, changes_before);
    // Nor reach into another user's card through a lane.
    let err = pipeline::move_to_stage(
        &x.db,
        &x.sales2,
        mv(x.dd, dd_version, x.stage["lost"], to_lane(Some(x.sales2.user_id))),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, AppError::NotFound { .. } | AppError::Forbidden { .. }),
        "{err:?}"
    );
    assert_eq!(assignee(x.dd).await, Some(x.sales1.user_id));
    // Letting go of one's own card (the unassigned lane) is allowed, as in the bulk
    // edit; the move answers even though the card is no longer theirs to see.
    let row = pipeline::move_to_stage(&x.db, &x.sales1, mv(x.dd, dd_version, x.stage["lost"], to_lane(None)))
        .await
        .unwrap();
    assert_eq!((row.id, row.assigned_user_id), (x.dd, None));
    assert!(!x.ids_as(&x.sales1, f()).await.contains(&x.dd));
}

async fn bulk_edits_are_all_or_nothing(db: DatabaseConnection) {
    let x = fixture(db).await;
    let items = |ids: &[i32]| {
        let ids = ids.to_vec();
        let x = &x;
        async move {
            let mut v = vec![];
            for id in ids {
                v.push(BulkItem {
                    id,
                    version: x.version(id).await,
                });
            }
            v
        }
    };
    let changes_before = x.count("change_log").await;
    let assign = BulkChange {
        assign: Some(Lane {
            user_id: Some(x.sales2.user_id),
        }),
        campaign: Some(CampaignChange { campaign_id: None }),
        ..BulkChange::default()
    };
    let r = pipeline::bulk_update(&x.db, &x.admin, &items(&[x.a, x.dd]).await, &assign)
        .await
        .unwrap();
    assert_eq!(r.updated, 2);
    for id in [x.a, x.dd] {
        let o = opps::get(&x.db, &x.admin, id).await.unwrap();
        assert_eq!((o.assigned_user_id, o.campaign_id), (Some(x.sales2.user_id), None));
    }
    assert!(x.count("change_log").await >= changes_before + 2, "every change logged");

    // One stale version: nothing changes, not even the fresh one.
    let mut stale = items(&[x.b, x.c]).await;
    stale[1].version -= 1;
    let type_change = BulkChange {
        type_id: Some(x.types[1]),
        ..BulkChange::default()
    };
    let err = pipeline::bulk_update(&x.db, &x.admin, &stale, &type_change)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }));
    assert_eq!(
        opps::get(&x.db, &x.admin, x.b).await.unwrap().type_id,
        x.types[1],
        "B already had type 1"
    );
    assert_eq!(opps::get(&x.db, &x.admin, x.c).await.unwrap().type_id, x.types[0]);
    let fresh = items(&[x.c, x.b]).await;
    let err = pipeline::bulk_update(
        &x.db,
        &x.admin,
        &[fresh[1], BulkItem { id: x.c, version: 99 }],
        &BulkChange {
            source_id: Some(x.sources[0]),
            ..BulkChange::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }));
    assert_eq!(
        opps::get(&x.db, &x.admin, x.b).await.unwrap().source_id,
        x.sources[1],
        "the first item was rolled back"
    );

    // Losing without a reason names the item; with one, every item is lost.
    let err = pipeline::bulk_update(
        &x.db,
        &x.admin,
        &items(&[x.a, x.b]).await,
        &BulkChange {
            stage_id: Some(x.stage["lost"]),
            ..BulkChange::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes()[0].0.split('.').take(2).collect::<Vec<_>>(),
        vec!["items", "0"]
    );
    assert_eq!(
        opps::get(&x.db, &x.admin, x.a).await.unwrap().stage_id,
        x.stage["contact"]
    );
    pipeline::bulk_update(
        &x.db,
        &x.admin,
        &items(&[x.a, x.b]).await,
        &BulkChange {
            stage_id: Some(x.stage["lost"]),
            reason_id: Some(x.loss_reason),
            ..BulkChange::default()
        },
    )
    .await
    .unwrap();
    for id in [x.a, x.b] {
        let o = opps::get(&x.db, &x.admin, id).await.unwrap();
        assert_eq!(
            (o.stage_kind, o.lost_on, o.probability),
            (StageKind::Lost, Some(today()), 0)
        );
    }

    // A salesperson's bulk edit reaching someone else's opportunity writes nothing.
    let before = opps::get(&x.db, &x.admin, x.c).await.unwrap();
    let err = pipeline::bulk_update(
        &x.db,
        &x.sales2,
        &items(&[x.c]).await,
        &BulkChange {
            type_id: Some(x.types[1]),
            ..BulkChange::default()
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, AppError::NotFound { .. } | AppError::Forbidden { .. }),
        "{err:?}"
    );
    assert_eq!(opps::get(&x.db, &x.admin, x.c).await.unwrap().version, before.version);

    // Hostile: nothing selected, nothing to change, unknown ids, too many items.
    assert!(pipeline::bulk_update(&x.db, &x.admin, &[], &type_change).await.is_err());
    assert!(
        pipeline::bulk_update(&x.db, &x.admin, &items(&[x.a]).await, &BulkChange::default())
            .await
            .is_err()
    );
    let err = pipeline::bulk_update(
        &x.db,
        &x.admin,
        &[BulkItem {
            id: 999_999,
            version: 1,
        }],
        &type_change,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::NotFound { .. }));
    let many: Vec<BulkItem> = (0..6000).map(|i| BulkItem { id: i, version: 1 }).collect();
    assert_eq!(
        pipeline::bulk_update(&x.db, &x.admin, &many, &type_change)
            .await
            .unwrap_err()
            .field_codes(),
        vec![("items".into(), ValidationCode::TooLong)]
    );
    let err = pipeline::bulk_update(
        &x.db,
        &x.admin,
        &items(&[x.c]).await,
        &BulkChange {
            type_id: Some(999_999),
            ..BulkChange::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes()[0].0, "items.0.typeId");
}

/// Any page number answers: far past the end is an empty page, never an overflow
/// (the list, identities and products pages alike).
async fn any_page_number_answers(db: DatabaseConnection) {
    let f = fixture(db).await;
    let far = pipeline::list(
        &f.db,
        &f.admin,
        &ListRequest {
            filter: Default::default(),
            sort: vec![],
            page: u32::MAX,
            page_size: u32::MAX,
        },
    )
    .await
    .unwrap();
    assert!(far.page.items.is_empty());
    assert!(far.page.total > 0, "the totals still count the whole list");
    let ids = identities::list(
        &f.db,
        identities::IdentityQuery {
            search: None,
            kind: None,
            role: None,
            page: u32::MAX,
            page_size: 500,
        },
    )
    .await
    .unwrap();
    assert!(ids.items.is_empty());
    let prods = products::list(
        &f.db,
        products::ProductQuery {
            search: None,
            category_id: None,
            for_sale: false,
            page: u32::MAX,
            page_size: u32::MAX,
        },
    )
    .await
    .unwrap();
    assert!(prods.items.is_empty());
}

on_both_backends!(
    any_page_number_answers,
    each_filter_alone_and_combined,
    derived_columns_totals_sorting_and_paging,
    salespeople_list_only_their_own,
    bad_filters_are_refused,
    board_columns_lanes_and_cards,
    moving_a_card_follows_the_form_rules,
    moving_a_card_to_another_lane_reassigns_it,
    bulk_edits_are_all_or_nothing,
);
