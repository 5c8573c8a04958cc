//! One invocation: trigger → objects → scan → notices → SNS, then metrics.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_trail_alerts::notice::{Notice, Unreadable};
use cognito_trail_alerts::trigger::{self, Message, ObjectRef, Trigger, Work};
use cognito_trail_alerts::{engine, Origin, RuleSet, Severity};
use serde_json::{json, Value};
use tracing::{error, info, warn};

use crate::claims::Claims;
use crate::collect::Collected;
use crate::deadline::{self, Deadline};
use crate::failure::{CallError, Retry};
use crate::memory::{scan_blocking, InvocationMemory};
use crate::metrics::Tally;
use crate::overlays;
use crate::ports::{AlertSink, MetricSink, ObjectSource, SettingsStore, StateStore};
use crate::publish::{self, FileNotices, SentLog};
use crate::state::NoStore;
use crate::users::Users;

/// Settings the handler needs (a subset of the configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    pub min_severity: Severity,
    pub max_alerts_per_file: usize,
}

/// The function, generic over its ports; the state store is optional (without
/// one, `T` is [`NoStore`] and alerts are deduplicated per container only).
pub struct App<S, A, M, T = NoStore> {
    pub settings: Settings,
    pub rules: Arc<RuleSet>,
    pub source: S,
    pub alerts: A,
    pub metrics: M,
    pub state: Option<T>,
    /// User lookups (`ENRICH_USERS`); none = alerts carry the ListUsers hint only.
    pub users: Option<Users>,
    sent: Mutex<SentLog>,
    /// Names this container's claims (with a counter per invocation).
    container: String,
    invocations: AtomicU64,
}

/// One invocation's counters and claims.
pub(crate) struct Run<'a, T> {
    pub(crate) tally: Tally,
    claims: Claims<'a, T>,
    /// Tracked settings seen in this invocation, over the store when there is one.
    pub(crate) memory: InvocationMemory,
    /// This invocation's user lookups (with `ENRICH_USERS`).
    lookups: Option<cognito_trail_alerts::users::Lookups>,
    /// When the invocation must be done: no step starts that would not fit.
    pub(crate) deadline: Deadline,
}

/// What an invocation answers, once its metrics are sent.
enum Answer {
    /// `{"files", "records", "alerts"}`: the counts.
    Summary,
    /// The trigger's own answer (Batch Operations results, SQS failures).
    Json(Value),
    Failed(HandlerError),
}

