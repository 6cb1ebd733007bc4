//! Pure rules and value types: no I/O, no sea-orm, no tauri.

pub mod enums;
pub mod jalali;
pub mod lines;
pub mod money;
pub mod validate;

pub use crate::error::ValidationCode;
pub use enums::*;
pub use money::*;
pub use validate::Validator;
