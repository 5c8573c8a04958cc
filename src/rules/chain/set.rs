//! A rule set's chain rules: adding them, checking what their steps name, and
//! keeping the prefilter open for the records their own conditions need.

use super::ChainRule;
use crate::rules::compile::RulesError;
use crate::rules::{index, Place, RuleSet};
use crate::Severity;

impl RuleSet {
    /// The chain rules, in load order.
    pub fn chains(&self) -> &[ChainRule] {
        &self.chains
    }

    /// Adds chain rules: each step's `rule:` must name some rule of the set and
    /// no chain (a step refers to single-record rules only, so chains cannot
    /// form cycles).
    pub(crate) fn with_chains(mut self, chains: Vec<ChainRule>) -> Result<RuleSet, RulesError> {
        self.chains.extend(chains);
        self.check_chain_refs()?;
        self.reindex();
        Ok(self)
    }

    /// Checks every chain's `rule:` references against the set as it is now.
    pub(crate) fn check_chain_refs(&self) -> Result<(), RulesError> {
        for chain in &self.chains {
            let names = chain.chain.step_names();
            for (step, name) in chain.steps.iter().zip(names) {
                let Some(patterns) = &step.rule else { continue };
                let invalid = |message: String| RulesError::Invalid {
                    file: chain.file.clone(),
                    line: chain.line,
                    column: 1,
                    message: format!("chain {:?}: step {name}: {message}", chain.id),
                };
                if let Some(c) = self.chains.iter().find(|c| patterns.matches(&c.id)) {
                    return Err(invalid(format!(
                        "rule names chain {:?}: steps refer to single-record rules only, \
                         so chains cannot form cycles",
                        c.id
                    )));
                }
                let known = self.rules.iter().any(|r| patterns.matches(&r.id))
                    || self.disabled().iter().any(|(id, _)| patterns.matches(id));
                if !known {
                    return Err(invalid("rule names no rule of the set".into()));
                }
            }
        }
        Ok(())
    }

    /// An overlay's override of chain `id`: `enabled: false` removes it (listed
    /// with the rules an overlay disabled), `severity` replaces its own, `gte` a
    /// threshold's count.
    pub(crate) fn override_chain(
        &mut self,
        id: &str,
        severity: Option<Severity>,
        enabled: Option<bool>,
        gte: Option<u32>,
        place: Place,
    ) -> Result<(), String> {
        let Some(pos) = self.chains.iter().position(|c| c.id == id) else {
            return Err("names no chain of the set".into());
        };
        if severity.is_none() && enabled.is_none() && gte.is_none() {
            return Err("changes nothing (give severity, enabled or gte)".into());
        }
        if enabled == Some(false) {
            let chain = self.chains.remove(pos);
            self.tuning.disabled.push((chain.id, place));
            return Ok(());
        }
        let chain = &mut self.chains[pos];
        if let Some(n) = gte {
            if chain.kind != "threshold" {
                return Err(format!(
                    "`gte` belongs to threshold chains; this one is {}",
                    chain.kind
                ));
            }
            chain.chain = chain.chain.with_gte(n)?;
        }
        chain.severity_override = severity.or(chain.severity_override);
        Ok(())
    }

    /// Rebuilds the index and the prefilter from the rules and the chains' own
    /// step conditions.
    pub(crate) fn reindex(&mut self) {
        let mut index = index::Index::build(&self.rules);
        for cond in self.chains.iter().flat_map(ChainRule::standalone_conds) {
            index.watch(cond);
        }
        self.prefilter = index.prefilter();
        self.index = index;
    }
}
