//! PublishBatch to the alert topic and the routes' topics.

use aws_sdk_sns::types::{BatchResultErrorEntry, MessageAttributeValue, PublishBatchRequestEntry};
use aws_sdk_sns::Client;
use cognito_trail_alerts::notice::SnsMessage;
use cognito_trail_alerts::routes::TopicArn;

use super::call_error;
use crate::failure::{CallError, Retry};
use crate::ports::{AlertSink, EntryFailure};

/// Publishes to SNS topics.
#[derive(Clone)]
pub struct SnsSink {
    client: Client,
}

impl SnsSink {
    /// Wraps a client built at cold start.
    pub fn new(client: Client) -> Self {
        SnsSink { client }
    }
}

fn entry(index: usize, m: &SnsMessage) -> Result<PublishBatchRequestEntry, CallError> {
    // The attribute serves subscription filter policies; with MessageStructure=json
    // SNS does not deliver attributes to endpoints (see the README).
    let severity = MessageAttributeValue::builder()
        .data_type("String")
        .string_value(m.severity.as_str())
        .build()
        .map_err(|e| CallError::permanent(e.to_string()))?;
    PublishBatchRequestEntry::builder()
        .id(index.to_string())
        .message(&m.body)
        .subject(&m.subject)
        .message_structure("json")
        .message_attributes("severity", severity)
        .build()
        .map_err(|e| CallError::permanent(e.to_string()))
}

impl AlertSink for SnsSink {
    async fn publish(
        &self,
        topic: &TopicArn,
        batch: &[SnsMessage],
    ) -> Result<Vec<EntryFailure>, CallError> {
        let entries = batch
            .iter()
            .enumerate()
            .map(|(i, m)| entry(i, m))
            .collect::<Result<Vec<_>, _>>()?;
        let out = self
            .client
            .publish_batch()
            .topic_arn(topic.as_str())
            .set_publish_batch_request_entries(Some(entries))
            .send()
            .await
            .map_err(|e| call_error("PublishBatch", topic.as_str(), e))?;
        // Per-entry failures come back with HTTP 200. An entry counts as published
        // only when SNS lists it as successful: one that is in neither list is
        // retried rather than assumed sent.
        let failures = (0..batch.len())
            .filter_map(|index| {
                let id = index.to_string();
                if out.successful().iter().any(|s| s.id() == Some(&*id)) {
                    return None;
                }
                let error = match out.failed().iter().find(|f| f.id() == id) {
                    Some(f) => entry_error(f),
                    None => CallError::transient(format!(
                        "PublishBatch entry {index}: not acknowledged"
                    )),
                };
                Some(EntryFailure { index, error })
            })
            .collect();
        Ok(failures)
    }
}

/// A failed entry: the sender's fault (a message SNS refuses) will not heal by
/// retrying; anything else may.
fn entry_error(f: &BatchResultErrorEntry) -> CallError {
    CallError {
        retry: if f.sender_fault() {
            Retry::Permanent
        } else {
            Retry::Transient
        },
        message: format!(
            "PublishBatch entry {}: {}: {}",
            f.id(),
            f.code(),
            f.message().unwrap_or("")
        ),
    }
}
