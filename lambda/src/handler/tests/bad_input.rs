//! One SQS batch mixing bad messages, a truncated trail file and a good one: each
//! message succeeds or fails on its own, and a broken file never stops the others.

use cognito_trail_alerts_testkit::files::gz;
use serde_json::{json, Value};

use super::*;

const TRUNCATED: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0910Z_b.json.gz";

/// A gzip trail cut in the middle: an alert first, then enough noise that the
/// cut falls far after it.
fn truncated_trail() -> Vec<u8> {
    let noise = |i: usize| {
        json!({"eventSource": "kms.amazonaws.com", "eventName": "Decrypt", "eventID": format!("n-{i}"),
               "requestParameters": {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "keyId": format!("k-{i}")}})
    };
    let mut records = vec![update_pool(100, true)];
    records.extend((0..3000).map(noise));
    let whole = gz(&trail(records));
    whole[..whole.len() / 2].to_vec()
}

#[tokio::test(start_paused = true)]
async fn an_sqs_batch_fails_only_its_bad_envelopes() {
    let mut s3 = FakeS3::default();
    s3.objects.insert(
        KEY.into(),
        Ok(gz(&trail(vec![
            update_pool(1, true),
            update_pool(2, false),
        ]))),
    );
    s3.objects.insert(TRUNCATED.into(), Ok(truncated_trail()));
    let app = make_app(s3, 50);
    let body = |keys: &[&str]| s3_event(keys).to_string();
    let digest = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz";
    let dynamodb = json!({"Records": [{"eventSource": "aws:dynamodb", "eventName": "INSERT"}]});
    let no_key =
        json!({"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": BUCKET}}}]});
    let sns_garbage = json!({"Type": "Notification", "Message": "<html>"});
    let messages = [
        ("not-json", "{\"Records\": [".to_string()),
        ("good", body(&[KEY])),
        ("dynamodb", dynamodb.to_string()),
        ("truncated-file", body(&[TRUNCATED])),
        (
            "bad-percent",
            body(&["AWSLogs/111122223333/CloudTrail/100%.json.gz"]),
        ),
        ("no-key", no_key.to_string()),
        ("sns-garbage", sns_garbage.to_string()),
        ("digest", body(&[digest])),
        ("test-event", json!({"Event": "s3:TestEvent"}).to_string()),
    ];
    let records: Vec<Value> = messages
        .iter()
        .map(|(id, body)| json!({"messageId": id, "body": body, "eventSource": "aws:sqs"}))
        .collect();

    let out = app.handle(json!({ "Records": records })).await.unwrap();

    // Envelopes that can never be read are the messages SQS redelivers (and, after
    // maxReceiveCount, moves to the dead-letter queue); an unreadable file is not.
    let failed: Vec<&str> = out["batchItemFailures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["itemIdentifier"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "not-json",
            "dynamodb",
            "bad-percent",
            "no-key",
            "sns-garbage"
        ]
    );
    let notices = published(&app);
    let summary: Vec<(&str, &str, &str)> = notices
        .iter()
        .map(|n| {
            let key = n["source"]["key"].as_str().unwrap();
            let id = n["event_id"].as_str().unwrap_or("");
            (n["kind"].as_str().unwrap(), key, id)
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("alert", KEY, "e-1"),
            ("alert", KEY, "e-2"),
            ("alert", TRUNCATED, "e-100"),
            ("unreadable_file", TRUNCATED, ""),
        ]
    );
    let unreadable = &notices[3];
    assert_eq!(unreadable["source"]["bucket"], BUCKET);
    assert_eq!(
        unreadable["reason"],
        "truncated gzip: the compressed data ends early"
    );
    assert!(unreadable["records_before_failure"].as_u64().unwrap() > 1);
    assert!(subjects(&app)
        .iter()
        .any(|s| s.starts_with("[HIGH] Unreadable CloudTrail file in 111122223333/eu-west-1")));
    assert_eq!(metric(&app, "FileErrors", None), 1.0);
    assert_eq!(metric(&app, "FilesProcessed", None), 1.0);
    assert_eq!(
        metric(&app, "ObjectsSkipped", Some(("Reason", "digest"))),
        1.0
    );
    assert_eq!(metric(&app, "Alerts", None), 3.0);
}
