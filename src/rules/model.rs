//! The rules file as written in YAML. Structural problems (unknown keys, wrong types,
//! bad globs, bad severities) are caught while deserializing, with line and column.

use serde::Deserialize;
use serde_json::Value;

use super::chain::ChainRuleSpec;
use super::cond::Cond;
use super::escalate::{EscalationSpec, RiskSpec};
use super::posture::CheckSpec;
use super::shared::{self, SharedSection};
use crate::settings::TrackSpec;
use crate::Severity;

/// A whole rules file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Format version; only 1 exists.
    #[serde(default = "one")]
    pub version: u32,
    /// Free-form YAML, ignored: a place for `&anchors` that rules of the same file
    /// reuse with `*aliases` (the format before `shared`, still accepted).
    #[serde(default)]
    #[allow(dead_code)] // only holds anchors; aliases are resolved while parsing
    pub definitions: Option<serde::de::IgnoredAny>,
    /// Named definitions, usable below them (see `shared`); parsing them adds them
    /// to the pack's table.
    #[serde(default)]
    #[allow(dead_code)] // parsed for its effect on the table
    pub shared: Option<SharedSection>,
    /// A file may hold only shared definitions (a pack's `_shared.yaml`).
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Posture checks over the tracked settings of the pack's rules.
    #[serde(default)]
    pub checks: Vec<CheckSpec>,
    /// Rules across records (see `chain`).
    #[serde(default)]
    pub chains: Vec<ChainRuleSpec>,
}

fn one() -> u32 {
    1
}

/// One rule as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub runbook: Option<String>,
    #[serde(rename = "match")]
    pub matches: Cond,
    /// Fires only for a record no other (non-fallback) rule fired on: the net for
    /// operations that are newer than the pack.
    #[serde(default)]
    pub fallback: bool,
    /// The settings this operation sets, remembered per resource (see `settings`);
    /// inline or the name of a shared track.
    #[serde(default, deserialize_with = "shared::named_opt")]
    pub track: Option<TrackSpec>,
    /// Allowlist: the rule does not fire when any of these holds (blocks, or names
    /// of shared sets of conditions).
    #[serde(default, deserialize_with = "shared::conditions")]
    pub unless: Vec<Cond>,
    /// Each inline or the name of a shared escalation.
    #[serde(default, deserialize_with = "shared::named_list")]
    pub escalate: Vec<EscalationSpec>,
    /// Each inline or the name of a shared risk.
    #[serde(default, deserialize_with = "shared::named_list")]
    pub risks: Vec<RiskSpec>,
    #[serde(default)]
    pub tests: Vec<TestSpec>,
}

/// An inline test case: a record and what the rule must make of it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestSpec {
    pub name: String,
    /// A CloudTrail record; `{ $ref: NAME }` anywhere in it stands for a shared
    /// test value.
    #[serde(deserialize_with = "shared::test_value")]
    pub record: Value,
    /// Values the trail showed earlier for the rule's tracked settings (name →
    /// value); settings not listed were never seen.
    #[serde(default)]
    pub before: std::collections::BTreeMap<String, Value>,
    #[serde(default)]
    pub expect: Expect,
}

/// Expected result of an inline test.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expect {
    /// Whether the rule fires (default true).
    #[serde(default = "yes")]
    pub alert: bool,
    /// Effective severity after escalations.
    pub severity: Option<Severity>,
    /// Each must be a substring of some risk annotation.
    #[serde(default)]
    pub risks: Vec<String>,
    /// Exact number of risk annotations.
    pub risk_count: Option<usize>,
    /// Overlay tests only: the alert is made and this suppression hides it.
    pub suppressed_by: Option<String>,
    /// Exactly these posture checks go from passing (or unknown) to failing.
    pub fails: Option<Vec<String>>,
    /// Exactly these checks go from failing to passing.
    pub fixes: Option<Vec<String>>,
    /// Exactly these checks were failing and still fail.
    pub still_failing: Option<Vec<String>>,
}

fn yes() -> bool {
    true
}

impl Default for Expect {
    fn default() -> Self {
        Expect {
            alert: true,
            severity: None,
            risks: Vec::new(),
            risk_count: None,
            fails: None,
            fixes: None,
            still_failing: None,
            suppressed_by: None,
        }
    }
}
