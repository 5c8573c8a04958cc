//! The invocation's deadline (Lambda's `Context.deadline`): no step that waits on
//! the network starts unless its bound, plus the time kept for writing the
//! metrics, fits in what is left. What is not started is left for the retry: the
//! invocation fails (a Batch Operations task becomes a `TemporaryFailure`, an SQS
//! message a `batchItemFailures` entry), after writing the metrics it has.
//!
//! Why these numbers (README "Deadlines" has the table): every call has a bound
//! that includes the SDK's retries, so a step's worst case is a sum of bounds.
//!
//! | bound | seconds | what |
//! |---|---|---|
//! | [`SDK_OPERATION`] | 25 | one S3, SNS or CloudWatch call, its retries included (`crate::timeouts`) |
//! | [`BODY_IDLE`] | 20 | a download that stalls this long fails (`aws::s3`) |
//! | [`STATE_CALL`] | 12 | one DynamoDB call, retries included (`aws::state_timeouts`) |
//! | [`LOOKUPS`] | 1 | a file's user lookups, in parallel (`users::LOOKUP_TIMEOUT`) |
//! | [`PUBLISH_ROUND`] | 16 | one PublishBatch (`publish::PUBLISH_TIMEOUT`, 15 s) and the backoff before it |
//! | [`METRICS_TIMEOUT`] | 8 | PutMetricData at the end |
//!
//! A file ([`FILE`]: GetObject, a stalled body, the tracked settings' one read)
//! starts with at least 57 + 10 s left; a batch of notices ([`BATCH`]: claim,
//! lookups, one round, completion) with 41 + 10 s; a retry round ([`ROUND`]) with
//! 28 + 10 s. Whatever starts therefore ends with [`RESERVE`] (10 s) left, enough
//! for the metrics (8 s) — inside the template's 120 s timeout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::failure::CallError;

const fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Kept free at every check: writing the metrics ([`METRICS_TIMEOUT`]) and answering.
pub const RESERVE: Duration = secs(10);
/// PutMetricData at the end of an invocation.
pub const METRICS_TIMEOUT: Duration = secs(8);
/// One S3, SNS or CloudWatch call with the SDK's retries (`operation_timeout`).
pub const SDK_OPERATION: Duration = secs(25);
/// A download with no data for this long fails.
pub const BODY_IDLE: Duration = secs(20);
/// One DynamoDB call with the SDK's retries.
pub const STATE_CALL: Duration = secs(12);
/// One file's user lookups, made in parallel.
pub const LOOKUPS: Duration = secs(1);
/// One PublishBatch call (15 s) plus the backoff before a retry round (≤ 0.8 s).
pub const PUBLISH_ROUND: Duration = secs(16);

/// A file or an EventBridge event: GetObject, a body that stalls, one read of
/// tracked settings.
pub const FILE: Duration = secs(25 + 20 + 12);
/// A batch of up to 10 notices: claim, lookups, one round, completion or release.
pub const BATCH: Duration = secs(12 + 1 + 16 + 12);
/// Another round of a batch: the round, then completion or release.
pub const ROUND: Duration = secs(16 + 12);

/// When the invocation must be done. Tests make one with [`Deadline::after`]
/// under tokio's paused clock: no real time passes.
#[derive(Debug, Default)]
pub struct Deadline {
    at: Option<Instant>,
    /// Something was done: from now on, steps must fit.
    progressed: AtomicBool,
}

impl Deadline {
    /// No deadline (tests, and callers of `App::handle`).
    pub fn none() -> Self {
        Deadline::default()
    }

    /// A deadline `left` from now.
    pub fn after(left: Duration) -> Self {
        Deadline {
            at: Some(Instant::now() + left),
            progressed: AtomicBool::new(false),
        }
    }

    /// Lambda's deadline: milliseconds since the Unix epoch (`Context.deadline`),
    /// `now_ms` the same clock's time (`crate::clock`).
    /// One that is not in the future is no deadline: Lambda's always is, and an
    /// emulator may send something else (`cargo lambda watch` sends `600000`, its
    /// timeout); refusing every step on it would stop all work.
    pub fn from_epoch_ms(deadline_ms: u64, now_ms: u64) -> Self {
        if deadline_ms <= now_ms {
            tracing::warn!(
                deadline_ms,
                now_ms,
                "the invocation's deadline is not in the future: ignored"
            );
            return Deadline::none();
        }
        Deadline::after(Duration::from_millis(deadline_ms - now_ms))
    }

