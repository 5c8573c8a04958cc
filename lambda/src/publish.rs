//! Sends one file's notices: to each topic its routes name (the default topic
//! unless a route says otherwise), the alerts of one actor's burst as one change
//! set message (in numbered parts only to fit), in batches that respect SNS's
//! limits. Every member of a message is claimed in the state store (one claim per
//! notice and topic) before it is sent, failed entries are retried, and the
//! container remembers what it sent, so that a retried invocation sends nothing
//! twice to any topic (the first layer; the state store is the one that survives
//! containers).

use std::sync::Mutex;
use std::time::Duration;

use cognito_trail_alerts::claim::Key;
use cognito_trail_alerts::findings::ocsf_machine_body;
use cognito_trail_alerts::notice::change_set::Window;
use cognito_trail_alerts::notice::{
    machine, sns_message_with, MachineForm, Notice, SnsMessage, MAX_MESSAGE_BYTES,
};
use cognito_trail_alerts::routes::{facts_of, RouteTable, TopicArn};
use tracing::info;

use crate::claims::Claims;
use crate::clock::Clock;
use crate::deadline::Deadline;
use crate::failure::CallError;
use crate::metrics::Tally;
use crate::ports::{AlertSink, ClaimStore};

mod outcome;
mod rounds;
mod sent;
mod topic;
mod units;

pub use sent::SentLog;

const MAX_BATCH_ENTRIES: usize = 10;

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
/// claimed batch is then published within three rounds of this, inside the
/// claim's lease (`cognito_trail_alerts::claim::LEASE_SECS`).
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

impl OutputFormat {
    /// `OUTPUT_FORMAT` as configured: `json` (or unset) or `ocsf`.
    pub fn parse(text: Option<&str>) -> Result<OutputFormat, String> {
        match text.map(str::to_ascii_lowercase).as_deref() {
            None | Some("json") => Ok(OutputFormat::Json),
            Some("ocsf") => Ok(OutputFormat::Ocsf),
            Some(other) => Err(format!("OUTPUT_FORMAT {other:?} must be `json` or `ocsf`")),
        }
    }

    /// How one notice becomes a machine body in this form.
    pub fn form(self) -> MachineForm {
        match self {
            OutputFormat::Json => machine,
            OutputFormat::Ocsf => ocsf_machine_body,
        }
    }

    /// The SNS message for `notice` alone in this form.
    pub fn render(self, notice: &Notice) -> SnsMessage {
        sns_message_with(notice, self.form())
    }
}

/// Where and how notices go: the alert sink, the machine body's form, the route
/// table, and the change-set window (`CHANGE_SET_WINDOW`).
#[derive(Clone, Copy)]
pub struct Outlet<'a, A> {
    pub sink: &'a A,
    pub output: OutputFormat,
    pub routes: &'a RouteTable,
    pub window: Window,
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

/// What one `send` works with besides the store and the counts.
struct Cx<'a, A> {
    outlet: Outlet<'a, A>,
    sent: &'a Mutex<SentLog>,
    source: &'a str,
    channel: &'static str,
    version: Option<&'a str>,
    deadline: &'a Deadline,
    clock: Clock,
}

/// Publishes the notices of one file to their topics, message by message, each
/// member claimed in the state store first (see `claims`); counts sent alerts and
/// failures in `tally`. Fails when any notice could not be published to one of
/// its topics or another invocation holds its claim, so the invocation is
/// retried: an alert is never dropped silently. A batch that `deadline` leaves no
/// room for is not started: its notices are left for the retry (not counted as
/// `PublishFailures`, unless a round already failed them).
pub async fn send<A: AlertSink, T: ClaimStore>(
    outlet: Outlet<'_, A>,
    sent: &Mutex<SentLog>,
    claims: &mut Claims<'_, T>,
    file: FileNotices,
    tally: &mut Tally,
    deadline: &Deadline,
    clock: Clock,
) -> Result<(), CallError> {
    let routes = outlet.routes;
    let cx = Cx {
        outlet,
        sent,
        source: &file.place,
        channel: file.channel,
        version: file.version.as_deref(),
        deadline,
        clock,
    };
    let mut outcome = outcome::Outcome::new(file.notices.len());
    for (topic, notices) in by_topic(routes, &file.notices) {
        cx.to_topic(&topic, notices, claims, tally, &mut outcome)
            .await;
    }
    tally.publish_failures += outcome.failed as u64;
    outcome.result(cx.source, deadline)
}

/// Each topic the notices go to (the default topic first), with its notices in
/// file order.
fn by_topic(routes: &RouteTable, notices: &[Notice]) -> Vec<(TopicArn, Vec<Notice>)> {
    let mut out: Vec<(TopicArn, Vec<Notice>)> = vec![(routes.default_topic().clone(), vec![])];
    for n in notices {
        for topic in routes.route(&facts_of(n)).topics {
            match out.iter_mut().find(|(t, _)| t == topic) {
                Some((_, list)) => list.push(n.clone()),
                None => out.push((topic.clone(), vec![n.clone()])),
            }
        }
    }
    out.retain(|(_, list)| !list.is_empty());
    out
}

impl<A> Cx<'_, A> {
    /// The key `key` has on `topic` (the plain key on the default topic).
    fn on(&self, key: Key, topic: &TopicArn) -> Key {
        match self.routed(topic) {
            None => key,
            Some(t) => key.on_topic(t),
        }
    }

    /// `None` for the default topic, else the route topic's ARN.
    fn routed<'t>(&self, topic: &'t TopicArn) -> Option<&'t str> {
        (topic != self.outlet.routes.default_topic()).then_some(topic.as_str())
    }

    /// Notes a notice as sent to `topic`, so this container need not ask again.
    fn remember(&self, notice: &Notice, topic: &TopicArn) {
        let key = sent::notice_key_on(self.source, notice, self.routed(topic));
        if let Ok(mut log) = self.sent.lock() {
            log.insert(key);
        }
    }

    /// Whether this container already sent `notice` to `topic`.
    fn already(&self, notice: &Notice, topic: &TopicArn) -> bool {
        let key = sent::notice_key_on(self.source, notice, self.routed(topic));
        self.sent.lock().map(|s| s.contains(key)).unwrap_or(false)
    }

    /// A notice SNS accepted for `topic`: remembered, and counted once, on the
    /// first of its topics (an alert sent to two topics is one alert).
    fn record_sent(&self, notice: &Notice, topic: &TopicArn, tally: &mut Tally) {
        self.remember(notice, topic);
        let Notice::Alert(a) = notice else { return };
        let routing = self.outlet.routes.route(&facts_of(notice));
        if routing.topics.first() != Some(&topic) {
            return;
        }
        tally.alert(a.severity, &a.rule_id);
        tally.delivered(self.channel, a.event_time.as_deref(), self.clock.unix());
        info!(rule_id = %a.rule_id, severity = %a.severity, event_id = a.event_id.as_deref().unwrap_or(""), topics = routing.topics.len(), "alert published");
    }
}

#[cfg(test)]
mod tests;
