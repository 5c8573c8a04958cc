//! State stores that are not DynamoDB: the in-memory one (handler tests) and the
//! absence of one (no `STATE_TABLE`).

use std::sync::Arc;

use cognito_trail_alerts::state::{Claim, Key, MemoryTable};

use crate::failure::CallError;
use crate::ports::StateStore;

/// The store in memory: the same decisions as the DynamoDB adapter, for tests
/// with fakes (two `App`s sharing one are two containers sharing a table).
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    pub table: Arc<MemoryTable>,
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

fn none() -> CallError {
    CallError::permanent("no state store configured")
}
