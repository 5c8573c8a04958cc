//! The chains' counters (`ChainHits`, `ChainAlerts`, `ChainsUnevaluated`,
//! `ChainConflicts`), sent when the rules have chains.

use super::{count, name, Datum};

/// What the chains did in one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainTally {
    /// The rules have chains: the counters are sent, zeros included.
    pub enabled: bool,
    /// Hits of chain steps stepped.
    pub hits: u64,
    /// Chains that fired (their alerts go out like any alert).
    pub fired: u64,
    /// Hits whose chain state could not be read or written: those chains were
    /// not evaluated for them.
    pub unevaluated: u64,
    /// Writes that found another invocation's newer state and read it again.
    pub conflicts: u64,
}

impl ChainTally {
    /// The datums, when enabled.
    pub fn datums(&self) -> Vec<Datum> {
        if !self.enabled {
            return Vec::new();
        }
        vec![
            count(name::CHAIN_HITS, vec![], self.hits),
            count(name::CHAIN_ALERTS, vec![], self.fired),
            count(name::CHAINS_UNEVALUATED, vec![], self.unevaluated),
            count(name::CHAIN_CONFLICTS, vec![], self.conflicts),
        ]
    }
}
