//! The organization's account names in the state table: the port, and its
//! implementations by [`NoStore`] and the fake table (defined in `claims.rs`).
//! The adapter is `aws::DynamoStore` (`aws/account_names.rs`).

use cognito_trail_alerts::alert::account::AccountListing;

use super::claims::{none, NoStore};
use super::BoxFuture;
use crate::failure::CallError;

/// The last listing of the organization's accounts (`STATE_TABLE`), so that a
/// cold container names accounts without calling Organizations. One item; the
/// reader judges its freshness (`AccountListing::fresh`), the table's TTL only
/// clears it away. A trait object: held only when names are on.
pub trait AccountNameStore: Send + Sync {
    /// The stored listing, if any.
    fn recall_names(&self) -> BoxFuture<'_, Result<Option<AccountListing>, CallError>>;

    /// Stores `listing` in place of the last one.
    fn remember_names<'a>(
        &'a self,
        listing: &'a AccountListing,
    ) -> BoxFuture<'a, Result<(), CallError>>;
}

impl AccountNameStore for NoStore {
    fn recall_names(&self) -> BoxFuture<'_, Result<Option<AccountListing>, CallError>> {
        Box::pin(async { Err(none()) })
    }

    fn remember_names<'a>(&'a self, _: &'a AccountListing) -> BoxFuture<'a, Result<(), CallError>> {
        Box::pin(async { Err(none()) })
    }
}

#[cfg(any(test, feature = "testkit"))]
impl AccountNameStore for super::claims::FakeStateTable {
    fn recall_names(&self) -> BoxFuture<'_, Result<Option<AccountListing>, CallError>> {
        let stored = self.account_names.lock().unwrap_or_else(|p| p.into_inner());
        let stored = stored.clone();
        Box::pin(async move { Ok(stored) })
    }

    fn remember_names<'a>(
        &'a self,
        listing: &'a AccountListing,
    ) -> BoxFuture<'a, Result<(), CallError>> {
        let mut stored = self.account_names.lock().unwrap_or_else(|p| p.into_inner());
        *stored = Some(listing.clone());
        Box::pin(async { Ok(()) })
    }
}
