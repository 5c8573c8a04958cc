//! A per-test world in LocalStack: a trail bucket, the alert topic and an SQS queue
//! subscribed to it, with the function's real AWS adapters pointed at them; and,
//! for the state store, a DynamoDB table in moto.
#![allow(dead_code, unused_imports)] // each test file uses a subset

pub mod faults;
pub mod proxy;
pub mod state;
pub mod users;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_s3::config::{Credentials, Region};
use cognito_trail_alerts_lambda::config::Config;
use cognito_trail_alerts_lambda::{build_with, timeouts, LambdaApp};
use serde_json::{json, Value};

pub const ACCOUNT: &str = "111122223333";

/// Where LocalStack listens (started by scripts/test.sh).
pub fn endpoint() -> String {
    std::env::var("LOCALSTACK_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:4566".into())
}

/// Fails (never skips) when LocalStack is not reachable.
fn require_localstack() {
    require(&endpoint(), "LocalStack", "scripts/localstack.sh start");
}

/// Fails (never skips) when nothing listens at `url`.
pub fn require(url: &str, what: &str, start: &str) {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    if std::net::TcpStream::connect(addr).is_err() {
        panic!(
            "{what} is not reachable at {url}: run `{start}` (scripts/test.sh starts and stops it)"
        );
    }
}

/// An SDK configuration for LocalStack.
pub async fn sdk_config() -> SdkConfig {
    require_localstack();
    sdk_config_for(&endpoint()).await
}

/// The SDK configuration `main` uses (its timeouts), with test credentials, for
/// `endpoint`: LocalStack or a proxy in front of it.
pub async fn sdk_config_for(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "localstack"))
        .timeout_config(timeouts())
        .load()
        .await
}

/// One test's resources.
pub struct World {
    pub name: String,
    pub s3: aws_sdk_s3::Client,
    pub sns: aws_sdk_sns::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub bucket: String,
    pub topic_arn: String,
    pub queue_url: String,
    pub namespace: String,
    /// The state store's table, for worlds made by [`World::with_state`].
    pub state: Option<state::StateTable>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl World {
    /// Creates the bucket, topic and subscribed queue for a test called `tag`.
    pub async fn new(tag: &str) -> World {
        let shared = sdk_config().await;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("cta-{tag}-{}-{n}", std::process::id());
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&shared)
                .force_path_style(true)
                .build(),
        );
        let sns = aws_sdk_sns::Client::new(&shared);
        let sqs = aws_sdk_sqs::Client::new(&shared);
        let cloudwatch = aws_sdk_cloudwatch::Client::new(&shared);
        s3.create_bucket()
            .bucket(&name)
            .send()
            .await
            .expect("create bucket");
        let topic_arn = sns
            .create_topic()
            .name(&name)
            .send()
            .await
            .expect("create topic")
            .topic_arn
            .unwrap();
        let queue_url = sqs
            .create_queue()
            .queue_name(&name)
            .send()
            .await
            .expect("create queue")
            .queue_url
            .unwrap();
        let queue_arn = format!("arn:aws:sqs:us-east-1:000000000000:{name}");
        sns.subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(&queue_arn)
            .send()
            .await
            .expect("subscribe");
        World {
            state: None,
            namespace: format!("CTA/{name}"),
            bucket: name.clone(),
            name,
            s3,
            sns,
            sqs,
            cloudwatch,
            topic_arn,
            queue_url,
        }
    }

    /// The function wired to this world, with `max` alerts per file.
    pub async fn app(&self, max: usize) -> LambdaApp {
        self.function(&endpoint(), &self.topic_arn, max).await
    }

    /// The same, publishing to `topic_arn`.
    pub async fn app_for_topic(&self, max: usize, topic_arn: &str) -> LambdaApp {
        self.function(&endpoint(), topic_arn, max).await
    }

    /// The function as `main` builds it (`build_with`: the same clients, timeouts
    /// and retries), for this world, its SDK clients talking to `endpoint`.
    pub async fn function(&self, endpoint: &str, topic_arn: &str, max: usize) -> LambdaApp {
        let shared = sdk_config_for(endpoint).await;
        let config = Config::from_env(|name| match name {
            "ALERT_TOPIC_ARN" => Some(topic_arn.to_string()),
            "STATE_TABLE" => self.state.as_ref().map(|t| t.name.clone()),
            "METRICS_NAMESPACE" => Some(self.namespace.clone()),
            "S3_FORCE_PATH_STYLE" => Some("true".into()),
            "MAX_ALERTS_PER_FILE" => Some(max.to_string()),
            _ => None,
        })
        .unwrap();
        build_with(&config, &shared).await.unwrap()
    }

    /// Uploads `bytes` under `key`.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(bytes.into())
            .send()
            .await
            .expect("put object");
    }

    /// Waits for `n` notices on the queue (30 s at most) and a moment more to catch
    /// extras; returns (subject, delivered alert JSON) for each: a change set's
    /// message gives each of its alerts, under the set's subject.
    pub async fn delivered(&self, n: usize) -> Vec<(String, Value)> {
        self.delivered_on(&self.queue_url, n).await
    }

    /// Another topic `{prefix}-{name}` with a queue subscribed to it: its ARN and
    /// the queue's URL (read with [`World::delivered_on`]). A prefix, not a suffix:
    /// LocalStack 4.10's GetMetricStatistics matches a dimension value as a prefix,
    /// so a `Topic` of `{name}` would also count `{name}-x`'s datums.
    pub async fn extra_topic(&self, prefix: &str) -> (String, String) {
        let name = format!("{prefix}-{}", self.name);
        let topic = self.sns.create_topic().name(&name).send().await;
        let topic_arn = topic.expect("create topic").topic_arn.unwrap();
        let queue = self.sqs.create_queue().queue_name(&name).send().await;
        let queue_url = queue.expect("create queue").queue_url.unwrap();
        self.sns
            .subscribe()
            .topic_arn(&topic_arn)
            .protocol("sqs")
            .endpoint(format!("arn:aws:sqs:us-east-1:000000000000:{name}"))
            .send()
            .await
            .expect("subscribe");
        (topic_arn, queue_url)
    }

    /// [`World::delivered`] from the queue at `queue_url`.
    pub async fn delivered_on(&self, queue_url: &str, n: usize) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let mut quiet_rounds = 0;
        while tokio::time::Instant::now() < deadline && (out.len() < n || quiet_rounds < 2) {
            let got = self
                .sqs
                .receive_message()
                .queue_url(queue_url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await
                .expect("receive");
            let messages = got.messages.unwrap_or_default();
            quiet_rounds = if messages.is_empty() {
                quiet_rounds + 1
            } else {
                0
            };
            for m in messages {
                let envelope: Value = serde_json::from_str(m.body().unwrap()).unwrap();
                let subject = envelope["Subject"].as_str().unwrap_or("").to_string();
                let body: Value =
                    serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap();
                match body["kind"].as_str() {
                    Some("change_set") => {
                        let alerts = body["alerts"].as_array().unwrap().iter().cloned();
                        out.extend(alerts.map(|a| (subject.clone(), a)));
                    }
                    _ => out.push((subject, body)),
                }
                self.sqs
                    .delete_message()
                    .queue_url(queue_url)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
        }
        out
    }
}

