//! Values of the fixed system lists (opportunity type, source, reasons, …).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use specta::Type;

use crate::domain::{SystemListKey, ValidationCode, Validator};
use crate::entity::system_items;
use crate::error::AppResult;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SystemItem {
    pub id: i32,
    pub list: SystemListKey,
    pub key: Option<String>,
    pub title_fa: String,
    pub title_en: String,
    pub sort_order: i32,
    pub active: bool,
}

impl From<system_items::Model> for SystemItem {
    fn from(m: system_items::Model) -> Self {
        Self {
            id: m.id,
            list: SystemListKey::parse(&m.list_key).unwrap_or(SystemListKey::OpportunityType),
            key: m.key,
            title_fa: m.title_fa,
            title_en: m.title_en,
            sort_order: m.sort_order,
            active: m.active,
        }
    }
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    list: SystemListKey,
    include_inactive: bool,
) -> AppResult<Vec<SystemItem>> {
    let mut q = system_items::Entity::find()
        .filter(system_items::Column::ListKey.eq(list.as_str()))
        .order_by_asc(system_items::Column::SortOrder)
        .order_by_asc(system_items::Column::Id);
    if !include_inactive {
        q = q.filter(system_items::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

/// Checks a reference to a list value: it exists, belongs to `list`, and is active
/// (unless it is the value the record already had: inactive values stay on old records).
pub async fn check_ref<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    field: &str,
    list: SystemListKey,
    id: Option<i32>,
    previous: Option<i32>,
) -> AppResult<()> {
    let Some(id) = id else { return Ok(()) };
    match system_items::Entity::find_by_id(id).one(db).await? {
        Some(item) if item.list_key == list.as_str() => {
            if !item.active && previous != Some(id) {
                v.push(field, ValidationCode::InactiveReference);
            }
        }
        _ => v.push(field, ValidationCode::UnknownReference),
    }
    Ok(())
}
