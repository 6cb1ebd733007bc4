//! The use cases, one module per feature. Services know nothing of tauri: they take a
//! connection and an [`Actor`], validate, write in one transaction, and return DTOs.

pub mod balances;
pub mod campaigns;
pub mod changelog;
pub mod custom_fields;
pub mod demo;
pub mod financial;
pub mod identities;
pub mod lines;
pub mod numbering;
pub mod opportunities;
pub mod pipeline;
pub mod products;
pub mod records;
pub mod reference;
pub mod settings;
pub mod sql;
pub mod stages;
pub mod system_lists;
pub mod transfer;
pub mod users;

use chrono::{DateTime, Utc};
use serde::Serialize;
use specta::Type;

use crate::domain::UserRole;

/// Who is acting: every service call carries it, so visibility and authorship hold
/// for every caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub role: UserRole,
}

impl Actor {
    pub fn is_admin(&self) -> bool {
        self.role == UserRole::Admin
    }

    /// Only admins shape personalization (system lists, stages, custom fields).
    pub fn require_admin(&self) -> crate::error::AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(crate::error::AppError::forbidden("personalization_admin_only"))
        }
    }

    /// Managers and admins see every record; salespeople see their own.
    pub fn sees_all(&self) -> bool {
        matches!(self.role, UserRole::Admin | UserRole::Manager)
    }
}

/// One page of a list, 1-based.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
}

pub const MAX_PAGE_SIZE: u32 = 500;

/// Clamp a requested page and size to sane bounds.
pub fn paging(page: u32, page_size: u32) -> (u32, u32) {
    (page.max(1), page_size.clamp(1, MAX_PAGE_SIZE))
}

pub fn now() -> DateTime<Utc> {
    // Stored with microsecond precision on both backends; truncate so a value read back
    // compares equal to the one written.
    let n = Utc::now();
    DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

/// Escape `%`, `_` and `\` for a LIKE pattern and wrap it in `%…%`.
pub fn like_pattern(term: &str) -> String {
    let mut s = String::with_capacity(term.len() + 2);
    s.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}
