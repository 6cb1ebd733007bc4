//! Custom field definitions (personalization) and the values records carry.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::{settings, Actor};
use crate::domain::validate::{NAME_MAX, NOTE_MAX};
use crate::domain::{ChangeAction, CustomFieldEntity, CustomFieldType, ValidationCode, Validator};
use crate::entity::{custom_field_values, custom_fields, identities, opportunities, users};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ChoiceOption {
    pub key: String,
    pub fa: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldDef {
    pub id: i32,
    pub entity: CustomFieldEntity,
    pub key: String,
    pub title_fa: String,
    pub title_en: String,
    pub field_type: CustomFieldType,
    pub required: bool,
    pub help_fa: Option<String>,
    pub help_en: Option<String>,
    pub group_fa: Option<String>,
    pub group_en: Option<String>,
    pub sort_order: i32,
    pub options: Vec<ChoiceOption>,
    pub active: bool,
    pub version: i32,
}

impl From<custom_fields::Model> for CustomFieldDef {
    fn from(m: custom_fields::Model) -> Self {
        Self {
            id: m.id,
            entity: CustomFieldEntity::parse(&m.entity).unwrap_or(CustomFieldEntity::Opportunity),
            key: m.key,
            title_fa: m.title_fa,
            title_en: m.title_en,
            field_type: CustomFieldType::parse(&m.field_type).unwrap_or(CustomFieldType::Text),
            required: m.required,
            help_fa: m.help_fa,
            help_en: m.help_en,
            group_fa: m.group_fa,
            group_en: m.group_en,
            sort_order: m.sort_order,
            options: m
                .options
                .as_deref()
                .and_then(|o| serde_json::from_str(o).ok())
                .unwrap_or_default(),
            active: m.active,
            version: m.version,
        }
    }
}

/// The value of one custom field as the form sends it: canonical text
/// (numbers and money as decimal strings, dates ISO, yes/no "true"/"false",
/// choices by option key, users and identities by id). `null` or "" clears it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomValue {
    pub field_id: i32,
    pub value: Option<String>,
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    entity: CustomFieldEntity,
    include_inactive: bool,
) -> AppResult<Vec<CustomFieldDef>> {
    let mut q = custom_fields::Entity::find()
        .filter(custom_fields::Column::Entity.eq(entity.as_str()))
        .order_by_asc(custom_fields::Column::SortOrder)
        .order_by_asc(custom_fields::Column::Id);
    if !include_inactive {
        q = q.filter(custom_fields::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

/// The stored values of one record.
pub async fn values<C: ConnectionTrait>(
    db: &C,
    entity: CustomFieldEntity,
    record_id: i32,
) -> AppResult<Vec<CustomValue>> {
    let ids: Vec<i32> = list(db, entity, true).await?.into_iter().map(|f| f.id).collect();
    Ok(custom_field_values::Entity::find()
        .filter(custom_field_values::Column::RecordId.eq(record_id))
        .filter(custom_field_values::Column::FieldId.is_in(ids))
        .order_by_asc(custom_field_values::Column::FieldId)
        .all(db)
        .await?
        .into_iter()
        .map(|v| CustomValue {
            field_id: v.field_id,
            value: Some(v.value),
        })
        .collect())
}

/// Validates the values of a record against the active definitions and returns the
/// canonical values to store (field id → value). Required fields must have a value.
pub async fn validate<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    entity: CustomFieldEntity,
    input: &[CustomValue],
    currency_decimals: u32,
) -> AppResult<HashMap<i32, Option<String>>> {
    let defs = list(db, entity, false).await?;
    validate_with(db, v, &defs, input, currency_decimals).await
}

/// [`validate`] against definitions already read (`defs`: the active fields of the
/// entity).
pub async fn validate_with<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    defs: &[CustomFieldDef],
    input: &[CustomValue],
    currency_decimals: u32,
) -> AppResult<HashMap<i32, Option<String>>> {
    let defs: HashMap<i32, &CustomFieldDef> = defs.iter().map(|d| (d.id, d)).collect();
    let mut out = HashMap::new();
    for cv in input {
        let field = format!("customFields.{}", cv.field_id);
        let Some(def) = defs.get(&cv.field_id) else {
            v.push(field, ValidationCode::UnknownReference);
            continue;
        };
        let raw = cv.value.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let value = match raw {
            None => None,
            Some(raw) => canonical(db, v, &field, def, raw, currency_decimals).await?,
        };
        out.insert(cv.field_id, value);
    }
    for def in defs.values() {
        if def.required && out.get(&def.id).map(|v| v.is_none()).unwrap_or(true) {
            let field = format!("customFields.{}", def.id);
            if !v.has(&field) {
                v.push(field, ValidationCode::Required);
            }
        }
    }
    Ok(out)
}

async fn canonical<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    field: &str,
    def: &CustomFieldDef,
    raw: &str,
    currency_decimals: u32,
) -> AppResult<Option<String>> {
    let normalized = crate::domain::validate::normalize_digits(raw);
    Ok(match def.field_type {
        CustomFieldType::Text => v.optional_text(field, Some(raw), 500),
        CustomFieldType::MultilineText => v.optional_text(field, Some(raw), NOTE_MAX),
        CustomFieldType::Number => v.number(field, raw).map(|d| v.exact(field, d, true).to_string()),
        CustomFieldType::Money => v
            .number(field, raw)
            .map(|d| v.money(field, d, currency_decimals, true).to_string()),
        CustomFieldType::Date => match NaiveDate::parse_from_str(&normalized, "%Y-%m-%d") {
            Ok(d) => Some(d.to_string()),
            Err(_) => {
                v.push(field, ValidationCode::Invalid);
                None
            }
        },
        CustomFieldType::YesNo => match normalized.as_str() {
            "true" | "false" => Some(normalized),
            _ => {
                v.push(field, ValidationCode::Invalid);
                None
            }
        },
        CustomFieldType::Choice => {
            if def.options.iter().any(|o| o.key == normalized) {
                Some(normalized)
            } else {
                v.push(field, ValidationCode::Invalid);
                None
            }
        }
        CustomFieldType::User => match normalized.parse::<i32>() {
            Ok(id) if users::Entity::find_by_id(id).one(db).await?.is_some() => Some(id.to_string()),
            _ => {
                v.push(field, ValidationCode::UnknownReference);
                None
            }
        },
        CustomFieldType::Identity => match normalized.parse::<i32>() {
            Ok(id) if identities::Entity::find_by_id(id).one(db).await?.is_some() => Some(id.to_string()),
            _ => {
                v.push(field, ValidationCode::UnknownReference);
                None
            }
        },
    })
}

