//! Tracked settings in the state table: the port, and its implementations by
//! [`NoStore`] and the fake table (both defined in `claims.rs`). The adapter is
//! `aws::DynamoStore` (`aws/settings.rs`).

use std::collections::HashMap;
use std::future::Future;

use cognito_trail_alerts::settings::{Remembered, ResourceKey};

use super::claims::{none, NoStore};
use crate::failure::CallError;

/// The last value seen of each tracked setting, per resource (`STATE_TABLE`):
/// what an alert compares a change with. The diff is the engine's
/// (`cognito_trail_alerts::settings`); a store keeps values and refuses to replace
/// one with a value from an older event.
pub trait SettingsStore: Send + Sync {
    /// Every remembered setting of `resource`.
    fn recall(
        &self,
        resource: &ResourceKey,
    ) -> impl Future<Output = Result<HashMap<String, Remembered>, CallError>> + Send;

    /// Remembers each value, unless the store holds one from a later event.
    fn remember(
        &self,
        items: &[(ResourceKey, String, Remembered)],
    ) -> impl Future<Output = Result<(), CallError>> + Send;
}

impl SettingsStore for NoStore {
    async fn recall(&self, _: &ResourceKey) -> Result<HashMap<String, Remembered>, CallError> {
        Err(none())
    }

    async fn remember(&self, _: &[(ResourceKey, String, Remembered)]) -> Result<(), CallError> {
        Err(none())
    }
}

#[cfg(any(test, feature = "testkit"))]
impl SettingsStore for super::claims::FakeStateTable {
    async fn recall(&self, key: &ResourceKey) -> Result<HashMap<String, Remembered>, CallError> {
        use cognito_trail_alerts::settings::SettingsCache;
        let mut settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        settings
            .recall(key)
            .map_err(|e| CallError::transient(e.to_string()))
    }

    async fn remember(&self, items: &[(ResourceKey, String, Remembered)]) -> Result<(), CallError> {
        use cognito_trail_alerts::settings::SettingsCache;
        let mut settings = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        for (key, name, value) in items {
            settings.remember(key, name, value.clone());
        }
        Ok(())
    }
}
