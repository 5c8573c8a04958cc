//! Shared definitions: escalations, risks, lists, condition sets, tracked settings
//! and test values written once, under `shared:` in any file of a pack (the bundled
//! one keeps the pack-wide ones in `_shared.yaml`), and used by name below them: in
//! later files of the pack, further down the same file, and in overlays (README,
//! "Shared definitions").
//!
//! A name is resolved while the file that uses it is parsed, so an unknown name, a
//! definition of the wrong kind or one that uses itself is an error located at the
//! reference (`file:line:column`), like any other mistake in a rules file. A
//! definition may only use the definitions written before it, which is why they can
//! never form a cycle.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::cond::Cond;
use super::model::{EscalationSpec, RiskSpec};
use crate::settings::TrackSpec;

mod refs;

pub(crate) use refs::{conditions, list_ref, named_list, named_opt, test_value, TestValue};

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

fn set_defining(name: Option<String>) {
    SCOPE.with(|s| {
        if let Some(scope) = s.borrow_mut().as_mut() {
            scope.defining = name;
        }
    });
}

fn register(name: String, def: Def) {
    SCOPE.with(|s| {
        if let Some(scope) = s.borrow_mut().as_mut() {
            let file = scope.file.clone();
            scope.shared.defs.insert(name, (def, file));
        }
    });
}

/// `shared:` as written: one map (name → definition) per kind. Parsing it adds
/// the definitions to the scope, in the order written.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // the sections are markers: parsing them is what counts
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct SharedSection {
    #[serde(default)]
    escalations: Defs<EscalationSpec>,
    #[serde(default)]
    risks: Defs<RiskSpec>,
    #[serde(default)]
    lists: Defs<ListDef>,
    #[serde(default)]
    conditions: Defs<CondsDef>,
    #[serde(default)]
    tracks: Defs<TrackSpec>,
    #[serde(default)]
    test_values: Defs<TestValue>,
}

/// A value that can be defined under `shared:`.
trait Definable {
    fn into_def(self) -> Def;
}

impl Definable for EscalationSpec {
    fn into_def(self) -> Def {
        Def::Escalation(self)
    }
}

impl Definable for RiskSpec {
    fn into_def(self) -> Def {
        Def::Risk(self)
    }
}

impl Definable for TrackSpec {
    fn into_def(self) -> Def {
        Def::Track(self)
    }
}

impl Definable for TestValue {
    fn into_def(self) -> Def {
        Def::TestValue(self.0)
    }
}

/// A list definition: a non-empty sequence of scalars.
#[derive(Debug)]
struct ListDef(Vec<Value>);

impl<'de> Deserialize<'de> for ListDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items = Vec::<Value>::deserialize(d)?;
        if items.is_empty() {
            return Err(de::Error::custom("empty list: give at least one value"));
        }
        if items
            .iter()
            .any(|v| v.is_array() || v.is_object() || v.is_null())
        {
            return Err(de::Error::custom(
                "a list holds strings, numbers or booleans",
            ));
        }
        Ok(ListDef(items))
    }
}

impl Definable for ListDef {
    fn into_def(self) -> Def {
        Def::List(self.0)
    }
}

/// A set of conditions: condition blocks (or the names of other sets) for `unless`.
#[derive(Debug)]
struct CondsDef(Vec<Cond>);

impl<'de> Deserialize<'de> for CondsDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        conditions(d).map(CondsDef)
    }
}

impl Definable for CondsDef {
    fn into_def(self) -> Def {
        Def::Conditions(self.0)
    }
}

/// One section: its entries are parsed and added to the scope one by one, so each
/// may use the ones above it.
#[derive(Debug)]
struct Defs<T>(PhantomData<T>);

impl<T> Default for Defs<T> {
    fn default() -> Self {
        Defs(PhantomData)
    }
}

impl<'de, T: Definable + Deserialize<'de>> Deserialize<'de> for Defs<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(DefsVisitor(PhantomData))
    }
}

struct DefsVisitor<T>(PhantomData<T>);

impl<'de, T: Definable + Deserialize<'de>> Visitor<'de> for DefsVisitor<T> {
    type Value = Defs<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of names to definitions")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Defs<T>, A::Error> {
        while let Some(name) = map.next_key_seed(NewName)? {
            set_defining(Some(name.clone()));
            let value: T = map.next_value()?;
            set_defining(None);
            register(name, value.into_def());
        }
        Ok(Defs(PhantomData))
    }
}

/// The name of a new definition: well formed and not taken.
struct NewName;

impl<'de> DeserializeSeed<'de> for NewName {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let name = String::deserialize(d)?;
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !ok {
            return Err(de::Error::custom(format!(
                "shared name {name:?}: 1-64 characters of A-Z a-z 0-9 . _ -"
            )));
        }
        SCOPE.with(|s| match s.borrow().as_ref() {
            Some(scope) => match scope.shared.defs.get(&name) {
                Some((def, file)) => Err(de::Error::custom(format!(
                    "{name:?} is already shared ({} in {file}): one name, one definition",
                    def.kind().article()
                ))),
                None => Ok(name),
            },
            None => Ok(name),
        })
    }
}

#[cfg(test)]
mod tests;
