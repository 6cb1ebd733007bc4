//! A value of one of the fixed system lists.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "system_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub list_key: String,
    pub key: Option<String>,
    pub title_fa: String,
    pub title_en: String,
    pub sort_order: i32,
    pub active: bool,
    pub version: i32,
    /// For an opportunity type: the pipeline its new opportunities start in.
    pub pipeline_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
