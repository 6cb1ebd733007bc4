//! Several sales pipelines, each with its own ordered stages. Every stage that exists
//! becomes a stage of the default pipeline (id 1, "Sales"), so every opportunity, its
//! stage history and every report read exactly as before. An opportunity's pipeline is
//! its stage's: there is no second column that could disagree with it.
//!
//! `stages.pipeline_id` carries no foreign key: SQLite cannot add one to an existing
//! table with a default, so the stages service checks it (as `teams.parent_id`), and a
//! pipeline that still has stages is never deleted, only deactivated or merged.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000005_pipelines"
    }
}

/// The pipeline every existing stage belongs to.
pub const DEFAULT_PIPELINE: i32 = 1;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("pipelines")
                .col(pk_auto("id"))
                .col(string_len("name_fa", 200))
                .col(string_len("name_en", 200))
                .col(integer("sort_order").default(0))
                .col(boolean("active").default(true))
                .col(integer("version").default(1))
                .take(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("pipelines")
                .columns(["id", "name_fa", "name_en", "sort_order", "active", "version"])
                .values_panic([
                    DEFAULT_PIPELINE.into(),
                    "فروش".into(),
                    "Sales".into(),
                    1.into(),
                    true.into(),
                    1.into(),
                ])
                .take(),
        )
        .await?;
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            // The row above took its id by hand: the sequence goes on after it.
            m.get_connection()
                .execute_unprepared("SELECT setval(pg_get_serial_sequence('pipelines', 'id'), 1)")
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table("stages")
                .add_column(integer("pipeline_id").default(DEFAULT_PIPELINE))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_stages_pipeline_id")
                .table("stages")
                .col("pipeline_id")
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_stages_pipeline_id").table("stages").to_owned())
            .await?;
        m.alter_table(Table::alter().table("stages").drop_column("pipeline_id").take())
            .await?;
        m.drop_table(Table::drop().table("pipelines").take()).await
    }
}
