//! Snapshots on first sight (`SNAPSHOT_ON_FIRST_SIGHT`): when the state table has
//! never seen a resource an alert tracks, its current configuration is read
//! (`ConfigReader`, once per resource per invocation, within [`READ_TIMEOUT`]) and
//! becomes its remembered settings, marked as a snapshot
//! (`cognito_trail_alerts::settings::snapshot`). They are the state when read,
//! possibly after the change being judged: the alert says so (`before` status
//! `snapshot`). The values go into the invocation's cache and the table like any
//! other; their empty event time lets any event's value replace them.
//!
//! A snapshot never holds an alert back: one that fails, is too slow, or does not
//! fit before the deadline is simply not taken, counted (`SnapshotFailures` by
//! `Reason`) and logged (`snapshot failed`) in one place, [`SnapshotRun::failed`];
//! the alert goes out as without snapshots ("not seen before").

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use cognito_trail_alerts::settings::{self, Remembered, ResourceKey};
use cognito_trail_alerts::users::{Cause, Failure};
use cognito_trail_alerts::RuleSet;
use tokio::time::Instant;
use tracing::{info, warn};

use crate::clock::Clock;
use crate::deadline;
use crate::ports::{ConfigReader, ConfigTarget, KINDS};
use crate::users::config::Access;

/// The time budget of one snapshot (its calls run in parallel, an AssumeRole
/// included when the resource is in another account).
pub const READ_TIMEOUT: Duration = deadline::SNAPSHOT;

/// The function's snapshots: the reader and whose credentials reach a resource.
pub struct Snapshots {
    reader: Arc<dyn ConfigReader>,
    access: Access,
}

/// What one scan needs to take snapshots: the container's [`Snapshots`], the rules
/// (their `track:` blocks) and the clock (the time a snapshot was read).
#[derive(Clone, Copy)]
pub struct Shots<'a> {
    pub snapshots: &'a Snapshots,
    pub rules: &'a RuleSet,
    pub clock: Clock,
}

/// Metric `Reason`s of a snapshot not taken.
pub mod reason {
    pub const ACCESS_DENIED: &str = "access_denied";
    pub const THROTTLED: &str = "throttled";
    pub const TIMEOUT: &str = "timeout";
    pub const ERROR: &str = "error";
    /// A resource kind no call reads, or an app client without its user pool.
    pub const UNSUPPORTED: &str = "unsupported";
    /// Another account, and no `ENRICH_ROLE_NAME`.
    pub const NO_ROLE: &str = "no_role";
    /// An earlier snapshot in the same account failed in this invocation.
    pub const ACCOUNT_DOWN: &str = "account_down";
    /// Not enough time left before the deadline.
    pub const DEADLINE: &str = "deadline";
}

/// One invocation's snapshots: what was tried, what failed, the counts.
#[derive(Debug, Default)]
pub struct SnapshotRun {
    tried: HashSet<ResourceKey>,
    /// Accounts whose snapshot failed (denied, throttled, slow): not asked again
    /// in this invocation.
    down: HashMap<String, String>,
    /// The invocation's deadline.
    deadline: Option<Instant>,
    /// Resources seeded by a snapshot.
    pub taken: u64,
    /// Snapshots not taken, by reason.
    pub failed: BTreeMap<&'static str, u64>,
}

impl SnapshotRun {
    /// A new invocation's snapshots, none taken after `deadline` would not leave
    /// time for the alerts.
    pub fn new(deadline: Option<Instant>) -> Self {
        SnapshotRun {
            deadline,
            ..SnapshotRun::default()
        }
    }

    /// The one place a snapshot not taken is counted and logged.
    fn failed(&mut self, key: &ResourceKey, reason: &'static str, detail: &str) {
        *self.failed.entry(reason).or_default() += 1;
        warn!(resource = %key.text(), reason, detail, "snapshot failed");
    }

    /// The one place a snapshot taken is counted and logged.
    fn took(&mut self, key: &ResourceKey, calls: &str, settings: usize) {
        self.taken += 1;
        info!(resource = %key.text(), calls, settings, "snapshot taken");
    }

    /// Whether a snapshot may start: it ends with time for a batch of notices and
    /// the reserve left.
    fn fits(&self) -> bool {
        self.deadline.is_none_or(|at| {
            at.saturating_duration_since(Instant::now())
                >= READ_TIMEOUT + deadline::BATCH + deadline::RESERVE
        })
    }
}

impl Snapshots {
    /// Snapshots read by `reader`, with the credentials `access` gives.
    pub fn new(reader: Arc<dyn ConfigReader>, access: Access) -> Self {
        Snapshots { reader, access }
    }

    /// The remembered settings a snapshot of `target` gives (none when it is not
    /// taken: already tried in this invocation, nothing tracked of its kind, or a
    /// failure, counted and logged).
    pub async fn take(
        &self,
        shots: Shots<'_>,
        run: &mut SnapshotRun,
        target: &ConfigTarget,
    ) -> Vec<(String, Remembered)> {
        let key = &target.key;
        if !shots.rules.tracks().any(|t| t.kind == key.kind) || !run.tried.insert(key.clone()) {
            return Vec::new();
        }
        if !KINDS.contains(&key.kind.as_str()) {
            let detail = format!("no call reads a {:?}", key.kind);
            run.failed(key, reason::UNSUPPORTED, &detail);
            return Vec::new();
        }
        if key.kind == "app-client" && target.user_pool_id.is_none() {
            let detail = "the record names no userPoolId for DescribeUserPoolClient";
            run.failed(key, reason::UNSUPPORTED, detail);
            return Vec::new();
        }
        let Some(via) = self.access.via(&key.account) else {
            let detail = format!(
                "the resource is in account {}, not the function's ({}): set ENRICH_ROLE_NAME",
                key.account,
                self.access.own_account.as_deref().unwrap_or("?")
            );
            run.failed(key, reason::NO_ROLE, &detail);
            return Vec::new();
        };
        if let Some(why) = run.down.get(&key.account).cloned() {
            let detail = format!("an earlier snapshot in this account failed: {why}");
            run.failed(key, reason::ACCOUNT_DOWN, &detail);
            return Vec::new();
        }
        if !run.fits() {
            run.failed(
                key,
                reason::DEADLINE,
                "too little time left before the deadline",
            );
            return Vec::new();
        }
        let answer = tokio::time::timeout(READ_TIMEOUT, self.reader.read(target, &via)).await;
        let failure = match answer {
            Ok(Ok(conf)) => {
                let read = format!("{} {}", shots.clock.utc_text(), conf.calls);
                let values = settings::snapshot(shots.rules.tracks(), key, &conf.doc, &read);
                run.took(key, &conf.calls, values.len());
                return values;
            }
            Ok(Err(failure)) => failure,
            Err(_) => Failure {
                cause: Cause::Timeout,
                detail: format!("no answer within {} ms", READ_TIMEOUT.as_millis()),
            },
        };
        let reason = match failure.cause {
            Cause::AccessDenied => reason::ACCESS_DENIED,
            Cause::Throttled => reason::THROTTLED,
            Cause::Timeout => reason::TIMEOUT,
            Cause::Error => reason::ERROR,
        };
        if failure.cause != Cause::Error {
            run.down.insert(key.account.clone(), failure.reason());
        }
        run.failed(key, reason, &failure.detail);
        Vec::new()
    }
}
