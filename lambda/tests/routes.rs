//! Routes and change sets over LocalStack's SNS and SQS: the function built as
//! `main` builds it (`CRITICAL_TOPIC_ARN`), each topic read through a queue.

mod common;

use common::*;
use serde_json::Value;

/// Event ids of `got`, sorted.
fn ids(got: &[(String, Value)]) -> Vec<String> {
    let mut ids: Vec<String> = got
        .iter()
        .map(|(_, a)| a["event_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// Guest access turned on (critical) and off (medium), each by its own actor,
/// then three changes by one role: a change set.
fn records() -> Vec<Value> {
    let mut records = vec![
        own_actor(cognito("r-1", "UpdateIdentityPool", "shop", true), 1),
        own_actor(cognito("r-2", "UpdateIdentityPool", "shop", false), 2),
    ];
    records
        .extend((1..=3).map(|i| cognito(&format!("s-{i}"), "UpdateIdentityPool", "shop", false)));
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_critical_alert_reaches_both_topics_and_a_change_set_is_one_message() {
    let world = World::new("routes").await;
    let (critical, critical_queue) = world.extra_topic("critical").await;
    let key = trail_key("", None, "routes");
    world.put(&key, trail_gz(&records())).await;
    let app = world
        .function_with(&endpoint(), &[("CRITICAL_TOPIC_ARN", &critical)])
        .await;
    app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    let inbox = world.delivered(5).await;
    assert_eq!(ids(&inbox), ["r-1", "r-2", "s-1", "s-2", "s-3"]);
    let set =
        "[MEDIUM] 3 Cognito changes by role/platform-admin via AWS CLI in 111122223333/eu-west-1";
    assert_eq!(
        inbox.iter().filter(|(s, _)| s == set).count(),
        3,
        "one message"
    );
    let paged = world.delivered_on(&critical_queue, 1).await;
    assert_eq!(ids(&paged), ["r-1"]);
    assert!(
        paged[0].0.starts_with("[CRITICAL] UpdateIdentityPool"),
        "{}",
        paged[0].0
    );
    let on = |topic: &str| {
        metric_sum(
            &world.namespace,
            "MessagesPublished",
            Some(("Topic", topic)),
        )
    };
    let subjects: Vec<&str> = inbox.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(on(&world.name), 3.0, "{subjects:?}");
    assert_eq!(on(&format!("critical-{}", world.name)), 1.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_route_topic_fails_the_invocation_and_is_counted() {
    let world = World::new("routefail").await;
    let key = trail_key("", None, "routefail");
    world.put(&key, trail_gz(&records())).await;
    let missing = "arn:aws:sns:us-east-1:000000000000:no-such-paging-topic";
    let app = world
        .function_with(&endpoint(), &[("CRITICAL_TOPIC_ARN", missing)])
        .await;
    let err = app
        .handle(s3_event(&world.bucket, &[&key]))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("1 of 5 notices") && err.contains("NotFound"),
        "{err}"
    );
    // The alert topic got everything; the retry (same container) sends it nothing
    // again and fails again on the missing topic: nothing lost, nothing twice.
    assert_eq!(world.delivered(5).await.len(), 5);
    assert!(app.handle(s3_event(&world.bucket, &[&key])).await.is_err());
    assert!(world.delivered(0).await.is_empty());
    let failed = |dim| metric_sum(&world.namespace, "PublishFailures", dim);
    assert_eq!(failed(None), 2.0, "one notice, twice");
    assert_eq!(failed(Some(("Topic", "no-such-paging-topic"))), 2.0);
}
