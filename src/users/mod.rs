//! User lookups (`ENRICH_USERS`): the decisions, without the calls. Which alerts
//! name a user to look up, through which credentials, which lookups an invocation
//! makes (one per distinct user, at most a bounded number, none in an account whose
//! lookups already failed), what a container remembers ([`UserCache`]) and what
//! each alert then says. The Lambda makes the calls (ListUsers) between
//! [`Lookups::plan`] and [`Lookups::record`].

mod cache;

use std::collections::HashMap;

pub use cache::{UserCache, CACHE_CAPACITY, CACHE_TTL_SECS};

use crate::alert::{CognitoUser, LookupStatus};
use crate::Alert;

/// One user to look up: a sub in a user pool, in an account and region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserRef {
    /// The event's account (`recipientAccountId`, else the caller's), when known.
    pub account: Option<String>,
    /// The pool's region: user pool ids start with it (`eu-west-1_Sh0pPoo1`).
    pub region: String,
    pub pool_id: String,
    pub sub: String,
}

impl UserRef {
    /// The user `alert` is about: `Ok(None)` when it names no user (no sub),
    /// `Err(reason)` when it does but cannot be looked up.
    pub fn of(alert: &Alert) -> Result<Option<UserRef>, String> {
        let Some(sub) = &alert.actor.user_sub else {
            return Ok(None);
        };
        // Cognito subs are UUIDs; anything else never reaches a ListUsers filter
        // (a quote would change its meaning).
        let sub_ok = (1..=128).contains(&sub.len())
            && sub.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !sub_ok {
            return Err("the sub is not a Cognito user sub".into());
        }
        let Some(pool_id) = &alert.resource.user_pool_id else {
            return Err("the request names no user pool".into());
        };
        let region = match pool_id.split_once('_') {
            Some((region, id)) if !region.is_empty() && !id.is_empty() => region.to_string(),
            _ => return Err(format!("{pool_id:?} is not a user pool id")),
        };
        Ok(Some(UserRef {
            account: alert.account_id.clone(),
            region,
            pool_id: pool_id.clone(),
            sub: sub.clone(),
        }))
    }
}

/// Whose credentials reach a pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// The function's own: the pool is in its account.
    Own,
    /// The role `ENRICH_ROLE_NAME` in this other account.
    Role { account: String },
}

/// Why a lookup failed, as the alert says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    AccessDenied,
    Throttled,
    Timeout,
    Error,
}

/// A failed lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub cause: Cause,
    pub detail: String,
}

impl Failure {
    /// `AccessDenied: ...`, `throttled: ...`, `timeout: ...` or `error: ...`.
    pub fn reason(&self) -> String {
        let cause = match self.cause {
            Cause::AccessDenied => "AccessDenied",
            Cause::Throttled => "throttled",
            Cause::Timeout => "timeout",
            Cause::Error => "error",
        };
        format!("{cause}: {}", self.detail)
    }
}

/// What a lookup answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Found(CognitoUser),
    NotFound,
    Failed(Failure),
}

/// How an invocation may look users up (from the configuration).
#[derive(Debug, Clone)]
pub struct Policy {
    /// The function's account: pools elsewhere need the role. `None`: every pool
    /// is taken to be in it.
    pub own_account: Option<String>,
    /// `ENRICH_ROLE_NAME` is set: other accounts are reached through it.
    pub cross_account: bool,
    /// Lookups per invocation; the rest fall back to the hint.
    pub max_lookups: usize,
}

#[derive(Debug, Clone)]
enum Outcome {
    Answer(Answer),
    Skipped(String),
    Pending,
}

/// One invocation's lookups: what it asked and learned, and its budget.
#[derive(Debug)]
pub struct Lookups {
    policy: Policy,
    outcomes: HashMap<UserRef, Outcome>,
    spent: usize,
    /// Accounts whose lookups failed in this invocation: not asked again (each
    /// failure already cost up to the time budget, and the cause, such as denied
    /// access or throttling, holds for the account).
    down: HashMap<Option<String>, Failure>,
}

impl Lookups {
    /// A new invocation's lookups.
    pub fn new(policy: Policy) -> Self {
        Lookups {
            policy,
            outcomes: HashMap::new(),
            spent: 0,
            down: HashMap::new(),
        }
    }

