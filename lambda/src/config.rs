//! Configuration from the environment, validated at cold start: every problem is
//! reported at once, in one error.

use crate::publish::OutputFormat;
use cognito_trail_alerts::Severity;
use flag::flag;

/// Where the rules come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesSource {
    Bundled,
    Path(String),
    S3 { bucket: String, key: String },
}

/// How metrics leave the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsMode {
    /// PutMetricData through the CloudWatch API.
    Api,
    /// Embedded Metric Format lines on stdout (no API calls).
    Emf,
}

/// The function's settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub alert_topic_arn: String,
    pub metrics_namespace: String,
    pub rules: RulesSource,
    /// Overlays applied on top of the rules, in order (`RULES_OVERLAYS`): package
    /// paths or S3 objects.
    pub overlays: Vec<RulesSource>,
    pub min_severity: Severity,
    pub metrics_mode: MetricsMode,
    /// `OUTPUT_FORMAT`: the form of the `sqs` and `lambda` bodies.
    pub output_format: OutputFormat,
    /// Change sets and route topics.
    pub delivery: Delivery,
    pub s3_force_path_style: bool,
    pub max_alerts_per_file: usize,
    /// DynamoDB table of the state store (`STATE_TABLE`); none = no store.
    pub state_table: Option<String>,
    /// User lookups (`ENRICH_USERS=true`); none = off, the default.
    pub enrich: Option<crate::users::config::Enrich>,
    /// Snapshots on first sight (`SNAPSHOT_ON_FIRST_SIGHT=true`, which needs
    /// `STATE_TABLE`): whose credentials read a resource; none = off, the default.
    pub snapshot: Option<crate::users::config::Access>,
    /// Account names from AWS Organizations (`ACCOUNT_NAMES_ROLE_ARN`); none = off,
    /// the default (overlays' `accounts:` names only).
    pub account_names: Option<crate::accounts::config::AccountNamesConfig>,
    /// Findings in Security Hub (`SECURITY_HUB=true`), imported in the alert
    /// topic's account and region; none = off, the default.
    pub security_hub: Option<crate::security_hub::SecurityHubConfig>,
}

/// Every problem found in the environment.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {}", .0.join("; "))]
pub struct ConfigError(pub Vec<String>);

