//! Open chains in the state table: the port, the container's own memory (no
//! `STATE_TABLE`), and the fake table's. The adapter is `aws::DynamoStore`
//! (`aws/chains.rs`).

use std::future::Future;

use cognito_trail_alerts::chains::GroupState;

pub use super::chain_memory::{MemoryChains, StoredGroup};
use crate::failure::CallError;

/// The answer to a conditional write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Saved,
    /// Another invocation wrote the item since it was read: read it again.
    Conflict,
}

/// One item per (chain, group) (`chains::store_key`), read once and written
/// once per group a file's hits touch; none for records that hit no step.
pub trait ChainStore: Send + Sync {
    /// The group's state, or `None` when nothing is open.
    fn load(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<StoredGroup>, CallError>> + Send;

    /// Writes `state` if the item is still at `version` (`None`: absent); an
    /// empty state deletes it. `expires`: Unix seconds after which the item may go.
    fn save(
        &self,
        key: &str,
        state: &GroupState,
        version: Option<u64>,
        expires: u64,
    ) -> impl Future<Output = Result<Written, CallError>> + Send;
}

impl ChainStore for MemoryChains {
    async fn load(&self, key: &str) -> Result<Option<StoredGroup>, CallError> {
        Ok(self.get(key))
    }

    async fn save(
        &self,
        key: &str,
        state: &GroupState,
        version: Option<u64>,
        _expires: u64,
    ) -> Result<Written, CallError> {
        Ok(match self.put(key, state, version) {
            true => Written::Saved,
            false => Written::Conflict,
        })
    }
}

impl ChainStore for super::claims::NoStore {
    async fn load(&self, _: &str) -> Result<Option<StoredGroup>, CallError> {
        Err(super::claims::none())
    }

    async fn save(
        &self,
        _: &str,
        _: &GroupState,
        _: Option<u64>,
        _: u64,
    ) -> Result<Written, CallError> {
        Err(super::claims::none())
    }
}

#[cfg(any(test, feature = "testkit"))]
impl ChainStore for super::claims::FakeStateTable {
    async fn load(&self, key: &str) -> Result<Option<StoredGroup>, CallError> {
        if self.chains_down.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(CallError::transient("fake state table: chains unavailable"));
        }
        self.chains.load(key).await
    }

    async fn save(
        &self,
        key: &str,
        state: &GroupState,
        version: Option<u64>,
        expires: u64,
    ) -> Result<Written, CallError> {
        if self.chains_down.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(CallError::transient("fake state table: chains unavailable"));
        }
        self.chains.save(key, state, version, expires).await
    }
}
