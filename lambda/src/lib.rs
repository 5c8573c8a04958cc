//! The Lambda function around the cognito-trail-alerts engine: trigger parsing is
//! in the engine crate; here are the configuration, the ports with their AWS
//! adapters, the failure policy, publishing, metrics and the handler.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod alert_filter;
pub mod aws;
pub mod chains;
pub mod claims;
pub mod clock;
pub mod collect;
pub mod config;
pub mod deadline;
pub mod failure;
pub mod handler;
pub mod metrics;
pub mod overlays;
mod paths;
pub mod ports;
pub mod publish;
pub mod security_hub;
pub mod settings_cache;
pub mod snapshots;
pub mod users;

use std::sync::Arc;
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};
use cognito_trail_alerts::routes::TopicArn;
use cognito_trail_alerts::RuleSet;

use crate::alert_filter::AlertFilter;
use crate::aws::{AwsPorts, CloudWatchSink, DynamoStore, EmfSink, Metrics, S3Source, SnsSink};
use crate::clock::Clock;
use crate::config::{Config, MetricsMode, RulesSource};
use crate::handler::App;

/// The function as deployed: real AWS adapters (the state store when
/// `STATE_TABLE` is set).
pub type LambdaApp = App<AwsPorts>;

/// How long a call may take. The SDK's standard retry (3 attempts, jittered
/// backoff) runs on top of these; a call that still fails fails the invocation.
pub fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        // Until the first byte of the answer: SNS, CloudWatch and S3 answer in
        // milliseconds, so ten seconds means the attempt is lost.
        .read_timeout(Duration::from_secs(10))
        .operation_attempt_timeout(Duration::from_secs(20))
        // Every call, the SDK's retries included, ends within this: why, see
        // `deadline` (a step starts only when its bounds fit before the timeout).
        .operation_timeout(deadline::SDK_OPERATION)
        .build()
}

/// Builds the function from its configuration: SDK clients (honouring
/// `AWS_ENDPOINT_URL` and the per-service `AWS_ENDPOINT_URL_DYNAMODB`...), rules,
/// sinks, the state store. Called once per cold start.
pub async fn build(config: &Config) -> Result<LambdaApp, lambda_runtime::Error> {
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(timeouts())
        .load()
        .await;
    build_with(config, &shared).await
}

/// [`build`] with a given SDK configuration (tests point it at an emulator).
pub async fn build_with(
    config: &Config,
    shared: &SdkConfig,
) -> Result<LambdaApp, lambda_runtime::Error> {
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(shared)
            .force_path_style(config.s3_force_path_style)
            .build(),
    );
    let rules = load_rules(&config.rules, &s3).await?;
    let rules =
        Arc::new(overlays::apply(rules, &config.overlays, &s3, Clock::system().today()).await?);
    tracing::info!(
        rules = rules.rules().len(),
        source = rules.name(),
        overlays = rules.overlays().join(","),
        suppressions = rules.suppressions().len(),
        "rules loaded"
    );
    let metrics = match config.metrics_mode {
        MetricsMode::Api => Metrics::Api(CloudWatchSink::new(
            aws_sdk_cloudwatch::Client::new(shared),
            config.metrics_namespace.clone(),
        )),
        MetricsMode::Emf => Metrics::Emf(EmfSink {
            namespace: config.metrics_namespace.clone(),
        }),
    };
    let topic =
        TopicArn::parse(&config.alert_topic_arn).map_err(|e| format!("ALERT_TOPIC_ARN: {e}"))?;
    // Checked now: a route to a topic the function may not publish to would fail
    // every alert it takes.
    let routes = config.delivery.route_table(topic.clone(), rules.routes())?;
    tracing::info!(
        topics = routes.all_topics().len(),
        routes = routes.routes().len(),
        change_set_window_secs = config.delivery.window.secs(),
        "delivery"
    );
    let app = App::new(
        AlertFilter {
            min_severity: config.min_severity,
            max_alerts_per_file: config.max_alerts_per_file,
        },
        rules,
        S3Source::new(s3),
        SnsSink::new(aws_sdk_sns::Client::new(shared)),
        metrics,
        topic,
    )
    .with_routes(routes);
    let mut app = app;
    app.output = config.output_format;
    app.window = config.delivery.window;
    // One role per member account, shared by user lookups and snapshots.
    let role = config
        .enrich
        .as_ref()
        .and_then(|e| e.role.clone())
        .or_else(|| config.snapshot.as_ref().and_then(|a| a.role.clone()));
    let roles = Arc::new(aws::MemberRoles::new(shared, role));
    let app = match &config.enrich {
        None => app,
        Some(enrich) => {
            tracing::info!(
                attributes = enrich.attributes.join(","),
                role = enrich.role.as_ref().map_or("", |r| r.name.as_str()),
                max_lookups = enrich.max_lookups,
                "user lookups on"
            );
            let directory = Arc::new(aws::CognitoDirectory::new(shared, enrich, roles.clone()));
            app.with_users(users::Users::new(directory, enrich.policy()))
        }
    };
    let app = match &config.snapshot {
        None => app,
        Some(access) => {
            tracing::info!(
                role = access.role.as_ref().map_or("", |r| r.name.as_str()),
                "snapshots on first sight on"
            );
            let reader = Arc::new(aws::CognitoConfigReader::new(shared, roles));
            app.with_snapshots(snapshots::Snapshots::new(reader, access.clone()))
        }
    };
    let app = match accounts::build(config, shared).await {
        None => app,
        Some(names) => app.with_account_names(names),
    };
    let app = match &config.security_hub {
        None => app,
        Some(hub) => {
            // The endpoint of the region the product ARN names.
            let region = aws_sdk_securityhub::config::Region::new(hub.region.clone());
            let client = aws_sdk_securityhub::Client::from_conf(
                aws_sdk_securityhub::config::Builder::from(shared)
                    .region(region)
                    .build(),
            );
            let sink = Arc::new(aws::SecurityHubSink::new(client));
            let hub =
                security_hub::SecurityHub::new(sink, hub.account_id.clone(), hub.region.clone());
            tracing::info!(product = hub.product_arn(), "Security Hub findings on");
            app.with_security_hub(hub)
        }
    };
    Ok(match &config.state_table {
        None => app,
        Some(table) => {
            let client = aws_sdk_dynamodb::Client::from_conf(
                aws_sdk_dynamodb::config::Builder::from(shared)
                    .timeout_config(aws::state_timeouts())
                    .build(),
            );
            tracing::info!(table, "state store: exactly-once alerts");
            app.with_state(DynamoStore::new(client, table.clone()))
        }
    })
}

/// The bundled pack, a file in the package, or an S3 object.
async fn load_rules(
    source: &RulesSource,
    s3: &aws_sdk_s3::Client,
) -> Result<RuleSet, lambda_runtime::Error> {
    Ok(match source {
        RulesSource::Bundled => RuleSet::bundled()?,
        RulesSource::Path(path) => RuleSet::load(path.as_ref())?,
        RulesSource::S3 { bucket, key } => {
            let text = aws::read_small_object(s3, bucket, key).await?;
            RuleSet::from_yaml(&text, &format!("s3://{bucket}/{key}"))?
        }
    })
}
