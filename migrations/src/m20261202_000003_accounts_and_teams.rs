//! Accounts and teams: a user may have a password (an argon2id hash; on a team server
//! PostgreSQL checks the password of the user's own login role instead), and users are
//! grouped in teams, each with a manager who sees the team's opportunities.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000003_accounts_and_teams"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(string_len_null("password_hash", 200))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("teams")
                .col(pk_auto("id"))
                .col(string_len_uniq("name", 200))
                .col(integer_null("manager_user_id"))
                .col(integer("version").default(1))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_teams_manager_user_id")
                        .from("teams", "manager_user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("team_members")
                .col(pk_auto("id"))
                .col(integer("team_id"))
                .col(integer("user_id"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_team_members_team_id")
                        .from("team_members", "team_id")
                        .to("teams", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_team_members_user_id")
                        .from("team_members", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_team_members_team_id_user_id")
                .table("team_members")
                .col("team_id")
                .col("user_id")
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_team_members_user_id")
                .table("team_members")
                .col("user_id")
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("team_members").take()).await?;
        m.drop_table(Table::drop().table("teams").take()).await?;
        m.alter_table(Table::alter().table("users").drop_column("password_hash").take())
            .await
    }
}
