//! Per-invocation counters and the CloudWatch datums they become. This is the one
//! place that names every metric; dimension values are low-cardinality by design
//! (severities, rule ids, skip reasons: never event ids or ARNs).

use std::collections::BTreeMap;

use cognito_trail_alerts::Severity;

/// Metric names.
pub mod name;

/// Unit of a datum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Seconds,
}

impl Unit {
    /// CloudWatch's name for the unit.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Seconds => "Seconds",
        }
    }
}

/// One metric value, SDK-independent.
#[derive(Debug, Clone, PartialEq)]
pub struct Datum {
    pub name: &'static str,
    pub dimensions: Vec<(&'static str, String)>,
    pub value: f64,
    pub unit: Unit,
}

/// What one invocation did.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub by_severity: BTreeMap<Severity, u64>,
    pub by_rule: BTreeMap<String, u64>,
    pub records: u64,
    pub files: u64,
    pub skipped: BTreeMap<&'static str, u64>,
    pub file_errors: u64,
    pub record_errors: u64,
    pub publish_failures: u64,
    /// Worst delivery delay seen: now − newest eventTime of a file.
    pub latency_seconds: Option<f64>,
    /// A state store is configured: its two counters are sent.
    pub state_enabled: bool,
    pub state_unavailable: u64,
    pub duplicates_suppressed: u64,
    /// Duplicates suppressed, by the path that delivered them second.
    pub duplicates_by_path: BTreeMap<&'static str, u64>,
    /// Alerts SNS accepted, by path (`s3`, `eventbridge`).
    pub alerts_by_path: BTreeMap<&'static str, u64>,
    /// Worst event time → SNS accepted, by path.
    pub end_to_end: BTreeMap<&'static str, f64>,
    /// The rules have suppressions: the `Suppressed` total is sent, zeros included.
    pub suppressions_enabled: bool,
    /// Alerts hidden, per suppression id.
    pub suppressed: BTreeMap<String, u64>,
    /// Alerts naming a user, by the lookup's status.
    pub user_lookups: BTreeMap<&'static str, u64>,
    /// Alerts whose resource fails each posture check after the change.
    pub failing_checks: BTreeMap<String, u64>,
    /// Snapshots are on: their counters are sent, zeros included.
    pub snapshots_enabled: bool,
    /// Resources seeded by a snapshot.
    pub snapshots: u64,
    /// Snapshots not taken, by reason.
    pub snapshot_failures: BTreeMap<&'static str, u64>,
    /// The chains' counters.
    pub chains: ChainTally,
    /// Messages per topic.
    pub topics: TopicTally,
    /// Account names' counters (`ACCOUNT_NAMES_ROLE_ARN`).
    pub account_names: AccountNameTally,
    /// Security Hub imports (`SECURITY_HUB`).
    pub findings: FindingTally,
}

impl Tally {
    /// Counts one alert that was sent.
    pub fn alert(&mut self, severity: Severity, rule_id: &str) {
        *self.by_severity.entry(severity).or_default() += 1;
        *self.by_rule.entry(rule_id.to_string()).or_default() += 1;
    }

    /// Adds one scan's failing posture checks (see `Collected`).
    pub fn failing_checks(&mut self, counts: BTreeMap<String, u64>) {
        for (check, n) in counts {
            *self.failing_checks.entry(check).or_default() += n;
        }
    }

    /// Counts one batch's messages to the topic named `topic`.
    pub fn topic_messages(&mut self, topic: &str, sent: usize, failed: usize) {
        self.topics.add(topic, sent, failed);
    }

    /// Counts one alert a suppression hid.
    pub fn suppressed(&mut self, suppression_id: &str) {
        *self
            .suppressed
            .entry(suppression_id.to_string())
            .or_default() += 1;
    }

    /// Counts a notice the store says another path (or delivery) already sent.
    pub fn duplicate(&mut self, path: &'static str) {
        *self.duplicates_by_path.entry(path).or_default() += 1;
    }

    /// Records an alert SNS accepted, delivered by `path`, for an event at
    /// `event_time`: its end-to-end latency.
    pub fn delivered(&mut self, path: &'static str, event_time: Option<&str>, now_unix: f64) {
        *self.alerts_by_path.entry(path).or_default() += 1;
        let Some(t) = event_time.and_then(parse_utc) else {
            return;
        };
        let delay = (now_unix - t).max(0.0);
        let worst = self.end_to_end.entry(path).or_insert(delay);
        *worst = worst.max(delay);
    }

    /// Counts one alert naming a user, by what its lookup said.
    pub fn user_lookup(&mut self, status: &'static str) {
        *self.user_lookups.entry(status).or_default() += 1;
    }

