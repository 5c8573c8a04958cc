use super::*;
use std::collections::HashMap;

fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let env: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_env(|k| env.get(k).cloned())
}

const TOPIC: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-alerts";

#[test]
fn defaults() {
    let c = config(&[("ALERT_TOPIC_ARN", TOPIC)]).unwrap();
    assert_eq!(c.metrics_namespace, "CognitoTrailAlerts");
    assert_eq!(
        (c.min_severity, c.metrics_mode, c.rules.clone()),
        (Severity::Low, MetricsMode::Api, RulesSource::Bundled)
    );
    assert_eq!((c.s3_force_path_style, c.max_alerts_per_file), (false, 50));
    assert_eq!(c.state_table, None);
    assert!(c.overlays.is_empty());
}

#[test]
fn overlays_are_package_paths_or_s3_objects_in_order() {
    let c = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        (
            "RULES_OVERLAYS",
            "overlays/base.yaml, s3://tuning-bucket/cognito/sandbox.yaml",
        ),
    ])
    .unwrap();
    assert_eq!(
        c.overlays,
        [
            RulesSource::Path("overlays/base.yaml".into()),
            RulesSource::S3 {
                bucket: "tuning-bucket".into(),
                key: "cognito/sandbox.yaml".into()
            }
        ]
    );
    let err = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("RULES_OVERLAYS", "a.yaml,,s3://bucket-only"),
    ])
    .unwrap_err()
    .to_string();
    assert!(err.contains("has an empty entry"), "{err}");
    assert!(
        err.contains("entry \"s3://bucket-only\" is not s3://bucket/key"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = config(&[
        ("MIN_SEVERITY", "urgent"),
        ("METRICS_MODE", "statsd"),
        ("OUTPUT_FORMAT", "xml"),
        ("RULES_FILE", "s3://bucket-only"),
        ("MAX_ALERTS_PER_FILE", "0"),
        ("STATE_TABLE", "no spaces allowed"),
    ])
    .unwrap_err();
    assert_eq!(err.0.len(), 7, "{err}");
    let text = err.to_string();
    for want in [
        "ALERT_TOPIC_ARN is required",
        "MIN_SEVERITY",
        "METRICS_MODE",
        "OUTPUT_FORMAT \"xml\" must be `json` or `ocsf`",
        "RULES_FILE",
        "MAX_ALERTS_PER_FILE",
        "STATE_TABLE",
    ] {
        assert!(text.contains(want), "{text}");
    }
}

#[test]
fn parses_every_setting() {
    let c = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("METRICS_NAMESPACE", "Sec/Cognito"),
        ("RULES_FILE", "s3://rules-bucket/packs/cognito.yaml"),
        ("MIN_SEVERITY", "HIGH"),
        ("METRICS_MODE", "emf"),
        ("OUTPUT_FORMAT", "OCSF"),
        ("S3_FORCE_PATH_STYLE", "true"),
        ("MAX_ALERTS_PER_FILE", "5"),
        ("STATE_TABLE", "cta-state"),
    ])
    .unwrap();
    assert_eq!(c.state_table.as_deref(), Some("cta-state"));
    assert_eq!(c.output_format, crate::publish::OutputFormat::Ocsf);
    assert_eq!(
        c.rules,
        RulesSource::S3 {
            bucket: "rules-bucket".into(),
            key: "packs/cognito.yaml".into()
        }
    );
    assert_eq!(
        (
            c.min_severity,
            c.metrics_mode,
            c.s3_force_path_style,
            c.max_alerts_per_file
        ),
        (Severity::High, MetricsMode::Emf, true, 5)
    );
    assert!(config(&[("ALERT_TOPIC_ARN", "arn:aws:sqs:eu-west-1:1:q")]).is_err());
}

#[test]
fn snapshots_are_off_by_default_and_need_the_state_table() {
    let c = config(&[("ALERT_TOPIC_ARN", TOPIC), ("STATE_TABLE", "state")]).unwrap();
    assert_eq!(c.snapshot, None);
    let e = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("SNAPSHOT_ON_FIRST_SIGHT", "true"),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("SNAPSHOT_ON_FIRST_SIGHT needs STATE_TABLE"),
        "{e}"
    );
    let e = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("STATE_TABLE", "state"),
        ("SNAPSHOT_ON_FIRST_SIGHT", "sometimes"),
    ])
    .unwrap_err()
    .to_string();
    assert!(e.contains("must be true or false"), "{e}");
}

