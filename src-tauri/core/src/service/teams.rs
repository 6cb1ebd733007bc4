//! Teams: groups of users led by a manager, nested as sales organisations are (agents
//! in teams, teams in regional offices). A manager sees the opportunities of everyone
//! in the teams they lead and below; in an office without any team, managers see
//! everything, as they did before teams existed. The `team_oversight` view is the one
//! definition of "who oversees whom": [`scope`] reads it here, the SQL condition
//! (`service::conditions`) and the team server's policies read it there.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::changelog::Changes;
use super::Actor;
use crate::domain::validate::NAME_MAX;
use crate::domain::{ChangeAction, Scope, UserRole, ValidationCode, Validator};
use crate::entity::{team_members, team_oversight, teams, users};
use crate::error::{AppError, AppResult};

pub const ENTITY: &str = "team";
/// More members than any team has; refuses a crafted request rather than storing it.
const MEMBERS_MAX: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TeamSummary {
    pub id: i32,
    pub name: String,
    pub manager_user_id: Option<i32>,
    /// The team this one belongs to (a regional office), if any.
    pub parent_id: Option<i32>,
    pub member_ids: Vec<i32>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TeamInput {
    pub name: String,
    pub manager_user_id: Option<i32>,
    pub parent_id: Option<i32>,
    pub member_ids: Vec<i32>,
}

/// Whose opportunities `actor` sees (see the module comment).
pub async fn scope<C: ConnectionTrait>(db: &C, actor: &Actor) -> AppResult<Scope> {
    match actor.role {
        UserRole::Admin => Ok(Scope::All),
        UserRole::Salesperson => Ok(Scope::Users([actor.user_id].into())),
        UserRole::Manager => {
            if teams::Entity::find().count(db).await? == 0 {
                return Ok(Scope::All);
            }
            let mut ids: BTreeSet<i32> = team_oversight::Entity::find()
                .filter(team_oversight::Column::ManagerUserId.eq(actor.user_id))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.user_id)
                .collect();
            ids.insert(actor.user_id);
            Ok(Scope::Users(ids))
        }
    }
}

/// Every team, by name, with its members. Everyone signed in may read the organisation.
pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<TeamSummary>> {
    let mut members: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for m in team_members::Entity::find()
        .order_by_asc(team_members::Column::UserId)
        .all(db)
        .await?
    {
        members.entry(m.team_id).or_default().push(m.user_id);
    }
    Ok(teams::Entity::find()
        .order_by_asc(teams::Column::Name)
        .order_by_asc(teams::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TeamSummary {
            member_ids: members.remove(&t.id).unwrap_or_default(),
            id: t.id,
            name: t.name,
            manager_user_id: t.manager_user_id,
            parent_id: t.parent_id,
            version: t.version,
        })
        .collect())
}

async fn get<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<TeamSummary> {
    list(db)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::not_found(ENTITY, id))
}

struct Clean {
    name: String,
    member_ids: BTreeSet<i32>,
}

async fn validate<C: ConnectionTrait>(db: &C, id: Option<i32>, input: &TeamInput) -> AppResult<Clean> {
    let mut v = Validator::new();
    let name = v.required_text("name", &input.name, NAME_MAX);
    if !name.is_empty() {
        let folded = name.to_lowercase();
        let same = teams::Entity::find().all(db).await?;
        if same.iter().any(|t| Some(t.id) != id && t.name.to_lowercase() == folded) {
            v.push("name", ValidationCode::Duplicate);
        }
    }
    if let Some(m) = input.manager_user_id {
        match users::Entity::find_by_id(m).one(db).await? {
            None => v.push("managerUserId", ValidationCode::UnknownReference),
            Some(u) if !u.active => v.push("managerUserId", ValidationCode::InactiveReference),
            Some(u) if u.role == UserRole::Salesperson.as_str() => v.push("managerUserId", ValidationCode::NotAllowed),
            Some(_) => {}
        }
    }
    if let Some(parent) = input.parent_id {
        let all: BTreeMap<i32, Option<i32>> = teams::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.parent_id))
            .collect();
        if !all.contains_key(&parent) {
            v.push("parentId", ValidationCode::UnknownReference);
        } else if let Some(me) = id {
            // Walking up from the new parent must never reach this team.
            let mut at = Some(parent);
            let mut steps = 0;
            while let Some(t) = at {
                if t == me || steps > all.len() {
                    v.push("parentId", ValidationCode::Invalid);
                    break;
                }
                at = all.get(&t).copied().flatten();
                steps += 1;
            }
        }
    }
    let member_ids: BTreeSet<i32> = input.member_ids.iter().copied().collect();
    if member_ids.len() > MEMBERS_MAX {
        v.push("memberIds", ValidationCode::TooLong);
    } else if !member_ids.is_empty() {
        let known = users::Entity::find()
            .filter(users::Column::Id.is_in(member_ids.iter().copied()))
            .count(db)
            .await?;
        if known as usize != member_ids.len() {
            v.push("memberIds", ValidationCode::UnknownReference);
        }
    }
    v.finish()?;
    Ok(Clean { name, member_ids })
}

