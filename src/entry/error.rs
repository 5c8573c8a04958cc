//! Why an envelope cannot be used, and the JSON helpers that say so precisely.

use serde_json::Value;

/// An envelope this function cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("unknown event shape: {0}")]
    UnknownShape(String),
    /// `field` is a dotted path from the envelope's object (`s3.object.key`).
    #[error("{what} is missing `{field}`")]
    Missing {
        what: &'static str,
        field: &'static str,
    },
    #[error("{what}: `{field}` is {found}, not {expected}")]
    WrongType {
        what: &'static str,
        field: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    #[error("{what}: `{field}` is not valid JSON: {reason}")]
    NotJson {
        what: &'static str,
        field: &'static str,
        reason: String,
    },
    #[error("bad URL encoding in object key {key:?}: {reason}")]
    BadKey { key: String, reason: String },
}

/// The string at the dotted `path` in `v`; the error names the path.
pub(super) fn string_field<'v>(
    v: &'v Value,
    path: &'static str,
    what: &'static str,
) -> Result<&'v str, EnvelopeError> {
    match path.split('.').try_fold(v, |v, key| v.get(key)) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(EnvelopeError::Missing { what, field: path }),
        Some(other) => Err(EnvelopeError::WrongType {
            what,
            field: path,
            expected: "a string",
            found: kind(other),
        }),
    }
}

/// Parses `text`, the string `field` of an envelope, as JSON.
pub(super) fn parse_json(
    text: &str,
    what: &'static str,
    field: &'static str,
) -> Result<Value, EnvelopeError> {
    serde_json::from_str(text).map_err(|e| EnvelopeError::NotJson {
        what,
        field,
        reason: e.to_string(),
    })
}

/// A short description of an unrecognised payload: its type and first keys.
pub(super) fn describe_shape(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let keys: Vec<&str> = map.keys().take(8).map(String::as_str).collect();
            let more = if map.len() > 8 { ", ..." } else { "" };
            format!("an object with keys [{}{more}]", keys.join(", "))
        }
        Value::Array(a) => format!("an array of {} items", a.len()),
        other => kind(other).into(),
    }
}

/// The kind of a JSON value, for error messages.
pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}
