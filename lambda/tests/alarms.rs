//! The template watches what the function emits: each alarm's and each dashboard
//! widget's metric — namespace, name and dimensions — is one the function sends
//! (its own namespace: a datum of `Tally::datums`, exactly) or one AWS sends for a
//! resource of the template (AWS/Lambda, AWS/SQS, AWS/SNS, AWS/Events, with the
//! dimension naming that resource). Also: which topic each alarm notifies, the
//! failure signals the issue asked for, and the timeouts the deadline relies on.
//! Reads template.yaml; needs no service.

use std::collections::{BTreeMap, BTreeSet};

use cognito_trail_alerts::{Origin, Severity};
use cognito_trail_alerts_lambda::deadline;
use cognito_trail_alerts_lambda::metrics::{
    name, AccountNameTally, ChainTally, FindingTally, Tally,
};
use serde_json::Value as Json;
use serde_yaml_ng::Value;

/// A metric as the template names it: namespace, name, dimensions (name → value,
/// values written `!Ref X`, `!GetAtt X.Attr` or literally).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Metric {
    namespace: String,
    name: String,
    dimensions: BTreeMap<String, String>,
}

fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A scalar, `!Ref X` as "!Ref X", `!GetAtt X.Y` as "!GetAtt X.Y".
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Tagged(t) => format!("{} {}", t.tag, text(&t.value)),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn resources<'a>(t: &'a Value, kind: &str) -> Vec<(String, &'a Value)> {
    let Value::Mapping(all) = &t["Resources"] else {
        panic!("no Resources")
    };
    all.iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(k, r)| (k.as_str().unwrap().to_string(), r))
        .collect()
}

fn metric_of(m: &Value) -> Metric {
    let dims = m["Dimensions"].as_sequence().cloned().unwrap_or_default();
    Metric {
        namespace: text(&m["Namespace"]),
        name: text(&m["MetricName"]),
        dimensions: dims
            .iter()
            .map(|d| (text(&d["Name"]), text(&d["Value"])))
            .collect(),
    }
}

/// Every metric an alarm reads (one, or each MetricStat of its math).
fn alarm_metrics(alarm: &Value) -> Vec<Metric> {
    let p = &alarm["Properties"];
    match p["Metrics"].as_sequence() {
        None => vec![metric_of(p)],
        Some(list) => list
            .iter()
            .filter_map(|q| q.get("MetricStat"))
            .map(|s| metric_of(&s["Metric"]))
            .collect(),
    }
}

const OURS: &str = "!Ref MetricsNamespace";

/// What one invocation that did everything emits, as template metrics.
fn emitted() -> BTreeSet<Metric> {
    let mut t = Tally {
        state_enabled: true,
        suppressions_enabled: true,
        chains: ChainTally {
            enabled: true,
            ..ChainTally::default()
        },
        account_names: AccountNameTally {
            enabled: true,
            ..AccountNameTally::default()
        },
        findings: FindingTally {
            enabled: true,
            ..FindingTally::default()
        },
        ..Tally::default()
    };
    let s3 = Origin::S3 {
        bucket: "b".into(),
        key: "k".into(),
    }
    .path();
    let eventbridge = Origin::EventBridge {
        event_id: "e".into(),
    }
    .path();
    for s in Severity::ALL {
        t.alert(s, "a-rule");
    }
    for path in [s3, eventbridge] {
        t.duplicate(path);
        t.delivered(path, Some("2026-11-20T09:02:41Z"), 1_795_165_400.0);
    }
    t.skip("digest");
    t.topic_messages("cognito-alerts", 1, 1);
    t.suppressed("an-id");
    t.user_lookup("found");
    t.latency(Some("2026-11-20T09:02:41Z"), 1_795_165_400.0);
    // Every posture check of the bundled pack can be counted as failing.
    let checks = cognito_trail_alerts::RuleSet::bundled().unwrap();
    t.failing_checks(checks.checks().iter().map(|c| (c.id.clone(), 1)).collect());
    t.datums()
        .into_iter()
        .map(|d| Metric {
            namespace: OURS.into(),
            name: d.name.into(),
            dimensions: d
                .dimensions
                .into_iter()
                .map(|(k, v)| (k.into(), v))
                .collect(),
        })
        .collect()
}

