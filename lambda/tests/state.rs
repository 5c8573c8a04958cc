//! End to end with the state store: the function, built as `main` builds it with
//! `STATE_TABLE` set, against LocalStack (S3, SNS, SQS, CloudWatch) and moto
//! (DynamoDB) behind a routing proxy. Each alert arrives once across containers,
//! files and concurrent deliveries; a live claim defers, a dead one is taken over.

#[path = "state/chains.rs"]
mod chains;
mod common;

use std::collections::BTreeMap;

use cognito_trail_alerts::claim::{Item, Key, LEASE_SECS, SENT_TTL_SECS};
use cognito_trail_alerts_lambda::clock::Clock;
use cognito_trail_alerts_lambda::LambdaApp;
use common::proxy::Proxy;
use common::state::{number, router, text};
use common::*;
use serde_json::Value;

/// Seconds since the epoch, as the function reads them.
fn now() -> u64 {
    Clock::system().unix_secs()
}

async fn container(world: &World, proxy: &Proxy) -> LambdaApp {
    world.function(&proxy.url(), &world.topic_arn, 50).await
}

/// How many times each event id arrived on the queue (waiting for `n` messages).
async fn arrivals(world: &World, n: usize) -> BTreeMap<String, usize> {
    let mut count = BTreeMap::new();
    for (_, alert) in world.delivered(n).await {
        let id = alert["event_id"].as_str().unwrap_or("(none)").to_string();
        *count.entry(id).or_insert(0) += 1;
    }
    count
}

fn once(ids: &[&str]) -> BTreeMap<String, usize> {
    ids.iter().map(|id| (id.to_string(), 1)).collect()
}

