//! A validated, indexed set of rules and how it judges one record: the candidate
//! rules, the winner, the fallback rules, and the suppressions of its overlays.

use std::sync::Arc;

use super::chain::ChainRule;
use super::compile::RulesError;
use super::cond::Ctx;
use super::date::Date;
use super::index;
use super::place::Place;
use super::posture::CheckSpec;
use super::rule::{Finding, Rule};
use super::shared::Shared;
use super::suppress::{Suppression, SuppressionHit, EXPIRY_WARNING_DAYS};
use super::tuning::{Deployer, SetTuning};
use crate::settings::{self, Changes, LocalCache, SettingsCache, TrackSpec};
use crate::trail::Record;

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
    pub(super) name: String,
    pub(super) rules: Vec<Rule>,
    pub(super) index: index::Index,
    pub(super) prefilter: Option<index::Prefilter>,
    /// What the specific rules name, disabled ones included: see [`index::Named`].
    pub(super) named: index::Named,
    /// The pack's shared definitions, which overlays may use too.
    pub(super) shared: Shared,
    /// Overlays' suppressions, deployers, tests and disabled rules; the clock.
    pub(super) tuning: SetTuning,
    /// Posture checks over the tracked settings (the pack's, tuned by overlays).
    pub(super) checks: Vec<CheckSpec>,
    /// Rules across records (the pack's and overlays').
    pub(crate) chains: Vec<ChainRule>,
}

impl RuleSet {
    /// Indexes compiled rules; `shared` is kept for the overlays.
    pub(super) fn build(name: &str, rules: Vec<Rule>, shared: Shared) -> RuleSet {
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
            checks: Vec::new(),
            chains: Vec::new(),
            tuning: SetTuning::default(),
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

    /// Adds posture checks, each reading only settings some rule tracks for its
    /// resource kind (a typo in a setting's name is a load error, not a check that
    /// is never judged).
    pub(super) fn with_checks(mut self, checks: Vec<CheckSpec>) -> Result<RuleSet, RulesError> {
        for check in &checks {
            self.check_reads_tracked(check)?;
        }
        self.checks.extend(checks);
        Ok(self)
    }

    pub(super) fn check_reads_tracked(&self, check: &CheckSpec) -> Result<(), RulesError> {
        let tracked = |name: &str| {
            self.tracks()
                .filter(|t| t.kind == check.resource)
                .any(|t| t.has(name))
        };
        let unknown = check.reads().find(|key| {
            // `setting.inner.path` reads `setting`.
            !tracked(key) && !key.split_once('.').is_some_and(|(s, _)| tracked(s))
        });
        match unknown {
            None => Ok(()),
            Some(name) => Err(RulesError::Invalid {
                file: check.file.clone(),
                line: check.line,
                column: 1,
                message: format!(
                    "check {:?}: no rule tracks a setting {name:?} of a {}",
                    check.id, check.resource
                ),
            }),
        }
    }

    /// The posture checks, in load order.
    pub fn checks(&self) -> &[CheckSpec] {
        &self.checks
    }

    /// Every rule's `track:` block: which settings of which resource kinds the
    /// pack remembers (what a snapshot of a resource is read into).
    pub fn tracks(&self) -> impl Iterator<Item = &TrackSpec> {
        self.rules.iter().filter_map(|r| r.track.as_ref())
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
    pub(super) fn fallback_applies(&self, record: &Record) -> bool {
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
            let ctx = Ctx::with_changes(record, &changes);
            let Some(finding) = rule.evaluate_tuned(&ctx) else {
                continue;
            };
            let finding = rule.shaped(finding, &ctx, &changes, &self.checks);
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

impl RuleSet {
    /// The overlays applied, in order.
    pub fn overlays(&self) -> &[String] {
        &self.tuning.overlays
    }

    /// Rules an overlay turned off, with the override's place.
    pub fn disabled(&self) -> &[(String, Place)] {
        &self.tuning.disabled
    }

    /// Posture checks an overlay turned off, with the override's place.
    pub fn disabled_checks(&self) -> &[(String, Place)] {
        &self.tuning.disabled_checks
    }

    /// The deployers of the applied overlays, in load order.
    pub fn deployers(&self) -> impl Iterator<Item = &Deployer> {
        self.tuning.deployers.iter().map(Arc::as_ref)
    }

    /// The file a rule was written in: its overlay, else the pack.
    pub fn file_of<'a>(&'a self, rule: &'a Rule) -> &'a str {
        &rule.file
    }
}

impl RuleSet {
    /// The suppressions of the applied overlays, in load order.
    pub fn suppressions(&self) -> &[Suppression] {
        &self.tuning.suppressions
    }

    /// The day suppressions are judged on (set when overlays are applied).
    pub fn today(&self) -> Date {
        self.tuning.today()
    }

    /// Moves the day suppressions are judged on (a long-lived process calls this
    /// with the current UTC date before each batch of work).
    pub fn set_today(&self, today: Date) {
        self.tuning.set_today(today);
    }

    /// Suppressions that have expired, or expire within [`EXPIRY_WARNING_DAYS`],
    /// with the days left (zero or negative when expired).
    pub fn expiring(&self) -> Vec<(&Suppression, i32)> {
        let today = self.today();
        self.suppressions()
            .iter()
            .map(|s| (s, today.days_until(s.expires)))
            .filter(|(_, left)| *left <= EXPIRY_WARNING_DAYS)
            .collect()
    }

    /// The first active suppression covering the verdict hides it; failing that,
    /// the first expired one is named in a risk sentence.
    fn suppress<'s>(&'s self, mut verdict: Verdict<'s>, record: &Record) -> Verdict<'s> {
        if self.suppressions().is_empty() {
            return verdict;
        }
        // The same context the rule saw, tracked-setting changes included.
        let ctx = Ctx::with_changes(record, &verdict.changes);
        let hit = self.suppression_of(&verdict.rule.id, &ctx);
        if let Some(hit) = hit.as_ref().filter(|h| h.expired) {
            let s = self.suppressions().iter().find(|s| s.id == hit.id);
            verdict
                .finding
                .risks
                .extend(s.map(Suppression::expired_sentence));
        }
        verdict.suppression = hit;
        verdict
    }

    /// The suppression covering an alert of rule (or chain) `id` on `ctx`'s
    /// record: the first active one, else the first expired one (`expired`).
    pub(crate) fn suppression_of(&self, id: &str, ctx: &Ctx) -> Option<SuppressionHit> {
        let today = self.today();
        let mut expired = None;
        for s in self.suppressions().iter().filter(|s| s.matches(id, ctx)) {
            if s.active_on(today) {
                return Some(SuppressionHit {
                    id: s.id.clone(),
                    expired: false,
                });
            }
            expired = expired.or(Some(s));
        }
        expired.map(|s| SuppressionHit {
            id: s.id.clone(),
            expired: true,
        })
    }
}
