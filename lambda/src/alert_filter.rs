//! Which alerts of a scan the function publishes (a subset of the configuration).

use cognito_trail_alerts::Severity;

/// The handler's minimum severity and per-file cap (`MIN_SEVERITY`,
/// `MAX_ALERTS_PER_FILE`).
#[derive(Debug, Clone)]
pub struct AlertFilter {
    /// Alerts below this are dropped.
    pub min_severity: Severity,
    /// Past this many alerts in one file, the flood gate sends a digest instead.
    pub max_alerts_per_file: usize,
}
