//! Open chains in memory: the store the function uses without a state table
//! (this container's), and the fake table's. `ChainStore` is implemented for it
//! in `chains.rs`; this file stays free of that trait so the fake table
//! (`claims.rs`) can hold one.

use std::collections::HashMap;
use std::sync::Mutex;

use cognito_trail_alerts::chains::GroupState;

/// One (chain, group)'s state as stored, with the version a write must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGroup {
    pub state: GroupState,
    pub version: u64,
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

    /// A group's state.
    pub fn get(&self, key: &str) -> Option<StoredGroup> {
        self.items
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    /// Writes `state` if the group is at `version` (`None`: absent); an empty
    /// state removes it. False: another writer got there first.
    pub fn put(&self, key: &str, state: &GroupState, version: Option<u64>) -> bool {
        let mut items = self.items.lock().unwrap_or_else(|p| p.into_inner());
        if items.get(key).map(|s| s.version) != version {
            return false;
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
        true
    }
}
