//! Deadlines under tokio's paused clock: a slow SNS, files that no longer fit, and
//! what each trigger answers for the work left for the retry. No real time passes.

use std::time::Duration;

use tokio::time::Instant;

use super::*;
use crate::deadline::Deadline;

/// An SNS that takes `pause` per call (longer than 15 s: the call is cut short).
struct SlowSns {
    pause: Duration,
    published: Mutex<Vec<SnsMessage>>,
}

impl AlertSink for SlowSns {
    async fn publish(
        &self,
        _topic: &cognito_trail_alerts::routes::TopicArn,
        batch: &[SnsMessage],
    ) -> Result<Vec<EntryFailure>, CallError> {
        tokio::time::sleep(self.pause).await;
        self.published.lock().unwrap().extend_from_slice(batch);
        Ok(vec![])
    }
}

/// The fakes, with an SNS that takes its time.
struct SlowPorts;

impl Ports for SlowPorts {
    type Objects = FakeS3;
    type Alerts = SlowSns;
    type Metrics = FakeMetrics;
    type State = NoStore;
}

type SlowApp = App<SlowPorts>;

fn key(i: usize) -> String {
    KEY.replace("_a.json.gz", &format!("_{i}.json.gz"))
}

/// `files` files of one alert each, and one file of 12 alerts (key 99).
fn slow_app(pause: Duration, files: usize) -> SlowApp {
    let mut s3 = FakeS3::default();
    for i in 0..files {
        s3.objects
            .insert(key(i), Ok(trail(vec![update_pool(i, false)])));
    }
    // Twelve actors: twelve messages, two batches.
    let twelve = (100..112).map(|i| update_pool_alone(i, false)).collect();
    s3.objects.insert(key(99), Ok(trail(twelve)));
    let settings = AlertFilter {
        min_severity: Severity::Low,
        max_alerts_per_file: 50,
    };
    let sns = SlowSns {
        pause,
        published: Mutex::default(),
    };
    App::new(
        settings,
        Arc::new(RuleSet::bundled().unwrap()),
        s3,
        sns,
        FakeMetrics::default(),
        cognito_trail_alerts::routes::TopicArn::parse(cognito_trail_alerts_testkit::ALERT_TOPIC)
            .unwrap(),
    )
}

fn sum(app: &SlowApp, name: &str) -> f64 {
    app.metrics.sum(name, None)
}

fn keys(n: usize) -> Vec<String> {
    (0..n).map(key).collect()
}

#[tokio::test(start_paused = true)]
async fn a_slow_sns_is_reported_before_the_timeout() {
    // 60 s of function timeout; SNS never answers within the 15 s bound. Without
    // the deadline the batch's three rounds and the second batch would take 92 s.
    let app = slow_app(Duration::from_secs(600), 0);
    let started = Instant::now();
    let err = app
        .handle_with_deadline(
            s3_event(&[&key(99)]),
            Deadline::after(Duration::from_secs(60)),
        )
        .await
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    assert!(
        err.contains("10 of 12 notices") && err.contains("no answer within 15.0 s"),
        "{err}"
    );
    assert!(err.contains("deadline: 2 of 12 notices"), "{err}");
    // Two rounds (15 s each and the backoff), then no room for a third.
    assert!(took < Duration::from_secs(31), "{took:?}");
    assert_eq!(sum(&app, "PublishFailures"), 10.0, "reported, not killed");
    assert_eq!(sum(&app, "FilesProcessed"), 1.0);
}

#[tokio::test(start_paused = true)]
async fn no_file_starts_that_would_not_fit() {
    // 14 s per PublishBatch: each file takes 14 s; a file needs 67 s left to start.
    let app = slow_app(Duration::from_secs(14), 6);
    let keys = keys(6);
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let started = Instant::now();
    let err = app
        .handle_with_deadline(s3_event(&refs), Deadline::after(Duration::from_secs(120)))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("deadline: 2 files or events left"), "{err}");
    assert!(started.elapsed() <= Duration::from_secs(56));
    assert_eq!(app.alerts.published.lock().unwrap().len(), 4);
    assert_eq!(sum(&app, "FilesProcessed"), 4.0);
    assert_eq!(sum(&app, "PublishFailures"), 0.0);
    // The retry (a new invocation) sends the rest, and nothing twice.
    app.handle_with_deadline(s3_event(&refs), Deadline::after(Duration::from_secs(120)))
        .await
        .unwrap();
    assert_eq!(app.alerts.published.lock().unwrap().len(), 6);
}

#[tokio::test(start_paused = true)]
async fn sqs_messages_not_started_are_listed_as_failed() {
    let app = slow_app(Duration::from_secs(14), 6);
    let records: Vec<Value> = keys(6)
        .iter()
        .enumerate()
        .map(|(i, k)| json!({"messageId": format!("m{i}"), "body": s3_event(&[k]).to_string(), "eventSource": "aws:sqs"}))
        .collect();
    let out = app
        .handle_with_deadline(
            json!({ "Records": records }),
            Deadline::after(Duration::from_secs(120)),
        )
        .await
        .unwrap();
    assert_eq!(
        out,
        json!({"batchItemFailures": [{"itemIdentifier": "m4"}, {"itemIdentifier": "m5"}]})
    );
}

#[tokio::test(start_paused = true)]
async fn batch_tasks_not_started_are_temporary_failures() {
    let app = slow_app(Duration::from_secs(14), 6);
    let tasks: Vec<Value> = keys(6)
        .iter()
        .enumerate()
        .map(|(i, k)| json!({"taskId": format!("t{i}"), "s3Bucket": BUCKET, "s3Key": k}))
        .collect();
    let job = json!({"invocationSchemaVersion": "2.0", "invocationId": "inv",
                     "job": {"id": "j"}, "tasks": tasks});
    let out = app
        .handle_with_deadline(job, Deadline::after(Duration::from_secs(120)))
        .await
        .unwrap();
    let codes: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resultCode"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "Succeeded",
            "Succeeded",
            "Succeeded",
            "Succeeded",
            "TemporaryFailure",
            "TemporaryFailure"
        ]
    );
    assert_eq!(
        out["results"][5]["resultString"],
        "not processed before the deadline"
    );
}
