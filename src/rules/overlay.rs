//! Overlays: YAML files applied in order on top of a pack (the bundled one or
//! `--rules PATH`) to tune it without copying it. The format is in docs/rules.md
//! ("Overlays"); every problem is an error with file:line:column.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::chain::{compile_chains, ChainRuleSpec};
use super::compile::{compile_checks, compile_rules, find_line, yaml_error, RulesError};
use super::cond::Cond;
use super::date::Date;
use super::model::{RuleSpec, TestSpec};
use super::pattern::Patterns;
use super::place::Place;
use super::posture::{Blocks, CheckSpec};
use super::set::RuleSet;
use super::shared::{self, SharedSection};
use super::tuning::DeployerEffect;
use crate::Severity;

/// An overlay file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlayFile {
    #[serde(default = "one")]
    version: u32,
    /// Free-form YAML, ignored: a place for `&anchors`.
    #[serde(default)]
    #[allow(dead_code)] // only holds anchors; aliases are resolved while parsing
    definitions: Option<serde::de::IgnoredAny>,
    /// Named definitions, added to the set's (see `shared`).
    #[serde(default)]
    #[allow(dead_code)] // parsed for its effect on the table
    shared: Option<SharedSection>,
    #[serde(default)]
    overrides: Vec<OverrideSpec>,
    #[serde(default)]
    suppressions: Vec<SuppressionSpec>,
    #[serde(default)]
    deployers: Vec<DeployerSpec>,
    #[serde(default)]
    rules: Vec<RuleSpec>,
    /// Chain rules added to the set's.
    #[serde(default)]
    chains: Vec<ChainRuleSpec>,
    /// Posture checks added to the set's.
    #[serde(default)]
    checks: Vec<CheckSpec>,
    #[serde(default)]
    tests: Vec<TestSpec>,
    /// Routes of notices to SNS topics (`crate::routes`).
    #[serde(default)]
    routes: Vec<spec::RouteSpec>,
    /// Account names: id → name.
    #[serde(default)]
    accounts: spec::AccountsSpec,
}

fn one() -> u32 {
    1
}

/// A change to one rule of the set the overlay is applied to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideSpec {
    /// The rule changed; or `check`, the posture check changed.
    #[serde(default)]
    rule: String,
    #[serde(default)]
    check: Option<String>,
    severity: Option<Severity>,
    enabled: Option<bool>,
    #[serde(default, deserialize_with = "shared::conditions")]
    unless: Vec<Cond>,
    /// Checks only: a new `pass` (or `fail`) in place of the check's, e.g. another
    /// threshold.
    #[serde(default)]
    pass: Option<Blocks>,
    #[serde(default)]
    fail: Option<Blocks>,
    /// Threshold chains only: another `gte` (a pool that onboards in bulk).
    gte: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressionSpec {
    id: String,
    #[serde(rename = "match")]
    matches: Cond,
    rules: Option<Patterns>,
    reason: String,
    owner: String,
    expires: Date,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeployerSpec {
    name: String,
    when: Cond,
    #[serde(default)]
    effect: DeployerEffect,
    rules: Option<Patterns>,
}

/// An overlay read, not yet applied: it is parsed when applied, with the shared
/// definitions of the set it is applied to in scope (checks that need that set,
/// such as an override naming a rule, happen there too: [`RuleSet::with_overlays`]).
#[derive(Debug)]
pub struct Overlay {
    name: String,
    text: String,
}

impl Overlay {
    /// Reads an overlay file.
    pub fn load(path: &Path) -> Result<Overlay, RulesError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Read {
            file: name.clone(),
            source,
        })?;
        Overlay::from_yaml(&text, &name)
    }

    /// Overlay text; `name` is used in error messages.
    pub fn from_yaml(text: &str, name: &str) -> Result<Overlay, RulesError> {
        Ok(Overlay {
            name: name.to_string(),
            text: text.to_string(),
        })
    }

    /// Parses the overlay with `shared` in scope; its own definitions join it.
    fn parse(&self, shared: &mut shared::Shared) -> Result<OverlayFile, RulesError> {
        let parsed = shared::parse_with(shared, &self.name, || serde_yaml_ng::from_str(&self.text));
        let file: OverlayFile = parsed.map_err(|e| yaml_error(&self.name, &e))?;
        if file.version != 1 {
            let at = find_line(&self.text, "version:", None, 1).unwrap_or((1, 1));
            let message = format!("unsupported version {}: expected 1", file.version);
            return Err(invalid(&self.name, at, message));
        }
        Ok(file)
    }

    /// Where the overlay came from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Line and column of the `nth` (1-based) `key: value` line.
    fn at(&self, key: &str, value: &str, nth: usize) -> (usize, usize) {
        find_line(&self.text, key, Some(value), nth).unwrap_or((1, 1))
    }

    fn place(&self, at: (usize, usize)) -> Place {
        Place {
            file: self.name.clone(),
            line: at.0,
        }
    }
}

