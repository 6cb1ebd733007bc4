//! A follow-up task, phone call, meeting or note, on an opportunity or an identity.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub subject: String,
    pub identity_id: i32,
    pub opportunity_id: Option<i32>,
    pub assigned_user_id: Option<i32>,
    pub due_at: Option<DateTimeUtc>,
    /// Due on a day, at no particular time (`due_at` is the day's start).
    pub all_day: bool,
    pub duration_minutes: Option<i32>,
    pub status: String,
    pub direction: Option<String>,
    pub call_result: Option<String>,
    pub outcome: Option<String>,
    pub remind_at: Option<DateTimeUtc>,
    pub reminder_shown_at: Option<DateTimeUtc>,
    pub reminder_dismissed_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
