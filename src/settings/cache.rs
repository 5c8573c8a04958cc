//! Where the last values live: the port, and the in-process cache the CLI keeps
//! for one run (and the Lambda for one invocation when it has no table).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{ResourceKey, Seen};
use crate::trail::Record;

/// What the cache keeps of one setting: the last value seen, and the value it
/// replaced, so that the same event read again (a retry, a second delivery path)
/// still sees what it changed instead of itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    pub last: Seen,
    pub previous: Option<Seen>,
}

/// The cache could not be read or written (the Lambda's store is unreachable).
#[derive(Debug, Clone, thiserror::Error)]
#[error("settings memory unavailable: {0}")]
pub struct CacheError(pub String);

/// The last value seen of each tracked setting, per resource.
pub trait SettingsCache {
    /// Every remembered setting of `resource` (name → last value seen).
    fn recall(&mut self, resource: &ResourceKey)
        -> Result<HashMap<String, Remembered>, CacheError>;

    /// [`SettingsCache::recall`] of the resource `record` is about. A cache that
    /// may read a resource never seen (the Lambda's snapshots) finds in the record
    /// what the key does not hold (an app client's `userPoolId`); the others ignore it.
    fn recall_for(
        &mut self,
        resource: &ResourceKey,
        record: &Record,
    ) -> Result<HashMap<String, Remembered>, CacheError> {
        let _ = record;
        self.recall(resource)
    }

    /// Remembers `value.last` as the value of `setting`, unless a value from a later
    /// event is already remembered (files arrive out of order).
    fn remember(&mut self, resource: &ResourceKey, setting: &str, value: Remembered);
}

/// Whether `new` may replace `old`: only an event at least as recent.
pub fn newer_or_same(new: &Seen, old: &Seen) -> bool {
    new.event_time >= old.event_time
}

/// A cache that lives as long as the process (or the value).
#[derive(Debug, Default)]
pub struct LocalCache {
    values: HashMap<ResourceKey, HashMap<String, Remembered>>,
}

impl LocalCache {
    /// An empty cache.
    pub fn new() -> Self {
        LocalCache::default()
    }

    /// Number of resources remembered.
    pub fn resources(&self) -> usize {
        self.values.len()
    }

    /// Each resource remembered with the last value of each of its settings
    /// (`scan --posture`).
    pub fn last_values(
        &self,
    ) -> impl Iterator<
        Item = (
            ResourceKey,
            std::collections::BTreeMap<String, serde_json::Value>,
        ),
    > + '_ {
        self.values.iter().map(|(key, settings)| {
            let values = settings
                .iter()
                .map(|(name, r)| (name.clone(), r.last.value.clone()))
                .collect();
            (key.clone(), values)
        })
    }
}

impl SettingsCache for LocalCache {
    fn recall(
        &mut self,
        resource: &ResourceKey,
    ) -> Result<HashMap<String, Remembered>, CacheError> {
        Ok(self.values.get(resource).cloned().unwrap_or_default())
    }

    fn remember(&mut self, resource: &ResourceKey, setting: &str, value: Remembered) {
        let slot = self.values.entry(resource.clone()).or_default();
        match slot.get(setting) {
            Some(old) if !newer_or_same(&value.last, &old.last) => {}
            _ => {
                slot.insert(setting.to_string(), value);
            }
        }
    }
}
