//! Words for JSON values in error messages, and the reads by dotted path that say
//! precisely what was missing or of the wrong kind. A leaf: serde_json and nothing
//! of this crate, so `trail` (which sees bytes) and `trigger` (which sees values)
//! describe a value the same way.

use serde_json::Value;

/// The kind of a JSON value, for error messages (`"an object"`, `"null"`...).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
    }
}

/// The kind of the JSON value that starts with byte `b` (the same words as
/// [`kind`]), or `None` when no JSON value starts with it.
pub fn kind_of_first_byte(b: u8) -> Option<&'static str> {
    Some(match b {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b'n' => "null",
        b't' | b'f' => "a boolean",
        b'-' | b'0'..=b'9' => "a number",
        _ => return None,
    })
}

/// The kind of the JSON value `json` holds, from its first byte: `"invalid JSON"`
/// when it cannot start one.
pub fn kind_of_text(json: &[u8]) -> &'static str {
    json.first()
        .and_then(|&b| kind_of_first_byte(b))
        .unwrap_or("invalid JSON")
}

/// A short description of an unrecognised payload: its kind, and an object's
/// first keys.
pub fn describe_shape(v: &Value) -> String {
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

/// A field of a payload that cannot be used: `what` names the payload
/// (`"S3 event record"`), `field` the dotted path from it (`s3.object.key`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
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
}

/// The string at the dotted `path` in `v`; the error names the path.
pub fn string_field<'v>(
    v: &'v Value,
    path: &'static str,
    what: &'static str,
) -> Result<&'v str, FieldError> {
    match path.split('.').try_fold(v, |v, key| v.get(key)) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(FieldError::Missing { what, field: path }),
        Some(other) => Err(FieldError::WrongType {
            what,
            field: path,
            expected: "a string",
            found: kind(other),
        }),
    }
}

/// Parses `text`, the string `field` of `what`, as JSON.
pub fn parse_json(
    text: &str,
    what: &'static str,
    field: &'static str,
) -> Result<Value, FieldError> {
    serde_json::from_str(text).map_err(|e| FieldError::NotJson {
        what,
        field,
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests;
