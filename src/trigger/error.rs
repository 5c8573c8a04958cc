//! Why a trigger cannot be used.

use crate::json::FieldError;

/// A trigger payload (or one SQS message of it) this function cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TriggerError {
    #[error("unknown event shape: {0}")]
    UnknownShape(String),
    /// A field missing, of the wrong kind, or not the JSON it should hold.
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("bad URL encoding in object key {key:?}: {reason}")]
    BadKey { key: String, reason: String },
}
