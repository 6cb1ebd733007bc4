//! Products, lines, documents and balances (domain §3 fields 1, 8, 15–18; §6; §7).

mod common;

use std::str::FromStr;

use forsat_core::domain::{ContractKind, DiscountKind, FinancialKind, PaymentMethod, RecordStatus, SystemListKey};
use forsat_core::error::{AppError, ValidationCode};
use forsat_core::service::financial::{self, FinancialInput};
use forsat_core::service::identities::{self, IdentityInput};
use forsat_core::service::lines::LineInput;
use forsat_core::service::opportunities::{self as opps, OpportunityInput};
use forsat_core::service::products::{self, CategoryInput, ProductInput, ProductQuery};
use forsat_core::service::settings::{self, SettingsPatch};
use forsat_core::service::{stages, system_lists, Actor};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

struct F {
    db: DatabaseConnection,
    admin: Actor,
    identity: i32,
    laptop: i32,
    service: i32,
    category: i32,
}

impl F {
    async fn new(db: DatabaseConnection) -> Self {
        let admin = common::admin(&db).await;
        let identity = identities::create(&db, &admin, IdentityInput::organization("بیمارستان آتیه"))
            .await
            .unwrap()
            .id;
        let category = products::create_category(
            &db,
            &admin,
            CategoryInput {
                name: "رایانه".into(),
                parent_id: None,
            },
        )
        .await
        .unwrap()
        .id;
        let unit = system_lists::list(&db, SystemListKey::ProductUnit, false)
            .await
            .unwrap()[0]
            .id;
        let product = |code: &str, price: &str, taxable: bool| ProductInput {
            code: code.into(),
            name: format!("کالا {code}"),
            category_id: category,
            kind: forsat_core::domain::ProductKind::Product,
            unit_id: Some(unit),
            sale_price: price.into(),
            taxable,
            saleable: true,
            active: true,
        };
        let laptop = products::create(&db, &admin, product("PC-1", "1000000", true))
            .await
            .unwrap()
            .id;
        let service = products::create(&db, &admin, product("SV-1", "2000000", false))
            .await
            .unwrap()
            .id;
        Self {
            db,
            admin,
            identity,
            laptop,
            service,
            category,
        }
    }

    fn line(&self, product: i32, qty: &str, discount: &str) -> LineInput {
        LineInput {
            product_id: product,
            quantity: qty.into(),
            unit_price: None,
            discount_kind: DiscountKind::Percent,
            discount_value: discount.into(),
            description: None,
            source_line_id: None,
        }
    }

    async fn opportunity(&self, lines: Vec<LineInput>, manual: Option<&str>) -> opps::OpportunityDetail {
        let stage = stages::list(&self.db, false).await.unwrap()[0].id;
        opps::create(
            &self.db,
            &self.admin,
            OpportunityInput {
                identity_id: self.identity,
                title: "تجهیز بخش اداری".into(),
                assigned_user_id: None,
                type_id: Some(
                    system_lists::list(&self.db, SystemListKey::OpportunityType, false)
                        .await
                        .unwrap()[0]
                        .id,
                ),
                source_id: Some(
                    system_lists::list(&self.db, SystemListKey::Source, false)
                        .await
                        .unwrap()[0]
                        .id,
                ),
                campaign_id: None,
                close_date: None,
                estimated_amount: manual.unwrap_or("").into(),
                amount_is_manual: manual.is_some(),
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
                lines,
                stage_id: stage,
            },
        )
        .await
        .unwrap()
    }

    fn money(&self, kind: FinancialKind, amount: &str, opportunity: Option<i32>) -> FinancialInput {
        FinancialInput {
            kind,
            identity_id: self.identity,
            opportunity_id: opportunity,
            parent_record_id: None,
            title: format!("{kind}"),
            issue_date: chrono::Utc::now().date_naive(),
            description: None,
            expiry_date: None,
            method: matches!(kind, FinancialKind::Receipt | FinancialKind::Payment)
                .then_some(PaymentMethod::BankTransfer),
            reference_no: None,
            contract_kind: None,
            start_date: None,
            end_date: None,
            amount: Some(amount.into()),
            lines: vec![],
        }
    }

