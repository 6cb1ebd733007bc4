//! Live changes: which records changed since a screen last looked, for whoever is
//! asking. Every write of the app leaves a `change_log` row (entity, id, who, when), so
//! the change log is the feed: [`Feed::poll`] reads the rows after its cursor and keeps
//! only those the actor may read (`records::readable_logs`, the Changes panel's rule),
//! so nobody is told about a record they may not see — not even its id. On a team
//! server the rows come through the user's own connection, so row-level security
//! filters them too, and an `AFTER INSERT` statement trigger on `change_log` sends an
//! empty `NOTIFY forsat_changes` on commit (never on rollback; empty payloads of one
//! transaction collapse into one), which [`Listener`] waits for. On SQLite the app
//! polls the feed: cheap (the primary key), and it notices other processes writing
//! the same file as well as other windows of this one.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::domain::{Actor, ChangeAction};
use crate::entity::change_log;
use crate::error::{AppError, AppResult};
use crate::service::records;

/// The notification channel of a team server.
pub const CHANNEL: &str = "forsat_changes";
/// Ids are handed out before commit, so a row may appear below the cursor a moment
/// after a later one: the feed looks this far back (and remembers what it saw).
const LOOKBACK: i64 = 2_000;
/// More new rows than this at once (an import): "refresh everything" instead of a list.
const BURST: usize = 500;

/// One changed record, as a screen needs it to refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRef {
    /// "opportunity", "identity", "financial_record", "product", ...
    pub entity: String,
    pub id: i32,
    pub action: ChangeAction,
    /// Who changed it.
    pub user_id: Option<i32>,
    pub at: DateTime<Utc>,
}

/// What changed since the last poll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub changes: Vec<ChangeRef>,
    /// Too much at once to list: every screen refreshes.
    pub refresh_all: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.refresh_all
    }
}

/// A cursor over the change log.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    cursor: i64,
    seen: BTreeSet<i64>,
}

impl Feed {
    /// A feed that starts now: what happened before is already on screen.
    pub async fn start<C: ConnectionTrait>(db: &C) -> AppResult<Feed> {
        let last = change_log::Entity::find()
            .select_only()
            .column_as(change_log::Column::Id.max(), "max")
            .into_tuple::<Option<i64>>()
            .one(db)
            .await?
            .flatten()
            .unwrap_or(0);
        // What is already there, in the look-back window too, is not news.
        let seen = change_log::Entity::find()
            .select_only()
            .column(change_log::Column::Id)
            .filter(change_log::Column::Id.gt(last - LOOKBACK))
            .into_tuple::<i64>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        Ok(Feed { cursor: last, seen })
    }

    /// The changes committed since the last poll that `actor` may know about.
    pub async fn poll<C: ConnectionTrait>(&mut self, db: &C, actor: &Actor) -> AppResult<Batch> {
        let from = (self.cursor - LOOKBACK).max(0);
        let rows = change_log::Entity::find()
            .filter(change_log::Column::Id.gt(from))
            .order_by_asc(change_log::Column::Id)
            .limit((LOOKBACK as u64) + (BURST as u64) + 1)
            .all(db)
            .await?;
        let fresh: Vec<change_log::Model> = rows.into_iter().filter(|r| !self.seen.contains(&r.id)).collect();
        for r in &fresh {
            self.seen.insert(r.id);
            self.cursor = self.cursor.max(r.id);
        }
        let keep_from = self.cursor - LOOKBACK;
        self.seen = self.seen.split_off(&keep_from);
        if fresh.len() > BURST {
            return Ok(Batch {
                changes: vec![],
                refresh_all: true,
            });
        }
        let mut by_entity: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for r in &fresh {
            by_entity.entry(r.entity.clone()).or_default().push(r.record_id);
        }
        let mut readable: BTreeMap<String, std::collections::HashSet<i32>> = BTreeMap::new();
        for (entity, ids) in by_entity {
            let ok = records::readable_logs(db, actor, &entity, &ids).await?;
            readable.insert(entity, ok);
        }
        let mut changes: Vec<ChangeRef> = vec![];
        for r in fresh {
            if !readable
                .get(r.entity.as_str())
                .is_some_and(|ids| ids.contains(&r.record_id))
            {
                continue;
            }
            let c = ChangeRef {
                action: ChangeAction::parse(&r.action).unwrap_or(ChangeAction::Update),
                entity: r.entity,
                id: r.record_id,
                user_id: r.user_id,
                at: r.at,
            };
            // One entry per record: the latest.
            changes.retain(|x| !(x.entity == c.entity && x.id == c.id));
            changes.push(c);
        }
        Ok(Batch {
            changes,
            refresh_all: false,
        })
    }
}

/// What the team server's listener heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Something was committed: poll the feed.
    Changed,
    /// The connection was lost and made again: notifications may have been missed, so
    /// every screen refreshes.
    Reconnected,
}

