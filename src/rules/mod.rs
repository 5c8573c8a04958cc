//! Rules as data: the YAML format, its validation, the compiled matcher and the
//! bundled Cognito pack.

pub mod catalogue;
mod compile;
mod cond;
mod date;
mod escalate;
mod explain;
mod index;
mod model;
mod overlay;
mod overlay_case;
mod pack;
mod pattern;
pub mod posture;
mod predicate;
mod shared;
mod suppress;
mod testcase;
mod tuning;

pub use compile::RulesError;
pub use cond::Ctx;
pub use date::Date;
pub use explain::{Explanation, RuleTrace};
pub use model::{Expect, TestSpec};
pub use overlay::Overlay;
pub use overlay_case::OverlayCase;
pub use pack::{BUNDLED_DIR, BUNDLED_FILES, BUNDLED_MANIFEST, BUNDLED_NAME, MANIFEST};
pub use suppress::{Suppression, SuppressionHit};
pub use testcase::{CaseResult, TestReport};
pub use tuning::{Deployer, DeployerEffect, Place};

use crate::settings::{self, Changes, LocalCache, SettingsCache, TrackSpec};
use crate::trail::Record;
use crate::Severity;
use cond::Cond;
use escalate::{EscalationSpec, RiskSpec};

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
    cond: Cond,
    unless: Vec<Cond>,
    escalate: Vec<EscalationSpec>,
    risks: Vec<RiskSpec>,
    /// What overlays changed (see `tuning`); empty for a rule as its file wrote it.
    tuning: tuning::Tuning,
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

/// The outcome for one record across the rule set: the highest-severity rule wins
/// (the first in file order on a tie); the others that fired are listed. Fallback
/// rules are tried only when no other rule fired and no other rule names the
/// record's operation (an overlay may have disabled or narrowed that rule).
#[derive(Debug)]
pub struct Verdict<'s> {
    pub rule: &'s Rule,
    pub finding: Finding,
    pub also_matched: Vec<&'s str>,
    /// The winning rule's tracked settings this record sets.
    pub changes: Changes,
    /// The suppression that hides this alert, or an expired one that would have.
    pub suppression: Option<SuppressionHit>,
}

/// A validated, indexed set of rules.
#[derive(Debug)]
pub struct RuleSet {
    name: String,
    rules: Vec<Rule>,
    index: index::Index,
    prefilter: Option<index::Prefilter>,
    /// What the specific rules name, disabled ones included: see [`index::Named`].
    named: index::Named,
    /// The pack's shared definitions, which overlays may use too.
    shared: shared::Shared,
    /// Overlays' suppressions, deployers, tests and disabled rules; the clock.
    tuning: tuning::SetTuning,
}

impl RuleSet {
    /// Indexes compiled rules; `shared` is kept for the overlays.
    fn build(name: &str, rules: Vec<Rule>, shared: shared::Shared) -> RuleSet {
        let index = index::Index::build(&rules);
        let prefilter = index.prefilter();
        let mut named = index::Named::default();
        named.add(&rules);
        RuleSet {
            name: name.to_string(),
            rules,
            index,
            prefilter,
            named,
            shared,
            tuning: tuning::SetTuning::default(),
        }
    }

    /// Where the rules came from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Cheap test on a record's raw bytes: `false` means no rule can match it.
    pub fn may_match(&self, raw: &[u8]) -> bool {
        self.prefilter.as_ref().is_none_or(|ac| ac.is_match(raw))
    }

    /// Evaluates every candidate rule on `record`, with no cache of earlier
    /// values: every tracked setting's previous value is unknown.
    pub fn evaluate<'s>(&'s self, record: &Record) -> Option<Verdict<'s>> {
        self.evaluate_with(record, &mut LocalCache::new())
    }

    /// Evaluates every candidate rule on `record`, diffing tracked settings against
    /// `cache`. Nothing is written to it: see [`Changes::commit`].
    pub fn evaluate_with<'s>(
        &'s self,
        record: &Record,
        cache: &mut dyn SettingsCache,
    ) -> Option<Verdict<'s>> {
        let candidates = self
            .index
            .candidates(record.event_source.as_deref(), record.event_name.as_deref());
        if candidates.is_empty() {
            return None;
        }
        let (fallbacks, specific): (Vec<usize>, Vec<usize>) = candidates
            .into_iter()
            .partition(|&i| self.rules[i].fallback);
        let verdict = match self.best_of(&specific, record, cache) {
            Some(verdict) => verdict,
            None if self.fallback_applies(record) => self.best_of(&fallbacks, record, cache)?,
            None => return None,
        };
        Some(self.suppress(verdict, record))
    }

    /// Whether fallback rules may be tried on a record no specific rule fired on:
    /// only when no specific rule (enabled or not) names its operation.
    fn fallback_applies(&self, record: &Record) -> bool {
        let (source, name) = (record.event_source.as_deref(), record.event_name.as_deref());
        !self.named.contains(source, name)
    }

    fn best_of<'s>(
        &'s self,
        candidates: &[usize],
        record: &Record,
        cache: &mut dyn SettingsCache,
    ) -> Option<Verdict<'s>> {
        let mut best: Option<(&Rule, Finding, Changes)> = None;
        let mut others = Vec::new();
        for rule in candidates.iter().map(|&i| &self.rules[i]) {
            let changes = match &rule.track {
                Some(track) => settings::diff(record, track, cache),
                None => Changes::default(),
            };
            let Some(finding) = rule.evaluate_tuned(&Ctx::with_changes(record, &changes)) else {
                continue;
            };
            match &best {
                Some((_, f, _)) if f.severity >= finding.severity => others.push(rule.id.as_str()),
                _ => {
                    if let Some((b, _, _)) = best.take() {
                        others.push(b.id.as_str());
                    }
                    best = Some((rule, finding, changes));
                }
            }
        }
        best.map(|(rule, finding, changes)| Verdict {
            rule,
            finding,
            also_matched: others,
            changes,
            suppression: None,
        })
    }
}
