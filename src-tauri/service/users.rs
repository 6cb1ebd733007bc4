//! The people who work in the app.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use specta::Type;

use super::Actor;
use crate::domain::{UserRole, ValidationCode, Validator};
use crate::entity::users;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<users::Model> for UserSummary {
    fn from(m: users::Model) -> Self {
        Self {
            id: m.id,
            username: m.username,
            display_name: m.display_name,
            role: UserRole::parse(&m.role).unwrap_or(UserRole::Salesperson),
            active: m.active,
            created_at: m.created_at,
        }
    }
}

pub async fn list<C: ConnectionTrait>(db: &C, include_inactive: bool) -> AppResult<Vec<UserSummary>> {
    let mut q = users::Entity::find().order_by_asc(users::Column::DisplayName);
    if !include_inactive {
        q = q.filter(users::Column::Active.eq(true));
    }
    Ok(q.all(db).await?.into_iter().map(Into::into).collect())
}

pub async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<UserSummary> {
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into)
        .ok_or_else(|| AppError::not_found("user", id))
}

/// The actor for a username (the desktop app signs in as the configured user).
pub async fn actor_for<C: ConnectionTrait>(db: &C, username: &str) -> AppResult<Actor> {
    let u = users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("user", username))?;
    if !u.active {
        return Err(AppError::forbidden("user_inactive"));
    }
    Ok(Actor {
        user_id: u.id,
        role: UserRole::parse(&u.role).unwrap_or(UserRole::Salesperson),
    })
}

/// Checks an optional "assigned to"/"responsible" reference: the user exists and is active.
pub async fn check_assignable<C: ConnectionTrait>(
    db: &C,
    v: &mut Validator,
    field: &str,
    id: Option<i32>,
) -> AppResult<()> {
    if let Some(id) = id {
        match users::Entity::find_by_id(id).one(db).await? {
            None => v.push(field, ValidationCode::UnknownReference),
            Some(u) if !u.active => v.push(field, ValidationCode::InactiveReference),
            Some(_) => {}
        }
    }
    Ok(())
}
