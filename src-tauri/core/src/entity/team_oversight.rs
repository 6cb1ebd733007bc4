//! The `team_oversight` view (read only): every user a manager oversees, through the
//! teams they lead and the teams below those.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "team_oversight")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub manager_user_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
