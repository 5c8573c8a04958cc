use serde_json::{json, Value};

use super::*;
use crate::alert::Source;
use crate::rules::RuleSet;
use crate::trail::Record;
use cognito_trail_alerts_testkit::records::{self, iam_user, RecordExt};

const IDENTITY: &str = "cognito-identity.amazonaws.com";

const RULES: &str = "rules:
  - id: cognito-identity.identity-pool.update
    title: Identity pool configuration replaced
    severity: medium
    description: UpdateIdentityPool replaces the whole configuration.
    runbook: https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_UpdateIdentityPool.html
    match: { eventSource: cognito-identity.amazonaws.com }
    escalate:
      - severity: high
        when: { requestParameters: { allowUnauthenticatedIdentities: { equals: true } } }
        say: Unauthenticated identities allowed.
";

fn origin() -> Origin {
    Origin::S3 {
        bucket: "trail-bucket".into(),
        key: "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/f.json.gz".into(),
    }
}

fn alert(name: &str, params: Value) -> Alert {
    let id = format!("id-{name}");
    let record = records::record(IDENTITY, "UpdateIdentityPool", params, &id).by(iam_user("Alice"));
    let bytes = serde_json::to_vec(&record).unwrap();
    let record = Record::parse(&bytes).unwrap();
    let rules = RuleSet::from_yaml(RULES, "t.yaml").unwrap();
    let verdict = rules.evaluate(&record).unwrap();
    Alert::new(
        &verdict,
        &record,
        Source {
            origin: origin(),
            record_index: 0,
        },
    )
}

fn shop(unauth: bool) -> Value {
    json!({"identityPoolId": "eu-west-1:7c1e", "identityPoolName": "shop", "allowUnauthenticatedIdentities": unauth})
}

#[test]
fn subjects_name_severity_event_resource_and_place() {
    let n = Notice::Alert(Box::new(alert("a", shop(true))));
    assert_eq!(
        subject(&n),
        "[HIGH] UpdateIdentityPool on shop in 111122223333/eu-west-1"
    );
    let hostile = json!({"identityPoolName": format!("ev\u{1b}il\npool{}", "x".repeat(200))});
    let s = subject(&Notice::Alert(Box::new(alert("b", hostile))));
    assert!(
        s.len() < 100 && s.ends_with("...") && s.chars().all(|c| c.is_ascii_graphic() || c == ' '),
        "{s}"
    );
    assert!(
        s.starts_with("[MEDIUM] UpdateIdentityPool on ev?il pool"),
        "{s}"
    );
}

#[test]
fn slack_cannot_be_pinged_or_reformatted_by_event_text() {
    let name = "<!channel> @here *bold* `code` <https://evil|click>";
    let n = Notice::Alert(Box::new(alert(
        "s",
        json!({"identityPoolName": name, "allowUnauthenticatedIdentities": true}),
    )));
    let slack = chatbot(&n);
    assert_eq!(slack["version"], "1.0");
    assert_eq!(slack["source"], "custom");
    assert_eq!(slack["content"]["textType"], "client-markdown");
    for field in ["title", "description"] {
        let text = slack["content"][field].as_str().unwrap();
        assert!(
            !text.contains("<!channel>") && !text.contains("<https://evil"),
            "{field}: {text}"
        );
        assert!(!text.contains("@here"), "{field}: {text}");
        assert_eq!(
            text.matches('`').count() % 2,
            0,
            "balanced code spans in {field}: {text}"
        );
    }
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(description.contains("&lt;!channel&gt;"), "{description}");
    assert!(
        description.contains("*Who*: `IAMUser` `arn:aws:iam::111122223333:user/Alice`"),
        "{description}"
    );
    assert!(
        description.contains("• `Unauthenticated identities allowed.`"),
        "{description}"
    );
    let steps = slack["content"]["nextSteps"].as_array().unwrap();
    assert!(steps
        .iter()
        .any(|s| s.as_str().unwrap().contains("API_UpdateIdentityPool.html")));
    assert_eq!(inline(""), "` `");
}

#[test]
fn sns_message_has_every_protocol_and_fits() {
    let msg = sns_message(&Notice::Alert(Box::new(alert("m", shop(false)))));
    let body: Value = serde_json::from_str(&msg.body).unwrap();
    for key in ["default", "email", "https", "sqs", "lambda"] {
        assert!(body[key].is_string(), "missing {key}");
    }
    let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    assert_eq!(
        (machine["kind"].as_str(), machine["rule_id"].as_str()),
        (Some("alert"), Some("cognito-identity.identity-pool.update"))
    );
    let chat: Value = serde_json::from_str(body["https"].as_str().unwrap()).unwrap();
    assert_eq!(chat["source"], "custom");
    assert!(body["email"]
        .as_str()
        .unwrap()
        .contains("UpdateIdentityPool (cognito-identity.amazonaws.com)"));
    assert!(!msg.truncated);
}

