//! The value of one custom field on one record, in canonical text form.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "custom_field_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub field_id: i32,
    pub record_id: i32,
    pub value: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
