//! A fake state table in memory, with the semantics the DynamoDB adapter has:
//! for tests only (this crate's, and the Lambda's through the `testkit` feature).

use std::collections::HashMap;
use std::sync::Mutex;

use super::{status, Claim, Item, Key, Status};

/// Items by key, behind a lock (claims are atomic, as conditional writes are).
#[derive(Debug, Default)]
pub struct FakeTable {
    items: Mutex<HashMap<Key, Item>>,
}

impl FakeTable {
    /// Claims `key` for `owner` at `now`: writes the claim when [`status`] grants
    /// it, and returns the verdict either way.
    pub fn claim(&self, key: &Key, owner: &str, now: u64) -> Claim {
        let mut items = self.lock();
        let verdict = status(items.get(key), owner, now);
        if verdict.granted() {
            items.insert(key.clone(), Item::claim(owner, now));
        }
        verdict
    }

    /// Records that `owner` published `key` at `now` (whoever held the claim: it
    /// was published, and that is what a later claim must learn).
    pub fn complete(&self, key: &Key, owner: &str, now: u64) {
        self.lock().insert(key.clone(), Item::completed(owner, now));
    }

    /// Gives up `owner`'s claim on `key` (its publishing failed), so the next
    /// attempt need not wait for the lease. Another holder's claim, or a
    /// completed item, stays. Returns whether a claim was removed.
    pub fn release(&self, key: &Key, owner: &str) -> bool {
        let mut items = self.lock();
        let ours = items
            .get(key)
            .is_some_and(|i| i.status == Status::InProgress && i.owner == owner);
        if ours {
            items.remove(key);
        }
        ours
    }

    /// The item stored under `key`.
    pub fn get(&self, key: &Key) -> Option<Item> {
        self.lock().get(key).cloned()
    }

    /// Stores `item` under `key` as it is (tests: a claim left by another holder).
    pub fn put(&self, key: Key, item: Item) {
        self.lock().insert(key, item);
    }

    /// How many items are stored.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Item>> {
        // A panic while holding the lock leaves consistent data (single inserts).
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}
