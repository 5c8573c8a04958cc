//! Fast-path latency, locally: payload in → SNS accepted, for an EventBridge "AWS
//! API Call via CloudTrail" event, beside the same record in a one-record log file
//! notified by S3 (GetObject, inflate, scan), in the same run. The function is built
//! as `main` builds it (`build_with`), against LocalStack (S3, SNS, SQS) and moto
//! (DynamoDB, the state store) behind a routing proxy, with metrics as EMF lines so
//! that the time is the alert's, not CloudWatch's.
//!
//!     scripts/localstack.sh start && scripts/moto.sh start
//!     cargo bench -p cognito-trail-alerts-lambda --bench fast_path > /dev/null
//!
//! The table goes to stderr (stdout carries the EMF lines). BENCH_RUNS sets the
//! invocations per row (default 30). What AWS adds before the payload arrives
//! (EventBridge delivery, seconds; CloudTrail's log file, ~5 minutes, then S3's
//! notification) is not measured here: see docs/deploy.md, "The fast path".

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use cognito_trail_alerts_lambda::config::Config;
use cognito_trail_alerts_lambda::{build_with, LambdaApp};
use common::state::router;
use common::*;
use serde_json::{json, Value};

fn sample() -> Value {
    serde_json::from_str(include_str!("../events/eventbridge-api-call.json")).unwrap()
}

/// The sample with a fresh CloudTrail event id (each run is a new alert).
fn event(i: usize, tag: &str) -> Value {
    let mut e = sample();
    e["id"] = json!(format!("bench-{tag}-{i}"));
    e["detail"]["eventID"] = json!(format!("0000{i:04}-{tag}-4a5b-8c9d-0e1f2a3b4c5d"));
    e
}

async fn app(world: &World, endpoint: &str) -> LambdaApp {
    let shared = sdk_config_for(endpoint).await;
    let config = Config::from_env(|name| match name {
        "ALERT_TOPIC_ARN" => Some(world.topic_arn.clone()),
        "STATE_TABLE" => world.state.as_ref().map(|t| t.name.clone()),
        "METRICS_NAMESPACE" => Some(world.namespace.clone()),
        "METRICS_MODE" => Some("emf".into()),
        "S3_FORCE_PATH_STYLE" => Some("true".into()),
        _ => None,
    })
    .unwrap();
    build_with(&config, &shared).await.unwrap()
}

fn summary(label: &str, mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!(
        "| {label} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        times.len(),
        ms(times[0]),
        ms(pick(0.5)),
        ms(pick(0.95)),
        ms(*times.last().unwrap())
    )
}

async fn measure(
    world: &World,
    endpoint: &str,
    runs: usize,
    tag: &str,
) -> (Vec<Duration>, Vec<Duration>) {
    let app = app(world, endpoint).await;
    // Warm the container: clients, connections, the first table read.
    app.handle(event(9999, tag)).await.unwrap();
    let (mut fast, mut file) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let started = Instant::now();
        let out = app.handle(event(i, tag)).await.unwrap();
        fast.push(started.elapsed());
        assert_eq!(out["alerts"], 1, "{out}");
        // The same kind of change by its log file (a new event id: not a duplicate).
        let record = event(10_000 + i, tag)["detail"].clone();
        let key = trail_key("", None, &format!("{tag}{i}"));
        world.put(&key, trail_gz(&[record])).await;
        let started = Instant::now();
        let out = app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
        file.push(started.elapsed());
        assert_eq!(out["alerts"], 1, "{out}");
    }
    (fast, file)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let mut rows = Vec::new();
    for with_store in [true, false] {
        let tag = if with_store { "store" } else { "nostore" };
        let world = if with_store {
            World::with_state(tag).await
        } else {
            World::new(tag).await
        };
        let proxy = router().await;
        let (fast, file) = measure(&world, &proxy.url(), runs, tag).await;
        let state = if with_store { "store on" } else { "store off" };
        rows.push(summary(&format!("EventBridge event, {state}"), fast));
        rows.push(summary(
            &format!("S3 notification of a 1-record file (baseline), {state}"),
            file,
        ));
    }
    eprintln!("\npayload in -> SNS accepted (App::handle, EMF metrics), milliseconds");
    eprintln!("| path | runs | min | p50 | p95 | max |\n|---|---:|---:|---:|---:|---:|");
    for row in rows {
        eprintln!("{row}");
    }
    eprintln!(
        "load average: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
}
