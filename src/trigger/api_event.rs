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
mod tests {
    use serde_json::{json, Value};

    use crate::trigger::{parse, Shape, Trigger, TriggerError};

    fn sample() -> Value {
        let text = include_str!("../../lambda/events/eventbridge-api-call.json");
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn one_event_is_one_record() {
        let Trigger::ApiEvent(event) = parse(&sample()).unwrap() else {
            panic!("not an API event");
        };
        assert_eq!(event.id, "6f1a3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b");
        assert_eq!(event.source, "aws.cognito-idp");
        assert_eq!(event.record["eventName"], "UpdateUserPool");
        assert_eq!(
            event.record["eventID"],
            "9ce4aa5f-de27-4851-a18a-d43850d00787"
        );
    }

    #[test]
    fn an_sqs_batch_fails_message_by_message() {
        let text = include_str!("../../lambda/events/sqs-eventbridge-api-calls.json");
        let mut batch: Value = serde_json::from_str(text).unwrap();
        let mut broken = batch["Records"][0].clone();
        broken["messageId"] = json!("m-broken");
        let mut body: Value = serde_json::from_str(broken["body"].as_str().unwrap()).unwrap();
        body["detail"] = json!("UpdateUserPool");
        broken["body"] = json!(body.to_string());
        batch["Records"].as_array_mut().unwrap().push(broken);
        let Trigger::Queue(messages) = parse(&batch).unwrap() else {
            panic!("not a queue");
        };
        assert_eq!(messages.len(), 3);
        assert!(messages.iter().all(|m| m.shape == Shape::ApiCall));
        let second = messages[1].work.as_ref().unwrap();
        assert_eq!(second.api_events[0].source, "aws.cognito-identity");
        assert_eq!(messages[2].message_id.as_deref(), Some("m-broken"));
        let err = messages[2].work.as_ref().unwrap_err().to_string();
        assert_eq!(
            err,
            "EventBridge API call event: `detail` is a string, not an object (the CloudTrail record)"
        );
    }

    #[test]
    fn a_broken_event_names_the_field() {
        let mut no_detail = sample();
        no_detail.as_object_mut().unwrap().remove("detail");
        let mut no_id = sample();
        no_id["id"] = json!(7);
        for (event, want) in [
            (no_detail, "EventBridge API call event is missing `detail`"),
            (
                no_id,
                "EventBridge API call event: `id` is a number, not a string",
            ),
        ] {
            let err: TriggerError = parse(&event).unwrap_err();
            assert_eq!(err.to_string(), want);
        }
    }
}
