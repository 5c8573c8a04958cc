use serde_json::{json, Value};

use super::*;
use crate::trigger::{parse, SkipReason, Trigger};

const KEY: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_Ab3dE5fG7hJ9kL1m.json.gz";

fn sample(name: &str) -> Value {
    let path = format!("{}/lambda/events/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn job(name: &str) -> BatchJob {
    match parse(&sample(name)).unwrap() {
        Trigger::Batch(job) => job,
        other => panic!("not a batch: {other:?}"),
    }
}

fn ids(job: &BatchJob) -> Vec<&str> {
    job.tasks.iter().map(|t| t.id.as_str()).collect()
}

/// The objects of a trigger that names files (directly, or in one SQS message).
fn objects(trigger: Trigger) -> Result<Vec<ObjectRef>, TriggerError> {
    match trigger {
        Trigger::Files { objects, .. } => Ok(objects),
        Trigger::Queue(mut messages) => messages.remove(0).work.map(|w| w.objects),
        other => panic!("no files: {other:?}"),
    }
}

#[test]
fn schema_1_names_the_bucket_by_arn_and_encodes_the_key() {
    let job = job("s3-batch-operations-1.0.json");
    let t = &job.tasks[0].object;
    assert_eq!(
        (t.bucket.as_str(), t.key.as_str(), t.skip),
        ("trail-bucket", KEY, None)
    );
    assert_eq!(ids(&job), ["dGFza2lkZ29lc2hlcmUK"]);
    assert_eq!(job.schema_version, "1.0");
}

#[test]
fn schema_2_names_the_bucket_and_a_digest_is_skipped() {
    let job = job("s3-batch-operations-2.0.json");
    assert_eq!(job.tasks[0].object.key, KEY);
    assert_eq!(job.tasks[1].object.skip, Some(SkipReason::Digest));
    assert_eq!(ids(&job), ["dGFzazEK", "dGFzazIK"]);
}

#[test]
fn the_response_has_one_result_per_task_in_order() {
    let job = &job("s3-batch-operations-2.0.json");
    let results = [(
        "dGFzazIK".to_string(),
        TaskResult::Succeeded("skipped: digest".into()),
    )];
    let got = response(job, &results);
    assert_eq!(
        got,
        json!({
            "invocationSchemaVersion": "2.0",
            "treatMissingKeysAs": "PermanentFailure",
            "invocationId": "Zjk2ZGQ4MjQtOTdlNy00YWU5LTllNDQtMmRkNjhhNGI4NmIw",
            "results": [
                {"taskId": "dGFzazEK", "resultCode": "TemporaryFailure", "resultString": "not processed before the deadline"},
                {"taskId": "dGFzazIK", "resultCode": "Succeeded", "resultString": "skipped: digest"}
            ]
        })
    );
}

#[test]
fn broken_invocations_name_the_field() {
    let mut no_key = sample("s3-batch-operations-2.0.json");
    no_key["tasks"][1].as_object_mut().unwrap().remove("s3Key");
    let mut no_tasks = sample("s3-batch-operations-1.0.json");
    no_tasks["tasks"] = json!({});
    for (v, want) in [
        (no_key, "S3 Batch Operations task is missing `s3Key`"),
        (
            no_tasks,
            "S3 Batch Operations invocation: `tasks` is an object, not an array",
        ),
    ] {
        assert_eq!(parse(&v).unwrap_err().to_string(), want);
    }
}

#[test]
fn a_failed_async_invocation_replays_its_original_event() {
    let direct = parse(&sample("lambda-destination-record.json")).unwrap();
    assert_eq!(direct.shape(), crate::trigger::Shape::S3);
    assert_eq!(objects(direct).unwrap()[0].key, KEY);
    let Trigger::Queue(queued) = parse(&sample("sqs-failure-queue-replay.json")).unwrap() else {
        panic!("not a queue");
    };
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0].message_id.as_deref(),
        Some("5b9d3f1a-7c2e-4e8a-b0d4-6f1e3a5c7b9d")
    );
    assert_eq!(objects(Trigger::Queue(queued)).unwrap()[0].key, KEY);
    // A record whose original event is unusable fails that message only.
    let mut broken = sample("sqs-failure-queue-replay.json");
    let mut record: Value =
        serde_json::from_str(broken["Records"][0]["body"].as_str().unwrap()).unwrap();
    record["requestPayload"] = json!({"Records": [{"eventSource": "aws:s3"}]});
    broken["Records"][0]["body"] = json!(record.to_string());
    let err = objects(parse(&broken).unwrap()).unwrap_err().to_string();
    assert_eq!(err, "S3 event record is missing `s3.bucket.name`");
}
