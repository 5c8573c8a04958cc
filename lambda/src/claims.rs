//! One invocation's use of the state store: claim each batch before publishing,
//! mark what SNS accepted, release what failed, and — when the store cannot be
//! reached — publish anyway.
//!
//! Why this order of priorities: nothing lost wins over nothing duplicated. A
//! notice whose claim a live invocation holds is not published here but deferred:
//! this invocation fails (after publishing everything else), so Lambda or SQS
//! retries it; by then the holder has either completed it (the retry skips it) or
//! died (its lease has run out and the retry takes it over). A store that does not
//! answer cannot prove a notice was sent, so the notice is published (at least
//! once) and `StateUnavailable` counts it.

use cognito_trail_alerts::claim::{Claim, Key};
use tracing::{error, info, warn};

use crate::clock::Clock;
use crate::failure::Retry;
use crate::metrics::Tally;
use crate::ports::ClaimStore;

/// What to do with one notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Publish it; `claimed` when this invocation holds its claim (to complete or
    /// release afterwards).
    Publish { claimed: bool },
    /// It was published before: skip it.
    Sent,
    /// A live invocation is publishing it: leave it, and fail so it is retried.
    Deferred { until: u64 },
}

/// One invocation's claims.
pub struct Claims<'a, T> {
    store: Option<&'a T>,
    owner: String,
    /// When claims are taken and completed.
    clock: Clock,
    /// The store failed in this invocation: it is not asked again until the next
    /// one (each failed call already cost the SDK's retries and timeouts, and the
    /// invocation has a deadline).
    down: bool,
}

impl<'a, T: ClaimStore> Claims<'a, T> {
    /// Claims against `store` (none: every notice is published, as without a
    /// store), held by `owner`, an id unique to this invocation, timed by `clock`.
    pub fn new(store: Option<&'a T>, owner: String, clock: Clock) -> Self {
        Claims {
            store,
            owner,
            clock,
            down: false,
        }
    }

    /// The store, unless there is none or it failed in this invocation; counts
    /// `n` notices left unprotected when it failed.
    fn usable(&self, n: usize, tally: &mut Tally) -> Option<&'a T> {
        let store = self.store?;
        if self.down {
            tally.state_unavailable += n as u64;
            return None;
        }
        Some(store)
    }

    /// Claims `keys` (one batch) and says what to do with each notice.
    pub async fn claim(&mut self, keys: &[Key], tally: &mut Tally) -> Vec<Fate> {
        let unclaimed = vec![Fate::Publish { claimed: false }; keys.len()];
        let Some(store) = self.usable(keys.len(), tally) else {
            return unclaimed;
        };
        let answers = store.claim(keys, &self.owner, self.clock.unix_secs()).await;
        let mut fates = Vec::with_capacity(keys.len());
        for (key, answer) in keys.iter().zip(answers) {
            fates.push(match answer {
                Ok(Claim::Expired) => {
                    info!(pk = %key.pk, sk = %key.sk, "claim taken over from an invocation that died");
                    Fate::Publish { claimed: true }
                }
                Ok(c) if c.granted() => Fate::Publish { claimed: true },
                Ok(Claim::Held { until }) => {
                    warn!(pk = %key.pk, sk = %key.sk, until, "claimed by another invocation: deferred");
                    Fate::Deferred { until }
                }
                Ok(_) => {
                    tally.duplicates_suppressed += 1;
                    Fate::Sent
                }
                Err(e) => {
                    self.failed("claim", &e);
                    tally.state_unavailable += 1;
                    Fate::Publish { claimed: false }
                }
            });
        }
        fates
    }

    /// Records that the notices of `keys`, claimed by this invocation, were
    /// published.
    pub async fn complete(&mut self, keys: &[Key], tally: &mut Tally) {
        if keys.is_empty() {
            return;
        }
        let Some(store) = self.usable(keys.len(), tally) else {
            return;
        };
        if let Err(e) = store
            .complete(keys, &self.owner, self.clock.unix_secs())
            .await
        {
            // The claims stay IN_PROGRESS until their lease runs out: a retry after
            // that could publish these again.
            self.failed("complete", &e);
            tally.state_unavailable += keys.len() as u64;
        }
    }

    /// Gives up the claims of `keys`, whose publishing failed.
    pub async fn release(&mut self, keys: &[Key], tally: &mut Tally) {
        if keys.is_empty() {
            return;
        }
        let Some(store) = self.usable(0, tally) else {
            return;
        };
        if let Err(e) = store.release(keys, &self.owner).await {
            // Harmless: the lease runs out and a retry takes the claims over.
            self.failed("release", &e);
        }
    }

    fn failed(&mut self, what: &str, e: &crate::failure::CallError) {
        self.down = true;
        match e.retry {
            Retry::Transient => {
                warn!(error = %e, what, "state store unavailable: publishing without it")
            }
            // Access denied, table missing: a deployment problem, not weather.
            Retry::Permanent => {
                error!(error = %e, what, "state store refused: publishing without it")
            }
        }
    }
}
