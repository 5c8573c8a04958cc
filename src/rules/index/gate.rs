//! The exact name gate: given a record's top-level `eventSource` and `eventName`,
//! can any rule fire on it? Built from each rule's `match` tests on the two names
//! and the `unless` blocks (its own and its overlays') that test nothing else.
//!
//! Exactness: a rule fires only if its `match` holds and none of its `unless`
//! blocks (nor an overlay's) holds. `match` holding implies its source and name
//! tests hold, and an `unless` block that tests only names holds on every record
//! with those names. So when, for every rule, the names fail its tests or satisfy
//! one such `unless`, no rule can fire and parsing the record is wasted. Anything
//! else an `unless` tests (a caller, an outcome) is left to the full evaluation.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use globset::GlobMatcher;

use crate::rules::cond::Cond;
use crate::rules::pattern::{Pattern, Patterns};
use crate::rules::rule::Rule;

/// Which (eventSource, eventName) pairs some rule may fire on.
#[derive(Debug, Clone, Default)]
pub struct NameGate {
    by_source: HashMap<String, SourceGate, Fast>,
    /// Rules whose eventSource is a glob or not tested: asked for every record.
    any_source: Vec<RuleNames>,
    /// Names watched only for failed calls (a chain step counting refusals):
    /// such a record passes only if it has an `errorCode` (see `Prefilter`).
    on_failure: Option<Box<NameGate>>,
}

#[derive(Debug, Clone, Default)]
struct SourceGate {
    /// Names on which some rule with an exact name list may fire.
    names: HashSet<String, Fast>,
    /// Rules of this source whose eventName is a glob or not tested (fallbacks).
    open: Vec<RuleNames>,
}

/// One rule's tests on the two names.
#[derive(Debug, Clone)]
struct RuleNames {
    source: Option<StrSet>,
    name: Option<StrSet>,
    /// `unless` blocks testing names only: when one holds, the rule cannot fire.
    never: Vec<(Option<StrSet>, Option<StrSet>)>,
}

impl NameGate {
    /// Builds the gate of `rules` (with their overlays' `unless` blocks).
    pub fn build(rules: &[Rule]) -> Self {
        let mut gate = NameGate::default();
        for rule in rules {
            let names = RuleNames::of(rule);
            let Some(sources) = rule.cond.event_source.as_ref().and_then(|p| p.all_exact()) else {
                gate.any_source.push(names);
                continue;
            };
            let exact_names = rule.cond.event_name.as_ref().and_then(|p| p.all_exact());
            for source in sources {
                let entry = gate.by_source.entry(source.to_string()).or_default();
                match &exact_names {
                    // A finite list: decided now, name by name.
                    Some(list) => entry.names.extend(
                        list.iter()
                            .filter(|n| names.may_fire(Some(source), Some(n)))
                            .map(|n| n.to_string()),
                    ),
                    None => entry.open.push(names.clone()),
                }
            }
        }
        gate
    }

    /// Lets through the names `cond` tests (a chain step's condition: no
    /// `unless` blocks); its sources are exact.
    pub fn watch(&mut self, cond: &Cond) {
        if cond.failures_only() {
            let gate = self.on_failure.get_or_insert_with(Box::default);
            return gate.watch_names(cond);
        }
        self.watch_names(cond);
    }

    fn watch_names(&mut self, cond: &Cond) {
        let names = RuleNames {
            source: cond.event_source.as_ref().map(StrSet::of),
            name: cond.event_name.as_ref().map(StrSet::of),
            never: Vec::new(),
        };
        let Some(sources) = cond.event_source.as_ref().and_then(|p| p.all_exact()) else {
            return self.any_source.push(names);
        };
        let exact_names = cond.event_name.as_ref().and_then(|p| p.all_exact());
        for source in sources {
            let entry = self.by_source.entry(source.to_string()).or_default();
            match &exact_names {
                Some(list) => entry.names.extend(list.iter().map(|n| n.to_string())),
                None => entry.open.push(names.clone()),
            }
        }
    }

