//! Reports share the connection pool with everything else, and at a million rows a
//! report holds its connection for seconds. Left alone, a user clicking through four
//! report tabs takes every pooled connection, and the list they go back to waits
//! behind them until the pool times out. So reports run in a few slots of their own
//! ([`REPORT_SLOTS`]; a dashboard runs two lanes at once, so two slots hold at most
//! four connections, fewer than the smallest pool, SQLite's six): further reports
//! wait here, in the app, for a slot — never on the pool — and interactive calls
//! (lists, the board, forms, saves) always find a connection free.

//!
//! A report asked with a ticket can be called off while it waits for a slot
//! ([`Slots::cancel`]: the window does it when the user has gone elsewhere), so a
//! queue of reports nobody looks at any more never delays the one on screen. One that
//! already runs finishes in its slot (its statement holds a pooled connection until it
//! ends), and the window drops its answer.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, Semaphore};

use crate::error::{AppError, AppResult};

/// The longest ticket accepted (the window sends a UUID).
pub const TICKET_MAX: usize = 64;
/// How many tickets called off before their report arrived are remembered.
const EARLY_CANCELS_MAX: usize = 256;

/// Reports running at once (SQLite's pool has 6 connections, a team server's 8).
pub const REPORT_SLOTS: usize = 2;

pub struct Slots {
    slots: Semaphore,
    /// Reports waiting for a slot, by ticket.
    waiting: Mutex<HashMap<String, Arc<Notify>>>,
    /// Tickets called off before their report came (the calls cross on the way).
    early: Mutex<HashSet<String>>,
}

impl Default for Slots {
    fn default() -> Self {
        Self::new(REPORT_SLOTS)
    }
}

impl Slots {
    pub fn new(slots: usize) -> Self {
        Self {
            slots: Semaphore::new(slots.max(1)),
            waiting: Mutex::default(),
            early: Mutex::default(),
        }
    }

    /// Runs a report in a slot, waiting for one first.
    pub async fn run<T>(&self, report: impl Future<Output = AppResult<T>>) -> AppResult<T> {
        self.run_as(None, report).await
    }

    /// [`Self::run`], which [`Self::cancel`] with the same `ticket` calls off while it
    /// waits: it then answers `unavailable(cancelled)` and never runs.
    pub async fn run_as<T>(&self, ticket: Option<&str>, report: impl Future<Output = AppResult<T>>) -> AppResult<T> {
        let closed = |_| AppError::internal("report slots closed");
        let Some(ticket) = ticket else {
            let _slot = self.slots.acquire().await.map_err(closed)?;
            return report.await;
        };
        check_ticket(ticket)?;
        if lock(&self.early).remove(ticket) {
            return Err(AppError::unavailable("cancelled"));
        }
        let called_off = Arc::new(Notify::new());
        lock(&self.waiting).insert(ticket.to_owned(), called_off.clone());
        let slot = tokio::select! {
            slot = self.slots.acquire() => slot,
            _ = called_off.notified() => {
                lock(&self.waiting).remove(ticket);
                return Err(AppError::unavailable("cancelled"));
            }
        };
        lock(&self.waiting).remove(ticket);
        let _slot = slot.map_err(closed)?;
        report.await
    }

    /// Calls off the report asked with `ticket` if it still waits for a slot (or has
    /// not arrived yet); one that runs already finishes.
    pub fn cancel(&self, ticket: &str) -> AppResult<()> {
        check_ticket(ticket)?;
        match lock(&self.waiting).remove(ticket) {
            Some(waiter) => waiter.notify_one(),
            None => {
                let mut early = lock(&self.early);
                if early.len() >= EARLY_CANCELS_MAX {
                    early.clear();
                }
                early.insert(ticket.to_owned());
            }
        }
        Ok(())
    }

    /// Slots free now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }

    /// Reports waiting for a slot now.
    pub fn queued(&self) -> usize {
        lock(&self.waiting).len()
    }
}

fn check_ticket(ticket: &str) -> AppResult<()> {
    if ticket.is_empty() || ticket.len() > TICKET_MAX {
        let mut v = crate::domain::Validator::new();
        v.push_limit(
            "ticket",
            crate::domain::ValidationCode::TooLong,
            Some("1".into()),
            Some(TICKET_MAX.to_string()),
        );
        v.finish()?;
    }
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