async fn write_members<C: ConnectionTrait>(db: &C, team_id: i32, ids: &BTreeSet<i32>) -> AppResult<()> {
    team_members::Entity::delete_many()
        .filter(team_members::Column::TeamId.eq(team_id))
        .exec(db)
        .await?;
    if !ids.is_empty() {
        team_members::Entity::insert_many(ids.iter().map(|u| team_members::ActiveModel {
            team_id: Set(team_id),
            user_id: Set(*u),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("teams_admin_only"))
    }
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: TeamInput,
) -> AppResult<TeamSummary> {
    require_admin(actor)?;
    let clean = validate(db, None, &input).await?;
    let txn = crate::service::begin(db).await?;
    let m = teams::ActiveModel {
        name: Set(clean.name.clone()),
        manager_user_id: Set(input.manager_user_id),
        parent_id: Set(input.parent_id),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    write_members(&txn, m.id, &clean.member_ids).await?;
    let mut changes = Changes::new();
    changes.set("name", &clean.name);
    changes.set("managerUserId", &input.manager_user_id);
    changes.set("parentId", &input.parent_id);
    changes.set("memberIds", &clean.member_ids);
    changes.write(&txn, actor, ENTITY, m.id, ChangeAction::Create).await?;
    txn.commit().await?;
    get(db, m.id).await
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
    input: TeamInput,
) -> AppResult<TeamSummary> {
    require_admin(actor)?;
    let old = get(db, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let clean = validate(db, Some(id), &input).await?;
    let txn = crate::service::begin(db).await?;
    let res = teams::Entity::update_many()
        .col_expr(teams::Column::Name, Expr::value(clean.name.clone()))
        .col_expr(teams::Column::ManagerUserId, Expr::value(input.manager_user_id))
        .col_expr(teams::Column::ParentId, Expr::value(input.parent_id))
        .col_expr(teams::Column::Version, Expr::value(version + 1))
        .filter(teams::Column::Id.eq(id))
        .filter(teams::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    write_members(&txn, id, &clean.member_ids).await?;
    let old_members: BTreeSet<i32> = old.member_ids.iter().copied().collect();
    let mut changes = Changes::new();
    changes.diff("name", &old.name, &clean.name);
    changes.diff("managerUserId", &old.manager_user_id, &input.manager_user_id);
    changes.diff("parentId", &old.parent_id, &input.parent_id);
    changes.diff("memberIds", &old_members, &clean.member_ids);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Update).await?;
    txn.commit().await?;
    get(db, id).await
}

/// Deletes a team; the teams inside it move up to its own parent, so nobody under it
/// drops out of the organisation above.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    version: i32,
) -> AppResult<()> {
    require_admin(actor)?;
    let old = get(db, id).await?;
    if old.version != version {
        return Err(AppError::conflict(ENTITY, id));
    }
    let txn = crate::service::begin(db).await?;
    teams::Entity::update_many()
        .col_expr(teams::Column::ParentId, Expr::value(old.parent_id))
        .col_expr(teams::Column::Version, Expr::col(teams::Column::Version).add(1))
        .filter(teams::Column::ParentId.eq(id))
        .exec(&txn)
        .await?;
    team_members::Entity::delete_many()
        .filter(team_members::Column::TeamId.eq(id))
        .exec(&txn)
        .await?;
    let res = teams::Entity::delete_many()
        .filter(teams::Column::Id.eq(id))
        .filter(teams::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::conflict(ENTITY, id));
    }
    let mut changes = Changes::new();
    changes.diff("name", &Some(old.name), &None);
    changes.write(&txn, actor, ENTITY, id, ChangeAction::Delete).await?;
    txn.commit().await?;
    Ok(())
}
