//! Shared definitions: escalations, risks, lists, condition sets, tracked settings
//! and test values written once, under `shared:` in any file of a pack (the bundled
//! one keeps the pack-wide ones in `_shared.yaml`), and used by name below them: in
//! later files of the pack, further down the same file, and in overlays (docs/rules.md,
//! "Shared definitions").
//!
//! A name is resolved while the file that uses it is parsed, so an unknown name, a
//! definition of the wrong kind or one that uses itself is an error located at the
//! reference (`file:line:column`), like any other mistake in a rules file. A
//! definition may only use the definitions written before it, which is why they can
//! never form a cycle.

use serde::de;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

use super::cond::Cond;
use super::escalate::{EscalationSpec, RiskSpec};
use crate::settings::TrackSpec;

mod refs;
mod section;

pub(crate) use refs::{conditions, list_ref, named_list, named_opt, test_value};
pub(crate) use section::SharedSection;

/// What a shared definition is; each kind has its section under `shared:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Escalation,
    Risk,
    List,
    Conditions,
    Track,
    TestValue,
}

impl Kind {
    /// As a message names it, with its article.
    fn article(self) -> &'static str {
        match self {
            Kind::Escalation => "an escalation",
            Kind::Risk => "a risk",
            Kind::List => "a list",
            Kind::Conditions => "a set of conditions",
            Kind::Track => "a track",
            Kind::TestValue => "a test value",
        }
    }
}

/// One definition, as its section wrote it.
#[derive(Debug, Clone)]
pub(crate) enum Def {
    Escalation(EscalationSpec),
    Risk(RiskSpec),
    /// Scalars (strings, numbers, booleans), for `in`, `glob`, `iglob` and the
    /// condition keys that take a list.
    List(Vec<Value>),
    /// Condition blocks, for `unless`.
    Conditions(Vec<Cond>),
    Track(TrackSpec),
    /// Any value, for inline test records (a caller, a user agent).
    TestValue(Value),
}

impl Def {
    fn kind(&self) -> Kind {
        match self {
            Def::Escalation(_) => Kind::Escalation,
            Def::Risk(_) => Kind::Risk,
            Def::List(_) => Kind::List,
            Def::Conditions(_) => Kind::Conditions,
            Def::Track(_) => Kind::Track,
            Def::TestValue(_) => Kind::TestValue,
        }
    }
}

/// Every definition the files loaded so far wrote, by name (one namespace for all
/// kinds, so a name says one thing), with the file that wrote it.
#[derive(Debug, Default)]
pub struct Shared {
    defs: HashMap<String, (Def, String)>,
}

/// The definitions in scope while one file is parsed.
struct Scope {
    shared: Shared,
    file: String,
    /// The definition being parsed, if any: a use of its own name is a cycle.
    defining: Option<String>,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Runs `parse` (deserializing the file named `file`) with `shared` in scope; the
/// definitions the file writes are added to `shared`.
pub(crate) fn parse_with<R>(shared: &mut Shared, file: &str, parse: impl FnOnce() -> R) -> R {
    let scope = Scope {
        shared: std::mem::take(shared),
        file: file.to_string(),
        defining: None,
    };
    SCOPE.with(|s| *s.borrow_mut() = Some(scope));
    let out = parse();
    if let Some(scope) = SCOPE.with(|s| s.borrow_mut().take()) {
        *shared = scope.shared;
    }
    out
}

/// The definition `name`, which must be of kind `want`.
pub(crate) fn resolve<E: de::Error>(name: &str, want: Kind) -> Result<Def, E> {
    SCOPE.with(|s| {
        let s = s.borrow();
        let Some(scope) = s.as_ref() else {
            return Err(E::custom(format!(
                "{name:?}: shared definitions can only be used in a rules file or an overlay"
            )));
        };
        match scope.shared.defs.get(name) {
            Some((def, _)) if def.kind() == want => Ok(def.clone()),
            Some((def, file)) => Err(E::custom(format!(
                "{name:?} is {} (shared in {file}), not {}",
                def.kind().article(),
                want.article()
            ))),
            None if scope.defining.as_deref() == Some(name) => Err(E::custom(format!(
                "{name:?} uses itself: shared definitions cannot form a cycle"
            ))),
            None if scope.defining.is_some() => Err(E::custom(format!(
                "no shared definition {name:?} above this one ({} expected): a definition \
                 can only use those written before it, so definitions never form a cycle",
                want.article()
            ))),
            None => Err(E::custom(format!(
                "no shared definition {name:?} above this point ({} expected)",
                want.article()
            ))),
        }
    })
}

pub(super) fn set_defining(name: Option<String>) {
    SCOPE.with(|s| {
        if let Some(scope) = s.borrow_mut().as_mut() {
            scope.defining = name;
        }
    });
}

pub(super) fn register(name: String, def: Def) {
    SCOPE.with(|s| {
        if let Some(scope) = s.borrow_mut().as_mut() {
            let file = scope.file.clone();
            scope.shared.defs.insert(name, (def, file));
        }
    });
}

#[cfg(test)]
mod tests;
