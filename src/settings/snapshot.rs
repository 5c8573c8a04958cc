//! Settings read from a resource itself (`SNAPSHOT_ON_FIRST_SIGHT` in the Lambda):
//! when the cache has never seen a resource, its current configuration (a
//! `DescribeUserPool`... response, keys as CloudTrail spells request keys) gives
//! each tracked setting a value marked as a snapshot. It is the state when read,
//! possibly after the event being judged, and alerts say so.

use serde_json::Value;

use super::{Remembered, ResourceKey, Seen, TrackSpec};

/// The tracked settings of `resource` found in `doc`, the resource's configuration
/// shaped like a request of the operations that set it (`mfaConfiguration`,
/// `userPoolAddOns.advancedSecurityMode`...). `tracks` are the pack's `track:`
/// blocks (those of other kinds are skipped); `read` says when and how the
/// snapshot was taken ("2026-12-04T10:00:00Z DescribeUserPool"). A setting the
/// document leaves out takes its `omitted` value when the block gives one (a
/// replace-everything operation's default), and is skipped otherwise.
pub fn snapshot<'t>(
    tracks: impl IntoIterator<Item = &'t TrackSpec>,
    resource: &ResourceKey,
    doc: &Value,
    read: &str,
) -> Vec<(String, Remembered)> {
    let mut out: Vec<(String, Remembered)> = Vec::new();
    for track in tracks.into_iter().filter(|t| t.kind == resource.kind) {
        for spec in &track.settings {
            if out.iter().any(|(name, _)| *name == spec.name) {
                continue;
            }
            let found = spec
                .field
                .split('.')
                .try_fold(doc, |v, key| v.get(key))
                .filter(|v| !v.is_null());
            let Some(value) = found.cloned().or_else(|| spec.omitted.clone()) else {
                continue;
            };
            let last = Seen {
                value,
                // Empty: older than any event, so the first event's value replaces it.
                event_time: String::new(),
                actor: format!("snapshot ({read})"),
                event_id: String::new(),
                snapshot: Some(read.to_string()),
            };
            out.push((
                spec.name.clone(),
                Remembered {
                    last,
                    previous: None,
                },
            ));
        }
    }
    out
}
