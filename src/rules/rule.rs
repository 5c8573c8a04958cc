//! One compiled rule and what it makes of one record: as its file wrote it
//! ([`Rule::evaluate`], what its inline tests check) and with its overlays' changes
//! ([`Rule::evaluate_tuned`], what the engine uses; see `tuning`).

use std::sync::Arc;

use super::cond::{Cond, Ctx};
use super::escalate::{EscalationSpec, RiskSpec};
use super::model::TestSpec;
use super::tuning::{lower, Deployer, DeployerEffect, Tuning};
use crate::settings::TrackSpec;
use crate::Severity;

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub runbook: Option<String>,
    /// The file the rule is written in (a file of its pack, or an overlay).
    pub file: String,
    /// Line of the rule's `id:` in its file.
    pub line: usize,
    /// Fires only on API calls no other rule fired on or names (docs/rules.md, "The fallback rule").
    pub fallback: bool,
    /// The settings the rule's operations set, remembered per resource.
    pub track: Option<TrackSpec>,
    pub tests: Vec<TestSpec>,
    pub(super) cond: Cond,
    pub(super) unless: Vec<Cond>,
    pub(super) escalate: Vec<EscalationSpec>,
    pub(super) risks: Vec<RiskSpec>,
    /// What overlays changed (see `tuning`); empty for a rule as its file wrote it.
    pub(super) tuning: Tuning,
}

/// What one rule makes of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Base severity raised by any escalation that holds.
    pub severity: Severity,
    /// Escalation reasons first, then risk annotations, without repeats.
    pub risks: Vec<String>,
}

impl Rule {
    /// The exact event sources the rule matches; `None` when it matches a glob or any source.
    pub fn event_sources(&self) -> Option<Vec<&str>> {
        self.cond.event_source.as_ref()?.all_exact()
    }

    /// The exact event names the rule matches; `None` when it matches a glob or any name.
    pub fn event_names(&self) -> Option<Vec<&str>> {
        self.cond.event_name.as_ref()?.all_exact()
    }

    /// Every sentence the rule can add to an alert: escalations' `say`, then risks'.
    pub fn sentences(&self) -> impl Iterator<Item = &str> {
        let escalations = self.escalate.iter().filter_map(|e| e.say.as_deref());
        escalations.chain(self.risks.iter().map(|r| r.say.as_str()))
    }

    /// Evaluates this rule alone: `None` when it does not fire.
    pub fn evaluate(&self, ctx: &Ctx) -> Option<Finding> {
        if !self.cond.holds(ctx) || self.unless.iter().any(|u| u.holds(ctx)) {
            return None;
        }
        let mut severity = self.severity;
        let mut risks: Vec<String> = Vec::new();
        let mut note = |text: &str| {
            if !risks.iter().any(|r| r == text) {
                risks.push(text.to_string());
            }
        };
        for e in self.escalate.iter().filter(|e| e.when.holds(ctx)) {
            severity = severity.max(e.severity);
            if let Some(say) = &e.say {
                note(say);
            }
        }
        for r in self.risks.iter().filter(|r| r.when.holds(ctx)) {
            note(&r.say);
        }
        Some(Finding { severity, risks })
    }
}

impl Rule {
    /// Evaluates the rule with its overlays' changes: an override's `unless` blocks
    /// suppress it, an override's severity replaces the base one, and the first
    /// deployer that holds lowers the base a level or annotates. Escalations keep
    /// their absolute level, so a deployer turning a control off still alerts high.
    pub fn evaluate_tuned(&self, ctx: &Ctx) -> Option<Finding> {
        let t = &self.tuning;
        if t.is_empty() {
            return self.evaluate(ctx);
        }
        if t.unless.iter().any(|(u, _)| u.holds(ctx)) {
            return None;
        }
        let mut finding = self.evaluate(ctx)?;
        let base = t.severity.as_ref().map_or(self.severity, |(s, _)| *s);
        let deployer = self.deployer(ctx);
        let effective = match deployer {
            Some(d) if d.effect == DeployerEffect::Lower => lower(base),
            _ => base,
        };
        if effective != self.severity {
            finding.severity = self
                .escalations_held(ctx)
                .fold(effective, |acc, s| acc.max(s));
        }
        if let Some(d) = deployer {
            finding.risks.push(d.sentence(base, effective));
        }
        Some(finding)
    }

    /// The first deployer of this rule whose condition holds.
    pub(super) fn deployer(&self, ctx: &Ctx) -> Option<&Deployer> {
        self.tuning
            .deployers
            .iter()
            .map(Arc::as_ref)
            .find(|d| d.when.holds(ctx))
    }

    fn escalations_held<'a>(&'a self, ctx: &'a Ctx) -> impl Iterator<Item = Severity> + 'a {
        self.escalate
            .iter()
            .filter(|e| e.when.holds(ctx))
            .map(|e| e.severity)
    }

    /// What overlays changed on this rule.
    pub fn tuning(&self) -> &Tuning {
        &self.tuning
    }
}
