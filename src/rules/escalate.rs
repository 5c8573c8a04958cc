//! Escalations and risk annotations as written: blocks that a rule writes inline
//! and that shared definitions (`shared:`) name, so both the rules file's model and
//! the shared definitions build on them.

use serde::Deserialize;

use super::cond::Cond;
use crate::Severity;

/// Raise the severity when a condition holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationSpec {
    pub severity: Severity,
    pub when: Cond,
    /// Sentence added to the alert's risks, saying why the severity went up.
    pub say: Option<String>,
}

/// A risk annotation: a short sentence attached when a condition holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    pub when: Cond,
    pub say: String,
}
