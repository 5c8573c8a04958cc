//! Publishing alerts: the port and the fake. The adapter is `aws::SnsSink`.

use std::future::Future;

use cognito_trail_alerts::notice::SnsMessage;

use crate::failure::CallError;

/// One entry of a batch that was not published.
#[derive(Debug, Clone)]
pub struct EntryFailure {
    /// Position in the batch given to `publish`.
    pub index: usize,
    pub error: CallError,
}

/// Publishes alert messages.
pub trait AlertSink: Send + Sync {
    /// Publishes at most 10 messages whose total size fits one SNS request.
    /// `Ok` lists the entries that failed; `Err` means none were published.
    fn publish(
        &self,
        batch: &[SnsMessage],
    ) -> impl Future<Output = Result<Vec<EntryFailure>, CallError>> + Send;
}

/// An SNS in memory (tests): records what was published; each call takes the
/// next scripted behaviour (default: everything succeeds).
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeSns {
    /// The messages published, in order.
    pub published: std::sync::Mutex<Vec<SnsMessage>>,
    /// Per call: `Ok` with the entries that fail (transiently), or the call's error.
    pub script: std::sync::Mutex<std::collections::VecDeque<Result<Vec<usize>, CallError>>>,
}

#[cfg(any(test, feature = "testkit"))]
impl AlertSink for FakeSns {
    async fn publish(&self, batch: &[SnsMessage]) -> Result<Vec<EntryFailure>, CallError> {
        assert!(batch.len() <= 10);
        let step = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Ok(vec![]));
        let failed = step?;
        let mut published = self.published.lock().unwrap();
        for (i, m) in batch.iter().enumerate() {
            if !failed.contains(&i) {
                published.push(m.clone());
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
