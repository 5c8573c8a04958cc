//! What gets sent: an alert, a digest standing for alerts held back from a flood,
//! or the news that a trail file could not be read. Pure renderers for each
//! destination live beside it (subject, text, Slack, JSON, the SNS message).

mod render;
mod slack;
mod sns;

use std::collections::BTreeMap;

use serde::Serialize;

pub use render::{subject, text};
pub use slack::{chatbot, inline};
pub use sns::{sns_message, SnsMessage, MAX_MESSAGE_BYTES};

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

/// The notices for one file's alerts: all of them when there are at most `max`,
/// otherwise the `max` most severe (in file order) and one digest for the rest.
pub fn plan(alerts: Vec<Alert>, max: usize, source: &Origin) -> Vec<Notice> {
    if alerts.len() <= max {
        return alerts
            .into_iter()
            .map(|a| Notice::Alert(Box::new(a)))
            .collect();
    }
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    // Stable sort: equal severities keep file order.
    order.sort_by_key(|&i| std::cmp::Reverse(alerts[i].severity));
    let keep: std::collections::HashSet<usize> = order[..max].iter().copied().collect();
    let mut notices = Vec::with_capacity(max + 1);
    let mut digest = Digest {
        source: source.clone(),
        account_id: alerts[0].account_id.clone(),
        region: alerts[0].region.clone(),
        sent: max,
        held_back: alerts.len() - max,
        by_severity: BTreeMap::new(),
        by_rule: BTreeMap::new(),
        severity: Severity::Info,
    };
    for (i, alert) in alerts.into_iter().enumerate() {
        if keep.contains(&i) {
            notices.push(Notice::Alert(Box::new(alert)));
            continue;
        }
        *digest.by_severity.entry(alert.severity).or_default() += 1;
        *digest.by_rule.entry(alert.rule_id.clone()).or_default() += 1;
        digest.severity = digest.severity.max(alert.severity);
    }
    notices.push(Notice::Digest(digest));
    notices
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
