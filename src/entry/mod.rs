//! Trigger envelopes → the S3 objects to scan. Pure: no SDK, no I/O.
//!
//! One function accepts every way a log file can be announced: an S3 event
//! notification, the same inside an SNS envelope, SQS messages carrying either,
//! an EventBridge `Object Created` event, and CloudTrail's own SNS notification;
//! and the fast path's records: EventBridge "AWS API Call via CloudTrail" events,
//! one at a time or in SQS messages.

mod api_event;
mod batch;
mod error;
mod key;

use serde_json::Value;

pub use api_event::{ApiEvent, API_CALL};
pub use batch::{response as batch_response, BatchJob, TaskResult};
pub use error::EnvelopeError;
pub use key::decode_form_url;

use error::{describe_shape, kind, parse_json, string_field};

use crate::trail::layout::{self, KeyInfo, KeyKind};

/// Why an object named by a trigger is not scanned (a log line and a metric, not an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    Digest,
    Insight,
    Folder,
    NotLogFile,
    EmptyObject,
    /// An S3 event other than an object creation (e.g. `ObjectRemoved:Delete`).
    NotCreated,
}

impl SkipReason {
    /// Short name, used as a metric dimension value.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Digest => "digest",
            SkipReason::Insight => "insight",
            SkipReason::Folder => "folder",
            SkipReason::NotLogFile => "not-a-log-file",
            SkipReason::EmptyObject => "empty-object",
            SkipReason::NotCreated => "not-object-created",
        }
    }
}

/// One S3 object a trigger names, with the key already decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub bucket: String,
    pub key: String,
    pub size: Option<u64>,
    /// Account and region read from the key, when it follows CloudTrail's layout.
    pub info: Option<KeyInfo>,
    /// `Some` when the object is not to be scanned.
    pub skip: Option<SkipReason>,
}

/// Which envelope carried the objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    S3,
    Sns,
    Sqs,
    EventBridge,
    /// EventBridge "AWS API Call via CloudTrail": a record, not a file.
    ApiCall,
    CloudTrailSns,
    /// `s3:TestEvent`, sent when a notification is configured: nothing to do.
    TestEvent,
    /// `{"Records": []}`: nothing to do.
    Empty,
    /// An S3 Batch Operations invocation (answered with one result per task).
    BatchOperations,
}

/// A unit of work: the whole invocation, or one SQS message (which succeeds or
/// fails on its own, reported through `batchItemFailures`).
#[derive(Debug)]
pub struct Unit {
    /// The SQS message id, for SQS messages.
    pub message_id: Option<String>,
    pub shape: Shape,
    pub targets: Result<Vec<Target>, EnvelopeError>,
    /// Records delivered by EventBridge (the fast path), scanned like a file's.
    pub api_events: Vec<ApiEvent>,
    /// For S3 Batch Operations: the job, whose task ids follow `targets`' order.
    pub batch: Option<BatchJob>,
}

/// Splits an invocation payload into units of work.
pub fn parse_trigger(event: &Value) -> Result<Vec<Unit>, EnvelopeError> {
    // A failed asynchronous invocation, replayed from the failure queue (or by a
    // script): the original event is `requestPayload`.
    if let Some(original) = destination_record(event) {
        return parse_trigger(original);
    }
    if batch::is_batch(event) {
        let (job, targets) = batch::parse(event)?;
        let mut unit = direct(Shape::BatchOperations, Ok(targets));
        unit.batch = Some(job);
        return Ok(vec![unit]);
    }
    if api_event::is_api_call(event) {
        let mut unit = direct(Shape::ApiCall, Ok(Vec::new()));
        unit.api_events.push(api_event::api_call(event)?);
        return Ok(vec![unit]);
    }
    let Some(records) = event.get("Records").and_then(Value::as_array) else {
        let (shape, targets) = parse_body(event, 0)?;
        return Ok(vec![direct(shape, Ok(targets))]);
    };
    if records.is_empty() {
        return Ok(vec![direct(Shape::Empty, Ok(Vec::new()))]);
    }
    let source = |r: &Value| {
        let s = r.get("eventSource").or_else(|| r.get("EventSource"));
        s.and_then(Value::as_str).unwrap_or("").to_string()
    };
    match source(&records[0]).as_str() {
        "aws:sqs" => Ok(records.iter().map(sqs_unit).collect()),
        "aws:sns" => {
            let mut all = Vec::new();
            for r in records {
                let message = string_field(r, "Sns.Message", "SNS record")?;
                let inner = parse_json(message, "SNS record", "Sns.Message")?;
                all.extend(parse_body(&inner, 1)?.1);
            }
            Ok(vec![direct(Shape::Sns, Ok(all))])
        }
        _ => {
            let (shape, targets) = parse_body(event, 0)?;
            Ok(vec![direct(shape, Ok(targets))])
        }
    }
}

fn direct(shape: Shape, targets: Result<Vec<Target>, EnvelopeError>) -> Unit {
    Unit {
        message_id: None,
        shape,
        targets,
        api_events: Vec::new(),
        batch: None,
    }
}

/// The original event inside a Lambda asynchronous-invocation record (what an
/// on-failure destination receives), unless it is one itself.
fn destination_record(v: &Value) -> Option<&Value> {
    let original = v.get("requestPayload")?;
    v.get("requestContext")?;
    (destination_record(original).is_none()).then_some(original)
}

