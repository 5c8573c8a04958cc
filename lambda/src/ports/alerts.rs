//! Publishing alerts: the port and the fake. The adapter is `aws::SnsSink`.

use std::future::Future;

use cognito_trail_alerts::notice::SnsMessage;
use cognito_trail_alerts::routes::TopicArn;

use crate::failure::CallError;

/// One entry of a batch that was not published.
#[derive(Debug, Clone)]
pub struct EntryFailure {
    /// Position in the batch given to `publish`.
    pub index: usize,
    pub error: CallError,
}

/// Publishes alert messages to SNS topics.
pub trait AlertSink: Send + Sync {
    /// Publishes at most 10 messages whose total size fits one SNS request to
    /// `topic`. `Ok` lists the entries that failed; `Err` means none were
    /// published.
    fn publish(
        &self,
        topic: &TopicArn,
        batch: &[SnsMessage],
    ) -> impl Future<Output = Result<Vec<EntryFailure>, CallError>> + Send;
}

/// An SNS in memory (tests): records what was published, and to which topic;
/// each call takes the next scripted behaviour (default: everything succeeds),
/// and every call to a topic in `down` fails.
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeSns {
    /// The messages published, in order (to any topic).
    pub published: std::sync::Mutex<Vec<SnsMessage>>,
    /// The topic of each message of `published`.
    pub topics: std::sync::Mutex<Vec<TopicArn>>,
    /// Per call: `Ok` with the entries that fail (transiently), or the call's error.
    pub script: std::sync::Mutex<std::collections::VecDeque<Result<Vec<usize>, CallError>>>,
    /// Topics whose every call fails (transiently), as a topic that was deleted
    /// or throttles would.
    pub down: std::sync::Mutex<Vec<TopicArn>>,
}

#[cfg(any(test, feature = "testkit"))]
impl FakeSns {
    /// The messages published to `topic`, in order.
    pub fn published_to(&self, topic: &TopicArn) -> Vec<SnsMessage> {
        let topics = self.topics.lock().unwrap();
        let published = self.published.lock().unwrap();
        published
            .iter()
            .zip(topics.iter())
            .filter(|(_, t)| *t == topic)
            .map(|(m, _)| m.clone())
            .collect()
    }
}

#[cfg(any(test, feature = "testkit"))]
impl AlertSink for FakeSns {
    async fn publish(
        &self,
        topic: &TopicArn,
        batch: &[SnsMessage],
    ) -> Result<Vec<EntryFailure>, CallError> {
        assert!(batch.len() <= 10);
        if self.down.lock().unwrap().contains(topic) {
            return Err(CallError::transient(format!(
                "PublishBatch {topic}: InternalError"
            )));
        }
        let step = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Ok(vec![]));
        let failed = step?;
        let mut published = self.published.lock().unwrap();
        let mut topics = self.topics.lock().unwrap();
        for (i, m) in batch.iter().enumerate() {
            if !failed.contains(&i) {
                published.push(m.clone());
                topics.push(topic.clone());
            }
        }
        Ok(failed
            .into_iter()
            .map(|index| EntryFailure {
                index,
                error: CallError::transient("InternalError"),
            })
            .collect())
    }
}
