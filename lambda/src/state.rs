//! State stores that are not DynamoDB: the in-memory one (handler tests) and the
//! absence of one (no `STATE_TABLE`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cognito_trail_alerts::settings::{InProcess, Remembered, ResourceKey, SettingsMemory};
use cognito_trail_alerts::state::{Claim, Key, MemoryTable};

use crate::failure::CallError;
use crate::ports::{SettingsStore, StateStore};

/// The store in memory: the same decisions as the DynamoDB adapter, for tests
/// with fakes (two `App`s sharing one are two containers sharing a table).
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    pub table: Arc<MemoryTable>,
    /// Tracked settings, shared like the table.
    pub settings: Arc<Mutex<InProcess>>,
}

impl SettingsStore for MemoryStore {
    async fn recall(&self, key: &ResourceKey) -> Result<HashMap<String, Remembered>, CallError> {
        let mut settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        settings
            .recall(key)
            .map_err(|e| CallError::transient(e.to_string()))
    }

    async fn remember(&self, items: &[(ResourceKey, String, Remembered)]) -> Result<(), CallError> {
        let mut settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        for (key, name, value) in items {
            settings.remember(key, name, value.clone());
        }
        Ok(())
    }
}

impl StateStore for MemoryStore {
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

/// No store: the type of an `App` built without one. It is never called (the
/// handler holds `Option<NoStore>`, always `None`); if it were, it would say it
/// is unavailable, which publishes anyway.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoStore;

impl StateStore for NoStore {
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

impl SettingsStore for NoStore {
    async fn recall(&self, _: &ResourceKey) -> Result<HashMap<String, Remembered>, CallError> {
        Err(none())
    }

    async fn remember(&self, _: &[(ResourceKey, String, Remembered)]) -> Result<(), CallError> {
        Err(none())
    }
}

fn none() -> CallError {
    CallError::permanent("no state store configured")
}
