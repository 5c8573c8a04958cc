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
use crate::{Alert, Origin};

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
    match notice {
        Notice::Alert(a) => alert_key(a, version),
        Notice::Digest(d) => Key {
            pk: object(&d.source, version),
            sk: "digest".to_string(),
        },
        Notice::Unreadable(u) => Key {
            pk: object(&u.source, version),
            sk: "unreadable".to_string(),
        },
    }
}

/// The claim key of one alert (what [`claim_key`] gives its notice): a chain
/// alert's chain, group values and first member; any other alert's account and
/// event id, or, without a usable id, its object (`version` as above) and record
/// index. Security Hub finding ids and OCSF finding uids are derived from it
/// (`findings::finding_uid`), so a finding is the same wherever its alert came
/// from.
pub fn alert_key(alert: &Alert, version: Option<&str>) -> Key {
    if let Some(chain) = &alert.chain {
        return Key {
            pk: format!("chainalert#{}", bounded(&chain.key(&alert.rule_id))),
            sk: "alert".to_string(),
        };
    }
    let id = alert
        .event_id
        .as_deref()
        .filter(|id| !id.is_empty() && id.len() <= MAX_EVENT_ID);
    match id {
        Some(id) => {
            let account = alert.account_id.as_deref().unwrap_or("-");
            Key {
                pk: format!("alert#{account}#{id}"),
                sk: "alert".to_string(),
            }
        }
        None => Key {
            pk: object(&alert.source.origin, version),
            sk: format!("record#{}", alert.source.record_index),
        },
    }
}

/// The partition key of a notice about one object: its origin and, when usable,
/// its version.
fn object(origin: &Origin, version: Option<&str>) -> String {
    match version.filter(|v| !v.is_empty() && v.len() <= MAX_VERSION) {
        Some(v) => format!("object#{origin}#{v}"),
        None => format!("object#{origin}"),
    }
}

/// A chain alert's key is its chain, group values and first member: ARNs can be
/// long, so a key past 512 bytes keeps its start and a hash of the whole.
fn bounded(key: &str) -> String {
    if key.len() <= 512 {
        return key.to_owned();
    }
    let mut cut = 256;
    while !key.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}#{:016x}", &key[..cut], fnv1a(key.as_bytes()))
}

/// FNV-1a, 64 bits: stable across builds (unlike std's hasher), for keys and ids
/// too long to use whole; not for security.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
