//! What a desktop program is expected to do, beyond its window: one running copy per
//! user (a second launch brings it forward and hands over its file), files opened with
//! the app (an import, a `.forsat` backup), the window's size and place remembered,
//! the native menu in the user's language, the log file, and updates.
//!
//! The rules that need no window (which files are handed over, the menu's items and
//! words, the update manifest) are plain functions here, tested without one.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event as _;

use forsat_core::domain::Language;

/// What a handed-over file is for, told by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum OpenedKind {
    /// A CSV or Excel file: the import opens with it.
    Import,
    /// A `.forsat` backup: Settings › Backups offers to restore it.
    Backup,
}

/// The extension Forsat's backups carry (registered with the system at install time).
pub const BACKUP_EXTENSION: &str = "forsat";

pub fn kind_of(path: &Path) -> Option<OpenedKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" | "txt" | "xlsx" => Some(OpenedKind::Import),
        BACKUP_EXTENSION => Some(OpenedKind::Backup),
        _ => None,
    }
}

/// The files among a launch's arguments (`argv[0]`, the program, is skipped): existing
/// files of a kind Forsat opens, relative paths read from `cwd`. Options (`--demo`)
/// and anything else are ignored; at most a few files are taken.
pub fn files_in_args(args: &[String], cwd: &Path) -> Vec<PathBuf> {
    const MAX: usize = 4;
    args.iter()
        .skip(1)
        .filter(|a| !a.starts_with('-') && a.len() < 4096)
        .map(|a| {
            // file:// URLs (macOS and some Linux file managers hand these over).
            let a = a.strip_prefix("file://").unwrap_or(a);
            let p = PathBuf::from(a);
            if p.is_absolute() {
                p
            } else {
                cwd.join(p)
            }
        })
        .filter(|p| kind_of(p).is_some() && p.is_file())
        .take(MAX)
        .collect()
}

/// The desktop side's state: handed-over files waiting for the window, and the update
/// found by the last check (installed only after the user says so).
#[derive(Default)]
pub struct Desktop {
    opened: Mutex<VecDeque<PathBuf>>,
    pub update: tokio::sync::Mutex<Option<tauri_plugin_updater::Update>>,
    /// The verified download of that update (its version, its bytes).
    pub downloaded: tokio::sync::Mutex<Option<(String, Vec<u8>)>>,
}

impl Desktop {
    pub fn push(&self, files: Vec<PathBuf>) -> bool {
        if files.is_empty() {
            return false;
        }
        let mut q = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        for f in files {
            if !q.contains(&f) {
                q.push_back(f);
            }
        }
        while q.len() > 8 {
            q.pop_front();
        }
        true
    }

    /// The oldest handed-over file not yet taken by the window.
    pub fn take(&self) -> Option<PathBuf> {
        self.opened.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
    }
}

/// A file was handed to the running app (a second launch, the system's "Open with"):
/// the window asks for it with `take_opened_file`.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct FileOpened {
    pub kind: OpenedKind,
}

/// Brings the main window forward (a second launch, a clicked notification).
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// What a second launch does in the running app: come forward, and take its files.
pub fn second_launch(app: &AppHandle, args: Vec<String>, cwd: String) {
    log::info!("a second launch was handed over to this window");
    bring_forward(app);
    let files = files_in_args(&args, Path::new(&cwd));
    hand_over(app, files);
}

/// Queues files for the window and tells it.
pub fn hand_over(app: &AppHandle, files: Vec<PathBuf>) {
    let Some(kind) = files.first().and_then(|f| kind_of(f)) else {
        return;
    };
    if app.state::<Desktop>().push(files) {
        if let Err(e) = (FileOpened { kind }).emit(app) {
            log::warn!("could not tell the window about an opened file: {e}");
        }
    }
}

/// The D-Bus name of the single-instance lock on Linux: one running copy per user and
/// profile (the config folder), so that two profiles (`XDG_CONFIG_HOME`) stay apart.
pub fn instance_id(identifier: &str) -> String {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_default();
    // FNV-1a: a short stable name part, not a secret.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in config.to_string_lossy().bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{identifier}.p{:012x}", hash & 0xffff_ffff_ffff)
}

