//! Financial records: proforma, invoice, sales return, receipt, payment, contract
//! (domain §7). Only approved records count in balances; approved records are locked.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::lines::{self, CleanLine, LineInput, LineOut, TotalsOut};
use super::opportunities::visible_to;
use super::{now, numbering, settings, teams, Actor};
use crate::domain::lines::Totals;
use crate::domain::validate::parse_money;
use crate::domain::validate::{NOTE_MAX, TITLE_MAX};
use crate::domain::{
    ChangeAction, ContractKind, DiscountKind, FinancialKind, PaymentMethod, RecordStatus, Scope, ValidationCode,
    Validator,
};
use crate::entity::{
    financial_lines as fl, financial_records as fr, identities, opportunities as opp, opportunity_lines, Fixed4,
};
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "financial_record";

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FinancialInput {
    pub kind: FinancialKind,
    pub identity_id: i32,
    pub opportunity_id: Option<i32>,
    /// Sales returns: the approved invoice returned from. Invoices: the proforma they came from.
    pub parent_record_id: Option<i32>,
    pub title: String,
    pub issue_date: NaiveDate,
    pub description: Option<String>,
    /// Proformas.
    pub expiry_date: Option<NaiveDate>,
    /// Receipts and payments.
    pub method: Option<PaymentMethod>,
    pub reference_no: Option<String>,
    /// Contracts.
    pub contract_kind: Option<ContractKind>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Receipts, payments and contracts: the amount (a decimal string).
    pub amount: Option<String>,
    /// Proformas, invoices and returns.
    pub lines: Vec<LineInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FinancialDetail {
    pub id: i32,
    pub kind: FinancialKind,
    pub number: String,
    pub title: String,
    pub identity_id: i32,
    pub identity_name: String,
    pub opportunity_id: Option<i32>,
    pub parent_record_id: Option<i32>,
    pub issue_date: NaiveDate,
    pub status: RecordStatus,
    pub description: Option<String>,
    pub expiry_date: Option<NaiveDate>,
    pub method: Option<PaymentMethod>,
    pub reference_no: Option<String>,
    pub contract_kind: Option<ContractKind>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// The final amount: lines' total for documents, the entered amount otherwise.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub amount: Decimal,
    pub totals: TotalsOut,
    pub lines: Vec<LineOut>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn has_lines(kind: FinancialKind) -> bool {
    matches!(
        kind,
        FinancialKind::Proforma | FinancialKind::Invoice | FinancialKind::SalesReturn
    )
}

/// May an actor with this scope see this record, given its parent opportunity (if
/// any)? What someone in the scope created, and the children of an opportunity the
/// scope sees.
pub fn record_visible_to(scope: &Scope, m: &fr::Model, parent: Option<&opp::Model>) -> bool {
    scope.sees(m.created_by) || parent.is_some_and(|o| visible_to(scope, o))
}

/// May `actor` see this record? Children of an opportunity follow the opportunity.
pub async fn check_visible<C: ConnectionTrait>(db: &C, actor: &Actor, m: &fr::Model) -> AppResult<()> {
    let scope = teams::scope(db, actor).await?;
    let parent = match m.opportunity_id {
        Some(o) if !scope.is_all() => opp::Entity::find_by_id(o).one(db).await?,
        _ => None,
    };
    if record_visible_to(&scope, m, parent.as_ref()) {
        Ok(())
    } else {
        Err(AppError::forbidden("record_not_yours"))
    }
}

struct Plan {
    title: String,
    description: Option<String>,
    reference_no: Option<String>,
    lines: Vec<CleanLine>,
    totals: Totals,
    amount: Decimal,
}

/// Quantity of each invoice line already returned by other returns.
async fn returned<C: ConnectionTrait>(db: &C, invoice: i32, except: Option<i32>) -> AppResult<HashMap<i32, Decimal>> {
    let returns = fr::Entity::find()
        .filter(fr::Column::Kind.eq(FinancialKind::SalesReturn.as_str()))
        .filter(fr::Column::ParentRecordId.eq(invoice))
        .all(db)
        .await?;
    let ids: Vec<i32> = returns
        .into_iter()
        .map(|r| r.id)
        .filter(|id| Some(*id) != except)
        .collect();
    let mut out: HashMap<i32, Decimal> = HashMap::new();
    for l in fl::Entity::find()
        .filter(fl::Column::RecordId.is_in(ids))
        .all(db)
        .await?
    {
        if let Some(src) = l.source_line_id {
            *out.entry(src).or_default() += l.quantity.0;
        }
    }
    Ok(out)
}

async fn plan<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &FinancialInput,
    old: Option<&fr::Model>,
) -> AppResult<Plan> {
    let s = settings::get(db).await?;
    let mut v = Validator::new();
    let title = v.required_text("title", &input.title, TITLE_MAX);
    let description = v.optional_text("description", input.description.as_deref(), NOTE_MAX);
    let reference_no = v.optional_text("referenceNo", input.reference_no.as_deref(), 100);
    if identities::Entity::find_by_id(input.identity_id)
        .one(db)
        .await?
        .is_none()
    {
        v.push("identityId", ValidationCode::UnknownReference);
    }
    if let Some(o) = input.opportunity_id {
        match opp::Entity::find_by_id(o).one(db).await? {
            None => v.push("opportunityId", ValidationCode::UnknownReference),
            Some(o) if o.identity_id != input.identity_id => v.push("opportunityId", ValidationCode::Invalid),
            Some(o) if !visible_to(&teams::scope(db, actor).await?, &o) => {
                return Err(AppError::forbidden("opportunity_not_yours"))
            }
            Some(_) => {}
        }
    }
    v.date("issueDate", Some(input.issue_date));
    v.date("expiryDate", input.expiry_date);
    v.date("startDate", input.start_date);
    v.date("endDate", input.end_date);
    match input.kind {
        FinancialKind::Proforma if input.expiry_date.is_some_and(|e| e < input.issue_date) => {
            v.push("expiryDate", ValidationCode::OutOfRange)
        }
        FinancialKind::Receipt | FinancialKind::Payment if input.method.is_none() => {
            v.push("method", ValidationCode::Required)
        }
        FinancialKind::Contract => {
            if input.contract_kind.is_none() {
                v.push("contractKind", ValidationCode::Required);
            }
            if let (Some(a), Some(b)) = (input.start_date, input.end_date) {
                if b < a {
                    v.push("endDate", ValidationCode::OutOfRange);
                }
            }
        }
        _ => {}
    }
    let previous_products: Vec<i32> = match old {
        Some(o) => fl::Entity::find()
            .filter(fl::Column::RecordId.eq(o.id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.product_id)
            .collect(),
        None => vec![],
    };
    let (clean, totals, amount) = if has_lines(input.kind) {
        if input.lines.is_empty() {
            v.push("lines", ValidationCode::Required);
        }
        let tax = Some(s.tax_percent);
        let mut clean = lines::validate(db, &mut v, &input.lines, &previous_products, tax, s.currency_decimals).await?;
        if input.kind == FinancialKind::SalesReturn {
            check_return(db, &mut v, input, old.map(|o| o.id), &mut clean, s.currency_decimals).await?;
        }
        let t = lines::sum(&clean);
        (clean, t, t.total)
    } else {
        if !input.lines.is_empty() {
            v.push("lines", ValidationCode::NotAllowed);
        }
        let amount = parse_money(
            &mut v,
            "amount",
            input.amount.as_deref().unwrap_or(""),
            s.currency_decimals,
        );
        if amount.is_zero() && !v.has("amount") {
            v.push("amount", ValidationCode::Required);
        }
        (vec![], Totals::default(), amount)
    };
    v.finish()?;
    Ok(Plan {
        title,
        description,
        reference_no,
        lines: clean,
        totals,
        amount,
    })
}

/// A return copies prices from the invoice's lines and never returns more than invoiced.
async fn check_return<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    input: &FinancialInput,
    this: Option<i32>,
    clean: &mut [CleanLine],
    decimals: u32,
) -> AppResult<()> {
    let invoice = match input.parent_record_id {
        None => {
            v.push("parentRecordId", ValidationCode::Required);
            return Ok(());
        }
        Some(id) => fr::Entity::find_by_id(id).one(db).await?,
    };
    let Some(invoice) = invoice.filter(|i| {
        i.kind == FinancialKind::Invoice.as_str()
            && i.status == RecordStatus::Approved.as_str()
            && i.identity_id == input.identity_id
    }) else {
        v.push("parentRecordId", ValidationCode::Invalid);
        return Ok(());
    };
    let source: HashMap<i32, fl::Model> = fl::Entity::find()
        .filter(fl::Column::RecordId.eq(invoice.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let already = returned(db, invoice.id, this).await?;
    let mut asked: HashMap<i32, Decimal> = HashMap::new();
    for (i, line) in clean.iter_mut().enumerate() {
        let Some(src) = line.source_line_id.and_then(|s| source.get(&s)) else {
            v.push(format!("lines.{i}.sourceLineId"), ValidationCode::Invalid);
            continue;
        };
        let total_asked = asked.entry(src.id).or_default();
        *total_asked += line.quantity;
        let left = src.quantity.0 - already.get(&src.id).copied().unwrap_or_default();
        if *total_asked > left {
            v.push_limit(
                format!("lines.{i}.quantity"),
                ValidationCode::OutOfRange,
                Some("0".into()),
                Some(left.normalize().to_string()),
            );
        }
        // Same price, discount share and tax as invoiced.
        let kind = DiscountKind::parse(&src.discount_kind).unwrap_or(DiscountKind::Percent);
        let discount = match kind {
            DiscountKind::Percent => src.discount_value.0,
            DiscountKind::Amount if !src.quantity.0.is_zero() => src.discount_value.0 * line.quantity / src.quantity.0,
            DiscountKind::Amount => Decimal::ZERO,
        };
        line.product_id = src.product_id;
        line.unit_price = src.unit_price.0;
        line.discount_kind = kind;
        line.discount_value = discount;
        line.tax_percent = src.tax_percent.0;
        match crate::domain::lines::line(
            line.quantity,
            line.unit_price,
            kind,
            discount,
            line.tax_percent,
            decimals,
        ) {
            Some(amounts) => line.amounts = amounts,
            None => v.push_limit(
                format!("lines.{i}.quantity"),
                ValidationCode::OutOfRange,
                Some("0".into()),
                Some(left.normalize().to_string()),
            ),
        }
    }
    Ok(())
}

async fn write_lines<C: ConnectionTrait>(db: &C, record: i32, clean: &[CleanLine]) -> AppResult<()> {
    fl::Entity::delete_many()
        .filter(fl::Column::RecordId.eq(record))
        .exec(db)
        .await?;
    for chunk in clean.chunks(200).enumerate() {
        let (c, lines) = chunk;
        fl::Entity::insert_many(lines.iter().enumerate().map(|(i, l)| fl::ActiveModel {
            record_id: Set(record),
            position: Set((c * 200 + i) as i32 + 1),
            product_id: Set(l.product_id),
            source_line_id: Set(l.source_line_id),
            quantity: Set(Fixed4(l.quantity)),
            unit_price: Set(Fixed4(l.unit_price)),
            discount_kind: Set(l.discount_kind.as_str().into()),
            discount_value: Set(Fixed4(l.discount_value)),
            tax_percent: Set(Fixed4(l.tax_percent)),
            tax_amount: Set(Fixed4(l.amounts.tax)),
            final_price: Set(Fixed4(l.amounts.total)),
            description: Set(l.description.clone()),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: FinancialInput,
) -> AppResult<FinancialDetail> {
    let p = plan(db, actor, &input, None).await?;
    let txn = crate::service::begin(db).await?;
    let id = insert(&txn, actor, &input, &p).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

async fn insert<C: ConnectionTrait>(db: &C, actor: &Actor, input: &FinancialInput, p: &Plan) -> AppResult<i32> {
    let at = now();
    let template = settings::numbering_template(db, input.kind.as_str()).await?;
    let number = numbering::next(db, input.kind.as_str(), &template, input.issue_date).await?;
    let m = fr::ActiveModel {
        kind: Set(input.kind.as_str().into()),
        number: Set(number.clone()),
        title: Set(p.title.clone()),
        identity_id: Set(input.identity_id),
        opportunity_id: Set(input.opportunity_id),
        parent_record_id: Set(input.parent_record_id),
        issue_date: Set(input.issue_date),
        status: Set(RecordStatus::Draft.as_str().into()),
        description: Set(p.description.clone()),
        expiry_date: Set(input.expiry_date.filter(|_| input.kind == FinancialKind::Proforma)),
        method: Set(input.method.map(|m| m.as_str().to_owned())),
        reference_no: Set(p.reference_no.clone()),
        contract_kind: Set(input
            .contract_kind
            .filter(|_| input.kind == FinancialKind::Contract)
            .map(|c| c.as_str().to_owned())),
        start_date: Set(input.start_date),
        end_date: Set(input.end_date),
        total_sum: Set(Fixed4(p.totals.sum)),
        total_discount: Set(Fixed4(p.totals.discount)),
        total_tax: Set(Fixed4(p.totals.tax)),
        amount: Set(Fixed4(p.amount)),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(at),
        updated_by: Set(Some(actor.user_id)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    write_lines(db, m.id, &p.lines).await?;
    let mut changes = Changes::new();
    changes.set("kind", &input.kind);
    changes.set("number", &number);
    changes.set("amount", &p.amount);
    changes.write(db, actor, ENTITY, m.id, ChangeAction::Create).await?;
    Ok(m.id)
}

async fn find<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<fr::Model> {
    let m = fr::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    check_visible(db, actor, &m).await?;
    Ok(m)
}

/// Edits a draft. Approved records are locked.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: FinancialInput,
) -> AppResult<FinancialDetail> {
    let old = find(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    if old.status != RecordStatus::Draft.as_str() {
        return Err(AppError::field("status", ValidationCode::ReadOnly));
    }
    if old.kind != input.kind.as_str() {
        return Err(AppError::field("kind", ValidationCode::ReadOnly));
    }
    let p = plan(db, actor, &input, Some(&old)).await?;
    let txn = crate::service::begin(db).await?;
    let res = fr::Entity::update_many()
        .set(fr::ActiveModel {
            title: Set(p.title.clone()),
            identity_id: Set(input.identity_id),
            opportunity_id: Set(input.opportunity_id),
            parent_record_id: Set(input.parent_record_id),
            issue_date: Set(input.issue_date),
            description: Set(p.description.clone()),
            expiry_date: Set(input.expiry_date.filter(|_| input.kind == FinancialKind::Proforma)),
            method: Set(input.method.map(|m| m.as_str().to_owned())),
            reference_no: Set(p.reference_no.clone()),
            contract_kind: Set(input
                .contract_kind
                .filter(|_| input.kind == FinancialKind::Contract)
                .map(|c| c.as_str().to_owned())),
            start_date: Set(input.start_date),
            end_date: Set(input.end_date),
            total_sum: Set(Fixed4(p.totals.sum)),
            total_discount: Set(Fixed4(p.totals.discount)),
            total_tax: Set(Fixed4(p.totals.tax)),
            amount: Set(Fixed4(p.amount)),
            version: Set(version + 1),
            updated_at: Set(now()),
            updated_by: Set(Some(actor.user_id)),
            ..Default::default()
        })
        .filter(fr::Column::Id.eq(id))
        .filter(fr::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    write_lines(&txn, id, &p.lines).await?;
    let mut changes = Changes::new();
    changes.diff("title", &old.title, &p.title);
    changes.diff("issueDate", &old.issue_date, &input.issue_date);
    changes.diff("amount", &old.amount.0, &p.amount);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Approves a draft: from now on it counts in balances and is locked.
pub async fn approve<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<FinancialDetail> {
    let old = find(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    if old.status == RecordStatus::Approved.as_str() {
        return Err(AppError::field("status", ValidationCode::ReadOnly));
    }
    let txn = crate::service::begin(db).await?;
    if old.kind == FinancialKind::SalesReturn.as_str() {
        // Re-check the quantities: another return may have been approved meanwhile.
        let detail = get(&txn, actor, id).await?;
        let input = input_of(&detail);
        plan(&txn, actor, &input, Some(&old)).await?;
    }
    let res = fr::Entity::update_many()
        .col_expr(fr::Column::Status, Expr::value(RecordStatus::Approved.as_str()))
        .col_expr(fr::Column::Version, Expr::value(version + 1))
        .col_expr(fr::Column::UpdatedAt, Expr::value(now()))
        .col_expr(fr::Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(fr::Column::Id.eq(id))
        .filter(fr::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut changes = Changes::new();
    changes.diff("status", &old.status, &RecordStatus::Approved.as_str().to_owned());
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Deletes a draft.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<()> {
    let old = find(db, actor, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    if old.status != RecordStatus::Draft.as_str() {
        return Err(AppError::field("status", ValidationCode::ReadOnly));
    }
    if fr::Entity::find()
        .filter(fr::Column::ParentRecordId.eq(id))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("id", ValidationCode::NotAllowed));
    }
    let txn = crate::service::begin(db).await?;
    fr::Entity::delete_by_id(id).exec(&txn).await?;
    let mut changes = Changes::new();
    changes.diff("number", &Some(old.number), &None);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}

fn input_of(d: &FinancialDetail) -> FinancialInput {
    FinancialInput {
        kind: d.kind,
        identity_id: d.identity_id,
        opportunity_id: d.opportunity_id,
        parent_record_id: d.parent_record_id,
        title: d.title.clone(),
        issue_date: d.issue_date,
        description: d.description.clone(),
        expiry_date: d.expiry_date,
        method: d.method,
        reference_no: d.reference_no.clone(),
        contract_kind: d.contract_kind,
        start_date: d.start_date,
        end_date: d.end_date,
        amount: Some(d.amount.to_string()),
        lines: lines::to_inputs(&d.lines),
    }
}

/// Issue proforma (17) / issue invoice (18): a draft document with the opportunity's
/// lines, for the same identity, as a child record of the opportunity.
pub async fn issue_from_opportunity<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    opportunity_id: i32,
    kind: FinancialKind,
) -> AppResult<FinancialDetail> {
    if !matches!(kind, FinancialKind::Proforma | FinancialKind::Invoice) {
        return Err(AppError::field("kind", ValidationCode::Invalid));
    }
    let o = opp::Entity::find_by_id(opportunity_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("opportunity", opportunity_id))?;
    if !visible_to(&teams::scope(db, actor).await?, &o) {
        return Err(AppError::forbidden("opportunity_not_yours"));
    }
    let src = opportunity_lines::Entity::find()
        .filter(opportunity_lines::Column::OpportunityId.eq(opportunity_id))
        .order_by_asc(opportunity_lines::Column::Position)
        .all(db)
        .await?;
    if src.is_empty() {
        return Err(AppError::field("lines", ValidationCode::Required));
    }
    let today = settings::clock(db).await?.today();
    let input = FinancialInput {
        kind,
        identity_id: o.identity_id,
        opportunity_id: Some(o.id),
        parent_record_id: None,
        title: o.title.clone(),
        issue_date: today,
        description: None,
        expiry_date: (kind == FinancialKind::Proforma).then(|| today + chrono::Duration::days(15)),
        method: None,
        reference_no: None,
        contract_kind: None,
        start_date: None,
        end_date: None,
        amount: None,
        lines: src
            .iter()
            .map(|l| LineInput {
                product_id: l.product_id,
                quantity: l.quantity.0.to_string(),
                unit_price: Some(l.unit_price.0.to_string()),
                discount_kind: DiscountKind::parse(&l.discount_kind).unwrap_or(DiscountKind::Percent),
                discount_value: l.discount_value.0.to_string(),
                description: l.description.clone(),
                source_line_id: None,
            })
            .collect(),
    };
    let allowed: Vec<i32> = src.iter().map(|l| l.product_id).collect();
    let s = settings::get(db).await?;
    let mut v = Validator::new();
    let clean = lines::validate(
        db,
        &mut v,
        &input.lines,
        &allowed,
        Some(s.tax_percent),
        s.currency_decimals,
    )
    .await?;
    v.finish()?;
    let totals = lines::sum(&clean);
    let p = Plan {
        title: input.title.clone(),
        description: None,
        reference_no: None,
        amount: totals.total,
        totals,
        lines: clean,
    };
    let txn = crate::service::begin(db).await?;
    let id = insert(&txn, actor, &input, &p).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// Turns a proforma into an invoice with the same lines (the proforma stays, as the
/// invoice's parent record).
pub async fn invoice_from_proforma<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    proforma_id: i32,
) -> AppResult<FinancialDetail> {
    let pf = get(db, actor, proforma_id).await?;
    if pf.kind != FinancialKind::Proforma {
        return Err(AppError::field("kind", ValidationCode::Invalid));
    }
    let mut input = input_of(&pf);
    input.kind = FinancialKind::Invoice;
    input.parent_record_id = Some(pf.id);
    input.expiry_date = None;
    input.issue_date = settings::clock(db).await?.today();
    let allowed: Vec<i32> = pf.lines.iter().map(|l| l.product_id).collect();
    let s = settings::get(db).await?;
    let mut v = Validator::new();
    let clean = lines::validate(
        db,
        &mut v,
        &input.lines,
        &allowed,
        Some(s.tax_percent),
        s.currency_decimals,
    )
    .await?;
    v.finish()?;
    let totals = lines::sum(&clean);
    let p = Plan {
        title: pf.title.clone(),
        description: pf.description.clone(),
        reference_no: None,
        amount: totals.total,
        totals,
        lines: clean,
    };
    let txn = crate::service::begin(db).await?;
    let id = insert(&txn, actor, &input, &p).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<FinancialDetail> {
    let m = find(db, actor, id).await?;
    let identity_name = identities::Entity::find_by_id(m.identity_id)
        .one(db)
        .await?
        .map(|i| i.display_name)
        .unwrap_or_default();
    let rows = fl::Entity::find()
        .filter(fl::Column::RecordId.eq(id))
        .order_by_asc(fl::Column::Position)
        .all(db)
        .await?;
    let labels = lines::product_labels(db, rows.iter().map(|l| l.product_id).collect()).await?;
    let lines = rows
        .into_iter()
        .map(|l| {
            let (code, name, unit_fa, unit_en) = labels.get(&l.product_id).cloned().unwrap_or_default();
            let net = l.final_price.0 - l.tax_amount.0;
            LineOut {
                id: l.id,
                position: l.position,
                product_id: l.product_id,
                product_code: code,
                product_name: name,
                unit_fa,
                unit_en,
                quantity: l.quantity.0,
                unit_price: l.unit_price.0,
                discount_kind: DiscountKind::parse(&l.discount_kind).unwrap_or(DiscountKind::Percent),
                discount_value: l.discount_value.0,
                discount_amount: (l.quantity.0 * l.unit_price.0 - net).normalize(),
                tax_percent: l.tax_percent.0,
                tax_amount: l.tax_amount.0,
                net,
                total: l.final_price.0,
                description: l.description,
                source_line_id: l.source_line_id,
            }
        })
        .collect();
    Ok(FinancialDetail {
        id: m.id,
        kind: FinancialKind::parse(&m.kind).unwrap_or(FinancialKind::Invoice),
        number: m.number,
        title: m.title,
        identity_id: m.identity_id,
        identity_name,
        opportunity_id: m.opportunity_id,
        parent_record_id: m.parent_record_id,
        issue_date: m.issue_date,
        status: RecordStatus::parse(&m.status).unwrap_or(RecordStatus::Draft),
        description: m.description,
        expiry_date: m.expiry_date,
        method: m.method.as_deref().and_then(PaymentMethod::parse),
        reference_no: m.reference_no,
        contract_kind: m.contract_kind.as_deref().and_then(ContractKind::parse),
        start_date: m.start_date,
        end_date: m.end_date,
        amount: m.amount.0,
        totals: TotalsOut {
            sum: m.total_sum.0,
            discount: m.total_discount.0,
            tax: m.total_tax.0,
            total: m.amount.0,
        },
        lines,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}
