//! The one error type that crosses the IPC boundary.
//!
//! Serialized tagged by `kind` (`{"kind":"validation","fields":[…]}`), so the UI can
//! map validation errors onto fields and translate every message itself: the backend
//! sends codes, never sentences.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Why one field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ValidationCode {
    Required,
    TooLong,
    /// Shorter than `min` characters (a password).
    TooShort,
    OutOfRange,
    Invalid,
    UnknownReference,
    InactiveReference,
    NotAllowed,
    Duplicate,
    ReadOnly,
    /// A number whose separators could mean two things (`12,5`: twelve and a half, or
    /// 125?): a point is the decimal separator, a comma only groups thousands.
    AmbiguousNumber,
}

/// One refused field: `field` is the input's name in camelCase, with list positions as
/// path segments (`phones.0.number`). `min` / `max` carry the limit that was broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldError {
    pub field: String,
    pub code: ValidationCode,
    pub min: Option<String>,
    pub max: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ValidationCode) -> Self {
        Self {
            field: field.into(),
            code,
            min: None,
            max: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Type, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    #[error("validation failed: {fields:?}")]
    Validation { fields: Vec<FieldError> },
    #[error("{entity} {id} not found")]
    NotFound { entity: String, id: String },
    #[error("{entity} {id} was changed by someone else")]
    Conflict { entity: String, id: String },
    #[error("forbidden: {reason}")]
    Forbidden { reason: String },
    #[error("database error: {message}")]
    Database { message: String },
    /// Something went wrong inside Forsat itself (a bug, not the input): `code` says
    /// where (`panic` for a command that failed unexpectedly). Nothing was written: a
    /// transaction that did not finish is rolled back.
    #[error("internal error: {code}")]
    Internal { code: String },
    /// Something outside Forsat did not do its part: the update server did not answer
    /// (`update_unreachable`), an update was refused (`update_signature_invalid`), the
    /// system could not open a folder (`open_failed`). Nothing of Forsat's changed.
    #[error("unavailable: {code}")]
    Unavailable { code: String },
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn field(field: impl Into<String>, code: ValidationCode) -> Self {
        AppError::Validation {
            fields: vec![FieldError::new(field, code)],
        }
    }

    /// One refused field with the limits it broke (`min`/`max`, or an issue and a line
    /// for a file's problems).
    pub fn field_limit(field: &str, code: ValidationCode, min: Option<String>, max: Option<String>) -> Self {
        AppError::Validation {
            fields: vec![FieldError {
                field: field.to_owned(),
                code,
                min,
                max,
            }],
        }
    }

    pub fn not_found(entity: &str, id: impl ToString) -> Self {
        AppError::NotFound {
            entity: entity.to_owned(),
            id: id.to_string(),
        }
    }

    pub fn conflict(entity: &str, id: impl ToString) -> Self {
        AppError::Conflict {
            entity: entity.to_owned(),
            id: id.to_string(),
        }
    }

    pub fn database(message: &str) -> Self {
        AppError::Database {
            message: message.to_owned(),
        }
    }

    pub fn internal(code: &str) -> Self {
        AppError::Internal { code: code.to_owned() }
    }

    pub fn unavailable(code: &str) -> Self {
        AppError::Unavailable { code: code.to_owned() }
    }

    pub fn forbidden(reason: &str) -> Self {
        AppError::Forbidden {
            reason: reason.to_owned(),
        }
    }

    /// The field codes of a validation error (handy in tests).
    pub fn field_codes(&self) -> Vec<(String, ValidationCode)> {
        match self {
            AppError::Validation { fields } => fields.iter().map(|f| (f.field.clone(), f.code)).collect(),
            _ => vec![],
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        if connection_lost(&e) {
            // The server went away (restarted, network gone): nothing was written, and
            // the app says so in plain words (`server_unreachable`).
            return AppError::database("server_unreachable");
        }
        let text = e.to_string();
        if text.contains("database is locked") || text.contains("database is busy") {
            // Another writer (a long import, another window) held the SQLite file for
            // longer than the busy timeout: nothing was written; try again shortly.
            return AppError::database("database_busy");
        }
        AppError::Database { message: e.to_string() }
    }
}

/// Whether a database error means the connection is gone rather than the statement
/// being wrong.
fn connection_lost(e: &sea_orm::DbErr) -> bool {
    if matches!(e, sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_)) {
        return true;
    }
    let text = e.to_string().to_lowercase();
    [
        "pool timed out",
        "connection refused",
        "broken pipe",
        "connection reset",
        "unexpected eof",
        "terminating connection",
        "connection closed",
        "error communicating with database",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}
