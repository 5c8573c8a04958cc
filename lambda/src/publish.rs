//! Sends one file's notices: batches that respect SNS's limits, each claimed in
//! the state store when there is one, retries of failed entries, and a memory of
//! what this container already sent so that a retried invocation does not send it
//! again (the first layer; the state store is the one that survives containers).

use std::sync::Mutex;
use std::time::Duration;

use cognito_trail_alerts::claim::{claim_key, Key};
use cognito_trail_alerts::findings::sns_message_ocsf;
use cognito_trail_alerts::notice::{sns_message, Notice, SnsMessage, MAX_MESSAGE_BYTES};
use tracing::{info, warn};

use crate::claims::{Claims, Fate};
use crate::clock::Clock;
use crate::deadline::{self, Deadline};
use crate::failure::{CallError, Retry};
use crate::metrics::Tally;
use crate::ports::{AlertSink, ClaimStore, EntryFailure};

mod sent;

pub use sent::SentLog;
use sent::{notice_key, NoticeKey};

const MAX_BATCH_ENTRIES: usize = 10;
/// Attempts per entry (the SDK also retries each request).
const ATTEMPTS: u32 = 3;

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

/// Bounds one PublishBatch call, the SDK's retries included (three attempts with
/// a 10 s first-byte timeout could otherwise take half a minute and more): a
/// claimed batch is then published within [`ATTEMPTS`] rounds of this, inside
/// the claim's lease (`cognito_trail_alerts::claim::LEASE_SECS`).
pub const PUBLISH_TIMEOUT: Duration = Duration::from_secs(15);

/// The machine-readable form of the `sqs` and `lambda` bodies (`OUTPUT_FORMAT`):
/// the alert's own JSON, or an OCSF Detection Finding (class 2004). Email and
/// Chatbot bodies are the same either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    #[default]
    Json,
    Ocsf,
}

/// Where and in what form notices go: the alert sink and the machine body's form.
#[derive(Clone, Copy)]
pub struct Outlet<'a, A> {
    pub sink: &'a A,
    pub output: OutputFormat,
}

impl OutputFormat {
    /// `OUTPUT_FORMAT` as configured: `json` (or unset) or `ocsf`.
    pub fn parse(text: Option<&str>) -> Result<OutputFormat, String> {
        match text.map(str::to_ascii_lowercase).as_deref() {
            None | Some("json") => Ok(OutputFormat::Json),
            Some("ocsf") => Ok(OutputFormat::Ocsf),
            Some(other) => Err(format!("OUTPUT_FORMAT {other:?} must be `json` or `ocsf`")),
        }
    }

    /// The SNS message for `notice` in this form.
    pub fn render(self, notice: &Notice) -> SnsMessage {
        match self {
            OutputFormat::Json => sns_message(notice),
            OutputFormat::Ocsf => sns_message_ocsf(notice),
        }
    }
}

/// One file's notices, and what identifies the object they came from.
pub struct FileNotices {
    /// `s3://bucket/key`, or the EventBridge event.
    pub place: String,
    /// The delivery channel (`s3`, `eventbridge`): the `Path` metric dimension.
    pub channel: &'static str,
    /// The object's version id or ETag, when known.
    pub version: Option<String>,
    pub notices: Vec<Notice>,
    /// The chains' groups its hits stepped, written once the notices are out.
    pub chains: Vec<crate::chains::Group>,
}