    fn document(&self, kind: FinancialKind, lines: Vec<LineInput>, opportunity: Option<i32>) -> FinancialInput {
        FinancialInput {
            amount: None,
            lines,
            method: None,
            ..self.money(kind, "", opportunity)
        }
    }

    async fn approved(&self, input: FinancialInput) -> financial::FinancialDetail {
        let r = financial::create(&self.db, &self.admin, input).await.unwrap();
        financial::approve(&self.db, &self.admin, r.id, r.version)
            .await
            .unwrap()
    }

    async fn balances(&self, opportunity: i32) -> (Decimal, Decimal) {
        (
            opps::get(&self.db, &self.admin, opportunity).await.unwrap().balance,
            identities::get(&self.db, self.identity).await.unwrap().balance,
        )
    }
}

async fn estimated_amount_follows_lines_unless_typed(db: DatabaseConnection) {
    let f = F::new(db).await;
    // 2.5 × 1,000,000 − 3% = 2,425,000; 1 × 2,000,000 = 2,000,000.
    let o = f
        .opportunity(vec![f.line(f.laptop, "2.5", "3"), f.line(f.service, "1", "0")], None)
        .await;
    assert_eq!(o.estimated_amount, d("4425000"));
    assert!(!o.amount_is_manual);
    assert_eq!(o.lines.len(), 2);
    assert_eq!(o.lines[0].unit_price, d("1000000"), "the product's price by default");
    assert_eq!(o.lines[0].discount_amount, d("75000"));
    assert_eq!(o.line_totals.sum, d("4500000"));
    assert_eq!(o.line_totals.discount, d("75000"));
    assert_eq!(o.line_totals.total, d("4425000"));
    // A typed amount is kept and marked manual…
    let manual = f.opportunity(vec![f.line(f.laptop, "1", "0")], Some("900000")).await;
    assert_eq!((manual.estimated_amount, manual.amount_is_manual), (d("900000"), true));
    // …and back to automatic follows the lines again.
    let mut input = opps_input(&manual);
    input.amount_is_manual = false;
    input.lines.push(f.line(f.service, "2", "10"));
    let auto = opps::update(&f.db, &f.admin, manual.id, manual.version, input)
        .await
        .unwrap();
    assert_eq!((auto.estimated_amount, auto.amount_is_manual), (d("4600000"), false));
    // Hostile lines.
    let err = opps::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            lines: vec![f.line(999_999, "1", "0")],
            ..opps_input(&auto)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("lines.0.productId".into(), ValidationCode::UnknownReference)]
    );
    let err = opps::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            lines: vec![
                f.line(f.laptop, "0", "0"),
                f.line(f.laptop, "x", "0"),
                f.line(f.laptop, "1", "101"),
            ],
            ..opps_input(&auto)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![
            ("lines.0.quantity".into(), ValidationCode::OutOfRange),
            ("lines.1.quantity".into(), ValidationCode::Invalid),
            ("lines.2.discountValue".into(), ValidationCode::OutOfRange),
        ]
    );
}

fn opps_input(o: &opps::OpportunityDetail) -> OpportunityInput {
    OpportunityInput {
        identity_id: o.identity_id,
        title: o.title.clone(),
        assigned_user_id: o.assigned_user_id,
        type_id: Some(o.type_id),
        source_id: Some(o.source_id),
        campaign_id: o.campaign_id,
        close_date: o.close_date,
        estimated_amount: o.estimated_amount.to_string(),
        amount_is_manual: o.amount_is_manual,
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
        lines: o
            .lines
            .iter()
            .map(|l| LineInput {
                product_id: l.product_id,
                quantity: l.quantity.to_string(),
                unit_price: Some(l.unit_price.to_string()),
                discount_kind: l.discount_kind,
                discount_value: l.discount_value.to_string(),
                description: None,
                source_line_id: None,
            })
            .collect(),
        stage_id: o.stage_id,
    }
}

