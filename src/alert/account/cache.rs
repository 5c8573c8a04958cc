//! What a container remembers of account names from AWS Organizations, and which
//! calls a lookup makes: the organization's listing (ListAccounts, every account
//! at once, kept in the state table too) and answers about single accounts
//! (DescribeAccount, for an id an older listing lacks). Time is passed in
//! (seconds since the epoch), never read here; the calls are the Lambda's.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::AccountNames;

/// How long a listing, or an answer about one account, is trusted: an account
/// renamed shows its new name at most this late.
pub const NAMES_TTL_SECS: u64 = 3600;
/// After a failed lookup, how long lookups are not tried (alerts go out with the
/// id alone at once, rather than each waiting for the time budget again).
pub const FAILURE_PAUSE_SECS: u64 = 60;
/// Accounts described in one lookup, at most: the rest wait for the next listing.
pub const MAX_DESCRIBES: usize = 5;
/// Answers about single accounts remembered; more, and they start over.
const MAX_SINGLE: usize = 1000;
/// A listing stamped up to this far ahead of the reader's clock is still fresh
/// (containers' clocks differ by less).
const CLOCK_SKEW_SECS: u64 = 60;

/// The organization's accounts, id → name, as listed at `fetched` (seconds since
/// the epoch): what the state table keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountListing {
    pub fetched: u64,
    pub names: BTreeMap<String, String>,
}

impl AccountListing {
    /// Whether the listing is still trusted at `now`.
    pub fn fresh(&self, now: u64, ttl: u64) -> bool {
        self.fetched <= now + CLOCK_SKEW_SECS && now < self.fetched.saturating_add(ttl)
    }
}

/// The calls one lookup makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamePlan {
    /// No fresh listing: read the state table's, else list the organization.
    pub list: bool,
    /// Accounts a fresh listing lacks: describe each (at most [`MAX_DESCRIBES`]).
    pub describe: Vec<String>,
}

impl NamePlan {
    /// Whether the lookup makes no call at all.
    pub fn is_empty(&self) -> bool {
        !self.list && self.describe.is_empty()
    }
}

/// A container's account names: the latest listing, answers about single
/// accounts (a name, or none: not in the organization), and a pause after a
/// failure.
#[derive(Debug)]
pub struct AccountNameCache {
    ttl: u64,
    listing: Option<AccountListing>,
    /// The listing came from Organizations and is not in the state table yet.
    unsaved: bool,
    /// id → (name or none, until when).
    single: HashMap<String, (Option<String>, u64)>,
    paused_until: u64,
}

impl Default for AccountNameCache {
    fn default() -> Self {
        AccountNameCache::new(NAMES_TTL_SECS)
    }
}

impl AccountNameCache {
    /// An empty cache whose entries are trusted `ttl` seconds.
    pub fn new(ttl: u64) -> Self {
        AccountNameCache {
            ttl,
            listing: None,
            unsaved: false,
            single: HashMap::new(),
            paused_until: 0,
        }
    }

    /// What the cache says of `id` at `now`: `Some(Some(name))`, `Some(None)` (no
    /// name: not in the organization), or `None` (not known).
    pub fn name(&self, id: &str, now: u64) -> Option<Option<&str>> {
        if let Some((name, until)) = self.single.get(id) {
            if now < *until {
                return Some(name.as_deref());
            }
        }
        let listing = self.listing.as_ref().filter(|l| l.fresh(now, self.ttl))?;
        listing.names.get(id).map(|n| Some(n.as_str()))
    }

    /// The calls that would name `ids` at `now`: none when each is known, or
    /// while lookups are paused after a failure.
    pub fn plan(&self, ids: &[String], now: u64) -> NamePlan {
        if now < self.paused_until {
            return NamePlan::default();
        }
        let open: Vec<String> = ids
            .iter()
            .filter(|id| self.name(id, now).is_none())
            .cloned()
            .collect();
        if open.is_empty() {
            return NamePlan::default();
        }
        if self
            .listing
            .as_ref()
            .is_some_and(|l| l.fresh(now, self.ttl))
        {
            let describe = open.into_iter().take(MAX_DESCRIBES).collect();
            return NamePlan {
                list: false,
                describe,
            };
        }
        NamePlan {
            list: true,
            describe: Vec::new(),
        }
    }

    /// Keeps a listing read from the state table (already saved there).
    pub fn load(&mut self, listing: AccountListing) {
        self.listing = Some(listing);
        self.unsaved = false;
    }

    /// Keeps a listing just made for `asked`: the accounts among them it lacks are
    /// not in the organization (no describe follows). Lookups resume.
    pub fn listed(&mut self, listing: AccountListing, asked: &[String], now: u64) {
        for id in asked.iter().filter(|id| !listing.names.contains_key(*id)) {
            self.single_answer(id.clone(), None, now);
        }
        self.listing = Some(listing);
        self.unsaved = true;
        self.paused_until = 0;
    }

    /// Keeps what DescribeAccount said of `id`: its name, or none.
    pub fn described(&mut self, id: String, name: Option<String>, now: u64) {
        self.single_answer(id, name, now);
    }

    fn single_answer(&mut self, id: String, name: Option<String>, now: u64) {
        if self.single.len() >= MAX_SINGLE {
            self.single.clear();
        }
        self.single.insert(id, (name, now + self.ttl));
    }

    /// A lookup failed at `now`: none is tried for [`FAILURE_PAUSE_SECS`].
    pub fn failed(&mut self, now: u64) {
        self.paused_until = now + FAILURE_PAUSE_SECS;
    }

    /// The listing to write to the state table, if it is not there yet.
    pub fn unsaved(&self) -> Option<&AccountListing> {
        self.listing.as_ref().filter(|_| self.unsaved)
    }

    /// The state table now holds `fetched`'s listing.
    pub fn saved(&mut self, fetched: u64) {
        if self.listing.as_ref().is_some_and(|l| l.fetched == fetched) {
            self.unsaved = false;
        }
    }

    /// The names as an [`AccountNames`] source at `now`.
    pub fn at(&self, now: u64) -> NamesAt<'_> {
        NamesAt { cache: self, now }
    }
}

/// An [`AccountNameCache`] read at one time (see [`AccountNameCache::at`]).
#[derive(Debug, Clone, Copy)]
pub struct NamesAt<'a> {
    cache: &'a AccountNameCache,
    now: u64,
}

impl AccountNames for NamesAt<'_> {
    fn account_name(&self, account_id: &str) -> Option<String> {
        self.cache
            .name(account_id, self.now)
            .flatten()
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests;