    /// Counts one object not scanned.
    pub fn skip(&mut self, reason: &'static str) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// Records the delay between a file's newest event and `now_unix`.
    pub fn latency(&mut self, newest_event_time: Option<&str>, now_unix: f64) {
        let Some(t) = newest_event_time.and_then(parse_utc) else {
            return;
        };
        let delay = (now_unix - t).max(0.0);
        self.latency_seconds = Some(self.latency_seconds.map_or(delay, |d| d.max(delay)));
    }

    /// The datums for this invocation. Counters are always sent (zeros included) so
    /// every series is continuous; per-rule alerts only for rules that fired.
    pub fn datums(&self) -> Vec<Datum> {
        let mut out = vec![count(name::ALERTS, vec![], self.by_severity.values().sum())];
        for s in Severity::ALL {
            let n = self.by_severity.get(&s).copied().unwrap_or(0);
            out.push(count(
                name::ALERTS,
                vec![("Severity", s.as_str().to_string())],
                n,
            ));
        }
        for (rule, n) in &self.by_rule {
            out.push(count(name::ALERTS, vec![("RuleId", rule.clone())], *n));
        }
        for (check, n) in &self.failing_checks {
            out.push(count(
                name::FAILING_CHECKS,
                vec![("Check", check.clone())],
                *n,
            ));
        }
        out.push(count(name::RECORDS_PROCESSED, vec![], self.records));
        out.push(count(name::FILES_PROCESSED, vec![], self.files));
        out.push(count(
            name::OBJECTS_SKIPPED,
            vec![],
            self.skipped.values().sum(),
        ));
        for (reason, n) in &self.skipped {
            out.push(count(
                name::OBJECTS_SKIPPED,
                vec![("Reason", reason.to_string())],
                *n,
            ));
        }
        out.push(count(name::FILE_ERRORS, vec![], self.file_errors));
        out.push(count(name::RECORD_ERRORS, vec![], self.record_errors));
        out.push(count(name::PUBLISH_FAILURES, vec![], self.publish_failures));
        if self.state_enabled {
            out.push(count(
                name::STATE_UNAVAILABLE,
                vec![],
                self.state_unavailable,
            ));
            out.push(count(
                name::DUPLICATES_SUPPRESSED,
                vec![],
                self.duplicates_suppressed,
            ));
            for (path, n) in &self.duplicates_by_path {
                let path = vec![("Path", path.to_string())];
                out.push(count(name::DUPLICATES_SUPPRESSED, path, *n));
            }
        }
        for (path, n) in &self.alerts_by_path {
            out.push(count(name::ALERTS, vec![("Path", path.to_string())], *n));
        }
        for (path, latency) in self.end_to_end.iter().filter(|(_, l)| l.is_finite()) {
            out.push(Datum {
                name: name::END_TO_END_LATENCY,
                dimensions: vec![("Path", path.to_string())],
                value: *latency,
                unit: Unit::Seconds,
            });
        }
        if self.suppressions_enabled || !self.suppressed.is_empty() {
            let total = self.suppressed.values().sum();
            out.push(count(name::SUPPRESSED, vec![], total));
        }
        // Per id only when it hid something: an id is a dimension value that costs
        // only for the hours it is sent.
        for (id, n) in &self.suppressed {
            out.push(count(
                name::SUPPRESSED,
                vec![("SuppressionId", id.clone())],
                *n,
            ));
        }
        for (status, n) in &self.user_lookups {
            let status = vec![("Status", status.to_string())];
            out.push(count(name::USER_LOOKUPS, status, *n));
        }
        if self.snapshots_enabled {
            out.push(count(name::SNAPSHOTS, vec![], self.snapshots));
            let failed = self.snapshot_failures.values().sum();
            out.push(count(name::SNAPSHOT_FAILURES, vec![], failed));
            for (reason, n) in &self.snapshot_failures {
                let reason = vec![("Reason", reason.to_string())];
                out.push(count(name::SNAPSHOT_FAILURES, reason, *n));
            }
        }
        out.extend(self.chains.datums());
        out.extend(self.topics.datums());
        out.extend(self.account_names.datums());
        out.extend(self.findings.datums());
        if let Some(latency) = self.latency_seconds.filter(|l| l.is_finite()) {
            out.push(Datum {
                name: name::PROCESSING_LATENCY,
                dimensions: vec![],
                value: latency,
                unit: Unit::Seconds,
            });
        }
        out
    }
}

/// A count datum.
fn count(name: &'static str, dimensions: Vec<(&'static str, String)>, value: u64) -> Datum {
    Datum {
        name,
        dimensions,
        value: value as f64,
        unit: Unit::Count,
    }
}

/// Seconds since the Unix epoch of a CloudTrail `eventTime`
/// (`2026-11-20T09:02:41Z`): the chains' reading of event times, not a second one.
pub fn parse_utc(s: &str) -> Option<f64> {
    cognito_trail_alerts::chains::parse_event_time(s)
        .ok()
        .map(|t| t as f64)
}

mod accounts;
mod chains;
mod emf;
mod findings;
mod topics;

pub use accounts::AccountNameTally;
pub use chains::ChainTally;
pub use emf::emf;
pub use findings::FindingTally;
pub use topics::TopicTally;

#[cfg(test)]
mod tests;
