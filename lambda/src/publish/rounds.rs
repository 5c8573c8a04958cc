//! Publishing one batch of messages to one topic: up to [`ATTEMPTS`] rounds, each
//! one PublishBatch call bounded in time, as many as the deadline leaves room for.

use std::time::Duration;

use cognito_trail_alerts::notice::SnsMessage;
use cognito_trail_alerts::routes::TopicArn;
use tracing::warn;

use super::PUBLISH_TIMEOUT;
use crate::deadline::{self, Deadline};
use crate::failure::{CallError, Retry};
use crate::ports::{AlertSink, EntryFailure};

/// Attempts per entry (the SDK also retries each request).
const ATTEMPTS: u32 = 3;

/// Publishes `messages[i]` for each `i` of `todo` (one batch) to `topic`; returns
/// the positions published and those that failed, with their last error.
pub(super) async fn publish_rounds<A: AlertSink>(
    sink: &A,
    topic: &TopicArn,
    messages: &[SnsMessage],
    todo: &[usize],
    deadline: &Deadline,
) -> (Vec<usize>, Vec<(usize, CallError)>) {
    let mut pending: Vec<(usize, Option<CallError>)> = todo.iter().map(|&i| (i, None)).collect();
    let (mut done, mut given_up) = (Vec::new(), Vec::new());
    for attempt in 0..ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        if attempt > 0 {
            if !deadline.allows(deadline::ROUND) {
                warn!(topic = %topic, pending = pending.len(), "deadline near: no more publish rounds");
                break;
            }
            tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
        }
        let chunk: Vec<SnsMessage> = pending.iter().map(|p| messages[p.0].clone()).collect();
        let failures = publish_batch(sink, topic, &chunk, deadline.bound(PUBLISH_TIMEOUT)).await;
        deadline.progressed();
        let mut retry = Vec::new();
        for (offset, (i, _)) in pending.into_iter().enumerate() {
            let Some(f) = failures.iter().find(|f| f.index == offset) else {
                done.push(i);
                continue;
            };
            warn!(topic = %topic, subject = %messages[i].subject, error = %f.error, "publish failed");
            if f.error.retry == Retry::Permanent {
                given_up.push((i, f.error.clone()));
            } else {
                retry.push((i, Some(f.error.clone())));
            }
        }
        pending = retry;
    }
    let failed = pending
        .into_iter()
        .map(|(i, e)| {
            (
                i,
                e.unwrap_or_else(|| CallError::transient("publish failed")),
            )
        })
        .chain(given_up)
        .collect();
    (done, failed)
}

/// One PublishBatch call, bounded by `limit` ([`PUBLISH_TIMEOUT`] or less near the
/// deadline); a request that fails as a whole fails every entry.
async fn publish_batch<A: AlertSink>(
    sink: &A,
    topic: &TopicArn,
    chunk: &[SnsMessage],
    limit: Duration,
) -> Vec<EntryFailure> {
    let answer = tokio::time::timeout(limit, sink.publish(topic, chunk))
        .await
        .unwrap_or_else(|_| {
            Err(CallError::transient(format!(
                "PublishBatch {topic}: no answer within {:.1} s",
                limit.as_secs_f64()
            )))
        });
    match answer {
        Ok(failures) => failures,
        Err(error) => (0..chunk.len())
            .map(|index| EntryFailure {
                index,
                error: error.clone(),
            })
            .collect(),
    }
}
