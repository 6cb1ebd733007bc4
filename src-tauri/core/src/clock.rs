//! The one clock: "now" as an instant and "today" as a date in the configured time
//! zone. Every date Forsat stamps (won on, lost on, an invoice's issue date) or compares
//! with today (overdue, "this year", the export's file name) comes from a [`Clock`], so
//! the form, the list, the board and the reports agree on what day it is — in Tehran
//! between 00:00 and 03:30, UTC still says yesterday.
//!
//! The zone is the `time_zone` setting (see `service::settings`), defaulting to the
//! operating system's zone. Tests fix the instant for the code they run with
//! [`with_now`], without touching the process's clock.

use std::future::Future;

use chrono::offset::LocalResult;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

tokio::task_local! {
    static FIXED_NOW: DateTime<Utc>;
}

/// A time zone and a source of "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    zone: Tz,
}

impl Clock {
    pub fn new(zone: Tz) -> Self {
        Self { zone }
    }

    /// The clock of the operating system's time zone.
    pub fn os() -> Self {
        Self::new(os_zone())
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The current instant (microsecond precision, as both databases store it).
    pub fn now(&self) -> DateTime<Utc> {
        now()
    }

    /// Today's date in the clock's zone.
    pub fn today(&self) -> NaiveDate {
        self.date_of(self.now())
    }

    /// The instant a day starts in the clock's zone (where a time change skips
    /// midnight, the first instant of that day).
    pub fn day_start(&self, d: NaiveDate) -> DateTime<Utc> {
        let midnight = d.and_time(NaiveTime::MIN);
        match self.zone.from_local_datetime(&midnight) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            // Midnight skipped by a time change: the day starts an hour later at most.
            LocalResult::None => (1..=4)
                .find_map(|q| {
                    self.zone
                        .from_local_datetime(&(midnight + chrono::Duration::minutes(15 * q)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| midnight.and_utc()),
        }
    }

    /// The instant a wall-clock time of a day falls on in the clock's zone: an
    /// ambiguous time (clocks turned back) is its first occurrence, a skipped one
    /// (clocks turned forward) the first valid instant after it.
    pub fn at(&self, d: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
        let local = d.and_time(t);
        match self.zone.from_local_datetime(&local) {
            LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => x.with_timezone(&Utc),
            LocalResult::None => (1..=8)
                .find_map(|q| {
                    self.zone
                        .from_local_datetime(&(local + chrono::Duration::minutes(15 * q)))
                        .earliest()
                })
                .map(|x| x.with_timezone(&Utc))
                .unwrap_or_else(|| local.and_utc()),
        }
    }

    /// The wall-clock time of an instant in the clock's zone.
    pub fn time_of(&self, at: DateTime<Utc>) -> NaiveTime {
        at.with_timezone(&self.zone).time()
    }

    /// The instants of a range of days, inclusive, as `[start, end)`: a date filter's
    /// bounds on a timestamp column.
    pub fn day_range(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (
            from.map(|d| self.day_start(d)),
            to.map(|d| self.day_start(d.succ_opt().unwrap_or(d))),
        )
    }

    /// The date an instant falls on in the clock's zone.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }
}

/// The current instant, truncated to microseconds so a value read back from the
/// database compares equal to the one written. Inside [`with_now`], the fixed instant.
pub fn now() -> DateTime<Utc> {
    let n = FIXED_NOW.try_with(|t| *t).unwrap_or_else(|_| Utc::now());
    DateTime::from_timestamp_micros(n.timestamp_micros()).unwrap_or(n)
}

/// Runs `f` with "now" fixed at `at` (for tests: a deal won at 00:30 in Tehran).
pub async fn with_now<F: Future>(at: DateTime<Utc>, f: F) -> F::Output {
    FIXED_NOW.scope(at, f).await
}

/// A zone by its IANA name ("Asia/Tehran", "America/Toronto", "UTC").
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// The operating system's zone, or UTC when it cannot be told.
pub fn os_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|n| parse_zone(&n))
        .unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[tokio::test]
    async fn today_is_the_date_in_the_configured_zone() {
        // 00:30 on 2 December in Tehran (UTC+03:30) is still 1 December in UTC.
        let instant = at(2026, 12, 1, 21, 0);
        let tehran = Clock::new(chrono_tz::Asia::Tehran);
        let utc = Clock::new(Tz::UTC);
        with_now(instant, async {
            assert_eq!(tehran.today(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
            assert_eq!(utc.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
            assert_eq!(tehran.now(), instant);
        })
        .await;
        // Toronto (UTC−05:00 in winter) at 22:00 is the next day in UTC.
        let toronto = Clock::new(chrono_tz::America::Toronto);
        assert_eq!(
            toronto.date_of(at(2026, 12, 2, 3, 0)),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
    }

    #[test]
    fn days_start_at_local_midnight() {
        let tehran = Clock::new(chrono_tz::Asia::Tehran);
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(tehran.day_start(d), at(2026, 12, 1, 20, 30));
        assert_eq!(
            tehran.day_range(Some(d), Some(d)),
            (Some(at(2026, 12, 1, 20, 30)), Some(at(2026, 12, 2, 20, 30)))
        );
        assert_eq!(Clock::new(Tz::UTC).day_start(d), at(2026, 12, 2, 0, 0));
        // Havana skips midnight when summer time starts (8 March 2026): the day starts at 01:00.
        let havana = Clock::new(chrono_tz::America::Havana);
        let spring = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(havana.day_start(spring), at(2026, 3, 8, 5, 0));
    }

    #[test]
    fn zones_parse_by_name_and_bad_names_are_refused() {
        assert_eq!(parse_zone("Asia/Tehran"), Some(chrono_tz::Asia::Tehran));
        assert_eq!(parse_zone(" UTC "), Some(Tz::UTC));
        assert_eq!(parse_zone("Mars/Olympus"), None);
        assert_eq!(parse_zone(""), None);
    }

    #[test]
    fn now_outside_a_fixed_scope_is_the_system_clock() {
        let before = Utc::now() - chrono::Duration::seconds(1);
        assert!(now() >= before);
    }
}
