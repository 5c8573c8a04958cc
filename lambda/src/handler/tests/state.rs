//! The handler with a state store: the in-memory one (two `App`s sharing it are
//! two containers sharing a table) and one that always fails.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use cognito_trail_alerts::claim::{Claim, Item, Key, Status, LEASE_SECS};
use cognito_trail_alerts::settings::{Remembered, ResourceKey};

use super::*;
use crate::clock::Clock;
use crate::failure::CallError;
use crate::ports::{ChainStore, ClaimStore, FakeStateTable, SettingsStore, StoredGroup, Written};
use cognito_trail_alerts::chains::GroupState;

fn now() -> u64 {
    Clock::system().unix_secs()
}

/// An S3 fake holding `files` (key → event ids of UpdateIdentityPool records).
fn s3_with(files: &[(&str, &[usize])]) -> FakeS3 {
    let mut s3 = FakeS3::default();
    for (key, ids) in files {
        let records = ids.iter().map(|&i| update_pool(i, false)).collect();
        s3.objects.insert(key.to_string(), Ok(trail(records)));
    }
    s3
}

fn event_ids<T: ClaimStore + SettingsStore + ChainStore>(app: &StateApp<T>) -> Vec<String> {
    published(app)
        .iter()
        .map(|alert| alert["event_id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// An S3 fake holding one UpdateIdentityPool of the same pool at minute `i`
/// (event id `e-{i}`).
fn s3_with_guests(key: &str, i: usize, guests: bool) -> FakeS3 {
    let mut record = update_pool(i, guests);
    record["eventTime"] = json!(format!("2026-11-20T09:{i:02}:00Z"));
    record["requestParameters"]["identityPoolId"] =
        json!("eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-3f0bEXAMPLE");
    let mut s3 = FakeS3::default();
    s3.objects.insert(key.to_string(), Ok(trail(vec![record])));
    s3
}

#[tokio::test(start_paused = true)]
async fn tracked_settings_are_remembered_across_containers() {
    // Guests allowed in the first file, restated in the second, read by a second
    // container sharing the table.
    let store = FakeStateTable::default();
    let first = app_with(s3_with_guests(KEY, 1, false), store.clone());
    first.handle(s3_event(&[KEY])).await.unwrap();
    let second = app_with(s3_with_guests(KEY_B, 2, true), store.clone());
    second.handle(s3_event(&[KEY_B])).await.unwrap();
    let third = app_with(s3_with_guests(KEY, 3, true), store);
    third.handle(s3_event(&[KEY])).await.unwrap();

    let guest = |app: &StateApp<FakeStateTable>| {
        let alert = published(app).remove(0);
        let change = alert["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["setting"] == "guest access")
            .cloned()
            .unwrap();
        (alert["severity"].as_str().unwrap().to_string(), change)
    };
    let (severity, change) = guest(&first);
    assert_eq!(
        (severity.as_str(), &change["status"]),
        ("medium", &json!("unknown"))
    );
    // Guests turned on: critical, and the alert says they were off before.
    let (severity, change) = guest(&second);
    assert_eq!(severity, "critical");
    assert_eq!(change["status"], "changed");
    assert_eq!(change["before"]["value"], false);
    assert_eq!(change["before"]["event_id"], "e-1");
    // The same values restated: nothing changed and no check newly fails, so the
    // alert is info, below the minimum: not sent (the restated guests are still
    // failing the guest-access check).
    assert!(published(&third).is_empty());
}

/// The total (no dimensions) of metric `name`, summed over the invocations.
fn count<T: ClaimStore + SettingsStore + ChainStore>(app: &StateApp<T>, name: &str) -> Option<f64> {
    let datums = app.metrics.0.lock().unwrap();
    let found: Vec<f64> = datums
        .iter()
        .filter(|d| d.name == name && d.dimensions.is_empty())
        .map(|d| d.value)
        .collect();
    (!found.is_empty()).then(|| found.iter().sum())
}

fn alert_key(i: usize) -> Key {
    Key {
        pk: format!("alert#111122223333#e-{i}"),
        sk: "alert".into(),
    }
}

const KEY_B: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0910Z_b.json.gz";

#[tokio::test(start_paused = true)]
async fn a_new_container_sends_nothing_twice() {
    let store = FakeStateTable::default();
    let first = app_with(s3_with(&[(KEY, &[1, 2])]), store.clone());
    first.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(event_ids(&first), ["e-1", "e-2"]);
    let stored = store.table.get(&alert_key(1)).unwrap();
    assert_eq!(stored.status, Status::Completed);
    assert!(stored.ttl >= now() + 14 * 86_400 - 5);
    // The same notification again (S3 delivers at least once) in a new container.
    let second = app_with(s3_with(&[(KEY, &[1, 2])]), store.clone());
    second.handle(s3_event(&[KEY])).await.unwrap();
    assert!(event_ids(&second).is_empty());
    assert_eq!(count(&second, "DuplicatesSuppressed"), Some(2.0));
    assert_eq!(count(&second, "StateUnavailable"), Some(0.0));
    assert_eq!(count(&second, "Alerts"), Some(0.0));
}

#[tokio::test(start_paused = true)]
async fn the_same_event_in_two_files_is_one_alert() {
    let store = FakeStateTable::default();
    let s3 = s3_with(&[(KEY, &[1, 2]), (KEY_B, &[2, 3])]);
    let app = app_with(s3, store);
    app.handle(s3_event(&[KEY, KEY_B])).await.unwrap();
    assert_eq!(event_ids(&app), ["e-1", "e-2", "e-3"]);
    assert_eq!(count(&app, "DuplicatesSuppressed"), Some(1.0));
}

#[tokio::test(start_paused = true)]
async fn a_live_claim_defers_the_alert_and_a_dead_one_is_taken_over() {
    let store = FakeStateTable::default();
    // Another invocation is publishing e-1 right now.
    store
        .table
        .put(alert_key(1), Item::claim("other-container#3", now()));
    let app = app_with(s3_with(&[(KEY, &[1, 2])]), store.clone());
    let err = app.handle(s3_event(&[KEY])).await.unwrap_err().to_string();
    assert!(
        err.contains("1 of 2 notices") && err.contains("another invocation"),
        "{err}"
    );
    // Not published here, not dropped: the invocation failed, so it is retried.
    assert_eq!(event_ids(&app), ["e-2"]);
    assert_eq!(count(&app, "PublishFailures"), Some(0.0));
    // The holder died: once its lease has run out, the retry takes the claim over.
    let mut dead = Item::claim("other-container#3", now() - LEASE_SECS - 1);
    dead.status = Status::InProgress;
    store.table.put(alert_key(1), dead);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(event_ids(&app), ["e-2", "e-1"]);
    assert_eq!(
        store.table.get(&alert_key(1)).unwrap().status,
        Status::Completed
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_publish_releases_its_claims_for_the_retry() {
    let store = FakeStateTable::default();
    let app = app_with(s3_with(&[(KEY, &[1, 2, 3])]), store.clone());
    app.alerts
        .script
        .lock()
        .unwrap()
        .extend((0..3).map(|_| Err(CallError::transient("ServiceUnavailable"))));
    assert!(app.handle(s3_event(&[KEY])).await.is_err());
    assert!(store.table.is_empty(), "claims released");
    // Lambda's retry lands on a new container: it need not wait for a lease.
    let retry = app_with(s3_with(&[(KEY, &[1, 2, 3])]), store.clone());
    retry.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(event_ids(&retry), ["e-1", "e-2", "e-3"]);
    assert_eq!(store.table.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn unreadable_files_are_reported_once_per_object() {
    let store = FakeStateTable::default();
    let missing = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/gone.json.gz";
    for _ in 0..2 {
        let app = app_with(FakeS3::default(), store.clone());
        app.handle(s3_event(&[missing])).await.unwrap();
        assert_eq!(count(&app, "FileErrors"), Some(1.0));
    }
    let key = Key {
        pk: format!("object#s3://{BUCKET}/{missing}"),
        sk: "unreadable".into(),
    };
    assert_eq!(store.table.get(&key).unwrap().status, Status::Completed);
    assert_eq!(store.table.len(), 1);
}

/// A store that cannot be reached; counts the claim calls and the settings calls
/// it gets.
#[derive(Default)]
struct DownStore(AtomicUsize, AtomicUsize);

impl SettingsStore for DownStore {
    async fn recall(&self, _: &ResourceKey) -> Result<HashMap<String, Remembered>, CallError> {
        self.1.fetch_add(1, Ordering::Relaxed);
        Err(CallError::transient(
            "Query: ProvisionedThroughputExceededException",
        ))
    }

    async fn remember(&self, _: &[(ResourceKey, String, Remembered)]) -> Result<(), CallError> {
        self.1.fetch_add(1, Ordering::Relaxed);
        Err(CallError::transient("PutItem: InternalServerError"))
    }
}

impl ChainStore for DownStore {
    async fn load(&self, _: &str) -> Result<Option<StoredGroup>, CallError> {
        Err(CallError::transient("GetItem: InternalServerError"))
    }

    async fn save(
        &self,
        _: &str,
        _: &GroupState,
        _: Option<u64>,
        _: u64,
    ) -> Result<Written, CallError> {
        Err(CallError::transient("PutItem: InternalServerError"))
    }
}

impl ClaimStore for DownStore {
    async fn claim(&self, keys: &[Key], _: &str, _: u64) -> Vec<Result<Claim, CallError>> {
        self.0.fetch_add(1, Ordering::Relaxed);
        let e = CallError::transient("PutItem: ProvisionedThroughputExceededException");
        keys.iter().map(|_| Err(e.clone())).collect()
    }

    async fn complete(&self, _: &[Key], _: &str, _: u64) -> Result<(), CallError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Err(CallError::transient("BatchWriteItem: InternalServerError"))
    }

    async fn release(&self, _: &[Key], _: &str) -> Result<(), CallError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Err(CallError::transient("DeleteItem: InternalServerError"))
    }
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_store_costs_duplicates_never_alerts() {
    let key_c = KEY_B.replace("_b.json.gz", "_c.json.gz");
    let s3 = s3_with(&[(KEY, &[1, 2]), (KEY_B, &[3]), (&key_c, &[4])]);
    let app = app_with(s3, DownStore::default());
    app.handle(s3_event(&[KEY, KEY_B])).await.unwrap();
    assert_eq!(event_ids(&app), ["e-1", "e-2", "e-3"]);
    // Three notices published without a claim, and one failed settings read.
    assert_eq!(count(&app, "StateUnavailable"), Some(4.0));
    // Asked once each: the rest of the invocation does without it.
    let store = app.state.as_ref().unwrap();
    assert_eq!(store.0.load(Ordering::Relaxed), 1);
    assert_eq!(store.1.load(Ordering::Relaxed), 1);
    // The alerts still say what they set, with the previous values unknown.
    let alerts = published(&app);
    assert!(alerts[0]["changes_unavailable"]
        .as_str()
        .unwrap()
        .contains("Throughput"));
    assert_eq!(alerts[0]["changes"][0]["status"], "unknown");
    // The next invocation asks again.
    app.handle(s3_event(&[&key_c])).await.unwrap();
    assert_eq!(store.0.load(Ordering::Relaxed), 2);
    assert_eq!(store.1.load(Ordering::Relaxed), 2);
}

#[tokio::test(start_paused = true)]
async fn without_a_store_the_state_metrics_are_not_sent() {
    let app = make_app(s3_with(&[(KEY, &[1])]), 50);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(metric(&app, "Alerts", None), 1.0);
    assert!(app
        .metrics
        .0
        .lock()
        .unwrap()
        .iter()
        .all(|d| d.name != "StateUnavailable"));
}
