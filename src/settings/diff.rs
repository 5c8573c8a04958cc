//! From one record and a rule's `track:` block to the changes it makes.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{
    Before, CacheError, Change, ChangeStatus, Remembered, ResourceKey, Seen, SettingsCache,
    TrackSpec,
};
use crate::trail::Record;

/// The tracked settings one record sets, each against what was known before it.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub items: Vec<Change>,
    /// Set when the cache could not be read: every `before` is then unknown.
    pub cache_error: Option<CacheError>,
    /// What to remember once the alert is made (only for calls that succeeded).
    pub(crate) to_remember: Vec<(ResourceKey, String, Remembered)>,
    /// Every known setting of the resource before and after the record: what
    /// posture checks are judged on.
    pub state: Option<ResourceState>,
}

/// The tracked settings of one resource known before a record and after it
/// (name → value). A setting never seen is in neither; for a failed call `after`
/// is what the call tried to set (`attempt`: nothing changed); a record older
/// than a known value leaves that setting out of both (what it replaced cannot
/// be told).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceState {
    pub resource: Option<ResourceKey>,
    pub before: BTreeMap<String, Value>,
    pub after: BTreeMap<String, Value>,
    /// The call failed: `after` is what it would have set.
    pub attempt: bool,
}

impl Changes {
    /// The change of the setting called `name`, if the record sets it.
    pub fn get(&self, name: &str) -> Option<&Change> {
        self.items.iter().find(|c| c.setting == name)
    }

    /// Writes the record's values into `cache` (never over a newer value).
    pub fn commit(self, cache: &mut dyn SettingsCache) {
        for (key, name, value) in self.to_remember {
            cache.remember(&key, &name, value);
        }
    }
}

/// Diffs the settings `track` names against `cache`. A record without request
/// parameters, account, region or resource id changes nothing that can be keyed.
pub fn diff(record: &Record, track: &TrackSpec, cache: &mut dyn SettingsCache) -> Changes {
    let mut out = Changes::default();
    let (Some(Value::Object(_)), Some(key)) =
        (&record.request_parameters, resource_key(record, track))
    else {
        return out;
    };
    let event_time = record.event_time.as_deref().unwrap_or_default();
    let event_id = record.event_id.as_deref().unwrap_or_default();
    let known = match cache.recall_for(&key, record) {
        Ok(known) => known,
        Err(e) => {
            out.cache_error = Some(e);
            Default::default()
        }
    };
    for spec in &track.settings {
        let request = record.request_parameters.as_ref();
        let Some(after) = value_after(request, &spec.field, spec) else {
            continue;
        };
        let implied = request
            .and_then(|r| at(r, &spec.field))
            .is_none_or(Value::is_null);
        let before = before(known.get(&spec.name), event_time, event_id);
        let (status, before_value, newer) = match &before {
            Before::Unknown => (ChangeStatus::Unknown, None, None),
            Before::NewerKnown(n) => (ChangeStatus::NewerKnown, None, Some(n.clone())),
            Before::Snapshot(b) => (ChangeStatus::Snapshot, Some(b.clone()), None),
            Before::Known(b) if same(&b.value, &after) => {
                (ChangeStatus::Unchanged, Some(b.clone()), None)
            }
            Before::Known(b) => (ChangeStatus::Changed, Some(b.clone()), None),
        };
        let succeeded = record.error_code().is_none();
        if succeeded && status != ChangeStatus::NewerKnown && out.cache_error.is_none() {
            let seen = Seen {
                value: after.clone(),
                event_time: event_time.to_string(),
                actor: actor(record),
                event_id: event_id.to_string(),
                snapshot: None,
            };
            let previous = before_value.clone();
            let value = Remembered {
                last: seen,
                previous,
            };
            out.to_remember
                .push((key.clone(), spec.name.clone(), value));
        }
        out.items.push(Change {
            setting: spec.name.clone(),
            resource: key.clone(),
            before: before_value,
            after,
            status,
            newer,
            implied,
        });
    }
    out.state = Some(resource_state(
        key, &known, &out.items, record, event_time, event_id,
    ));
    out
}

