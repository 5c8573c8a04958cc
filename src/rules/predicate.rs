//! Predicates on fields of `requestParameters` / `responseElements`.
//!
//! A field is a dotted path (`userPoolAddOns.advancedSecurityMode`); `*` stands for any
//! key (`roleMappings.*.type`). A path that goes through an array looks at every
//! element, a value test on a list looks at the list and at each element, and a
//! predicate holds when it holds for any value found ("any" semantics).
//!
//! `foreignAccount: true` holds when some ARN at or below the field names an AWS
//! account other than the record's: a Lambda trigger, role or KMS key in another
//! account hands part of the pool's security to whoever owns that account.

use serde::Deserialize;
use serde_json::Value;

use super::pattern::{NoCasePatterns, Patterns};

/// Predicate as written in YAML. Several operators in one predicate must all hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PredicateSpec {
    equals: Option<Value>,
    #[serde(rename = "in")]
    one_of: Option<ValueList>,
    exists: Option<bool>,
    absent: Option<bool>,
    contains: Option<Value>,
    glob: Option<Patterns>,
    iglob: Option<NoCasePatterns>,
    above: Option<f64>,
    below: Option<f64>,
    foreign_account: Option<bool>,
}

/// The values of `in`: a list written inline, or `{ $ref: NAME }` for a shared list.
#[derive(Debug)]
struct ValueList(Vec<Value>);

impl<'de> Deserialize<'de> for ValueList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ValueList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of values, or { $ref: NAME }")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ValueList, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<Value>()? {
                    out.push(v);
                }
                Ok(ValueList(out))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ValueList, A::Error> {
                let first: Option<String> = map.next_key()?;
                let first = first.unwrap_or_default();
                super::shared::list_ref(&first, map).map(ValueList)
            }
        }
        d.deserialize_any(V)
    }
}

/// A compiled predicate on one field.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "PredicateSpec")]
pub struct Predicate {
    equals: Option<Value>,
    one_of: Option<Vec<Value>>,
    /// `Some(true)`: present and not null; `Some(false)`: missing or null.
    exists: Option<bool>,
    contains: Option<Value>,
    glob: Option<Patterns>,
    /// Glob that ignores letter case.
    iglob: Option<Patterns>,
    /// Numeric bounds (exclusive); strings holding numbers count too.
    above: Option<f64>,
    below: Option<f64>,
    /// Some ARN at or below the field names another account than the record's.
    foreign_account: bool,
}

impl TryFrom<PredicateSpec> for Predicate {
    type Error = String;

    fn try_from(s: PredicateSpec) -> Result<Self, String> {
        let exists = match (s.exists, s.absent) {
            (Some(e), Some(a)) if e == a => {
                return Err("`exists` and `absent` contradict each other".into())
            }
            (e, a) => e.or(a.map(|a| !a)),
        };
        if s.foreign_account == Some(false) {
            return Err("`foreignAccount` can only be `true`".into());
        }
        let value_test = s.equals.is_some()
            || s.one_of.is_some()
            || s.contains.is_some()
            || s.glob.is_some()
            || s.iglob.is_some()
            || s.above.is_some()
            || s.below.is_some()
            || s.foreign_account.is_some();
        if !value_test && exists.is_none() {
            return Err(
                "a predicate needs one of: equals, in, exists, absent, contains, \
                 glob, iglob, above, below, foreignAccount"
                    .into(),
            );
        }
        if exists == Some(false) && value_test {
            return Err("`absent` cannot be combined with a value test".into());
        }
        Ok(Predicate {
            equals: s.equals,
            one_of: s.one_of.map(|l| l.0),
            exists,
            contains: s.contains,
            glob: s.glob,
            iglob: s.iglob.map(|p| p.0),
            above: s.above,
            below: s.below,
            foreign_account: s.foreign_account == Some(true),
        })
    }
}

