//! Where this copy of Forsat works: on this computer (a SQLite file) or on a team
//! server, and the team servers it knows. Saved in the app's config folder as
//! `connections.json`; a remembered password is never in that file, only in the OS
//! keychain ([`Keychain`]), under the connection and the username.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::{ValidationCode, Validator};
use crate::error::{AppError, AppResult};

/// The file in the app's config folder.
pub const FILE_NAME: &str = "connections.json";
/// The keychain's service name for remembered passwords.
pub const KEYCHAIN_SERVICE: &str = "app.forsat.crm";
/// Enough for any office; refuses a crafted config or request rather than growing.
const SERVERS_MAX: usize = 50;

/// How the connection to the server is protected (PostgreSQL's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TlsMode {
    /// No encryption (a server on this computer or a trusted office network).
    Disable,
    /// Encrypted when the server offers it.
    Prefer,
    /// Always encrypted; the certificate is not checked.
    Require,
    /// Always encrypted, and the certificate must name the host.
    VerifyFull,
}

impl TlsMode {
    fn sslmode(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyFull => "verify-full",
        }
    }
}

/// A team server as the user entered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerInput {
    /// What the user calls it ("Head office"); the host when empty.
    pub name: String,
    pub host: String,
    pub port: u16,
    pub database: String,
    pub tls: TlsMode,
}

/// A saved team server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServerConnection {
    pub id: u32,
    pub name: String,
    pub host: String,
    pub port: u16,
    pub database: String,
    pub tls: TlsMode,
    /// Who signed in last, offered on the sign-in screen.
    #[serde(default)]
    pub last_username: Option<String>,
    /// A password for `last_username` is in the keychain.
    #[serde(default)]
    pub remembered: bool,
}

impl ServerConnection {
    /// The server's URL, without credentials (`server::client_url` adds the user's).
    pub fn url(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!(
            "postgres://{host}:{}/{}?sslmode={}",
            self.port,
            self.database,
            self.tls.sslmode()
        )
    }

    /// The keychain entry of a user on this server.
    pub fn keychain_account(&self, username: &str) -> String {
        format!("{username}@{}:{}/{}", self.host, self.port, self.database)
    }
}

/// Where the app opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Place {
    /// A SQLite file in the app's data folder.
    ThisComputer,
    /// A saved team server.
    Server { id: u32 },
}

/// The saved file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connections {
    /// `None` until the first start's choice.
    #[serde(default)]
    pub place: Option<Place>,
    #[serde(default)]
    pub servers: Vec<ServerConnection>,
}

/// Checks and tidies what the user entered.
pub fn validate(input: &ServerInput) -> AppResult<ServerInput> {
    let mut v = Validator::new();
    let host = v.required_text("host", &input.host, 253);
    // A host name or an IP address; nothing that could change the URL's meaning.
    if !host.is_empty()
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
    {
        v.push("host", ValidationCode::Invalid);
    }
    if input.port == 0 {
        v.push("port", ValidationCode::OutOfRange);
    }
    let database = v.required_text("database", &input.database, 63);
    if !database.is_empty()
        && !database
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        v.push("database", ValidationCode::Invalid);
    }
    let name = v.optional_text("name", Some(&input.name), 100).unwrap_or_default();
    v.finish()?;
    Ok(ServerInput {
        name: if name.is_empty() { host.clone() } else { name },
        host,
        port: input.port,
        database,
        tls: input.tls,
    })
}

impl Connections {
    /// Reads the file; a missing file is the first start. A damaged file is not
    /// trusted, and not overwritten until the user chooses again.
    pub fn load(dir: &Path) -> Connections {
        std::fs::read_to_string(dir.join(FILE_NAME))
            .ok()
            .and_then(|text| serde_json::from_str::<Connections>(&text).ok())
            .map(|mut c| {
                c.servers.truncate(SERVERS_MAX);
                if let Some(Place::Server { id }) = c.place {
                    if c.server(id).is_none() {
                        c.place = None;
                    }
                }
                c
            })
            .unwrap_or_default()
    }

    /// Writes the file (through a temporary file, so a crash never leaves half of it).
    pub fn save(&self, dir: &Path) -> AppResult<()> {
        let io = |e: std::io::Error| AppError::database(&format!("could not save the connections: {e}"));
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp: PathBuf = dir.join(format!("{FILE_NAME}.tmp"));
        let text = serde_json::to_string_pretty(self).map_err(|e| AppError::database(&e.to_string()))?;
        std::fs::write(&tmp, text).map_err(io)?;
        std::fs::rename(&tmp, dir.join(FILE_NAME)).map_err(io)
    }

    pub fn server(&self, id: u32) -> Option<&ServerConnection> {
        self.servers.iter().find(|s| s.id == id)
    }

    pub fn server_mut(&mut self, id: u32) -> Option<&mut ServerConnection> {
        self.servers.iter_mut().find(|s| s.id == id)
    }

