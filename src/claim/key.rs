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
        Notice::Alert(a) if a.chain.is_some() => {
            let key = a
                .chain
                .as_ref()
                .map_or(String::new(), |c| c.key(&a.rule_id));
            (format!("chainalert#{}", bounded(&key)), "alert".to_string())
        }
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

/// A chain alert's key is its chain, group values and first member: ARNs can be
/// long, so a key past 512 bytes keeps its start and a hash of the whole
/// (FNV-1a, stable across builds, unlike std's hasher).
fn bounded(key: &str) -> String {
    if key.len() <= 512 {
        return key.to_owned();
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut cut = 256;
    while !key.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}#{hash:016x}", &key[..cut])
}
