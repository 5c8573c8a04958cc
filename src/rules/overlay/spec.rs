//! The `routes:` and `accounts:` sections of an overlay as written (serde,
//! structural errors with line and column); checked in `routes` and `accounts`.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::routes::SeverityMatch;
use crate::rules::pattern::{Patterns, StringLike};
use crate::Severity;

/// One route as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RouteSpec {
    pub name: String,
    pub tag: Option<String>,
    pub severity: Option<SeveritySpec>,
    pub rules: Option<Patterns>,
    pub accounts: Option<Patterns>,
    pub regions: Option<Patterns>,
    pub resources: Option<Patterns>,
    pub topics: Vec<String>,
    #[serde(default)]
    pub only: bool,
    #[serde(default)]
    pub stop: bool,
}

/// `severity: high` (a minimum) or `severity: [low, medium]` (exactly those).
#[derive(Debug)]
pub(super) struct SeveritySpec(pub SeverityMatch);

impl<'de> Deserialize<'de> for SeveritySpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SeveritySpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a severity (the minimum) or a list of severities")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SeveritySpec, E> {
                let s: Severity = v.parse().map_err(|e| E::custom(format!("{e}")))?;
                Ok(SeveritySpec(SeverityMatch::AtLeast(s)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SeveritySpec, A::Error> {
                let mut list = Vec::new();
                while let Some(s) = seq.next_element::<Severity>()? {
                    list.push(s);
                }
                if list.is_empty() {
                    return Err(de::Error::custom("empty list: give at least one severity"));
                }
                Ok(SeveritySpec(SeverityMatch::AnyOf(list)))
            }
        }
        d.deserialize_any(V)
    }
}

/// `accounts:` as written: (id, name) in file order. Ids may be unquoted numbers.
#[derive(Debug, Default)]
pub(super) struct AccountsSpec(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for AccountsSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AccountsSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of account ids to names")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AccountsSpec, A::Error> {
                let mut out = Vec::new();
                while let Some(id) = map.next_key::<StringLike>()? {
                    out.push((id.0, map.next_value::<String>()?));
                }
                Ok(AccountsSpec(out))
            }
        }
        d.deserialize_map(V)
    }
}
