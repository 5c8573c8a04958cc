//! What each change changed: the last value seen in the trail of the settings that
//! matter (MFA, deletion protection, guest access, triggers...), per resource.
//!
//! A rule says which request fields are tracked settings (`track:` in the rules
//! format); [`diff`] turns a record into [`Change`]s against a [`SettingsCache`]
//! (in-process here, DynamoDB in the Lambda). Memory only moves forward in event
//! time: CloudTrail files arrive out of order, so a value never overwrites a newer
//! one, and a diff against a newer value says so instead of inventing a "before".

mod cache;
mod diff;
mod snapshot;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use diff::{diff, resource_key, Changes, ResourceState};
pub use snapshot::snapshot;

pub use cache::{newer_or_same, CacheError, LocalCache, Remembered, SettingsCache};

/// A rule's `track:` block: which resource the record is about and which of its
/// request fields are settings worth remembering.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackSpec {
    /// Resource kind, part of the cache key (`user-pool`, `app-client`, ...).
    pub kind: String,
    /// Where the resource id is: dotted paths starting with `requestParameters.` or
    /// `responseElements.`, tried in order (a create only has the id in its response).
    pub id: Vec<String>,
    /// When the id is inside an ARN (`wafv2`'s `resourceArn`): the id is what
    /// follows the last occurrence of this marker (`userpool/`).
    #[serde(default, rename = "idAfter")]
    pub id_after: Option<String>,
    pub settings: Vec<SettingSpec>,
    /// Request members deliberately not tracked, each with why (a message text,
    /// a display name...): `tests/catalogue_fields.rs` holds every member of a
    /// tracked operation's request to being tracked or named here, so a member
    /// AWS adds is noticed the day the catalogue is refreshed. A member covers
    /// the members below it.
    #[serde(default)]
    pub ignored: std::collections::BTreeMap<String, String>,
}

/// One tracked setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingSpec {
    /// Name shown in alerts and used by `changed:` / `unchanged:` conditions.
    pub name: String,
    /// Dotted path inside `requestParameters`.
    pub field: String,
    /// The value the setting takes when the request leaves the field out (an
    /// operation that replaces the whole configuration). Without it, a request that
    /// omits the field does not touch the setting.
    #[serde(default)]
    pub omitted: Option<Value>,
}

impl TrackSpec {
    /// Checks what deserializing cannot: paths, duplicate names.
    pub fn validate(&self) -> Result<(), String> {
        if self.id.is_empty() {
            return Err("track.id: give at least one path".into());
        }
        for path in &self.id {
            let ok = ["requestParameters.", "responseElements."]
                .iter()
                .any(|p| path.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
            if !ok {
                return Err(format!(
                    "track.id: {path:?} must start with requestParameters. or responseElements."
                ));
            }
        }
        if let Some((field, _)) = self.ignored.iter().find(|(_, why)| why.trim().is_empty()) {
            return Err(format!("track.ignored: {field:?} needs a reason"));
        }
        let mut names = std::collections::HashSet::new();
        for s in &self.settings {
            if s.name.trim().is_empty() || s.field.split('.').any(str::is_empty) {
                return Err(format!(
                    "track.settings: {:?} needs a name and a field",
                    s.name
                ));
            }
            if !names.insert(s.name.as_str()) {
                return Err(format!("track.settings: {:?} is listed twice", s.name));
            }
        }
        Ok(())
    }

    /// Whether a setting of this name is tracked.
    pub fn has(&self, name: &str) -> bool {
        self.settings.iter().any(|s| s.name == name)
    }
}

/// Which resource a setting belongs to: the cache's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ResourceKey {
    pub account: String,
    pub region: String,
    pub kind: String,
    pub id: String,
}

impl ResourceKey {
    /// `account/region/kind/id`, the text form stores use.
    pub fn text(&self) -> String {
        format!("{}/{}/{}/{}", self.account, self.region, self.kind, self.id)
    }
}

