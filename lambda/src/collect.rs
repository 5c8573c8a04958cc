//! What one scan (a file, or an EventBridge record) keeps of its alerts, the same
//! for both paths: a suppressed alert is noted (logged and counted later), one
//! below the minimum severity is dropped, the rest go through the flood gate.

use cognito_trail_alerts::notice::FloodGate;
use cognito_trail_alerts::{Alert, Origin};

use crate::alert_filter::AlertFilter;
use crate::overlays::Hidden;

/// The alerts of one scan, sorted as they arrive.
pub struct Collected {
    pub gate: FloodGate,
    pub hidden: Hidden,
    min: cognito_trail_alerts::Severity,
}

impl Collected {
    /// An empty collection for a scan of `origin`.
    pub fn new(filter: &AlertFilter, origin: &Origin) -> Self {
        Collected {
            gate: FloodGate::new(filter.max_alerts_per_file, origin),
            hidden: Hidden::default(),
            min: filter.min_severity,
        }
    }

    /// Takes one alert of the scan.
    pub fn push(&mut self, alert: Alert) {
        if !self.hidden.note(&alert) && alert.severity >= self.min {
            self.gate.push(alert);
        }
    }
}
