//! The Lambda's time. The wall clock is read here and nowhere else in the
//! function: the handler holds a [`Clock`] and passes it, or the times it reads,
//! to what needs one (claims, latency metrics, user lookups' cache, today's date
//! for suppressions, the deadline). A test can fix it.
//!
//! Why not read the time once per invocation: a claim's lease and a delivery's
//! latency are measured when they happen, late in a long invocation.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_trail_alerts::rules::Date;

/// Where the function reads the time: the system's clock, or a fixed instant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<Duration>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock that always says `since_epoch` (tests).
    #[cfg(any(test, feature = "testkit"))]
    pub fn fixed(since_epoch: Duration) -> Self {
        Clock {
            fixed: Some(since_epoch),
        }
    }

    /// Time since the Unix epoch (zero if the system clock is before it).
    pub fn since_epoch(&self) -> Duration {
        self.fixed.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
        })
    }

    /// Seconds since the Unix epoch, with their fraction.
    pub fn unix(&self) -> f64 {
        self.since_epoch().as_secs_f64()
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_secs(&self) -> u64 {
        self.since_epoch().as_secs()
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> u64 {
        self.since_epoch().as_millis() as u64
    }

    /// The time in UTC as CloudTrail writes it: `2026-12-04T10:00:00Z`.
    pub fn utc_text(&self) -> String {
        let secs = self.unix_secs();
        let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
        format!("{}T{h:02}:{m:02}:{s:02}Z", self.today())
    }

    /// Today's UTC date.
    pub fn today(&self) -> Date {
        Date::from_unix_seconds(self.unix_secs() as i64)
    }
}
