//! Diffs and cache: ordering, restatements, re-reads and failed calls.

use cognito_trail_alerts_testkit::records::{record, RecordExt};
use serde_json::{json, Value};

use super::*;
use crate::trail::Record;

fn track() -> TrackSpec {
    serde_yaml_ng::from_str(
        "kind: user-pool
id: [requestParameters.userPoolId, responseElements.userPool.id]
settings:
  - { name: MFA, field: mfaConfiguration, omitted: 'OFF' }
  - { name: callback URLs, field: callbackURLs }
",
    )
    .unwrap()
}

/// An UpdateUserPool record as CloudTrail logs it.
fn update(event_id: &str, time: &str, params: Value, error: Option<&str>) -> Vec<u8> {
    let mut r = record(
        "cognito-idp.amazonaws.com",
        "UpdateUserPool",
        params,
        event_id,
    )
    .at(time);
    if let Some(code) = error {
        r = r.set("errorCode", json!(code));
    }
    serde_json::to_vec(&r).unwrap()
}

fn pool(mfa: Option<&str>) -> Value {
    match mfa {
        Some(m) => json!({"userPoolId": "eu-west-1_Ab12Cd34E", "mfaConfiguration": m}),
        None => json!({"userPoolId": "eu-west-1_Ab12Cd34E"}),
    }
}

/// Diffs one record and commits it, as the engine does; returns the MFA change.
fn apply(cache: &mut LocalCache, bytes: &[u8]) -> Change {
    let record = Record::parse(bytes).unwrap();
    let changes = diff(&record, &track(), cache);
    let mfa = changes.get("MFA").cloned().expect("MFA is set");
    changes.commit(cache);
    mfa
}

#[test]
fn first_sight_then_change_then_restatement() {
    let mut m = LocalCache::new();
    let first = apply(
        &mut m,
        &update("e1", "2026-11-10T09:00:00Z", pool(Some("ON")), None),
    );
    assert_eq!(
        (first.status, first.before.clone()),
        (ChangeStatus::Unknown, None)
    );
    assert!(first.describe().ends_with("MFA: → ON (not seen before)"));

    let off = apply(
        &mut m,
        &update("e2", "2026-11-11T09:00:00Z", pool(Some("OFF")), None),
    );
    assert_eq!(off.status, ChangeStatus::Changed);
    assert_eq!(off.before.as_ref().unwrap().event_id, "e1");
    assert_eq!(
        off.describe(),
        "MFA: ON → OFF (ON set 2026-11-10T09:00:00Z by arn:aws:sts::111122223333:assumed-role/platform-admin/platform-admin-session)"
    );

    // Leaving the field out of this replace-everything update means OFF: unchanged.
    let again = apply(
        &mut m,
        &update("e3", "2026-11-12T09:00:00Z", pool(None), None),
    );
    assert_eq!(again.status, ChangeStatus::Unchanged);
    assert!(!again.is_change());
    assert!(again
        .describe()
        .starts_with("MFA: OFF, unchanged since 2026-11-11T09:00:00Z"));
}

#[test]
fn an_older_event_never_overwrites_a_newer_one() {
    let mut m = LocalCache::new();
    apply(
        &mut m,
        &update("new", "2026-11-12T09:00:00Z", pool(Some("ON")), None),
    );
    let old = apply(
        &mut m,
        &update("old", "2026-11-10T09:00:00Z", pool(Some("OFF")), None),
    );
    assert_eq!(old.status, ChangeStatus::NewerKnown);
    assert!(old.before.is_none() && old.is_change());
    assert_eq!(old.newer.as_ref().unwrap().event_id, "new");
    assert!(old
        .describe()
        .contains("older than the value known: ON set 2026-11-12T09:00:00Z"));
    // The newer value is still what the cache holds.
    let later = apply(
        &mut m,
        &update("later", "2026-11-13T09:00:00Z", pool(Some("ON")), None),
    );
    assert_eq!(later.status, ChangeStatus::Unchanged);
    assert_eq!(later.before.unwrap().event_id, "new");
}

#[test]
fn the_same_event_read_again_still_sees_what_it_changed() {
    let mut m = LocalCache::new();
    apply(
        &mut m,
        &update("e1", "2026-11-10T09:00:00Z", pool(Some("ON")), None),
    );
    let bytes = update("e2", "2026-11-11T09:00:00Z", pool(Some("OFF")), None);
    let first = apply(&mut m, &bytes);
    let retry = apply(&mut m, &bytes);
    assert_eq!(first, retry);
    assert_eq!(retry.status, ChangeStatus::Changed);
    assert_eq!(retry.before.unwrap().value, json!("ON"));
}

