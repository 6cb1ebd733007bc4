//! A sales stage ("leveling").

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "stages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key: String,
    pub title_fa: String,
    pub title_en: String,
    pub kind: String,
    pub sort_order: i32,
    pub active: bool,
    pub default_probability: Option<i32>,
    /// Deleted stages stay for the stage history but are never listed.
    pub deleted: bool,
    pub version: i32,
    /// The pipeline whose stage this is (`pipelines`).
    pub pipeline_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
