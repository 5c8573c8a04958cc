//! What a chain says, as the rules loader reads it ([`ChainSpec`], plain serde with
//! `deny_unknown_fields`); `chain.rs` checks it into what the evaluator runs.
//! Errors are plain sentences; the loader adds file:line.

use serde::Deserialize;

use super::time::Span;

/// The longest window (and lateness) a chain may have: a day. State lives as long
/// as its window, in memory and in the store, so longer windows cost too much.
pub const MAX_WINDOW_SECS: i64 = 86_400;
/// How far behind the latest event time a hit may arrive and still count:
/// CloudTrail delivers files 5 to 15 minutes after their events.
pub const DEFAULT_LATENESS_SECS: i64 = 15 * 60;
/// How many groups (distinct `by` values) one chain keeps open at most.
pub const DEFAULT_MAX_GROUPS: usize = 10_000;
/// The largest `gte`: a threshold keeps up to `4 × gte` hits per group.
pub const MAX_GTE: u32 = 1_000;
/// The most ordered steps a sequence may have.
pub const MAX_STEPS: usize = 8;
/// How many hits of one step a sequence group keeps (the newest).
pub const HITS_PER_STEP: usize = 16;

/// One chain as written in a rules file: `threshold: {...}` or `sequence: {...}`,
/// exactly one of them. (A struct, not an enum: serde_yaml_ng reads an enum's
/// variant only from a YAML tag, `!threshold`, which rules files do not use.)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSpec {
    /// N hits (or N distinct values) by one group within a window.
    #[serde(default)]
    pub threshold: Option<ThresholdSpec>,
    /// Ordered steps by one group within a window, unless an `absent` step occurs.
    #[serde(default)]
    pub sequence: Option<SequenceSpec>,
}

/// `threshold:` — like Sigma's `event_count` (or `value_count` with `distinct`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThresholdSpec {
    /// Fields whose values make a group (the caller extracts them); none: one group.
    #[serde(default)]
    pub by: Vec<String>,
    /// How close in event time the counted hits must be.
    pub window: Span,
    /// Fires when a window holds at least this many hits (or distinct values).
    pub gte: u32,
    /// Count distinct values of this field instead of hits.
    #[serde(default)]
    pub distinct: Option<String>,
    /// Overrides [`DEFAULT_LATENESS_SECS`].
    #[serde(default)]
    pub lateness: Option<Span>,
    /// Overrides [`DEFAULT_MAX_GROUPS`].
    #[serde(default)]
    pub max_groups: Option<usize>,
}

/// `sequence:` — like EQL's `sequence by … with maxspan … until`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SequenceSpec {
    /// Fields whose values make a group; none: one group.
    #[serde(default)]
    pub by: Vec<String>,
    /// The longest span, in event time, from the first step to the last.
    pub window: Span,
    /// The steps, in the order their events must happen.
    pub steps: Vec<StepSpec>,
    /// A step whose event between the first and the last step cancels the chain:
    /// one name (a list is accepted so that a longer one is a clear error).
    #[serde(default)]
    pub absent: Option<OneOrMany>,
    /// Overrides [`DEFAULT_LATENESS_SECS`].
    #[serde(default)]
    pub lateness: Option<Span>,
    /// Overrides [`DEFAULT_MAX_GROUPS`].
    #[serde(default)]
    pub max_groups: Option<usize>,
}

/// One ordered step: its name (what the loader matches records against).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// The step's name, unique in the chain.
    pub name: String,
    /// At most this long after the previous step (Panther's per-transition limit).
    #[serde(default)]
    pub within: Option<Span>,
}

/// A name or a list of names.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// `absent: name`
    One(String),
    /// `absent: [a, b]`
    Many(Vec<String>),
}

#[cfg(test)]
mod tests;
