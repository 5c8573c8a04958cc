//! The handler's decisions, over the ports' fakes for S3, SNS and CloudWatch;
//! one file per concern, the builders in `support.rs`.

use std::io::Read;
use std::sync::{Arc, Mutex};

use cognito_trail_alerts::notice::SnsMessage;
use cognito_trail_alerts::{RuleSet, Severity};
use serde_json::{json, Value};

use crate::alert_filter::AlertFilter;
use crate::failure::CallError;
use crate::handler::App;
use crate::metrics::Datum;
use crate::ports::{AlertSink, Body, EntryFailure, FakeMetrics, FakeS3, NoStore, Ports};

mod accounts;
mod bad_input;
mod batch;
mod chains;
mod change_sets;
mod deadline;
mod fast_path;
mod routes;
mod security_hub;
mod snapshot;
mod state;
mod support;
mod users;

use support::*;

#[tokio::test(start_paused = true)]
async fn alerts_are_published_and_counted() {
    let mut s3 = FakeS3::default();
    s3.objects.insert(
        KEY.into(),
        Ok(trail(vec![
            update_pool_alone(1, true),
            update_pool_alone(2, false),
        ])),
    );
    let app = make_app(s3, 50);
    let out = app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(out["files"], 1);
    assert_eq!(
        subjects(&app),
        [
            "[CRITICAL] UpdateIdentityPool on shop in 111122223333/eu-west-1",
            "[MEDIUM] UpdateIdentityPool on shop in 111122223333/eu-west-1"
        ]
    );
    assert_eq!(metric(&app, "Alerts", Some(("Severity", "critical"))), 1.0);
    assert_eq!(metric(&app, "Alerts", None), 2.0);
    // The body handed to SNS: what a Chatbot (https) subscription receives.
    let body: Value = serde_json::from_str(&app.alerts.published.lock().unwrap()[0].body).unwrap();
    let slack: Value = serde_json::from_str(body["https"].as_str().unwrap()).unwrap();
    assert_eq!(
        (slack["version"].as_str(), slack["source"].as_str()),
        (Some("1.0"), Some("custom"))
    );
    assert_eq!(slack["content"]["textType"], "client-markdown");
    assert!(slack["content"]["title"]
        .as_str()
        .unwrap()
        .starts_with(":rotating_light: *[CRITICAL]*"));
    assert!(slack["content"]["description"]
        .as_str()
        .unwrap()
        .contains("*Who*: `IAMUser`"));
    assert!(slack["content"]["nextSteps"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(
        slack["metadata"]["eventType"],
        "cognito-identity.identity-pool.update"
    );
    assert_eq!(
        (
            metric(&app, "FilesProcessed", None),
            metric(&app, "RecordsProcessed", None)
        ),
        (1.0, 2.0)
    );
}

#[tokio::test(start_paused = true)]
async fn skipped_objects_are_counted_not_fetched() {
    let digest = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz";
    let app = make_app(FakeS3::default(), 50);
    app.handle(s3_event(&[digest])).await.unwrap();
    assert_eq!(
        metric(&app, "ObjectsSkipped", Some(("Reason", "digest"))),
        1.0
    );
    assert!(subjects(&app).is_empty());
}

#[tokio::test(start_paused = true)]
async fn permanent_fetch_errors_and_bad_files_become_unreadable_alerts() {
    let bad = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/bad.json.gz";
    let mut s3 = FakeS3::default();
    s3.objects
        .insert(bad.into(), Ok(b"PK\x03\x04 not a trail".to_vec()));
    let app = make_app(s3, 50);
    app.handle(s3_event(&[KEY, bad])).await.unwrap();
    assert_eq!(
        subjects(&app),
        vec!["[HIGH] Unreadable CloudTrail file in 111122223333/eu-west-1"; 2]
    );
    assert_eq!(metric(&app, "FileErrors", None), 2.0);
    let bodies: Vec<String> = app
        .alerts
        .published
        .lock()
        .unwrap()
        .iter()
        .map(|m| m.body.clone())
        .collect();
    assert!(bodies[0].contains("NoSuchKey") && bodies[1].contains("neither gzip nor JSON"));
}

#[tokio::test(start_paused = true)]
async fn transient_failures_fail_the_invocation() {
    let mut s3 = FakeS3::default();
    s3.objects
        .insert(KEY.into(), Err(CallError::transient("GetObject: SlowDown")));
    let app1 = make_app(s3, 50);
    assert!(app1.handle(s3_event(&[KEY])).await.is_err());
    let mut s3 = FakeS3::default();
    s3.objects
        .insert(KEY.into(), Ok(trail(vec![update_pool(1, true)])));
    s3.broken.push(KEY.into());
    let app2 = make_app(s3, 50);
    let err = app2.handle(s3_event(&[KEY])).await.unwrap_err().to_string();
    assert!(err.contains("download failed"), "{err}");
    assert!(
        subjects(&app2).is_empty(),
        "a broken download is not an unreadable file"
    );
}

#[tokio::test(start_paused = true)]
async fn failed_entries_are_retried_and_a_retry_does_not_resend() {
    let mut s3 = FakeS3::default();
    s3.objects.insert(
        KEY.into(),
        Ok(trail((0..3).map(|i| update_pool_alone(i, false)).collect())),
    );
    let app = make_app(s3, 50);
    // Entry 1 fails, then its retry succeeds.
    app.alerts
        .script
        .lock()
        .unwrap()
        .extend([Ok(vec![1]), Ok(vec![])]);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(subjects(&app).len(), 3);
    // Every attempt fails: the invocation fails and PublishFailures counts it.
    app.alerts.published.lock().unwrap().clear();
    let other = KEY.replace("_a.json.gz", "_b.json.gz");
    let mut s3 = FakeS3::default();
    s3.objects
        .insert(other.clone(), Ok(trail(vec![update_pool(9, false)])));
    let app2 = make_app(s3, 50);
    app2.alerts
        .script
        .lock()
        .unwrap()
        .extend((0..3).map(|_| Err(CallError::transient("ServiceUnavailable"))));
    assert!(app2.handle(s3_event(&[&other])).await.is_err());
    assert_eq!(metric(&app2, "PublishFailures", None), 1.0);
    // The retried invocation sends the alert once; a second retry sends nothing more.
    app2.handle(s3_event(&[&other])).await.unwrap();
    app2.handle(s3_event(&[&other])).await.unwrap();
    assert_eq!(subjects(&app2).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn floods_are_capped_with_a_digest() {
    let mut s3 = FakeS3::default();
    s3.objects.insert(
        KEY.into(),
        Ok(trail((0..60).map(|i| update_pool(i, false)).collect())),
    );
    let app = make_app(s3, 50);
    app.handle(s3_event(&[KEY])).await.unwrap();
    // One actor: its 50 alerts are one change set (in parts that fit Chatbot),
    // then the digest.
    assert_eq!(published(&app).len(), 51);
    let subjects = subjects(&app);
    assert!(subjects[0].starts_with("[MEDIUM] 50 Cognito changes by user/Alice"));
    assert_eq!(
        subjects.last().unwrap(),
        "[MEDIUM] 10 more Cognito alerts held back in 111122223333/eu-west-1"
    );
    assert_eq!(metric(&app, "Alerts", None), 50.0);
}

#[tokio::test(start_paused = true)]
async fn sqs_reports_only_the_failed_messages() {
    let mut s3 = FakeS3::default();
    s3.objects
        .insert(KEY.into(), Ok(trail(vec![update_pool(1, false)])));
    s3.objects.insert(
        "AWSLogs/x/slow.json.gz".into(),
        Err(CallError::transient("SlowDown")),
    );
    let app = make_app(s3, 50);
    let body = |keys: &[&str]| s3_event(keys).to_string();
    let event = json!({"Records": [
        {"messageId": "ok-1", "body": body(&[KEY]), "eventSource": "aws:sqs"},
        {"messageId": "bad-shape", "body": "{\"hello\":1}", "eventSource": "aws:sqs"},
        {"messageId": "slow", "body": body(&["AWSLogs/x/slow.json.gz"]), "eventSource": "aws:sqs"},
    ]});
    let out = app.handle(event).await.unwrap();
    assert_eq!(
        out,
        json!({"batchItemFailures": [{"itemIdentifier": "bad-shape"}, {"itemIdentifier": "slow"}]})
    );
    assert_eq!(subjects(&app).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn unknown_events_are_errors_that_say_what_they_got() {
    let app = make_app(FakeS3::default(), 50);
    let err = app
        .handle(json!({"detail-type": "Scheduled Event"}))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown event shape: an object with keys [detail-type]"
    );
}

#[test]
fn bodies_read_fully() {
    let mut out = String::new();
    { Body::new(&b"abc"[..], None).reader }
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, "abc");
}
