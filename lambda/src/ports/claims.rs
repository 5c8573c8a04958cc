//! Claims in the state table (exactly-once alerts): the port, the absence of a
//! table, and the fake table. The adapter is `aws::DynamoStore`, which also keeps
//! tracked settings (`settings.rs`): one table, two capabilities.

use std::future::Future;

use cognito_trail_alerts::claim::{Claim, Key};

use crate::failure::CallError;

/// The function's memory (`STATE_TABLE`): claims that make each alert published
/// once. The decisions are `cognito_trail_alerts::claim`'s; a store keeps items
/// and applies them atomically. Narrow on purpose: a later capability (such as
/// the last value seen per resource) is a new method, not a flag.
pub trait ClaimStore: Send + Sync {
    /// Claims each of `keys` for `owner` at `now` (seconds since the epoch): one
    /// answer per key, in order, or that key's error once the SDK's retries are
    /// spent.
    fn claim(
        &self,
        keys: &[Key],
        owner: &str,
        now: u64,
    ) -> impl Future<Output = Vec<Result<Claim, CallError>>> + Send;

    /// Records that `owner` published `keys` at `now` (kept 14 days).
    fn complete(
        &self,
        keys: &[Key],
        owner: &str,
        now: u64,
    ) -> impl Future<Output = Result<(), CallError>> + Send;

    /// Gives up `owner`'s claims on `keys` (their publishing failed), so a retry
    /// need not wait for the lease; claims taken over since are left alone.
    fn release(
        &self,
        keys: &[Key],
        owner: &str,
    ) -> impl Future<Output = Result<(), CallError>> + Send;
}

/// No state table: the type of an `App` built without one. It is never called (the
/// handler holds `Option<NoStore>`, always `None`); if it were, it would say it
/// is unavailable, which publishes anyway.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoStore;

impl ClaimStore for NoStore {
    async fn claim(&self, keys: &[Key], _: &str, _: u64) -> Vec<Result<Claim, CallError>> {
        keys.iter().map(|_| Err(none())).collect()
    }

    async fn complete(&self, _: &[Key], _: &str, _: u64) -> Result<(), CallError> {
        Err(none())
    }

    async fn release(&self, _: &[Key], _: &str) -> Result<(), CallError> {
        Err(none())
    }
}

/// What [`NoStore`] answers.
pub(super) fn none() -> CallError {
    CallError::permanent("no state store configured")
}

/// The state table in memory (tests): the same decisions as the DynamoDB adapter
/// (two `App`s sharing one are two containers sharing a table). Its tracked
/// settings are in `settings.rs`.
#[cfg(any(test, feature = "testkit"))]
#[derive(Debug, Default, Clone)]
pub struct FakeStateTable {
    pub table: std::sync::Arc<cognito_trail_alerts::claim::FakeTable>,
    /// Tracked settings, shared like the table.
    pub settings: std::sync::Arc<std::sync::Mutex<cognito_trail_alerts::settings::LocalCache>>,
    /// Open chains (`ChainStore`).
    pub chains: std::sync::Arc<super::chain_memory::MemoryChains>,
    /// Makes every chain read and write fail (the table down for chains).
    pub chains_down: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The organization's account names (`AccountNameStore`).
    pub account_names: std::sync::Arc<
        std::sync::Mutex<Option<cognito_trail_alerts::alert::account::AccountListing>>,
    >,
}

#[cfg(any(test, feature = "testkit"))]
impl ClaimStore for FakeStateTable {
    async fn claim(&self, keys: &[Key], owner: &str, now: u64) -> Vec<Result<Claim, CallError>> {
        keys.iter()
            .map(|k| Ok(self.table.claim(k, owner, now)))
            .collect()
    }

    async fn complete(&self, keys: &[Key], owner: &str, now: u64) -> Result<(), CallError> {
        keys.iter().for_each(|k| self.table.complete(k, owner, now));
        Ok(())
    }

    async fn release(&self, keys: &[Key], owner: &str) -> Result<(), CallError> {
        keys.iter().for_each(|k| {
            self.table.release(k, owner);
        });
        Ok(())
    }
}