/// Why an invocation failed (Lambda or SQS will retry it).
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("{0}")]
    Envelope(#[from] trigger::TriggerError),
    #[error("{0}")]
    Call(#[from] CallError),
}

impl<S: ObjectSource, A: AlertSink, M: MetricSink, T: StateStore + SettingsStore> App<S, A, M, T> {
    /// Builds the function from its parts (once, at cold start), without a state
    /// store.
    pub fn new(settings: Settings, rules: Arc<RuleSet>, source: S, alerts: A, metrics: M) -> Self {
        App {
            settings,
            rules,
            source,
            alerts,
            metrics,
            state: None,
            users: None,
            sent: Mutex::new(SentLog::default()),
            container: container_id(),
            invocations: AtomicU64::new(0),
        }
    }

    /// The same function with a state store: each alert is claimed before it is
    /// published, so it is published once across containers and retries.
    pub fn with_state(mut self, store: T) -> Self {
        self.state = Some(store);
        self
    }

    /// The same function looking up the users alerts name (`ENRICH_USERS`).
    pub fn with_users(mut self, users: Users) -> Self {
        self.users = Some(users);
        self
    }

    /// Handles one invocation payload. SQS batches answer with `batchItemFailures`
    /// naming only the messages that failed; other triggers fail as a whole.
    pub async fn handle(&self, event: Value) -> Result<Value, HandlerError> {
        self.handle_with_deadline(event, Deadline::none()).await
    }

    /// [`App::handle`] within `deadline` (Lambda's): what does not fit is left for
    /// the retry — the invocation fails, an SQS message is listed as failed, a
    /// Batch Operations task is a `TemporaryFailure` — after the metrics are sent.
    pub async fn handle_with_deadline(
        &self,
        event: Value,
        deadline: Deadline,
    ) -> Result<Value, HandlerError> {
        let trigger =
            trigger::parse(&event).inspect_err(|e| error!(error = %e, "unusable event"))?;
        let n = self.invocations.fetch_add(1, Ordering::Relaxed);
        // A warm container outlives a day: suppressions are judged on today's date.
        self.rules.set_today(overlays::today());
        let mut run = Run {
            tally: Tally {
                state_enabled: self.state.is_some(),
                suppressions_enabled: !self.rules.suppressions().is_empty(),
                ..Tally::default()
            },
            claims: Claims::new(self.state.as_ref(), format!("{}#{n}", self.container)),
            memory: InvocationMemory::default(),
            lookups: self.users.as_ref().map(Users::invocation),
            deadline,
        };
        let answer = match trigger {
            Trigger::Files { objects, .. } => {
                let work = Work {
                    objects,
                    ..Work::default()
                };
                self.run_whole(work, &mut run).await
            }
            Trigger::ApiEvent(event) => {
                let work = Work {
                    api_events: vec![event],
                    ..Work::default()
                };
                self.run_whole(work, &mut run).await
            }
            Trigger::Batch(job) => Answer::Json(self.run_batch(job, &mut run).await),
            Trigger::Queue(messages) => self.run_queue(messages, &mut run).await,
        };
        let mut tally = run.tally;
        tally.state_unavailable += run.memory.unavailable;
        let bound = run.deadline.cap(deadline::METRICS_TIMEOUT);
        tokio::time::timeout(bound, self.metrics.put(&tally.datums()))
            .await
            .unwrap_or_else(|_| Err(CallError::transient("PutMetricData: no answer in time")))
            .inspect_err(|e| error!(error = %e, "metrics not sent"))?;
        info!(
            files = tally.files,
            records = tally.records,
            skipped = tally.skipped.values().sum::<u64>(),
            file_errors = tally.file_errors,
            "invocation done"
        );
        match answer {
            Answer::Failed(e) => Err(e),
            Answer::Json(value) => Ok(value),
            Answer::Summary => Ok(
                json!({ "files": tally.files, "records": tally.records, "alerts": tally.by_severity.values().sum::<u64>() }),
            ),
        }
    }

    /// A trigger that succeeds or fails as a whole.
    async fn run_whole(&self, work: Work, run: &mut Run<'_, T>) -> Answer {
        match self.run_work(work, run).await {
            Ok(()) => Answer::Summary,
            Err(e) => {
                error!(message_id = "", error = %e, "unit failed");
                Answer::Failed(e)
            }
        }
    }

    /// SQS messages, each on its own: those that fail are listed in
    /// `batchItemFailures` (a record without an id fails the invocation).
    async fn run_queue(&self, messages: Vec<Message>, run: &mut Run<'_, T>) -> Answer {
        let answered = messages.iter().any(|m| m.message_id.is_some());
        let (mut failed, mut failure) = (Vec::new(), None);
        for message in messages {
            let Err(e) = self.run_message(message.work, run).await else {
                continue;
            };
            let id = message.message_id;
            error!(message_id = id.as_deref().unwrap_or(""), error = %e, "unit failed");
            match id {
                Some(id) => failed.push(json!({ "itemIdentifier": id })),
                None => failure = Some(e),
            }
        }
        match failure {
            Some(e) => Answer::Failed(e),
            None if answered => Answer::Json(json!({ "batchItemFailures": failed })),
            None => Answer::Summary,
        }
    }

    async fn run_message(
        &self,
        work: Result<Work, trigger::TriggerError>,
        run: &mut Run<'_, T>,
    ) -> Result<(), HandlerError> {
        self.run_work(work?, run).await
    }

    async fn run_work(&self, unit: Work, run: &mut Run<'_, T>) -> Result<(), HandlerError> {
        let targets = unit.objects;
        let steps = unit.api_events.len() + targets.len();
        for (done, event) in unit.api_events.iter().enumerate() {
            self.may_start(run, steps - done)?;
            let notices = self
                .process_event(event, &mut run.tally, &mut run.memory)
                .await?;
            self.deliver(notices, run).await?;
        }
        for (done, target) in targets.into_iter().enumerate() {
            self.may_start(run, steps - unit.api_events.len() - done)?;
            let notices = self
                .process(&target, &mut run.tally, &mut run.memory)
                .await?;
            self.deliver(notices, run).await?;
        }
        Ok(())
    }

    /// Fails when the deadline leaves no room for another file or event (`left`
    /// of them, this one included, are left for the retry).
    fn may_start(&self, run: &Run<'_, T>, left: usize) -> Result<(), CallError> {
        if run.deadline.allows(deadline::FILE) {
            return Ok(());
        }
        warn!(left, "deadline near: no new file started");
        Err(run.deadline.stopped(&format!("{left} files or events")))
    }

    /// One file's or event's notices, by either path: the users they name looked
    /// up (with `ENRICH_USERS`), then published.
    pub(crate) async fn deliver(
        &self,
        mut notices: FileNotices,
        run: &mut Run<'_, T>,
    ) -> Result<(), CallError> {
        if let (Some(users), Some(lookups)) = (&self.users, &mut run.lookups) {
            users
                .enrich(&mut notices.notices, lookups, &mut run.tally)
                .await;
        }
        let sent = publish::send(
            &self.alerts,
            &self.sent,
            &mut run.claims,
            notices,
            &mut run.tally,
            &run.deadline,
        )
        .await;
        run.deadline.progressed();
        sent
    }

    /// One object: skip it, or fetch and scan it; returns its notices.
    pub(crate) async fn process(
        &self,
        t: &ObjectRef,
        tally: &mut Tally,
        memory: &mut InvocationMemory,
    ) -> Result<FileNotices, CallError> {
        let place = format!("s3://{}/{}", t.bucket, t.key);
        if let Some(reason) = t.skip {
            info!(object = %place, reason = reason.as_str(), "object skipped");
            tally.skip(reason.as_str());
            return Ok(file_notices(place, None, Vec::new()));
        }
        let origin = Origin::S3 {
            bucket: t.bucket.clone(),
            key: t.key.clone(),
        };
        let body = match self.source.open(&t.bucket, &t.key).await {
            Ok(body) => body,
            Err(e) if e.retry == Retry::Permanent => {
                warn!(object = %place, error = %e, "object cannot be read");
                tally.file_errors += 1;
                let notice = unreadable(t, &origin, e.message, 0);
                return Ok(file_notices(place, None, vec![notice]));
            }
            Err(e) => return Err(CallError::transient(format!("{place}: {e}"))),
        };
        let transport = body.transport_flag();
        let version = body.version.clone();
        let (rules, settings, scan_origin) =
            (self.rules.clone(), self.settings.clone(), origin.clone());
        let scan = move |mem: &mut InvocationMemory| {
            let mut kept = Collected::new(&settings, &scan_origin);
            let result =
                engine::scan_with(&rules, body.reader, &scan_origin, mem, |a| kept.push(a));
            (kept, result)
        };
        let (Collected { gate, hidden, .. }, result) =
            scan_blocking(self.state.as_ref(), memory, scan)
                .await
                .map_err(|e| CallError::transient(format!("{place}: scan task failed: {e}")))?;
        let mut notices = gate.finish();
        match result {
            Ok(stats) => {
                tally.files += 1;
                tally.records += stats.records;
                tally.record_errors += stats.record_errors;
                tally.latency(stats.newest_event_time.as_deref(), now_unix());
                info!(object = %place, records = stats.records, matched = stats.matched,
                      duplicates = stats.duplicates, record_errors = stats.record_errors, "file scanned");
            }
            Err(e) if transport.load(Ordering::Relaxed) => {
                return Err(CallError::transient(format!(
                    "{place}: download failed: {}",
                    e.reason
                )));
            }
            Err(e) => {
                warn!(object = %place, reason = %e.reason, "unreadable trail file");
                tally.file_errors += 1;
                tally.records += e.partial.records;
                notices.push(unreadable(t, &origin, e.reason, e.partial.records));
            }
        }
        // After the transient case: a retried download must not count twice.
        hidden.report(&place, tally);
        Ok(file_notices(place, version, notices))
    }
}

fn file_notices(place: String, version: Option<String>, notices: Vec<Notice>) -> FileNotices {
    FileNotices {
        place,
        path: "s3",
        version,
        notices,
    }
}

/// An id for this container's claims: distinct across containers (process id,
/// start time and the standard library's per-process random hash keys).
fn container_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:016x}", h.finish())
}

fn unreadable(t: &ObjectRef, origin: &Origin, reason: String, records: u64) -> Notice {
    Notice::Unreadable(Unreadable {
        source: origin.clone(),
        account_id: t.info.as_ref().map(|i| i.account.clone()),
        region: t.info.as_ref().map(|i| i.region.clone()),
        reason,
        records_before_failure: records,
    })
}

/// Seconds since the Unix epoch, now.
pub(crate) fn now_unix() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl From<HandlerError> for lambda_runtime::Diagnostic {
    fn from(e: HandlerError) -> Self {
        let error_type = match &e {
            HandlerError::Envelope(_) => "UnusableEvent",
            HandlerError::Call(_) => "TransientFailure",
        };
        lambda_runtime::Diagnostic {
            error_type: error_type.into(),
            error_message: e.to_string(),
        }
    }
}

#[cfg(test)]
#[path = "handler_tests.rs"]
mod tests;
