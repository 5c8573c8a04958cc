//! Bad Lambda trigger payloads through `trigger::parse`: each is refused (or,
//! in an SQS batch, fails on its own) with a message naming the field or the shape.

use cognito_trail_alerts::trigger::{parse, Trigger};
use serde_json::{json, Value};

const KEY: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_a.json.gz";

/// What a payload must give.
enum Want {
    /// The whole payload is refused; the message starts with this.
    Refused(&'static str),
    /// One line per message (or the trigger): `"Shape N targets"` or `"error: message"`, each a prefix.
    Units(&'static [&'static str]),
}

fn s3_record(bucket: Option<&str>, key: Option<Value>) -> Value {
    let mut r = json!({"eventVersion": "2.1", "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                       "s3": {"bucket": {}, "object": {"size": 100}}});
    if let Some(b) = bucket {
        r["s3"]["bucket"]["name"] = json!(b);
    }
    if let Some(k) = key {
        r["s3"]["object"]["key"] = k;
    }
    r
}

/// A well-formed S3 notification of `key` (as S3 sends it: already encoded).
fn s3_event(key: &str) -> Value {
    cognito_trail_alerts_testkit::envelopes::s3_event("trail-bucket", &[key])
}

fn sns_record(message: Option<&str>) -> Value {
    let mut sns = json!({"Type": "Notification", "MessageId": "m-1"});
    if let Some(m) = message {
        sns["Message"] = json!(m);
    }
    json!({"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": sns}]})
}

fn sns_notification(message: &str) -> Value {
    json!({"Type": "Notification", "MessageId": "m-2", "Message": message})
}

fn eventbridge(detail: Option<Value>) -> Value {
    let mut event = json!({"version": "0", "id": "e-1", "detail-type": "Object Created",
                           "source": "aws.s3", "account": "111122223333", "region": "eu-west-1"});
    if let Some(d) = detail {
        event["detail"] = d;
    }
    event
}

fn sqs(bodies: Vec<Option<Value>>) -> Value {
    let records: Vec<Value> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut r = json!({"messageId": format!("msg-{i}"), "eventSource": "aws:sqs"});
            if let Some(b) = body {
                r["body"] = b;
            }
            r
        })
        .collect();
    json!({ "Records": records })
}

