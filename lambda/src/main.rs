//! The Lambda bootstrap: configuration, SDK clients and rules are built once at
//! cold start and shared by every invocation.

mod aws;
mod config;
mod failure;
mod handler;
mod metrics;
mod ports;
mod publish;

use std::sync::Arc;

use aws_config::BehaviorVersion;
use cognito_trail_alerts::RuleSet;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

use crate::aws::{CloudWatchSink, EmfSink, Metrics, S3Source, SnsSink};
use crate::config::{Config, MetricsMode, RulesSource};
use crate::handler::{App, Settings};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_LEVEL and AWS_LAMBDA_LOG_FORMAT (JSON).
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env(|k| std::env::var(k).ok())?;
    // AWS_ENDPOINT_URL (e.g. LocalStack) is read by the shared config loader.
    let shared = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(config.s3_force_path_style)
            .build(),
    );
    let rules = Arc::new(load_rules(&config.rules, &s3).await?);
    tracing::info!(
        rules = rules.rules().len(),
        source = rules.name(),
        "rules loaded"
    );
    let metrics = match config.metrics_mode {
        MetricsMode::Api => Metrics::Api(CloudWatchSink::new(
            aws_sdk_cloudwatch::Client::new(&shared),
            config.metrics_namespace.clone(),
        )),
        MetricsMode::Emf => Metrics::Emf(EmfSink {
            namespace: config.metrics_namespace.clone(),
        }),
    };
    let app = App::new(
        Settings {
            min_severity: config.min_severity,
            max_alerts_per_file: config.max_alerts_per_file,
        },
        rules,
        S3Source::new(s3),
        SnsSink::new(
            aws_sdk_sns::Client::new(&shared),
            config.alert_topic_arn.clone(),
        ),
        metrics,
    );
    let app = &app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        app.handle(event.payload).await
    }))
    .await
}

/// The bundled pack, a file in the package, or an S3 object.
async fn load_rules(source: &RulesSource, s3: &aws_sdk_s3::Client) -> Result<RuleSet, Error> {
    Ok(match source {
        RulesSource::Bundled => RuleSet::bundled()?,
        RulesSource::Path(path) => RuleSet::load(path.as_ref())?,
        RulesSource::S3 { bucket, key } => {
            let text = aws::read_small_object(s3, bucket, key).await?;
            RuleSet::from_yaml(&text, &format!("s3://{bucket}/{key}"))?
        }
    })
}