/// The most custom fields one entity may have.
pub const MAX_FIELDS_PER_ENTITY: u64 = 200;

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldInput {
    pub entity: CustomFieldEntity,
    pub title_fa: String,
    pub title_en: String,
    pub field_type: CustomFieldType,
    pub required: bool,
    pub help_fa: Option<String>,
    pub help_en: Option<String>,
    pub group_fa: Option<String>,
    pub group_en: Option<String>,
    pub options: Vec<ChoiceOption>,
    pub active: bool,
    /// Fills records that lack a value when the field becomes required.
    pub default_value: Option<String>,
}

struct CleanDef {
    title_fa: String,
    title_en: String,
    help_fa: Option<String>,
    help_en: Option<String>,
    group_fa: Option<String>,
    group_en: Option<String>,
    options: Option<String>,
}

fn validate_def(v: &mut Validator, input: &CustomFieldInput) -> CleanDef {
    let title_fa = v.required_text("titleFa", &input.title_fa, NAME_MAX);
    let title_en = v.required_text("titleEn", &input.title_en, NAME_MAX);
    let help_fa = v.optional_text("helpFa", input.help_fa.as_deref(), 1000);
    let help_en = v.optional_text("helpEn", input.help_en.as_deref(), 1000);
    let group_fa = v.optional_text("groupFa", input.group_fa.as_deref(), NAME_MAX);
    let group_en = v.optional_text("groupEn", input.group_en.as_deref(), NAME_MAX);
    let options = if input.field_type == CustomFieldType::Choice {
        if input.options.is_empty() {
            v.push("options", ValidationCode::Required);
        }
        let mut keys = HashSet::new();
        for (i, o) in input.options.iter().enumerate() {
            if o.key.trim().is_empty() || !keys.insert(o.key.trim().to_owned()) {
                v.push(
                    format!("options.{i}.key"),
                    if o.key.trim().is_empty() {
                        ValidationCode::Required
                    } else {
                        ValidationCode::Duplicate
                    },
                );
            }
            v.required_text(&format!("options.{i}.fa"), &o.fa, NAME_MAX);
            v.required_text(&format!("options.{i}.en"), &o.en, NAME_MAX);
        }
        Some(serde_json::to_string(&input.options).unwrap_or_else(|_| "[]".into()))
    } else {
        None
    };
    CleanDef {
        title_fa,
        title_en,
        help_fa,
        help_en,
        group_fa,
        group_en,
        options,
    }
}

