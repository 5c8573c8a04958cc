//! User lookups (`ENRICH_USERS`): after a file or event is scanned and before its
//! notices are published, each alert that names a user (`additionalEventData.sub`
//! and a user pool) gets the user ListUsers finds. The decisions are
//! `cognito_trail_alerts::users`'s; here are the calls, in parallel, each bounded by
//! [`LOOKUP_TIMEOUT`], the container's cache, and the log lines and counts.
//!
//! A lookup never holds an alert back: whatever does not answer in time, fails or
//! is over the invocation's budget goes out with the ListUsers hint and the reason.

pub mod config;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognito_trail_alerts::alert::LookupStatus;
use cognito_trail_alerts::notice::Notice;
use cognito_trail_alerts::users::{
    Answer, Cause, Failure, Lookups, Policy, UserCache, UserRef, Via,
};
use tokio::task::JoinSet;
use tracing::{info, warn};

use crate::metrics::Tally;
use crate::ports::UserDirectory;

/// The time budget of one lookup (an AssumeRole included, when the pool is in
/// another account). Lookups of one file run in parallel, so a file's alerts wait
/// at most about this long.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(1);

/// The function's user lookups: the directory, the policy, the container's cache.
pub struct Users {
    directory: Arc<dyn UserDirectory>,
    policy: Policy,
    cache: Mutex<UserCache>,
}

impl Users {
    /// Lookups through `directory` as `policy` allows, with an empty cache.
    pub fn new(directory: Arc<dyn UserDirectory>, policy: Policy) -> Self {
        Users {
            directory,
            policy,
            cache: Mutex::new(UserCache::default()),
        }
    }

    /// A new invocation's lookups (its budget starts over).
    pub fn invocation(&self) -> Lookups {
        Lookups::new(self.policy.clone())
    }

    /// Looks up the users `notices`' alerts name (those this invocation and the
    /// cache do not know yet, within its budget) and fills in each alert's
    /// `actor.user_lookup`; counts each alert's result in `tally`. `now` (seconds
    /// since the epoch) ages the cache.
    pub async fn enrich(
        &self,
        notices: &mut [Notice],
        lookups: &mut Lookups,
        tally: &mut Tally,
        now: u64,
    ) {
        let alerts = notices.iter().filter_map(|n| match n {
            Notice::Alert(a) => Some(&**a),
            _ => None,
        });
        let asks = lookups.plan(alerts, &mut self.cache(), now);
        let mut running = JoinSet::new();
        for (user, via) in asks {
            let directory = self.directory.clone();
            running.spawn(async move {
                let answer = ask(&*directory, &user, &via).await;
                (user, via, answer)
            });
        }
        while let Some(done) = running.join_next().await {
            // A lookup that panicked stays unanswered: its alerts say so.
            let Ok((user, via, answer)) = done else {
                continue;
            };
            log(&user, &via, &answer);
            lookups.record(user, answer, &mut self.cache(), now);
        }
        for notice in notices.iter_mut() {
            if let Notice::Alert(alert) = notice {
                lookups.apply(alert);
                if let Some(lookup) = &alert.actor.user_lookup {
                    tally.user_lookup(status_name(lookup.status));
                }
            }
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, UserCache> {
        // The cache holds no invariant a panic could break: use it anyway.
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One lookup within [`LOOKUP_TIMEOUT`].
async fn ask(directory: &dyn UserDirectory, user: &UserRef, via: &Via) -> Answer {
    match tokio::time::timeout(LOOKUP_TIMEOUT, directory.find(user, via)).await {
        Ok(Ok(Some(user))) => Answer::Found(user),
        Ok(Ok(None)) => Answer::NotFound,
        Ok(Err(failure)) => Answer::Failed(failure),
        Err(_) => Answer::Failed(Failure {
            cause: Cause::Timeout,
            detail: format!(
                "no answer from ListUsers within {} ms",
                LOOKUP_TIMEOUT.as_millis()
            ),
        }),
    }
}

/// The log line of one lookup: the pool and the sub, never the user's name or
/// attributes (logs are kept longer and read more widely than alerts).
fn log(user: &UserRef, via: &Via, answer: &Answer) {
    let account = user.account.as_deref().unwrap_or("");
    let role = matches!(via, Via::Role { .. });
    match answer {
        Answer::Failed(f) => warn!(pool = %user.pool_id, sub = %user.sub, account, role,
                                   reason = %f.reason(), "user lookup failed"),
        Answer::Found(_) => {
            info!(pool = %user.pool_id, sub = %user.sub, account, role, "user found")
        }
        Answer::NotFound => {
            info!(pool = %user.pool_id, sub = %user.sub, account, role, "user not found")
        }
    }
}

/// The metric dimension value of a lookup's result.
fn status_name(status: LookupStatus) -> &'static str {
    match status {
        LookupStatus::Found => "found",
        LookupStatus::NotFound => "not_found",
        LookupStatus::Failed => "failed",
        LookupStatus::Skipped => "skipped",
    }
}
