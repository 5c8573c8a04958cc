//! The CLI side of overlays: today's date, warnings about suppressions that are
//! expiring, and the count of what suppressions hid in a scan.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_trail_alerts::rules::Date;
use cognito_trail_alerts::{Alert, RuleSet};

/// Today's UTC date: the clock is read here, at the edge, never in the engine.
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_unix_seconds(secs as i64)
}

/// Warns on stderr about suppressions expired or expiring within 14 days.
pub fn warn_expiring(rules: &RuleSet) {
    for (s, left) in rules.expiring() {
        let when = match left {
            ..=0 => format!("expired on {}: it no longer suppresses", s.expires),
            1 => format!("expires tomorrow ({})", s.expires),
            n => format!("expires in {n} days ({})", s.expires),
        };
        eprintln!(
            "warning: {}: suppression {} (owner {}) {when}",
            s.place, s.id, s.owner
        );
    }
}

/// What suppressions did during one scan.
#[derive(Debug, Default)]
pub struct SuppressionTally {
    /// Alerts hidden, per suppression id.
    pub hidden: BTreeMap<String, u64>,
    /// Expired suppressions that matched an alert (which was therefore sent).
    pub expired: BTreeSet<String>,
}

impl SuppressionTally {
    /// Counts `alert`; returns whether a suppression hides it.
    pub fn note(&mut self, alert: &Alert) -> bool {
        if let Some(id) = &alert.expired_suppression {
            self.expired.insert(id.clone());
        }
        let Some(id) = &alert.suppressed_by else {
            return false;
        };
        *self.hidden.entry(id.clone()).or_default() += 1;
        true
    }

    /// The summary line's part: `, 3 suppressed (sandbox-pools 3)`.
    pub fn summary(&self, show_suppressed: bool) -> String {
        let total: u64 = self.hidden.values().sum();
        if total == 0 {
            return String::new();
        }
        let each: Vec<String> = self
            .hidden
            .iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect();
        let shown = if show_suppressed {
            "shown"
        } else {
            "not shown"
        };
        format!(", {total} suppressed ({}; {shown})", each.join(", "))
    }

    /// Names each suppression that matched no record in this run.
    pub fn report_unused(&self, rules: &RuleSet) {
        for s in rules.suppressions() {
            if !self.hidden.contains_key(&s.id) && !self.expired.contains(&s.id) {
                eprintln!(
                    "note: {}: suppression {} (owner {}) matched no record in this run",
                    s.place, s.id, s.owner
                );
            }
        }
    }
}
