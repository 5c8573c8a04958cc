//! Snapshots on first sight (`SNAPSHOT_ON_FIRST_SIGHT`) over the fakes: a
//! resource the state table has never seen is read once per invocation, its
//! settings seed the first alert's `before` (status `snapshot`) and the table; a
//! reader that is denied, throttled or slow costs at most its budget, and the
//! alert goes out as without snapshots, the failure counted.

use std::sync::Arc;
use std::time::Duration;

use cognito_trail_alerts::settings::ResourceKey;
use cognito_trail_alerts::users::{Cause, Failure};
use cognito_trail_alerts_testkit::records::{
    update_user_pool, ACCOUNT, IDENTITY_POOL_ID, REGION, USER_POOL_ID,
};

use super::*;
use crate::deadline::Deadline;
use crate::ports::{ChainStore, ClaimStore, FakeConfigReader, FakeStateTable, SettingsStore};
use crate::snapshots::Snapshots;
use crate::users::config::Access;

fn key(kind: &str, id: &str) -> ResourceKey {
    ResourceKey {
        account: ACCOUNT.into(),
        region: REGION.into(),
        kind: kind.into(),
        id: id.into(),
    }
}

/// A reader that knows the testkit's user pool (MFA ON) and identity pool.
fn reader() -> Arc<FakeConfigReader> {
    let reader = FakeConfigReader::default();
    reader.add(
        key("user-pool", USER_POOL_ID),
        "DescribeUserPool+GetUserPoolMfaConfig",
        json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "ON",
               "deletionProtection": "ACTIVE", "userPoolTier": "PLUS",
               "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"}}),
    );
    reader.add(
        key("identity-pool", IDENTITY_POOL_ID),
        "DescribeIdentityPool+GetIdentityPoolRoles",
        json!({"identityPoolId": IDENTITY_POOL_ID, "allowUnauthenticatedIdentities": false,
               "roles": {"authenticated": "arn:aws:iam::111122223333:role/auth"}}),
    );
    Arc::new(reader)
}

/// The function with a state table and snapshots read by `reader`.
fn app(
    s3: FakeS3,
    store: FakeStateTable,
    reader: &Arc<FakeConfigReader>,
) -> StateApp<FakeStateTable> {
    let access = Access {
        own_account: Some(ACCOUNT.into()),
        role: None,
    };
    app_with(s3, store).with_snapshots(Snapshots::new(reader.clone(), access))
}

fn s3_with(records: Vec<Value>) -> FakeS3 {
    let mut s3 = FakeS3::default();
    s3.objects.insert(KEY.into(), Ok(trail(records)));
    s3
}

