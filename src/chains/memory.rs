//! [`Evaluator`]: the chains' groups kept in memory for one run (the CLI), each
//! judged by [`step`], with a cap on open groups per chain.

use std::collections::{BTreeMap, HashMap};

use super::describe::{describe, Progress};
use super::state::{GroupState, Outcome};
use super::step::step;
use super::{Chain, Fired, GroupKey, Hit};

/// What the evaluator did with the hits it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Hits given.
    pub hits: u64,
    /// Chains fired.
    pub fired: u64,
    /// Hits already seen (same event id and step).
    pub duplicates: u64,
    /// Hits older than watermark − window − lateness, dropped.
    pub late: u64,
    /// Hits within a window a threshold already fired for.
    pub muted: u64,
    /// Hits naming a chain or step that does not exist.
    pub unknown: u64,
    /// Groups evicted, the oldest first, when a chain had `max_groups` open.
    pub evicted: u64,
    /// Groups whose window passed.
    pub expired: u64,
    /// Hits dropped to keep a group within its bound.
    pub trimmed: u64,
}

/// One chain's open groups, ordered by their latest event time so that both the
/// expired and the oldest (evicted first) are at the front.
#[derive(Debug)]
struct Groups {
    chain: Chain,
    states: HashMap<GroupKey, (OrderKey, GroupState)>,
    order: BTreeMap<OrderKey, GroupKey>,
    next: u64,
}

/// (latest event time, insertion number): unique, oldest first.
type OrderKey = (i64, u64);

/// Chains evaluated in memory.
#[derive(Debug)]
pub struct Evaluator {
    groups: Vec<Groups>,
    watermark: Option<i64>,
    stats: Stats,
}

impl Evaluator {
    /// An evaluator of these chains; a hit names its chain by index in `chains`.
    pub fn new(chains: Vec<Chain>) -> Evaluator {
        let groups = chains
            .into_iter()
            .map(|chain| Groups {
                chain,
                states: HashMap::new(),
                order: BTreeMap::new(),
                next: 0,
            })
            .collect();
        Evaluator {
            groups,
            watermark: None,
            stats: Stats::default(),
        }
    }

    /// Judges one hit of chain number `chain`; returns what fired (at most one).
    pub fn push(&mut self, chain: usize, hit: Hit) -> Vec<Fired> {
        self.stats.hits += 1;
        let Some(g) = self.groups.get_mut(chain) else {
            self.stats.unknown += 1;
            return Vec::new();
        };
        let watermark = self.watermark.map_or(hit.time, |w| w.max(hit.time));
        self.watermark = Some(watermark);
        self.stats.expired += g.expire(watermark);
        let stored = g.states.remove(&hit.group).map(|(order, state)| {
            g.order.remove(&order);
            state
        });
        let is_new = stored.is_none();
        let out = step(&g.chain, stored, &hit, watermark);
        match out.outcome {
            Outcome::Kept => {}
            Outcome::Duplicate => self.stats.duplicates += 1,
            Outcome::Late => self.stats.late += 1,
            Outcome::Muted => self.stats.muted += 1,
            Outcome::UnknownStep => self.stats.unknown += 1,
        }
        self.stats.trimmed += out.trimmed as u64;
        self.stats.fired += out.fired.len() as u64;
        if !out.state.is_empty() {
            if is_new && g.states.len() >= g.chain.max_groups() {
                if let Some((_, oldest)) = g.order.pop_first() {
                    g.states.remove(&oldest);
                    self.stats.evicted += 1;
                }
            }
            g.put(hit.group, out.state);
        }
        out.fired
    }

    /// The latest event time seen.
    pub fn watermark(&self) -> Option<i64> {
        self.watermark
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// How many groups chain number `chain` has open.
    pub fn open_groups(&self, chain: usize) -> usize {
        self.groups.get(chain).map_or(0, |g| g.states.len())
    }

    /// One group's state, as a store would hold it.
    pub fn state(&self, chain: usize, group: &GroupKey) -> Option<&GroupState> {
        self.groups.get(chain)?.states.get(group).map(|(_, s)| s)
    }

    /// How far chain number `chain` got for `group` (`rules explain`); `None`
    /// when the group has nothing open.
    pub fn describe(&self, chain: usize, group: &GroupKey) -> Option<Progress> {
        let g = self.groups.get(chain)?;
        let (_, state) = g.states.get(group)?;
        Some(describe(&g.chain, group, state))
    }
}

impl Groups {
    /// Drops the groups the watermark has left behind; returns how many.
    fn expire(&mut self, watermark: i64) -> u64 {
        let keep = watermark - 2 * self.chain.window() - self.chain.lateness();
        let mut n = 0;
        while let Some(entry) = self.order.first_entry() {
            if entry.key().0 >= keep {
                break;
            }
            let group = entry.remove();
            self.states.remove(&group);
            n += 1;
        }
        n
    }

    fn put(&mut self, group: GroupKey, state: GroupState) {
        let order = (state.latest().unwrap_or(i64::MIN), self.next);
        self.next += 1;
        self.order.insert(order, group.clone());
        self.states.insert(group, (order, state));
    }
}

#[cfg(test)]
mod tests;
