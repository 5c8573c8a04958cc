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

use serde::de::{self, MapAccess};
use serde_json::Value;
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// The key of a reference to a shared value: `{ $ref: NAME }`.
pub(crate) const REF: &str = "$ref";

mod refs;
mod section;

pub(crate) use refs::{conditions, named_list, named_opt, test_value};
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

/// One definition, as its section wrote it: an `EscalationSpec`, a `RiskSpec`, a
/// list (`Vec<Value>`: scalars for `in`, `glob`, `iglob` and the condition keys
/// that take a list), condition blocks (`Vec<Cond>`, for `unless`), a `TrackSpec`,
/// or a test value (`Value`).
///
/// Why type-erased: conditions use lists by name while they are parsed, so a
/// registry holding `Cond` would import what imports it. The kind is checked
/// before the value is taken.
#[derive(Clone)]
pub(crate) struct Def {
    kind: Kind,
    value: Arc<dyn Any + Send + Sync>,
}

impl Def {
    /// A definition of `kind` holding `value`.
    pub(crate) fn new<T: Any + Send + Sync>(kind: Kind, value: T) -> Def {
        Def {
            kind,
            value: Arc::new(value),
        }
    }

    fn kind(&self) -> Kind {
        self.kind
    }

    /// The value, when it is a `T`.
    pub(crate) fn take<T: Any + Clone>(&self) -> Option<T> {
        self.value.downcast_ref::<T>().cloned()
    }
}

impl std::fmt::Debug for Def {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Def({})", self.kind.article())
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

/// The rest of `{ $ref: NAME }` whose first key was just read: the list `NAME`.
pub(crate) fn list_ref<'de, A: MapAccess<'de>>(
    first_key: &str,
    mut map: A,
) -> Result<Vec<Value>, A::Error> {
    let name = ref_name(first_key, &mut map)?;
    resolve(&name, Kind::List)?
        .take::<Vec<Value>>()
        .ok_or_else(|| de::Error::custom("wrong kind"))
}

pub(crate) fn ref_name<'de, A: MapAccess<'de>>(
    first_key: &str,
    map: &mut A,
) -> Result<String, A::Error> {
    if first_key != REF {
        return Err(de::Error::custom(format!(
            "unexpected mapping (key {first_key:?}): a list here is written inline or as {{ $ref: NAME }}"
        )));
    }
    let name: String = map.next_value()?;
    if let Some(other) = map.next_key::<String>()? {
        return Err(de::Error::custom(format!(
            "`$ref` stands alone: unexpected key {other:?} beside it"
        )));
    }
    Ok(name)
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
