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

    /// Managers and admins keep the catalogue and campaigns. Which opportunities an
    /// actor sees is their [`Scope`] (`service::teams::scope`), not their role alone.
    pub fn manages(&self) -> bool {
        matches!(self.role, UserRole::Admin | UserRole::Manager)
    }
}

/// Whose opportunities an actor sees: everyone's (administrators, and managers in an
/// office without teams), or those assigned to or created by a set of users (a
/// salesperson: themselves; a manager: themselves and everyone in the teams they lead,
/// nested teams included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Users(std::collections::BTreeSet<i32>),
}

impl Scope {
    pub fn is_all(&self) -> bool {
        matches!(self, Scope::All)
    }

    /// Whether work of `user` (an assignee or an author) is within the scope.
    pub fn sees(&self, user: Option<i32>) -> bool {
        match self {
            Scope::All => true,
            Scope::Users(ids) => user.is_some_and(|u| ids.contains(&u)),
        }
    }
}