// --- the window's size and place ----------------------------------------------------

/// The window-state plugin writes on exit; this also writes shortly after the window
/// was moved or resized, so that a crash or a killed process keeps the last place.
pub fn remember_window_on_change(window: &tauri::Window, event: &tauri::WindowEvent) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static GENERATION: AtomicU64 = AtomicU64::new(0);
    if !matches!(event, tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_)) {
        return;
    }
    let mine = GENERATION.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        if GENERATION.load(Ordering::SeqCst) == mine {
            use tauri_plugin_window_state::AppHandleExt;
            if let Err(e) = app.save_window_state(window_state_flags()) {
                log::warn!("could not remember the window's size and place: {e}");
            }
        }
    });
}

pub fn window_state_flags() -> tauri_plugin_window_state::StateFlags {
    use tauri_plugin_window_state::StateFlags;
    // Shown or hidden is not remembered: the window always opens shown.
    StateFlags::all() & !StateFlags::VISIBLE
}

// --- the menu -----------------------------------------------------------------------

/// What a menu item asks the window to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum MenuAction {
    NewOpportunity,
    NewIdentity,
    Import,
    BackupNow,
    Opportunities,
    Board,
    Identities,
    Products,
    Reports,
    MyDay,
    Settings,
    CheckForUpdates,
    OpenDataFolder,
    About,
}

/// A menu item was chosen (or its shortcut pressed).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct MenuChosen {
    pub action: MenuAction,
}

/// One entry of the menu: its action, its words in fa and en, its shortcut.
pub struct Entry {
    pub action: MenuAction,
    pub id: &'static str,
    pub fa: &'static str,
    pub en: &'static str,
    pub accelerator: Option<&'static str>,
}

const fn e(
    action: MenuAction,
    id: &'static str,
    fa: &'static str,
    en: &'static str,
    accelerator: Option<&'static str>,
) -> Entry {
    Entry {
        action,
        id,
        fa,
        en,
        accelerator,
    }
}

/// The menus: (fa title, en title, entries). The shortcuts avoid those the screens use
/// themselves (Ctrl+S, Ctrl+N, Ctrl+F, Ctrl+1/2 act on the screen in front).
pub const MENUS: &[(&str, &str, &[Entry])] = &[
    (
        "پرونده",
        "File",
        &[
            e(
                MenuAction::NewOpportunity,
                "new_opportunity",
                "فرصت جدید",
                "New opportunity",
                Some("CmdOrCtrl+Shift+N"),
            ),
            e(
                MenuAction::NewIdentity,
                "new_identity",
                "هویت جدید",
                "New identity",
                None,
            ),
            e(
                MenuAction::Import,
                "import",
                "ورود اطلاعات…",
                "Import…",
                Some("CmdOrCtrl+I"),
            ),
            e(MenuAction::BackupNow, "backup_now", "پشتیبان‌گیری", "Back up", None),
        ],
    ),
    (
        "نما",
        "View",
        &[
            e(
                MenuAction::Opportunities,
                "opportunities",
                "فرصت‌ها",
                "Opportunities",
                Some("Alt+1"),
            ),
            e(MenuAction::Board, "board", "تابلو", "Board", Some("Alt+2")),
            e(
                MenuAction::Identities,
                "identities",
                "هویت‌ها",
                "Identities",
                Some("Alt+3"),
            ),
            e(MenuAction::Products, "products", "محصولات", "Products", Some("Alt+4")),
            e(MenuAction::Reports, "reports", "گزارش‌ها", "Reports", Some("Alt+5")),
            e(MenuAction::MyDay, "my_day", "برنامه امروز", "My day", Some("Alt+6")),
            e(
                MenuAction::Settings,
                "settings",
                "تنظیمات",
                "Settings",
                Some("CmdOrCtrl+Comma"),
            ),
        ],
    ),
    (
        "راهنما",
        "Help",
        &[
            e(
                MenuAction::CheckForUpdates,
                "check_for_updates",
                "بررسی به‌روزرسانی…",
                "Check for updates…",
                None,
            ),
            e(
                MenuAction::OpenDataFolder,
                "open_data_folder",
                "باز کردن پوشهٔ داده‌ها",
                "Open data folder",
                None,
            ),
            e(MenuAction::About, "about", "درباره فرصت", "About Forsat", None),
        ],
    ),
];

