//! Turning SDK values into the JSON of a request: [`Json`] for the value kinds the
//! Describe answers hold, `obj!` for an object of the members present, and the
//! wire names of SDK enums.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// A value for a document: `None` leaves the key out.
pub(super) trait Json {
    fn json(self) -> Option<Value>;
}

impl Json for Value {
    fn json(self) -> Option<Value> {
        Some(self)
    }
}

impl Json for Option<Value> {
    fn json(self) -> Option<Value> {
        self
    }
}

impl Json for String {
    fn json(self) -> Option<Value> {
        Some(Value::String(self))
    }
}

impl Json for Option<String> {
    fn json(self) -> Option<Value> {
        self.map(Value::String)
    }
}

impl Json for bool {
    fn json(self) -> Option<Value> {
        Some(Value::Bool(self))
    }
}

impl Json for Option<bool> {
    fn json(self) -> Option<Value> {
        self.map(Value::Bool)
    }
}

impl Json for i32 {
    fn json(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl Json for Option<i32> {
    fn json(self) -> Option<Value> {
        self.map(Value::from)
    }
}

impl Json for Option<Vec<String>> {
    fn json(self) -> Option<Value> {
        self.map(|v| v.into_iter().map(Value::String).collect())
    }
}

impl Json for Option<HashMap<String, String>> {
    fn json(self) -> Option<Value> {
        self.map(|m| {
            let sorted: std::collections::BTreeMap<_, _> = m.into_iter().collect();
            sorted
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>()
                .into()
        })
    }
}

/// An object of the members given, those whose value is `None` left out.
macro_rules! obj {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut map = Map::new();
        $(
            if let Some(v) = Json::json($value) {
                map.insert($key.to_string(), v);
            }
        )*
        Value::Object(map)
    }};
}

/// An SDK enum's wire name.
pub(super) fn name<T: AsRef<str>>(v: T) -> String {
    v.as_ref().to_string()
}

pub(super) fn opt_name<T: AsRef<str>>(v: Option<T>) -> Option<String> {
    v.map(name)
}

pub(super) fn names<T: AsRef<str>>(v: Option<Vec<T>>) -> Option<Vec<String>> {
    v.map(|v| v.into_iter().map(name).collect())
}

pub(super) fn list<T>(v: Option<Vec<T>>, each: impl Fn(T) -> Value) -> Option<Value> {
    v.map(|v| Value::Array(v.into_iter().map(each).collect()))
}
