//! One invocation's cache of tracked settings (`InvocationCache`). The engine diffs against it on the
//! blocking scan thread; a read of the store is asked of the async side through a
//! channel (once per resource an alert tracks, never per record), answered from a
//! cache afterwards, and what the scan remembered is written after each file.
//!
//! Why a channel and not `Handle::block_on` on the scan thread: the store stays a
//! borrowed port of the handler (no `Clone + 'static` demanded of it), and every
//! call to it is made where the other calls are, on the invocation's task.

use std::collections::{HashMap, HashSet};

use cognito_trail_alerts::settings::{
    CacheError, LocalCache, Remembered, ResourceKey, SettingsCache,
};
use tokio::sync::{mpsc, oneshot};
use tracing::{error, warn};

use crate::failure::CallError;
use crate::ports::SettingsStore;

type Answer = Result<HashMap<String, Remembered>, CallError>;
/// A read the scan thread asks of the async side.
pub struct Ask(ResourceKey, oneshot::Sender<Answer>);

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
pub async fn scan_blocking<T: SettingsStore, R: Send + 'static>(
    store: Option<&T>,
    cache: &mut InvocationCache,
    work: impl FnOnce(&mut InvocationCache) -> R + Send + 'static,
) -> Result<R, tokio::task::JoinError> {
    let mut mem = std::mem::take(cache);
    let asks = store.map(|_| mem.attach());
    let scan = tokio::task::spawn_blocking(move || {
        let out = work(&mut mem);
        mem.detach();
        (out, mem)
    });
    let reads = async {
        if let (Some(store), Some(asks)) = (store, asks) {
            serve(store, asks).await;
        }
    };
    let (scanned, ()) = tokio::join!(scan, reads);
    let (out, mut mem) = scanned?;
    if let Some(store) = store {
        mem.flush(store).await;
    }
    *cache = mem;
    Ok(out)
}

/// Answers the scan thread's reads from `store` until it detaches.
pub async fn serve(store: &impl SettingsStore, mut asks: mpsc::Receiver<Ask>) {
    while let Some(Ask(key, reply)) = asks.recv().await {
        let _ = reply.send(store.recall(&key).await);
    }
}

impl SettingsCache for InvocationCache {
    fn recall(&mut self, key: &ResourceKey) -> Result<HashMap<String, Remembered>, CacheError> {
        if let (Some(_), Some(why)) = (&self.asks, &self.down) {
            return Err(CacheError(why.clone()));
        }
        if let (Some(asks), false) = (&self.asks, self.recalled.contains(key)) {
            let (tx, rx) = oneshot::channel();
            let answer = asks
                .blocking_send(Ask(key.clone(), tx))
                .ok()
                .and_then(|()| rx.blocking_recv().ok())
                .unwrap_or_else(|| Err(CallError::transient("settings reader gone")));
            match answer {
                Ok(known) => {
                    for (name, value) in known {
                        self.cache.remember(key, &name, value);
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

    fn remember(&mut self, key: &ResourceKey, setting: &str, value: Remembered) {
        if self.asks.is_some() {
            self.pending
                .push((key.clone(), setting.to_string(), value.clone()));
        }
        self.cache.remember(key, setting, value);
    }
}
