//! A custom field definition (personalization).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "custom_fields")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entity: String,
    pub key: String,
    pub title_fa: String,
    pub title_en: String,
    pub field_type: String,
    pub required: bool,
    pub help_fa: Option<String>,
    pub help_en: Option<String>,
    pub group_fa: Option<String>,
    pub group_en: Option<String>,
    pub sort_order: i32,
    pub options: Option<String>,
    pub active: bool,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
