//! Posture checks: named judgements over one resource's tracked settings ("MFA ON",
//! "deletion protection ACTIVE", "minimum password length at least 14"), judged on
//! the settings known before a change and after it, so an alert can say which
//! check a change breaks, which it fixes, and which were already failing.
//!
//! A check reads settings by the names a rule's `track:` block gives them. It says
//! either when it passes (`pass`) or when it fails (`fail`, for what is easier to
//! say as a weakness: "a trigger in another account"); each is one block of tests
//! (all must hold) or a list of blocks (any may hold), and each test is a predicate
//! of the rules format on one setting's value (`setting.inner.path` tests part of
//! a structured one). Settings never seen make a test's
//! answer unknown, never false: a check is only said to fail on values the trail
//! (or a snapshot) showed.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::predicate::Predicate;
use crate::Severity;

mod report;
#[cfg(test)]
mod tests;

pub use report::{report, ResourcePosture};

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
    /// When the check passes; give this or `fail`.
    #[serde(default)]
    pub pass: Option<Blocks>,
    /// When the check fails; give this or `pass`.
    #[serde(default)]
    pub fail: Option<Blocks>,
    /// The file the check is written in, and the line of its `id:`.
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub line: usize,
}

/// One block (all tests hold) or several (any block holds).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Blocks {
    All(BTreeMap<String, Predicate>),
    Any(Vec<BTreeMap<String, Predicate>>),
}

/// A block's tests: setting name → predicate on its value.
type Block = BTreeMap<String, Predicate>;

/// A check as alerts and reports name it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckRef {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub fix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prowler: Option<String>,
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
        if self.pass.is_some() == self.fail.is_some() {
            return Err(format!(
                "check {:?}: give one of `pass` and `fail`",
                self.id
            ));
        }
        let blocks = self.blocks();
        if blocks.is_empty() || blocks.iter().any(|b| b.is_empty()) {
            return Err(format!(
                "check {:?}: each block needs at least one test",
                self.id
            ));
        }
        if self.title.trim().is_empty() || self.fix.trim().is_empty() {
            return Err(format!("check {:?}: give a title and a fix", self.id));
        }
        Ok(())
    }

    fn blocks(&self) -> Vec<&Block> {
        match self.pass.as_ref().or(self.fail.as_ref()) {
            Some(Blocks::All(block)) => vec![block],
            Some(Blocks::Any(blocks)) => blocks.iter().collect(),
            None => Vec::new(),
        }
    }

    /// How alerts and reports name the check.
    pub fn reference(&self) -> CheckRef {
        CheckRef {
            id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            fix: self.fix.clone(),
            prowler: self.prowler.clone(),
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
    /// setting's value, `None` when it was never seen); `account` is the
    /// resource's, for `foreignAccount` tests.
    pub fn state<'v>(
        &self,
        known: impl Fn(&str) -> Option<&'v Value>,
        account: Option<&str>,
    ) -> State {
        // Any of the blocks: one holding decides; all failing decides the other way.
        let mut holds = Some(false);
        for block in self.blocks() {
            match block_holds(block, &known, account) {
                Some(true) => {
                    holds = Some(true);
                    break;
                }
                None => holds = None,
                Some(false) => {}
            }
        }
        match (holds, self.fail.is_some()) {
            (None, _) => State::Unknown,
            (Some(holds), is_fail) if holds != is_fail => State::Pass,
            _ => State::Fail,
        }
    }
}

/// All of a block's tests: `Some(false)` when one fails on a known value,
/// `Some(true)` when all hold, `None` (unknown) otherwise.
fn block_holds<'v>(
    block: &Block,
    known: &impl Fn(&str) -> Option<&'v Value>,
    account: Option<&str>,
) -> Option<bool> {
    let mut answer = Some(true);
    for (key, predicate) in block {
        // `setting` or `setting.path.inside`: a test on part of a structured value.
        let (setting, path) = match known(key) {
            Some(_) => (key.as_str(), vec![key.clone()]),
            None => match key.split_once('.') {
                Some((setting, rest)) => {
                    let mut path = vec![setting.to_string()];
                    path.extend(rest.split('.').map(str::to_string));
                    (setting, path)
                }
                None => (key.as_str(), vec![key.clone()]),
            },
        };
        let Some(value) = known(setting) else {
            answer = None;
            continue;
        };
        let container = Value::Object([(setting.to_string(), value.clone())].into_iter().collect());
        if !predicate.holds(Some(&container), &path, account) {
            return Some(false);
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

/// One check's answer for one change.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub check: String,
    pub title: String,
    pub severity: Severity,
    pub fix: String,
    pub prowler: Option<String>,
    pub transition: Transition,
    /// The check's answer after the change (for `scan --posture` and metrics).
    pub after: State,
}

/// Judges `checks` (those of the resource's kind) on the settings before and after
/// one change; every check of the kind is answered, `Quiet` ones included.
pub fn assess(checks: &[CheckSpec], state: &crate::settings::ResourceState) -> Vec<Assessment> {
    let Some(resource) = &state.resource else {
        return Vec::new();
    };
    let account = Some(resource.account.as_str());
    checks
        .iter()
        .filter(|c| c.resource == resource.kind)
        .map(|c| {
            let before = c.state(|n| state.before.get(n), account);
            let after = c.state(|n| state.after.get(n), account);
            Assessment {
                check: c.id.clone(),
                title: c.title.clone(),
                severity: c.severity,
                fix: c.fix.clone(),
                prowler: c.prowler.clone(),
                transition: transition(before, after),
                after,
            }
        })
        .collect()
}
