//! What overlays change on top of a pack: a rule's base severity, extra `unless`
//! blocks, deployers (deployment pipelines whose changes are lowered or annotated),
//! plus the set-wide suppressions, routes, account names, overlay test cases and
//! the injected "today".
//!
//! A rule keeps its own fields as its file wrote them and its inline tests run on
//! those ([`Rule::evaluate`]); the engine uses [`Rule::evaluate_tuned`]. Why: an
//! overlay changes what a rule does in one deployment, not what the pack's own
//! cases promise, and a team cannot edit the pack's expectations.
//!
//! [`Rule::evaluate`]: crate::rules::Rule::evaluate
//! [`Rule::evaluate_tuned`]: crate::rules::Rule::evaluate_tuned

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

use serde::Deserialize;

use super::cond::Cond;
use super::date::Date;
use super::model::TestSpec;
use super::pattern::Patterns;
use super::place::Place;
use super::suppress::Suppression;
use crate::routes::Route;
use crate::Severity;

/// What a deployer's change gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeployerEffect {
    /// The rule's base severity goes down one level (escalations still apply), and
    /// the alert says which deployer made the change.
    Lower,
    /// Same severity; the alert says which deployer made the change.
    #[default]
    Annotate,
}

/// A deployment pipeline: changes whose caller matches `when` are recognised as
/// routine infrastructure as code.
#[derive(Debug)]
pub struct Deployer {
    pub name: String,
    pub(super) when: Cond,
    pub effect: DeployerEffect,
    /// Rule ids (globs) the deployer applies to; `None` = every rule.
    pub(super) rules: Option<Patterns>,
    pub place: Place,
}

impl Deployer {
    /// Whether the deployer applies to the rule with this id.
    pub fn covers(&self, rule_id: &str) -> bool {
        self.rules.as_ref().is_none_or(|p| p.matches(rule_id))
    }

    /// The sentence added to the alert.
    pub(super) fn sentence(&self, from: Severity, to: Severity) -> String {
        match self.effect {
            DeployerEffect::Annotate => format!("Made by deployer {}.", self.name),
            DeployerEffect::Lower if from == to => format!(
                "Made by deployer {} (base severity {from}, already the lowest).",
                self.name
            ),
            DeployerEffect::Lower => format!(
                "Made by deployer {}: base severity lowered from {from} to {to} (escalations still apply).",
                self.name
            ),
        }
    }
}

/// One level down; `info` stays `info`.
pub fn lower(s: Severity) -> Severity {
    Severity::ALL[(s as usize).saturating_sub(1)]
}

/// An overlay's changes to one rule.
#[derive(Debug, Default)]
pub struct Tuning {
    /// Base severity set by an override, and where.
    pub severity: Option<(Severity, Place)>,
    /// `unless` blocks appended by overrides.
    pub unless: Vec<(Cond, Place)>,
    /// The deployers whose `rules` scope covers this rule, in load order.
    pub deployers: Vec<Arc<Deployer>>,
    /// The overlay that added the rule; `None` for the pack's rules.
    pub file: Option<String>,
}

impl Tuning {
    /// Whether no overlay changed the rule.
    pub(super) fn is_empty(&self) -> bool {
        self.severity.is_none() && self.unless.is_empty() && self.deployers.is_empty()
    }
}

/// Set-wide results of the overlays, and the day suppressions are judged on.
#[derive(Debug, Default)]
pub struct SetTuning {
    /// The overlays applied, in order.
    pub overlays: Vec<String>,
    pub suppressions: Vec<Suppression>,
    pub deployers: Vec<Arc<Deployer>>,
    /// Overlay test cases, run against the whole merged set.
    pub tests: Vec<(TestSpec, Place)>,
    /// Rules an override turned off (they are removed from the set).
    pub disabled: Vec<(String, Place)>,
    /// Posture checks an override turned off (removed too).
    pub disabled_checks: Vec<(String, Place)>,
    /// Routes to SNS topics, in load order (see `crate::routes`).
    pub routes: Vec<Route>,
    /// Account names: id → (name, where); a later overlay's name replaces an earlier one's.
    pub accounts: BTreeMap<String, (String, Place)>,
    /// Days since 1970-01-01. Atomic so that a long-lived process (a warm Lambda
    /// container) can move it forward without rebuilding the set.
    today: AtomicI32,
}

impl SetTuning {
    /// The day suppressions are judged on.
    pub fn today(&self) -> Date {
        Date::from_days(self.today.load(Ordering::Relaxed))
    }

    /// Sets the day suppressions are judged on.
    pub fn set_today(&self, today: Date) {
        self.today.store(today.to_days(), Ordering::Relaxed);
    }
}
