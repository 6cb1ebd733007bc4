//! A product line of an opportunity (field 15).

use super::Fixed4;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub opportunity_id: i32,
    pub position: i32,
    pub product_id: i32,
    pub quantity: Fixed4,
    pub unit_price: Fixed4,
    pub discount_kind: String,
    pub discount_value: Fixed4,
    pub final_price: Fixed4,
    pub description: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
