//! Payload → [`Trigger`]: one function accepts every way a log file or a record
//! can be announced, and the replays of the failure queue.

use serde_json::Value;

use super::api_event::{self, ApiEvent};
use super::batch;
use super::error::TriggerError;
use super::files::parse_body;
use super::model::{Message, Shape, Trigger, Work};
use crate::json::{parse_json, string_field};

/// Reads an invocation payload. An error means the whole payload is unusable;
/// an SQS message that is fails on its own ([`Message::work`]).
pub fn parse(event: &Value) -> Result<Trigger, TriggerError> {
    // A failed asynchronous invocation, replayed from the failure queue (or by a
    // script): the original event is `requestPayload`.
    if let Some(original) = destination_record(event) {
        return parse(original);
    }
    if let Some(flag) = event.get("selfTest") {
        return match flag {
            Value::Bool(true) => Ok(Trigger::SelfTest),
            other => Err(TriggerError::UnknownShape(format!(
                "selfTest is {other}; send {{\"selfTest\": true}} for a test alert"
            ))),
        };
    }
    if batch::is_batch(event) {
        return Ok(Trigger::Batch(batch::parse(event)?));
    }
    if api_event::is_api_call(event) {
        return Ok(Trigger::ApiEvent(api_event::api_call(event)?));
    }
    let Some(records) = event.get("Records").and_then(Value::as_array) else {
        let (shape, objects) = parse_body(event, 0)?;
        return Ok(Trigger::Files { shape, objects });
    };
    if records.is_empty() {
        return Ok(Trigger::Files {
            shape: Shape::Empty,
            objects: Vec::new(),
        });
    }
    let source = |r: &Value| {
        let s = r.get("eventSource").or_else(|| r.get("EventSource"));
        s.and_then(Value::as_str).unwrap_or("").to_string()
    };
    match source(&records[0]).as_str() {
        "aws:sqs" => Ok(Trigger::Queue(records.iter().map(message).collect())),
        "aws:sns" => {
            let mut objects = Vec::new();
            for r in records {
                let text = string_field(r, "Sns.Message", "SNS record")?;
                let inner = parse_json(text, "SNS record", "Sns.Message")?;
                objects.extend(parse_body(&inner, 1)?.1);
            }
            Ok(Trigger::Files {
                shape: Shape::Sns,
                objects,
            })
        }
        _ => {
            let (shape, objects) = parse_body(event, 0)?;
            Ok(Trigger::Files { shape, objects })
        }
    }
}

/// The original event inside a Lambda asynchronous-invocation record (what an
/// on-failure destination receives), unless it is one itself.
fn destination_record(v: &Value) -> Option<&Value> {
    let original = v.get("requestPayload")?;
    v.get("requestContext")?;
    (destination_record(original).is_none()).then_some(original)
}

/// One SQS record: a file notification, an API call event (a queue in front of
/// the fast path), or a replayed asynchronous-invocation record.
fn message(record: &Value) -> Message {
    let message_id = record
        .get("messageId")
        .and_then(Value::as_str)
        .map(str::to_string);
    let body = string_field(record, "body", "SQS message")
        .and_then(|body| parse_json(body, "SQS message", "body"))
        .map_err(TriggerError::from);
    let (shape, work) = match body {
        Ok(inner) => match destination_record(&inner) {
            Some(original) => (Shape::Sqs, parse(original).and_then(into_work)),
            None if api_event::is_api_call(&inner) => {
                (Shape::ApiCall, api_event::api_call(&inner).map(one_event))
            }
            None => (
                Shape::Sqs,
                parse_body(&inner, 1).map(|(_, objects)| Work {
                    objects,
                    ..Work::default()
                }),
            ),
        },
        Err(e) => (Shape::Sqs, Err(e)),
    };
    Message {
        message_id,
        shape,
        work,
    }
}

fn one_event(event: ApiEvent) -> Work {
    Work {
        api_events: vec![event],
        objects: Vec::new(),
    }
}

/// A replayed event's work, merged into its message's: every record and object,
/// or the first error (a Batch Operations job's tasks are scanned as files).
fn into_work(trigger: Trigger) -> Result<Work, TriggerError> {
    match trigger {
        Trigger::Files { objects, .. } => Ok(Work {
            objects,
            ..Work::default()
        }),
        Trigger::ApiEvent(event) => Ok(one_event(event)),
        Trigger::Batch(job) => Ok(Work {
            objects: job.tasks.into_iter().map(|t| t.object).collect(),
            ..Work::default()
        }),
        Trigger::Queue(messages) => {
            let mut all = Work::default();
            for m in messages {
                let work = m.work?;
                all.api_events.extend(work.api_events);
                all.objects.extend(work.objects);
            }
            Ok(all)
        }
        // A self test answers its invoker; a queued one would answer nobody.
        Trigger::SelfTest => Err(TriggerError::UnknownShape(
            "a self test in a queued message: invoke the function with it instead".into(),
        )),
    }
}
