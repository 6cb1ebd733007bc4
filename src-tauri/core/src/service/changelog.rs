//! The change log: who created, edited or deleted a record, when, and which fields
//! changed from what to what.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use specta::Type;

use super::{now, Actor};
use crate::domain::ChangeAction;
use crate::entity::change_log;
use crate::error::AppResult;

/// One changed field. Values are the wire representation (strings for money).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct FieldChange {
    pub field: String,
    #[specta(type = Option<String>)]
    pub old: Json,
    #[specta(type = Option<String>)]
    pub new: Json,
}

/// Collects field changes while a record is created or edited.
#[derive(Debug, Default)]
pub struct Changes(Vec<FieldChange>);

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `field` when `old` and `new` differ.
    pub fn diff<T: Serialize + PartialEq>(&mut self, field: &str, old: &T, new: &T) {
        if old != new {
            self.0.push(FieldChange {
                field: field.to_owned(),
                old: to_json(old),
                new: to_json(new),
            });
        }
    }

    /// Records a field of a newly created record.
    pub fn set<T: Serialize>(&mut self, field: &str, new: &T) {
        let new = to_json(new);
        if !new.is_null() {
            self.0.push(FieldChange {
                field: field.to_owned(),
                old: Json::Null,
                new,
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub async fn write<C: ConnectionTrait>(
        self,
        db: &C,
        actor: &Actor,
        entity: &str,
        record_id: i32,
        action: ChangeAction,
    ) -> AppResult<()> {
        // Without RETURNING: on a team server the row must not have to be readable
        // back (the log of a deleted opportunity is no longer anyone's to read).
        change_log::Entity::insert(self.entry(actor, entity, record_id, action, now()))
            .exec_without_returning(db)
            .await?;
        Ok(())
    }

    /// The change-log row [`Changes::write`] writes, for writing many at once.
    pub fn entry(
        self,
        actor: &Actor,
        entity: &str,
        record_id: i32,
        action: ChangeAction,
        at: DateTime<Utc>,
    ) -> change_log::ActiveModel {
        change_log::ActiveModel {
            entity: Set(entity.to_owned()),
            record_id: Set(record_id),
            action: Set(action.as_str().to_owned()),
            changes: Set(serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())),
            user_id: Set(Some(actor.user_id)),
            at: Set(at),
            ..Default::default()
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

/// One entry of a record's Changes panel.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeEntry {
    pub action: ChangeAction,
    pub user_id: Option<i32>,
    pub at: DateTime<Utc>,
    pub changes: Vec<FieldChange>,
}

pub async fn history<C: ConnectionTrait>(db: &C, entity: &str, record_id: i32) -> AppResult<Vec<ChangeEntry>> {
    let rows = change_log::Entity::find()
        .filter(change_log::Column::Entity.eq(entity))
        .filter(change_log::Column::RecordId.eq(record_id))
        .order_by_desc(change_log::Column::At)
        .order_by_desc(change_log::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChangeEntry {
            action: ChangeAction::parse(&r.action).unwrap_or(ChangeAction::Update),
            user_id: r.user_id,
            at: r.at,
            changes: serde_json::from_str(&r.changes).unwrap_or_default(),
        })
        .collect())
}
