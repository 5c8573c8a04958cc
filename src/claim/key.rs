//! Which key makes two notices the same for exactly-once delivery.
//!
//! Not the only "same" in the project: `settings::resource_key` is the resource a
//! record's tracked settings belong to (not a notice at all), and the Lambda's
//! container keeps its own digest of the notices it sent from one file (the file,
//! the record and the event id: a retry of that file, not the same event in
//! another file). A claim key is wider: the same event in two files, or by
//! EventBridge and then in its file, is one alert.

use super::Key;
use crate::notice::Notice;

/// Event ids longer than this are not CloudTrail's (36-character UUIDs): such an
/// alert is keyed by its file and record instead, which keeps keys within
/// DynamoDB's limits (2048 bytes for `pk`) without hashing.
const MAX_EVENT_ID: usize = 128;

/// Object versions longer than this are ignored (S3 ETags are 34 characters,
/// version ids 32).
const MAX_VERSION: usize = 128;

/// The key `notice` is claimed under in the state table. An alert is the same
/// alert wherever it came from: its
/// account and event id, not the file (CloudTrail delivers some events in two
/// files, and S3 notifications arrive at least once, by more than one path). A
/// digest or an unreadable-file notice is about one object: its origin and, when
/// known, `version` (the object's version id or ETag), so a rewritten object is
/// news again.
pub fn claim_key(notice: &Notice, version: Option<&str>) -> Key {
    let object = |origin: &crate::Origin| {
        let version = version.filter(|v| !v.is_empty() && v.len() <= MAX_VERSION);
        match version {
            Some(v) => format!("object#{origin}#{v}"),
            None => format!("object#{origin}"),
        }
    };
    let (pk, sk) = match notice {
        Notice::Alert(a) => match a
            .event_id
            .as_deref()
            .filter(|id| !id.is_empty() && id.len() <= MAX_EVENT_ID)
        {
            Some(id) => {
                let account = a.account_id.as_deref().unwrap_or("-");
                (format!("alert#{account}#{id}"), "alert".to_string())
            }
            None => (
                object(&a.source.origin),
                format!("record#{}", a.source.record_index),
            ),
        },
        Notice::Digest(d) => (object(&d.source), "digest".to_string()),
        Notice::Unreadable(u) => (object(&u.source), "unreadable".to_string()),
    };
    Key { pk, sk }
}