fn as_def(input: &CustomFieldInput, clean: &CleanDef, id: i32) -> CustomFieldDef {
    CustomFieldDef {
        id,
        entity: input.entity,
        key: String::new(),
        title_fa: clean.title_fa.clone(),
        title_en: clean.title_en.clone(),
        field_type: input.field_type,
        required: input.required,
        help_fa: None,
        help_en: None,
        group_fa: None,
        group_en: None,
        sort_order: 0,
        options: input.options.clone(),
        active: input.active,
        version: 0,
    }
}

/// Record ids of an entity that have no value for `field_id`.
async fn records_lacking<C: ConnectionTrait>(db: &C, entity: CustomFieldEntity, field_id: i32) -> AppResult<Vec<i32>> {
    let have: HashSet<i32> = custom_field_values::Entity::find()
        .filter(custom_field_values::Column::FieldId.eq(field_id))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.record_id)
        .collect();
    let all: Vec<i32> = match entity {
        CustomFieldEntity::Opportunity => {
            opportunities::Entity::find()
                .select_only()
                .column(opportunities::Column::Id)
                .into_tuple()
                .all(db)
                .await?
        }
        CustomFieldEntity::Identity => {
            identities::Entity::find()
                .select_only()
                .column(identities::Column::Id)
                .into_tuple()
                .all(db)
                .await?
        }
    };
    Ok(all.into_iter().filter(|id| !have.contains(id)).collect())
}

async fn backfill<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    input: &CustomFieldInput,
    def: &CustomFieldDef,
    decimals: u32,
) -> AppResult<Option<(Vec<i32>, String)>> {
    let lacking = records_lacking(db, input.entity, def.id).await?;
    if lacking.is_empty() {
        return Ok(None);
    }
    let raw = input.default_value.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let Some(raw) = raw else {
        v.push("defaultValue", ValidationCode::Required);
        return Ok(None);
    };
    Ok(canonical(db, v, "defaultValue", def, raw, decimals)
        .await?
        .map(|value| (lacking, value)))
}