async fn documents_from_the_opportunity_and_the_balance(db: DatabaseConnection) {
    let f = F::new(db).await;
    let o = f
        .opportunity(vec![f.line(f.laptop, "2", "0"), f.line(f.service, "1", "0")], None)
        .await;
    // 17: issue proforma — the opportunity's lines, same identity, a child record, draft.
    let pf = financial::issue_from_opportunity(&f.db, &f.admin, o.id, FinancialKind::Proforma)
        .await
        .unwrap();
    assert_eq!(
        (pf.kind, pf.status, pf.identity_id, pf.opportunity_id),
        (FinancialKind::Proforma, RecordStatus::Draft, f.identity, Some(o.id))
    );
    assert_eq!(pf.lines.len(), 2);
    // Tax (10% by default) only on the taxable laptop: 2,000,000 + 200,000 + 2,000,000.
    assert_eq!(
        (pf.totals.sum, pf.totals.tax, pf.amount),
        (d("4000000"), d("200000"), d("4200000"))
    );
    assert!(pf.number.starts_with("PF-"), "{}", pf.number);
    // 18: issue invoice; and a proforma turned into an invoice.
    let inv = financial::issue_from_opportunity(&f.db, &f.admin, o.id, FinancialKind::Invoice)
        .await
        .unwrap();
    assert_eq!(inv.amount, d("4200000"));
    let inv2 = financial::invoice_from_proforma(&f.db, &f.admin, pf.id).await.unwrap();
    assert_eq!(
        (inv2.kind, inv2.parent_record_id, inv2.amount),
        (FinancialKind::Invoice, Some(pf.id), d("4200000"))
    );
    assert_ne!(inv.number, inv2.number);
    // Drafts and proformas change nothing.
    assert_eq!(f.balances(o.id).await, (Decimal::ZERO, Decimal::ZERO));
    // The worked example: invoice 20,000,000 approved, then receipt 5,000,000 → owes 15,000,000.
    let big = f
        .approved(f.document(FinancialKind::Invoice, vec![f.line(f.service, "10", "0")], Some(o.id)))
        .await;
    assert_eq!(big.amount, d("20000000"));
    assert_eq!(f.balances(o.id).await, (d("20000000"), d("20000000")));
    f.approved(f.money(FinancialKind::Receipt, "5000000", Some(o.id))).await;
    assert_eq!(f.balances(o.id).await, (d("15000000"), d("15000000")));
    assert_eq!(
        opps::get(&f.db, &f.admin, o.id).await.unwrap().realized_amount,
        d("20000000")
    );
    // A receipt not under the opportunity counts for the identity only.
    f.approved(f.money(FinancialKind::Receipt, "1000000", None)).await;
    assert_eq!(f.balances(o.id).await, (d("15000000"), d("14000000")));
    // Payments and financial contracts debit; legal contracts do not count.
    f.approved(f.money(FinancialKind::Payment, "300000", Some(o.id))).await;
    let mut contract = f.money(FinancialKind::Contract, "700000", Some(o.id));
    contract.contract_kind = Some(ContractKind::Financial);
    f.approved(contract.clone()).await;
    contract.contract_kind = Some(ContractKind::Legal);
    f.approved(contract).await;
    assert_eq!(f.balances(o.id).await, (d("16000000"), d("15000000")));
    // A sales return credits; never more than invoiced.
    let src = big.lines[0].id;
    let mut ret = f.document(
        FinancialKind::SalesReturn,
        vec![LineInput {
            source_line_id: Some(src),
            ..f.line(f.service, "11", "0")
        }],
        Some(o.id),
    );
    ret.parent_record_id = Some(big.id);
    let err = financial::create(&f.db, &f.admin, ret.clone()).await.unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("lines.0.quantity".into(), ValidationCode::OutOfRange)]
    );
    ret.lines[0].quantity = "4".into();
    let r = f.approved(ret.clone()).await;
    assert_eq!(r.amount, d("8000000"));
    assert_eq!(f.balances(o.id).await, (d("8000000"), d("7000000")));
    // Only 6 are left to return now.
    ret.lines[0].quantity = "7".into();
    let err = financial::create(&f.db, &f.admin, ret.clone()).await.unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("lines.0.quantity".into(), ValidationCode::OutOfRange)]
    );
    // Returns come only from approved invoices.
    ret.parent_record_id = Some(inv.id);
    ret.lines[0].quantity = "1".into();
    let err = financial::create(&f.db, &f.admin, ret).await.unwrap_err();
    assert!(err
        .field_codes()
        .contains(&("parentRecordId".into(), ValidationCode::Invalid)));
    // Approved records are locked.
    let err = financial::update(
        &f.db,
        &f.admin,
        r.id,
        r.version,
        f.document(FinancialKind::SalesReturn, vec![], Some(o.id)),
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("status".into(), ValidationCode::ReadOnly)]);
}

