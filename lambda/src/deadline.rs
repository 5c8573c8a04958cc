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
//! | [`SNAPSHOT`] | 1 | one resource's snapshot (`snapshots::READ_TIMEOUT`): starts only with [`SNAPSHOT`] + [`BATCH`] + [`RESERVE`] left, so the file's alerts still go out |
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
/// One snapshot of a resource never seen (`SNAPSHOT_ON_FIRST_SIGHT`), its calls
/// in parallel, no retries (`snapshots::READ_TIMEOUT`).
pub const SNAPSHOT: Duration = secs(1);
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

    /// When the invocation must be done; `None` without a deadline.
    pub fn at(&self) -> Option<Instant> {
        self.at
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
mod tests;
