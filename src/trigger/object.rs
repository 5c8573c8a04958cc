//! One S3 object a trigger names, and whether it is to be scanned.

use crate::trail::layout::{self, KeyInfo, KeyKind};

/// Why an object named by a trigger is not scanned (a log line and a metric, not an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    Digest,
    Insight,
    Folder,
    NotLogFile,
    EmptyObject,
    /// An S3 event other than an object creation (e.g. `ObjectRemoved:Delete`).
    NotCreated,
}

impl SkipReason {
    /// Short name, used as a metric dimension value.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Digest => "digest",
            SkipReason::Insight => "insight",
            SkipReason::Folder => "folder",
            SkipReason::NotLogFile => "not-a-log-file",
            SkipReason::EmptyObject => "empty-object",
            SkipReason::NotCreated => "not-object-created",
        }
    }
}

/// One S3 object a trigger names, with the key already decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub bucket: String,
    pub key: String,
    pub size: Option<u64>,
    /// Account and region read from the key, when it follows CloudTrail's layout.
    pub info: Option<KeyInfo>,
    /// `Some` when the object is not to be scanned.
    pub skip: Option<SkipReason>,
}

impl ObjectRef {
    /// The object `bucket`/`key` (decoded), skipped unless it is a non-empty log
    /// file whose creation was announced (`not_created`: an event of another kind).
    pub(super) fn new(bucket: &str, key: String, size: Option<u64>, not_created: bool) -> Self {
        let skip = if not_created {
            Some(SkipReason::NotCreated)
        } else {
            match layout::classify(&key) {
                KeyKind::Digest => Some(SkipReason::Digest),
                KeyKind::Insight => Some(SkipReason::Insight),
                KeyKind::Folder => Some(SkipReason::Folder),
                KeyKind::Other => Some(SkipReason::NotLogFile),
                KeyKind::Log if size == Some(0) => Some(SkipReason::EmptyObject),
                KeyKind::Log => None,
            }
        };
        ObjectRef {
            bucket: bucket.to_string(),
            info: layout::key_info(&key),
            key,
            size,
            skip,
        }
    }
}
