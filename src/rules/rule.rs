//! One compiled rule and what it makes of one record: as its file wrote it
//! ([`Rule::evaluate`], what its inline tests check) and with its overlays' changes
//! ([`Rule::evaluate_tuned`], what the engine uses; see `tuning`).

use std::sync::Arc;

use super::cond::{Cond, Ctx};
use super::escalate::{EscalationSpec, RiskSpec};
use super::model::TestSpec;
use super::posture::{self, Assessment, CheckSpec, Transition};
use super::tuning::{lower, Deployer, DeployerEffect, Tuning};
use crate::settings::{Change, Changes, TrackSpec};
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
    /// Base severity raised by any escalation that holds; for a rule that tracks
    /// settings, shaped by what the change did (see [`Rule::shaped`]).
    pub severity: Severity,
    /// Escalation reasons first, then risk annotations, without repeats.
    pub risks: Vec<String>,
    /// The posture checks of the resource, judged before and after the change
    /// (empty for a rule that tracks no settings).
    pub assessments: Vec<Assessment>,
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
        Some(Finding {
            severity,
            risks,
            assessments: Vec::new(),
        })
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

    /// The finding of a rule that tracks settings, led by what the change did:
    /// a check it makes fail sets the severity (its own, when the check was known to
    /// pass before: a first sighting proves no weakening, so it is listed but adds
    /// nothing to the rule's own severity);
    /// one it fixes is at least low; a change of a tracked setting keeps the rule's
    /// severity; a write that changes none and fails no check is `info` (below any
    /// default minimum: not sent) unless an escalation that stands on its own holds
    /// (the root user, an account outside, a rule's own `when`). A failed call is
    /// judged on what it tried to do, and never lowered to `info`. Rules that track
    /// nothing are left as they are.
    pub(super) fn shaped(
        &self,
        mut finding: Finding,
        ctx: &Ctx,
        changes: &Changes,
        checks: &[CheckSpec],
    ) -> Finding {
        let (Some(_), Some(state)) = (&self.track, &changes.state) else {
            return finding;
        };
        let assessments = posture::assess(checks, state);
        // Only a proven weakening (known to pass before) sets the severity; a check
        // failing on a first sighting is listed but counts no more than the rule.
        let failed = assessments
            .iter()
            .filter(|a| a.transition == Transition::Failed { before_known: true })
            .map(|a| a.severity)
            .max();
        let fixed = assessments
            .iter()
            .any(|a| a.transition == Transition::Fixed);
        let floor = if fixed { Severity::Low } else { Severity::Info };
        let changed = changes.items.iter().any(Change::is_change);
        let attempt = ctx.record.error_code().is_some();
        finding.severity = match (changed || attempt, failed) {
            (false, None) => self.escalations_held(ctx).fold(floor, Severity::max),
            (_, failed) => finding.severity.max(failed.unwrap_or(floor)),
        };
        finding.assessments = assessments;
        finding
    }
}