    /// The lookups to make for `alerts`: each distinct user not already known to
    /// this invocation or (fresh) to `cache`, within the budget, with the
    /// credentials that reach it. Give each answer to [`Lookups::record`].
    pub fn plan<'a>(
        &mut self,
        alerts: impl IntoIterator<Item = &'a Alert>,
        cache: &mut UserCache,
        now: u64,
    ) -> Vec<(UserRef, Via)> {
        let mut asks = Vec::new();
        for alert in alerts {
            let Ok(Some(user)) = UserRef::of(alert) else {
                continue;
            };
            if self.outcomes.contains_key(&user) {
                continue;
            }
            let outcome = self.decide(&user, cache, now);
            if let (Outcome::Pending, Some(via)) = (&outcome, self.via(&user)) {
                asks.push((user.clone(), via));
            }
            self.outcomes.insert(user, outcome);
        }
        asks
    }

    fn decide(&mut self, user: &UserRef, cache: &mut UserCache, now: u64) -> Outcome {
        if let Some(known) = cache.get(user, now) {
            return Outcome::Answer(known);
        }
        if self.via(user).is_none() {
            let (theirs, ours) = (
                user.account.as_deref().unwrap_or("?"),
                self.policy.own_account.as_deref().unwrap_or("?"),
            );
            return Outcome::Skipped(format!(
                "the pool is in account {theirs}, not the function's ({ours}): \
                 set ENRICH_ROLE_NAME to look up users in other accounts"
            ));
        }
        if let Some(failure) = self.down.get(&user.account) {
            return Outcome::Answer(Answer::Failed(Failure {
                cause: failure.cause,
                detail: format!(
                    "{} (an earlier lookup in this account failed in this invocation)",
                    failure.detail
                ),
            }));
        }
        if self.spent >= self.policy.max_lookups {
            return Outcome::Skipped(format!(
                "the limit of {} lookups per invocation was reached",
                self.policy.max_lookups
            ));
        }
        self.spent += 1;
        Outcome::Pending
    }

    /// Whose credentials reach `user`'s pool, if any.
    fn via(&self, user: &UserRef) -> Option<Via> {
        match (&user.account, &self.policy.own_account) {
            (Some(theirs), Some(ours)) if theirs != ours => {
                self.policy.cross_account.then(|| Via::Role {
                    account: theirs.clone(),
                })
            }
            _ => Some(Via::Own),
        }
    }

    /// Records what a planned lookup answered; users found or not found are also
    /// remembered by the container's `cache` (failures are not).
    pub fn record(&mut self, user: UserRef, answer: Answer, cache: &mut UserCache, now: u64) {
        match &answer {
            Answer::Failed(f) => {
                self.down.insert(user.account.clone(), f.clone());
            }
            known => cache.put(user.clone(), known.clone(), now),
        }
        self.outcomes.insert(user, Outcome::Answer(answer));
    }

    /// Fills `alert`'s `actor.user_lookup` with what this invocation learned.
    pub fn apply(&self, alert: &mut Alert) {
        let user = UserRef::of(alert);
        let Some(lookup) = alert.actor.user_lookup.as_mut() else {
            return;
        };
        let outcome = match user {
            Ok(None) => return,
            Err(reason) => Outcome::Skipped(reason),
            Ok(Some(t)) => self.outcomes.get(&t).cloned().unwrap_or(Outcome::Pending),
        };
        (lookup.status, lookup.user, lookup.reason) = match outcome {
            Outcome::Answer(Answer::Found(user)) => (LookupStatus::Found, Some(user), None),
            Outcome::Answer(Answer::NotFound) => (LookupStatus::NotFound, None, None),
            Outcome::Answer(Answer::Failed(f)) => (LookupStatus::Failed, None, Some(f.reason())),
            Outcome::Skipped(reason) => (LookupStatus::Skipped, None, Some(reason)),
            Outcome::Pending => (LookupStatus::Skipped, None, Some("no answer".into())),
        };
    }

    /// Lookups made (or planned) so far in this invocation.
    pub fn spent(&self) -> usize {
        self.spent
    }
}

/// The ARN of the role `name` in `account`, in the partition of `region`.
pub fn role_arn(account: &str, region: &str, name: &str) -> String {
    let partition = crate::trail::layout::partition(region);
    format!("arn:{partition}:iam::{account}:role/{name}")
}

#[cfg(test)]
mod tests;
