//! The state of one (chain, group), what a hit made of it ([`Outcome`]) and its
//! store key; [`step`](crate::chains::step()) is what changes it.

use serde::{Deserialize, Serialize};

use super::chain::Chain;
use super::{GroupKey, Member};

/// What one (chain, group) remembers, serialized as compact JSON with one-letter
/// keys (a store item per group). Hits are kept sorted by event time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupState {
    /// The latest event time known when the state was written: it only moves
    /// forward, so a stale caller's watermark never reopens what expired.
    #[serde(rename = "w")]
    pub(super) watermark: i64,
    /// Hits that may still be part of a window.
    #[serde(rename = "h", default, skip_serializing_if = "Vec::is_empty")]
    pub(super) hits: Vec<Kept>,
    /// A threshold's fired windows (their start): hits within a window of one do
    /// not count again.
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    pub(super) fired: Vec<i64>,
}

/// One kept hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Kept {
    #[serde(rename = "t")]
    pub time: i64,
    #[serde(rename = "e")]
    pub event_id: String,
    #[serde(rename = "s", default, skip_serializing_if = "is_zero")]
    pub step: u16,
    #[serde(rename = "v", default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What the record did.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A member of a fired sequence: kept only so a second delivery is known.
    #[serde(rename = "u", default, skip_serializing_if = "is_false")]
    pub used: bool,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Kept {
    pub(super) fn member(&self, chain: &Chain) -> Member {
        let names = chain.step_names();
        Member {
            event_id: self.event_id.clone(),
            time: self.time,
            step: self.step,
            step_name: names
                .get(usize::from(self.step))
                .copied()
                .unwrap_or("?")
                .to_owned(),
            value: self.value.clone(),
            detail: self.detail.clone(),
        }
    }
}

impl GroupState {
    /// Nothing left: the store may delete the item.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty() && self.fired.is_empty()
    }

    /// The latest event time of anything kept (hits, fired windows).
    pub fn latest(&self) -> Option<i64> {
        let hit = self.hits.iter().map(|k| k.time).max();
        hit.into_iter().chain(self.fired.iter().copied()).max()
    }

    /// When (Unix seconds, event time) the state is no longer needed, for a
    /// store's TTL: its latest time plus two windows and the lateness (it expires
    /// once the watermark passes that). A store judging by the wall clock adds
    /// the delivery delay it expects.
    pub fn expires_at(&self, chain: &Chain) -> i64 {
        self.latest().unwrap_or(self.watermark) + 2 * chain.window + chain.lateness + 1
    }

    /// The number of hits kept.
    pub fn hit_count(&self) -> usize {
        self.hits.len()
    }

    /// Drops what the watermark has left behind.
    pub(super) fn prune(&mut self, chain: &Chain) {
        let keep = chain.keep_horizon(self.watermark);
        self.hits.retain(|k| k.time >= keep);
        // A fired window mutes hits until its start + window; an accepted hit is
        // at least the drop horizon, so windows ending before it are done.
        let drop = chain.drop_horizon(self.watermark);
        self.fired.retain(|start| start + chain.window > drop);
    }

    /// Inserts in event-time order (after equal times: arrival order).
    pub(super) fn insert(&mut self, kept: Kept) -> usize {
        let at = self.hits.partition_point(|k| k.time <= kept.time);
        self.hits.insert(at, kept);
        at
    }
}

/// What [`step`](crate::chains::step()) did with a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Kept (and perhaps fired).
    Kept,
    /// The same (event id, step) was already seen.
    Duplicate,
    /// Older than watermark − window − lateness: dropped.
    Late,
    /// Within a window a threshold already fired for: not counted again.
    Muted,
    /// A step index the chain does not have: ignored.
    UnknownStep,
}

/// A store key for one (chain, group): the chain id, then each value, each
/// length-prefixed so that no two groups share a key whatever their characters.
pub fn store_key(chain: &Chain, group: &GroupKey) -> String {
    let mut key = format!("chain#{}", chain.id);
    for value in &group.0 {
        key.push_str(&format!("#{}:{value}", value.len()));
    }
    key
}

#[cfg(test)]
mod tests;
