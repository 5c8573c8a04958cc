//! The fast path with fakes: EventBridge "AWS API Call via CloudTrail" events,
//! alone and in SQS batches, and the same change through both paths.

use super::*;
use crate::ports::FakeStateTable;

/// The bundled sample event (an UpdateUserPool turning MFA off).
fn api_event() -> Value {
    serde_json::from_str(include_str!("../../../events/eventbridge-api-call.json")).unwrap()
}

/// The same CloudTrail record as the sample event, in a log file.
fn file_with_the_same_record() -> FakeS3 {
    let record = api_event()["detail"].clone();
    let mut s3 = FakeS3::default();
    s3.objects.insert(KEY.to_string(), Ok(trail(vec![record])));
    s3
}

fn datum(datums: &[Datum], name: &str, path: &str) -> Option<f64> {
    let dims = vec![("Path", path.to_string())];
    datums
        .iter()
        .find(|d| d.name == name && d.dimensions == dims)
        .map(|d| d.value)
}

#[tokio::test(start_paused = true)]
async fn an_event_alerts_with_its_path() {
    let app = make_app(FakeS3::default(), 50);
    let out = app.handle(api_event()).await.unwrap();
    assert_eq!(out["records"], 1);
    let alert = published(&app).remove(0);
    assert_eq!(alert["event_name"], "UpdateUserPool");
    // A first sighting: the MFA check fails, not known to pass before (medium).
    assert_eq!(alert["severity"], "medium");
    assert!(alert["checks"]["failed"]
        .to_string()
        .contains("user-pool.mfa-on"));
    assert_eq!(
        alert["source"],
        json!({"path": "eventbridge", "event_id": "6f1a3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b", "record_index": 0})
    );
    let datums = app.metrics.0.lock().unwrap().clone();
    assert_eq!(datum(&datums, "Alerts", "eventbridge"), Some(1.0));
    let latency = datum(&datums, "EndToEndLatency", "eventbridge").unwrap();
    assert!(latency > 0.0, "{latency}");
    // The pool fails the MFA check after the change: counted per check.
    let failing = |check: &str| {
        let dims = vec![("Check", check.to_string())];
        datums
            .iter()
            .find(|d| d.name == "FailingChecks" && d.dimensions == dims)
            .map(|d| d.value)
    };
    assert_eq!(failing("user-pool.mfa-on"), Some(1.0));
    assert_eq!(failing("identity-pool.guest-access-off"), None);
}

#[tokio::test(start_paused = true)]
async fn the_same_change_by_both_paths_alerts_once() {
    let store = FakeStateTable::default();
    // EventBridge first, seconds after the call; the log file minutes later, in
    // another container.
    let fast = app_with(FakeS3::default(), store.clone());
    fast.handle(api_event()).await.unwrap();
    let slow = app_with(file_with_the_same_record(), store);
    slow.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(published(&fast).len(), 1);
    assert!(published(&slow).is_empty());
    let datums = slow.metrics.0.lock().unwrap().clone();
    assert_eq!(datum(&datums, "DuplicatesSuppressed", "s3"), Some(1.0));
    assert_eq!(datum(&datums, "Alerts", "s3"), None);
}

#[tokio::test(start_paused = true)]
async fn an_event_eventbridge_never_delivered_is_alerted_from_the_file() {
    let app = app_with(file_with_the_same_record(), FakeStateTable::default());
    app.handle(s3_event(&[KEY])).await.unwrap();
    let alert = published(&app).remove(0);
    assert_eq!(alert["source"]["path"], "s3");
    assert_eq!(alert["event_id"], "9ce4aa5f-de27-4851-a18a-d43850d00787");
}

#[tokio::test(start_paused = true)]
async fn an_sqs_batch_of_events_fails_only_the_broken_message() {
    let mut batch: Value = serde_json::from_str(include_str!(
        "../../../events/sqs-eventbridge-api-calls.json"
    ))
    .unwrap();
    let mut broken = batch["Records"][0].clone();
    broken["messageId"] = json!("m-broken");
    broken["body"] = json!(
        r#"{"detail-type": "AWS API Call via CloudTrail", "id": "x", "source": "aws.cognito-idp", "detail": []}"#
    );
    batch["Records"].as_array_mut().unwrap().push(broken);
    let app = make_app(FakeS3::default(), 50);
    let out = app.handle(batch).await.unwrap();
    assert_eq!(
        out,
        json!({"batchItemFailures": [{"itemIdentifier": "m-broken"}]})
    );
    let names: Vec<Value> = published(&app)
        .iter()
        .map(|a| a["event_name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("UpdateUserPool"), json!("UpdateIdentityPool")]
    );
}

#[tokio::test(start_paused = true)]
async fn output_format_ocsf_sends_detection_findings_in_the_machine_bodies() {
    let mut app = make_app(FakeS3::default(), 50);
    app.output = crate::publish::OutputFormat::Ocsf;
    app.handle(api_event()).await.unwrap();
    let sent = app.alerts.published.lock().unwrap();
    let body: Value = serde_json::from_str(&sent[0].body).unwrap();
    let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    assert_eq!(machine["class_uid"], 2004);
    assert_eq!(machine["api"]["operation"], "UpdateUserPool");
    assert_eq!(machine["cloud"]["account"]["uid"], "111122223333");
    assert_eq!(body["lambda"], body["sqs"]);
    // Email and Chatbot are the same as with JSON.
    assert!(body["email"].as_str().unwrap().contains("UpdateUserPool"));
    let slack: Value = serde_json::from_str(body["https"].as_str().unwrap()).unwrap();
    assert_eq!(slack["source"], "custom");
}

#[tokio::test(start_paused = true)]
async fn a_self_test_sends_one_marked_alert_and_reports_the_channel() {
    let app = make_app(FakeS3::default(), 50);
    let out = app.handle(json!({"selfTest": true})).await.unwrap();
    assert_eq!(out["selfTest"]["ok"], true, "{out}");
    assert_eq!(out["selfTest"]["channels"][0]["accepted"], true);
    let subjects = subjects(&app);
    assert_eq!(subjects.len(), 1);
    assert!(subjects[0].contains("TEST"), "{subjects:?}");
    let alert = published(&app).remove(0);
    assert_eq!(alert["rule_id"], "self-test");
    assert_eq!(alert["event_id"], out["selfTest"]["testId"]);
    // The topic refusing it is reported, not hidden.
    app.alerts
        .script
        .lock()
        .unwrap()
        .push_back(Err(CallError::transient("SNS: AuthorizationError")));
    let out = app.handle(json!({"selfTest": true})).await.unwrap();
    assert_eq!(out["selfTest"]["ok"], false);
    assert!(out["selfTest"]["channels"][0]["error"]
        .as_str()
        .unwrap()
        .contains("AuthorizationError"));
}
