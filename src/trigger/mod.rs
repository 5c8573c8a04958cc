//! Trigger payloads → the work they carry. Pure: no SDK, no I/O.
//!
//! [`parse`] accepts every way a log file can be announced — an S3 event
//! notification, the same inside an SNS envelope, SQS messages carrying either,
//! an EventBridge `Object Created` event, CloudTrail's own SNS notification —
//! the fast path's records (EventBridge "AWS API Call via CloudTrail" events, one
//! at a time or in SQS messages), S3 Batch Operations jobs, and failed
//! asynchronous invocations replayed from the failure queue.
//!
//! This file only declares and re-exports: the types live in leaf modules
//! (`model`, `object`, `error`), so no submodule imports this one.

mod api_event;
mod batch;
mod error;
mod files;
mod key;
mod model;
mod object;
mod parse;

pub use api_event::{ApiEvent, API_CALL};
pub use batch::{response as batch_response, BatchJob, BatchTask, TaskResult};
pub use error::TriggerError;
pub use key::decode_form_url;
pub use model::{Message, Shape, Trigger, Work};
pub use object::{ObjectRef, SkipReason};
pub use parse::parse;

#[cfg(test)]
mod tests;
