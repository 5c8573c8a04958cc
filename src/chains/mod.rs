//! Rules across records: a windowed evaluator for chains, rules that
//! judge several records of one group (an actor, a pool...) together.
//!
//! - a **threshold** fires when one group makes `gte` hits (or hits with `gte`
//!   distinct values of a field) within a window, then stays quiet for that group
//!   until the window that fired has passed;
//! - a **sequence** fires when one group's hits follow the ordered steps within a
//!   window (and each step within its `within` of the previous one), unless an
//!   `absent` step's hit falls strictly between the first and the last.
//!
//! The evaluator does not judge records: the caller says which chain and step a
//! record matched, its group key, `distinct` value, event time and id (a [`Hit`]).
//! It answers with [`Fired`] chains naming every member.
//!
//! Matching is on **event time**, not arrival: files arrive out of order and the
//! EventBridge fast path sees events before their file. A hit is deduplicated by
//! (event id, step), so a retry or a second delivery never counts twice. The
//! **watermark** is the latest event time known; a hit older than watermark −
//! window − lateness is dropped (counted), so an old event never reopens a chain.
//!
//! A chain fires as soon as its hits complete it; it is never taken back. A
//! sequence's `absent` hit that arrives after the chain fired (its file came
//! later than the others' events) cancels nothing.
//!
//! The state of one (chain, group) is a [`GroupState`], compact JSON, and
//! [`step`] is a pure function of (chain, stored state, hit, watermark): a store
//! keeps one item per (chain, group), read and written once per hit, none for
//! records that match no step ([`store_key`], [`GroupState::expires_at`]).
//! [`Evaluator`] keeps them in memory for one run (the CLI).
//!
//! A backfill walks files in path order, which is region by region: the
//! watermark would jump to the last day of the first region and drop the others
//! as late. Hits are few (only records that match a step), so the CLI should
//! collect a run's hits and feed them sorted by event time.

mod chain;
mod describe;
mod memory;
mod sequence;
mod spec;
mod state;
mod step;
mod threshold;
mod time;

use serde::{Deserialize, Serialize};

pub use chain::Chain;
pub use describe::{describe, Progress, StepProgress};
pub use memory::{Evaluator, Stats};
pub use spec::{
    ChainSpec, OneOrMany, SequenceSpec, StepSpec, ThresholdSpec, DEFAULT_LATENESS_SECS,
    DEFAULT_MAX_GROUPS, HITS_PER_STEP, MAX_GTE, MAX_STEPS, MAX_WINDOW_SECS,
};
pub use state::{store_key, GroupState, Outcome};
pub use step::{step, Stepped};
pub use time::{format_event_time, format_span, parse_event_time, Span};

/// The values of a chain's `by` fields for one record, in the order `by` lists
/// them (a missing field as the empty string: the caller decides).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct GroupKey(pub Vec<String>);

impl GroupKey {
    /// A key from its values.
    pub fn new<S: Into<String>>(values: impl IntoIterator<Item = S>) -> GroupKey {
        GroupKey(values.into_iter().map(Into::into).collect())
    }
}

/// One record's match of one step of one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The step's index in [`Chain::step_names`] (0 for a threshold).
    pub step: u16,
    /// The record's group key.
    pub group: GroupKey,
    /// The value of the threshold's `distinct` field, if it has one (a hit of a
    /// distinct threshold without one counts as the empty value).
    pub distinct: Option<String>,
    /// The record's `eventTime`, in seconds ([`parse_event_time`]).
    pub time: i64,
    /// The record's `eventID`.
    pub event_id: String,
    /// What the record did, in a line (kept with the hit, so a fired chain can
    /// say what each member did even when its record is long gone).
    pub detail: Option<String>,
}

/// A chain that fired for one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fired {
    /// The chain's id.
    pub chain: String,
    /// The group it fired for.
    pub group: GroupKey,
    /// Every member, oldest first.
    pub members: Vec<Member>,
    /// A threshold: the number of hits, or of distinct values, counted; a
    /// sequence: its number of steps.
    pub count: usize,
}

/// One record of a fired chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Its `eventID`.
    pub event_id: String,
    /// Its `eventTime`, in seconds.
    pub time: i64,
    /// The step it matched: index and name.
    pub step: u16,
    /// The step's name.
    pub step_name: String,
    /// Its `distinct` value, for a threshold that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What it did ([`Hit::detail`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests;
