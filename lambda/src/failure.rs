//! The one place that decides whether a failure can heal by retrying.
//!
//! Transient (throttling, 5xx, timeouts, broken connections): the invocation fails
//! so Lambda or SQS retries it. Permanent (missing object, access denied, KMS key
//! unusable): retrying cannot help, so the file is reported as unreadable instead.

use std::fmt;

use cognito_trail_alerts::users::Cause;

/// Whether retrying can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    Transient,
    Permanent,
}

/// Error codes that will not change on retry.
const PERMANENT_CODES: &[&str] = &[
    "NoSuchKey",
    "NoSuchBucket",
    "NotFound",
    "AccessDenied",
    "AccessDeniedException",
    "AuthorizationError",
    "InvalidAccess",
    "InvalidObjectState",
    "InvalidParameter",
    "InvalidParameterValue",
    "InvalidSecurity",
    "KMSAccessDenied",
    "KMSDisabled",
    "KMSInvalidState",
    "KMSNotFound",
    "ResourceNotFound",
];

/// Classifies a service error by its code and HTTP status. Unknown 4xx errors are
/// permanent; throttling (whatever its status), 5xx and no status at all
/// (timeouts, connection errors) are transient.
pub fn classify(code: Option<&str>, status: Option<u16>) -> Retry {
    if let Some(code) = code {
        if throttled(code) {
            return Retry::Transient;
        }
        // S3 reports KMS problems as `KMS.DisabledException` and the like.
        let code = code.trim_end_matches("Exception").replace('.', "");
        if PERMANENT_CODES.contains(&code.as_str()) {
            return Retry::Permanent;
        }
    }
    match status {
        Some(429 | 408) => Retry::Transient,
        Some(s) if (400..500).contains(&s) => Retry::Permanent,
        _ => Retry::Transient,
    }
}

/// Throttling, whatever its status: DynamoDB throttles with HTTP 400 and codes of
/// its own, Cognito with `TooManyRequestsException`.
fn throttled(code: &str) -> bool {
    code.contains("Throttl")
        || code == "SlowDown"
        || code == "RequestLimitExceeded"
        || code == "ProvisionedThroughputExceededException"
        || code == "TooManyRequestsException"
}

/// Why a user lookup failed, as the alert says it: access denied, throttled, no
/// answer in time (`timed_out`: the SDK's timeout or a dropped connection), or
/// another error. A lookup is never retried, so this only names the cause.
pub fn lookup_cause(code: Option<&str>, status: Option<u16>, timed_out: bool) -> Cause {
    match code {
        Some(c) if throttled(c) => Cause::Throttled,
        Some(c) if c.starts_with("AccessDenied") || c == "NotAuthorizedException" => {
            Cause::AccessDenied
        }
        _ if status == Some(429) => Cause::Throttled,
        _ if status == Some(403) => Cause::AccessDenied,
        _ if timed_out => Cause::Timeout,
        _ => Cause::Error,
    }
}

/// A failed call to an AWS service (or a fake of one).
#[derive(Debug, Clone)]
pub struct CallError {
    pub retry: Retry,
    pub message: String,
}

impl CallError {
    /// A transient error with this message.
    pub fn transient(message: impl Into<String>) -> Self {
        CallError {
            retry: Retry::Transient,
            message: message.into(),
        }
    }

    /// A permanent error with this message.
    pub fn permanent(message: impl Into<String>) -> Self {
        CallError {
            retry: Retry::Permanent,
            message: message.into(),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CallError {}

#[cfg(test)]
mod tests;
