//! Runs the inline test cases that rules carry.

use super::cond::Ctx;
use super::model::{Expect, TestSpec};
use super::posture::{CheckSpec, Transition};
use super::rule::{Finding, Rule};
use super::set::RuleSet;
use crate::settings::{self, Changes, LocalCache, Remembered, Seen, SettingsCache, TrackSpec};
use crate::trail::Record;

/// The result of one inline test case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub rule_id: String,
    pub rule_line: usize,
    pub name: String,
    /// `None` when the case passed; otherwise what went wrong.
    pub failure: Option<String>,
}

/// Results of every inline test case of a rule set.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    pub cases: Vec<CaseResult>,
}

impl TestReport {
    /// Number of cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_some()).count()
    }

    /// Number of cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.len() - self.failed()
    }
}

impl RuleSet {
    /// Runs each rule's inline tests against that rule alone, then each chain
    /// rule's against the whole set.
    pub fn run_tests(&self) -> TestReport {
        let mut cases: Vec<CaseResult> = self
            .rules()
            .iter()
            .flat_map(|rule| rule.tests.iter().map(move |t| (rule, t)))
            .map(|(rule, test)| CaseResult {
                rule_id: rule.id.clone(),
                rule_line: rule.line,
                name: test.name.clone(),
                failure: run_case(rule, test, self.checks()).err(),
            })
            .collect();
        cases.extend(self.run_chain_tests());
        TestReport { cases }
    }
}

fn run_case(rule: &Rule, test: &TestSpec, checks: &[CheckSpec]) -> Result<(), String> {
    check(&test.expect, rule.evaluate_case(test, checks)?)
}

impl Rule {
    /// What this rule alone makes of one of its inline cases, with the case's
    /// `before` values as the cache of tracked settings, and the set's posture
    /// `checks` judged on them.
    pub fn evaluate_case(
        &self,
        test: &TestSpec,
        checks: &[CheckSpec],
    ) -> Result<Option<Finding>, String> {
        let bytes = serde_json::to_vec(&test.record).map_err(|e| e.to_string())?;
        let record = Record::parse(&bytes).map_err(|e| format!("record does not parse: {e}"))?;
        let changes = match &self.track {
            Some(track) => {
                let mut cache = seeded(&record, track, test)?;
                settings::diff(&record, track, &mut cache)
            }
            None => Changes::default(),
        };
        let ctx = Ctx::with_changes(&record, &changes);
        let Some(finding) = self.evaluate(&ctx) else {
            return Ok(None);
        };
        Ok(Some(self.shaped(finding, &ctx, &changes, checks)))
    }
}

/// A cache holding the case's `before` values, as if an earlier event had set them.
fn seeded(record: &Record, track: &TrackSpec, test: &TestSpec) -> Result<LocalCache, String> {
    let mut cache = LocalCache::new();
    if test.before.is_empty() {
        return Ok(cache);
    }
    let key = settings::resource_key(record, track)
        .ok_or("`before` needs a record with an account, a region and the resource id")?;
    seed(&mut cache, &key, &test.before);
    Ok(cache)
}

/// The same for a case judged by a whole set (an overlay's case): each `before`
/// value goes to the resource of every track that names that setting.
pub(super) fn seeded_for_set(set: &RuleSet, record: &Record, test: &TestSpec) -> LocalCache {
    let mut cache = LocalCache::new();
    for track in set.tracks() {
        let Some(key) = settings::resource_key(record, track) else {
            continue;
        };
        let mine = test.before.iter().filter(|(name, _)| track.has(name));
        seed(
            &mut cache,
            &key,
            &mine.map(|(n, v)| (n.clone(), v.clone())).collect(),
        );
    }
    cache
}

fn seed(
    cache: &mut LocalCache,
    key: &settings::ResourceKey,
    before: &std::collections::BTreeMap<String, serde_json::Value>,
) {
    for (name, value) in before {
        let last = Seen {
            value: value.clone(),
            event_time: "2000-01-01T00:00:00Z".into(),
            actor: "an earlier event (inline test)".into(),
            event_id: "inline-test-before".into(),
            snapshot: None,
        };
        cache.remember(
            key,
            name,
            Remembered {
                last,
                previous: None,
            },
        );
    }
}

pub(super) fn check(expect: &Expect, finding: Option<Finding>) -> Result<(), String> {
    let finding = match (expect.alert, finding) {
        (false, None) => return Ok(()),
        (false, Some(f)) => return Err(format!("expected no alert, got one at {}", f.severity)),
        (true, None) => return Err("expected an alert, the rule did not fire".into()),
        (true, Some(f)) => f,
    };
    if let Some(want) = expect.severity {
        if finding.severity != want {
            return Err(format!(
                "expected severity {want}, got {}",
                finding.severity
            ));
        }
    }
    for want in &expect.risks {
        if !finding.risks.iter().any(|r| r.contains(want.as_str())) {
            return Err(format!(
                "expected a risk mentioning {want:?}, got {:?}",
                finding.risks
            ));
        }
    }
    if let Some(n) = expect.risk_count {
        if finding.risks.len() != n {
            return Err(format!("expected {n} risks, got {:?}", finding.risks));
        }
    }
    let ids = |pick: fn(Transition) -> bool| -> Vec<&str> {
        let mut ids: Vec<&str> = finding
            .assessments
            .iter()
            .filter(|a| pick(a.transition))
            .map(|a| a.check.as_str())
            .collect();
        ids.sort_unstable();
        ids
    };
    let lists = [
        (
            "fails",
            &expect.fails,
            ids(|t| matches!(t, Transition::Failed { .. })),
        ),
        ("fixes", &expect.fixes, ids(|t| t == Transition::Fixed)),
        (
            "stillFailing",
            &expect.still_failing,
            ids(|t| t == Transition::StillFailing),
        ),
    ];
    for (key, want, got) in lists {
        let Some(want) = want else { continue };
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        want.sort_unstable();
        if want != got {
            return Err(format!("expected {key} {want:?}, got {got:?}"));
        }
    }
    Ok(())
}