impl Predicate {
    /// Evaluates the predicate for `path` inside `container` (the parsed
    /// `requestParameters` or `responseElements`). `absent` only holds when the
    /// container itself is an object: a record without request parameters says
    /// nothing about what a request omitted. `account` is the record's account, for
    /// `foreignAccount`.
    pub fn holds(&self, container: Option<&Value>, path: &[String], account: Option<&str>) -> bool {
        let Some(root @ Value::Object(_)) = container else {
            return false;
        };
        let mut found = Vec::new();
        collect(root, path, &mut found);
        found.retain(|v| !v.is_null());
        match self.exists {
            Some(false) => return found.is_empty(),
            Some(true) if found.is_empty() => return false,
            _ => {}
        }
        if self.exists == Some(true) && self.is_presence_only() {
            return true;
        }
        found.iter().any(|v| self.value_holds(v, account))
    }

    fn is_presence_only(&self) -> bool {
        self.equals.is_none()
            && self.one_of.is_none()
            && self.contains.is_none()
            && self.glob.is_none()
            && self.iglob.is_none()
            && self.above.is_none()
            && self.below.is_none()
            && !self.foreign_account
    }

    fn value_holds(&self, v: &Value, account: Option<&str>) -> bool {
        self.equals
            .as_ref()
            .is_none_or(|e| itself_or_element(v, |x| json_eq(x, e)))
            && self
                .one_of
                .as_ref()
                .is_none_or(|set| itself_or_element(v, |x| set.iter().any(|e| json_eq(x, e))))
            && self.contains.as_ref().is_none_or(|c| contains(v, c))
            && self.glob.as_ref().is_none_or(|g| glob_holds(v, g))
            && self.iglob.as_ref().is_none_or(|g| glob_holds(v, g))
            && self.above.is_none_or(|n| number(v).is_some_and(|x| x > n))
            && self.below.is_none_or(|n| number(v).is_some_and(|x| x < n))
            && (!self.foreign_account || account.is_some_and(|a| names_foreign_account(v, a)))
    }
}

/// A number, or a string holding one (some request fields carry numbers as strings).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Whether some string at or below `v` is an ARN whose account field is a 12-digit
/// account other than `account`. AWS-managed ARNs (empty or `aws` account) are not.
fn names_foreign_account(v: &Value, account: &str) -> bool {
    match v {
        Value::String(s) => arn_account(s).is_some_and(|a| a != account),
        Value::Array(items) => items.iter().any(|i| names_foreign_account(i, account)),
        Value::Object(map) => map.values().any(|i| names_foreign_account(i, account)),
        _ => false,
    }
}

/// The account of `arn:partition:service:region:account:resource`, when it is 12 digits.
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.strip_prefix("arn:")?.splitn(5, ':');
    let account = parts.nth(3)?;
    parts.next()?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// A test on a list value holds for the list itself or for any of its elements, so
/// `explicitAuthFlows: {in: [...]}` reads as a rule writer means it.
fn itself_or_element(v: &Value, test: impl Fn(&Value) -> bool) -> bool {
    test(v) || matches!(v, Value::Array(items) if items.iter().any(&test))
}

/// Collects every value at `path` below `v`, descending into arrays on the way.
fn collect<'v>(v: &'v Value, path: &[String], out: &mut Vec<&'v Value>) {
    match (v, path.split_first()) {
        (_, None) => out.push(v),
        (Value::Object(map), Some((head, rest))) if head == "*" => {
            map.values().for_each(|child| collect(child, rest, out))
        }
        (Value::Array(items), Some((head, rest))) if head == "*" => {
            items.iter().for_each(|item| collect(item, rest, out))
        }
        (Value::Object(map), Some((head, rest))) => {
            if let Some(child) = map.get(head) {
                collect(child, rest, out);
            }
        }
        (Value::Array(items), Some(_)) => items.iter().for_each(|i| collect(i, path, out)),
        _ => {}
    }
}

/// Equality where YAML's `1` equals JSON's `1.0`.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A string contains a substring; an array contains an element.
fn contains(v: &Value, needle: &Value) -> bool {
    match (v, needle) {
        (Value::String(s), Value::String(n)) => s.contains(n.as_str()),
        (Value::Array(items), _) => items.iter().any(|i| json_eq(i, needle)),
        _ => false,
    }
}

/// A string matches; an array matches when any string element does.
fn glob_holds(v: &Value, g: &Patterns) -> bool {
    match v {
        Value::String(s) => g.matches(s),
        Value::Array(items) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| g.matches(s))),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
