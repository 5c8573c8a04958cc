//! The Lambda function around the cognito-trail-alerts engine: trigger parsing is
//! in the engine crate; here are the configuration, the ports with their AWS
//! adapters, the failure policy, publishing, metrics and the handler.

#![forbid(unsafe_code)]

pub mod aws;
pub mod config;
pub mod failure;
pub mod handler;
pub mod metrics;
pub mod ports;
pub mod publish;

use std::sync::Arc;

use aws_config::BehaviorVersion;
use cognito_trail_alerts::RuleSet;

use crate::aws::{CloudWatchSink, EmfSink, Metrics, S3Source, SnsSink};
use crate::config::{Config, MetricsMode, RulesSource};
use crate::handler::{App, Settings};

/// The function as deployed: real AWS adapters.
pub type LambdaApp = App<S3Source, SnsSink, Metrics>;

/// Builds the function from its configuration: SDK clients (honouring
/// `AWS_ENDPOINT_URL`), rules, sinks. Called once per cold start.
pub async fn build(config: &Config) -> Result<LambdaApp, lambda_runtime::Error> {
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
    Ok(App::new(
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
    ))
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