    /// Whether a watched step may hit a failed call with these names.
    pub fn may_fire_on_failure(&self, source: Option<&str>, name: Option<&str>) -> bool {
        self.on_failure
            .as_ref()
            .is_some_and(|g| g.may_fire(source, name))
    }

    /// Whether some rule may fire on a record with these top-level values
    /// (`None`: the field is missing or null).
    pub fn may_fire(&self, source: Option<&str>, name: Option<&str>) -> bool {
        if self.any_source.iter().any(|r| r.may_fire(source, name)) {
            return true;
        }
        let Some(entry) = source.and_then(|s| self.by_source.get(s)) else {
            return false;
        };
        name.is_some_and(|n| entry.names.contains(n))
            || entry.open.iter().any(|r| r.may_fire(source, name))
    }
}

impl RuleNames {
    fn of(rule: &Rule) -> Self {
        let own = rule.unless.iter();
        let tuned = rule.tuning.unless.iter().map(|(c, _)| c);
        let never = own
            .chain(tuned)
            .filter_map(|c| c.names_only())
            .map(|(s, n)| (s.map(StrSet::of), n.map(StrSet::of)))
            .collect();
        RuleNames {
            source: rule.cond.event_source.as_ref().map(StrSet::of),
            name: rule.cond.event_name.as_ref().map(StrSet::of),
            never,
        }
    }

    fn may_fire(&self, source: Option<&str>, name: Option<&str>) -> bool {
        let held = |s: &Option<StrSet>, n: &Option<StrSet>| test(s, source) && test(n, name);
        held(&self.source, &self.name) && !self.never.iter().any(|(s, n)| held(s, n))
    }
}

/// A test as `Cond` applies it: absent holds; present never holds on a missing value.
fn test(set: &Option<StrSet>, value: Option<&str>) -> bool {
    set.as_ref()
        .is_none_or(|s| value.is_some_and(|v| s.contains(v)))
}

/// A [`Patterns`] list in a form that is quick to ask: exact strings hashed, globs
/// of the form `Prefix*` (the fallback's `Describe*`, `Get*`...) as prefixes, other
/// globs as they are. Same answers as `Patterns::matches`.
#[derive(Debug, Clone, Default)]
struct StrSet {
    exact: HashSet<String, Fast>,
    prefixes: Vec<String>,
    globs: Vec<GlobMatcher>,
}

impl StrSet {
    fn of(patterns: &Patterns) -> Self {
        let mut set = StrSet::default();
        for p in &patterns.0 {
            match p {
                Pattern::Exact(e) => {
                    set.exact.insert(e.clone());
                }
                Pattern::Glob(g) => match plain_prefix(g.glob().glob()) {
                    Some(prefix) => set.prefixes.push(prefix.to_string()),
                    None => set.globs.push(g.clone()),
                },
            }
        }
        set
    }

    fn contains(&self, s: &str) -> bool {
        self.exact.contains(s)
            || self.prefixes.iter().any(|p| s.starts_with(p.as_str()))
            || self.globs.iter().any(|g| g.is_match(s))
    }
}

/// `P` for a glob `P*` whose `P` has no glob syntax (and no escapes): with
/// `literal_separator(false)`, `*` matches any rest, so `P*` is "starts with P".
fn plain_prefix(glob: &str) -> Option<&str> {
    let prefix = glob.strip_suffix('*')?;
    let special = ['*', '?', '[', ']', '{', '}', '\\'];
    (!prefix.contains(special)).then_some(prefix)
}

/// A multiply-rotate hash over 8 bytes at a time: the gate hashes two or three
/// short names per Cognito record, and SipHash (the default, built against
/// flooding) cost more than the rest of the lookup. The tables are fixed by the
/// rules, so a hostile name can at worst land among a few of their keys.
type Fast = BuildHasherDefault<WordHash>;

#[derive(Default)]
struct WordHash(u64);

impl WordHash {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHash {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in chunks.by_ref() {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests;
