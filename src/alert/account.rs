//! Account names: alerts show `account 111122223333 (prod-payments)`. Names come,
//! in order, from the overlays' `accounts:` maps (the engine names each alert it
//! builds from its rule set), then from whatever a caller adds later (the Lambda:
//! AWS Organizations), else the id stands alone.

mod cache;

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

pub use cache::{
    AccountListing, AccountNameCache, NamePlan, NamesAt, FAILURE_PAUSE_SECS, MAX_DESCRIBES,
    NAMES_TTL_SECS,
};

use super::Alert;

/// A source of account names: the rule set (its overlays' `accounts:`), a map, or
/// the Lambda's cache of AWS Organizations' `ListAccounts`.
pub trait AccountNames {
    /// The name of `account_id`, if this source knows it.
    fn account_name(&self, account_id: &str) -> Option<String>;
}

impl<S: BuildHasher> AccountNames for HashMap<String, String, S> {
    fn account_name(&self, account_id: &str) -> Option<String> {
        self.get(account_id).cloned()
    }
}

impl AccountNames for BTreeMap<String, String> {
    fn account_name(&self, account_id: &str) -> Option<String> {
        self.get(account_id).cloned()
    }
}

impl Alert {
    /// Names the alert's account from `names`, unless it has a name already (an
    /// earlier source wins: the overlays' names, set when the alert was built, are
    /// never replaced by a later lookup). Whether a name was set.
    pub fn name_account(&mut self, names: &(impl AccountNames + ?Sized)) -> bool {
        if self.account_name.is_some() {
            return false;
        }
        let name = self
            .account_id
            .as_deref()
            .and_then(|id| names.account_name(id));
        self.account_name = name;
        self.account_name.is_some()
    }
}

#[cfg(test)]
mod tests;
