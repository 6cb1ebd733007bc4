//! A line of a proforma, invoice or sales return.

use super::Fixed4;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "financial_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub record_id: i32,
    pub position: i32,
    pub product_id: i32,
    pub source_line_id: Option<i32>,
    pub quantity: Fixed4,
    pub unit_price: Fixed4,
    pub discount_kind: String,
    pub discount_value: Fixed4,
    pub tax_percent: Fixed4,
    pub tax_amount: Fixed4,
    pub final_price: Fixed4,
    pub description: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