#[test]
fn a_failed_call_is_diffed_but_not_remembered() {
    let mut m = LocalCache::new();
    apply(
        &mut m,
        &update("e1", "2026-11-10T09:00:00Z", pool(Some("ON")), None),
    );
    let denied = update(
        "e2",
        "2026-11-11T09:00:00Z",
        pool(Some("OFF")),
        Some("AccessDenied"),
    );
    assert_eq!(apply(&mut m, &denied).status, ChangeStatus::Changed);
    let next = apply(
        &mut m,
        &update("e3", "2026-11-12T09:00:00Z", pool(Some("ON")), None),
    );
    assert_eq!(next.status, ChangeStatus::Unchanged);
}

#[test]
fn reordered_lists_are_the_same_setting_and_untouched_fields_are_not_changes() {
    let mut m = LocalCache::new();
    let urls = |list: Value| json!({"userPoolId": "eu-west-1_Ab12Cd34E", "mfaConfiguration": "ON", "callbackURLs": list});
    let a = json!(["https://a.example/cb", "https://b.example/cb"]);
    let b = json!(["https://b.example/cb", "https://a.example/cb"]);
    let record_a = update("e1", "2026-11-10T09:00:00Z", urls(a), None);
    let record_b = update("e2", "2026-11-11T09:00:00Z", urls(b), None);
    apply(&mut m, &record_a);
    let record = Record::parse(&record_b).unwrap();
    let changes = diff(&record, &track(), &mut m);
    assert_eq!(
        changes.get("callback URLs").unwrap().status,
        ChangeStatus::Unchanged
    );
    // Without `omitted`, a request that leaves the field out does not touch it.
    let bytes = update("e3", "2026-11-12T09:00:00Z", pool(None), None);
    let record = Record::parse(&bytes).unwrap();
    assert!(diff(&record, &track(), &mut m)
        .get("callback URLs")
        .is_none());
}

#[test]
fn unkeyable_records_change_nothing_and_an_unreadable_memory_is_said() {
    struct Down;
    impl SettingsCache for Down {
        fn recall(
            &mut self,
            _: &ResourceKey,
        ) -> Result<std::collections::HashMap<String, Remembered>, CacheError> {
            Err(CacheError("DynamoDB throttled".into()))
        }
        fn remember(&mut self, _: &ResourceKey, _: &str, _: Remembered) {
            panic!("nothing is remembered from a diff the cache could not check");
        }
    }
    let no_id = update(
        "e1",
        "2026-11-10T09:00:00Z",
        json!({"mfaConfiguration": "OFF"}),
        None,
    );
    let record = Record::parse(&no_id).unwrap();
    assert!(diff(&record, &track(), &mut LocalCache::new())
        .items
        .is_empty());

    let bytes = update("e2", "2026-11-10T09:00:00Z", pool(Some("OFF")), None);
    let record = Record::parse(&bytes).unwrap();
    let changes = diff(&record, &track(), &mut Down);
    assert_eq!(changes.get("MFA").unwrap().status, ChangeStatus::Unknown);
    assert!(changes
        .cache_error
        .as_ref()
        .unwrap()
        .to_string()
        .contains("throttled"));
    changes.commit(&mut Down);
}

#[test]
fn track_blocks_are_validated() {
    let bad = [
        ("kind: k\nid: []\nsettings: []\n", "at least one path"),
        ("kind: k\nid: [userPoolId]\nsettings: []\n", "must start with"),
        (
            "kind: k\nid: [requestParameters.a]\nsettings: [{name: A, field: a}, {name: A, field: b}]\n",
            "listed twice",
        ),
    ];
    for (yaml, want) in bad {
        let spec: TrackSpec = serde_yaml_ng::from_str(yaml).unwrap();
        assert!(spec.validate().unwrap_err().contains(want), "{yaml}");
    }
}

