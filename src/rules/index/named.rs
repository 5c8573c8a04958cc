//! The operations a set's specific rules name: where its fallback rules are never
//! tried.

use std::collections::{HashMap, HashSet};

use crate::rules::pattern::Patterns;
use crate::rules::rule::Rule;

/// Every (eventSource, eventName) test of the set's non-fallback rules that test a
/// name, kept when an overlay later disables the rule or adds an `unless`.
///
/// Why kept: a fallback is the net for operations this version does not know. An
/// operation some rule names is known, so tuning that rule (disabling it, or an
/// `unless` that covers a record) must leave its records quiet, not hand them to
/// the fallback as "unknown".
#[derive(Debug, Default)]
pub struct Named {
    /// Exact names by exact source: the pack's rules, two hash lookups.
    exact: HashMap<String, HashSet<String>>,
    /// A glob or untested source, or a glob name (overlays' rules, mostly).
    open: Vec<(Option<Patterns>, Patterns)>,
}

impl Named {
    /// Adds the names tested by `rules` (fallback rules and rules that test no name
    /// name nothing).
    pub fn add(&mut self, rules: &[Rule]) {
        for rule in rules.iter().filter(|r| !r.fallback) {
            let Some(names) = &rule.cond.event_name else {
                continue;
            };
            let sources = rule.cond.event_source.as_ref();
            match (sources.and_then(|s| s.all_exact()), names.all_exact()) {
                (Some(sources), Some(names)) => {
                    for source in sources {
                        let known = self.exact.entry(source.to_string()).or_default();
                        known.extend(names.iter().map(|n| n.to_string()));
                    }
                }
                _ => self.open.push((sources.cloned(), names.clone())),
            }
        }
    }

    /// Whether some specific rule names this operation.
    pub fn contains(&self, source: Option<&str>, name: Option<&str>) -> bool {
        let Some(name) = name else { return false };
        let source_holds = |s: &Option<Patterns>| {
            s.as_ref()
                .is_none_or(|p| source.is_some_and(|v| p.matches(v)))
        };
        let exact = source.and_then(|s| self.exact.get(s));
        exact.is_some_and(|names| names.contains(name))
            || self
                .open
                .iter()
                .any(|(s, n)| n.matches(name) && source_holds(s))
    }
}
