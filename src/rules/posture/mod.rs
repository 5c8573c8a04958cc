//! Posture checks: named judgements over one resource's tracked settings ("MFA ON",
//! "deletion protection ACTIVE", "minimum password length at least 14"), judged on
//! the settings known before a change and after it, so an alert can say which
//! check a change breaks, which it fixes, and which were already failing.
//!
//! A check reads settings by the names a rule's `track:` block gives them. Its
//! `pass` is one block of tests (all must hold) or a list of blocks (any may hold);
//! each test is a predicate of the rules format on one setting's value. Settings
//! never seen make a test's answer unknown, never false: a check is only said to
//! fail on values the trail (or a snapshot) showed.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::predicate::Predicate;
use crate::Severity;

#[cfg(test)]
mod tests;

/// A check as written in a rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CheckSpec {
    pub id: String,
    /// The resource kind whose settings the check reads (`user-pool`, `app-client`...).
    pub resource: String,
    /// What passing means, as a short line ("MFA is ON").
    pub title: String,
    /// The alert's severity when a change makes the check fail.
    pub severity: Severity,
    /// How to make it pass again.
    pub fix: String,
    /// The name of the Prowler check it mirrors, if any.
    #[serde(default)]
    pub prowler: Option<String>,
    pub pass: Pass,
}

/// One block (all tests hold) or several (any block holds).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Pass {
    All(BTreeMap<String, Predicate>),
    Any(Vec<BTreeMap<String, Predicate>>),
}

/// A check's answer on one set of settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pass,
    Fail,
    /// A setting it reads was never seen.
    Unknown,
}

/// What a change did to a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Passing (or not known) before, failing after: the change breaks it.
    Failed { before_known: bool },
    /// Failing before, passing after.
    Fixed,
    /// Failing before and after: a restatement, not a new weakening.
    StillFailing,
    /// Passing after, or not known after: nothing to say.
    Quiet,
}

impl CheckSpec {
    /// Checks what deserializing cannot.
    pub fn validate(&self) -> Result<(), String> {
        let blocks = self.blocks();
        if blocks.is_empty() || blocks.iter().any(|b| b.is_empty()) {
            return Err(format!(
                "check {:?}: `pass` needs at least one test",
                self.id
            ));
        }
        if self.title.trim().is_empty() || self.fix.trim().is_empty() {
            return Err(format!("check {:?}: give a title and a fix", self.id));
        }
        Ok(())
    }

    fn blocks(&self) -> Vec<&BTreeMap<String, Predicate>> {
        match &self.pass {
            Pass::All(block) => vec![block],
            Pass::Any(blocks) => blocks.iter().collect(),
        }
    }

    /// The settings the check reads.
    pub fn reads(&self) -> impl Iterator<Item = &str> {
        self.blocks()
            .into_iter()
            .flat_map(|b| b.keys().map(String::as_str))
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// The check on the settings known for one resource (`known` answers a
    /// setting's value, `None` when it was never seen).
    pub fn state<'v>(&self, known: impl Fn(&str) -> Option<&'v Value>) -> State {
        let mut answer = State::Fail;
        for block in self.blocks() {
            match block_state(block, &known) {
                State::Pass => return State::Pass,
                State::Unknown => answer = State::Unknown,
                State::Fail => {}
            }
        }
        answer
    }
}

/// All of a block's tests: fails when one fails on a known value, passes when all
/// hold, unknown otherwise.
fn block_state<'v>(
    block: &BTreeMap<String, Predicate>,
    known: &impl Fn(&str) -> Option<&'v Value>,
) -> State {
    let mut answer = State::Pass;
    for (setting, predicate) in block {
        let Some(value) = known(setting) else {
            answer = State::Unknown;
            continue;
        };
        let container = Value::Object([(setting.clone(), value.clone())].into_iter().collect());
        if !predicate.holds(Some(&container), std::slice::from_ref(setting), None) {
            return State::Fail;
        }
    }
    answer
}

/// What going from `before` to `after` did to a check.
pub fn transition(before: State, after: State) -> Transition {
    match (before, after) {
        (State::Fail, State::Fail) => Transition::StillFailing,
        (State::Fail, State::Pass) => Transition::Fixed,
        (before, State::Fail) => Transition::Failed {
            before_known: before == State::Pass,
        },
        _ => Transition::Quiet,
    }
}
