//! What one scan (a file, or an EventBridge record) keeps of its alerts, the same
//! for both paths: a suppressed alert is noted (logged and counted later), one
//! below the minimum severity is dropped, the rest go through the flood gate. The
//! posture checks each alert's resource fails after its change are counted, sent
//! or not (a restatement is not sent, but its pool still fails its checks).

use std::collections::BTreeMap;

use cognito_trail_alerts::engine::{Found, StepHit};
use cognito_trail_alerts::notice::FloodGate;
use cognito_trail_alerts::{Alert, Origin};

use crate::alert_filter::AlertFilter;
use crate::overlays::Hidden;

/// The alerts of one scan, sorted as they arrive.
pub struct Collected {
    pub gate: FloodGate,
    pub hidden: Hidden,
    /// Per check id: the alerts whose resource fails it after the change.
    pub failing_checks: BTreeMap<String, u64>,
    min: cognito_trail_alerts::Severity,
    /// The scan's hits of chain steps, stepped after the scan (`chains`).
    pub hits: Vec<StepHit>,
}

impl Collected {
    /// An empty collection for a scan of `origin`.
    pub fn new(filter: &AlertFilter, origin: &Origin) -> Self {
        Collected {
            gate: FloodGate::new(filter.max_alerts_per_file, origin),
            hidden: Hidden::default(),
            failing_checks: BTreeMap::new(),
            min: filter.min_severity,
            hits: Vec::new(),
        }
    }

    /// Takes what the scan found: an alert, or a hit of a chain step.
    pub fn found(&mut self, found: Found) {
        match found {
            Found::Alert(a) => self.push(*a),
            Found::Hit(h) => self.hits.push(h),
        }
    }

    /// Takes one alert of the scan.
    pub fn push(&mut self, alert: Alert) {
        // A refused call changed nothing: its checks say what it tried.
        if !alert.failed() {
            let checks = &alert.checks;
            for c in checks.failed.iter().chain(&checks.still_failing) {
                *self.failing_checks.entry(c.check.id.clone()).or_default() += 1;
            }
        }
        if !self.hidden.note(&alert) && alert.severity >= self.min {
            self.gate.push(alert);
        }
    }
}
