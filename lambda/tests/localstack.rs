//! End to end against LocalStack: trail files in S3, the handler invoked with each
//! trigger shape, alerts read back from an SQS queue subscribed to the topic,
//! metrics read back from CloudWatch.

mod common;

use common::*;
use serde_json::{json, Value};

fn sns_envelope(message: &Value) -> Value {
    json!({"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
        "Sns": {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:us-east-1:000000000000:trail", "Message": message.to_string()}}]})
}

fn sqs_batch(bodies: &[(&str, String)]) -> Value {
    let records: Vec<Value> = bodies
        .iter()
        .map(|(id, body)| json!({"messageId": id, "receiptHandle": "h", "body": body, "eventSource": "aws:sqs"}))
        .collect();
    json!({ "Records": records })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_trigger_shape_delivers_the_alert() {
    let world = World::new("shapes").await;
    let spaced = trail_key("my trails/", None, "spaces");
    let org = trail_key("", Some("o-a1b2c3d4e5"), "org");
    world
        .put(
            &spaced,
            trail_gz(&[
                noise("n1"),
                cognito("e-spaced", "UpdateIdentityPool", "shop", true),
            ]),
        )
        .await;
    world
        .put(
            &org,
            trail_gz(&[
                cognito("e-org", "CreateIdentityPool", "partners", false),
                noise("n2"),
            ]),
        )
        .await;
    let s3 = s3_event(&world.bucket, &[&spaced]);
    let shapes = vec![
        ("s3", s3.clone()),
        ("sns", sns_envelope(&s3)),
        ("sqs", sqs_batch(&[("m1", s3.to_string())])),
        (
            "sqs+sns",
            sqs_batch(&[(
                "m2",
                json!({"Type": "Notification", "Message": s3.to_string()}).to_string(),
            )]),
        ),
        (
            "eventbridge",
            json!({"version": "0", "detail-type": "Object Created", "source": "aws.s3", "account": ACCOUNT, "region": "us-east-1",
            "detail": {"bucket": {"name": world.bucket}, "object": {"key": form_encode(&org), "size": 100}}}),
        ),
        (
            "cloudtrail-sns",
            json!({"s3Bucket": world.bucket, "s3ObjectKey": [org]}),
        ),
    ];
    for (shape, event) in shapes {
        // A fresh instance per shape: one instance never sends the same alert twice.
        let out = world
            .app(50)
            .await
            .handle(event)
            .await
            .unwrap_or_else(|e| panic!("{shape}: {e}"));
        if shape.starts_with("sqs") {
            assert_eq!(out, json!({"batchItemFailures": []}), "{shape}");
        }
        let got = world.delivered(1).await;
        assert_eq!(got.len(), 1, "{shape}: {got:?}");
        let (subject, alert) = &got[0];
        let want_id = if shape == "eventbridge" || shape == "cloudtrail-sns" {
            "e-org"
        } else {
            "e-spaced"
        };
        assert_eq!(alert["event_id"], want_id, "{shape}");
        assert_eq!(alert["kind"], "alert");
        assert!(
            subject.len() < 100 && subject.starts_with('['),
            "{shape}: {subject}"
        );
        if want_id == "e-spaced" {
            assert_eq!(
                subject,
                "[CRITICAL] UpdateIdentityPool on shop in 111122223333/eu-west-1"
            );
            assert_eq!(alert["source"]["key"], spaced, "decoded key with spaces");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_digest_unreadable_files_and_missing_objects() {
    let world = World::new("flood").await;
    let app = world.app(3).await;
    let flood = trail_key("", None, "flood");
    let records: Vec<Value> = (0..5)
        .map(|i| cognito(&format!("f-{i}"), "UpdateIdentityPool", "shop", false))
        .collect();
    world.put(&flood, trail_gz(&records)).await;
    let broken = trail_key("", None, "broken");
    let mut bytes = trail_gz(&[cognito("b-1", "UpdateIdentityPool", "shop", false)]);
    bytes.truncate(bytes.len() - 10);
    world.put(&broken, bytes).await;
    let missing = trail_key("", None, "missing");
    app.handle(s3_event(&world.bucket, &[&flood, &broken, &missing]))
        .await
        .unwrap();
    let got = world.delivered(7).await;
    let subjects: Vec<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(subjects.len(), 7, "{subjects:?}");
    let alerts = got.iter().filter(|(_, a)| a["kind"] == "alert").count();
    assert_eq!(alerts, 4, "3 + 1 before the cut");
    // The flood's three alerts are one actor's: one change set message.
    let set =
        "[MEDIUM] 3 Cognito changes by role/platform-admin via AWS CLI in 111122223333/eu-west-1";
    assert_eq!(
        subjects.iter().filter(|s| **s == set).count(),
        3,
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"[MEDIUM] 2 more Cognito alerts held back in 111122223333/eu-west-1"),
        "{subjects:?}"
    );
    let unreadable: Vec<&Value> = got
        .iter()
        .filter(|(_, a)| a["kind"] == "unreadable_file")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(unreadable.len(), 2);
    let reasons: Vec<&str> = unreadable
        .iter()
        .map(|a| a["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("truncated gzip")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("NoSuchKey")),
        "{reasons:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_names_keep_subjects_legal() {
    let world = World::new("subject").await;
    let key = trail_key("", None, "long");
    let name = format!("<!channel> @here\n{}", "p".repeat(300));
    world
        .put(
            &key,
            trail_gz(&[cognito("l-1", "UpdateIdentityPool", &name, false)]),
        )
        .await;
    world
        .app(50)
        .await
        .handle(s3_event(&world.bucket, &[&key]))
        .await
        .unwrap();
    let got = world.delivered(1).await;
    let subject = &got[0].0;
    assert!(subject.len() < 100 && subject.ends_with("..."), "{subject}");
    assert!(!subject.contains('\n'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_topic_fails_the_invocation() {
    let world = World::new("notopic").await;
    let key = trail_key("", None, "t");
    world
        .put(
            &key,
            trail_gz(&[cognito("t-1", "UpdateIdentityPool", "shop", false)]),
        )
        .await;
    let app = world
        .app_for_topic(50, "arn:aws:sns:us-east-1:000000000000:no-such-topic")
        .await;
    let err = app
        .handle(s3_event(&world.bucket, &[&key]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not published") && err.contains("NotFound"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failed_sqs_message_leaves_the_others_done() {
    let world = World::new("batch").await;
    let good = trail_key("", None, "good");
    world
        .put(
            &good,
            trail_gz(&[cognito("g-1", "UpdateIdentityPool", "shop", false)]),
        )
        .await;
    let event = sqs_batch(&[
        ("good", s3_event(&world.bucket, &[&good]).to_string()),
        ("garbage", "{\"not\":\"an s3 event\"}".into()),
        (
            "nobucket",
            s3_event("no-such-bucket-cta", &[&good]).to_string(),
        ),
    ]);
    let out = world.app(50).await.handle(event).await.unwrap();
    let failed: Vec<&str> = out["batchItemFailures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["itemIdentifier"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        ["garbage"],
        "NoSuchBucket is permanent: reported as an unreadable file, not retried"
    );
    let kinds: Vec<String> = world
        .delivered(2)
        .await
        .iter()
        .map(|(_, a)| a["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["alert", "unreadable_file"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_readable_from_cloudwatch() {
    let world = World::new("metrics").await;
    let key = trail_key("", None, "m");
    world
        .put(
            &key,
            trail_gz(&[
                cognito("m-1", "UpdateIdentityPool", "shop", true),
                noise("n"),
            ]),
        )
        .await;
    let digest = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz";
    world
        .app(50)
        .await
        .handle(s3_event(&world.bucket, &[&key, digest]))
        .await
        .unwrap();
    let sum = |name: &str, dim: Option<(&str, &str)>| metric_sum(&world.namespace, name, dim);
    assert_eq!(sum("FilesProcessed", None), 1.0);
    assert_eq!(sum("RecordsProcessed", None), 2.0);
    assert_eq!(sum("Alerts", Some(("Severity", "critical"))), 1.0);
    assert_eq!(
        sum(
            "Alerts",
            Some(("RuleId", "cognito-identity.identity-pool.update"))
        ),
        1.0
    );
    assert_eq!(sum("ObjectsSkipped", Some(("Reason", "digest"))), 1.0);
    assert_eq!(sum("PublishFailures", None), 0.0);
}