#[test]
fn snapshots_use_the_member_role_without_user_lookups() {
    let c = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("STATE_TABLE", "state"),
        ("SNAPSHOT_ON_FIRST_SIGHT", "true"),
        ("ENRICH_ROLE_NAME", "cognito-trail-alerts-user-lookup"),
        ("ENRICH_EXTERNAL_ID", "ext-123"),
    ])
    .unwrap();
    assert!(c.enrich.is_none());
    let access = c.snapshot.unwrap();
    assert_eq!(access.own_account.as_deref(), Some("111122223333"));
    assert_eq!(
        access.role.map(|r| r.name),
        Some("cognito-trail-alerts-user-lookup".to_string())
    );
    // Without snapshots the role still needs ENRICH_USERS.
    let e = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("ENRICH_ROLE_NAME", "r"),
        ("ENRICH_EXTERNAL_ID", "ext-123"),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("ENRICH_ROLE_NAME is set but ENRICH_USERS is not true"),
        "{e}"
    );
}

#[test]
fn delivery_settings_default_to_two_minute_change_sets_and_no_route_topics() {
    let c = config(&[("ALERT_TOPIC_ARN", TOPIC)]).unwrap();
    assert_eq!(c.delivery.window.secs(), 120);
    assert_eq!(c.delivery.critical_topic, None);
    assert!(c.delivery.route_topics.is_empty());
    let c = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("CHANGE_SET_WINDOW", "off"),
        (
            "CRITICAL_TOPIC_ARN",
            "arn:aws:sns:eu-west-1:111122223333:paging",
        ),
        (
            "ROUTE_TOPIC_ARNS",
            "arn:aws:sns:eu-west-1:111122223333:a, arn:aws:sns:eu-west-1:111122223333:b",
        ),
    ])
    .unwrap();
    assert!(c.delivery.window.is_off());
    assert_eq!(c.delivery.critical_topic.unwrap().name(), "paging");
    let names: Vec<&str> = c.delivery.route_topics.iter().map(|t| t.name()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(
        config(&[("ALERT_TOPIC_ARN", TOPIC), ("CHANGE_SET_WINDOW", "90s")])
            .unwrap()
            .delivery
            .window
            .secs(),
        90
    );
}

#[test]
fn bad_delivery_settings_are_named() {
    let err = config(&[
        ("ALERT_TOPIC_ARN", TOPIC),
        ("CHANGE_SET_WINDOW", "2h"),
        ("CRITICAL_TOPIC_ARN", "arn:aws:sqs:eu-west-1:111122223333:q"),
        ("ROUTE_TOPIC_ARNS", "paging"),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("CHANGE_SET_WINDOW: a change-set window of 7200 s"),
        "{err}"
    );
    assert!(err.contains("CRITICAL_TOPIC_ARN: \"arn:aws:sqs"), "{err}");
    assert!(err.contains("ROUTE_TOPIC_ARNS: \"paging\""), "{err}");
}

#[test]
fn security_hub_is_off_unless_set_and_imports_where_the_alert_topic_is() {
    let off = config(&[("ALERT_TOPIC_ARN", TOPIC)]).unwrap();
    assert_eq!(off.security_hub, None);
    let on = config(&[("ALERT_TOPIC_ARN", TOPIC), ("SECURITY_HUB", "true")]).unwrap();
    let hub = on.security_hub.unwrap();
    assert_eq!(
        (hub.account_id.as_str(), hub.region.as_str()),
        ("111122223333", "eu-west-1")
    );
    let e = config(&[("ALERT_TOPIC_ARN", TOPIC), ("SECURITY_HUB", "on")]).unwrap_err();
    assert!(
        e.to_string()
            .contains("SECURITY_HUB \"on\" must be true or false"),
        "{e}"
    );
}
