//! Open chains in the state table: the port, the container's own memory (no
//! `STATE_TABLE`), and the fake table's. The adapter is `aws::DynamoStore`
//! (`aws/chains.rs`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use cognito_trail_alerts::chains::GroupState;

use crate::failure::CallError;

/// One (chain, group)'s state as stored, with the version a write must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGroup {
    pub state: GroupState,
    pub version: u64,
}

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

/// Chains in this container's memory: what the function uses without a state
/// table (chains then span only the files one container sees), and the fake
/// table's store.
#[derive(Debug, Default)]
pub struct MemoryChains {
    items: Mutex<HashMap<String, StoredGroup>>,
}

impl MemoryChains {
    /// How many groups are open.
    pub fn open(&self) -> usize {
        self.items.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl ChainStore for MemoryChains {
    async fn load(&self, key: &str) -> Result<Option<StoredGroup>, CallError> {
        let items = self.items.lock().unwrap_or_else(|p| p.into_inner());
        Ok(items.get(key).cloned())
    }

    async fn save(
        &self,
        key: &str,
        state: &GroupState,
        version: Option<u64>,
        _expires: u64,
    ) -> Result<Written, CallError> {
        let mut items = self.items.lock().unwrap_or_else(|p| p.into_inner());
        if items.get(key).map(|s| s.version) != version {
            return Ok(Written::Conflict);
        }
        if state.is_empty() {
            items.remove(key);
        } else {
            let version = version.map_or(1, |v| v + 1);
            items.insert(
                key.to_owned(),
                StoredGroup {
                    state: state.clone(),
                    version,
                },
            );
        }
        Ok(Written::Saved)
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
