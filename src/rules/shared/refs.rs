//! References to shared definitions, where a rule (or an overlay) uses them:
//!
//! - a whole block by its bare name, where the inline form is a mapping:
//!   `escalate: [root-caller, {...}]`, `risks: [foreign-account-note]`,
//!   `track: user-pool`, `unless: end-users` or `unless: [end-users, {...}]`;
//! - a value by `{ $ref: NAME }`, where a name alone would read as data: a list in a
//!   predicate (`in`, `glob`, `iglob`) or a condition key that takes a list
//!   (`principalArn: { $ref: deploy-roles }`), and any value in a test record
//!   (`userIdentity: { $ref: sso-admin }`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use super::{ref_name, resolve, Def, Kind, REF};
use crate::rules::cond::Cond;
use crate::rules::escalate::{EscalationSpec, RiskSpec};
use crate::settings::TrackSpec;

/// A block that may be written inline or named.
pub(crate) trait Named: Sized {
    const KIND: Kind;
    fn from_def(def: Def) -> Option<Self>;
}

impl Named for EscalationSpec {
    const KIND: Kind = Kind::Escalation;
    fn from_def(def: Def) -> Option<Self> {
        def.take()
    }
}

impl Named for RiskSpec {
    const KIND: Kind = Kind::Risk;
    fn from_def(def: Def) -> Option<Self> {
        def.take()
    }
}

impl Named for TrackSpec {
    const KIND: Kind = Kind::Track;
    fn from_def(def: Def) -> Option<Self> {
        def.take()
    }
}

fn named<T: Named, E: de::Error>(name: &str) -> Result<T, E> {
    T::from_def(resolve(name, T::KIND)?).ok_or_else(|| E::custom("wrong kind"))
}

/// A block written inline (a mapping) or by name (a string).
struct NamedOr<T>(T);

impl<'de, T: Named + Deserialize<'de>> Deserialize<'de> for NamedOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Named + Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = NamedOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping, or the name of a shared definition")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<NamedOr<T>, E> {
                named(name).map(NamedOr)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NamedOr<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(NamedOr)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// `escalate:` and `risks:`: a list of blocks, each inline or named.
pub(crate) fn named_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Named + Deserialize<'de>,
{
    let items = Vec::<NamedOr<T>>::deserialize(d)?;
    Ok(items.into_iter().map(|n| n.0).collect())
}

/// `track:`: a block inline or named.
pub(crate) fn named_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Named + Deserialize<'de>,
{
    Ok(Option::<NamedOr<T>>::deserialize(d)?.map(|n| n.0))
}

/// `unless:`: a list of condition blocks, each inline or the name of a set of
/// conditions (its blocks take its place); or one such name alone.
pub(crate) fn conditions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cond>, D::Error> {
    struct Item(Vec<Cond>);
    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Conds).map(Item)
        }
    }
    struct Conds;
    impl<'de> Visitor<'de> for Conds {
        type Value = Vec<Cond>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of condition blocks, or the name of a set of conditions")
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<Vec<Cond>, E> {
            resolve(name, Kind::Conditions)?
                .take()
                .ok_or_else(|| E::custom("wrong kind"))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<Cond>, A::Error> {
            Cond::deserialize(MapAccessDeserializer::new(map)).map(|c| vec![c])
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Cond>, A::Error> {
            let mut out = Vec::new();
            while let Some(Item(conds)) = seq.next_element()? {
                out.extend(conds);
            }
            Ok(out)
        }
    }
    d.deserialize_any(Conds)
}

/// A value of a test record: any YAML value, where a mapping `{ $ref: NAME }` is
/// replaced by the shared test value `NAME`.
#[derive(Debug)]
pub(crate) struct TestValue(pub Value);

/// `record:` of an inline test case.
pub(crate) fn test_value<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    TestValue::deserialize(d).map(|v| v.0)
}

impl<'de> Deserialize<'de> for TestValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TestValueVisitor).map(TestValue)
    }
}

/// Builds a `serde_json::Value` as its own `Deserialize` does, but for `$ref`.
struct TestValueVisitor;

impl<'de> Visitor<'de> for TestValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(TestValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Value::Object(out));
        };
        if first == REF {
            let name = ref_name(&first, &mut map)?;
            return resolve(&name, Kind::TestValue)?
                .take()
                .ok_or_else(|| de::Error::custom("wrong kind"));
        }
        let TestValue(v) = map.next_value()?;
        out.insert(first, v);
        while let Some((k, TestValue(v))) = map.next_entry::<String, TestValue>()? {
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}
