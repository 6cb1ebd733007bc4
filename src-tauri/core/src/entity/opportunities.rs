//! A sales opportunity: the 19 numbered fields of the form.

use super::Fixed4;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub identity_id: i32,
    pub title: String,
    pub assigned_user_id: Option<i32>,
    pub type_id: i32,
    pub source_id: i32,
    pub campaign_id: Option<i32>,
    pub close_date: Option<Date>,
    pub estimated_amount: Fixed4,
    pub amount_is_manual: bool,
    pub probability: i32,
    pub probability_is_manual: bool,
    pub win_reason_id: Option<i32>,
    pub loss_reason_id: Option<i32>,
    pub reason_note: Option<String>,
    pub purchase_process_id: Option<i32>,
    pub stage_id: i32,
    pub won_on: Option<Date>,
    pub lost_on: Option<Date>,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