async fn fill<C: ConnectionTrait>(db: &C, field_id: i32, records: Vec<i32>, value: &str) -> AppResult<()> {
    for chunk in records.chunks(500) {
        custom_field_values::Entity::insert_many(chunk.iter().map(|r| custom_field_values::ActiveModel {
            field_id: Set(field_id),
            record_id: Set(*r),
            value: Set(value.to_owned()),
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
    input: CustomFieldInput,
) -> AppResult<CustomFieldDef> {
    actor.require_admin()?;
    let decimals = settings::get(db).await?.currency_decimals;
    let count = custom_fields::Entity::find()
        .filter(custom_fields::Column::Entity.eq(input.entity.as_str()))
        .count(db)
        .await?;
    if count >= MAX_FIELDS_PER_ENTITY {
        return Err(AppError::field_limit(
            "entity",
            ValidationCode::TooLong,
            None,
            Some(MAX_FIELDS_PER_ENTITY.to_string()),
        ));
    }
    let mut v = Validator::new();
    let clean = validate_def(&mut v, &input);
    v.finish()?;
    let txn = crate::service::begin(db).await?;
    let last = custom_fields::Entity::find()
        .filter(custom_fields::Column::Entity.eq(input.entity.as_str()))
        .order_by_desc(custom_fields::Column::SortOrder)
        .one(&txn)
        .await?
        .map(|f| f.sort_order)
        .unwrap_or(0);
    let max_id = custom_fields::Entity::find()
        .order_by_desc(custom_fields::Column::Id)
        .one(&txn)
        .await?
        .map(|f| f.id)
        .unwrap_or(0);
    let m = custom_fields::ActiveModel {
        entity: Set(input.entity.as_str().into()),
        key: Set(format!("field_{}", max_id + 1)),
        title_fa: Set(clean.title_fa.clone()),
        title_en: Set(clean.title_en.clone()),
        field_type: Set(input.field_type.as_str().into()),
        required: Set(input.required),
        help_fa: Set(clean.help_fa.clone()),
        help_en: Set(clean.help_en.clone()),
        group_fa: Set(clean.group_fa.clone()),
        group_en: Set(clean.group_en.clone()),
        sort_order: Set(last + 1),
        options: Set(clean.options.clone()),
        active: Set(input.active),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if input.required {
        let mut v = Validator::new();
        let plan = backfill(&txn, &mut v, &input, &as_def(&input, &clean, m.id), decimals).await?;
        v.finish()?;
        if let Some((records, value)) = plan {
            fill(&txn, m.id, records, &value).await?;
        }
    }
    let mut changes = Changes::new();
    changes.set("titleEn", &clean.title_en);
    changes.set("fieldType", &input.field_type);
    changes.set("required", &input.required);
    changes
        .write(&txn, actor, "custom_field", m.id, ChangeAction::Create)
        .await?;
    txn.commit().await?;
    Ok(m.into())
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: CustomFieldInput,
) -> AppResult<CustomFieldDef> {
    actor.require_admin()?;
    let decimals = settings::get(db).await?.currency_decimals;
    let old = custom_fields::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("custom_field", id))?;
    if old.version != version {
        return Err(AppError::conflict("custom_field", id));
    }
    if old.entity != input.entity.as_str() {
        return Err(AppError::field("entity", ValidationCode::ReadOnly));
    }
    let mut v = Validator::new();
    let clean = validate_def(&mut v, &input);
    v.finish()?;
    let def = as_def(&input, &clean, id);
    let txn = crate::service::begin(db).await?;
    // A type change must convert every existing value.
    let existing = custom_field_values::Entity::find()
        .filter(custom_field_values::Column::FieldId.eq(id))
        .all(&txn)
        .await?;
    let mut converted = vec![];
    if old.field_type != input.field_type.as_str() || input.field_type == CustomFieldType::Choice {
        let mut probe = Validator::new();
        for val in &existing {
            let c = canonical(&txn, &mut probe, "value", &def, &val.value, decimals).await?;
            converted.push((val.id, c));
        }
        if !probe.is_empty() {
            return Err(AppError::field("fieldType", ValidationCode::NotAllowed));
        }
    }
    let mut v = Validator::new();
    let plan = if input.required {
        backfill(&txn, &mut v, &input, &def, decimals).await?
    } else {
        None
    };
    v.finish()?;
    for (value_id, value) in converted {
        if let Some(value) = value {
            custom_field_values::Entity::update_many()
                .col_expr(
                    custom_field_values::Column::Value,
                    sea_orm::sea_query::Expr::value(value),
                )
                .filter(custom_field_values::Column::Id.eq(value_id))
                .exec(&txn)
                .await?;
        }
    }
    if let Some((records, value)) = plan {
        fill(&txn, id, records, &value).await?;
    }
    let res = custom_fields::Entity::update_many()
        .set(custom_fields::ActiveModel {
            title_fa: Set(clean.title_fa.clone()),
            title_en: Set(clean.title_en.clone()),
            field_type: Set(input.field_type.as_str().into()),
            required: Set(input.required),
            help_fa: Set(clean.help_fa.clone()),
            help_en: Set(clean.help_en.clone()),
            group_fa: Set(clean.group_fa.clone()),
            group_en: Set(clean.group_en.clone()),
            options: Set(clean.options.clone()),
            active: Set(input.active),
            version: Set(version + 1),
            ..Default::default()
        })
        .filter(custom_fields::Column::Id.eq(id))
        .filter(custom_fields::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict("custom_field", id));
    }
    let mut changes = Changes::new();
    changes.diff("titleEn", &old.title_en, &clean.title_en);
    changes.diff("titleFa", &old.title_fa, &clean.title_fa);
    changes.diff("fieldType", &old.field_type, &input.field_type.as_str().to_owned());
    changes.diff("required", &old.required, &input.required);
    changes.diff("active", &old.active, &input.active);
    changes
        .write(&txn, actor, "custom_field", id, ChangeAction::Update)
        .await?;
    txn.commit().await?;
    Ok(custom_fields::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("custom_field", id))?
        .into())
}

/// Deletes a field definition and its values.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(db: &C, actor: &Actor, id: i32) -> AppResult<()> {
    actor.require_admin()?;
    let old = custom_fields::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("custom_field", id))?;
    let txn = crate::service::begin(db).await?;
    custom_field_values::Entity::delete_many()
        .filter(custom_field_values::Column::FieldId.eq(id))
        .exec(&txn)
        .await?;
    custom_fields::Entity::delete_by_id(id).exec(&txn).await?;
    let mut changes = Changes::new();
    changes.diff("titleEn", &Some(old.title_en), &None);
    changes
        .write(&txn, actor, "custom_field", id, ChangeAction::Delete)
        .await?;
    txn.commit().await?;
    Ok(())
}