/// Publishes the notices of one file, batch by batch, each batch claimed in the
/// state store first (see `claims`); counts sent alerts and failures in `tally`.
/// Fails when any notice could not be published or another invocation holds its
/// claim, so the invocation is retried: an alert is never dropped silently. A
/// batch or retry round that `deadline` leaves no room for is not started: its
/// notices are left for the retry (not counted as `PublishFailures`, unless a
/// round already failed them).
pub async fn send<A: AlertSink, T: ClaimStore>(
    Outlet { sink, output }: Outlet<'_, A>,
    sent: &Mutex<SentLog>,
    claims: &mut Claims<'_, T>,
    file: FileNotices,
    tally: &mut Tally,
    deadline: &Deadline,
    clock: Clock,
) -> Result<(), CallError> {
    let source = file.place.as_str();
    let already = |key| sent.lock().map(|s| s.contains(key)).unwrap_or(false);
    let (keys, notices): (Vec<NoticeKey>, Vec<Notice>) = file
        .notices
        .into_iter()
        .map(|n| (notice_key(source, &n), n))
        .filter(|&(key, _)| !already(key))
        .unzip();
    let messages: Vec<SnsMessage> = notices.iter().map(|n| output.render(n)).collect();
    let state_keys: Vec<Key> = notices
        .iter()
        .map(|n| claim_key(n, file.version.as_deref()))
        .collect();
    let (mut failed, mut deferred, mut late, mut last_error) = (0, 0, 0, None);
    for range in batches(&messages) {
        if !deadline.allows(deadline::BATCH) {
            late += range.len();
            continue;
        }
        let fates = claims.claim(&state_keys[range.clone()], tally).await;
        let mut todo = Vec::new();
        for (i, fate) in range.zip(fates) {
            match fate {
                Fate::Publish { claimed } => todo.push((i, claimed)),
                Fate::Sent => {
                    tally.duplicate(file.channel);
                    remember(sent, keys[i]);
                }
                Fate::Deferred { .. } => deferred += 1,
            }
        }
        let (done, errors) = publish_rounds(sink, &messages, &todo, source, deadline).await;
        for &i in &done {
            record_sent(sent, keys[i], &notices[i], file.channel, tally, clock);
        }
        // Only this invocation's claims are completed or released: a notice
        // published without one (the store failed) has nothing to record.
        let claimed = |list: &[usize]| -> Vec<Key> {
            list.iter()
                .filter(|&&i| todo.contains(&(i, true)))
                .map(|&i| state_keys[i].clone())
                .collect()
        };
        let failed_now: Vec<usize> = errors.iter().map(|e| e.0).collect();
        claims.complete(&claimed(&done), tally).await;
        claims.release(&claimed(&failed_now), tally).await;
        failed += errors.len();
        last_error = errors.into_iter().last().map(|e| e.1).or(last_error);
    }
    if failed + deferred + late == 0 {
        return Ok(());
    }
    tally.publish_failures += failed as u64;
    let mut why = Vec::new();
    if failed > 0 {
        let error = last_error.map_or_else(|| "publish failed".to_string(), |e| e.message);
        why.push(format!(
            "{failed} of {} notices for {source} not published: {error}",
            messages.len()
        ));
    }
    if late > 0 {
        why.push(
            deadline
                .stopped(&format!(
                    "{late} of {} notices for {source}",
                    messages.len()
                ))
                .message,
        );
    }
    if deferred > 0 {
        why.push(format!(
            "{deferred} of {} notices for {source} are being published by another invocation: retry later",
            messages.len()
        ));
    }
    Err(CallError::transient(why.join("; ")))
}

/// Publishes the messages at `todo` (one batch) in up to [`ATTEMPTS`] rounds, as
/// many as `deadline` leaves room for; returns those published and those that
/// failed, with their last error.
async fn publish_rounds<A: AlertSink>(
    sink: &A,
    messages: &[SnsMessage],
    todo: &[(usize, bool)],
    source: &str,
    deadline: &Deadline,
) -> (Vec<usize>, Vec<(usize, CallError)>) {
    let mut pending: Vec<(usize, Option<CallError>)> =
        todo.iter().map(|&(i, _)| (i, None)).collect();
    let (mut done, mut given_up) = (Vec::new(), Vec::new());
    for attempt in 0..ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        if attempt > 0 {
            if !deadline.allows(deadline::ROUND) {
                warn!(
                    source,
                    pending = pending.len(),
                    "deadline near: no more publish rounds"
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
        }
        let chunk: Vec<SnsMessage> = pending.iter().map(|p| messages[p.0].clone()).collect();
        let failures = publish_batch(sink, &chunk, deadline.bound(PUBLISH_TIMEOUT)).await;
        deadline.progressed();
        let mut retry = Vec::new();
        for (offset, (i, _)) in pending.into_iter().enumerate() {
            let Some(f) = failures.iter().find(|f| f.index == offset) else {
                done.push(i);
                continue;
            };
            warn!(source, subject = %messages[i].subject, error = %f.error, "publish failed");
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
    chunk: &[SnsMessage],
    limit: Duration,
) -> Vec<EntryFailure> {
    let answer = tokio::time::timeout(limit, sink.publish(chunk))
        .await
        .unwrap_or_else(|_| {
            Err(CallError::transient(format!(
                "PublishBatch: no answer within {:.1} s",
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

/// Notes a notice the state store says was sent, so this container need not ask.
fn remember(sent: &Mutex<SentLog>, key: NoticeKey) {
    if let Ok(mut log) = sent.lock() {
        log.insert(key);
    }
}

fn record_sent(
    sent: &Mutex<SentLog>,
    key: NoticeKey,
    notice: &Notice,
    channel: &'static str,
    tally: &mut Tally,
    clock: Clock,
) {
    remember(sent, key);
    if let Notice::Alert(a) = notice {
        tally.alert(a.severity, &a.rule_id);
        tally.delivered(channel, a.event_time.as_deref(), clock.unix());
        info!(rule_id = %a.rule_id, severity = %a.severity, event_id = a.event_id.as_deref().unwrap_or(""), "alert published");
    }
}

#[cfg(test)]
mod tests;
