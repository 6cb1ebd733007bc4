//! The pipeline: the opportunity list (filters, sorting, derived columns, totals), the
//! kanban board by stage, moving cards and bulk edits.
//!
//! Filtering, sorting, paging and totals are all done by the database so the list stays
//! responsive at a million opportunities; Rust only shapes the page it gets back.
//! Every write goes through the opportunity service's own update, so the stage rules,
//! the change log, visibility and version checks hold here exactly as in the form.

mod board;
mod bulk;
mod filter;
mod list;

pub use board::*;
pub use bulk::*;
pub use filter::*;
pub use list::*;
