//! Exporting the filtered opportunity list to CSV / XLSX, and importing opportunities
//! (with their identities and products) from CSV / XLSX.
//!
//! Imports check every row by the form's own rules (`opportunities::check_new`, over
//! reference rows loaded once: `service::refs`) and report every problem of every
//! row (line, column, the value, the reason); the rows are written a thousand at a
//! time in multi-row statements inside one transaction, committed only when every
//! row was good and this is not a dry run. Nothing is ever half written. Exports
//! stream the list query and write as they read.

mod activities;
mod export;
mod files;
mod import;
mod records;

pub use activities::*;
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
