//! One invocation's cache of tracked settings (`InvocationCache`). The engine diffs against it on the
//! blocking scan thread; a read of the store is asked of the async side through a
//! channel (once per resource an alert tracks, never per record), answered from a
//! cache afterwards, and what the scan remembered is written after each file.
//!
//! With `SNAPSHOT_ON_FIRST_SIGHT`, a resource the store has never seen is read
//! from the resource itself while the scan waits (`crate::snapshots`): the values
//! come back with the answer, seed the cache and are written with the rest.
//!
//! Why a channel and not `Handle::block_on` on the scan thread: the store stays a
//! borrowed port of the handler (no `Clone + 'static` demanded of it), and every
//! call to it is made where the other calls are, on the invocation's task.

use std::collections::{HashMap, HashSet};

use cognito_trail_alerts::settings::{
    CacheError, LocalCache, Remembered, ResourceKey, SettingsCache,
};
use cognito_trail_alerts::trail::Record;
use tokio::sync::{mpsc, oneshot};
use tracing::{error, warn};

use crate::failure::CallError;
use crate::ports::{ConfigTarget, SettingsStore};
use crate::snapshots::{Shots, SnapshotRun};

/// What the store knows of a resource, and what a snapshot of it gave (only when
/// the store knew nothing).
#[derive(Default)]
struct Recalled {
    known: HashMap<String, Remembered>,
    snapshot: Vec<(String, Remembered)>,
}

type Answer = Result<Recalled, CallError>;
/// A read the scan thread asks of the async side: the resource (with what a
/// snapshot of it needs besides its key), and where to answer.
pub struct Ask(ConfigTarget, oneshot::Sender<Answer>);

/// The tracked-settings cache of one invocation: over the state table when there is one.
#[derive(Default)]
pub struct InvocationCache {
    asks: Option<mpsc::Sender<Ask>>,
    cache: LocalCache,
    recalled: HashSet<ResourceKey>,
    pending: Vec<(ResourceKey, String, Remembered)>,
    /// The store failed in this invocation: like the claims, it is not asked again
    /// until the next one (each failure already cost the SDK's retries).
    down: Option<String>,
    /// Reads and writes the store refused (counted as `StateUnavailable`).
    pub unavailable: u64,
    /// This invocation's snapshots (`SNAPSHOT_ON_FIRST_SIGHT`), served on the
    /// async side while a scan runs.
    pub snapshots: SnapshotRun,
}

impl InvocationCache {
    /// Connects the cache to a store for one scan: reads go through the returned
    /// receiver, which [`serve`] answers until [`InvocationCache::detach`].
    pub fn attach(&mut self) -> mpsc::Receiver<Ask> {
        let (tx, rx) = mpsc::channel(1);
        self.asks = Some(tx);
        rx
    }

    /// Ends the scan's reads (closes the channel, so [`serve`] returns).
    pub fn detach(&mut self) {
        self.asks = None;
    }

    /// Writes what the scans remembered since the last flush. A failure is counted
    /// and logged with the keys: the alerts already went out, and the next change
    /// of those settings will say their previous value is unknown.
    pub async fn flush(&mut self, store: &impl SettingsStore) {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return;
        }
        if self.down.is_some() {
            return;
        }
        if let Err(e) = store.remember(&pending).await {
            self.unavailable += 1;
            self.down = Some(e.to_string());
            let keys: Vec<String> = pending
                .iter()
                .map(|(k, name, _)| format!("{} {name}", k.text()))
                .collect();
            error!(error = %e, settings = keys.join(", "), "tracked settings not saved");
        }
    }
}