/// The change of `setting` in the alert of the file's `n`th alerting record (one
/// actor's alerts are one change set, in event-time order).
fn change<T: ClaimStore + SettingsStore + ChainStore>(
    app: &StateApp<T>,
    n: usize,
    setting: &str,
) -> Value {
    let mut alerts = published(app);
    alerts.sort_by_key(|a| a["source"]["record_index"].as_u64());
    let alert = alerts.remove(n);
    alert["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["setting"] == setting)
        .cloned()
        .unwrap_or_else(|| panic!("no {setting} in {alert}"))
}

/// The sum of metric `name` with exactly `dim` (none: the total).
fn sent<T: ClaimStore + SettingsStore + ChainStore>(
    app: &StateApp<T>,
    name: &str,
    dim: Option<(&str, &str)>,
) -> f64 {
    app.metrics.sum(name, dim)
}

#[tokio::test(start_paused = true)]
async fn the_first_alert_compares_with_a_snapshot() {
    let (store, reader) = (FakeStateTable::default(), reader());
    let app = app(
        s3_with(vec![update_user_pool("e-1", "OFF")]),
        store.clone(),
        &reader,
    );
    app.handle(s3_event(&[KEY])).await.unwrap();

    let mfa = change(&app, 0, "MFA");
    assert_eq!(mfa["status"], "snapshot");
    assert_eq!(mfa["before"]["value"], "ON");
    assert_eq!(mfa["before"]["event_time"], "");
    let read = mfa["before"]["snapshot"].as_str().unwrap();
    assert!(
        read.ends_with(" DescribeUserPool+GetUserPoolMfaConfig") && read.len() > 30,
        "{read}"
    );
    // Turning MFA off against a snapshot that showed it on: a real before, said to
    // be possibly after the change.
    let body: Value = serde_json::from_str(&app.alerts.published.lock().unwrap()[0].body).unwrap();
    let text = body["default"].as_str().unwrap();
    assert!(
        text.contains("MFA: → OFF (a snapshot read ") && text.contains("showed ON"),
        "{text}"
    );
    assert_eq!(reader.calls(), 1);
    assert_eq!(sent(&app, "Snapshots", None), 1.0);
    assert_eq!(sent(&app, "SnapshotFailures", None), 0.0);

    // The table keeps the event's values over the snapshot's, and the snapshot's
    // values of settings the event did not touch.
    let known = store.recall(&key("user-pool", USER_POOL_ID)).await.unwrap();
    assert_eq!(known["MFA"].last.value, "OFF");
    assert_eq!(known["MFA"].last.event_id, "e-1");
    assert_eq!(known["MFA"].previous.as_ref().unwrap().value, "ON");

    // A second container sees a real before: no second read.
    let mut next = update_user_pool("e-2", "ON");
    next["eventTime"] = json!("2026-11-20T10:00:00Z");
    let second = self::app(s3_with(vec![next]), store, &reader);
    second.handle(s3_event(&[KEY])).await.unwrap();
    let mfa = change(&second, 0, "MFA");
    assert_eq!(
        (&mfa["status"], &mfa["before"]["event_id"]),
        (&json!("changed"), &json!("e-1"))
    );
    assert_eq!(reader.calls(), 1);
    assert_eq!(sent(&second, "Snapshots", None), 0.0);
}

/// The record on one identity pool (`update_pool` gives each record its own).
fn one_identity_pool(mut record: Value) -> Value {
    record["requestParameters"]["identityPoolId"] =
        json!("eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-3f0bEXAMPLE");
    record
}

#[tokio::test(start_paused = true)]
async fn each_resource_is_read_once_per_invocation() {
    let (store, reader) = (FakeStateTable::default(), reader());
    let records = vec![
        update_user_pool("e-1", "OFF"),
        one_identity_pool(update_pool(2, true)),
        update_user_pool("e-3", "ON"),
        one_identity_pool(update_pool(4, false)),
    ];
    let app = app(s3_with(records), store, &reader);
    app.handle(s3_event(&[KEY])).await.unwrap();
    let kinds: Vec<String> = reader
        .asked
        .lock()
        .unwrap()
        .iter()
        .map(|(t, _)| t.key.kind.clone())
        .collect();
    assert_eq!(kinds, ["user-pool", "identity-pool"]);
    assert_eq!(sent(&app, "Snapshots", None), 2.0);
    let guests = change(&app, 1, "guest access");
    assert_eq!(
        (&guests["status"], &guests["before"]["value"]),
        (&json!("snapshot"), &json!(false))
    );
    // The next event on each compares with the first, not the snapshot.
    assert_eq!(change(&app, 2, "MFA")["status"], "changed");
    assert_eq!(change(&app, 3, "guest access")["status"], "changed");
}

/// One alert, with the reader failing as `failure` (or slow), under a deadline of
/// two minutes: it goes out "not seen before", the failure counted by `reason`.
async fn a_failed_read(failure: Option<Failure>, delay: Option<Duration>, reason: &str) {
    let (store, reader) = (FakeStateTable::default(), reader());
    *reader.failure.lock().unwrap() = failure;
    *reader.delay.lock().unwrap() = delay;
    let app = app(
        s3_with(vec![update_user_pool("e-1", "OFF")]),
        store,
        &reader,
    );
    let start = tokio::time::Instant::now();
    app.handle_with_deadline(s3_event(&[KEY]), Deadline::after(Duration::from_secs(120)))
        .await
        .unwrap();
    let took = start.elapsed();
    assert!(took <= Duration::from_millis(1500), "{reason}: {took:?}");
    let mfa = change(&app, 0, "MFA");
    assert_eq!(mfa["status"], "unknown", "{reason}");
    assert!(mfa["before"].is_null());
    assert_eq!(reader.calls(), 1);
    assert_eq!(sent(&app, "Snapshots", None), 0.0);
    assert_eq!(sent(&app, "SnapshotFailures", None), 1.0);
    assert_eq!(
        sent(&app, "SnapshotFailures", Some(("Reason", reason))),
        1.0
    );
}

#[tokio::test(start_paused = true)]
async fn a_denied_read_leaves_the_alert_as_it_was() {
    let denied = Failure {
        cause: Cause::AccessDenied,
        detail: "AccessDeniedException: not authorized to perform cognito-idp:DescribeUserPool"
            .into(),
    };
    a_failed_read(Some(denied), None, "access_denied").await;
}

#[tokio::test(start_paused = true)]
async fn a_throttled_read_leaves_the_alert_as_it_was() {
    let throttled = Failure {
        cause: Cause::Throttled,
        detail: "TooManyRequestsException: Rate exceeded".into(),
    };
    a_failed_read(Some(throttled), None, "throttled").await;
}

/// In real time: tokio's paused clock does not advance while the scan's blocking
/// thread waits for the read, so the reader's pause would never end.
#[tokio::test]
async fn a_slow_read_is_cut_at_its_budget() {
    a_failed_read(None, Some(Duration::from_secs(30)), "timeout").await;
}

#[tokio::test(start_paused = true)]
async fn a_failed_account_is_not_asked_again_in_the_invocation() {
    let (store, reader) = (FakeStateTable::default(), reader());
    *reader.failure.lock().unwrap() = Some(Failure {
        cause: Cause::Throttled,
        detail: "TooManyRequestsException: Rate exceeded".into(),
    });
    let app = app(
        s3_with(vec![update_user_pool("e-1", "OFF"), update_pool(2, true)]),
        store,
        &reader,
    );
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(reader.calls(), 1);
    assert_eq!(published(&app).len(), 2);
    assert_eq!(
        sent(&app, "SnapshotFailures", Some(("Reason", "account_down"))),
        1.0
    );
}

#[tokio::test(start_paused = true)]
async fn no_snapshot_starts_without_time_for_the_alerts() {
    let (store, reader) = (FakeStateTable::default(), reader());
    let app = app(
        s3_with(vec![update_user_pool("e-1", "OFF")]),
        store,
        &reader,
    );
    // The first file always starts; 40 s leave no room for a read and a batch.
    app.handle_with_deadline(s3_event(&[KEY]), Deadline::after(Duration::from_secs(40)))
        .await
        .unwrap();
    assert_eq!(reader.calls(), 0);
    assert_eq!(change(&app, 0, "MFA")["status"], "unknown");
    assert_eq!(
        sent(&app, "SnapshotFailures", Some(("Reason", "deadline"))),
        1.0
    );
}

#[tokio::test(start_paused = true)]
async fn another_account_without_a_role_is_not_read() {
    let (store, reader) = (FakeStateTable::default(), reader());
    let mut record = update_user_pool("e-1", "OFF");
    record["recipientAccountId"] = json!("444455556666");
    record["userIdentity"]["accountId"] = json!("444455556666");
    let app = app(s3_with(vec![record]), store, &reader);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(reader.calls(), 0);
    assert_eq!(published(&app).len(), 1);
    assert_eq!(
        sent(&app, "SnapshotFailures", Some(("Reason", "no_role"))),
        1.0
    );
}

#[tokio::test(start_paused = true)]
async fn flag_off_never_reads() {
    let (store, reader) = (FakeStateTable::default(), reader());
    let config = crate::config::Config::from_env(|name| match name {
        "ALERT_TOPIC_ARN" => Some("arn:aws:sns:eu-west-1:111122223333:alerts".into()),
        "STATE_TABLE" => Some("state".into()),
        _ => None,
    })
    .unwrap();
    assert!(config.snapshot.is_none());
    // Built as `build_with` builds it: snapshots only with the flag.
    let mut app = app_with(s3_with(vec![update_user_pool("e-1", "OFF")]), store);
    if let Some(access) = config.snapshot {
        app = app.with_snapshots(Snapshots::new(reader.clone(), access));
    }
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(reader.calls(), 0);
    assert_eq!(change(&app, 0, "MFA")["status"], "unknown");
    let datums = app.metrics.0.lock().unwrap();
    assert!(!datums.iter().any(|d| d.name.starts_with("Snapshot")));
}
