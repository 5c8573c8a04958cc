//! Builders shared by the tests of both packages, so that each record shape,
//! envelope and file writer is written once: [`records`] (CloudTrail records as
//! CloudTrail logs them, lowerCamelCase request keys), [`envelopes`] (what invokes
//! the function: S3, SNS, SQS, EventBridge, Batch Operations, failure-queue
//! records) and [`files`] (gzip, trail files and their keys).
//!
//! A dev-dependency only: nothing here reaches a release binary.

#![warn(missing_docs)]

pub mod chains;
pub mod envelopes;
pub mod files;
pub mod records;

pub use files::{gz, log_key, trail, trail_gz};
pub use records::{RecordExt, ACCOUNT};

/// The alert topic tests publish to (in [`ACCOUNT`]).
pub const ALERT_TOPIC: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-alerts";
