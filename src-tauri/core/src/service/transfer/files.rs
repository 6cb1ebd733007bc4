//! Files the app writes for the user: the export folder, a free name in it, and saving
//! a file the window made (cleaned name, known kinds only, never overwriting).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::ValidationCode;
use crate::error::{AppError, AppResult};

use super::*;

/// Where exports go: `FORSAT_EXPORT_DIR`, else the user's Downloads folder, else home.
pub const EXPORT_DIR_ENV: &str = "FORSAT_EXPORT_DIR";

/// The export folder (see [`EXPORT_DIR_ENV`]).
pub fn export_dir() -> PathBuf {
    match std::env::var(EXPORT_DIR_ENV) {
        Ok(d) if !d.trim().is_empty() => PathBuf::from(d),
        _ => dirs::download_dir()
            .or_else(dirs::home_dir)
            .unwrap_or_else(std::env::temp_dir),
    }
}

/// The largest file the window may hand over for saving (a report's CSV or chart).
pub const SAVE_MAX_BYTES: usize = 64 * 1024 * 1024;
/// The kinds of file the window may save.
pub(super) const SAVE_EXTENSIONS: [&str; 3] = ["csv", "png", "xlsx"];

/// `file_name` in `dir` if it is free, else "name (2).ext", "name (3).ext", …
pub fn free_path(dir: &Path, file_name: &str) -> PathBuf {
    let (base, ext) = match file_name.rsplit_once('.') {
        Some((b, e)) if !b.is_empty() => (b, format!(".{e}")),
        _ => (file_name, String::new()),
    };
    let mut path = dir.join(file_name);
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base} ({n}){ext}"));
        n += 1;
    }
    path
}

/// Saves a file the window made (a report table as CSV, a chart as PNG, an import's
/// problem list) into `dir` under its name — made safe, and never overwriting: a
/// taken name gets " (2)". Returns where it went. The name must end in .csv, .png or
/// .xlsx; a name with nothing left after cleaning, or a file over 64 MiB, is refused.
/// The longest name of a saved file, in characters (its bytes stay below what file
/// systems allow, with room for a " (2)").
pub const SAVE_NAME_MAX: usize = 120;

pub fn save_file(dir: &Path, file_name: &str, bytes: &[u8]) -> AppResult<PathBuf> {
    let clean: String = file_name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_start_matches(['.', ' ']).to_owned();
    let ext = clean.rsplit_once('.').map(|(b, e)| (b.trim(), e.to_ascii_lowercase()));
    match ext {
        Some((base, ext)) if !base.is_empty() && SAVE_EXTENSIONS.contains(&ext.as_str()) => {}
        _ => return Err(AppError::field("fileName", ValidationCode::Invalid)),
    }
    // File systems count bytes (255 at most), and a Persian letter takes two.
    if clean.chars().count() > SAVE_NAME_MAX || clean.len() > 2 * SAVE_NAME_MAX {
        return Err(AppError::field_limit(
            "fileName",
            ValidationCode::TooLong,
            None,
            Some(SAVE_NAME_MAX.to_string()),
        ));
    }
    if bytes.len() > SAVE_MAX_BYTES {
        return Err(AppError::field("file", ValidationCode::TooLong));
    }
    std::fs::create_dir_all(dir).map_err(io_error)?;
    // create_new: a file that appears between the check and the write is not overwritten.
    for _ in 0..100 {
        let path = free_path(dir, &clean);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(bytes).map_err(io_error)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error(e)),
        }
    }
    Err(io_error("no free file name"))
}
