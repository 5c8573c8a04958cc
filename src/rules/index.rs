//! Finds the few rules that can match a record without trying every rule, and
//! the records worth parsing at all without parsing them.

use std::collections::HashMap;

mod gate;
mod named;
mod prefilter;

use super::cond::Cond;
use super::rule::Rule;
use gate::NameGate;
pub use named::Named;
pub use prefilter::Prefilter;

/// Rule positions by exact eventSource, then exact eventName.
#[derive(Debug, Default)]
pub struct Index {
    by_source: HashMap<String, SourceIndex>,
    /// Rules whose eventSource is a glob or not constrained: tried for every record.
    any_source: Vec<usize>,
    /// Which source and name pairs some rule may fire on, for the prefilter.
    gate: NameGate,
}

#[derive(Debug, Default)]
struct SourceIndex {
    by_name: HashMap<String, Vec<usize>>,
    /// Rules of this source whose eventName is a glob or not constrained.
    any_name: Vec<usize>,
}

impl Index {
    /// Indexes `rules` by their `match` block.
    pub fn build(rules: &[Rule]) -> Self {
        let mut index = Index::default();
        for (i, rule) in rules.iter().enumerate() {
            let sources = rule.cond.event_source.as_ref().and_then(|p| p.all_exact());
            let Some(sources) = sources else {
                index.any_source.push(i);
                continue;
            };
            let names = rule.cond.event_name.as_ref().and_then(|p| p.all_exact());
            for source in sources {
                let entry = index.by_source.entry(source.to_string()).or_default();
                match &names {
                    Some(names) => {
                        for name in names {
                            entry.by_name.entry(name.to_string()).or_default().push(i);
                        }
                    }
                    None => entry.any_name.push(i),
                }
            }
        }
        index.gate = NameGate::build(rules);
        index
    }

    /// Lets the records `cond` accepts through the prefilter although no rule
    /// names them (a chain step's own condition); `cond` names its sources
    /// exactly (checked when the chain is compiled).
    pub fn watch(&mut self, cond: &Cond) {
        let Some(sources) = cond.event_source.as_ref().and_then(|p| p.all_exact()) else {
            return;
        };
        for source in &sources {
            self.by_source.entry(source.to_string()).or_default();
        }
        self.gate.watch(cond);
    }

    /// Positions of the rules that may match, in file order.
    pub fn candidates(&self, source: Option<&str>, name: Option<&str>) -> Vec<usize> {
        let mut out = self.any_source.clone();
        if let Some(entry) = source.and_then(|s| self.by_source.get(s)) {
            out.extend_from_slice(&entry.any_name);
            if let Some(list) = name.and_then(|n| entry.by_name.get(n)) {
                out.extend_from_slice(list);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The exact prefilter of these rules (see [`Prefilter`]): always built; when
    /// some rule accepts any source, its first stage lets every record through.
    pub fn prefilter(&self) -> Option<Prefilter> {
        let sources = self
            .any_source
            .is_empty()
            .then(|| self.by_source.keys().map(String::as_str).collect());
        Some(Prefilter::new(sources, self.gate.clone()))
    }
}

#[cfg(test)]
mod tests;