fn cases() -> Vec<(&'static str, Value, Want)> {
    use Want::*;
    let text = |v: Value| json!(v.to_string());
    vec![
        ("empty Records", json!({"Records": []}), Units(&["Empty 0 targets"])),
        ("Records not an array", json!({"Records": {}}), Refused("unknown event shape: an object with keys [Records]")),
        ("S3 record without key", json!({"Records": [s3_record(Some("b"), None)]}), Refused("S3 event record is missing `s3.object.key`")),
        ("S3 record without bucket", json!({"Records": [s3_record(None, Some(json!(KEY)))]}), Refused("S3 event record is missing `s3.bucket.name`")),
        ("S3 key a number", json!({"Records": [s3_record(Some("b"), Some(json!(12345)))]}), Refused("S3 event record: `s3.object.key` is a number, not a string")),
        ("S3 record not an object", json!({"Records": [42]}), Refused("S3 event record is missing `s3.bucket.name`")),
        ("bad % in key", s3_event("AWSLogs/100%/x.json.gz"), Refused("bad URL encoding in object key \"AWSLogs/100%/x.json.gz\": '%' at byte 11 is not followed by two hex digits")),
        ("non-hex % in key", s3_event("AWSLogs/%zz.json.gz"), Refused("bad URL encoding in object key \"AWSLogs/%zz.json.gz\": '%' at byte 8")),
        ("key decoding to bad UTF-8", s3_event("AWSLogs/%C3%28.json.gz"), Refused("bad URL encoding in object key \"AWSLogs/%C3%28.json.gz\": decoded bytes are not UTF-8")),
        ("DynamoDB stream", json!({"Records": [{"eventID": "1", "eventName": "INSERT", "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": {"Id": {"N": "101"}}}}]}), Refused("unknown event shape: records from `aws:dynamodb`")),
        ("Kinesis stream", json!({"Records": [{"eventSource": "aws:kinesis", "kinesis": {"data": "e30="}}]}), Refused("unknown event shape: records from `aws:kinesis`")),
        ("API Gateway request", json!({"resource": "/", "path": "/", "httpMethod": "GET", "headers": {}, "body": null}),
            Refused("unknown event shape: an object with keys [body, headers, httpMethod, path, resource]")),
        ("scheduled event", json!({"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "1", "time": "t", "region": "r", "resources": [], "detail": {}}),
            Refused("unknown event shape: an object with keys [account, detail, detail-type, id, region, resources, source, time, ...]")),
        ("a string", json!("s3://trail-bucket/key.json.gz"), Refused("unknown event shape: a string")),
        ("a number", json!(42), Refused("unknown event shape: a number")),
        ("an empty object", json!({}), Refused("unknown event shape: an object with keys []")),
        ("null", Value::Null, Refused("unknown event shape: null")),
        ("an array", json!([s3_event(KEY)]), Refused("unknown event shape: an array of 1 items")),
        ("SNS message not JSON", sns_record(Some("s3://bucket/key")), Refused("SNS record: `Sns.Message` is not valid JSON: expected value at line 1 column 1")),
        ("SNS without message", sns_record(None), Refused("SNS record is missing `Sns.Message`")),
        ("SNS message of unknown shape", sns_record(Some(r#"{"hello":1}"#)), Refused("unknown event shape: an object with keys [hello]")),
        ("SNS wrapped three times", sns_record(Some(&sns_notification(&sns_notification(&s3_event(KEY).to_string()).to_string()).to_string())),
            Refused("unknown event shape: an object with keys [Message, MessageId, Type]")),
        ("EventBridge without detail", eventbridge(None),
            Refused("EventBridge S3 event is missing `detail.bucket.name`")),
        ("EventBridge without key", eventbridge(Some(json!({"bucket": {"name": "b"}, "object": {"size": 1}}))), Refused("EventBridge S3 event is missing `detail.object.key`")),
        ("CloudTrail notification without keys", json!({"s3Bucket": "b"}), Refused("CloudTrail notification is missing `s3ObjectKey`")),
        ("CloudTrail notification key a number", json!({"s3Bucket": "b", "s3ObjectKey": [KEY, 7]}), Refused("CloudTrail notification: `s3ObjectKey[]` is a number, not a string")),
        ("CloudTrail notification bucket not a string", json!({"s3Bucket": ["b"], "s3ObjectKey": [KEY]}), Refused("CloudTrail notification: `s3Bucket` is an array, not a string")),
        (
            "SQS batch, each message on its own",
            sqs(vec![
                Some(text(s3_event(KEY))),
                Some(json!("{\"Records\": [")),
                None,
                Some(json!("42")),
                Some(text(sns_notification("not json"))),
                Some(text(s3_event("AWSLogs/50%.json.gz"))),
                Some(s3_event(KEY)),
                Some(text(json!({"Records": []}))),
            ]),
            Units(&[
                "Sqs 1 targets",
                "error: SQS message: `body` is not valid JSON: EOF while parsing a list",
                "error: SQS message is missing `body`",
                "error: unknown event shape: a number",
                "error: SNS notification: `Message` is not valid JSON: expected ident",
                "error: bad URL encoding in object key \"AWSLogs/50%.json.gz\"",
                "error: SQS message: `body` is an object, not a string",
                "Sqs 0 targets",
            ]),
        ),
    ]
}

#[test]
fn bad_envelopes_name_the_field_or_the_shape() {
    let cases = cases();
    assert!(cases.len() >= 25, "{} cases", cases.len());
    let mut wrong = Vec::new();
    for (name, event, want) in &cases {
        let got = parse(event).map(|trigger| match trigger {
            Trigger::Queue(messages) => messages
                .iter()
                .map(|m| match &m.work {
                    Ok(w) => format!("{:?} {} targets", m.shape, w.objects.len()),
                    Err(e) => format!("error: {e}"),
                })
                .collect::<Vec<_>>(),
            Trigger::Files { shape, objects } => {
                vec![format!("{shape:?} {} targets", objects.len())]
            }
            other => vec![format!("{:?}", other.shape())],
        });
        let ok = match (want, &got) {
            (Want::Refused(msg), Err(e)) => e.to_string().starts_with(msg),
            (Want::Units(lines), Ok(units)) => {
                units.len() == lines.len()
                    && units.iter().zip(*lines).all(|(u, l)| u.starts_with(l))
            }
            _ => false,
        };
        if !ok {
            let got = got.map_err(|e| e.to_string());
            wrong.push(format!("{name}: got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn sqs_messages_keep_their_ids() {
    let Ok(Trigger::Queue(messages)) = parse(&sqs(vec![Some(json!("x")), None])) else {
        panic!("not a queue");
    };
    let ids: Vec<_> = messages.iter().map(|m| m.message_id.as_deref()).collect();
    assert_eq!(ids, [Some("msg-0"), Some("msg-1")]);
    assert!(messages.iter().all(|m| m.work.is_err()));
}