/// The resource's settings around each record: what posture checks judge.
#[test]
fn resource_state_before_and_after() {
    let mut cache = LocalCache::new();
    let state = |cache: &mut LocalCache, bytes: &[u8]| {
        let record = Record::parse(bytes).unwrap();
        let changes = diff(&record, &track(), cache);
        let state = changes.state.clone().expect("a keyed resource");
        changes.commit(cache);
        state
    };
    let with_urls = json!({"userPoolId": "eu-west-1_Ab12Cd34E", "mfaConfiguration": "ON",
                           "callbackURLs": ["https://a.example/cb"]});
    let first = state(
        &mut cache,
        &update("e1", "2026-11-10T09:00:00Z", with_urls, None),
    );
    assert!(first.before.is_empty(), "never seen: {first:?}");
    assert_eq!(first.after["MFA"], json!("ON"));
    // MFA turned off, callback URLs untouched: still known after.
    let off = state(
        &mut cache,
        &update("e2", "2026-11-11T09:00:00Z", pool(Some("OFF")), None),
    );
    assert_eq!(off.before["MFA"], json!("ON"));
    assert_eq!(off.after["MFA"], json!("OFF"));
    assert_eq!(off.after["callback URLs"], json!(["https://a.example/cb"]));
    // A failed call changes nothing.
    let denied = state(
        &mut cache,
        &update(
            "e3",
            "2026-11-12T09:00:00Z",
            pool(Some("ON")),
            Some("AccessDenied"),
        ),
    );
    // Nothing changed: `after` is what the call tried, marked as an attempt.
    assert!(denied.attempt);
    assert_eq!(denied.before["MFA"], json!("OFF"));
    assert_eq!(denied.after["MFA"], json!("ON"));
    // The same event read again sees what it replaced, not itself.
    let again = state(
        &mut cache,
        &update("e2", "2026-11-11T09:00:00Z", pool(Some("OFF")), None),
    );
    assert_eq!(again.before["MFA"], json!("ON"));
    // An event older than the known value: MFA cannot be told either side.
    let old = state(
        &mut cache,
        &update("e0", "2026-11-01T09:00:00Z", pool(Some("ON")), None),
    );
    assert!(
        !old.before.contains_key("MFA") && !old.after.contains_key("MFA"),
        "{old:?}"
    );
}

/// A snapshot seeds a resource never seen: the first change is compared with it
/// and says it may already show the change; settings the record leaves alone are
/// known before and after (for checks); the event's own value then replaces the
/// snapshot's, whatever the snapshot's read time.
#[test]
fn a_snapshot_is_a_before_that_may_already_hold_the_change() {
    let mut cache = LocalCache::new();
    let key = ResourceKey {
        account: "111122223333".into(),
        region: "eu-west-1".into(),
        kind: "user-pool".into(),
        id: "eu-west-1_Ab12Cd34E".into(),
    };
    let described = json!({"id": "eu-west-1_Ab12Cd34E", "mfaConfiguration": "OFF",
                           "callbackURLs": ["https://a.example/cb"]});
    let seeded = snapshot(
        [&track()],
        &key,
        &described,
        "2026-12-04T10:00:00Z DescribeUserPool",
    );
    assert_eq!(seeded.len(), 2);
    for (name, value) in seeded {
        cache.remember(&key, &name, value);
    }
    let bytes = update("e1", "2026-12-04T09:58:00Z", pool(Some("OFF")), None);
    let record = Record::parse(&bytes).unwrap();
    let changes = diff(&record, &track(), &mut cache);
    let mfa = changes.get("MFA").unwrap().clone();
    assert_eq!(mfa.status, ChangeStatus::Snapshot);
    assert!(mfa.is_change());
    assert!(
        mfa.describe()
            .contains("a snapshot read 2026-12-04T10:00:00Z DescribeUserPool showed OFF"),
        "{}",
        mfa.describe()
    );
    let state = changes.state.clone().unwrap();
    assert!(
        !state.before.contains_key("MFA"),
        "the snapshot may hold this change"
    );
    assert_eq!(
        state.before["callback URLs"],
        json!(["https://a.example/cb"])
    );
    assert_eq!(state.after["MFA"], json!("OFF"));
    changes.commit(&mut cache);
    // The event's value replaced the snapshot: the next change has a real before.
    let next = apply(
        &mut cache,
        &update("e2", "2026-12-04T10:05:00Z", pool(Some("ON")), None),
    );
    assert_eq!(next.status, ChangeStatus::Changed);
    assert_eq!(next.before.unwrap().event_id, "e1");
}
