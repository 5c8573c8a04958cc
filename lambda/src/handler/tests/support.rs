//! The handler tests' shared builders: the app over the ports' fakes, trail
//! files, S3 notifications, and readers of what was published and counted.

use std::sync::Arc;

use cognito_trail_alerts::{RuleSet, Severity};
use cognito_trail_alerts_testkit::records::{iam_user, update_identity_pool, RecordExt};
use cognito_trail_alerts_testkit::{envelopes, files};
use serde_json::{json, Value};

use crate::alert_filter::AlertFilter;
use crate::handler::App;
use crate::ports::{
    ChainStore, ClaimStore, FakeMetrics, FakePorts, FakeS3, FakeSns, SettingsStore,
};

pub(super) const BUCKET: &str = "trail-bucket";
pub(super) const KEY: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_a.json.gz";

pub(super) type TestApp = App<FakePorts>;

/// The notices published, as their machine (`sqs`) JSON bodies, in order: a
/// change set's message gives each of its alerts.
pub(super) fn published<T: ClaimStore + SettingsStore + ChainStore>(
    app: &StateApp<T>,
) -> Vec<Value> {
    let sent = app.alerts.published.lock().unwrap();
    sent.iter().flat_map(|m| notices_of(&m.body)).collect()
}

/// The notices one message body carries: itself, or a change set's alerts.
pub(super) fn notices_of(body: &str) -> Vec<Value> {
    let body: Value = serde_json::from_str(body).unwrap();
    let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    match machine["kind"].as_str() {
        Some("change_set") => machine["alerts"].as_array().unwrap().clone(),
        _ => vec![machine],
    }
}

pub(super) fn make_app(s3: FakeS3, max: usize) -> TestApp {
    new_app(s3, max)
}

/// The app over the fakes and the bundled pack, sending low and above, at most
/// `max` alerts a file.
fn new_app<T: ClaimStore + SettingsStore + ChainStore>(s3: FakeS3, max: usize) -> StateApp<T> {
    let settings = AlertFilter {
        min_severity: Severity::Low,
        max_alerts_per_file: max,
    };
    App::new(
        settings,
        Arc::new(RuleSet::bundled().unwrap()),
        s3,
        FakeSns::default(),
        FakeMetrics::default(),
        cognito_trail_alerts::routes::TopicArn::parse(cognito_trail_alerts_testkit::ALERT_TOPIC)
            .unwrap(),
    )
}

/// UpdateIdentityPool `e-{i}` (the testkit's record) by the IAM user Alice,
/// allowing guests or not, on identity pool number `i`: each is a first sighting
/// (the same values sent again to one pool would be a restatement, not sent).
pub(super) fn update_pool(i: usize, unauth: bool) -> Value {
    let pool = format!("eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-{i:012}");
    update_identity_pool(&format!("e-{i}"), unauth)
        .by(iam_user("Alice"))
        .with_params(json!({ "identityPoolId": pool }))
}

/// [`update_pool`] by its own IAM user `user-{i}`: an actor of its own, so its
/// alert is a message of its own (not part of a change set).
pub(super) fn update_pool_alone(i: usize, unauth: bool) -> Value {
    update_pool(i, unauth).by(iam_user(&format!("user-{i}")))
}

pub(super) fn trail(records: Vec<Value>) -> Vec<u8> {
    files::trail(&records)
}

/// An S3 event notification of `keys` in [`BUCKET`].
pub(super) fn s3_event(keys: &[&str]) -> Value {
    envelopes::s3_event(BUCKET, keys)
}

/// The sum of metric `name` with exactly `dim` (none: the total).
pub(super) fn metric<T: ClaimStore + SettingsStore + ChainStore>(
    app: &StateApp<T>,
    name: &str,
    dim: Option<(&str, &str)>,
) -> f64 {
    app.metrics.sum(name, dim)
}

pub(super) fn subjects<T: ClaimStore + SettingsStore + ChainStore>(
    app: &StateApp<T>,
) -> Vec<String> {
    app.alerts
        .published
        .lock()
        .unwrap()
        .iter()
        .map(|m| m.subject.clone())
        .collect()
}

pub(super) type StateApp<T> = App<FakePorts<T>>;

pub(super) fn app_with<T: ClaimStore + SettingsStore + ChainStore>(
    s3: FakeS3,
    store: T,
) -> StateApp<T> {
    new_app(s3, 50).with_state(store)
}