    /// Adds a server (or updates the one with `id`); the same host, port and database
    /// are one connection.
    pub fn upsert(&mut self, id: Option<u32>, input: &ServerInput) -> AppResult<ServerConnection> {
        let input = validate(input)?;
        let same = |s: &ServerConnection| {
            s.host.eq_ignore_ascii_case(&input.host) && s.port == input.port && s.database == input.database
        };
        let id = match id {
            Some(id) => {
                if self.server(id).is_none() {
                    return Err(AppError::not_found("connection", id));
                }
                if self.servers.iter().any(|s| s.id != id && same(s)) {
                    return Err(AppError::field("host", ValidationCode::Duplicate));
                }
                id
            }
            None => match self.servers.iter().find(|s| same(s)) {
                Some(s) => s.id,
                None => {
                    if self.servers.len() >= SERVERS_MAX {
                        return Err(AppError::field("host", ValidationCode::TooLong));
                    }
                    let id = self.servers.iter().map(|s| s.id).max().unwrap_or(0) + 1;
                    self.servers.push(ServerConnection {
                        id,
                        name: String::new(),
                        host: String::new(),
                        port: 0,
                        database: String::new(),
                        tls: input.tls,
                        last_username: None,
                        remembered: false,
                    });
                    id
                }
            },
        };
        let s = self.server_mut(id).expect("just found or added");
        let moved = !(s.host == input.host && s.port == input.port && s.database == input.database);
        s.name = input.name;
        s.host = input.host;
        s.port = input.port;
        s.database = input.database;
        s.tls = input.tls;
        if moved {
            // Another server: what was remembered for the old one does not apply.
            s.remembered = false;
        }
        Ok(s.clone())
    }

    pub fn remove(&mut self, id: u32) -> Option<ServerConnection> {
        let at = self.servers.iter().position(|s| s.id == id)?;
        if self.place == Some(Place::Server { id }) {
            self.place = None;
        }
        Some(self.servers.remove(at))
    }
}

/// Where remembered passwords live: the OS keychain in the app, memory in tests.
pub trait Keychain: Send + Sync {
    fn get(&self, account: &str) -> Option<String>;
    fn set(&self, account: &str, password: &str) -> AppResult<()>;
    fn delete(&self, account: &str);
}

/// The operating system's keychain (macOS Keychain, Windows Credential Manager, the
/// Secret Service on Linux).
pub struct OsKeychain;

impl Keychain for OsKeychain {
    fn get(&self, account: &str) -> Option<String> {
        keyring::Entry::new(KEYCHAIN_SERVICE, account).ok()?.get_password().ok()
    }

    fn set(&self, account: &str, password: &str) -> AppResult<()> {
        keyring::Entry::new(KEYCHAIN_SERVICE, account)
            .and_then(|e| e.set_password(password))
            .map_err(|_| AppError::forbidden("keychain_unavailable"))
    }

    fn delete(&self, account: &str) {
        if let Ok(e) = keyring::Entry::new(KEYCHAIN_SERVICE, account) {
            e.delete_credential().ok();
        }
    }
}

impl<K: Keychain> Keychain for std::sync::Arc<K> {
    fn get(&self, account: &str) -> Option<String> {
        (**self).get(account)
    }

    fn set(&self, account: &str, password: &str) -> AppResult<()> {
        (**self).set(account, password)
    }

    fn delete(&self, account: &str) {
        (**self).delete(account)
    }
}

/// A keychain in memory (tests).
#[derive(Default)]
pub struct MemoryKeychain(std::sync::Mutex<std::collections::HashMap<String, String>>);

impl Keychain for MemoryKeychain {
    fn get(&self, account: &str) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(account).cloned()
    }

    fn set(&self, account: &str, password: &str) -> AppResult<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(account.to_owned(), password.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(host: &str, port: u16, database: &str) -> ServerInput {
        ServerInput {
            name: String::new(),
            host: host.into(),
            port,
            database: database.into(),
            tls: TlsMode::Prefer,
        }
    }

    #[test]
    fn servers_are_checked_and_never_change_the_url() {
        assert!(validate(&input("db.office", 5432, "forsat")).is_ok());
        for (host, db) in [
            ("", "forsat"),
            ("db.office/evil", "forsat"),
            ("user@db.office", "forsat"),
            ("db office", "forsat"),
            ("db.office", ""),
            ("db.office", "forsat?sslmode=disable"),
            ("db.office", "a/b"),
        ] {
            assert!(validate(&input(host, 5432, db)).is_err(), "{host} {db}");
        }
        assert!(validate(&input("db.office", 0, "forsat")).is_err());
        let c = Connections::default()
            .upsert(None, &input("  db.office ", 5433, "crm"))
            .unwrap();
        assert_eq!(c.name, "db.office");
        assert_eq!(c.url(), "postgres://db.office:5433/crm?sslmode=prefer");
    }

    #[test]
    fn one_entry_per_server_and_the_file_round_trips() {
        let dir = std::env::temp_dir().join(format!("forsat-connections-{}", std::process::id()));
        let mut c = Connections::load(&dir);
        assert_eq!(c, Connections::default(), "no file: the first start");
        let a = c.upsert(None, &input("db.office", 5432, "forsat")).unwrap();
        let again = c.upsert(None, &input("DB.office", 5432, "forsat")).unwrap();
        assert_eq!(a.id, again.id);
        let b = c.upsert(None, &input("10.0.0.2", 5432, "forsat")).unwrap();
        assert_ne!(a.id, b.id);
        assert!(c.upsert(Some(b.id), &input("db.office", 5432, "forsat")).is_err());
        c.server_mut(a.id).unwrap().remembered = true;
        c.upsert(Some(a.id), &input("db2.office", 5432, "forsat")).unwrap();
        assert!(!c.server(a.id).unwrap().remembered, "a moved server forgets");
        c.place = Some(Place::Server { id: b.id });
        c.save(&dir).unwrap();
        assert_eq!(Connections::load(&dir), c);
        assert!(!std::fs::read_to_string(dir.join(FILE_NAME))
            .unwrap()
            .contains("password"));
        c.remove(b.id);
        assert_eq!(c.place, None);
        std::fs::write(dir.join(FILE_NAME), "{ not json").unwrap();
        assert_eq!(Connections::load(&dir), Connections::default());
        std::fs::remove_dir_all(&dir).ok();
    }
}