/// The resource's settings around the record, from what the cache knew and the
/// record's changes.
fn resource_state(
    key: ResourceKey,
    known: &std::collections::HashMap<String, Remembered>,
    changes: &[Change],
    record: &Record,
    event_time: &str,
    event_id: &str,
) -> ResourceState {
    let mut state = ResourceState {
        resource: Some(key),
        ..ResourceState::default()
    };
    for (name, remembered) in known {
        match before(Some(remembered), event_time, event_id) {
            Before::Known(seen) | Before::Snapshot(seen) => {
                state.before.insert(name.clone(), seen.value);
            }
            Before::Unknown | Before::NewerKnown(_) => {}
        }
    }
    state.after = state.before.clone();
    state.attempt = record.error_code().is_some();
    for change in changes {
        match change.status {
            ChangeStatus::NewerKnown => {
                state.before.remove(&change.setting);
                state.after.remove(&change.setting);
            }
            status => {
                // A snapshot may already hold this change: what the setting was
                // before cannot be told, so checks reading it are not known before.
                if status == ChangeStatus::Snapshot {
                    state.before.remove(&change.setting);
                }
                state
                    .after
                    .insert(change.setting.clone(), change.after.clone());
            }
        }
    }
    state
}

/// What the cache says came before this event. The same event read again (a
/// retry, a second path) finds itself as the last value: its own `previous` is
/// what it changed.
fn before(known: Option<&Remembered>, event_time: &str, event_id: &str) -> Before {
    match known {
        None => Before::Unknown,
        Some(r) if !event_id.is_empty() && r.last.event_id == event_id => r
            .previous
            .clone()
            .map_or(Before::Unknown, known_or_snapshot),
        Some(r) if r.last.snapshot.is_some() => Before::Snapshot(r.last.clone()),
        Some(r) if r.last.event_time.as_str() > event_time => Before::NewerKnown(r.last.clone()),
        Some(r) => Before::Known(r.last.clone()),
    }
}

fn known_or_snapshot(seen: Seen) -> Before {
    match seen.snapshot {
        Some(_) => Before::Snapshot(seen),
        None => Before::Known(seen),
    }
}

/// The resource a record is about, as `track` locates it: `None` without an
/// account, a region or an id.
pub fn resource_key(record: &Record, track: &TrackSpec) -> Option<ResourceKey> {
    let id = track.id.iter().find_map(|path| {
        let (container, rest) = match path.split_once('.')? {
            ("requestParameters", rest) => (record.request_parameters.as_ref()?, rest),
            ("responseElements", rest) => (record.response_elements.as_ref()?, rest),
            _ => return None,
        };
        let id = at(container, rest)?.as_str()?;
        match &track.id_after {
            Some(marker) => id
                .rsplit_once(marker.as_str())
                .map(|(_, id)| id.to_string()),
            None => Some(id.to_string()),
        }
    })?;
    Some(ResourceKey {
        account: record.account_id()?.to_string(),
        region: record.aws_region.as_deref()?.to_string(),
        kind: track.kind.clone(),
        id,
    })
}

/// The value the request gives the setting: the field, or its `omitted` value
/// when the request leaves it out; `None` when the request does not touch it.
fn value_after(request: Option<&Value>, field: &str, spec: &super::SettingSpec) -> Option<Value> {
    match request.and_then(|r| at(r, field)) {
        Some(v) if !v.is_null() => Some(v.clone()),
        _ => spec.omitted.clone(),
    }
}

fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, key| v.get(key))
}

/// Equality where a list of plain values is a set (`["a","b"]` = `["b","a"]`):
/// reordering callback URLs or flows is not a change.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            let key = |v: &Value| v.to_string();
            let mut x: Vec<String> = x.iter().map(key).collect();
            let mut y: Vec<String> = y.iter().map(key).collect();
            x.sort_unstable();
            y.sort_unstable();
            x == y
        }
        _ => a == b,
    }
}

fn actor(record: &Record) -> String {
    let id = record.user_identity.as_ref();
    id.and_then(|u| u.arn.as_deref().or(u.kind.as_deref()))
        .unwrap_or("unknown caller")
        .to_string()
}
