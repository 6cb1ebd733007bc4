//! A competitor named on an opportunity (field 14).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity_competitors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub opportunity_id: i32,
    pub competitor_id: i32,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
