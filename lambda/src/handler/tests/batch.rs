//! S3 Batch Operations and failure-queue replays with fakes.

use super::*;
use crate::ports::FakeStateTable;

const GOOD: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_good.json.gz";
const GONE: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0910Z_gone.json.gz";
const SLOW: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0915Z_slow.json.gz";
const CUT: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0920Z_cut.json.gz";
const DIGEST: &str = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T095000Z.json.gz";

/// A Batch Operations job (schema 2.0) over `keys` in [`BUCKET`].
fn job(keys: &[&str]) -> Value {
    cognito_trail_alerts_testkit::envelopes::batch_job("2.0", BUCKET, keys)
}

fn s3() -> FakeS3 {
    let mut s3 = FakeS3::default();
    s3.objects
        .insert(GOOD.into(), Ok(trail(vec![update_pool(1, true)])));
    s3.objects.insert(
        SLOW.into(),
        Err(CallError::transient("GetObject: SlowDown")),
    );
    let mut truncated = trail(vec![update_pool(2, true), update_pool(3, false)]);
    truncated.truncate(truncated.len() - 40);
    s3.objects.insert(CUT.into(), Ok(truncated));
    s3
}

#[tokio::test(start_paused = true)]
async fn each_task_gets_its_result_and_a_rescan_sends_nothing_twice() {
    let store = FakeStateTable::default();
    let app = app_with(s3(), store.clone());
    let answer = app
        .handle(job(&[GOOD, GONE, SLOW, DIGEST, CUT]))
        .await
        .unwrap();
    assert_eq!(answer["invocationSchemaVersion"], "2.0");
    assert_eq!(answer["treatMissingKeysAs"], "PermanentFailure");
    assert_eq!(answer["invocationId"], "inv-1");
    let codes: Vec<(String, String)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resultCode"].as_str().unwrap().into(),
                r["resultString"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(codes[0], ("Succeeded".into(), "scanned: 1 notices".into()));
    assert_eq!(codes[1].0, "PermanentFailure");
    assert!(codes[1].1.contains("NoSuchKey"), "{}", codes[1].1);
    assert_eq!(codes[2].0, "TemporaryFailure");
    assert!(codes[2].1.contains("SlowDown"), "{}", codes[2].1);
    assert_eq!(codes[3], ("Succeeded".into(), "skipped: digest".into()));
    assert_eq!(codes[4].0, "PermanentFailure");
    assert!(codes[4].1.contains("truncated"), "{}", codes[4].1);
    // The alerts of the good file and of the record before the truncation; the
    // unreadable files are in the report, not published again.
    let ids: Vec<Value> = published(&app)
        .iter()
        .map(|a| a["event_id"].clone())
        .collect();
    assert_eq!(ids, [json!("e-1"), json!("e-2")]);
    // The same job again (a retry of the temporary failure, a second run): nothing
    // already sent is sent twice.
    let again = app_with(s3(), store);
    again.handle(job(&[GOOD, CUT])).await.unwrap();
    assert!(published(&again).is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_replayed_failure_record_scans_its_original_event() {
    let record = json!({
        "version": "1.0", "timestamp": "2026-11-20T09:12:03.712Z",
        "requestContext": {"requestId": "r-1", "functionArn": "arn:aws:lambda:eu-west-1:111122223333:function:f:$LATEST",
                           "condition": "RetriesExhausted", "approximateInvokeCount": 3},
        "requestPayload": s3_event(&[GOOD]),
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorType": "TransientFailure", "errorMessage": "download failed"}
    });
    let sqs = json!({"Records": [{"messageId": "m-1", "body": record.to_string(), "eventSource": "aws:sqs"}]});
    let app = make_app(s3(), 50);
    let out = app.handle(sqs).await.unwrap();
    assert_eq!(out, json!({"batchItemFailures": []}));
    let ids: Vec<Value> = published(&app)
        .iter()
        .map(|a| a["event_id"].clone())
        .collect();
    assert_eq!(ids, [json!("e-1")]);
}