pub fn action_of(id: &str) -> Option<MenuAction> {
    MENUS
        .iter()
        .flat_map(|(_, _, entries)| entries.iter())
        .find(|e| e.id == id)
        .map(|e| e.action)
}

/// The native menu in `language`.
pub fn menu<R: Runtime>(app: &AppHandle<R>, language: Language) -> tauri::Result<Menu<R>> {
    let fa = language == Language::Fa;
    let mut bar = MenuBuilder::new(app);
    #[cfg(target_os = "macos")]
    {
        // macOS: the application menu, and the Edit menu its copy and paste shortcuts need.
        let app_menu = SubmenuBuilder::new(app, "Forsat")
            .about(None)
            .separator()
            .services()
            .separator()
            .hide()
            .hide_others()
            .show_all()
            .separator()
            .quit()
            .build()?;
        let edit = SubmenuBuilder::new(app, if fa { "ویرایش" } else { "Edit" })
            .undo()
            .redo()
            .separator()
            .cut()
            .copy()
            .paste()
            .select_all()
            .build()?;
        bar = bar.item(&app_menu).item(&edit);
    }
    for (i, (fa_title, en_title, entries)) in MENUS.iter().enumerate() {
        let mut sub = SubmenuBuilder::new(app, if fa { *fa_title } else { *en_title });
        for entry in entries.iter() {
            let mut item = MenuItemBuilder::with_id(entry.id, if fa { entry.fa } else { entry.en });
            if let Some(acc) = entry.accelerator {
                item = item.accelerator(acc);
            }
            sub = sub.item(&item.build(app)?);
        }
        if i == 0 && !cfg!(target_os = "macos") {
            // Not the predefined item (GTK has none); and "خروج" alone is signing out.
            let quit = MenuItemBuilder::with_id(QUIT_ID, if fa { "خروج از فرصت" } else { "Quit Forsat" })
                .accelerator("CmdOrCtrl+Q")
                .build(app)?;
            sub = sub.separator().item(&quit);
        }
        bar = bar.item(&sub.build()?);
    }
    bar.build()
}

/// Sets the menu in `language` and routes its clicks to the window.
pub fn install_menu(app: &AppHandle, language: Language) {
    // GTK lays the menu bar out by its default direction: right to left in Persian.
    #[cfg(target_os = "linux")]
    {
        let rtl = language == Language::Fa;
        let set = move || {
            gtk::Widget::set_default_direction(if rtl {
                gtk::TextDirection::Rtl
            } else {
                gtk::TextDirection::Ltr
            });
        };
        if let Err(e) = app.run_on_main_thread(set) {
            log::warn!("could not set the menu's direction: {e}");
        }
    }
    match menu(app, language) {
        Ok(m) => {
            if let Err(e) = app.set_menu(m) {
                log::warn!("could not set the menu: {e}");
            }
        }
        Err(e) => log::warn!("could not build the menu: {e}"),
    }
}

/// The File menu's last item (outside macOS, whose application menu has its own).
const QUIT_ID: &str = "quit";

pub fn on_menu_event(app: &AppHandle, event: tauri::menu::MenuEvent) {
    if event.id().as_ref() == QUIT_ID {
        log::info!("quit from the menu");
        app.exit(0);
        return;
    }
    let Some(action) = action_of(event.id().as_ref()) else {
        return;
    };
    bring_forward(app);
    if let Err(e) = (MenuChosen { action }).emit(app) {
        log::warn!("could not tell the window about a menu choice: {e}");
    }
}

// --- the log --------------------------------------------------------------------------

/// The log file's base name (in the system's log folder for the app).
pub const LOG_FILE: &str = "forsat";
/// A log file is rotated at this size; this many old ones are kept.
pub const LOG_MAX_BYTES: u128 = 2 * 1024 * 1024;
pub const LOG_KEEP: usize = 5;