/// One SQS message that carries an asynchronous-invocation record: its original
/// event's units, merged into the message's one unit.
fn replayed_unit(message_id: Option<String>, original: &Value) -> Unit {
    let mut unit = Unit {
        message_id,
        shape: Shape::Sqs,
        targets: Ok(Vec::new()),
        api_events: Vec::new(),
        batch: None,
    };
    let units = match parse_trigger(original) {
        Ok(units) => units,
        Err(e) => {
            unit.targets = Err(e);
            return unit;
        }
    };
    for inner in units {
        unit.api_events.extend(inner.api_events);
        match (&mut unit.targets, inner.targets) {
            (Ok(all), Ok(more)) => all.extend(more),
            (Ok(_), Err(e)) => unit.targets = Err(e),
            (Err(_), _) => {}
        }
    }
    unit
}

fn sqs_unit(record: &Value) -> Unit {
    let message_id = record
        .get("messageId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let body = string_field(record, "body", "SQS message")
        .and_then(|body| parse_json(body, "SQS message", "body"));
    if let Some(original) = body.as_ref().ok().and_then(destination_record) {
        return replayed_unit(message_id, original);
    }
    // A queue in front of the fast path carries API call events, not files.
    if let Some(inner) = body.as_ref().ok().filter(|b| api_event::is_api_call(b)) {
        let (targets, api_events) = match api_event::api_call(inner) {
            Ok(event) => (Ok(Vec::new()), vec![event]),
            Err(e) => (Err(e), Vec::new()),
        };
        return Unit {
            message_id,
            shape: Shape::ApiCall,
            targets,
            api_events,
            batch: None,
        };
    }
    let targets = body.and_then(|inner| parse_body(&inner, 1).map(|(_, t)| t));
    Unit {
        message_id,
        shape: Shape::Sqs,
        targets,
        api_events: Vec::new(),
        batch: None,
    }
}

/// Parses what an envelope carries: an S3 notification, a test event, an SNS
/// notification (as delivered to SQS), CloudTrail's notification or EventBridge.
/// `depth` stops an SNS message wrapping another without end.
fn parse_body(v: &Value, depth: u8) -> Result<(Shape, Vec<Target>), EnvelopeError> {
    if v.get("Event").and_then(Value::as_str) == Some("s3:TestEvent") {
        return Ok((Shape::TestEvent, Vec::new()));
    }
    if let Some(records) = v.get("Records").and_then(Value::as_array) {
        // Other services' records (a DynamoDB or Kinesis stream...) are not broken S3 records.
        let mut sources = records
            .iter()
            .filter_map(|r| r.get("eventSource")?.as_str());
        if let Some(other) = sources.find(|s| *s != "aws:s3") {
            return Err(EnvelopeError::UnknownShape(format!(
                "records from `{other}`"
            )));
        }
        let targets = records.iter().map(s3_record).collect::<Result<_, _>>()?;
        return Ok((
            if records.is_empty() {
                Shape::Empty
            } else {
                Shape::S3
            },
            targets,
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
    Err(EnvelopeError::UnknownShape(describe_shape(v)))
}

fn s3_record(r: &Value) -> Result<Target, EnvelopeError> {
    let what = "S3 event record";
    let bucket = string_field(r, "s3.bucket.name", what)?;
    let raw_key = string_field(r, "s3.object.key", what)?;
    let size = r.pointer("/s3/object/size").and_then(Value::as_u64);
    let created = r
        .get("eventName")
        .and_then(Value::as_str)
        .is_none_or(|n| n.starts_with("ObjectCreated:"));
    let key = decode_form_url(raw_key)?;
    Ok(target(bucket, key, size, !created))
}

/// EventBridge's `Object Created` detail. Its key is decoded like an S3
/// notification's; CloudTrail keys contain no `+` or `%`, so either reading agrees.
fn eventbridge(v: &Value) -> Result<Target, EnvelopeError> {
    let what = "EventBridge S3 event";
    let bucket = string_field(v, "detail.bucket.name", what)?;
    let raw_key = string_field(v, "detail.object.key", what)?;
    let size = v.pointer("/detail/object/size").and_then(Value::as_u64);
    let created = v.get("detail-type").and_then(Value::as_str) == Some("Object Created");
    Ok(target(bucket, decode_form_url(raw_key)?, size, !created))
}

/// CloudTrail's own notification: `{"s3Bucket": "...", "s3ObjectKey": ["...", ...]}`,
/// keys as written (not URL-encoded).
fn cloudtrail_notification(v: &Value) -> Result<Vec<Target>, EnvelopeError> {
    let what = "CloudTrail notification";
    let bucket = string_field(v, "s3Bucket", what)?;
    let wrong = |field, expected, found| EnvelopeError::WrongType {
        what,
        field,
        expected,
        found,
    };
    let keys = match v.get("s3ObjectKey") {
        None | Some(Value::Null) => {
            return Err(EnvelopeError::Missing {
                what,
                field: "s3ObjectKey",
            })
        }
        Some(Value::Array(keys)) => keys,
        Some(other) => return Err(wrong("s3ObjectKey", "an array", kind(other))),
    };
    keys.iter()
        .map(|k| match k {
            Value::String(key) => Ok(target(bucket, key.clone(), None, false)),
            other => Err(wrong("s3ObjectKey[]", "a string", kind(other))),
        })
        .collect()
}

fn target(bucket: &str, key: String, size: Option<u64>, not_created: bool) -> Target {
    let skip = if not_created {
        Some(SkipReason::NotCreated)
    } else {
        match layout::classify(&key) {
            KeyKind::Digest => Some(SkipReason::Digest),
            KeyKind::Insight => Some(SkipReason::Insight),
            KeyKind::Folder => Some(SkipReason::Folder),
            KeyKind::Other => Some(SkipReason::NotLogFile),
            KeyKind::Log if size == Some(0) => Some(SkipReason::EmptyObject),
            KeyKind::Log => None,
        }
    };
    Target {
        bucket: bucket.to_string(),
        info: layout::key_info(&key),
        key,
        size,
        skip,
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
