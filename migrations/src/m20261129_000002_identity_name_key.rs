//! Identities get `name_key`, the folded display name (lower case, ASCII digits,
//! Persian ی/ک), indexed: finding an identity by its name — the duplicate-name
//! warning, an import matching customers by name — is then one index lookup on both
//! backends instead of a scan of the folded search text. The application fills the
//! key of existing rows at start (the folding lives in Rust, `domain::validate`).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000002_identity_name_key"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("identities")
                .add_column(string_len("name_key", 420).default(""))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_identities_name_key")
                .table("identities")
                .col("name_key")
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_identities_name_key")
                .table("identities")
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table("identities").drop_column("name_key").take())
            .await
    }
}
