//! What stands between the IPC payload and a command: arguments read into typed
//! errors, and panics answered instead of swallowed. `#[command]`
//! (`forsat-macros`) puts both around every command.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use serde::de::DeserializeOwned;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::Runtime;

use forsat_core::error::{AppError, AppResult, FieldError, ValidationCode};

/// A command argument read from the IPC payload. Input that does not fit the
/// argument's type is refused as `validation` with the field's path
/// (`lines.0.quantity`, or the argument's name for a plain value) instead of the IPC
/// layer's bare sentence, so the window can say which field is wrong.
pub struct Arg<T>(pub T);

impl<'de, T: DeserializeOwned, R: Runtime> CommandArg<'de, R> for Arg<T> {
    fn from_command(item: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let key = item.key;
        serde_path_to_error::deserialize(item)
            .map(Arg)
            .map_err(|e| InvokeError::from(refusal(key, &e)))
    }
}

impl<T: specta::Type> specta::Type for Arg<T> {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        T::definition(types)
    }
}

/// Runs a command's body; a panic inside it becomes `internal("panic")` (its
/// message goes to the log), so the window gets an answer.
pub async fn guard<T>(body: impl Future<Output = AppResult<T>>) -> AppResult<T> {
    match AssertUnwindSafe(body).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            log::error!("a command failed unexpectedly: {message}");
            Err(AppError::internal("panic"))
        }
    }
}

/// The typed refusal of an argument that could not be read.
fn refusal(key: &str, e: &serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let mut field = path_of(e.path());
    let message = e.inner().to_string();
    let mut error = FieldError::new(String::new(), ValidationCode::Invalid);
    if let Some(missing) = between(&message, "missing field `", "`") {
        field = join(&field, missing);
        error.code = ValidationCode::Required;
    } else if message.contains("missing required key") {
        error.code = ValidationCode::Required;
    } else if let Some((min, max)) = integer_bounds(&message) {
        error.code = ValidationCode::OutOfRange;
        error.min = Some(min.to_owned());
        error.max = Some(max.to_owned());
    }
    // Tauri's argument keys are the Rust names in camelCase already.
    error.field = if field.is_empty() { key.to_owned() } else { field };
    AppError::Validation { fields: vec![error] }
}

/// `lines[0].quantity` in the UI's form: `lines.0.quantity`.
fn path_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        let part = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        out = join(&out, &part);
    }
    out
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_owned()
    } else {
        format!("{path}.{part}")
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// An integer beyond its type ("invalid value: integer `4294967296`, expected i32"):
/// the type's limits.
fn integer_bounds(message: &str) -> Option<(&'static str, &'static str)> {
    if !message.contains("integer") {
        return None;
    }
    let expected = message.split("expected ").nth(1)?.split_whitespace().next()?;
    Some(match expected.trim_end_matches(|c: char| !c.is_alphanumeric()) {
        "i8" => ("-128", "127"),
        "u8" => ("0", "255"),
        "i16" => ("-32768", "32767"),
        "u16" => ("0", "65535"),
        "i32" => ("-2147483648", "2147483647"),
        "u32" => ("0", "4294967295"),
        "i64" => ("-9223372036854775808", "9223372036854775807"),
        "u64" => ("0", "18446744073709551615"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Line {
        quantity: String,
        product_id: i32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Input {
        title: String,
        close_date: Option<chrono::NaiveDate>,
        lines: Vec<Line>,
    }

    fn refuse(json: &str) -> Vec<(String, ValidationCode, Option<String>)> {
        let mut de = serde_json::Deserializer::from_str(json);
        let e = serde_path_to_error::deserialize::<_, Input>(&mut de).unwrap_err();
        match refusal("input", &e) {
            AppError::Validation { fields } => fields.into_iter().map(|f| (f.field, f.code, f.max)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unreadable_arguments_name_their_field() {
        assert_eq!(
            refuse(r#"{"title":"a","closeDate":"2026-02-30","lines":[]}"#),
            vec![("closeDate".into(), ValidationCode::Invalid, None)]
        );
        assert_eq!(
            refuse(r#"{"title":"a","lines":[{"quantity":"1","productId":4294967296}]}"#),
            vec![(
                "lines.0.productId".into(),
                ValidationCode::OutOfRange,
                Some("2147483647".into())
            )]
        );
        assert_eq!(
            refuse(r#"{"title":"a","lines":[{"quantity":"1"}]}"#),
            vec![("lines.0.productId".into(), ValidationCode::Required, None)]
        );
        assert_eq!(
            refuse(r#"{"title":7,"lines":[]}"#),
            vec![("title".into(), ValidationCode::Invalid, None)]
        );
        assert_eq!(
            refuse(r#"{"lines":[]}"#),
            vec![("title".into(), ValidationCode::Required, None)]
        );
    }
}
