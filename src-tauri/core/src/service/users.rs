//! The people who work in the app.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::auth;
use super::changelog::Changes;
use super::{now, Actor};
use crate::domain::validate::NAME_MAX;
use crate::domain::{ChangeAction, UserRole, ValidationCode, Validator};

pub const ENTITY: &str = "user";
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
    pub version: i32,
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
            version: m.version,
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
        let found = users::Entity::find_by_id(id).one(db).await?;
        check_assignable_found(v, field, found.as_ref());
    }
    Ok(())
}

/// The rule of [`check_assignable`] on a row already read (`found`: the user, if any).
pub fn check_assignable_found(v: &mut Validator, field: &str, found: Option<&users::Model>) {
    match found {
        None => v.push(field, ValidationCode::UnknownReference),
        Some(u) if !u.active => v.push(field, ValidationCode::InactiveReference),
        Some(_) => {}
    }
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    /// Set on creation only; the username never changes afterwards.
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub active: bool,
    /// On creation: the first password (at least 8 characters); later passwords go
    /// through `auth::set_password`.
    #[serde(default)]
    pub password: Option<String>,
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: UserInput,
) -> AppResult<UserSummary> {
    if !actor.is_admin() {
        return Err(AppError::forbidden("users_admin_only"));
    }
    let mut v = Validator::new();
    let username = v.required_text("username", &input.username, 64).to_lowercase();
    if !username.is_empty() && !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        v.push("username", ValidationCode::Invalid);
    }
    let display_name = v.required_text("displayName", &input.display_name, NAME_MAX);
    let password = input.password.as_deref().filter(|p| !p.is_empty());
    if let Some(p) = password {
        auth::check_password(&mut v, "password", p);
    }
    if !username.is_empty()
        && users::Entity::find()
            .filter(users::Column::Username.eq(&username))
            .count(db)
            .await?
            > 0
    {
        v.push("username", ValidationCode::Duplicate);
    }
    v.finish()?;
    let on_server = db.get_database_backend() == DbBackend::Postgres;
    let password_hash = match password {
        Some(p) if !on_server => Some(auth::hash_password(p)?),
        _ => None,
    };
    let txn = crate::service::begin(db).await?;
    let m = users::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(display_name.clone()),
        role: Set(input.role.as_str().into()),
        active: Set(input.active),
        created_at: Set(now()),
        version: Set(1),
        password_hash: Set(password_hash),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // On a team server the user's own login role, in the same transaction.
    auth::sync_login(&txn, &username, input.role, input.active, password).await?;
    let mut changes = Changes::new();
    changes.set("username", &username);
    changes.set("displayName", &display_name);
    changes.set("role", &input.role);
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    Ok(m.into())
}

/// Edits the display name, role and active flag. The username is fixed; the last
/// active admin cannot be demoted or deactivated.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: UserInput,
) -> AppResult<UserSummary> {
    if !actor.is_admin() {
        return Err(AppError::forbidden("users_admin_only"));
    }
    let old = users::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(ENTITY, id))?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut v = Validator::new();
    if input.username.trim().to_lowercase() != old.username {
        v.push("username", ValidationCode::ReadOnly);
    }
    let display_name = v.required_text("displayName", &input.display_name, NAME_MAX);
    let stays_admin = input.role == UserRole::Admin && input.active;
    if old.role == UserRole::Admin.as_str() && old.active && !stays_admin {
        let admins = users::Entity::find()
            .filter(users::Column::Role.eq(UserRole::Admin.as_str()))
            .filter(users::Column::Active.eq(true))
            .count(db)
            .await?;
        if admins <= 1 {
            v.push("role", ValidationCode::NotAllowed);
        }
    }
    v.finish()?;
    let txn = crate::service::begin(db).await?;
    let res = users::Entity::update_many()
        .col_expr(users::Column::DisplayName, Expr::value(display_name.clone()))
        .col_expr(users::Column::Role, Expr::value(input.role.as_str()))
        .col_expr(users::Column::Active, Expr::value(input.active))
        .col_expr(users::Column::Version, Expr::value(version + 1))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    auth::sync_login(&txn, &old.username, input.role, input.active, None).await?;
    let mut changes = Changes::new();
    changes.diff("displayName", &old.display_name, &display_name);
    changes.diff("role", &old.role, &input.role.as_str().to_owned());
    changes.diff("active", &old.active, &input.active);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    get(db, id).await
}