/// Runs `work` (a scan) on a blocking thread with this invocation's settings cache,
/// answering its reads of `store` meanwhile, then writes what it remembered.
/// With `shots`, a resource the store has never seen is snapshotted.
pub async fn scan_blocking<T: SettingsStore, R: Send + 'static>(
    store: Option<&T>,
    shots: Option<Shots<'_>>,
    cache: &mut InvocationCache,
    work: impl FnOnce(&mut InvocationCache) -> R + Send + 'static,
) -> Result<R, tokio::task::JoinError> {
    let mut taken = std::mem::take(cache);
    let mut snapshots = std::mem::take(&mut taken.snapshots);
    let asks = store.map(|_| taken.attach());
    let scan = tokio::task::spawn_blocking(move || {
        let out = work(&mut taken);
        taken.detach();
        (out, taken)
    });
    let reads = async {
        if let (Some(store), Some(asks)) = (store, asks) {
            serve(store, shots.map(|s| (s, &mut snapshots)), asks).await;
        }
    };
    let (scanned, ()) = tokio::join!(scan, reads);
    let (out, mut taken) = scanned?;
    taken.snapshots = snapshots;
    if let Some(store) = store {
        taken.flush(store).await;
    }
    *cache = taken;
    Ok(out)
}

/// Answers the scan thread's reads from `store` until it detaches; with `shots`,
/// a resource the store has never seen is snapshotted.
pub async fn serve(
    store: &impl SettingsStore,
    mut shots: Option<(Shots<'_>, &mut SnapshotRun)>,
    mut asks: mpsc::Receiver<Ask>,
) {
    while let Some(Ask(target, reply)) = asks.recv().await {
        let answer = match store.recall(&target.key).await {
            Ok(known) if known.is_empty() => {
                let snapshot = match &mut shots {
                    Some((s, run)) => s.snapshots.take(*s, run, &target).await,
                    None => Vec::new(),
                };
                Ok(Recalled { known, snapshot })
            }
            Ok(known) => Ok(Recalled {
                known,
                snapshot: Vec::new(),
            }),
            Err(e) => Err(e),
        };
        let _ = reply.send(answer);
    }
}

impl InvocationCache {
    /// A new invocation's cache; its snapshots end in time for `deadline`.
    pub fn new(deadline: Option<tokio::time::Instant>) -> Self {
        InvocationCache {
            snapshots: SnapshotRun::new(deadline),
            ..InvocationCache::default()
        }
    }

    /// [`SettingsCache::recall`], `user_pool_id` given for a snapshot of an app client.
    fn recall_target(
        &mut self,
        key: &ResourceKey,
        user_pool_id: Option<&str>,
    ) -> Result<HashMap<String, Remembered>, CacheError> {
        if let (Some(_), Some(why)) = (&self.asks, &self.down) {
            return Err(CacheError(why.clone()));
        }
        if let (Some(asks), false) = (&self.asks, self.recalled.contains(key)) {
            let (tx, rx) = oneshot::channel();
            let target = ConfigTarget {
                key: key.clone(),
                user_pool_id: user_pool_id.map(str::to_string),
            };
            let answer = asks
                .blocking_send(Ask(target, tx))
                .ok()
                .and_then(|()| rx.blocking_recv().ok())
                .unwrap_or_else(|| Err(CallError::transient("settings reader gone")));
            match answer {
                Ok(Recalled { known, snapshot }) => {
                    for (name, value) in known {
                        self.cache.remember(key, &name, value);
                    }
                    // Written to the store with what the scan remembers.
                    for (name, value) in snapshot {
                        self.remember(key, &name, value);
                    }
                    self.recalled.insert(key.clone());
                }
                Err(e) => {
                    self.unavailable += 1;
                    self.down = Some(e.to_string());
                    warn!(resource = %key.text(), error = %e, "tracked settings unreadable");
                    return Err(CacheError(e.to_string()));
                }
            }
        }
        self.cache.recall(key)
    }
}

impl SettingsCache for InvocationCache {
    fn recall(&mut self, key: &ResourceKey) -> Result<HashMap<String, Remembered>, CacheError> {
        self.recall_target(key, None)
    }

    fn recall_for(
        &mut self,
        key: &ResourceKey,
        record: &Record,
    ) -> Result<HashMap<String, Remembered>, CacheError> {
        let pool = record
            .request_parameters
            .as_ref()
            .and_then(|r| r.get("userPoolId"))
            .and_then(|v| v.as_str());
        self.recall_target(key, pool)
    }

    fn remember(&mut self, key: &ResourceKey, setting: &str, value: Remembered) {
        if self.asks.is_some() {
            self.pending
                .push((key.clone(), setting.to_string(), value.clone()));
        }
        self.cache.remember(key, setting, value);
    }
}
