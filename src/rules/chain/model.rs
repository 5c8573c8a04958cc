//! A chain rule as written in a rules file's (or an overlay's) `chains:` list:
//! the single-record matching of each step, around the evaluator's own spec.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::chains::{OneOrMany, Span};
use crate::rules::cond::Cond;
use crate::rules::pattern::Patterns;
use crate::Severity;

/// One chain rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainRuleSpec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub runbook: Option<String>,
    /// N hits (or N distinct values) by one group within a window.
    pub threshold: Option<ThresholdRule>,
    /// Ordered steps by one group within a window.
    pub sequence: Option<SequenceRule>,
    /// Every step at least once, in any order, by one group within a window.
    pub all: Option<AllRule>,
    /// Sentences the chain's alert carries.
    #[serde(default)]
    pub risks: Vec<String>,
    #[serde(default)]
    pub tests: Vec<ChainTestSpec>,
}

/// `threshold:` with what counts: a record some named rule fired on, and/or one
/// a condition accepts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThresholdRule {
    #[serde(default)]
    pub by: Vec<String>,
    pub window: Span,
    pub gte: u32,
    /// Count distinct values of this field (or of these fields together).
    pub distinct: Option<OneOrMany>,
    pub lateness: Option<Span>,
    pub max_groups: Option<usize>,
    /// Rule ids (globs) one of which must have fired on the record.
    pub rule: Option<Patterns>,
    /// A condition the record must satisfy (a list: any of them).
    #[serde(rename = "match", default, deserialize_with = "any_of")]
    pub matches: Option<Vec<Cond>>,
}

/// `sequence:` whose steps say which records they are.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SequenceRule {
    #[serde(default)]
    pub by: Vec<String>,
    pub window: Span,
    pub steps: Vec<StepRule>,
    /// A step whose record between the first and the last cancels the chain.
    pub absent: Option<StepRule>,
    pub lateness: Option<Span>,
    pub max_groups: Option<usize>,
}

/// `all:` — like Panther's unordered group: each step at least once within the
/// window, whatever order the records come in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllRule {
    #[serde(default)]
    pub by: Vec<String>,
    pub window: Span,
    /// Each step's `within` is refused: there is no previous step.
    pub steps: Vec<StepRule>,
    pub lateness: Option<Span>,
    pub max_groups: Option<usize>,
}

/// One step: its name, how soon after the previous one, and which records.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRule {
    pub name: String,
    pub within: Option<Span>,
    pub rule: Option<Patterns>,
    /// A condition the record must satisfy (a list: any of them).
    #[serde(rename = "match", default, deserialize_with = "any_of")]
    pub matches: Option<Vec<Cond>>,
}

/// `match:` as one condition block or a list of them.
fn any_of<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Cond>>, D::Error> {
    struct AnyOf;
    impl<'de> Visitor<'de> for AnyOf {
        type Value = Vec<Cond>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a condition block or a list of them")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<Cond>, A::Error> {
            Cond::deserialize(MapAccessDeserializer::new(map)).map(|c| vec![c])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Cond>, A::Error> {
            let mut out = Vec::new();
            while let Some(c) = seq.next_element::<Cond>()? {
                out.push(c);
            }
            if out.is_empty() {
                return Err(de::Error::custom("empty list: give at least one condition"));
            }
            Ok(out)
        }
    }
    d.deserialize_any(AnyOf).map(Some)
}

/// An inline test of a chain: several records (with their `eventTime`s), fed in
/// event-time order, and what the chain must make of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainTestSpec {
    pub name: String,
    /// A list of CloudTrail records (`{ repeat: N, every: SPAN, record: R }` for
    /// N copies of R `every` apart); `{ $ref: NAME }` anywhere stands for a
    /// shared test value.
    #[serde(deserialize_with = "crate::rules::shared::test_value")]
    pub records: Value,
    #[serde(default)]
    pub expect: ChainExpect,
}

/// Expected result of a chain's inline test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainExpect {
    /// How many times the chain fires (default 1).
    #[serde(default = "one")]
    pub fires: usize,
    /// The event ids of the first firing's members, oldest first.
    pub members: Option<Vec<String>>,
}

fn one() -> usize {
    1
}

impl Default for ChainExpect {
    fn default() -> Self {
        ChainExpect {
            fires: 1,
            members: None,
        }
    }
}
