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
/// The folder `FORSAT_EXPORT_DIR` names, if any: files are then saved there without
/// asking (an office's deployment choice, and the tests'); otherwise the window asks
/// where with the system's save dialog, starting in [`export_dir`].
pub fn fixed_export_dir() -> Option<PathBuf> {
    std::env::var(EXPORT_DIR_ENV)
        .ok()
        .filter(|d| !d.trim().is_empty())
        .map(PathBuf::from)
}

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
    let clean = clean_file_name(file_name)?;
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

/// The path the user chose in the save dialog, with the kind's extension added when
/// they left it off (`fallback_ext`), refused when it is not a kind the window saves.
pub fn chosen_path(path: &Path, fallback_ext: &str) -> AppResult<PathBuf> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| AppError::field("fileName", ValidationCode::Invalid))?;
    let has_ext = name
        .rsplit_once('.')
        .is_some_and(|(b, e)| !b.is_empty() && SAVE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    let name = if has_ext {
        clean_file_name(name)?
    } else {
        clean_file_name(&format!("{name}.{fallback_ext}"))?
    };
    Ok(path.with_file_name(name))
}

/// Writes `bytes` to the path the user chose (and agreed to replace, if it existed):
/// into a temporary file beside it, then renamed over it, so a failed write never
/// leaves half a file.
pub fn save_to(path: &Path, bytes: &[u8]) -> AppResult<PathBuf> {
    if bytes.len() > SAVE_MAX_BYTES {
        return Err(AppError::field("file", ValidationCode::TooLong));
    }
    let dir = path
        .parent()
        .ok_or_else(|| AppError::field("fileName", ValidationCode::Invalid))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.part"));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    };
    if let Err(e) = write() {
        std::fs::remove_file(&temp).ok();
        return Err(io_error(e));
    }
    Ok(path.to_path_buf())
}

/// A file name the window asked for, cleaned of what file systems refuse: one of the
/// kinds it saves, at most [`SAVE_NAME_MAX`] characters.
pub fn clean_file_name(file_name: &str) -> AppResult<String> {
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
    Ok(clean)
}

#[cfg(test)]
mod save_tests {
    use super::*;

    #[test]
    fn a_chosen_path_keeps_a_known_kind_or_gets_the_suggested_one() {
        let dir = Path::new("/tmp/x");
        assert_eq!(
            chosen_path(&dir.join("report.csv"), "csv").unwrap(),
            dir.join("report.csv")
        );
        assert_eq!(chosen_path(&dir.join("report"), "csv").unwrap(), dir.join("report.csv"));
        assert_eq!(
            chosen_path(&dir.join("chart.PNG"), "png").unwrap(),
            dir.join("chart.PNG")
        );
        assert_eq!(
            chosen_path(&dir.join("notes.exe"), "csv").unwrap(),
            dir.join("notes.exe.csv")
        );
        assert!(chosen_path(Path::new("/"), "csv").is_err());
    }

    #[test]
    fn saving_to_a_chosen_path_replaces_it_whole() {
        let dir = std::env::temp_dir().join(format!("forsat-save-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("list.csv");
        std::fs::write(&path, b"old and longer content").unwrap();
        assert_eq!(save_to(&path, b"new").unwrap(), path);
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert!(!dir.join(".list.csv.part").exists());
        // A folder that does not exist: refused, nothing left behind.
        assert!(save_to(&dir.join("missing").join("x.csv"), b"x").is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
