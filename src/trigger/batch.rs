//! S3 Batch Operations (LambdaInvoke, invocation schema 1.0 and 2.0): a job hands
//! the function tasks, one object each, and reads back one result per task —
//! `Succeeded`, `TemporaryFailure` (S3 retries it) or `PermanentFailure` with the
//! reason. This is how a user re-scans files that failed for good, or backfills an
//! organization trail with thousands of concurrent invocations.

use serde_json::{json, Value};

use super::error::TriggerError;
use super::key::decode_form_url;
use super::object::ObjectRef;
use crate::json::{kind, string_field, FieldError};

/// A Batch Operations invocation: what the response must echo, and its tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchJob {
    /// `1.0` or `2.0`, echoed in the response.
    pub schema_version: String,
    pub invocation_id: String,
    /// In the job's order (the response's).
    pub tasks: Vec<BatchTask>,
}

/// One task: an object to scan, answered under its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTask {
    pub id: String,
    pub object: ObjectRef,
}

/// What became of one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskResult {
    Succeeded(String),
    /// Transient (throttling, a timeout): Batch Operations retries the task.
    TemporaryFailure(String),
    /// The file cannot be read (missing, not a log file, KMS denied...): the reason
    /// goes into the job's completion report.
    PermanentFailure(String),
}

/// Whether `v` is a Batch Operations invocation.
pub(super) fn is_batch(v: &Value) -> bool {
    v.get("invocationSchemaVersion").is_some() && v.get("tasks").is_some()
}

/// Reads the job and its tasks. Schema 1.0 names the bucket by ARN and URL-encodes
/// the key; 2.0 names the bucket and gives the key as it is.
pub(super) fn parse(v: &Value) -> Result<BatchJob, TriggerError> {
    let what = "S3 Batch Operations invocation";
    let schema = string_field(v, "invocationSchemaVersion", what)?;
    let invocation_id = string_field(v, "invocationId", what)?;
    let tasks = match v.get("tasks") {
        Some(Value::Array(tasks)) if !tasks.is_empty() => tasks,
        Some(Value::Array(_)) => {
            return Err(TriggerError::UnknownShape(format!("{what} without tasks")))
        }
        Some(other) => {
            return Err(FieldError::WrongType {
                what,
                field: "tasks",
                expected: "an array",
                found: kind(other),
            }
            .into())
        }
        None => {
            return Err(FieldError::Missing {
                what,
                field: "tasks",
            }
            .into())
        }
    };
    let mut parsed = Vec::with_capacity(tasks.len());
    for task in tasks {
        let what = "S3 Batch Operations task";
        let id = string_field(task, "taskId", what)?.to_string();
        let raw_key = string_field(task, "s3Key", what)?;
        let (bucket, key) = match schema {
            "1.0" => {
                let arn = string_field(task, "s3BucketArn", what)?;
                let bucket = arn.rsplit(':').next().unwrap_or(arn);
                (bucket.to_string(), decode_form_url(raw_key)?)
            }
            _ => (
                string_field(task, "s3Bucket", what)?.to_string(),
                raw_key.to_string(),
            ),
        };
        parsed.push(BatchTask {
            id,
            object: ObjectRef::new(&bucket, key, None, false),
        });
    }
    Ok(BatchJob {
        schema_version: schema.to_string(),
        invocation_id: invocation_id.to_string(),
        tasks: parsed,
    })
}

/// The response Batch Operations expects: one result per task, in task order.
/// A task without a result (the invocation stopped first) is a temporary failure,
/// so the job retries it.
pub fn response(job: &BatchJob, results: &[(String, TaskResult)]) -> Value {
    let results: Vec<Value> = job
        .tasks
        .iter()
        .map(|BatchTask { id, .. }| {
            let result = results
                .iter()
                .find(|(t, _)| t == id)
                .map(|(_, r)| r.clone());
            let (code, text) = match result {
                Some(TaskResult::Succeeded(s)) => ("Succeeded", s),
                Some(TaskResult::TemporaryFailure(s)) => ("TemporaryFailure", s),
                Some(TaskResult::PermanentFailure(s)) => ("PermanentFailure", s),
                None => (
                    "TemporaryFailure",
                    "not processed before the deadline".to_string(),
                ),
            };
            json!({ "taskId": id, "resultCode": code, "resultString": text })
        })
        .collect();
    json!({
        "invocationSchemaVersion": job.schema_version,
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": job.invocation_id,
        "results": results,
    })
}

#[cfg(test)]
mod tests;
