//! One invocation: trigger → work → scan → notices → SNS, then metrics. The
//! function is [`App`], generic over its [`Ports`]; each kind of trigger has its
//! path in `crate::paths`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cognito_trail_alerts::notice::change_set::Window;
use cognito_trail_alerts::routes::{RouteTable, TopicArn};
use cognito_trail_alerts::trigger::{self, Trigger, Work};
use cognito_trail_alerts::RuleSet;
use serde_json::{json, Value};
use tracing::{error, info};

use crate::accounts::AccountNamer;
use crate::alert_filter::AlertFilter;
use crate::claims::Claims;
use crate::clock::Clock;
use crate::deadline::{self, Deadline};
use crate::failure::CallError;
use crate::metrics::{AccountNameTally, ChainTally, FindingTally, Tally};
use crate::ports::MemoryChains;
use crate::ports::{MetricSink, Ports};
use crate::publish::{OutputFormat, SentLog};
use crate::security_hub::SecurityHub;
use crate::settings_cache::InvocationCache;
use crate::snapshots::Snapshots;
use crate::users::Users;

/// The function, generic over its ports; the state table is optional (without
/// one, alerts are deduplicated per container only).
pub struct App<P: Ports> {
    pub filter: AlertFilter,
    pub rules: Arc<RuleSet>,
    pub source: P::Objects,
    pub alerts: P::Alerts,
    pub metrics: P::Metrics,
    pub state: Option<P::State>,
    /// User lookups (`ENRICH_USERS`); none = alerts carry the ListUsers hint only.
    pub users: Option<Users>,
    /// Snapshots of resources the state table has never seen
    /// (`SNAPSHOT_ON_FIRST_SIGHT`); none = off.
    pub snapshots: Option<Snapshots>,
    /// Account names from Organizations (`ACCOUNT_NAMES_ROLE_ARN`); none = the
    /// overlays' names only.
    pub account_names: Option<AccountNamer>,
    /// Findings in Security Hub (`SECURITY_HUB`); none = off.
    pub security_hub: Option<SecurityHub>,
    /// Where every time the function uses is read.
    pub clock: Clock,
    pub(crate) sent: Mutex<SentLog>,
    /// The machine bodies' form (`OUTPUT_FORMAT`).
    pub output: OutputFormat,
    /// Which topics each notice goes to: the default topic and the routes.
    pub routes: RouteTable,
    /// How far apart one actor's changes may be and still be one message
    /// (`CHANGE_SET_WINDOW`).
    pub window: Window,
    /// Open chains when there is no state table: this container's memory.
    pub(crate) chains_memory: MemoryChains,
    /// Names this container's claims (with a counter per invocation).
    container: String,
    invocations: AtomicU64,
}

/// One invocation's counters and claims.
pub(crate) struct Run<'a, T> {
    pub(crate) tally: Tally,
    pub(crate) claims: Claims<'a, T>,
    /// Tracked settings seen in this invocation, over the store when there is one.
    pub(crate) cache: InvocationCache,
    /// This invocation's user lookups (with `ENRICH_USERS`).
    pub(crate) lookups: Option<cognito_trail_alerts::users::Lookups>,
    /// When the invocation must be done: no step starts that would not fit.
    pub(crate) deadline: Deadline,
}

/// Why an invocation failed (Lambda or SQS will retry it).
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("{0}")]
    Envelope(#[from] trigger::TriggerError),
    #[error("{0}")]
    Call(#[from] CallError),
}

/// What an invocation answers, once its metrics are sent: one value decided by
/// the trigger's path, not flags set along the way.
pub(crate) enum Answer {
    /// `{"files", "records", "alerts"}`: the counts.
    Summary,
    /// The trigger's own answer (Batch Operations results, SQS failures).
    Json(Value),
    Failed(HandlerError),
}

impl<P: Ports> App<P> {
    /// Builds the function from its parts (once, at cold start), without a state
    /// table: notices go to `topic` and the topics of the rules' routes.
    pub fn new(
        filter: AlertFilter,
        rules: Arc<RuleSet>,
        source: P::Objects,
        alerts: P::Alerts,
        metrics: P::Metrics,
        topic: TopicArn,
    ) -> Self {
        let clock = Clock::system();
        let routes = RouteTable::new(topic, rules.routes().to_vec());
        App {
            routes,
            window: Window::default(),
            filter,
            rules,
            source,
            alerts,
            metrics,
            state: None,
            users: None,
            snapshots: None,
            account_names: None,
            security_hub: None,
            clock,
            sent: Mutex::new(SentLog::default()),
            output: OutputFormat::default(),
            chains_memory: MemoryChains::default(),
            container: container_id(&clock),
            invocations: AtomicU64::new(0),
        }
    }

    /// This container's id (claims, test ids).
    pub(crate) fn container_id(&self) -> &str {
        &self.container
    }

    /// The same function with a state table: each alert is claimed before it is
    /// published, so it is published once across containers and retries.
    pub fn with_state(mut self, store: P::State) -> Self {
        self.state = Some(store);
        self
    }

    /// The same function routing by `routes` (the rules' routes and those of the
    /// configuration, see `lib::route_table`).
    pub fn with_routes(mut self, routes: RouteTable) -> Self {
        self.routes = routes;
        self
    }

    /// The same function looking up the users alerts name (`ENRICH_USERS`).
    pub fn with_users(mut self, users: Users) -> Self {
        self.users = Some(users);
        self
    }

    /// The same function reading a resource the state table has never seen
    /// (`SNAPSHOT_ON_FIRST_SIGHT`; only with a state table).
    pub fn with_snapshots(mut self, snapshots: Snapshots) -> Self {
        self.snapshots = Some(snapshots);
        self
    }

    /// The same function naming alerts' accounts from Organizations
    /// (`ACCOUNT_NAMES_ROLE_ARN`).
    pub fn with_account_names(mut self, names: AccountNamer) -> Self {
        self.account_names = Some(names);
        self
    }

    /// The same function importing its alerts into Security Hub (`SECURITY_HUB`).
    pub fn with_security_hub(mut self, hub: SecurityHub) -> Self {
        self.security_hub = Some(hub);
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
        self.rules.set_today(self.clock.today());
        let mut run = Run {
            tally: Tally {
                state_enabled: self.state.is_some(),
                suppressions_enabled: !self.rules.suppressions().is_empty(),
                snapshots_enabled: self.snapshots.is_some() && self.state.is_some(),
                chains: ChainTally {
                    enabled: !self.rules.chains().is_empty(),
                    ..ChainTally::default()
                },
                account_names: AccountNameTally {
                    enabled: self.account_names.is_some(),
                    ..AccountNameTally::default()
                },
                findings: FindingTally {
                    enabled: self.security_hub.is_some(),
                    ..FindingTally::default()
                },
                ..Tally::default()
            },
            claims: Claims::new(
                self.state.as_ref(),
                format!("{}#{n}", self.container),
                self.clock,
            ),
            cache: InvocationCache::new(deadline.at()),
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
            Trigger::SelfTest => self.run_self_test().await,
        };
        let mut tally = run.tally;
        tally.state_unavailable += run.cache.unavailable;
        tally.snapshots += run.cache.snapshots.taken;
        tally.snapshot_failures = std::mem::take(&mut run.cache.snapshots.failed);
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
}

/// An id for this container's claims: distinct across containers (process id,
/// start time and the standard library's per-process random hash keys).
fn container_id(clock: &Clock) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u128(clock.since_epoch().as_nanos());
    format!("{:016x}", h.finish())
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
mod tests;