/// A value as the trail last showed it, and by which event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    pub value: Value,
    /// The event's `eventTime` (ISO 8601 UTC, compares as text); empty for a
    /// snapshot, so that any event's value replaces it.
    pub event_time: String,
    /// The caller's ARN (or identity type when there is none).
    pub actor: String,
    pub event_id: String,
    /// Set for a value read from the resource itself (`SNAPSHOT_ON_FIRST_SIGHT`),
    /// not from the trail: when and with which call ("2026-12-04T10:00:00Z
    /// DescribeUserPool"). It is the state when read, possibly after the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
}

/// What this version knows of a setting before the event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Before {
    /// Never seen in the trail (or the cache could not be read).
    Unknown,
    /// The last value seen, set before this event.
    Known(Seen),
    /// The cache holds a value from after this event: the record is older than
    /// what is known, so what it replaced cannot be told.
    NewerKnown(Seen),
    /// Only a snapshot of the resource is known: read when the resource was first
    /// seen, possibly after this event, so it may already show its change.
    Snapshot(Seen),
}

/// One tracked setting the request sets (or resets by leaving it out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub setting: String,
    pub resource: ResourceKey,
    /// `null` when the setting was never seen before.
    pub before: Option<Seen>,
    pub after: Value,
    /// `changed`, `unchanged`, `unknown` (never seen), `newer_known` or `snapshot`.
    pub status: ChangeStatus,
    /// The newer value known, when `status` is `newer_known`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newer: Option<Seen>,
    /// The request left the field out and the value is its `omitted` default.
    #[serde(skip)]
    pub implied: bool,
}

/// How a setting's new value compares with what was known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    Changed,
    Unchanged,
    Unknown,
    NewerKnown,
    /// Compared with a snapshot, not with an earlier event: see [`Before::Snapshot`].
    Snapshot,
}

impl Change {
    /// Whether an alert says it: a value that changed (or is newer than this
    /// event), or a value the request sets on a resource never seen. A restated
    /// value, or a default a first sighting implies by leaving a field out, is
    /// not news: the checks still judge it.
    pub fn is_news(&self) -> bool {
        match self.status {
            ChangeStatus::Changed | ChangeStatus::NewerKnown => true,
            ChangeStatus::Unknown | ChangeStatus::Snapshot => !self.implied,
            ChangeStatus::Unchanged => false,
        }
    }

    /// For `changed:` conditions: a new value, or one whose previous value is not
    /// known (a weak value nobody can vouch for is treated as new).
    pub fn is_change(&self) -> bool {
        self.status != ChangeStatus::Unchanged
    }
}

/// Longest value shown in a sentence; longer ones (a whole `lambdaConfig`) are cut.
const MAX_VALUE_SHOWN: usize = 160;

impl Change {
    /// One line for people: "MFA: ON → OFF (ON set 2026-11-10T09:00:00Z by arn:...)".
    pub fn describe(&self) -> String {
        let after = shown(&self.after);
        let name = &self.setting;
        match (self.status, &self.before, &self.newer) {
            (ChangeStatus::Changed, Some(b), _) => format!(
                "{name}: {} → {after} ({} set {} by {})",
                shown(&b.value),
                shown(&b.value),
                b.event_time,
                b.actor
            ),
            (ChangeStatus::Unchanged, Some(b), _) => format!(
                "{name}: {after}, unchanged since {} (set by {})",
                b.event_time, b.actor
            ),
            (ChangeStatus::Snapshot, Some(b), _) => format!(
                "{name}: → {after} (a snapshot read {} showed {}; taken after this event, it \
                 may already show this change)",
                b.snapshot.as_deref().unwrap_or("later"),
                shown(&b.value)
            ),
            (ChangeStatus::NewerKnown, _, Some(n)) => format!(
                "{name}: → {after} (this event is older than the value known: {} set {} by {}; \
                 what it replaced cannot be told)",
                shown(&n.value),
                n.event_time,
                n.actor
            ),
            _ => format!("{name}: → {after} (not seen before)"),
        }
    }
}

/// A value as text: strings bare, the rest as compact JSON, cut when long.
fn shown(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() <= MAX_VALUE_SHOWN {
        return text;
    }
    let cut: String = text.chars().take(MAX_VALUE_SHOWN).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests;
