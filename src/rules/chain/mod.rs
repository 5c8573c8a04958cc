//! Chain rules: the rules language's side of rules across records (the
//! evaluator is `crate::chains`). A chain rule says which records are hits of
//! which step (a rule that fired on them, a condition, or both), the fields that
//! group them, and what its alert says. Written in a rules file's or an
//! overlay's `chains:` list; docs/rules.md, "Chains".

mod cases;
mod compile;
mod field;
mod hit;
mod model;
mod set;

use crate::chains::Chain;
use crate::rules::cond::Cond;
use crate::rules::pattern::Patterns;
use crate::Severity;

pub(crate) use compile::compile_chains;
pub use field::Field;
pub use hit::{detail, ChainHit};
pub use model::{ChainExpect, ChainRuleSpec, ChainTestSpec};

/// One compiled chain rule.
#[derive(Debug)]
pub struct ChainRule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub runbook: Option<String>,
    /// Sentences its alert carries.
    pub risks: Vec<String>,
    /// The file it is written in, and the line of its `id:`.
    pub file: String,
    pub line: usize,
    /// What the evaluator runs.
    pub chain: Chain,
    /// `threshold` or `sequence`.
    pub kind: &'static str,
    pub tests: Vec<ChainTestSpec>,
    pub(crate) by: Vec<Field>,
    pub(crate) distinct: Vec<Field>,
    /// By step index (`Chain::step_names`): which records are that step's hits;
    /// for `all`, its steps in order (each a hit of the threshold's one step).
    pub(crate) steps: Vec<StepMatch>,
    /// `all` only: its steps' names, the values the threshold counts.
    pub(crate) step_names: Vec<String>,
    /// An overlay's `severity` for it.
    pub(crate) severity_override: Option<Severity>,
}

/// Which records are hits of one step: both tests must hold when both are given.
#[derive(Debug)]
pub(crate) struct StepMatch {
    /// Some rule whose id matches fired on the record (suppressed or not).
    pub rule: Option<Patterns>,
    /// The record (with the winning rule's tracked-setting changes) satisfies
    /// one of these.
    pub cond: Option<Vec<Cond>>,
}

impl ChainRule {
    /// The step conditions that stand alone (no `rule:`): the records they need
    /// must get past the prefilter even when no rule names them.
    pub(crate) fn standalone_conds(&self) -> impl Iterator<Item = &Cond> {
        self.steps
            .iter()
            .filter(|s| s.rule.is_none())
            .filter_map(|s| s.cond.as_ref())
            .flatten()
    }

    /// The severity its alerts carry: an overlay's override, else its own.
    pub fn tuned_severity(&self) -> Severity {
        self.severity_override.unwrap_or(self.severity)
    }

    /// An `all` chain's steps, by name (empty for the other kinds).
    pub fn all_steps(&self) -> &[String] {
        &self.step_names
    }

    /// The names of `by`, for messages and the alert.
    pub fn by_names(&self) -> &[String] {
        self.chain.by()
    }
}

#[cfg(test)]
mod tests;