    /// Time left; `None` without a deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// Whether a step bounded by `step` may start: it ends with [`RESERVE`] left.
    /// The invocation's first file and first publish round always may — why: a
    /// function given a timeout below these bounds still makes progress, as it
    /// did before deadlines were read.
    pub fn allows(&self, step: Duration) -> bool {
        match self.remaining() {
            None => true,
            Some(left) => left >= step + RESERVE || !self.progressed.load(Ordering::Relaxed),
        }
    }

    /// Notes that a file was handled or a publish round made.
    pub fn progressed(&self) {
        self.progressed.store(true, Ordering::Relaxed);
    }

    /// `limit`, shortened so that [`RESERVE`] stays free (never below half of
    /// what is left).
    pub fn bound(&self, limit: Duration) -> Duration {
        match self.remaining() {
            None => limit,
            Some(left) => limit.min(left.saturating_sub(RESERVE).max(left / 2)),
        }
    }

    /// `limit`, or all that is left if that is less (the metrics use the reserve).
    pub fn cap(&self, limit: Duration) -> Duration {
        self.remaining().map_or(limit, |left| limit.min(left))
    }

    /// The error that fails the invocation when `what` was left for the retry.
    pub fn stopped(&self, what: &str) -> CallError {
        let left = self.remaining().unwrap_or_default().as_secs_f64();
        CallError::transient(format!(
            "deadline: {what} left for the retry ({left:.1} s before the function's timeout)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn steps_start_only_when_they_fit() {
        let d = Deadline::after(Duration::from_secs(120));
        assert!(d.allows(FILE) && d.allows(BATCH));
        d.progressed();
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(!d.allows(FILE), "57 + 10 s do not fit in 60 s");
        assert!(d.allows(BATCH) && d.allows(ROUND));
        assert_eq!(d.bound(Duration::from_secs(15)), Duration::from_secs(15));
        tokio::time::sleep(Duration::from_secs(50)).await;
        assert!(!d.allows(ROUND));
        assert_eq!(d.bound(Duration::from_secs(15)), Duration::from_secs(5));
        assert_eq!(d.cap(METRICS_TIMEOUT), METRICS_TIMEOUT);
        assert!(d
            .stopped("2 files")
            .message
            .starts_with("deadline: 2 files"));
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_step_always_starts_and_no_deadline_allows_all() {
        let short = Deadline::after(Duration::from_secs(20));
        assert!(short.allows(FILE));
        short.progressed();
        assert!(!short.allows(FILE));
        let none = Deadline::none();
        none.progressed();
        assert!(none.allows(FILE) && none.remaining().is_none());
        assert_eq!(none.bound(METRICS_TIMEOUT), METRICS_TIMEOUT);
    }

    #[tokio::test]
    async fn lambdas_deadline_is_read_and_a_past_one_ignored() {
        let now_ms = crate::clock::Clock::system().unix_millis();
        let left = Deadline::from_epoch_ms(now_ms + 120_000, now_ms)
            .remaining()
            .unwrap();
        assert!(left > Duration::from_secs(110) && left <= Duration::from_secs(120));
        assert!(Deadline::from_epoch_ms(600_000, now_ms)
            .remaining()
            .is_none());
    }

    #[test]
    fn the_template_timeout_fits_every_step() {
        // template.yaml: Timeout 120. The longest step plus the reserve fits it.
        let timeout = Duration::from_secs(120);
        for step in [FILE, BATCH, ROUND] {
            assert!(step + RESERVE <= timeout);
        }
        assert!(METRICS_TIMEOUT < RESERVE);
        assert_eq!(FILE, SDK_OPERATION + BODY_IDLE + STATE_CALL);
        assert_eq!(BATCH, STATE_CALL + LOOKUPS + PUBLISH_ROUND + STATE_CALL);
        assert_eq!(ROUND, PUBLISH_ROUND + STATE_CALL);
    }
}
