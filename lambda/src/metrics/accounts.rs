//! The account names' counters (`AccountNameLookups`, `AccountNameFailures`),
//! sent with `ACCOUNT_NAMES_ROLE_ARN`, and the log line of each failure.

use std::collections::BTreeMap;

use cognito_trail_alerts::users::{Cause, Failure};
use tracing::warn;

use super::{count, name, Datum};

/// What account naming did in one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountNameTally {
    /// Names from Organizations are on: the counters are sent, zeros included.
    pub enabled: bool,
    /// Calls to Organizations: listings (all pages) and DescribeAccount.
    pub lookups: u64,
    /// Lookups that failed or had no answer in time, by reason: their alerts went
    /// out with the id alone.
    pub failures: BTreeMap<&'static str, u64>,
}

impl AccountNameTally {
    /// The one place a failed lookup is counted and logged; `accounts` are the
    /// ids left without a name.
    pub fn failed(&mut self, failure: &Failure, accounts: &[String]) {
        let reason = reason(failure.cause);
        *self.failures.entry(reason).or_default() += 1;
        warn!(
            reason,
            detail = %failure.detail,
            accounts = accounts.join(","),
            "account name lookup failed"
        );
    }

    /// The datums, when enabled.
    pub fn datums(&self) -> Vec<Datum> {
        if !self.enabled {
            return Vec::new();
        }
        let mut out = vec![
            count(name::ACCOUNT_NAME_LOOKUPS, vec![], self.lookups),
            count(
                name::ACCOUNT_NAME_FAILURES,
                vec![],
                self.failures.values().sum(),
            ),
        ];
        for (reason, n) in &self.failures {
            let reason = vec![("Reason", reason.to_string())];
            out.push(count(name::ACCOUNT_NAME_FAILURES, reason, *n));
        }
        out
    }
}

/// The metric dimension value of a failure's cause.
fn reason(cause: Cause) -> &'static str {
    match cause {
        Cause::AccessDenied => "access_denied",
        Cause::Throttled => "throttled",
        Cause::Timeout => "timeout",
        Cause::Error => "error",
    }
}
