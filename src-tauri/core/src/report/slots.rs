//! Reports share the connection pool with everything else, and at a million rows a
//! report holds its connection for seconds. Left alone, a user clicking through four
//! report tabs takes every pooled connection, and the list they go back to waits
//! behind them until the pool times out. So reports run in a few slots of their own
//! ([`REPORT_SLOTS`]; a dashboard runs two lanes at once, so two slots hold at most
//! four connections, fewer than the smallest pool, SQLite's six): further reports
//! wait here, in the app, for a slot — never on the pool — and interactive calls
//! (lists, the board, forms, saves) always find a connection free.

use std::future::Future;

use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Reports running at once (SQLite's pool has 6 connections, a team server's 8).
pub const REPORT_SLOTS: usize = 2;

pub struct Slots(Semaphore);

impl Default for Slots {
    fn default() -> Self {
        Self::new(REPORT_SLOTS)
    }
}

impl Slots {
    pub fn new(slots: usize) -> Self {
        Self(Semaphore::new(slots.max(1)))
    }

    /// Runs a report in a slot, waiting for one first.
    pub async fn run<T>(&self, report: impl Future<Output = AppResult<T>>) -> AppResult<T> {
        let _slot = self
            .0
            .acquire()
            .await
            .map_err(|_| AppError::internal("report slots closed"))?;
        report.await
    }

    /// Slots free now.
    pub fn free(&self) -> usize {
        self.0.available_permits()
    }
}
