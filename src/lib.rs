//! cognito-trail-alerts: finds Amazon Cognito configuration changes in CloudTrail
//! log files and explains each one as an alert.
//!
//! The engine is pure (no AWS SDK, no async runtime): [`trail`] streams records out
//! of a log file, [`rules`] decides which records matter, [`alert`] describes them,
//! and [`engine`] runs the three over one file. The CLI and the Lambda both use it.

#![forbid(unsafe_code)]

pub mod alert;
mod calendar;
pub mod chains;
pub mod claim;
pub mod engine;
pub mod findings;
pub mod json;
pub mod notice;
pub mod routes;
pub mod rules;
pub mod settings;
mod severity;
pub mod trail;
pub mod trigger;
pub mod users;

pub use alert::{Alert, Origin};
pub use engine::{scan, scan_record, scan_with, FileError, FileStats, RecordIssue};
pub use rules::RuleSet;
pub use severity::{Severity, UnknownSeverity};
