//! What a trigger is: the four ways the function is invoked, and the work each
//! carries. Built by `parse`; read by the Lambda's handler with one `match`.

use super::api_event::ApiEvent;
use super::batch::BatchJob;
use super::error::TriggerError;
use super::object::ObjectRef;

/// One invocation's payload, by what it asks of the function.
#[derive(Debug)]
pub enum Trigger {
    /// Log files announced by a notification (`shape` says which: S3, SNS,
    /// EventBridge `Object Created`, CloudTrail's SNS). A test event or an empty
    /// `Records` announce none.
    Files {
        shape: Shape,
        objects: Vec<ObjectRef>,
    },
    /// One EventBridge "AWS API Call via CloudTrail" event: the fast path.
    ApiEvent(ApiEvent),
    /// An S3 Batch Operations job: one object per task, answered task by task.
    Batch(BatchJob),
    /// SQS messages, each of which succeeds or fails on its own (reported
    /// through `batchItemFailures`).
    Queue(Vec<Message>),
    /// `{"selfTest": true}`: send one marked test alert through every configured
    /// channel and say what each accepted (after a deploy, or any time).
    SelfTest,
}

impl Trigger {
    /// Which envelope carried the work.
    pub fn shape(&self) -> Shape {
        match self {
            Trigger::Files { shape, .. } => *shape,
            Trigger::ApiEvent(_) => Shape::ApiCall,
            Trigger::Batch(_) => Shape::BatchOperations,
            Trigger::Queue(_) => Shape::Sqs,
            Trigger::SelfTest => Shape::SelfTest,
        }
    }
}

/// One SQS message: its work, or why it cannot be used (which fails this
/// message only).
#[derive(Debug)]
pub struct Message {
    /// The SQS message id (`None` only for a record that lacks one).
    pub message_id: Option<String>,
    /// [`Shape::Sqs`] for files (or a replayed event), [`Shape::ApiCall`] for an
    /// EventBridge API call event.
    pub shape: Shape,
    pub work: Result<Work, TriggerError>,
}

/// What one message asks to scan: EventBridge records first, then objects.
#[derive(Debug, Default)]
pub struct Work {
    /// Records delivered by EventBridge (the fast path), scanned like a file's.
    pub api_events: Vec<ApiEvent>,
    pub objects: Vec<ObjectRef>,
}

/// Which envelope carried the objects or events.
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
    /// `{"selfTest": true}`.
    SelfTest,
}
