//! Chains across files, invocations, containers and both paths, over the fake
//! state table: each chain's alert is published once, its members alert as
//! themselves, and a state table that fails loses no single-record alert.

use std::sync::atomic::Ordering;

use cognito_trail_alerts_testkit::chains::{admin_change_email, admin_disable_totp, USER_SUB};
use cognito_trail_alerts_testkit::envelopes;
use cognito_trail_alerts_testkit::records::RecordExt;

use super::*;
use crate::ports::{ChainStore, ClaimStore, FakeStateTable, SettingsStore};

const KEY_B: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0915Z_b.json.gz";
const TAKEOVER: &str = "cognito.chain.account-takeover";

fn email() -> Value {
    admin_change_email("ev-email", USER_SUB).at("2026-11-20T09:00:00Z")
}

fn totp() -> Value {
    admin_disable_totp("ev-totp", USER_SUB).at("2026-11-20T09:06:40Z")
}

fn s3_of(files: &[(&str, Vec<Value>)]) -> FakeS3 {
    let mut s3 = FakeS3::default();
    for (key, records) in files {
        s3.objects
            .insert(key.to_string(), Ok(trail(records.clone())));
    }
    s3
}

fn chain_alerts<T: ClaimStore + SettingsStore + ChainStore>(app: &StateApp<T>) -> Vec<Value> {
    published(app)
        .into_iter()
        .filter(|a| a.get("chain").is_some())
        .collect()
}

fn member_ids(alert: &Value) -> Vec<String> {
    let members = alert["chain"]["members"].as_array().unwrap();
    members
        .iter()
        .map(|m| m["event_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_last_step_by_eventbridge_first_then_the_file_fires_once() {
    let store = FakeStateTable::default();
    let app = app_with(s3_of(&[(KEY, vec![email(), totp()])]), store.clone());
    // The MFA removal arrives in seconds by EventBridge: nothing to chain yet.
    app.handle(envelopes::api_call(totp())).await.unwrap();
    assert!(chain_alerts(&app).is_empty());
    // The file brings the email change (earlier) and the MFA removal again.
    app.handle(s3_event(&[KEY])).await.unwrap();
    let chains = chain_alerts(&app);
    assert_eq!(chains.len(), 1, "{chains:?}");
    assert_eq!(chains[0]["rule_id"], TAKEOVER);
    assert_eq!(chains[0]["severity"], "critical");
    assert_eq!(member_ids(&chains[0]), ["ev-email", "ev-totp"]);
    // Each member alerted as itself, once (the MFA removal by EventBridge).
    let own: Vec<Value> = published(&app)
        .into_iter()
        .filter(|a| a.get("chain").is_none())
        .collect();
    assert_eq!(own.len(), 2);
    assert_eq!(app.metrics.sum("ChainAlerts", None), 1.0);
    assert_eq!(app.metrics.sum("ChainHits", None), 3.0);
    // A retry of the file: the hits are duplicates, the claims hold.
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(chain_alerts(&app).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_cold_container_continues_the_chain_from_the_table() {
    let store = FakeStateTable::default();
    let files = [(KEY, vec![email()]), (KEY_B, vec![totp()])];
    let first = app_with(s3_of(&files), store.clone());
    first.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(store.chains.open(), 1);
    let cold = app_with(s3_of(&files), store.clone());
    cold.handle(s3_event(&[KEY_B])).await.unwrap();
    let chains = chain_alerts(&cold);
    assert_eq!(chains.len(), 1);
    assert_eq!(member_ids(&chains[0]), ["ev-email", "ev-totp"]);
    assert!(chain_alerts(&first).is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_failed_publish_leaves_no_state_and_the_retry_sends_the_chain_once() {
    let store = FakeStateTable::default();
    let app = app_with(s3_of(&[(KEY, vec![email(), totp()])]), store.clone());
    // Every publish call of the first invocation fails.
    for _ in 0..20 {
        app.alerts
            .script
            .lock()
            .unwrap()
            .push_back(Err(CallError::transient("SNS: InternalError")));
    }
    assert!(app.handle(s3_event(&[KEY])).await.is_err());
    assert_eq!(store.chains.open(), 0, "state written before delivery");
    app.alerts.script.lock().unwrap().clear();
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(chain_alerts(&app).len(), 1);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(chain_alerts(&app).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_state_table_down_for_chains_loses_no_alert_and_counts_the_chain() {
    let store = FakeStateTable::default();
    store.chains_down.store(true, Ordering::Relaxed);
    let app = app_with(s3_of(&[(KEY, vec![email(), totp()])]), store.clone());
    app.handle(s3_event(&[KEY])).await.unwrap();
    let sent = published(&app);
    assert_eq!(sent.len(), 2, "the members' own alerts");
    assert!(chain_alerts(&app).is_empty());
    assert_eq!(app.metrics.sum("ChainsUnevaluated", None), 2.0);
}

#[tokio::test(start_paused = true)]
async fn without_a_state_table_chains_span_the_files_one_container_sees() {
    let app = make_app(s3_of(&[(KEY, vec![email()]), (KEY_B, vec![totp()])]), 50);
    app.handle(s3_event(&[KEY])).await.unwrap();
    app.handle(s3_event(&[KEY_B])).await.unwrap();
    let chains: Vec<Value> = published(&app)
        .into_iter()
        .filter(|a| a.get("chain").is_some())
        .collect();
    assert_eq!(chains.len(), 1);
    assert_eq!(app.chains_memory.open(), 1);
}

#[tokio::test(start_paused = true)]
async fn two_actors_or_a_gap_past_the_window_make_no_chain() {
    let bob = cognito_trail_alerts_testkit::records::iam_user("bob");
    let late = admin_disable_totp("ev-late", USER_SUB).at("2026-11-20T09:15:01Z");
    let other = admin_disable_totp("ev-bob", USER_SUB)
        .at("2026-11-20T09:01:00Z")
        .by(bob);
    let app = app_with(
        s3_of(&[(KEY, vec![email(), late, other])]),
        FakeStateTable::default(),
    );
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert!(chain_alerts(&app).is_empty());
    assert_eq!(published(&app).len(), 3);
}
