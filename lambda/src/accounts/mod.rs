//! Account names from AWS Organizations (`ACCOUNT_NAMES_ROLE_ARN`): after a file
//! or event is scanned and before its notices are published, each alert whose
//! account the overlays did not name gets the name Organizations gives it. The
//! decisions (list, describe, cache, pause) are
//! `cognito_trail_alerts::alert::account`'s; here are the calls, the container's
//! cache, the state table's copy of the listing and the counts.
//!
//! A lookup never holds an alert back: it has [`LOOKUP_TIMEOUT`], the user
//! lookups' budget, beside them; whatever does not answer in time goes out with
//! the id alone. A listing cut short goes on in the background and serves the
//! next file.

pub mod config;

use std::sync::{Arc, Mutex, MutexGuard};

use aws_config::SdkConfig;
use cognito_trail_alerts::alert::account::{AccountListing, AccountNameCache, NAMES_TTL_SECS};
use cognito_trail_alerts::notice::Notice;
use cognito_trail_alerts::users::{Cause, Failure};
use tokio::task::{JoinHandle, JoinSet};
use tracing::{info, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::AccountNameTally;
use crate::ports::{AccountDirectory, AccountNameStore};
pub use crate::users::LOOKUP_TIMEOUT;

/// A listing under way: its task fills the cache itself.
type Listing = JoinHandle<Result<(), Failure>>;

/// The function's account names: Organizations, the state table's listing (with
/// `STATE_TABLE`), the container's cache.
pub struct AccountNamer {
    directory: Arc<dyn AccountDirectory>,
    store: Option<Arc<dyn AccountNameStore>>,
    cache: Arc<Mutex<AccountNameCache>>,
    /// At most one listing at a time per container.
    listing: tokio::sync::Mutex<Option<Listing>>,
}

/// What one lookup did, counted once it is over (it runs beside the user
/// lookups, which hold the tally).
#[derive(Debug, Default)]
pub struct Lookup {
    /// Calls made to Organizations.
    pub calls: u64,
    /// Why the lookup gave up, if it did.
    pub failure: Option<Failure>,
    /// The accounts asked about.
    pub accounts: Vec<String>,
}

impl Lookup {
    /// Adds this lookup to the invocation's counts (and logs its failure).
    pub fn count(&self, tally: &mut AccountNameTally) {
        tally.lookups += self.calls;
        if let Some(failure) = &self.failure {
            tally.failed(failure, &self.accounts);
        }
    }
}

impl AccountNamer {
    /// Names from `directory`, the listing kept in `store` too when there is one.
    pub fn new(
        directory: Arc<dyn AccountDirectory>,
        store: Option<Arc<dyn AccountNameStore>>,
    ) -> Self {
        AccountNamer {
            directory,
            store,
            cache: Arc::new(Mutex::new(AccountNameCache::default())),
            listing: tokio::sync::Mutex::new(None),
        }
    }

    /// The accounts of `notices`' alerts that have no name yet (the overlays'
    /// names come first), each once.
    pub fn wanted(notices: &[Notice]) -> Vec<String> {
        let mut ids: Vec<String> = notices
            .iter()
            .filter_map(|n| match n {
                Notice::Alert(a) if a.account_name.is_none() => a.account_id.clone(),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Learns the names of `ids` within [`LOOKUP_TIMEOUT`]: from the container's
    /// cache, else the state table's listing, else Organizations. Never fails: a
    /// failure or timeout is in the answer, and pauses lookups for a while.
    pub async fn look_up(&self, ids: Vec<String>, clock: Clock) -> Lookup {
        let mut calls = 0;
        if ids.is_empty() {
            return Lookup::default();
        }
        let answer =
            tokio::time::timeout(LOOKUP_TIMEOUT, self.resolve(&ids, clock, &mut calls)).await;
        let failure = match answer {
            Ok(Ok(())) => None,
            Ok(Err(failure)) => Some(failure),
            Err(_) => Some(Failure {
                cause: Cause::Timeout,
                detail: format!(
                    "no answer from the state table or Organizations within {} ms",
                    LOOKUP_TIMEOUT.as_millis()
                ),
            }),
        };
        if failure.is_some() {
            self.cache().failed(clock.unix_secs());
        }
        Lookup {
            calls,
            failure,
            accounts: ids,
        }
    }

    /// Names the alerts of `notices` that the cache can name now.
    pub fn apply(&self, notices: &mut [Notice], now: u64) {
        let cache = self.cache();
        let names = cache.at(now);
        for notice in notices {
            if let Notice::Alert(alert) = notice {
                alert.name_account(&names);
            }
        }
    }

    async fn resolve(&self, ids: &[String], clock: Clock, calls: &mut u64) -> Result<(), Failure> {
        let now = clock.unix_secs();
        let mut plan = self.cache().plan(ids, now);
        if plan.list {
            if let Some(listing) = self.recall(now).await {
                self.cache().load(listing);
                plan = self.cache().plan(ids, now);
            }
        }
        if plan.list {
            self.list(ids, clock, calls).await?;
            // A listing another lookup started does not speak for these ids.
            plan = self.cache().plan(ids, now);
        }
        self.describe(plan.describe, now, calls).await?;
        self.save().await;
        Ok(())
    }

    /// The state table's listing, when fresh (a failure to read it only costs a
    /// listing).
    async fn recall(&self, now: u64) -> Option<AccountListing> {
        let store = self.store.as_ref()?;
        match store.recall_names().await {
            Ok(listing) => listing.filter(|l| l.fresh(now, NAMES_TTL_SECS)),
            Err(e) => {
                warn!(error = %e, "account names not read from the state table");
                None
            }
        }
    }

    /// Waits for the container's listing, started here unless one is under way.
    async fn list(&self, asked: &[String], clock: Clock, calls: &mut u64) -> Result<(), Failure> {
        let mut slot = self.listing.lock().await;
        // One that ended unawaited already filled the cache (or failed, counted as
        // the timeout of the lookup that left it): not an answer for this one.
        if slot.as_ref().is_some_and(JoinHandle::is_finished) {
            *slot = None;
        }
        let handle = slot.get_or_insert_with(|| {
            *calls += 1;
            self.spawn_listing(asked.to_vec(), clock)
        });
        // Cancelled by the caller's timeout, the task goes on and stays in the slot.
        let done = handle.await;
        *slot = None;
        done.unwrap_or_else(|e| {
            Err(Failure {
                cause: Cause::Error,
                detail: format!("ListAccounts task: {e}"),
            })
        })
    }

    fn spawn_listing(&self, asked: Vec<String>, clock: Clock) -> Listing {
        let (directory, cache) = (self.directory.clone(), self.cache.clone());
        tokio::spawn(async move {
            let names = directory.list().await?;
            let now = clock.unix_secs();
            let listing = AccountListing {
                fetched: now,
                names,
            };
            lock(&cache).listed(listing, &asked, now);
            Ok(())
        })
    }

    /// DescribeAccount for each of `ids`, in parallel; the first failure is the
    /// answer (the others' names are kept).
    async fn describe(&self, ids: Vec<String>, now: u64, calls: &mut u64) -> Result<(), Failure> {
        let mut running = JoinSet::new();
        for id in ids {
            let directory = self.directory.clone();
            *calls += 1;
            running.spawn(async move {
                let answer = directory.describe(&id).await;
                (id, answer)
            });
        }
        let mut failure = None;
        while let Some(done) = running.join_next().await {
            match done {
                Ok((id, Ok(name))) => self.cache().described(id, name, now),
                Ok((_, Err(f))) => {
                    failure.get_or_insert(f);
                }
                Err(e) => {
                    failure.get_or_insert(Failure {
                        cause: Cause::Error,
                        detail: format!("DescribeAccount task: {e}"),
                    });
                }
            }
        }
        failure.map_or(Ok(()), Err)
    }

    /// Writes a listing made here to the state table (once; a failure leaves it
    /// for the next lookup).
    async fn save(&self) {
        let Some(store) = &self.store else {
            return;
        };
        let Some(listing) = self.cache().unsaved().cloned() else {
            return;
        };
        match store.remember_names(&listing).await {
            Ok(()) => self.cache().saved(listing.fetched),
            Err(e) => warn!(error = %e, "account names not written to the state table"),
        }
    }

    fn cache(&self) -> MutexGuard<'_, AccountNameCache> {
        lock(&self.cache)
    }
}

/// The cache holds no invariant a panic could break: use it anyway.
fn lock(cache: &Mutex<AccountNameCache>) -> MutexGuard<'_, AccountNameCache> {
    cache.lock().unwrap_or_else(|e| e.into_inner())
}

/// The account names `config` asks for (`ACCOUNT_NAMES_ROLE_ARN`), their clients
/// built from `shared`; none when off.
pub async fn build(config: &Config, shared: &SdkConfig) -> Option<AccountNamer> {
    let names = config.account_names.as_ref()?;
    let directory = crate::aws::OrganizationsDirectory::new(shared, &names.role_arn).await;
    let store = config.state_table.as_ref().map(|table| {
        let client = aws_sdk_dynamodb::Client::from_conf(
            aws_sdk_dynamodb::config::Builder::from(shared)
                .timeout_config(crate::aws::state_timeouts())
                .build(),
        );
        Arc::new(crate::aws::DynamoStore::new(client, table.clone())) as Arc<dyn AccountNameStore>
    });
    info!(
        role = names.role_arn,
        state_table = store.is_some(),
        "account names from Organizations on"
    );
    Some(AccountNamer::new(Arc::new(directory), store))
}
