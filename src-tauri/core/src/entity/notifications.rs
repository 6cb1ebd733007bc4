//! Something for one user's bell: a mention of them in a comment.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Whose bell.
    pub user_id: i32,
    pub kind: String,
    /// Who did it (the comment's author).
    pub actor_id: Option<i32>,
    pub opportunity_id: Option<i32>,
    pub comment_id: Option<i32>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