#[test]
fn huge_requests_are_truncated_with_a_note() {
    let big = json!({"identityPoolName": "shop", "supportedLoginProviders": {"x": "y".repeat(100_000)}, "z": "q\"".repeat(20_000)});
    let msg = sns_message(&Notice::Alert(Box::new(alert("big", big))));
    assert!(
        msg.body.len() + msg.subject.len() < MAX_MESSAGE_BYTES,
        "{}",
        msg.body.len()
    );
    assert!(msg.truncated);
    let body: Value = serde_json::from_str(&msg.body).unwrap();
    assert!(body["email"]
        .as_str()
        .unwrap()
        .contains("truncated to fit SNS's 256 KB message limit"));
    let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    assert_eq!(machine["truncated"], true);
    assert!(machine["request_parameters"]
        .as_str()
        .unwrap()
        .contains("[truncated: "));
}

#[test]
fn floods_become_the_most_severe_alerts_plus_a_digest() {
    let mut alerts: Vec<Alert> = (0..60)
        .map(|i| alert(&i.to_string(), shop(false)))
        .collect();
    alerts[42] = alert("severe", shop(true));
    let notices = plan(alerts, 50, &origin());
    assert_eq!(notices.len(), 51);
    let Notice::Alert(first) = &notices[0] else {
        panic!("alerts first")
    };
    assert_eq!(first.event_id.as_deref(), Some("id-0"), "file order kept");
    assert!(notices
        .iter()
        .any(|n| matches!(n, Notice::Alert(a) if a.event_id.as_deref() == Some("id-severe"))));
    let Notice::Digest(d) = &notices[50] else {
        panic!("digest last")
    };
    assert_eq!(
        (d.sent, d.held_back, d.severity),
        (50, 10, Severity::Medium)
    );
    assert_eq!(d.by_rule["cognito-identity.identity-pool.update"], 10);
    let n = Notice::Digest(d.clone());
    assert_eq!(
        subject(&n),
        "[MEDIUM] 10 more Cognito alerts held back in 111122223333/eu-west-1"
    );
    assert_eq!(n.json()["kind"], "digest");
    assert_eq!(plan(vec![alert("x", shop(false))], 50, &origin()).len(), 1);
}

#[test]
fn unreadable_files_have_their_own_notice() {
    let n = Notice::Unreadable(Unreadable {
        source: origin(),
        account_id: Some("111122223333".into()),
        region: Some("eu-west-1".into()),
        reason: "truncated gzip: the compressed data ends early".into(),
        records_before_failure: 12,
    });
    assert_eq!(
        subject(&n),
        "[HIGH] Unreadable CloudTrail file in 111122223333/eu-west-1"
    );
    let t = text(&n);
    assert!(
        t.contains("s3://trail-bucket/AWSLogs/") && t.contains("truncated gzip"),
        "{t}"
    );
    assert_eq!(n.json()["kind"], "unreadable_file");
}

/// The checks a change breaks, fixes or leaves failing reach the email (text) and
/// Slack, each once.
#[test]
fn checks_are_in_the_email_and_in_slack() {
    use crate::alert::PostureChange;
    use crate::rules::posture::{Assessment, State, Transition};
    let mut a = alert("c", shop(true));
    let guest = Assessment {
        check: "identity-pool.guest-access-off".into(),
        title: "Guest (unauthenticated) access is off".into(),
        severity: crate::Severity::Critical,
        fix: "Set allowUnauthenticatedIdentities: false.".into(),
        prowler: Some("cognito_identity_pool_guest_access_disabled".into()),
        transition: Transition::Failed { before_known: true },
        after: State::Fail,
    };
    a.checks = PostureChange::from_assessments(&[guest], false);
    let n = Notice::Alert(Box::new(a));
    let slack = chatbot(&n);
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(description.contains("*Checks*:"), "{description}");
    assert_eq!(
        description
            .matches("FAILS NOW: Guest (unauthenticated) access is off")
            .count(),
        1,
        "{description}"
    );
    let email = text(&n);
    assert!(
        email.contains(
            "checks     - FAILS NOW: Guest (unauthenticated) access is off (was passing)"
        ),
        "{email}"
    );
}
