//! Arbitrary (attacker-controlled) strings in every text field of a record: the
//! subject stays legal, the Slack payload cannot ping or break out of a code span,
//! the SNS message fits and parses, text output carries no raw control characters.
#![no_main]

use std::sync::OnceLock;

use cognito_trail_alerts::alert::{render_text, Source};
use cognito_trail_alerts::notice::{chatbot, sns_message, subject, Notice, MAX_MESSAGE_BYTES};
use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::{Alert, Origin, RuleSet};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        RuleSet::from_yaml(
            "rules:\n  - {id: any, title: T, severity: high, description: D, match: {eventSource: cognito-identity.amazonaws.com}}\n",
            "fuzz.yaml",
        )
        .expect("rules")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();
    let record = json!({
        "eventSource": "cognito-identity.amazonaws.com", "eventName": next(), "eventID": next(),
        "awsRegion": next(), "recipientAccountId": next(), "sourceIPAddress": next(), "userAgent": next(),
        "errorCode": next(), "errorMessage": next(),
        "userIdentity": {"type": next(), "arn": next(), "userName": next()},
        "requestParameters": {"identityPoolName": next(), "userPoolId": next(), "clientName": next()},
        "additionalEventData": {"sub": next()},
    });
    let bytes = serde_json::to_vec(&record).unwrap();
    let record = Record::parse(&bytes).expect("built record parses");
    let verdict = rules().evaluate(&record).expect("rule matches");
    let alert = Alert::new(
        &verdict,
        &record,
        Source {
            origin: Origin::File { file: next() },
            record_index: 0,
        },
    );
    let notice = Notice::Alert(Box::new(alert.clone()));

    let s = subject(&notice);
    assert!(
        s.len() < 100 && s.bytes().all(|b| b.is_ascii_graphic() || b == b' '),
        "{s:?}"
    );
    let slack = chatbot(&notice);
    for field in ["title", "description"] {
        let t = slack["content"][field].as_str().unwrap();
        assert!(
            !t.contains("<!") && !t.contains("<@") && !t.contains("<http"),
            "{field}: {t:?}"
        );
        assert!(
            !t.contains("@here") && !t.contains("@channel"),
            "{field}: {t:?}"
        );
    }
    let msg = sns_message(&notice);
    assert!(msg.body.len() + msg.subject.len() < MAX_MESSAGE_BYTES);
    let body: Value = serde_json::from_str(&msg.body).unwrap();
    assert!(body["default"].is_string());
    assert!(!render_text(&alert)
        .chars()
        .any(|c| c.is_control() && c != '\n'));
});
