//! Sends one file's notices: batches that respect SNS's limits, retries of failed
//! entries, and a memory of what this container already sent so that a retried
//! invocation does not send it again.

use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::Duration;

use cognito_trail_alerts::notice::{sns_message, Notice, SnsMessage, MAX_MESSAGE_BYTES};
use tracing::{info, warn};

use crate::failure::{CallError, Retry};
use crate::metrics::Tally;
use crate::ports::{AlertSink, EntryFailure};

const MAX_BATCH_ENTRIES: usize = 10;
/// Attempts per entry (the SDK also retries each request).
const ATTEMPTS: u32 = 3;
/// Entries remembered per container.
const SENT_CAPACITY: usize = 20_000;

/// What this container has published (bounded, oldest forgotten first), as
/// [`NoticeKey`]s.
#[derive(Debug, Default)]
pub struct SentLog {
    order: VecDeque<NoticeKey>,
    ids: HashSet<NoticeKey>,
}

impl SentLog {
    fn contains(&self, key: NoticeKey) -> bool {
        self.ids.contains(&key)
    }

    fn insert(&mut self, key: NoticeKey) {
        if self.ids.insert(key) {
            self.order.push_back(key);
        }
        while self.order.len() > SENT_CAPACITY {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
    }
}

/// A notice's identity: a 128-bit digest of `file#record#eventID` (or the file's
/// digest or unreadable notice). Keeping the ~200-byte text instead cost ~670 bytes
/// per alert in the load benchmark (13 MiB at capacity); a digest costs a few tens,
/// and a collision (which would skip an alert) has odds of about 2^-100.
type NoticeKey = u128;

/// The [`NoticeKey`] of a notice of the file `source`.
fn notice_key(source: &str, notice: &Notice) -> NoticeKey {
    let id = match notice {
        Notice::Alert(a) => format!(
            "{source}#{}#{}",
            a.source.record_index,
            a.event_id.as_deref().unwrap_or("")
        ),
        Notice::Digest(_) => format!("{source}#digest"),
        Notice::Unreadable(u) => format!("{source}#unreadable#{}", u.reason),
    };
    // Two SipHash-1-3 digests of the id behind different one-byte prefixes: the
    // standard library's hasher is deterministic and needs no new dependency.
    let half = |prefix: u8| {
        let mut h = std::hash::DefaultHasher::new();
        prefix.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// Splits messages into batches of at most 10 entries and 256 KB.
pub fn batches(messages: &[SnsMessage]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, m) in messages.iter().enumerate() {
        let len = m.body.len() + m.subject.len();
        if i > start && (i - start == MAX_BATCH_ENTRIES || size + len > MAX_MESSAGE_BYTES) {
            out.push(start..i);
            (start, size) = (i, 0);
        }
        size += len;
    }
    if start < messages.len() {
        out.push(start..messages.len());
    }
    out
}

/// Publishes `notices` of the file `source`; counts sent alerts and failures in
/// `tally`. Fails when any notice could not be published, so the invocation is
/// retried: an alert is never dropped silently.
pub async fn send<A: AlertSink>(
    sink: &A,
    sent: &Mutex<SentLog>,
    source: &str,
    notices: Vec<Notice>,
    tally: &mut Tally,
) -> Result<(), CallError> {
    let already = |key| sent.lock().map(|s| s.contains(key)).unwrap_or(false);
    let (keys, notices): (Vec<NoticeKey>, Vec<Notice>) = notices
        .into_iter()
        .map(|n| (notice_key(source, &n), n))
        .filter(|&(key, _)| !already(key))
        .unzip();
    let messages: Vec<SnsMessage> = notices.iter().map(sns_message).collect();
    let mut pending: Vec<usize> = (0..messages.len()).collect();
    let mut given_up = Vec::new();
    let mut last_error = None;
    for attempt in 0..ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
        }
        let current: Vec<SnsMessage> = pending.iter().map(|&i| messages[i].clone()).collect();
        let mut retry = Vec::new();
        for range in batches(&current) {
            let failures = publish_batch(sink, &current[range.clone()]).await;
            for (offset, &i) in pending[range].iter().enumerate() {
                match failures.iter().find(|f| f.index == offset) {
                    None => record_sent(sent, keys[i], &notices[i], tally),
                    Some(f) => {
                        warn!(source, subject = %messages[i].subject, error = %f.error, "publish failed");
                        let bucket = if f.error.retry == Retry::Permanent {
                            &mut given_up
                        } else {
                            &mut retry
                        };
                        bucket.push(i);
                        last_error = Some(f.error.clone());
                    }
                }
            }
        }
        pending = retry;
    }
    let failed = pending.len() + given_up.len();
    if failed == 0 {
        return Ok(());
    }
    tally.publish_failures += failed as u64;
    let error = last_error.map_or_else(|| "publish failed".to_string(), |e| e.message);
    Err(CallError::transient(format!(
        "{failed} of {} notices for {source} not published: {error}",
        messages.len()
    )))
}

/// One PublishBatch call; a request that fails as a whole fails every entry.
async fn publish_batch<A: AlertSink>(sink: &A, chunk: &[SnsMessage]) -> Vec<EntryFailure> {
    match sink.publish(chunk).await {
        Ok(failures) => failures,
        Err(error) => (0..chunk.len())
            .map(|index| EntryFailure {
                index,
                error: error.clone(),
            })
            .collect(),
    }
}

fn record_sent(sent: &Mutex<SentLog>, key: NoticeKey, notice: &Notice, tally: &mut Tally) {
    if let Ok(mut log) = sent.lock() {
        log.insert(key);
    }
    if let Notice::Alert(a) = notice {
        tally.alert(a.severity, &a.rule_id);
        info!(rule_id = %a.rule_id, severity = %a.severity, event_id = a.event_id.as_deref().unwrap_or(""), "alert published");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trail_alerts::Severity;

    fn msg(size: usize) -> SnsMessage {
        SnsMessage {
            subject: "s".into(),
            body: "x".repeat(size),
            severity: Severity::Low,
            truncated: false,
        }
    }

    #[test]
    fn batches_respect_count_and_size() {
        let small: Vec<_> = (0..23).map(|_| msg(100)).collect();
        assert_eq!(batches(&small), vec![0..10, 10..20, 20..23]);
        let big: Vec<_> = (0..3).map(|_| msg(100_000)).collect();
        assert_eq!(batches(&big), vec![0..2, 2..3]);
        assert!(batches(&[]).is_empty());
    }

    #[test]
    fn sent_log_forgets_the_oldest() {
        let mut log = SentLog::default();
        for i in 0..SENT_CAPACITY + 5 {
            log.insert(i as NoticeKey);
        }
        assert!(!log.contains(0) && log.contains((SENT_CAPACITY + 4) as NoticeKey));
        assert_eq!(log.ids.len(), SENT_CAPACITY);
    }
}
