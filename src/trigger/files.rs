//! The notifications that announce log files: an S3 event notification (alone,
//! in SNS, in SQS), an EventBridge `Object Created` event, and CloudTrail's own
//! SNS notification.

use serde_json::Value;

use super::error::TriggerError;
use super::key::decode_form_url;
use super::model::Shape;
use super::object::ObjectRef;
use crate::json::{describe_shape, kind, parse_json, string_field, FieldError};

/// Parses what an envelope carries: an S3 notification, a test event, an SNS
/// notification (as delivered to SQS), CloudTrail's notification or EventBridge.
/// `depth` stops an SNS message wrapping another without end.
pub(super) fn parse_body(v: &Value, depth: u8) -> Result<(Shape, Vec<ObjectRef>), TriggerError> {
    if v.get("Event").and_then(Value::as_str) == Some("s3:TestEvent") {
        return Ok((Shape::TestEvent, Vec::new()));
    }
    if let Some(records) = v.get("Records").and_then(Value::as_array) {
        // Other services' records (a DynamoDB or Kinesis stream...) are not broken S3 records.
        let mut sources = records
            .iter()
            .filter_map(|r| r.get("eventSource")?.as_str());
        if let Some(other) = sources.find(|s| *s != "aws:s3") {
            return Err(TriggerError::UnknownShape(format!(
                "records from `{other}`"
            )));
        }
        let objects = records.iter().map(s3_record).collect::<Result<_, _>>()?;
        return Ok((
            if records.is_empty() {
                Shape::Empty
            } else {
                Shape::S3
            },
            objects,
        ));
    }
    if v.get("Type").and_then(Value::as_str) == Some("Notification") && depth < 2 {
        let message = string_field(v, "Message", "SNS notification")?;
        let inner = parse_json(message, "SNS notification", "Message")?;
        return parse_body(&inner, depth + 1);
    }
    if v.get("s3Bucket").is_some() || v.get("s3ObjectKey").is_some() {
        return cloudtrail_notification(v).map(|t| (Shape::CloudTrailSns, t));
    }
    if v.get("source").and_then(Value::as_str) == Some("aws.s3") {
        return eventbridge(v).map(|t| (Shape::EventBridge, vec![t]));
    }
    Err(TriggerError::UnknownShape(describe_shape(v)))
}

fn s3_record(r: &Value) -> Result<ObjectRef, TriggerError> {
    let what = "S3 event record";
    let bucket = string_field(r, "s3.bucket.name", what)?;
    let raw_key = string_field(r, "s3.object.key", what)?;
    let size = r.pointer("/s3/object/size").and_then(Value::as_u64);
    let created = r
        .get("eventName")
        .and_then(Value::as_str)
        .is_none_or(|n| n.starts_with("ObjectCreated:"));
    let key = decode_form_url(raw_key)?;
    Ok(ObjectRef::new(bucket, key, size, !created))
}

/// EventBridge's `Object Created` detail. Its key is decoded like an S3
/// notification's; CloudTrail keys contain no `+` or `%`, so either reading agrees.
fn eventbridge(v: &Value) -> Result<ObjectRef, TriggerError> {
    let what = "EventBridge S3 event";
    let bucket = string_field(v, "detail.bucket.name", what)?;
    let raw_key = string_field(v, "detail.object.key", what)?;
    let size = v.pointer("/detail/object/size").and_then(Value::as_u64);
    let created = v.get("detail-type").and_then(Value::as_str) == Some("Object Created");
    Ok(ObjectRef::new(
        bucket,
        decode_form_url(raw_key)?,
        size,
        !created,
    ))
}

/// CloudTrail's own notification: `{"s3Bucket": "...", "s3ObjectKey": ["...", ...]}`,
/// keys as written (not URL-encoded).
fn cloudtrail_notification(v: &Value) -> Result<Vec<ObjectRef>, TriggerError> {
    let what = "CloudTrail notification";
    let bucket = string_field(v, "s3Bucket", what)?;
    let wrong = |field, expected, found| FieldError::WrongType {
        what,
        field,
        expected,
        found,
    };
    let keys = match v.get("s3ObjectKey") {
        None | Some(Value::Null) => {
            return Err(FieldError::Missing {
                what,
                field: "s3ObjectKey",
            }
            .into())
        }
        Some(Value::Array(keys)) => keys,
        Some(other) => return Err(wrong("s3ObjectKey", "an array", kind(other)).into()),
    };
    keys.iter()
        .map(|k| match k {
            Value::String(key) => Ok(ObjectRef::new(bucket, key.clone(), None, false)),
            other => Err(wrong("s3ObjectKey[]", "a string", kind(other)).into()),
        })
        .collect()
}
