//! End to end against LocalStack (and moto, for the state store), the function
//! built as `main` builds it: S3 Batch Operations jobs in both invocation schemas,
//! a failure-queue record replayed through SQS, and a slow SNS under a deadline.

mod common;

use std::time::{Duration, Instant};

use cognito_trail_alerts_lambda::deadline::Deadline;
use cognito_trail_alerts_testkit::envelopes::batch_job;
use common::faults::Service::Sns;
use common::proxy::{Fault, Proxy, Rule};
use common::state::router;
use common::*;
use serde_json::{json, Value};

fn results(answer: &Value) -> Vec<(String, String)> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resultCode"].as_str().unwrap().to_string(),
                r["resultString"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ids(got: &[(String, Value)]) -> Vec<String> {
    let mut ids: Vec<String> = got
        .iter()
        .map(|(_, a)| a["event_id"].as_str().unwrap_or("").to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_operations_schema_1_0_with_the_store_rescans_without_resending() {
    let world = World::with_state("batch10").await;
    let proxy = router().await;
    let spaced = trail_key("my trails/", None, "spaced");
    world
        .put(
            &spaced,
            trail_gz(&[
                noise("n"),
                cognito("b1-1", "UpdateIdentityPool", "shop", true),
            ]),
        )
        .await;
    let missing = trail_key("", None, "missing");
    let digest = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz";
    let event = batch_job("1.0", &world.bucket, &[&spaced, &missing, digest]);
    let app = world.function(&proxy.url(), &world.topic_arn, 50).await;
    let answer = app.handle(event.clone()).await.unwrap();
    assert_eq!(answer["invocationSchemaVersion"], "1.0");
    assert_eq!(answer["invocationId"], "inv-1");
    assert_eq!(answer["treatMissingKeysAs"], "PermanentFailure");
    let r = results(&answer);
    assert_eq!(r[0], ("Succeeded".into(), "scanned: 1 notices".into()));
    assert_eq!(r[1].0, "PermanentFailure");
    assert!(r[1].1.contains("NoSuchKey"), "{}", r[1].1);
    assert_eq!(r[2], ("Succeeded".into(), "skipped: digest".into()));
    let got = world.delivered(1).await;
    assert_eq!(
        ids(&got),
        ["b1-1"],
        "the missing file is in the report, not published"
    );
    // The same job again in a new container: the store knows the alert was sent.
    let again = world.function(&proxy.url(), &world.topic_arn, 50).await;
    let answer = again.handle(event).await.unwrap();
    assert_eq!(results(&answer)[0].0, "Succeeded");
    assert!(world.delivered(0).await.is_empty(), "nothing sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_operations_schema_2_0_reports_unreadable_files() {
    let world = World::new("batch20").await;
    let good = trail_key("", None, "good");
    world
        .put(
            &good,
            trail_gz(&[cognito("b2-1", "CreateIdentityPool", "partners", false)]),
        )
        .await;
    let cut = trail_key("", None, "cut");
    let mut bytes = trail_gz(&[cognito("b2-2", "UpdateIdentityPool", "shop", false)]);
    bytes.truncate(bytes.len() - 10);
    world.put(&cut, bytes).await;
    let answer = world
        .app(50)
        .await
        .handle(batch_job("2.0", &world.bucket, &[&good, &cut]))
        .await
        .unwrap();
    assert_eq!(answer["invocationSchemaVersion"], "2.0");
    let r = results(&answer);
    assert_eq!(r[0], ("Succeeded".into(), "scanned: 1 notices".into()));
    assert_eq!(r[1].0, "PermanentFailure");
    assert!(r[1].1.contains("truncated gzip"), "{}", r[1].1);
    let got = world.delivered(2).await;
    assert_eq!(
        ids(&got),
        ["b2-1", "b2-2"],
        "alerts before the cut are sent"
    );
    assert!(got.iter().all(|(_, a)| a["kind"] == "alert"));
    let sum = |name: &str| metric_sum(&world.namespace, name, None);
    assert_eq!((sum("FilesProcessed"), sum("FileErrors")), (1.0, 1.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_queue_record_replays_through_sqs_once() {
    let world = World::with_state("replay").await;
    let proxy = router().await;
    let key = trail_key("", None, "replayed");
    world
        .put(
            &key,
            trail_gz(&[
                cognito("r-1", "UpdateIdentityPool", "shop", false),
                cognito("r-2", "DeleteIdentityPool", "old", false),
            ]),
        )
        .await;
    // Lambda's on-failure destination writes this record into the failure queue.
    let record = json!({
        "version": "1.0", "timestamp": "2026-11-20T09:12:03.712Z",
        "requestContext": {"requestId": "c3b5a1e0", "functionArn": "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST",
                           "condition": "RetriesExhausted", "approximateInvokeCount": 3},
        "requestPayload": s3_event(&world.bucket, &[&key]),
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorType": "TransientFailure", "errorMessage": "download failed"}
    });
    let queue = world
        .sqs
        .create_queue()
        .queue_name(format!("{}-failures", world.name))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    world
        .sqs
        .send_message()
        .queue_url(&queue)
        .message_body(record.to_string())
        .send()
        .await
        .unwrap();
    // What the event source mapping hands the function: the queue's messages.
    let received = world
        .sqs
        .receive_message()
        .queue_url(&queue)
        .wait_time_seconds(5)
        .send()
        .await
        .unwrap();
    let messages: Vec<Value> = received
        .messages()
        .iter()
        .map(|m| json!({"messageId": m.message_id(), "receiptHandle": m.receipt_handle(),
                        "body": m.body(), "eventSource": "aws:sqs",
                        "eventSourceARN": format!("arn:aws:sqs:us-east-1:000000000000:{}-failures", world.name)}))
        .collect();
    assert_eq!(messages.len(), 1);
    let batch = json!({ "Records": messages });
    let app = world.function(&proxy.url(), &world.topic_arn, 50).await;
    let out = app.handle(batch.clone()).await.unwrap();
    assert_eq!(out, json!({"batchItemFailures": []}));
    assert_eq!(ids(&world.delivered(2).await), ["r-1", "r-2"]);
    // Replayed again (a second run of the script, a redelivery) by a new container.
    let again = world.function(&proxy.url(), &world.topic_arn, 50).await;
    assert_eq!(
        again.handle(batch).await.unwrap(),
        json!({"batchItemFailures": []})
    );
    assert!(world.delivered(0).await.is_empty(), "nothing sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_sns_reports_publish_failures_before_the_timeout() {
    // SNS answers after a minute: each PublishBatch is cut at 15 s. A function with
    // 30 s left makes one round, then writes its metrics and fails in time.
    let world = World::new("deadline").await;
    let key = trail_key("", None, "slow");
    // Twelve actors: twelve messages, two batches.
    let records: Vec<Value> = (0..12)
        .map(|i| {
            let record = cognito(&format!("d-{i:02}"), "UpdateIdentityPool", "shop", false);
            own_actor(record, i)
        })
        .collect();
    world.put(&key, trail_gz(&records)).await;
    let proxy = Proxy::start(endpoint()).await;
    proxy.inject(Rule::new(Sns, Fault::Delay(Duration::from_secs(60)), 1000));
    let app = world.function(&proxy.url(), &world.topic_arn, 50).await;
    let timeout = Duration::from_secs(30);
    let started = Instant::now();
    let err = app
        .handle_with_deadline(s3_event(&world.bucket, &[&key]), Deadline::after(timeout))
        .await
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    assert!(took < timeout, "answered after {took:?}");
    assert!(
        err.contains("10 of 12 notices") && err.contains("deadline: 2 of 12"),
        "{err}"
    );
    assert_eq!(metric_sum(&world.namespace, "PublishFailures", None), 10.0);
    assert_eq!(metric_sum(&world.namespace, "FilesProcessed", None), 1.0);
}
