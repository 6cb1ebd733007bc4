//! Pure rules and value types: no I/O, no sea-orm, no tauri.

pub mod enums;
pub mod jalali;
pub mod lines;
pub mod money;
pub mod opportunity;
pub mod validate;

pub use crate::error::ValidationCode;
pub use enums::*;
pub use money::*;
pub use validate::Validator;

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
