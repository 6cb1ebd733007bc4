//! An e-mail address of an identity.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "identity_emails")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub identity_id: i32,
    pub address: String,
    pub is_default: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
