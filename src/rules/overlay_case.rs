//! Runs an overlay's own test cases: each record goes through the whole merged
//! set (overrides, deployers, suppressions), as the engine would judge it.

use super::model::TestSpec;
use super::place::Place;
use super::set::RuleSet;
use super::testcase::{check, seeded_for_set};
use crate::trail::Record;

/// The result of one overlay test case.
#[derive(Debug, Clone)]
pub struct OverlayCase {
    pub place: Place,
    pub name: String,
    /// `None` when the case passed; otherwise what went wrong.
    pub failure: Option<String>,
}

impl RuleSet {
    /// Runs the test cases of every applied overlay against the merged set.
    pub fn run_overlay_tests(&self) -> Vec<OverlayCase> {
        self.tuning
            .tests
            .iter()
            .map(|(test, place)| OverlayCase {
                place: place.clone(),
                name: test.name.clone(),
                failure: self.run_overlay_case(test).err(),
            })
            .collect()
    }

    fn run_overlay_case(&self, test: &TestSpec) -> Result<(), String> {
        let bytes = serde_json::to_vec(&test.record).map_err(|e| e.to_string())?;
        let record = Record::parse(&bytes).map_err(|e| format!("record does not parse: {e}"))?;
        let expect = &test.expect;
        let mut cache = seeded_for_set(self, &record, test);
        let Some(verdict) = self.evaluate_with(&record, &mut cache) else {
            return match &expect.suppressed_by {
                Some(id) => Err(format!(
                    "expected an alert suppressed by {id}, no rule fired"
                )),
                None => check(expect, None),
            };
        };
        let hidden_by = verdict
            .suppression
            .as_ref()
            .filter(|h| !h.expired)
            .map(|h| h.id.as_str());
        let rule = &verdict.rule.id;
        match (&expect.suppressed_by, hidden_by) {
            (Some(want), Some(got)) if want == got => {
                // suppressedBy implies that the rule fired: check the rest of it.
                let mut made = expect.clone();
                made.alert = true;
                check(&made, Some(verdict.finding))
            }
            (Some(want), Some(got)) => Err(format!(
                "expected suppression {want}, the alert of {rule} is suppressed by {got}"
            )),
            (Some(want), None) => Err(format!(
                "expected suppression {want}, the alert of {rule} ({}) is sent",
                verdict.finding.severity
            )),
            (None, Some(got)) if expect.alert => Err(format!(
                "expected an alert, the alert of {rule} is suppressed by {got}"
            )),
            (None, Some(got)) => Err(format!(
                "expected no alert, {rule} fired and {got} suppressed it (expect suppressedBy: {got})"
            )),
            (None, None) => check(expect, Some(verdict.finding)),
        }
    }
}
