//! Reading a resource's configuration (`SNAPSHOT_ON_FIRST_SIGHT`): the port and
//! the fake. The adapter is `aws::CognitoConfigReader`.

use cognito_trail_alerts::settings::ResourceKey;
use cognito_trail_alerts::users::{Cause, Failure, Via};
use serde_json::Value;

use super::users::BoxFuture;

/// The resource kinds a reader reads (`ResourceKey.kind`, as `track:` blocks name
/// them); a snapshot of any other kind is not asked for.
pub const KINDS: [&str; 5] = [
    "user-pool",
    "app-client",
    "identity-pool",
    "domain",
    "risk-configuration",
];

/// The resource to read: its key, and what the key does not hold but a call needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConfigTarget {
    pub key: ResourceKey,
    /// An app client's user pool (`DescribeUserPoolClient` needs it; the key holds
    /// the client id only): the record's `requestParameters.userPoolId`.
    pub user_pool_id: Option<String>,
}

/// A resource's configuration as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Configuration {
    /// One JSON object shaped like the requests that set it: keys in lowerCamelCase
    /// as CloudTrail logs request keys (`mfaConfiguration`,
    /// `userPoolAddOns.advancedSecurityMode`, `roles.authenticated`...).
    pub doc: Value,
    /// The calls it took, joined by `+` (`DescribeUserPool+GetUserPoolMfaConfig`).
    pub calls: String,
}

/// Reads the current configuration of a Cognito resource, by kind (`user-pool`,
/// `app-client`, `identity-pool`, `domain`, `risk-configuration`), in the
/// resource's region, with the credentials `via` names. A kind it cannot read is a
/// failure ([`unsupported`]). The time limit is the caller's. A trait object (hence
/// the boxed future): the function holds one only when snapshots are on.
pub trait ConfigReader: Send + Sync {
    fn read<'a>(
        &'a self,
        target: &'a ConfigTarget,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Configuration, Failure>>;
}

/// The failure for a resource kind no call reads (or a target missing what its
/// call needs).
pub fn unsupported(detail: impl Into<String>) -> Failure {
    Failure {
        cause: Cause::Error,
        detail: detail.into(),
    }
}

/// Resources in memory (tests): configurations by key, scripted failures and
/// delays, and a record of every read asked.
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeConfigReader {
    docs: std::sync::Mutex<std::collections::HashMap<ResourceKey, Configuration>>,
    /// Every read answers with this failure.
    pub failure: std::sync::Mutex<Option<Failure>>,
    /// Every read takes this long.
    pub delay: std::sync::Mutex<Option<std::time::Duration>>,
    /// Reads asked, in order: (target, via).
    pub asked: std::sync::Mutex<Vec<(ConfigTarget, Via)>>,
}

#[cfg(any(test, feature = "testkit"))]
impl FakeConfigReader {
    /// `key`'s configuration is `doc`, read with `calls`.
    pub fn add(&self, key: ResourceKey, calls: &str, doc: Value) {
        let conf = Configuration {
            doc,
            calls: calls.to_string(),
        };
        self.docs.lock().unwrap().insert(key, conf);
    }

    /// How many reads were asked.
    pub fn calls(&self) -> usize {
        self.asked.lock().unwrap().len()
    }
}

#[cfg(any(test, feature = "testkit"))]
impl ConfigReader for FakeConfigReader {
    fn read<'a>(
        &'a self,
        target: &'a ConfigTarget,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Configuration, Failure>> {
        Box::pin(async move {
            self.asked
                .lock()
                .unwrap()
                .push((target.clone(), via.clone()));
            let delay = *self.delay.lock().unwrap();
            if let Some(pause) = delay {
                tokio::time::sleep(pause).await;
            }
            if let Some(f) = self.failure.lock().unwrap().clone() {
                return Err(f);
            }
            self.docs
                .lock()
                .unwrap()
                .get(&target.key)
                .cloned()
                .ok_or_else(|| {
                    unsupported(format!(
                        "no {} {} in the fake",
                        target.key.kind, target.key.id
                    ))
                })
        })
    }
}
