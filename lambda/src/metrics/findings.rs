//! The Security Hub counters (`FindingsImported`, `FindingImportFailures`), sent
//! with `SECURITY_HUB`, and the log line of each failure.

use tracing::warn;

use super::{count, name, Datum};

/// What importing findings did in one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingTally {
    /// Security Hub findings are on: the counters are sent, zeros included.
    pub enabled: bool,
    /// Findings Security Hub took.
    pub imported: u64,
    /// Findings left not imported after every round.
    pub failures: u64,
}

impl FindingTally {
    /// The one place findings left not imported are counted and logged.
    pub fn failed(&mut self, ids: &[String], error: &str) {
        if ids.is_empty() {
            return;
        }
        self.failures += ids.len() as u64;
        warn!(
            findings = ids.len(),
            first = ids[0].as_str(),
            error,
            "findings not imported into Security Hub"
        );
    }

    /// The datums, when enabled.
    pub fn datums(&self) -> Vec<Datum> {
        if !self.enabled {
            return Vec::new();
        }
        vec![
            count(name::FINDINGS_IMPORTED, vec![], self.imported),
            count(name::FINDING_IMPORT_FAILURES, vec![], self.failures),
        ]
    }
}