fn alert_key(id: &str) -> Key {
    Key {
        pk: format!("alert#{ACCOUNT}#{id}"),
        sk: "alert".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_is_delivered_once_across_containers_and_files() {
    let world = World::with_state("once").await;
    let proxy = router().await;
    let (a, b) = (trail_key("", None, "a"), trail_key("", None, "b"));
    let pool = |id| cognito(id, "UpdateIdentityPool", "shop", false);
    world
        .put(
            &a,
            trail_gz(&[pool("s-1"), noise("n-1"), pool("s-2"), pool("s-3")]),
        )
        .await;
    // CloudTrail delivered two of the events again, in a second file.
    world
        .put(
            &b,
            trail_gz(&[pool("s-2"), pool("s-3"), pool("s-4"), noise("n-2")]),
        )
        .await;
    let first = container(&world, &proxy).await;
    first.handle(s3_event(&world.bucket, &[&a])).await.unwrap();
    // The notification again (S3 delivers at least once), in a new container,
    // together with the second file.
    let second = container(&world, &proxy).await;
    second
        .handle(s3_event(&world.bucket, &[&a, &b]))
        .await
        .unwrap();
    assert_eq!(
        arrivals(&world, 4).await,
        once(&["s-1", "s-2", "s-3", "s-4"])
    );
    let items = world.table().claims().await;
    assert_eq!(items.len(), 4);
    for item in &items {
        assert_eq!(text(item, "status"), "COMPLETED");
        assert!(text(item, "pk").starts_with(&format!("alert#{ACCOUNT}#s-")));
        let kept = number(item, "ttl") as i64 - now() as i64;
        assert!(
            (kept - SENT_TTL_SECS as i64).abs() < 120,
            "ttl {kept} s ahead"
        );
    }
    let sum = |name| metric_sum(&world.namespace, name, None);
    assert_eq!(sum("DuplicatesSuppressed"), 5.0);
    assert_eq!(sum("StateUnavailable"), 0.0);
    assert_eq!(sum("Alerts"), 4.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_file_delivered_three_times_at_once_is_published_once() {
    let world = World::with_state("concurrent").await;
    let proxy = router().await;
    let key = trail_key("", None, "twice");
    let mut records: Vec<Value> = (0..2000).map(|i| noise(&format!("n-{i}"))).collect();
    let ids: Vec<String> = (0..12).map(|i| format!("c-{i:02}")).collect();
    records.extend(
        ids.iter()
            .map(|id| cognito(id, "UpdateIdentityPool", "shop", true)),
    );
    world.put(&key, trail_gz(&records)).await;
    let event = s3_event(&world.bucket, &[&key]);
    let apps = [
        container(&world, &proxy).await,
        container(&world, &proxy).await,
        container(&world, &proxy).await,
    ];
    let (r0, r1, r2) = tokio::join!(
        apps[0].handle(event.clone()),
        apps[1].handle(event.clone()),
        apps[2].handle(event.clone())
    );
    // A claim another invocation holds is deferred: that invocation fails, and
    // Lambda retries it. By then the holder has completed (the retry skips it).
    let mut deferred = 0;
    for (app, result) in apps.iter().zip([r0, r1, r2]) {
        if let Err(e) = result {
            assert!(e.to_string().contains("another invocation"), "{e}");
            deferred += 1;
            app.handle(event.clone()).await.expect("the retry succeeds");
        }
    }
    let want: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(arrivals(&world, 12).await, once(&want));
    println!("three concurrent deliveries: {deferred} invocation(s) deferred and retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_claim_defers_and_a_dead_holders_claim_is_taken_over() {
    let world = World::with_state("lease").await;
    let proxy = router().await;
    let key = trail_key("", None, "held");
    let pool = |id| cognito(id, "UpdateIdentityPool", "shop", false);
    world
        .put(&key, trail_gz(&[pool("h-1"), pool("h-2"), noise("n")]))
        .await;
    // Another invocation is publishing h-1 right now.
    world
        .table()
        .put(&alert_key("h-1"), &Item::claim("other#1", now()))
        .await;
    let app = container(&world, &proxy).await;
    let event = s3_event(&world.bucket, &[&key]);
    let err = app.handle(event.clone()).await.unwrap_err().to_string();
    assert!(
        err.contains("1 of 2 notices") && err.contains("another invocation"),
        "{err}"
    );
    assert_eq!(arrivals(&world, 1).await, once(&["h-2"]));
    // It died: once its lease has run out, the retry takes the claim over.
    let died = Item::claim("other#1", now() - LEASE_SECS - 1);
    world.table().put(&alert_key("h-1"), &died).await;
    app.handle(event).await.unwrap();
    assert_eq!(arrivals(&world, 1).await, once(&["h-1"]));
    let items = world.table().claims().await;
    assert!(items.iter().all(|i| text(i, "status") == "COMPLETED"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_object_is_reported_once() {
    let world = World::with_state("missing").await;
    let proxy = router().await;
    let key = trail_key("", None, "gone");
    for _ in 0..2 {
        let app = container(&world, &proxy).await;
        app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    }
    let got = world.delivered(1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1["kind"], "unreadable_file");
    let items = world.table().claims().await;
    assert_eq!(text(&items[0], "sk"), "unreadable");
    assert_eq!(
        text(&items[0], "pk"),
        format!("object#s3://{}/{key}", world.bucket)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracked_settings_are_remembered_in_the_table_and_never_go_back_in_time() {
    let world = World::with_state("settings").await;
    let proxy = router().await;
    let at = |id: &str, minute: u32, guests: bool| {
        let mut r = on_the_same_pool(cognito(id, "UpdateIdentityPool", "shop", guests));
        r["eventTime"] = serde_json::json!(format!("2026-11-20T09:{minute:02}:00Z"));
        r
    };
    let files = [
        ("a", at("t-1", 1, false)),
        ("b", at("t-2", 5, true)),
        ("c", at("t-3", 3, false)),
    ];
    let mut alerts = Vec::new();
    for (name, record) in files {
        let key = trail_key("", None, name);
        world.put(&key, trail_gz(&[record])).await;
        // A new container for each file: only the table connects them.
        let app = container(&world, &proxy).await;
        app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
        alerts.push(world.delivered(1).await.remove(0).1);
    }
    let guests = |alert: &Value| {
        let changes = alert["changes"].as_array().unwrap();
        changes
            .iter()
            .find(|c| c["setting"] == "guest access")
            .unwrap()
            .clone()
    };
    assert_eq!(guests(&alerts[0])["status"], "unknown");
    // Turned on: critical, saying it was off, set by t-1.
    assert_eq!(alerts[1]["severity"], "critical");
    let on = guests(&alerts[1]);
    assert_eq!(
        (on["status"].as_str(), on["before"]["event_id"].as_str()),
        (Some("changed"), Some("t-1"))
    );
    assert_eq!(on["before"]["value"], false);
    // A late file with an older event: it says a newer value is known, and the
    // table keeps the newer value.
    let late = guests(&alerts[2]);
    assert_eq!(late["status"], "newer_known");
    assert_eq!(late["newer"]["event_id"], "t-2");
    let stored: Vec<_> = world.table().settings().await;
    let guest_item = stored
        .iter()
        .find(|i| text(i, "sk") == "guest access")
        .expect("guest access is stored");
    assert_eq!(
        text(guest_item, "pk"),
        format!("setting#{ACCOUNT}/eu-west-1/identity-pool/eu-west-1:7c1e")
    );
    assert_eq!(text(guest_item, "event_time"), "2026-11-20T09:05:00Z");
    let data: Value = serde_json::from_str(text(guest_item, "data")).unwrap();
    assert_eq!(data["last"]["event_id"], "t-2");
    assert_eq!(data["previous"]["event_id"], "t-1");
}