pub use cognito_trail_alerts_testkit::envelopes::form_encode;
pub use cognito_trail_alerts_testkit::files::trail_gz;
pub use cognito_trail_alerts_testkit::records::noise;

/// `record` by the IAM user `user-{n}`, an actor of its own: its alert is a
/// message of its own, not a member of a change set (for tests of per-message
/// mechanics: batches, entry failures, rounds).
pub fn own_actor(record: Value, n: usize) -> Value {
    use cognito_trail_alerts_testkit::records::{iam_user, RecordExt};
    record.by(iam_user(&format!("user-{n}")))
}

/// The identity pool [`on_the_same_pool`] puts records on.
pub const SHARED_POOL: &str = "eu-west-1:7c1e";

/// A Cognito identity-pool call `name` (CreateIdentityPool, UpdateIdentityPool...)
/// on pool `pool_name`, allowing guests or not: the testkit's record. Each event id
/// names a pool of its own, so every record is a first sighting that alerts (the
/// same values sent again to one pool are a restatement, which is not sent); see
/// [`on_the_same_pool`].
pub fn cognito(event_id: &str, name: &str, pool_name: &str, unauth: bool) -> Value {
    let params = json!({"identityPoolId": format!("eu-west-1:{event_id}"), "identityPoolName": pool_name,
                        "allowUnauthenticatedIdentities": unauth});
    cognito_trail_alerts_testkit::records::record(
        "cognito-identity.amazonaws.com",
        name,
        params,
        event_id,
    )
}

/// The record on [`SHARED_POOL`]: for tests of what one pool's records remember.
pub fn on_the_same_pool(mut record: Value) -> Value {
    record["requestParameters"]["identityPoolId"] = json!(SHARED_POOL);
    record
}

/// A CloudTrail-style key for `account`/`region`, optionally under an organization.
pub fn trail_key(prefix: &str, org: Option<&str>, name: &str) -> String {
    let org = org.map(|o| format!("{o}/")).unwrap_or_default();
    format!("{prefix}AWSLogs/{org}{ACCOUNT}/CloudTrail/eu-west-1/2026/11/20/{ACCOUNT}_CloudTrail_eu-west-1_20261120T0905Z_{name}.json.gz")
}

/// An S3 event notification for `keys` (plain; form-encoded here, as S3 sends them)
/// in `bucket`.
pub fn s3_event(bucket: &str, keys: &[&str]) -> Value {
    let encoded: Vec<String> = keys.iter().map(|k| form_encode(k)).collect();
    let encoded: Vec<&str> = encoded.iter().map(String::as_str).collect();
    cognito_trail_alerts_testkit::envelopes::s3_event(bucket, &encoded)
}

/// Sum of a metric over the last 10 minutes, read with GetMetricStatistics. LocalStack
/// 4.10 stores what aws-sdk-cloudwatch sends (Smithy RPC-v2 CBOR) but cannot parse
/// that protocol's timestamps in read requests, so the read goes through boto3 (query
/// protocol) from the pinned LocalStack venv.
pub fn metric_sum(namespace: &str, name: &str, dim: Option<(&str, &str)>) -> f64 {
    let python = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../.tools/localstack/bin/python"
    );
    assert!(
        std::path::Path::new(python).exists(),
        "{python} missing: run scripts/localstack.sh install"
    );
    let dims = dim
        .map(|(k, v)| format!("[{{'Name': '{k}', 'Value': '{v}'}}]"))
        .unwrap_or_else(|| "[]".into());
    let script = format!(
        "import boto3, datetime\n\
         cw = boto3.client('cloudwatch', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')\n\
         now = datetime.datetime.now(datetime.timezone.utc)\n\
         r = cw.get_metric_statistics(Namespace='{namespace}', MetricName='{name}', Dimensions={dims}, \
         StartTime=now - datetime.timedelta(minutes=10), EndTime=now + datetime.timedelta(minutes=1), Period=60, Statistics=['Sum'])\n\
         print(sum(p['Sum'] for p in r['Datapoints']))\n",
        endpoint()
    );
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a number")
}
