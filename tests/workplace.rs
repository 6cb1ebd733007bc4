//! Where the app works, as the desktop shell decides it: the first start asks; a team
//! server that does not answer gives the retry screen; signing in keeps the username
//! and (asked to) the password in the keychain — never in the config file — so the
//! next start signs in by itself; signing out forgets it; "another connection" goes
//! back to the first-start screen; "this computer" opens a file there.

mod common;

use std::sync::Arc;

use forsat::commands::AppState;
use forsat::workplace;
use forsat_core::connections::{Connections, Keychain, MemoryKeychain, Place, ServerInput, TlsMode, FILE_NAME};
use forsat_core::domain::UserRole;
use forsat_core::error::AppError;
use forsat_core::server;
use forsat_core::service::users::{self, UserInput};

struct Dirs(std::path::PathBuf);

impl Dirs {
    fn new(name: &str) -> Dirs {
        let d = std::env::temp_dir().join(format!("forsat-workplace-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&d).ok();
        Dirs(d)
    }

    fn state(&self, keychain: &Arc<MemoryKeychain>) -> AppState {
        AppState::new(
            Some(self.0.join("config")),
            Some(self.0.join("data")),
            Box::new(keychain.clone()),
            false,
            false,
        )
    }
}

impl Drop for Dirs {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// host, port, database of an owner URL `postgres://user:pw@host:port/db`.
fn server_of(url: &str) -> ServerInput {
    let rest = url.split_once('@').map(|(_, r)| r).unwrap();
    let (host_port, database) = rest.split_once('/').unwrap();
    let (host, port) = host_port.rsplit_once(':').unwrap();
    ServerInput {
        name: "Head office".into(),
        host: host.into(),
        port: port.parse().unwrap(),
        database: database.split('?').next().unwrap().into(),
        tls: TlsMode::Disable,
    }
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn the_first_start_asks_and_this_computer_opens_a_file() {
    let dirs = Dirs::new("local");
    let keychain = Arc::new(MemoryKeychain::default());
    let state = dirs.state(&keychain);
    workplace::start(&state, None).await.unwrap();
    assert_eq!(state.place().backend, "none", "nothing chosen: the first-start screen");
    assert!(state.db().is_err());
    workplace::open_this_computer(&state).await.unwrap();
    assert_eq!(state.place().backend, "sqlite");
    assert!(
        state.signed_in().is_some(),
        "one user without a password opens directly"
    );
    assert!(dirs.0.join("data").join("forsat.sqlite").exists());
    // A copy that has a file keeps working on it, even without a saved choice.
    let again = dirs.state(&keychain);
    workplace::start(&again, None).await.unwrap();
    assert_eq!(again.place().backend, "sqlite");
}

#[tokio::test]
async fn a_server_that_does_not_answer_gives_the_retry_screen() {
    let dirs = Dirs::new("unreachable");
    let keychain = Arc::new(MemoryKeychain::default());
    let state = dirs.state(&keychain);
    let mut c = Connections::default();
    let conn = c
        .upsert(
            None,
            &ServerInput {
                name: String::new(),
                host: "127.0.0.1".into(),
                port: closed_port(),
                database: "forsat".into(),
                tls: TlsMode::Disable,
            },
        )
        .unwrap();
    c.place = Some(Place::Server { id: conn.id });
    c.save(&dirs.0.join("config")).unwrap();
    let started = std::time::Instant::now();
    workplace::start(&state, None).await.unwrap();
    assert!(started.elapsed() < workplace::ANSWER_TIMEOUT + std::time::Duration::from_secs(2));
    let place = state.place();
    assert_eq!(place.backend, "postgres");
    assert_eq!(place.unreachable.as_deref(), Some("server_unreachable"));
    assert!(state.signed_in().is_none());
    // Another connection: back to the first-start screen, and so is the next start.
    workplace::leave(&state).await.unwrap();
    assert_eq!(state.place().backend, "none");
    let next = dirs.state(&keychain);
    workplace::start(&next, None).await.unwrap();
    assert_eq!(next.place().backend, "none");
}

#[tokio::test]
async fn signing_in_to_a_team_server_remembers_only_in_the_keychain() {
    let Some((owner, owner_url)) = common::postgres_with_url().await else {
        return;
    };
    server::apply_security(&owner).await.unwrap();
    let admin = common::admin(&owner).await;
    users::create(
        &owner,
        &admin,
        UserInput {
            username: "ali".into(),
            display_name: "Ali".into(),
            role: UserRole::Salesperson,
            active: true,
            password: None,
        },
    )
    .await
    .unwrap();
    server::sync_login(&owner, "ali", UserRole::Salesperson, true, Some("ali-secret-pw"))
        .await
        .unwrap();

    let dirs = Dirs::new("server");
    let keychain = Arc::new(MemoryKeychain::default());
    let state = dirs.state(&keychain);
    workplace::start(&state, None).await.unwrap();
    let mut c = Connections::default();
    let conn = c.upsert(None, &server_of(&owner_url)).unwrap();
    c.place = Some(Place::Server { id: conn.id });
    c.save(&dirs.0.join("config")).unwrap();
    workplace::open_server(&state, conn.clone()).await.unwrap();
    assert_eq!(state.place().unreachable, None, "the server answers");
    assert!(state.signed_in().is_none(), "the sign-in screen");

    // A wrong password: a typed refusal, nothing remembered.
    let wrong = workplace::sign_in(&state, "ali", "not-it", true).await.unwrap_err();
    assert!(
        matches!(wrong, AppError::Forbidden { ref reason } if reason == "wrong_credentials"),
        "{wrong:?}"
    );
    assert!(keychain.get(&conn.keychain_account("ali")).is_none());

    assert_eq!(
        workplace::sign_in(&state, "Ali", "ali-secret-pw", true).await.unwrap(),
        None
    );
    let ali = state.signed_in().unwrap();
    assert_eq!(ali.role, UserRole::Salesperson);
    assert_eq!(
        keychain.get(&conn.keychain_account("ali")).as_deref(),
        Some("ali-secret-pw")
    );
    let file = std::fs::read_to_string(dirs.0.join("config").join(FILE_NAME)).unwrap();
    assert!(!file.contains("ali-secret-pw"), "never in the file: {file}");
    assert!(file.contains("\"lastUsername\": \"ali\""), "{file}");

    // The next start signs in by itself, as Ali's own login role.
    let next = dirs.state(&keychain);
    workplace::start(&next, None).await.unwrap();
    assert_eq!(next.signed_in(), Some(ali));
    assert_eq!(
        server::signed_in_username(&next.db().unwrap())
            .await
            .unwrap()
            .as_deref(),
        Some("ali")
    );

    // Signing out forgets the password; the next start asks again.
    workplace::sign_out(&next).await.unwrap();
    assert!(next.signed_in().is_none());
    assert!(next.db().is_err(), "the connection is closed");
    assert!(keychain.get(&conn.keychain_account("ali")).is_none());
    let after = dirs.state(&keychain);
    workplace::start(&after, None).await.unwrap();
    assert!(after.signed_in().is_none());
    assert_eq!(after.place().connection.unwrap().last_username.as_deref(), Some("ali"));

    // Signing in without "remember me" keeps nothing in the keychain.
    workplace::sign_in(&after, "ali", "ali-secret-pw", false).await.unwrap();
    assert!(after.signed_in().is_some());
    assert!(keychain.get(&conn.keychain_account("ali")).is_none());
}
