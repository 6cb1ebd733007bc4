//! An opportunity type may name the pipeline its new opportunities start in
//! (`system_items.pipeline_id`, used by the `opportunity_type` list only; empty: the
//! form keeps the pipeline the user is in). No foreign key, as `stages.pipeline_id`:
//! the pipelines service checks it and clears it when a pipeline is deleted.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261203_000006_type_pipelines"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("system_items")
                .add_column(integer_null("pipeline_id"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("system_items").drop_column("pipeline_id").take())
            .await
    }
}
