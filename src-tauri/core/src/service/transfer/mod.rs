//! Exporting the filtered opportunity list to CSV / XLSX, and importing opportunities
//! (with their identities and products) from CSV / XLSX.
//!
//! Imports run every row through the same service calls as the form, each inside its
//! own savepoint of one transaction: a bad row is rolled back and reported (line,
//! column, reason) while the others go on, and at the end the transaction is committed
//! only when every row was good and this is not a dry run. Nothing is ever half
//! written. Exports stream the list query and write as they read.

mod export;
mod files;
mod import;

pub use export::*;
pub use files::*;
pub use import::*;

use serde::Serialize;
use specta::Type;

use crate::error::AppError;

/// Export progress: rows written of the total.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TransferProgress {
    pub done: u32,
    pub total: u32,
}

pub(super) fn io_error(e: impl std::fmt::Display) -> AppError {
    AppError::database(&format!("file: {e}"))
}

/// Rows per progress report.
pub(super) const PROGRESS_EVERY: u32 = 250;
