//! Teams nest (a regional office holds the teams of its managers), and who oversees
//! whom is one view, `team_oversight (manager_user_id, user_id)`: every member of a
//! team a manager leads, or of a team below it. The service layer's visibility
//! condition and the team server's row-level security both read this view, so the
//! rule has one definition (docs/ARCHITECTURE.md, "Security model").

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000004_team_oversight"
    }
}

/// `UNION` (not `UNION ALL`) ends the recursion even if teams were ever linked in a
/// circle; the service refuses such links anyway.
const VIEW: &str = "CREATE VIEW team_oversight AS
WITH RECURSIVE led (manager_user_id, team_id) AS (
    SELECT manager_user_id, id FROM teams WHERE manager_user_id IS NOT NULL
    UNION
    SELECT led.manager_user_id, t.id FROM teams t JOIN led ON t.parent_id = led.team_id
)
SELECT DISTINCT led.manager_user_id, m.user_id
  FROM led JOIN team_members m ON m.team_id = led.team_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("teams")
                .add_column(integer_null("parent_id"))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_teams_parent_id")
                .table("teams")
                .col("parent_id")
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_teams_manager_user_id")
                .table("teams")
                .col("manager_user_id")
                .take(),
        )
        .await?;
        m.get_connection().execute_unprepared(VIEW).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP VIEW team_oversight")
            .await?;
        m.drop_index(Index::drop().name("ix_teams_manager_user_id").table("teams").to_owned())
            .await?;
        m.drop_index(Index::drop().name("ix_teams_parent_id").table("teams").to_owned())
            .await?;
        m.alter_table(Table::alter().table("teams").drop_column("parent_id").take())
            .await
    }
}
