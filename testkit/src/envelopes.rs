//! What invokes the function, as AWS sends it: S3 event notifications (direct,
//! through SNS, through SQS), EventBridge events (`Object Created` and "AWS API
//! Call via CloudTrail"), CloudTrail's own SNS notification, S3 Batch Operations
//! jobs and the failure queue's records. Keys are passed as the envelope carries
//! them: S3 and Batch Operations 1.0 form-encode keys ([`form_encode`]),
//! EventBridge, CloudTrail and Batch Operations 2.0 do not.

use serde_json::{json, Value};

use crate::records::{ACCOUNT, REGION};

/// The trail bucket of the envelopes' examples.
pub const BUCKET: &str = "trail-bucket-111122223333";

/// S3's form-URL encoding of a key (a space as `+`, other reserved bytes as `%XX`),
/// as S3 event notifications and Batch Operations 1.0 carry keys.
pub fn form_encode(key: &str) -> String {
    key.bytes()
        .map(|b| match b {
            b' ' => "+".to_string(),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `{"Records": records}`: the envelope S3, SNS and SQS events share.
pub fn records(records: Vec<Value>) -> Value {
    json!({ "Records": records })
}

/// One S3 event notification record: `ObjectCreated:Put` of `key` (already
/// encoded as S3 sends it) in `bucket`, `size` bytes.
pub fn s3_record(bucket: &str, key: &str, size: u64) -> Value {
    json!({
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
        "eventTime": "2026-11-20T09:10:00.000Z", "eventName": "ObjectCreated:Put",
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "trail",
               "bucket": {"name": bucket, "arn": format!("arn:aws:s3:::{bucket}")},
               "object": {"key": key, "size": size, "eTag": "0123456789abcdef", "sequencer": "0062E99A88DC407460"}}
    })
}

/// An S3 event notification of `keys` (already encoded) in `bucket`, 1024 bytes each.
pub fn s3_event(bucket: &str, keys: &[&str]) -> Value {
    records(keys.iter().map(|k| s3_record(bucket, k, 1024)).collect())
}

/// The SNS notification of `message` as an SQS body or a raw payload carries it
/// (`Type`, `MessageId`, `Message` as text).
pub fn sns_notification(message: &Value) -> Value {
    json!({"Type": "Notification", "MessageId": "m-2", "TopicArn": topic_arn(),
           "Message": message.to_string(), "Timestamp": "2026-11-20T09:10:01.000Z"})
}

/// One SNS record of a Lambda invocation carrying `message` (as text).
pub fn sns_record(message: &Value) -> Value {
    json!({"EventSource": "aws:sns", "EventVersion": "1.0",
           "EventSubscriptionArn": format!("{}:1", topic_arn()),
           "Sns": {"Type": "Notification", "MessageId": "m-1", "TopicArn": topic_arn(),
                   "Message": message.to_string(), "Timestamp": "2026-11-20T09:10:01.000Z"}})
}

/// An SNS invocation carrying `message` (an S3 event, CloudTrail's notification...).
pub fn sns_event(message: &Value) -> Value {
    records(vec![sns_record(message)])
}

/// One SQS record: message `id` with `body` (text).
pub fn sqs_record(id: &str, body: &str) -> Value {
    json!({"messageId": id, "receiptHandle": "h", "body": body, "eventSource": "aws:sqs",
           "eventSourceARN": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:q"), "awsRegion": REGION})
}

/// An SQS batch of `bodies`, message ids `msg-0`, `msg-1`...
pub fn sqs_event(bodies: &[String]) -> Value {
    records(
        bodies
            .iter()
            .enumerate()
            .map(|(i, body)| sqs_record(&format!("msg-{i}"), body))
            .collect(),
    )
}

/// CloudTrail's own SNS message: `{"s3Bucket": ..., "s3ObjectKey": [...]}` (keys
/// not encoded).
pub fn cloudtrail_notification(bucket: &str, keys: &[&str]) -> Value {
    json!({"s3Bucket": bucket, "s3ObjectKey": keys})
}

/// An EventBridge `Object Created` event of `key` (not encoded) in `bucket`.
pub fn object_created(bucket: &str, key: &str, size: u64) -> Value {
    json!({"version": "0", "id": "e-1", "detail-type": "Object Created", "source": "aws.s3",
           "account": ACCOUNT, "time": "2026-11-20T09:10:00Z", "region": REGION,
           "resources": [format!("arn:aws:s3:::{bucket}")],
           "detail": {"version": "0", "bucket": {"name": bucket}, "object": {"key": key, "size": size, "etag": "e"},
                      "request-id": "r", "requester": "cloudtrail.amazonaws.com", "reason": "PutObject"}})
}

/// An EventBridge "AWS API Call via CloudTrail" event whose `detail` is `record`
/// (a CloudTrail record, see [`crate::records`]).
pub fn api_call(record: Value) -> Value {
    let source = record["eventSource"]
        .as_str()
        .and_then(|s| s.strip_suffix(".amazonaws.com"))
        .map(|s| format!("aws.{s}"))
        .unwrap_or_else(|| "aws.cognito-idp".into());
    json!({"version": "0", "id": "b1d5c2a0-6f4e-4c1d-9e8a-2f3b4c5d6e7f",
           "detail-type": "AWS API Call via CloudTrail", "source": source,
           "account": ACCOUNT, "time": record["eventTime"].clone(), "region": REGION,
           "resources": [], "detail": record})
}

/// An S3 Batch Operations (LambdaInvoke) job over `keys` in `bucket`, invocation
/// schema `version` `"1.0"` (bucket ARN, keys form-encoded here) or `"2.0"`
/// (bucket name, keys as they are, `userArguments`); task ids `t0`, `t1`...
pub fn batch_job(version: &str, bucket: &str, keys: &[&str]) -> Value {
    let tasks: Vec<Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| match version {
            "1.0" => json!({"taskId": format!("t{i}"), "s3Key": form_encode(k), "s3VersionId": null,
                            "s3BucketArn": format!("arn:aws:s3:::{bucket}")}),
            _ => json!({"taskId": format!("t{i}"), "s3Key": k, "s3VersionId": null, "s3Bucket": bucket}),
        })
        .collect();
    let job = match version {
        "1.0" => json!({"id": "job-1"}),
        _ => json!({"id": "job-1", "userArguments": {}}),
    };
    json!({"invocationSchemaVersion": version, "invocationId": "inv-1", "job": job, "tasks": tasks})
}

/// The record Lambda sends to the on-failure destination (the failure queue)
/// after an asynchronous invocation of `original` failed its retries.
pub fn failure_record(original: Value) -> Value {
    json!({
        "version": "1.0", "timestamp": "2026-11-20T09:12:03.712Z",
        "requestContext": {"requestId": "r-1", "functionArn": format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:f:$LATEST"),
                           "condition": "RetriesExhausted", "approximateInvokeCount": 3},
        "requestPayload": original,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorType": "TransientFailure", "errorMessage": "download failed"}
    })
}

fn topic_arn() -> String {
    format!("arn:aws:sns:{REGION}:{ACCOUNT}:trail-topic")
}
