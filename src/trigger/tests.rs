use serde_json::{json, Value};

use cognito_trail_alerts_testkit::envelopes::{self, BUCKET};

use super::*;

const KEY: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_Ab3dE5fG7hJ9kL1m.json.gz";

fn s3_event(key: &str, size: u64) -> Value {
    envelopes::records(vec![envelopes::s3_record(BUCKET, key, size)])
}

fn cloudtrail(keys: &[&str]) -> Value {
    envelopes::cloudtrail_notification(BUCKET, keys)
}

fn eventbridge(key: &str) -> Value {
    envelopes::object_created(BUCKET, key, 4096)
}

/// The objects of a trigger that announces files.
fn objects(event: &Value) -> Vec<ObjectRef> {
    match parse(event).unwrap() {
        Trigger::Files { objects, .. } => objects,
        other => panic!("no files: {other:?}"),
    }
}

/// (shape, key/skip of every object) of a trigger that announces files.
fn one(event: &Value) -> (Shape, Vec<(String, Option<SkipReason>)>) {
    let trigger = parse(event).unwrap();
    let shape = trigger.shape();
    let Trigger::Files { objects, .. } = trigger else {
        panic!("no files: {trigger:?}");
    };
    (
        shape,
        objects.iter().map(|t| (t.key.clone(), t.skip)).collect(),
    )
}

#[test]
fn every_direct_shape_yields_the_object() {
    let want = vec![(KEY.to_string(), None)];
    assert_eq!(one(&s3_event(KEY, 4096)), (Shape::S3, want.clone()));
    assert_eq!(
        one(&envelopes::sns_event(&s3_event(KEY, 4096))),
        (Shape::Sns, want.clone())
    );
    assert_eq!(one(&eventbridge(KEY)), (Shape::EventBridge, want.clone()));
    assert_eq!(
        one(&cloudtrail(&[KEY])),
        (Shape::CloudTrailSns, want.clone())
    );
    assert_eq!(
        one(&envelopes::sns_event(&cloudtrail(&[KEY]))),
        (Shape::Sns, want)
    );
}

#[test]
fn keys_are_decoded_and_read_for_account_and_region() {
    let encoded = "my+trails/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/eu-central-1/2026/11/20/444455556666_CloudTrail_eu-central-1_20261120T0920Z_Qw3e.json.gz";
    let found = objects(&s3_event(encoded, 10));
    let t = &found[0];
    assert!(
        t.key.starts_with("my trails/AWSLogs/o-a1b2c3d4e5/"),
        "{}",
        t.key
    );
    let info = t.info.as_ref().unwrap();
    assert_eq!(
        (
            info.org_id.as_deref(),
            info.account.as_str(),
            info.region.as_str()
        ),
        (Some("o-a1b2c3d4e5"), "444455556666", "eu-central-1")
    );
    // CloudTrail's own notification is not URL-encoded: a '+' stays a '+'.
    assert_eq!(
        one(&cloudtrail(&["a+b/AWSLogs/x.json.gz"])).1[0].0,
        "a+b/AWSLogs/x.json.gz"
    );
}

