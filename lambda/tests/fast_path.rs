//! End to end, the fast path: the function built as `main` builds it, fed the
//! bundled EventBridge "AWS API Call via CloudTrail" sample, against LocalStack (S3,
//! SNS, SQS, CloudWatch) and moto (DynamoDB, the state store) behind a routing
//! proxy. The same change by EventBridge then by its log file alerts once; an event
//! EventBridge never delivered still alerts from the file.

mod common;

use std::time::Instant;

use common::state::router;
use common::*;
use serde_json::Value;

fn sample() -> Value {
    serde_json::from_str(include_str!("../events/eventbridge-api-call.json")).unwrap()
}

/// The sample's CloudTrail record in a log file, with a noise record beside it.
fn its_log_file() -> Vec<u8> {
    trail_gz(&[noise("n-1"), sample()["detail"].clone()])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_change_by_eventbridge_then_by_its_log_file_alerts_once() {
    let world = World::with_state("fastpath").await;
    let proxy = router().await;
    let fast = world.function(&proxy.url(), &world.topic_arn, 50).await;
    let started = Instant::now();
    fast.handle(sample()).await.unwrap();
    let accepted = started.elapsed();
    let got = world.delivered(1).await;
    assert_eq!(got.len(), 1);
    let alert = &got[0].1;
    assert_eq!(alert["event_id"], "9ce4aa5f-de27-4851-a18a-d43850d00787");
    assert_eq!(alert["source"]["path"], "eventbridge");
    assert_eq!(
        alert["source"]["event_id"],
        "6f1a3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b"
    );
    // Minutes later the log file arrives, in another container: nothing new.
    let key = trail_key("", None, "fast");
    world.put(&key, its_log_file()).await;
    let slow = world.function(&proxy.url(), &world.topic_arn, 50).await;
    let out = slow.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    assert_eq!(out["files"], 1);
    assert!(
        world.delivered(0).await.is_empty(),
        "the log file alerted again"
    );
    // Printed for the record (BENCHMARKS.md has the measured figures).
    println!("eventbridge payload in -> SNS accepted: {accepted:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_eventbridge_never_delivered_still_alerts_from_the_file() {
    let world = World::with_state("fastmiss").await;
    let proxy = router().await;
    let key = trail_key("", None, "missed");
    world.put(&key, its_log_file()).await;
    let app = world.function(&proxy.url(), &world.topic_arn, 50).await;
    app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    let got = world.delivered(1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1["source"]["path"], "s3");
    assert_eq!(got[0].1["event_id"], "9ce4aa5f-de27-4851-a18a-d43850d00787");
}