/// How long (re)connecting the listener may take before the server counts as away: a
/// pool keeps retrying a refused connection for much longer.
const CONNECT_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Waits for the team server's change notifications on a connection of its own.
pub struct Listener {
    inner: sea_orm::sqlx::postgres::PgListener,
    pool: sea_orm::sqlx::PgPool,
}

impl Listener {
    pub async fn connect(db: &DatabaseConnection) -> AppResult<Listener> {
        if db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Err(AppError::database("not_a_team_server"));
        }
        let pool = db.get_postgres_connection_pool().clone();
        Ok(Listener {
            inner: Self::listen(&pool).await?,
            pool,
        })
    }

    async fn listen(pool: &sea_orm::sqlx::PgPool) -> AppResult<sea_orm::sqlx::postgres::PgListener> {
        let unreachable = || AppError::database("server_unreachable");
        tokio::time::timeout(CONNECT_WITHIN, async {
            let mut l = sea_orm::sqlx::postgres::PgListener::connect_with(pool)
                .await
                .map_err(|_| unreachable())?;
            // A lost connection is reported at once; this wrapper reconnects, within
            // CONNECT_WITHIN.
            l.eager_reconnect(false);
            l.listen(CHANNEL).await.map_err(|_| unreachable())?;
            Ok(l)
        })
        .await
        .map_err(|_| unreachable())?
    }

    /// The next signal. A lost connection is made again at once when the server
    /// answers (`Reconnected`); an error means it does not answer now — calling again
    /// tries again (the caller waits in between).
    pub async fn next(&mut self) -> AppResult<Signal> {
        match self.inner.try_recv().await {
            Ok(Some(_)) => Ok(Signal::Changed),
            Ok(None) | Err(_) => {
                self.inner = Self::listen(&self.pool).await?;
                Ok(Signal::Reconnected)
            }
        }
    }
}

/// What [`watch`] tells the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Changes(Batch),
    /// The team server was lost (`false`) or is back (`true`).
    Online(bool),
}

/// How often SQLite's feed is read.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(400);
/// A team server's feed is also read this often, in case a notification went astray.
const SAFETY_POLL: std::time::Duration = std::time::Duration::from_secs(15);
/// The longest wait between two attempts to reach a lost server.
const RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(5);

/// Watches for changes as `actor` on `db` and tells `emit`, until the task is
/// stopped (signing out aborts it). On a team server: the listener, a refresh of
/// everything after a reconnect, `Online(false)` while the server cannot be reached
/// and retries with back-off. On SQLite: the feed every [`POLL`].
pub async fn watch<F: FnMut(Event) + Send>(db: DatabaseConnection, actor: Actor, mut emit: F) {
    let mut feed = loop {
        match Feed::start(&db).await {
            Ok(f) => break f,
            Err(_) => tokio::time::sleep(RETRY_MAX).await,
        }
    };
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        loop {
            tokio::time::sleep(POLL).await;
            if let Ok(batch) = feed.poll(&db, &actor).await {
                if !batch.is_empty() {
                    emit(Event::Changes(batch));
                }
            }
        }
    }
    let mut online = true;
    let mut wait = std::time::Duration::from_millis(250);
    loop {
        let mut listener = match Listener::connect(&db).await {
            Ok(l) => l,
            Err(_) => {
                if online {
                    online = false;
                    emit(Event::Online(false));
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(RETRY_MAX);
                continue;
            }
        };
        wait = std::time::Duration::from_millis(250);
        if !std::mem::replace(&mut online, true) {
            emit(Event::Online(true));
            refresh(&mut feed, &db, &actor, &mut emit).await;
        }
        loop {
            match tokio::time::timeout(SAFETY_POLL, listener.next()).await {
                Err(_) | Ok(Ok(Signal::Changed)) => {
                    // Bounded: a server gone silent (no network) shows here.
                    match tokio::time::timeout(CONNECT_WITHIN * 2, feed.poll(&db, &actor)).await {
                        Ok(Ok(batch)) if !batch.is_empty() => emit(Event::Changes(batch)),
                        Ok(Ok(_)) => {}
                        Ok(Err(AppError::Database { message })) if message == "server_unreachable" => {
                            online = false;
                            emit(Event::Online(false));
                            break;
                        }
                        Ok(Err(_)) => {}
                        Err(_) => {
                            online = false;
                            emit(Event::Online(false));
                            break;
                        }
                    }
                }
                Ok(Ok(Signal::Reconnected)) => refresh(&mut feed, &db, &actor, &mut emit).await,
                Ok(Err(_)) => {
                    online = false;
                    emit(Event::Online(false));
                    break;
                }
            }
        }
    }
}

/// After a gap: every screen refreshes, and the feed moves past what it missed.
async fn refresh<F: FnMut(Event)>(feed: &mut Feed, db: &DatabaseConnection, actor: &Actor, emit: &mut F) {
    let _ = feed.poll(db, actor).await;
    emit(Event::Changes(Batch {
        changes: vec![],
        refresh_all: true,
    }));
}
