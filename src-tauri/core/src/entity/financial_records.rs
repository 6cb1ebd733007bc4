//! Proforma, invoice, sales return, receipt, payment or contract.

use super::Fixed4;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "financial_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub identity_id: i32,
    pub opportunity_id: Option<i32>,
    pub parent_record_id: Option<i32>,
    pub issue_date: Date,
    pub status: String,
    pub description: Option<String>,
    pub expiry_date: Option<Date>,
    pub method: Option<String>,
    pub reference_no: Option<String>,
    pub contract_kind: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub total_sum: Fixed4,
    pub total_discount: Fixed4,
    pub total_tax: Fixed4,
    pub amount: Fixed4,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
