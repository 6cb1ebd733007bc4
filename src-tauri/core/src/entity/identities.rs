//! A person or organization the company deals with.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "identities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub prefix_id: Option<i32>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub organization_name: Option<String>,
    pub display_name: String,
    pub search_text: String,
    /// The folded display name (`search_fold`), indexed: lookups by name.
    pub name_key: String,
    pub national_code: Option<String>,
    pub economic_code: Option<String>,
    pub customer_number: String,
    pub is_customer: bool,
    pub is_competitor: bool,
    pub is_supplier: bool,
    pub source_id: Option<i32>,
    pub campaign_id: Option<i32>,
    pub responsible_user_id: Option<i32>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
