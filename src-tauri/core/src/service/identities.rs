//! Identities: the people and organizations the company deals with (domain §1).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashMap;

use super::changelog::Changes;
use super::{balances, campaigns, now, numbering, paging, settings, system_lists, users, Actor, Page};
use crate::domain::validate::{search_fold, NAME_MAX, NOTE_MAX};
use crate::domain::{ChangeAction, IdentityKind, IdentityRole, PhoneKind, SystemListKey, ValidationCode, Validator};
use crate::entity::{identities, identity_addresses, identity_emails, identity_phones};
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "identity";

#[derive(Debug, Clone, Default, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentityQuery {
    /// Matches the name, customer number, phone numbers and e-mails.
    pub search: Option<String>,
    pub kind: Option<IdentityKind>,
    pub role: Option<IdentityRole>,
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySummary {
    pub id: i32,
    pub kind: IdentityKind,
    pub display_name: String,
    pub customer_number: String,
    pub is_customer: bool,
    pub is_competitor: bool,
    pub is_supplier: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub city: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PhoneInput {
    pub kind: PhoneKind,
    pub number: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EmailInput {
    pub address: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddressInput {
    pub city: Option<String>,
    pub text: String,
    pub postal_code: Option<String>,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentityInput {
    pub kind: IdentityKind,
    pub prefix_id: Option<i32>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organization_name: Option<String>,
    pub national_code: Option<String>,
    pub economic_code: Option<String>,
    pub is_customer: bool,
    pub is_competitor: bool,
    pub is_supplier: bool,
    /// "How acquainted": the same system list as the opportunity's source.
    pub source_id: Option<i32>,
    pub campaign_id: Option<i32>,
    pub responsible_user_id: Option<i32>,
    pub notes: Option<String>,
    pub phones: Vec<PhoneInput>,
    pub emails: Vec<EmailInput>,
    pub addresses: Vec<AddressInput>,
}

impl IdentityInput {
    /// A person with just a name (handy for quick-create and tests).
    pub fn person(first: &str, last: &str) -> Self {
        Self {
            kind: IdentityKind::Person,
            prefix_id: None,
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            organization_name: None,
            national_code: None,
            economic_code: None,
            is_customer: true,
            is_competitor: false,
            is_supplier: false,
            source_id: None,
            campaign_id: None,
            responsible_user_id: None,
            notes: None,
            phones: vec![],
            emails: vec![],
            addresses: vec![],
        }
    }

    pub fn organization(name: &str) -> Self {
        Self {
            kind: IdentityKind::Organization,
            first_name: None,
            last_name: None,
            organization_name: Some(name.into()),
            ..Self::person("", "")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PhoneOut {
    pub id: i32,
    pub kind: PhoneKind,
    pub number: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EmailOut {
    pub id: i32,
    pub address: String,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddressOut {
    pub id: i32,
    pub city: Option<String>,
    pub text: String,
    pub postal_code: Option<String>,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentityDetail {
    pub id: i32,
    pub kind: IdentityKind,
    pub display_name: String,
    pub customer_number: String,
    pub is_customer: bool,
    pub is_competitor: bool,
    pub is_supplier: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub city: Option<String>,
    pub created_at: DateTime<Utc>,
    pub prefix_id: Option<i32>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organization_name: Option<String>,
    pub national_code: Option<String>,
    pub economic_code: Option<String>,
    pub source_id: Option<i32>,
    pub campaign_id: Option<i32>,
    pub responsible_user_id: Option<i32>,
    pub notes: Option<String>,
    pub phones: Vec<PhoneOut>,
    pub emails: Vec<EmailOut>,
    pub addresses: Vec<AddressOut>,
    /// Over all approved financial records: positive = the customer owes.
    #[serde(with = "rust_decimal::serde::str")]
    #[specta(type = String)]
    pub balance: rust_decimal::Decimal,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A validated input, ready to write.
struct Clean {
    first_name: Option<String>,
    last_name: Option<String>,
    organization_name: Option<String>,
    display_name: String,
    national_code: Option<String>,
    economic_code: Option<String>,
    notes: Option<String>,
    phones: Vec<PhoneInput>,
    emails: Vec<EmailInput>,
    addresses: Vec<AddressInput>,
}

/// The name shown everywhere: "first last" for people, the name for organizations.
pub fn display_name(kind: IdentityKind, first: Option<&str>, last: Option<&str>, org: Option<&str>) -> String {
    match kind {
        IdentityKind::Person => [first, last].into_iter().flatten().collect::<Vec<_>>().join(" "),
        IdentityKind::Organization => org.unwrap_or_default().to_owned(),
    }
}

async fn validate<C: ConnectionTrait>(
    db: &C,
    input: &IdentityInput,
    previous: Option<&identities::Model>,
) -> AppResult<Clean> {
    let mut v = Validator::new();
    let (first_name, last_name, organization_name) = match input.kind {
        IdentityKind::Person => {
            let first = v.optional_text("firstName", input.first_name.as_deref(), NAME_MAX);
            let last = v.required_text("lastName", input.last_name.as_deref().unwrap_or(""), NAME_MAX);
            (first, Some(last), None)
        }
        IdentityKind::Organization => {
            let org = v.required_text(
                "organizationName",
                input.organization_name.as_deref().unwrap_or(""),
                NAME_MAX,
            );
            (None, None, Some(org))
        }
    };
    let national_code = v
        .optional_text("nationalCode", input.national_code.as_deref(), 20)
        .map(|c| v.digits("nationalCode", &c, 6, 20));
    let economic_code = v
        .optional_text("economicCode", input.economic_code.as_deref(), 20)
        .map(|c| v.digits("economicCode", &c, 6, 20));
    let notes = v.optional_text("notes", input.notes.as_deref(), NOTE_MAX);

    if input.kind == IdentityKind::Person {
        system_lists::check_ref(
            db,
            &mut v,
            "prefixId",
            SystemListKey::PersonPrefix,
            input.prefix_id,
            previous.and_then(|p| p.prefix_id),
        )
        .await?;
    }
    system_lists::check_ref(
        db,
        &mut v,
        "sourceId",
        SystemListKey::Source,
        input.source_id,
        previous.and_then(|p| p.source_id),
    )
    .await?;
    campaigns::check_ref(
        db,
        &mut v,
        "campaignId",
        input.campaign_id,
        previous.and_then(|p| p.campaign_id),
    )
    .await?;
    if input.responsible_user_id != previous.and_then(|p| p.responsible_user_id) {
        users::check_assignable(db, &mut v, "responsibleUserId", input.responsible_user_id).await?;
    }

    if input.phones.len() > 20 {
        v.push_limit("phones", ValidationCode::TooLong, None, Some("20".into()));
    }
    let mut phones = vec![];
    for (i, p) in input.phones.iter().enumerate() {
        let field = format!("phones.{i}.number");
        let number = crate::domain::validate::normalize_digits(&v.required_text(&field, &p.number, 40));
        if !number.is_empty() && !number.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
            v.push(field, ValidationCode::Invalid);
        }
        phones.push(PhoneInput {
            kind: p.kind,
            number,
            is_default: p.is_default,
        });
    }
    if input.emails.len() > 20 {
        v.push_limit("emails", ValidationCode::TooLong, None, Some("20".into()));
    }
    let mut emails = vec![];
    for (i, e) in input.emails.iter().enumerate() {
        let field = format!("emails.{i}.address");
        let address = v.required_text(&field, &e.address, 254);
        if !v.has(&field) {
            v.email(&field, &address);
        }
        emails.push(EmailInput {
            address: address.to_lowercase(),
            is_default: e.is_default,
        });
    }
    if input.addresses.len() > 20 {
        v.push_limit("addresses", ValidationCode::TooLong, None, Some("20".into()));
    }
    let mut addresses = vec![];
    for (i, a) in input.addresses.iter().enumerate() {
        let city = v.optional_text(&format!("addresses.{i}.city"), a.city.as_deref(), 100);
        let text = v.required_text(&format!("addresses.{i}.text"), &a.text, 1000);
        let postal_code = v
            .optional_text(&format!("addresses.{i}.postalCode"), a.postal_code.as_deref(), 20)
            .map(|c| crate::domain::validate::normalize_digits(&c));
        addresses.push(AddressInput {
            city,
            text,
            postal_code,
            is_default: a.is_default,
        });
    }
    v.finish()?;
    fix_defaults(&mut phones, |p| &mut p.is_default);
    fix_defaults(&mut emails, |e| &mut e.is_default);
    fix_defaults(&mut addresses, |a| &mut a.is_default);
    let display_name = display_name(
        input.kind,
        first_name.as_deref(),
        last_name.as_deref(),
        organization_name.as_deref(),
    );
    Ok(Clean {
        first_name,
        last_name,
        organization_name,
        display_name,
        national_code,
        economic_code,
        notes,
        phones,
        emails,
        addresses,
    })
}

/// Exactly one default per list: the first flagged one, or the first entry.
fn fix_defaults<T>(items: &mut [T], flag: impl Fn(&mut T) -> &mut bool) {
    let first = items.iter_mut().position(|i| *flag(i)).unwrap_or(0);
    for (n, item) in items.iter_mut().enumerate() {
        *flag(item) = n == first;
    }
}

/// The key identities are found by name with: the folded display name (`name_key`).
pub fn name_key(display_name: &str) -> String {
    search_fold(display_name.trim()).chars().take(420).collect()
}

fn search_text(c: &Clean, customer_number: &str) -> String {
    let mut parts = vec![c.display_name.clone(), customer_number.to_owned()];
    parts.extend(
        c.phones
            .iter()
            .map(|p| p.number.chars().filter(|ch| ch.is_ascii_digit()).collect()),
    );
    parts.extend(c.emails.iter().map(|e| e.address.clone()));
    parts.extend(c.national_code.clone());
    parts.extend(c.economic_code.clone());
    let s = search_fold(&parts.join(" "));
    s.chars().take(1000).collect()
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: IdentityInput,
) -> AppResult<IdentityDetail> {
    let clean = validate(db, &input, None).await?;
    let txn = crate::service::begin(db).await?;
    let at = now();
    let template = settings::numbering_template(&txn, "identity").await?;
    let number = numbering::next(&txn, "identity", &template, at.date_naive()).await?;
    let model = identities::ActiveModel {
        kind: Set(input.kind.as_str().into()),
        prefix_id: Set(if input.kind == IdentityKind::Person {
            input.prefix_id
        } else {
            None
        }),
        first_name: Set(clean.first_name.clone()),
        last_name: Set(clean.last_name.clone()),
        organization_name: Set(clean.organization_name.clone()),
        display_name: Set(clean.display_name.clone()),
        name_key: Set(name_key(&clean.display_name)),
        search_text: Set(search_text(&clean, &number)),
        national_code: Set(clean.national_code.clone()),
        economic_code: Set(clean.economic_code.clone()),
        customer_number: Set(number),
        is_customer: Set(input.is_customer),
        is_competitor: Set(input.is_competitor),
        is_supplier: Set(input.is_supplier),
        source_id: Set(input.source_id),
        campaign_id: Set(input.campaign_id),
        responsible_user_id: Set(input.responsible_user_id),
        notes: Set(clean.notes.clone()),
        version: Set(1),
        created_at: Set(at),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(at),
        updated_by: Set(Some(actor.user_id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    write_contacts(&txn, model.id, &clean).await?;
    let mut changes = Changes::new();
    changes.set("kind", &input.kind);
    changes.set("displayName", &clean.display_name);
    changes.set("customerNumber", &model.customer_number);
    changes.set("nationalCode", &clean.national_code);
    changes.set("economicCode", &clean.economic_code);
    changes.set("sourceId", &input.source_id);
    changes.set("campaignId", &input.campaign_id);
    changes.set("responsibleUserId", &input.responsible_user_id);
    changes
        .write(&txn, actor, ENTITY, model.id, ChangeAction::Create)
        .await?;
    txn.commit().await?;
    get(db, model.id).await
}

/// Saves the Specifications tab. `version` must be the version the user loaded.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: IdentityInput,
) -> AppResult<IdentityDetail> {
    let old = identities::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let clean = validate(db, &input, Some(&old)).await?;
    let txn = crate::service::begin(db).await?;
    let at = now();
    let res = identities::Entity::update_many()
        .col_expr(identities::Column::Kind, Expr::value(input.kind.as_str()))
        .col_expr(
            identities::Column::PrefixId,
            Expr::value(if input.kind == IdentityKind::Person {
                input.prefix_id
            } else {
                None
            }),
        )
        .col_expr(identities::Column::FirstName, Expr::value(clean.first_name.clone()))
        .col_expr(identities::Column::LastName, Expr::value(clean.last_name.clone()))
        .col_expr(
            identities::Column::OrganizationName,
            Expr::value(clean.organization_name.clone()),
        )
        .col_expr(identities::Column::DisplayName, Expr::value(clean.display_name.clone()))
        .col_expr(identities::Column::NameKey, Expr::value(name_key(&clean.display_name)))
        .col_expr(
            identities::Column::SearchText,
            Expr::value(search_text(&clean, &old.customer_number)),
        )
        .col_expr(
            identities::Column::NationalCode,
            Expr::value(clean.national_code.clone()),
        )
        .col_expr(
            identities::Column::EconomicCode,
            Expr::value(clean.economic_code.clone()),
        )
        .col_expr(identities::Column::IsCustomer, Expr::value(input.is_customer))
        .col_expr(identities::Column::IsCompetitor, Expr::value(input.is_competitor))
        .col_expr(identities::Column::IsSupplier, Expr::value(input.is_supplier))
        .col_expr(identities::Column::SourceId, Expr::value(input.source_id))
        .col_expr(identities::Column::CampaignId, Expr::value(input.campaign_id))
        .col_expr(
            identities::Column::ResponsibleUserId,
            Expr::value(input.responsible_user_id),
        )
        .col_expr(identities::Column::Notes, Expr::value(clean.notes.clone()))
        .col_expr(identities::Column::Version, Expr::value(version + 1))
        .col_expr(identities::Column::UpdatedAt, Expr::value(at))
        .col_expr(identities::Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(identities::Column::Id.eq(id))
        .filter(identities::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let old_contacts = get(&txn, id).await?;
    identity_phones::Entity::delete_many()
        .filter(identity_phones::Column::IdentityId.eq(id))
        .exec(&txn)
        .await?;
    identity_emails::Entity::delete_many()
        .filter(identity_emails::Column::IdentityId.eq(id))
        .exec(&txn)
        .await?;
    identity_addresses::Entity::delete_many()
        .filter(identity_addresses::Column::IdentityId.eq(id))
        .exec(&txn)
        .await?;
    write_contacts(&txn, id, &clean).await?;

    let mut changes = Changes::new();
    changes.diff("kind", &IdentityKind::parse(&old.kind), &Some(input.kind));
    changes.diff("displayName", &old.display_name, &clean.display_name);
    changes.diff("nationalCode", &old.national_code, &clean.national_code);
    changes.diff("economicCode", &old.economic_code, &clean.economic_code);
    changes.diff("isCustomer", &old.is_customer, &input.is_customer);
    changes.diff("isCompetitor", &old.is_competitor, &input.is_competitor);
    changes.diff("isSupplier", &old.is_supplier, &input.is_supplier);
    changes.diff("sourceId", &old.source_id, &input.source_id);
    changes.diff("campaignId", &old.campaign_id, &input.campaign_id);
    changes.diff(
        "responsibleUserId",
        &old.responsible_user_id,
        &input.responsible_user_id,
    );
    changes.diff("notes", &old.notes, &clean.notes);
    let old_phones: Vec<&str> = old_contacts.phones.iter().map(|p| p.number.as_str()).collect();
    let new_phones: Vec<&str> = clean.phones.iter().map(|p| p.number.as_str()).collect();
    changes.diff("phones", &old_phones, &new_phones);
    let old_emails: Vec<&str> = old_contacts.emails.iter().map(|e| e.address.as_str()).collect();
    let new_emails: Vec<&str> = clean.emails.iter().map(|e| e.address.as_str()).collect();
    changes.diff("emails", &old_emails, &new_emails);
    let old_addr: Vec<&str> = old_contacts.addresses.iter().map(|a| a.text.as_str()).collect();
    let new_addr: Vec<&str> = clean.addresses.iter().map(|a| a.text.as_str()).collect();
    changes.diff("addresses", &old_addr, &new_addr);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    get(db, id).await
}

async fn write_contacts<C: ConnectionTrait>(db: &C, id: i32, c: &Clean) -> AppResult<()> {
    for p in &c.phones {
        identity_phones::ActiveModel {
            identity_id: Set(id),
            kind: Set(p.kind.as_str().into()),
            number: Set(p.number.clone()),
            is_default: Set(p.is_default),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for e in &c.emails {
        identity_emails::ActiveModel {
            identity_id: Set(id),
            address: Set(e.address.clone()),
            is_default: Set(e.is_default),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for a in &c.addresses {
        identity_addresses::ActiveModel {
            identity_id: Set(id),
            city: Set(a.city.clone()),
            text: Set(a.text.clone()),
            postal_code: Set(a.postal_code.clone()),
            is_default: Set(a.is_default),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<IdentityDetail> {
    let m = identities::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    let phones = identity_phones::Entity::find()
        .filter(identity_phones::Column::IdentityId.eq(id))
        .order_by_asc(identity_phones::Column::Id)
        .all(db)
        .await?;
    let emails = identity_emails::Entity::find()
        .filter(identity_emails::Column::IdentityId.eq(id))
        .order_by_asc(identity_emails::Column::Id)
        .all(db)
        .await?;
    let addresses = identity_addresses::Entity::find()
        .filter(identity_addresses::Column::IdentityId.eq(id))
        .order_by_asc(identity_addresses::Column::Id)
        .all(db)
        .await?;
    let balance = balances::identity_balance(db, id).await?;
    let phone = phones
        .iter()
        .find(|p| p.is_default)
        .or(phones.first())
        .map(|p| p.number.clone());
    let email = emails
        .iter()
        .find(|p| p.is_default)
        .or(emails.first())
        .map(|p| p.address.clone());
    let city = addresses
        .iter()
        .find(|p| p.is_default)
        .or(addresses.first())
        .and_then(|p| p.city.clone());
    Ok(IdentityDetail {
        id: m.id,
        kind: IdentityKind::parse(&m.kind).unwrap_or(IdentityKind::Person),
        display_name: m.display_name,
        customer_number: m.customer_number,
        is_customer: m.is_customer,
        is_competitor: m.is_competitor,
        is_supplier: m.is_supplier,
        phone,
        email,
        city,
        created_at: m.created_at,
        prefix_id: m.prefix_id,
        first_name: m.first_name,
        last_name: m.last_name,
        organization_name: m.organization_name,
        national_code: m.national_code,
        economic_code: m.economic_code,
        source_id: m.source_id,
        campaign_id: m.campaign_id,
        responsible_user_id: m.responsible_user_id,
        notes: m.notes,
        phones: phones
            .into_iter()
            .map(|p| PhoneOut {
                id: p.id,
                kind: PhoneKind::parse(&p.kind).unwrap_or(PhoneKind::Phone),
                number: p.number,
                is_default: p.is_default,
            })
            .collect(),
        emails: emails
            .into_iter()
            .map(|e| EmailOut {
                id: e.id,
                address: e.address,
                is_default: e.is_default,
            })
            .collect(),
        addresses: addresses
            .into_iter()
            .map(|a| AddressOut {
                id: a.id,
                city: a.city,
                text: a.text,
                postal_code: a.postal_code,
                is_default: a.is_default,
            })
            .collect(),
        balance,
        version: m.version,
        updated_at: m.updated_at,
    })
}

pub async fn list<C: ConnectionTrait>(db: &C, query: IdentityQuery) -> AppResult<Page<IdentitySummary>> {
    let (page, page_size) = paging(query.page, query.page_size);
    let mut q = identities::Entity::find();
    if let Some(term) = query.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let term: String = search_fold(term).chars().take(200).collect();
        // The trigram index (FTS5 on SQLite) for terms it answers; PostgreSQL's
        // pg_trgm index serves the plain LIKE itself.
        q = if db.get_database_backend() == sea_orm::DbBackend::Sqlite
            && term.chars().count() >= super::pipeline::INDEXED_TERM_MIN
        {
            q.filter(identities::Column::Id.in_subquery(super::pipeline::indexed_ids("identity_search", &term)))
        } else {
            q.filter(Expr::col(identities::Column::SearchText).like(super::like_term(&term)))
        };
    }
    if let Some(kind) = query.kind {
        q = q.filter(identities::Column::Kind.eq(kind.as_str()));
    }
    q = match query.role {
        Some(IdentityRole::Customer) => q.filter(identities::Column::IsCustomer.eq(true)),
        Some(IdentityRole::Competitor) => q.filter(identities::Column::IsCompetitor.eq(true)),
        Some(IdentityRole::Supplier) => q.filter(identities::Column::IsSupplier.eq(true)),
        None => q,
    };
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(identities::Column::CreatedAt)
        .order_by_desc(identities::Column::Id)
        .offset(super::page_offset(page, page_size))
        .limit(page_size as u64)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut phones: HashMap<i32, String> = HashMap::new();
    for p in identity_phones::Entity::find()
        .filter(identity_phones::Column::IdentityId.is_in(ids.clone()))
        .order_by_desc(identity_phones::Column::IsDefault)
        .order_by_desc(identity_phones::Column::Id)
        .all(db)
        .await?
    {
        phones.insert(p.identity_id, p.number);
    }
    let mut emails: HashMap<i32, String> = HashMap::new();
    for e in identity_emails::Entity::find()
        .filter(identity_emails::Column::IdentityId.is_in(ids.clone()))
        .order_by_desc(identity_emails::Column::IsDefault)
        .order_by_desc(identity_emails::Column::Id)
        .all(db)
        .await?
    {
        emails.insert(e.identity_id, e.address);
    }
    let mut cities: HashMap<i32, String> = HashMap::new();
    for a in identity_addresses::Entity::find()
        .filter(identity_addresses::Column::IdentityId.is_in(ids))
        .order_by_desc(identity_addresses::Column::IsDefault)
        .order_by_desc(identity_addresses::Column::Id)
        .all(db)
        .await?
    {
        if let Some(city) = a.city {
            cities.insert(a.identity_id, city);
        }
    }
    let items = rows
        .into_iter()
        .map(|m| IdentitySummary {
            id: m.id,
            kind: IdentityKind::parse(&m.kind).unwrap_or(IdentityKind::Person),
            display_name: m.display_name,
            customer_number: m.customer_number,
            is_customer: m.is_customer,
            is_competitor: m.is_competitor,
            is_supplier: m.is_supplier,
            phone: phones.remove(&m.id),
            email: emails.remove(&m.id),
            city: cities.remove(&m.id),
            created_at: m.created_at,
        })
        .collect();
    Ok(Page {
        items,
        total: total as u32,
        page,
        page_size,
    })
}

/// Identities whose name matches `name` exactly (after folding), for the duplicate-name
/// warning. Excludes `except` (the record being edited).
pub async fn same_name<C: ConnectionTrait>(db: &C, name: &str, except: Option<i32>) -> AppResult<Vec<IdentitySummary>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(vec![]);
    }
    let candidates = identities::Entity::find()
        .filter(identities::Column::NameKey.eq(key))
        .order_by_asc(identities::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    Ok(candidates
        .into_iter()
        .filter(|m| Some(m.id) != except)
        .map(|m| IdentitySummary {
            id: m.id,
            kind: IdentityKind::parse(&m.kind).unwrap_or(IdentityKind::Person),
            display_name: m.display_name,
            customer_number: m.customer_number,
            is_customer: m.is_customer,
            is_competitor: m.is_competitor,
            is_supplier: m.is_supplier,
            phone: None,
            email: None,
            city: None,
            created_at: m.created_at,
        })
        .collect())
}

/// Fills `name_key` of identities written before it existed (or by hand-written SQL),
/// a thousand at a time. Run at start; a no-op once every key is set.
pub async fn fill_name_keys<C: ConnectionTrait>(db: &C) -> AppResult<u64> {
    let mut filled = 0;
    loop {
        let batch = identities::Entity::find()
            .filter(identities::Column::NameKey.eq(""))
            .order_by_asc(identities::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        if batch.is_empty() {
            return Ok(filled);
        }
        for m in batch {
            let key = name_key(&m.display_name);
            // A name that folds to nothing keeps a key no lookup asks for.
            let key = if key.is_empty() { " ".to_owned() } else { key };
            identities::Entity::update_many()
                .col_expr(identities::Column::NameKey, Expr::value(key))
                .filter(identities::Column::Id.eq(m.id))
                .exec(db)
                .await?;
            filled += 1;
        }
    }
}