/// Checks one metric; `aliases` maps the dashboard's `${Var}`s to `!GetAtt`s.
fn check(m: &Metric, t: &Value, ours: &BTreeSet<Metric>, aliases: &BTreeMap<&str, &str>, at: &str) {
    let dims: Vec<(&str, String)> = m
        .dimensions
        .iter()
        .map(|(k, v)| {
            (
                k.as_str(),
                aliases.get(v.as_str()).map_or(v.clone(), |a| a.to_string()),
            )
        })
        .collect();
    let exists = |kind: &str, logical: &str| resources(t, kind).iter().any(|(n, _)| n == logical);
    let resource = |v: &str, tag: &str, attr: &str| -> String {
        let id = v
            .strip_prefix(tag)
            .unwrap_or_else(|| panic!("{at}: {v} is not {tag}..."));
        id.strip_suffix(attr)
            .unwrap_or_else(|| panic!("{at}: {v} lacks {attr}"))
            .to_string()
    };
    match m.namespace.as_str() {
        OURS => {
            assert!(
                ours.contains(m),
                "{at}: {m:?} is not emitted; the function emits {ours:#?}"
            );
        }
        "AWS/Lambda" => {
            let names = [
                "Errors",
                "Throttles",
                "DestinationDeliveryFailures",
                "Duration",
                "Invocations",
            ];
            assert!(names.contains(&m.name.as_str()), "{at}: {}", m.name);
            assert_eq!(
                dims,
                [("FunctionName", "!Ref Function".to_string())],
                "{at}"
            );
        }
        "AWS/SQS" => {
            assert_eq!(m.name, "ApproximateNumberOfMessagesVisible", "{at}");
            let [("QueueName", q)] = dims.as_slice() else {
                panic!("{at}: {dims:?}")
            };
            let queue = resource(q, "!GetAtt ", ".QueueName");
            assert!(exists("AWS::SQS::Queue", &queue), "{at}: {queue}");
        }
        "AWS/SNS" => {
            assert_eq!(m.name, "NumberOfNotificationsFailed", "{at}");
            assert_eq!(
                dims,
                [("TopicName", "!GetAtt AlertTopic.TopicName".to_string())],
                "{at}"
            );
        }
        "AWS/Events" => {
            // CloudWatch's spelling (metric names are case-sensitive).
            assert_eq!(m.name, "InvocationsFailedToBeSentToDlq", "{at}");
            let [("RuleName", r)] = dims.as_slice() else {
                panic!("{at}: {dims:?}")
            };
            let rule = resource(r, "!Ref ", "");
            assert!(exists("AWS::Events::Rule", &rule), "{at}: {rule}");
        }
        other => panic!("{at}: namespace {other}"),
    }
}

#[test]
fn every_alarm_watches_a_metric_that_is_emitted() {
    let t = template();
    let ours = emitted();
    let alarms = resources(&t, "AWS::CloudWatch::Alarm");
    assert!(alarms.len() >= 14, "{}", alarms.len());
    let mut watched = BTreeSet::new();
    for (id, alarm) in &alarms {
        for m in alarm_metrics(alarm) {
            check(&m, &t, &ours, &BTreeMap::new(), id);
            watched.insert(m);
        }
    }
    let has = |ns: &str, n: &str, dim: Option<(&str, &str)>| {
        watched.iter().any(|m| {
            m.namespace == ns
                && m.name == n
                && dim.is_none_or(|(k, v)| m.dimensions.get(k).map(String::as_str) == Some(v))
        })
    };
    // The function's own signals.
    for n in [
        name::FILE_ERRORS,
        name::PUBLISH_FAILURES,
        name::STATE_UNAVAILABLE,
        name::FILES_PROCESSED,
    ] {
        assert!(has(OURS, n, None), "{n}");
    }
    assert!(has(OURS, name::ALERTS, Some(("Severity", "critical"))));
    assert!(has(OURS, name::ALERTS, Some(("Path", "s3"))));
    // Failures after the function (issue 13): delivery, destination, EventBridge's
    // dead letters for both rules, and the depth of every dead-letter queue.
    assert!(has("AWS/SNS", "NumberOfNotificationsFailed", None));
    assert!(has("AWS/Lambda", "DestinationDeliveryFailures", None));
    for (rule, r) in resources(&t, "AWS::Events::Rule") {
        assert!(r["Properties"]["Targets"][0]["DeadLetterConfig"].is_mapping());
        let dim = format!("!Ref {rule}");
        assert!(
            has(
                "AWS/Events",
                "InvocationsFailedToBeSentToDlq",
                Some(("RuleName", &dim))
            ),
            "{rule}"
        );
    }
    for queue in [
        "FailureQueue",
        "FastPathDeadLetterQueue",
        "SubscriptionDeadLetterQueue",
    ] {
        let dim = format!("!GetAtt {queue}.QueueName");
        assert!(
            has(
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                Some(("QueueName", &dim))
            ),
            "{queue}"
        );
    }
}