#[test]
fn skips_are_decided_not_errors() {
    let digest = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz";
    let insight = "AWSLogs/111122223333/CloudTrail-Insight/eu-west-1/2026/11/20/x.json.gz";
    let cases = [
        (s3_event(digest, 900), Some(SkipReason::Digest)),
        (s3_event(insight, 900), Some(SkipReason::Insight)),
        (
            s3_event("AWSLogs/111122223333/CloudTrail/", 0),
            Some(SkipReason::Folder),
        ),
        (
            s3_event("AWSLogs/111122223333/CloudTrail/eu-west-1/notes.txt", 9),
            Some(SkipReason::NotLogFile),
        ),
        (s3_event(KEY, 0), Some(SkipReason::EmptyObject)),
    ];
    for (event, want) in cases {
        assert_eq!(one(&event).1[0].1, want);
    }
    let mut removed = s3_event(KEY, 10);
    removed["Records"][0]["eventName"] = json!("ObjectRemoved:Delete");
    assert_eq!(one(&removed).1[0].1, Some(SkipReason::NotCreated));
    let test_event = json!({"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "2026-11-20T09:00:00Z", "Bucket": BUCKET, "RequestId": "r", "HostId": "h"});
    assert_eq!(one(&test_event), (Shape::TestEvent, vec![]));
    assert_eq!(
        one(&envelopes::sns_event(&test_event)),
        (Shape::Sns, vec![])
    );
    assert_eq!(one(&json!({"Records": []})), (Shape::Empty, vec![]));
}

#[test]
fn sqs_messages_are_work_of_their_own() {
    let bodies = [
        s3_event(KEY, 1).to_string(),
        envelopes::sns_notification(&s3_event(KEY, 1)).to_string(),
        envelopes::sns_notification(&cloudtrail(&[KEY, KEY])).to_string(),
        "not json".to_string(),
        json!({"hello": "world"}).to_string(),
    ];
    let Trigger::Queue(messages) = parse(&envelopes::sqs_event(&bodies)).unwrap() else {
        panic!("not a queue");
    };
    let summary: Vec<(Option<&str>, Result<usize, String>)> = messages
        .iter()
        .map(|m| {
            (
                m.message_id.as_deref(),
                m.work
                    .as_ref()
                    .map(|w| w.objects.len())
                    .map_err(|e| e.to_string()),
            )
        })
        .collect();
    assert_eq!(summary[0], (Some("msg-0"), Ok(1)));
    assert_eq!(summary[1], (Some("msg-1"), Ok(1)));
    assert_eq!(summary[2], (Some("msg-2"), Ok(2)));
    assert!(
        summary[3]
            .1
            .as_ref()
            .unwrap_err()
            .starts_with("SQS message: `body` is not valid JSON"),
        "{summary:?}"
    );
    assert_eq!(
        summary[4].1,
        Err("unknown event shape: an object with keys [hello]".into())
    );
}

#[test]
fn bad_envelopes_say_what_they_got() {
    let cases = [
        (
            json!({"detail-type": "Scheduled Event", "source": "aws.events"}),
            "unknown event shape: an object with keys [detail-type, source]",
        ),
        (json!([1, 2]), "unknown event shape: an array of 2 items"),
        (
            json!({"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": "b"}}}]}),
            "S3 event record is missing `s3.object.key`",
        ),
        (
            s3_event("AWSLogs/100%/x.json.gz", 1),
            "bad URL encoding in object key \"AWSLogs/100%/x.json.gz\"",
        ),
        (
            json!({"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "{oops"}}]}),
            "SNS record: `Sns.Message` is not valid JSON",
        ),
        (
            json!({"s3Bucket": BUCKET, "s3ObjectKey": "single"}),
            "CloudTrail notification: `s3ObjectKey` is a string, not an array",
        ),
    ];
    for (event, want) in cases {
        let got = parse(&event).map(|_| ()).unwrap_err().to_string();
        assert!(got.starts_with(want), "want {want:?}, got {got:?}");
    }
}

#[test]
fn a_self_test_is_its_own_trigger_and_only_when_true() {
    let t = parse(&serde_json::json!({"selfTest": true})).unwrap();
    assert!(matches!(t, Trigger::SelfTest));
    assert_eq!(t.shape(), Shape::SelfTest);
    let e = parse(&serde_json::json!({"selfTest": "yes"})).unwrap_err();
    assert!(e.to_string().contains("selfTest is \"yes\""), "{e}");
    // Queued, it would answer nobody: that message fails on its own.
    let queued = serde_json::json!({"Records": [{"eventSource": "aws:sqs", "messageId": "m-1",
        "body": "{\"selfTest\": true}"}]});
    let Trigger::Queue(messages) = parse(&queued).unwrap() else {
        panic!("a queue")
    };
    assert!(messages[0].work.is_err(), "{:?}", messages[0].work);
}
