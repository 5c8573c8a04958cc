//! `shared:` as written: one section per kind, each a map of names to
//! definitions, added to the scope one by one as they are parsed.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::refs::{conditions, TestValue};
use super::{register, set_defining, Def, Kind, SCOPE};
use crate::rules::cond::Cond;
use crate::rules::escalate::{EscalationSpec, RiskSpec};
use crate::settings::TrackSpec;

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
        Def::new(Kind::Escalation, self)
    }
}

impl Definable for RiskSpec {
    fn into_def(self) -> Def {
        Def::new(Kind::Risk, self)
    }
}

impl Definable for TrackSpec {
    fn into_def(self) -> Def {
        Def::new(Kind::Track, self)
    }
}

impl Definable for TestValue {
    fn into_def(self) -> Def {
        Def::new(Kind::TestValue, self.0)
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
        Def::new(Kind::List, self.0)
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
        Def::new(Kind::Conditions, self.0)
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
