//! What gets sent: an alert, a digest standing for alerts held back from a flood,
//! or the news that a trail file could not be read. Pure renderers for each
//! destination live beside it (subject, text, Slack, JSON, the SNS message), and
//! change sets: one actor's alerts of one burst published as one message.

pub mod change_set;
mod render;
mod self_test;
mod slack;
mod sns;

use std::collections::BTreeMap;

use serde::Serialize;

pub use change_set::{change_sets, sns_parts, ChangeSet, ChangeSetPart};
pub use render::{subject, text};
pub use self_test::{self_test_alert, SELF_TEST_RULE};
pub use slack::{chatbot, inline};
pub use sns::{machine, sns_message, sns_message_with, MachineForm, SnsMessage, MAX_MESSAGE_BYTES};

use crate::{Alert, Origin, Severity};

/// Alerts held back from one file, counted.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub source: Origin,
    pub account_id: Option<String>,
    pub region: Option<String>,
    /// Alerts sent individually for this file.
    pub sent: usize,
    /// Alerts not sent individually.
    pub held_back: usize,
    /// Held-back alerts by severity and by rule.
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_rule: BTreeMap<String, usize>,
    /// The highest severity among the held-back alerts.
    pub severity: Severity,
}

/// A trail file that cannot be read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unreadable {
    pub source: Origin,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub reason: String,
    /// Records read before the failure (their alerts were sent).
    pub records_before_failure: u64,
}

/// Severity of an unreadable-file notice: a trail that cannot be read hides whatever
/// it recorded, and a tampered file looks exactly like this.
pub const UNREADABLE_SEVERITY: Severity = Severity::High;

/// One message to send.
#[derive(Debug, Clone)]
pub enum Notice {
    Alert(Box<Alert>),
    Digest(Digest),
    Unreadable(Unreadable),
}

impl Notice {
    /// Severity used for the subject and for filtering.
    pub fn severity(&self) -> Severity {
        match self {
            Notice::Alert(a) => a.severity,
            Notice::Digest(d) => d.severity,
            Notice::Unreadable(_) => UNREADABLE_SEVERITY,
        }
    }

    /// Machine-readable form (what SQS and Lambda subscribers get), with a `kind`.
    pub fn json(&self) -> serde_json::Value {
        let (kind, value) = match self {
            Notice::Alert(a) => ("alert", serde_json::to_value(a)),
            Notice::Digest(d) => ("digest", serde_json::to_value(d)),
            Notice::Unreadable(u) => ("unreadable_file", serde_json::to_value(u)),
        };
        // These plain structs always serialize to objects.
        let mut map = match value {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        map.insert("kind".into(), kind.into());
        serde_json::Value::Object(map)
    }
}

/// Collects one file's alerts as they stream out of the engine, holding at most
/// `max`: when more arrive, the least severe (the latest on a tie) is counted into
/// the digest instead. Memory stays bounded however many alerts a file yields.
#[derive(Debug)]
pub struct FloodGate {
    max: usize,
    kept: Vec<Alert>,
    digest: Digest,
}

impl FloodGate {
    /// A gate keeping at most `max` alerts of the file `source`.
    pub fn new(max: usize, source: &Origin) -> Self {
        FloodGate {
            max,
            kept: Vec::new(),
            digest: Digest {
                source: source.clone(),
                account_id: None,
                region: None,
                sent: 0,
                held_back: 0,
                by_severity: BTreeMap::new(),
                by_rule: BTreeMap::new(),
                severity: Severity::Info,
            },
        }
    }

    /// Offers one alert.
    pub fn push(&mut self, alert: Alert) {
        if self.digest.account_id.is_none() {
            self.digest.account_id = alert.account_id.clone();
            self.digest.region = alert.region.clone();
        }
        self.kept.push(alert);
        if self.kept.len() <= self.max {
            return;
        }
        let lowest = self
            .kept
            .iter()
            .map(|a| a.severity)
            .min()
            .unwrap_or(Severity::Info);
        let evict = self
            .kept
            .iter()
            .rposition(|a| a.severity == lowest)
            .unwrap_or(0);
        let out = self.kept.remove(evict);
        *self.digest.by_severity.entry(out.severity).or_default() += 1;
        *self.digest.by_rule.entry(out.rule_id).or_default() += 1;
        self.digest.severity = self.digest.severity.max(out.severity);
        self.digest.held_back += 1;
    }

    /// The alerts kept, in file order, then a digest if any were held back.
    pub fn finish(self) -> Vec<Notice> {
        let mut digest = self.digest;
        digest.sent = self.kept.len();
        let mut notices: Vec<Notice> = self
            .kept
            .into_iter()
            .map(|a| Notice::Alert(Box::new(a)))
            .collect();
        if digest.held_back > 0 {
            notices.push(Notice::Digest(digest));
        }
        notices
    }
}

/// All of `alerts` through a [`FloodGate`] of size `max`.
pub fn plan(alerts: Vec<Alert>, max: usize, source: &Origin) -> Vec<Notice> {
    let mut gate = FloodGate::new(max, source);
    alerts.into_iter().for_each(|a| gate.push(a));
    gate.finish()
}

#[cfg(test)]
mod tests;
