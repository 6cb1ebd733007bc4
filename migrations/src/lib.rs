//! Forsat's schema history. Only the backend-neutral schema DSL is used, so the same
//! migrations run on SQLite and PostgreSQL (tested on both by `tests/migrations.rs`).
//!
//! Storage conventions (see docs/ARCHITECTURE.md):
//! - exact decimals (money, quantities, percents) are `BIGINT` ten-thousandths
//!   (scale 4), converted to `rust_decimal::Decimal` at the entity edge;
//! - timestamps are `timestamp with time zone` (UTC), calendar dates are `date`;
//! - every editable record carries `version` for optimistic concurrency.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_initial;
mod m20261129_000002_identity_name_key;
mod m20261202_000003_accounts_and_teams;
mod m20261202_000004_team_oversight;
mod m20261203_000005_pipelines;
mod m20261203_000006_type_pipelines;
mod m20261203_000007_activities;
pub mod m20261204_000008_search_index;
pub mod m20261205_000009_report_totals;
pub mod m20261207_000010_stage_flows;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_initial::Migration),
            Box::new(m20261129_000002_identity_name_key::Migration),
            Box::new(m20261202_000003_accounts_and_teams::Migration),
            Box::new(m20261202_000004_team_oversight::Migration),
            Box::new(m20261203_000005_pipelines::Migration),
            Box::new(m20261203_000006_type_pipelines::Migration),
            Box::new(m20261203_000007_activities::Migration),
            Box::new(m20261204_000008_search_index::Migration),
            Box::new(m20261205_000009_report_totals::Migration),
            Box::new(m20261207_000010_stage_flows::Migration),
        ]
    }
}