#[test]
fn findings_go_to_the_alert_topic_and_health_to_the_operations_topic() {
    let t = template();
    for (id, alarm) in resources(&t, "AWS::CloudWatch::Alarm") {
        let actions: BTreeSet<String> = alarm["Properties"]["AlarmActions"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{id} notifies nobody"))
            .iter()
            .map(text)
            .collect();
        let want: &[&str] = match id.as_str() {
            "HighSeverityAlertsAlarm" => &["!Ref AlertTopic"],
            "HeartbeatAlarm" => &["!Ref AlertTopic", "!Ref OperationsTopic"],
            _ => &["!Ref OperationsTopic"],
        };
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(actions, want, "{id}");
    }
    // The operations topic does not depend on the alert key.
    let (_, ops) = &resources(&t, "AWS::SNS::Topic")
        .into_iter()
        .find(|(n, _)| n == "OperationsTopic")
        .unwrap();
    assert!(ops["Properties"].get("KmsMasterKeyId").is_none());
    // The email and Chatbot subscriptions keep what they cannot deliver.
    for (id, sub) in resources(&t, "AWS::SNS::Subscription") {
        if text(&sub["Properties"]["TopicArn"]) == "!Ref AlertTopic" {
            let dlq = text(&sub["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]);
            assert_eq!(dlq, "!GetAtt SubscriptionDeadLetterQueue.Arn", "{id}");
        }
    }
}

/// The `!Sub` body with `${MetricsNamespace}` and `${Function}` written as the
/// alarms write them (`!Ref ...`), other `${Var}`s as `Var`.
fn substitute(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').expect("closing brace") + i;
        let var = &rest[i + 2..end];
        match var {
            "MetricsNamespace" | "Function" => out.push_str(&format!("!Ref {var}")),
            _ => out.push_str(var),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A dashboard row's `SEARCH('{NAMESPACE,DIMENSION} MetricName="NAME"', ...)`:
/// the namespace is ours and the function emits NAME with that one dimension.
/// Returns NAME and DIMENSION.
fn searched(expression: &str, ours: &BTreeSet<Metric>, at: &str) -> (String, String) {
    let inner = expression
        .strip_prefix("SEARCH('{")
        .unwrap_or_else(|| panic!("{at}: {expression} is not a SEARCH"));
    let (schema, rest) = inner.split_once('}').unwrap();
    let (namespace, dimension) = schema.split_once(',').unwrap();
    assert_eq!(namespace, "!Ref MetricsNamespace", "{at}: {expression}");
    let name = rest
        .split_once("MetricName=\"")
        .and_then(|(_, n)| n.split_once('"'))
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| panic!("{at}: {expression} names no metric"));
    let emitted = ours
        .iter()
        .any(|m| m.name == name && m.dimensions.keys().map(String::as_str).eq([dimension]));
    assert!(emitted, "{at}: {name} by {dimension} is not emitted");
    (name, dimension.to_string())
}

#[test]
fn the_dashboard_shows_emitted_metrics() {
    let t = template();
    let (_, dash) = &resources(&t, "AWS::CloudWatch::Dashboard")[0];
    let Value::Tagged(sub) = &dash["Properties"]["DashboardBody"] else {
        panic!("DashboardBody is a !Sub")
    };
    let body = sub.value[0].as_str().unwrap();
    let json = substitute(body);
    let body: Json = serde_json::from_str(&json).expect("dashboard JSON");
    let aliases: BTreeMap<&str, &str> = [
        ("AlertTopicName", "!GetAtt AlertTopic.TopicName"),
        ("FailureQueueName", "!GetAtt FailureQueue.QueueName"),
        (
            "SubscriptionDlqName",
            "!GetAtt SubscriptionDeadLetterQueue.QueueName",
        ),
        (
            "FastPathDlqName",
            "!GetAtt FastPathDeadLetterQueue.QueueName",
        ),
    ]
    .into();
    let ours = emitted();
    let mut shown = BTreeSet::new();
    for w in body["widgets"].as_array().unwrap() {
        let title = w["properties"]["title"].as_str().unwrap();
        for row in w["properties"]["metrics"].as_array().into_iter().flatten() {
            let row = row.as_array().unwrap();
            if let Some(search) = row[0]["expression"].as_str() {
                let (name, dimension) = searched(search, &ours, title);
                shown.insert((name, Some(format!("SEARCH {dimension}"))));
                continue;
            }
            let parts: Vec<&str> = row.iter().filter_map(Json::as_str).collect();
            let m = Metric {
                namespace: parts[0].into(),
                name: parts[1].into(),
                dimensions: parts[2..]
                    .chunks(2)
                    .map(|p| (p[0].into(), p[1].into()))
                    .collect(),
            };
            check(&m, &t, &ours, &aliases, title);
            shown.insert((m.name.clone(), m.dimensions.values().next().cloned()));
        }
    }
    let s = |n: &str, d: Option<&str>| (n.to_string(), d.map(str::to_string));
    for want in [
        s(name::ALERTS, Some("critical")),
        s(name::ALERTS, Some("info")),
        s(name::FILES_PROCESSED, None),
        s(name::RECORDS_PROCESSED, None),
        s(name::FILE_ERRORS, None),
        s(name::PUBLISH_FAILURES, None),
        s(name::MESSAGES_PUBLISHED, Some("SEARCH Topic")),
        s(name::PUBLISH_FAILURES, Some("SEARCH Topic")),
        s(name::SUPPRESSED, None),
        s(name::PROCESSING_LATENCY, None),
        s(name::END_TO_END_LATENCY, Some("s3")),
        s(name::END_TO_END_LATENCY, Some("eventbridge")),
        s("Duration", Some("!Ref Function")),
        s(
            "ApproximateNumberOfMessagesVisible",
            Some("FailureQueueName"),
        ),
    ] {
        assert!(shown.contains(&want), "{want:?} not on the dashboard");
    }
}

#[test]
fn the_timeouts_the_deadline_relies_on() {
    let t = template();
    let (_, f) = &resources(&t, "AWS::Serverless::Function")[0];
    let timeout = f["Properties"]["Timeout"].as_u64().unwrap();
    for step in [deadline::FILE, deadline::BATCH, deadline::ROUND] {
        assert!((step + deadline::RESERVE).as_secs() <= timeout);
    }
    let (_, q) = &resources(&t, "AWS::SQS::Queue")
        .into_iter()
        .find(|(n, _)| n == "FailureQueue")
        .unwrap();
    let visibility = q["Properties"]["VisibilityTimeout"].as_u64().unwrap();
    assert!(visibility >= 6 * timeout, "{visibility} < 6 x {timeout}");
    let heartbeat = &t["Parameters"]["HeartbeatPeriodSeconds"];
    assert_eq!(heartbeat["MinValue"].as_u64(), Some(1200));
    let allowed = heartbeat["AllowedValues"].as_sequence().unwrap();
    assert!(allowed.iter().all(|v| v.as_u64().unwrap() >= 1200));
}
