//! Account names from AWS Organizations (`ACCOUNT_NAMES_ROLE_ARN`): the port and
//! the fake. The adapter is `aws::OrganizationsDirectory`.

use std::collections::BTreeMap;

use cognito_trail_alerts::users::Failure;

use super::BoxFuture;

/// The organization's accounts. The decisions (when to list, when to describe,
/// what is cached) are `cognito_trail_alerts::alert::account`'s; the time limit is
/// the caller's. A trait object, like `UserDirectory`: held only when names are on.
pub trait AccountDirectory: Send + Sync {
    /// Every account of the organization: id → name (all pages).
    fn list(&self) -> BoxFuture<'_, Result<BTreeMap<String, String>, Failure>>;

    /// The name of account `id` (`Ok(None)`: not in the organization).
    fn describe<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<String>, Failure>>;
}

/// An organization in memory (tests): scripted names, failures and delays, and
/// a count of the calls.
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeAccounts {
    /// id → name.
    pub names: std::sync::Mutex<BTreeMap<String, String>>,
    /// Every call answers with this failure.
    pub failure: std::sync::Mutex<Option<Failure>>,
    /// Every call takes this long.
    pub delay: std::sync::Mutex<Option<std::time::Duration>>,
    /// Calls made: `ListAccounts` (one per listing) or `DescribeAccount <id>`.
    pub calls: std::sync::Mutex<Vec<String>>,
}

#[cfg(any(test, feature = "testkit"))]
impl FakeAccounts {
    /// An organization of these (id, name) accounts.
    pub fn with(accounts: &[(&str, &str)]) -> Self {
        let fake = FakeAccounts::default();
        for (id, name) in accounts {
            fake.add(id, name);
        }
        fake
    }

    /// Adds (or renames) account `id`.
    pub fn add(&self, id: &str, name: &str) {
        let mut names = self.names.lock().unwrap();
        names.insert(id.to_string(), name.to_string());
    }

    /// How many calls were made.
    pub fn count(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    async fn answer<T>(
        &self,
        call: String,
        ok: impl FnOnce(&BTreeMap<String, String>) -> T,
    ) -> Result<T, Failure> {
        self.calls.lock().unwrap().push(call);
        let delay = *self.delay.lock().unwrap();
        if let Some(pause) = delay {
            tokio::time::sleep(pause).await;
        }
        if let Some(f) = self.failure.lock().unwrap().clone() {
            return Err(f);
        }
        Ok(ok(&self.names.lock().unwrap()))
    }
}

#[cfg(any(test, feature = "testkit"))]
impl AccountDirectory for FakeAccounts {
    fn list(&self) -> BoxFuture<'_, Result<BTreeMap<String, String>, Failure>> {
        Box::pin(self.answer("ListAccounts".into(), BTreeMap::clone))
    }

    fn describe<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<String>, Failure>> {
        Box::pin(self.answer(format!("DescribeAccount {id}"), move |names| {
            names.get(id).cloned()
        }))
    }
}