async fn hostile_documents(db: DatabaseConnection) {
    let f = F::new(db).await;
    let err = financial::create(&f.db, &f.admin, f.document(FinancialKind::Invoice, vec![], None))
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("lines".into(), ValidationCode::Required)]);
    let mut bad = f.money(FinancialKind::Receipt, "-5", None);
    bad.method = None;
    bad.title = "x".repeat(10_000);
    let err = financial::create(&f.db, &f.admin, bad).await.unwrap_err();
    let fields: Vec<_> = err.field_codes().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["title", "method", "amount"]);
    let err = financial::create(
        &f.db,
        &f.admin,
        FinancialInput {
            identity_id: 999_999,
            ..f.money(FinancialKind::Payment, "1", None)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("identityId".into(), ValidationCode::UnknownReference)]
    );
    let other = identities::create(&f.db, &f.admin, IdentityInput::organization("دیگری"))
        .await
        .unwrap()
        .id;
    let o = f.opportunity(vec![], Some("1")).await;
    let err = financial::create(
        &f.db,
        &f.admin,
        FinancialInput {
            identity_id: other,
            ..f.money(FinancialKind::Payment, "1", Some(o.id))
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("opportunityId".into(), ValidationCode::Invalid)]
    );
    let err = financial::issue_from_opportunity(&f.db, &f.admin, o.id, FinancialKind::Invoice)
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("lines".into(), ValidationCode::Required)]);
    let r = financial::create(&f.db, &f.admin, f.money(FinancialKind::Payment, "1", None))
        .await
        .unwrap();
    let err = financial::approve(&f.db, &f.admin, r.id, r.version + 5)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }));
}

