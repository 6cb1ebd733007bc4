//! Custom field definitions (personalization) and the values records carry.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::validate::NOTE_MAX;
use crate::domain::{CustomFieldEntity, CustomFieldType, ValidationCode, Validator};
use crate::entity::{custom_field_values, custom_fields, identities, users};
use crate::error::AppResult;

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
    let defs: HashMap<i32, CustomFieldDef> = list(db, entity, false).await?.into_iter().map(|d| (d.id, d)).collect();
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
        CustomFieldType::Number => match Decimal::from_str(&normalized) {
            Ok(d) => Some(v.exact(field, d, true).to_string()),
            Err(_) => {
                v.push(field, ValidationCode::Invalid);
                None
            }
        },
        CustomFieldType::Money => match Decimal::from_str(&normalized.replace(',', "")) {
            Ok(d) => Some(v.money(field, d, currency_decimals, true).to_string()),
            Err(_) => {
                v.push(field, ValidationCode::Invalid);
                None
            }
        },
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