pub fn log_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some(LOG_FILE.into()),
        }))
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Info)
        // Libraries speak at warnings and above only.
        .level_for("sqlx", log::LevelFilter::Warn)
        .level_for("sea_orm", log::LevelFilter::Warn)
        .level_for("tao", log::LevelFilter::Warn)
        .level_for("wry", log::LevelFilter::Warn)
        .max_file_size(LOG_MAX_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(LOG_KEEP))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handed_over_files_are_the_known_kinds_that_exist() {
        let dir = std::env::temp_dir().join(format!("forsat-desktop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["deals.csv", "Deals.XLSX", "old.forsat", "notes.pdf"] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        let args: Vec<String> = [
            "/usr/bin/forsat",
            "--demo",
            "deals.csv",
            "missing.csv",
            "notes.pdf",
            &format!("file://{}", dir.join("old.forsat").display()),
            &dir.join("Deals.XLSX").display().to_string(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let files = files_in_args(&args, &dir);
        assert_eq!(
            files,
            vec![dir.join("deals.csv"), dir.join("old.forsat"), dir.join("Deals.XLSX")]
        );
        assert_eq!(kind_of(&files[0]), Some(OpenedKind::Import));
        assert_eq!(kind_of(&files[1]), Some(OpenedKind::Backup));
        assert!(files_in_args(&["forsat".into()], &dir).is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_queue_keeps_order_without_repeats() {
        let d = Desktop::default();
        assert!(!d.push(vec![]));
        assert!(d.push(vec!["a.csv".into(), "b.csv".into(), "a.csv".into()]));
        assert_eq!(d.take(), Some("a.csv".into()));
        assert_eq!(d.take(), Some("b.csv".into()));
        assert_eq!(d.take(), None);
    }

    #[test]
    fn every_menu_entry_has_both_languages_and_a_unique_id_and_shortcut() {
        let entries: Vec<&Entry> = MENUS.iter().flat_map(|(_, _, e)| e.iter()).collect();
        let mut ids: Vec<&str> = entries.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), entries.len());
        let mut keys: Vec<&str> = entries.iter().filter_map(|e| e.accelerator).collect();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "a shortcut is used twice");
        for e in &entries {
            assert!(!e.fa.is_empty() && !e.en.is_empty());
            assert!(
                e.fa.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{} is not Persian",
                e.fa
            );
            assert_eq!(action_of(e.id), Some(e.action));
            // The screens' own shortcuts are left to them.
            for taken in [
                "CmdOrCtrl+S",
                "CmdOrCtrl+N",
                "CmdOrCtrl+F",
                "CmdOrCtrl+1",
                "CmdOrCtrl+2",
            ] {
                assert_ne!(e.accelerator, Some(taken));
            }
        }
        assert_eq!(action_of("nothing"), None);
    }

    /// The menu names the sections with the words of the window's navigation.
    #[test]
    fn the_menu_uses_the_windows_words() {
        for (lang, catalog) in [
            ("fa", include_str!("../ui/src/i18n/fa/common.json")),
            ("en", include_str!("../ui/src/i18n/en/common.json")),
        ] {
            let nav = &serde_json::from_str::<serde_json::Value>(catalog).unwrap()["nav"];
            let word = |id: &str| {
                let e = MENUS
                    .iter()
                    .flat_map(|(_, _, e)| e.iter())
                    .find(|e| e.id == id)
                    .unwrap();
                if lang == "fa" {
                    e.fa
                } else {
                    e.en
                }
            };
            for (menu, key) in [
                ("my_day", "today"),
                ("identities", "identities"),
                ("opportunities", "opportunities"),
                ("products", "products"),
                ("reports", "reports"),
                ("settings", "settings"),
            ] {
                assert_eq!(word(menu), nav[key].as_str().unwrap(), "{lang}: {menu}");
            }
        }
    }

    #[test]
    fn the_instance_lock_is_a_valid_dbus_name_per_profile() {
        let id = instance_id("app.forsat.crm");
        assert!(id.starts_with("app.forsat.crm.p"));
        assert!(id.split('.').all(|part| !part.is_empty()
            && !part.as_bytes()[0].is_ascii_digit()
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')));
        assert!(id.len() < 255);
    }
}