fn invalid(file: &str, (line, column): (usize, usize), message: String) -> RulesError {
    RulesError::Invalid {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// Counts occurrences, so the nth item with the same key finds the nth line.
#[derive(Default)]
struct Nth(std::collections::HashMap<String, usize>);

impl Nth {
    fn next(&mut self, key: &str, value: &str) -> usize {
        let n = self.0.entry(format!("{key}{value}")).or_default();
        *n += 1;
        *n
    }
}

impl RuleSet {
    /// Applies `overlays` in order and judges suppressions on `today`. Each
    /// overlay's overrides change the rules loaded before it (the pack and earlier
    /// overlays); then its own rules are added. Deployers cover the final set.
    pub fn with_overlays(
        mut self,
        overlays: Vec<Overlay>,
        today: Date,
    ) -> Result<RuleSet, RulesError> {
        for overlay in overlays {
            self.apply(overlay, today)?;
        }
        let deployers = self.tuning.deployers.clone();
        for rule in &mut self.rules {
            let covering = deployers.iter().filter(|d| d.covers(&rule.id));
            rule.tuning.deployers = covering.cloned().collect();
        }
        self.reindex();
        self.tuning.set_today(today);
        Ok(self)
    }

    fn apply(&mut self, overlay: Overlay, today: Date) -> Result<(), RulesError> {
        let mut file = overlay.parse(&mut self.shared)?;
        let mut nth = Nth::default();
        for spec in std::mem::take(&mut file.overrides) {
            self.override_rule(&overlay, spec, &mut nth)?;
        }
        let mut seen: HashSet<String> = self.rules.iter().map(|r| r.id.clone()).collect();
        let specs = std::mem::take(&mut file.rules);
        for spec in &specs {
            nth.next("id:", &spec.id);
        }
        let mut added = compile_rules(specs, &overlay.text, &overlay.name, &mut seen)?;
        for rule in &mut added {
            rule.tuning.file = Some(overlay.name.clone());
        }
        self.named.add(&added);
        self.rules.extend(added);
        let checks = compile_checks(
            std::mem::take(&mut file.checks),
            &overlay.text,
            &overlay.name,
            &mut seen,
        )?;
        for check in &checks {
            self.check_reads_tracked(check)?;
        }
        self.checks.extend(checks);
        let chains = compile_chains(
            std::mem::take(&mut file.chains),
            &overlay.text,
            &overlay.name,
            &mut seen,
        )?;
        self.chains.extend(chains);
        self.check_chain_refs()?;
        for spec in std::mem::take(&mut file.suppressions) {
            self.add_suppression(&overlay, spec, today, &mut nth)?;
        }
        for spec in std::mem::take(&mut file.deployers) {
            self.add_deployer(&overlay, spec, &mut nth)?;
        }
        for spec in std::mem::take(&mut file.routes) {
            self.add_route(&overlay, spec, &mut nth)?;
        }
        self.add_accounts(&overlay, std::mem::take(&mut file.accounts))?;
        for test in std::mem::take(&mut file.tests) {
            let at = overlay.at("name:", &test.name, nth.next("name:", &test.name));
            if !test.record.is_object() {
                let message = format!("test {:?}: record must be a mapping", test.name);
                return Err(invalid(&overlay.name, at, message));
            }
            self.tuning.tests.push((test, overlay.place(at)));
        }
        self.tuning.overlays.push(overlay.name);
        Ok(())
    }
}

mod accounts;
mod checks;
mod entries;
mod overrides;
mod routes;
mod spec;

#[cfg(test)]
mod tests;