async fn a_thousand_lines_without_drift(db: DatabaseConnection) {
    let f = F::new(db).await;
    settings::update(
        &f.db,
        &f.admin,
        SettingsPatch {
            currency_decimals: Some(2),
            tax_percent: Some("9".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let lines: Vec<_> = (0..1000)
        .map(|_| LineInput {
            unit_price: Some("33333.33".into()),
            ..f.line(f.laptop, "1.5", "3")
        })
        .collect();
    let inv = financial::create(&f.db, &f.admin, f.document(FinancialKind::Invoice, lines, None))
        .await
        .unwrap();
    assert_eq!(inv.lines.len(), 1000);
    let sum_of_lines: Decimal = inv.lines.iter().map(|l| l.total).sum();
    assert_eq!(inv.amount, sum_of_lines);
    assert_eq!(inv.totals.sum - inv.totals.discount + inv.totals.tax, inv.amount);
    // 1.5 × 33,333.33 = 50,000.00 (rounded); −3% = 48,500.00; +9% = 4,365.00 → 52,865.00 a line.
    assert_eq!(inv.lines[0].total, d("52865.00"));
    assert_eq!(inv.amount, d("52865000"));
}

async fn catalogue_rules(db: DatabaseConnection) {
    let f = F::new(db).await;
    // A used product cannot be deleted, only deactivated; an unused one can.
    f.opportunity(vec![f.line(f.laptop, "1", "0")], None).await;
    let err = products::delete(&f.db, &f.admin, f.laptop).await.unwrap_err();
    assert_eq!(err.field_codes(), vec![("id".into(), ValidationCode::NotAllowed)]);
    products::delete(&f.db, &f.admin, f.service).await.unwrap();
    // Codes are unique.
    let p = products::get(&f.db, f.laptop).await.unwrap();
    let dup = ProductInput {
        code: p.code.clone(),
        name: "x".into(),
        category_id: f.category,
        kind: p.kind,
        unit_id: None,
        sale_price: "1".into(),
        taxable: true,
        saleable: true,
        active: true,
    };
    let err = products::create(&f.db, &f.admin, dup.clone()).await.unwrap_err();
    assert_eq!(err.field_codes(), vec![("code".into(), ValidationCode::Duplicate)]);
    // Deactivated products are not offered by the selector, and new lines cannot use them.
    products::update(
        &f.db,
        &f.admin,
        p.id,
        p.version,
        ProductInput {
            code: p.code.clone(),
            name: p.name.clone(),
            active: false,
            ..dup
        },
    )
    .await
    .unwrap();
    let offered = products::list(
        &f.db,
        ProductQuery {
            for_sale: true,
            page: 1,
            page_size: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(offered.items.iter().all(|x| x.id != p.id));
    let err = opps::create(
        &f.db,
        &f.admin,
        OpportunityInput {
            lines: vec![f.line(p.id, "1", "0")],
            ..opps_input(&f.opportunity(vec![], Some("1")).await)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.field_codes(),
        vec![("lines.0.productId".into(), ValidationCode::InactiveReference)]
    );
    // Search by code or name, within a category subtree; a category never moves under itself.
    let child = products::create_category(
        &f.db,
        &f.admin,
        CategoryInput {
            name: "لپ‌تاپ".into(),
            parent_id: Some(f.category),
        },
    )
    .await
    .unwrap();
    let root = products::categories(&f.db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == f.category)
        .unwrap();
    let err = products::update_category(
        &f.db,
        &f.admin,
        root.id,
        root.version,
        CategoryInput {
            name: root.name.clone(),
            parent_id: Some(child.id),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_codes(), vec![("parentId".into(), ValidationCode::Invalid)]);
    let found = products::list(
        &f.db,
        ProductQuery {
            search: Some("pc-1".into()),
            category_id: Some(f.category),
            page: 1,
            page_size: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(found.total, 1);
    let err = products::delete_category(&f.db, &f.admin, f.category)
        .await
        .unwrap_err();
    assert_eq!(err.field_codes(), vec![("id".into(), ValidationCode::NotAllowed)]);
    // Field 16 ("clear the product group after a pick", checked by default, as in the
    // source) is remembered per user: the category is kept open only when asked.
    assert!(!settings::user_prefs(&f.db, &f.admin).await.unwrap().keep_category_open);
    settings::set_keep_category_open(&f.db, &f.admin, true).await.unwrap();
    assert!(settings::user_prefs(&f.db, &f.admin).await.unwrap().keep_category_open);
}

async fn numbering_is_unique_under_concurrent_creates(db: DatabaseConnection) {
    let f = F::new(db).await;
    let a = f.money(FinancialKind::Receipt, "1", None);
    let b = a.clone();
    let (db1, db2, admin) = (f.db.clone(), f.db.clone(), f.admin);
    let (r1, r2) = tokio::join!(
        tokio::spawn(async move { financial::create(&db1, &admin, a).await }),
        tokio::spawn(async move { financial::create(&db2, &admin, b).await }),
    );
    let (r1, r2) = (r1.unwrap(), r2.unwrap());
    // Both succeed, with different numbers.
    assert_ne!(r1.unwrap().number, r2.unwrap().number);
}

on_both_backends!(
    estimated_amount_follows_lines_unless_typed,
    documents_from_the_opportunity_and_the_balance,
    hostile_documents,
    a_thousand_lines_without_drift,
    catalogue_rules,
    numbering_is_unique_under_concurrent_creates,
);
