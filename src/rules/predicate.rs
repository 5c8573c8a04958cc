//! Predicates on fields of `requestParameters` / `responseElements`.
//!
//! A field is a dotted path (`userPoolAddOns.advancedSecurityMode`); `*` stands for any
//! key (`roleMappings.*.type`). A path that goes through an array looks at every
//! element, a value test on a list looks at the list and at each element, and a
//! predicate holds when it holds for any value found ("any" semantics).

use serde::Deserialize;
use serde_json::Value;

use super::pattern::Patterns;

/// Predicate as written in YAML. Several operators in one predicate must all hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PredicateSpec {
    equals: Option<Value>,
    #[serde(rename = "in")]
    one_of: Option<Vec<Value>>,
    exists: Option<bool>,
    absent: Option<bool>,
    contains: Option<Value>,
    glob: Option<Patterns>,
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
        if s.equals.is_none()
            && s.one_of.is_none()
            && exists.is_none()
            && s.contains.is_none()
            && s.glob.is_none()
        {
            return Err(
                "a predicate needs one of: equals, in, exists, absent, contains, glob".into(),
            );
        }
        if exists == Some(false) && (s.equals.is_some() || s.one_of.is_some() || s.glob.is_some()) {
            return Err("`absent` cannot be combined with a value test".into());
        }
        Ok(Predicate {
            equals: s.equals,
            one_of: s.one_of,
            exists,
            contains: s.contains,
            glob: s.glob,
        })
    }
}

impl Predicate {
    /// Evaluates the predicate for `path` inside `container` (the parsed
    /// `requestParameters` or `responseElements`). `absent` only holds when the
    /// container itself is an object: a record without request parameters says
    /// nothing about what a request omitted.
    pub fn holds(&self, container: Option<&Value>, path: &[String]) -> bool {
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
        found.iter().any(|v| self.value_holds(v))
    }

    fn is_presence_only(&self) -> bool {
        self.equals.is_none()
            && self.one_of.is_none()
            && self.contains.is_none()
            && self.glob.is_none()
    }

    fn value_holds(&self, v: &Value) -> bool {
        self.equals
            .as_ref()
            .is_none_or(|e| itself_or_element(v, |x| json_eq(x, e)))
            && self
                .one_of
                .as_ref()
                .is_none_or(|set| itself_or_element(v, |x| set.iter().any(|e| json_eq(x, e))))
            && self.contains.as_ref().is_none_or(|c| contains(v, c))
            && self.glob.as_ref().is_none_or(|g| glob_holds(v, g))
    }
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
mod tests {
    use super::*;
    use serde_json::json;

    fn pred(yaml: &str) -> Predicate {
        serde_yaml_ng::from_str(yaml).unwrap()
    }

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    #[test]
    fn table() {
        let params = json!({
            "mfaConfiguration": "OFF",
            "allowUnauthenticatedIdentities": true,
            "callbackURLs": ["https://ok.example", "http://plain.example"],
            "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"],
            "roles": {"authenticated": "arn:aws:iam::1:role/a"},
            "providers": [{"name": "x", "clientId": "c1"}, {"name": "y"}],
            "roleMappings": {"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A:client": {"type": "Token"}},
            "lambdaConfig": null,
        });
        let cases = [
            ("equals: 'OFF'", "mfaConfiguration", true),
            ("equals: 'ON'", "mfaConfiguration", false),
            ("in: [OPTIONAL, 'OFF']", "mfaConfiguration", true),
            ("equals: true", "allowUnauthenticatedIdentities", true),
            ("glob: 'http://*'", "callbackURLs", true),
            (
                "contains: ALLOW_USER_PASSWORD_AUTH",
                "explicitAuthFlows",
                true,
            ),
            ("contains: plain", "mfaConfiguration", false),
            ("exists: true", "roles.authenticated", true),
            ("exists: true", "roles.unauthenticated", false),
            ("absent: true", "roles.unauthenticated", true),
            ("absent: true", "lambdaConfig", true),
            ("exists: true", "providers.clientId", true),
            ("equals: y", "providers.name", true),
            ("exists: true\nequals: x", "providers.name", true),
            (
                "in: [ALLOW_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH]",
                "explicitAuthFlows",
                true,
            ),
            (
                "equals: [ALLOW_USER_PASSWORD_AUTH]",
                "explicitAuthFlows",
                true,
            ),
            (
                "equals: ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "explicitAuthFlows",
                false,
            ),
            ("equals: Token", "roleMappings.*.type", true),
            ("equals: Rules", "roleMappings.*.type", false),
            ("exists: true", "providers.*.clientId", true),
        ];
        for (yaml, field, want) in cases {
            assert_eq!(
                pred(yaml).holds(Some(&params), &path(field)),
                want,
                "{yaml} on {field}"
            );
        }
    }

    #[test]
    fn absent_needs_a_container() {
        assert!(!pred("absent: true").holds(None, &path("lambdaConfig")));
        assert!(!pred("absent: true").holds(Some(&json!("x")), &path("lambdaConfig")));
    }

    #[test]
    fn invalid_predicates_are_rejected() {
        for bad in [
            "{}",
            "exists: true\nabsent: true",
            "absent: true\nequals: 1",
            "equal: 1",
        ] {
            assert!(serde_yaml_ng::from_str::<Predicate>(bad).is_err(), "{bad}");
        }
    }
}