impl Config {
    /// Reads the configuration through `var` (the process environment in `main`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut problems = Vec::new();
        let get = |name: &str| {
            var(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };

        let alert_topic_arn = match get("ALERT_TOPIC_ARN") {
            Some(arn) if arn.starts_with("arn:") && arn.split(':').nth(2) == Some("sns") => arn,
            Some(arn) => {
                problems.push(format!("ALERT_TOPIC_ARN {arn:?} is not an SNS topic ARN"));
                String::new()
            }
            None => {
                problems.push(
                    "ALERT_TOPIC_ARN is required (the SNS topic alerts are published to)".into(),
                );
                String::new()
            }
        };
        let metrics_namespace =
            get("METRICS_NAMESPACE").unwrap_or_else(|| "CognitoTrailAlerts".into());
        if metrics_namespace.len() > 255
            || metrics_namespace.starts_with("AWS/")
            || metrics_namespace.contains(':')
        {
            problems.push(format!(
                "METRICS_NAMESPACE {metrics_namespace:?} is not a valid custom namespace"
            ));
        }
        let rules = match get("RULES_FILE") {
            None => RulesSource::Bundled,
            Some(uri) if uri.starts_with("s3://") => match uri["s3://".len()..].split_once('/') {
                Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => RulesSource::S3 {
                    bucket: bucket.into(),
                    key: key.into(),
                },
                _ => {
                    problems.push(format!("RULES_FILE {uri:?} is not s3://bucket/key"));
                    RulesSource::Bundled
                }
            },
            Some(path) => RulesSource::Path(path),
        };
        let overlays = get("RULES_OVERLAYS")
            .map_or_else(Vec::new, |list| overlay_sources(&list, &mut problems));
        let min_severity = match get("MIN_SEVERITY").map(|s| s.parse::<Severity>()) {
            None => Severity::Low,
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                problems.push(format!("MIN_SEVERITY: {e}"));
                Severity::Low
            }
        };
        let metrics_mode = match get("METRICS_MODE")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("api") => MetricsMode::Api,
            Some("emf") => MetricsMode::Emf,
            Some(other) => {
                problems.push(format!("METRICS_MODE {other:?} must be `api` or `emf`"));
                MetricsMode::Api
            }
        };
        let output_format =
            OutputFormat::parse(get("OUTPUT_FORMAT").as_deref()).unwrap_or_else(|e| {
                problems.push(e);
                OutputFormat::Json
            });
        let delivery = Delivery::from_env(&get, &mut problems);
        let s3_force_path_style = flag(
            "S3_FORCE_PATH_STYLE",
            get("S3_FORCE_PATH_STYLE"),
            &mut problems,
        );
        let max_alerts_per_file = match get("MAX_ALERTS_PER_FILE").map(|v| v.parse::<usize>()) {
            None => 50,
            Some(Ok(n)) if n >= 1 => n,
            Some(_) => {
                problems.push("MAX_ALERTS_PER_FILE must be a whole number of at least 1".into());
                50
            }
        };
        let state_table = get("STATE_TABLE");
        if let Some(t) = &state_table {
            let valid = (3..=255).contains(&t.len())
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
            if !valid {
                problems.push(format!(
                    "STATE_TABLE {t:?} is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)"
                ));
            }
        }
        let snapshot_on = flag(
            "SNAPSHOT_ON_FIRST_SIGHT",
            get("SNAPSHOT_ON_FIRST_SIGHT"),
            &mut problems,
        );
        if snapshot_on && state_table.is_none() {
            problems.push(
                "SNAPSHOT_ON_FIRST_SIGHT needs STATE_TABLE (snapshots are read when the \
                 table has never seen a resource, and kept there)"
                    .into(),
            );
        }
        let enrich = crate::users::config::Enrich::from_env(
            &get,
            &alert_topic_arn,
            &mut problems,
            snapshot_on,
        );
        let snapshot = snapshot_on.then(|| match &enrich {
            Some(e) => e.access(),
            None => crate::users::config::Access::from_env(&get, &alert_topic_arn, &mut problems),
        });
        let account_names =
            crate::accounts::config::AccountNamesConfig::from_env(&get, &mut problems);
        let security_hub = flag("SECURITY_HUB", get("SECURITY_HUB"), &mut problems)
            .then(|| crate::security_hub::SecurityHubConfig::of_topic(&alert_topic_arn))
            .flatten();
        if !problems.is_empty() {
            return Err(ConfigError(problems));
        }
        Ok(Config {
            alert_topic_arn,
            metrics_namespace,
            rules,
            overlays,
            min_severity,
            metrics_mode,
            output_format,
            delivery,
            s3_force_path_style,
            max_alerts_per_file,
            state_table,
            enrich,
            snapshot,
            account_names,
            security_hub,
        })
    }
}

/// `RULES_OVERLAYS`: comma-separated package paths and `s3://bucket/key` URIs.
fn overlay_sources(list: &str, problems: &mut Vec<String>) -> Vec<RulesSource> {
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim) {
        match item.strip_prefix("s3://").map(|rest| rest.split_once('/')) {
            None if item.is_empty() => {
                problems.push(format!("RULES_OVERLAYS {list:?} has an empty entry"))
            }
            None => out.push(RulesSource::Path(item.to_string())),
            Some(Some((bucket, key))) if !bucket.is_empty() && !key.is_empty() => {
                out.push(RulesSource::S3 {
                    bucket: bucket.into(),
                    key: key.into(),
                })
            }
            Some(_) => problems.push(format!(
                "RULES_OVERLAYS entry {item:?} is not s3://bucket/key"
            )),
        }
    }
    out
}

mod delivery;
pub(crate) mod flag;

pub use delivery::Delivery;

#[cfg(test)]
mod tests;
