//! Sales stages ("leveling"), in order.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use specta::Type;

use crate::domain::StageKind;
use crate::entity::stages;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Stage {
    pub id: i32,
    pub key: String,
    pub title_fa: String,
    pub title_en: String,
    pub kind: StageKind,
    pub sort_order: i32,
    pub active: bool,
    pub default_probability: Option<i32>,
}

impl From<stages::Model> for Stage {
    fn from(m: stages::Model) -> Self {
        Self {
            id: m.id,
            key: m.key,
            title_fa: m.title_fa,
            title_en: m.title_en,
            kind: StageKind::parse(&m.kind).unwrap_or(StageKind::Open),
            sort_order: m.sort_order,
            active: m.active,
            default_probability: m.default_probability,
        }
    }
}

pub async fn list<C: ConnectionTrait>(db: &C, include_inactive: bool) -> AppResult<Vec<Stage>> {
    let mut q = stages::Entity::find()
        .order_by_asc(stages::Column::SortOrder)
        .order_by_asc(stages::Column::Id);
    if !include_inactive {
        q = q.filter(stages::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<Stage> {
    stages::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into)
        .ok_or_else(|| AppError::not_found("stage", id))
}
