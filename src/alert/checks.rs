//! What a change did to its resource's posture checks, as an alert carries it:
//! the checks it breaks, those it fixes, and those already failing.

use serde::Serialize;

use crate::rules::posture::{Assessment, CheckRef, Transition};
use crate::Severity;

/// The posture part of an alert; empty when the resource has no checks or the
/// change touched none that can be judged.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostureChange {
    /// Failing after the change and not before (or not known before).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<CheckLine>,
    /// Failing before, passing after.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<CheckLine>,
    /// Failing before and after: said once, in one line, with no severity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub still_failing: Vec<CheckLine>,
    /// The call failed: the lists say what it tried to do, not what happened.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub attempt: bool,
}

/// One check, as an alert names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckLine {
    #[serde(flatten)]
    pub check: CheckRef,
    /// For a failed check: whether it was known to pass before (`false`: the
    /// resource was never seen, so it may have failed already).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was_passing: Option<bool>,
}

impl PostureChange {
    /// Sorts assessments into the three lists, most severe first; `attempt`: the
    /// call failed, so nothing changed.
    pub fn from_assessments(assessments: &[Assessment], attempt: bool) -> Self {
        let mut out = PostureChange {
            attempt,
            ..PostureChange::default()
        };
        for a in assessments {
            let line = |was_passing| CheckLine {
                check: CheckRef {
                    id: a.check.clone(),
                    title: a.title.clone(),
                    severity: a.severity,
                    fix: a.fix.clone(),
                    prowler: a.prowler.clone(),
                },
                was_passing,
            };
            match a.transition {
                Transition::Failed { before_known } => out.failed.push(line(Some(before_known))),
                Transition::Fixed => out.fixed.push(line(None)),
                Transition::StillFailing => out.still_failing.push(line(None)),
                Transition::Quiet => {}
            }
        }
        for list in [&mut out.failed, &mut out.fixed, &mut out.still_failing] {
            list.sort_by(|a, b| {
                let (a, b) = (&a.check, &b.check);
                b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id))
            });
        }
        out
    }

    /// Nothing to say.
    pub fn is_empty(&self) -> bool {
        self.failed.is_empty() && self.fixed.is_empty() && self.still_failing.is_empty()
    }

    /// The highest severity of the checks the change breaks.
    pub fn failed_severity(&self) -> Option<Severity> {
        self.failed.iter().map(|c| c.check.severity).max()
    }

    /// One line per failed or fixed check, and one for all that still fail.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.failed {
            let (verb, before) = match c.was_passing {
                Some(true) => ("FAILS NOW", "was passing"),
                // A first sighting: the check fails, but nothing says it passed before.
                _ => ("FAILS", "not known before"),
            };
            let prowler = c
                .check
                .prowler
                .as_deref()
                .map(|p| format!("; Prowler {p}"))
                .unwrap_or_default();
            let head = if self.attempt {
                "WOULD FAIL (the call was refused)"
            } else {
                verb
            };
            out.push(format!(
                "{head}: {} ({before}) [{}{prowler}]. Fix: {}",
                c.check.title, c.check.id, c.check.fix
            ));
        }
        for c in &self.fixed {
            let head = if self.attempt {
                "would fix (the call was refused)"
            } else {
                "fixed"
            };
            out.push(format!("{head}: {} [{}]", c.check.title, c.check.id));
        }
        if !self.still_failing.is_empty() {
            let titles: Vec<&str> = self
                .still_failing
                .iter()
                .map(|c| c.check.title.as_str())
                .collect();
            out.push(format!("still failing: {}", titles.join(", ")));
        }
        out
    }
}

#[cfg(test)]
mod tests;
