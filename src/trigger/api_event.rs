//! EventBridge's "AWS API Call via CloudTrail" events: one CloudTrail record each
//! (`detail`), seconds after the call, best effort and only in the call's region.
//! The fast path; the log file in S3 stays the complete one.

use serde_json::Value;

use super::error::TriggerError;
use crate::json::{kind, string_field, FieldError};

/// The `detail-type` of a CloudTrail record sent through EventBridge.
pub const API_CALL: &str = "AWS API Call via CloudTrail";

/// One CloudTrail record delivered by EventBridge.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiEvent {
    /// The EventBridge event id (not the CloudTrail `eventID`, which is in `record`).
    pub id: String,
    /// `source`, e.g. `aws.cognito-idp`.
    pub source: String,
    /// The CloudTrail record (`detail`).
    pub record: Value,
}

/// Whether `v` is an "AWS API Call via CloudTrail" event.
pub(super) fn is_api_call(v: &Value) -> bool {
    v.get("detail-type").and_then(Value::as_str) == Some(API_CALL)
}

/// Reads the event: its id, its source and a `detail` that is a record.
pub(super) fn api_call(v: &Value) -> Result<ApiEvent, TriggerError> {
    let what = "EventBridge API call event";
    let id = string_field(v, "id", what)?;
    let source = string_field(v, "source", what)?;
    let record = match v.get("detail") {
        Some(d @ Value::Object(_)) => d.clone(),
        None | Some(Value::Null) => {
            return Err(FieldError::Missing {
                what,
                field: "detail",
            }
            .into())
        }
        Some(other) => {
            return Err(FieldError::WrongType {
                what,
                field: "detail",
                expected: "an object (the CloudTrail record)",
                found: kind(other),
            }
            .into())
        }
    };
    Ok(ApiEvent {
        id: id.to_string(),
        source: source.to_string(),
        record,
    })
}

#[cfg(test)]
mod tests;
