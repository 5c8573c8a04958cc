//! Chain rules as the loader reads them: errors with file:line, the fields, the
//! `repeat` entries of inline cases, and hits on records.

use serde_json::json;

use super::cases::expand;
use super::Field;
use crate::rules::RuleSet;
use crate::trail::Record;

const RULES: &str = "rules:
  - id: pw
    title: Password set
    severity: medium
    description: D
    match: { eventSource: cognito-idp.amazonaws.com, eventName: AdminSetUserPassword }
";

fn load(chains: &str) -> Result<RuleSet, String> {
    RuleSet::from_yaml(&format!("{RULES}chains:\n{chains}"), "c.yaml").map_err(|e| e.to_string())
}

const GOOD: &str = "  - id: twice
    title: Two passwords
    severity: high
    description: D
    threshold: { by: [actor], window: 10m, gte: 2, rule: pw }
";

#[test]
fn a_chain_loads_beside_the_rules() {
    let set = load(GOOD).unwrap();
    assert_eq!(set.chains().len(), 1);
    assert_eq!(set.chains()[0].kind, "threshold");
    assert_eq!(set.chains()[0].chain.window(), 600);
}

#[test]
fn mistakes_are_errors_with_file_and_line() {
    let cases = [
        (
            GOOD.replace("window: 10m", "window: 25h"),
            "c.yaml:8:",
            "window 25h is not allowed",
        ),
        (
            GOOD.replace("by: [actor]", "by: [who]"),
            "c.yaml:8:",
            "unknown field \"who\"",
        ),
        (
            GOOD.replace("rule: pw", "rule: nope"),
            "c.yaml:8:",
            "rule names no rule of the set",
        ),
        (
            GOOD.replace("rule: pw", "rule: twice"),
            "c.yaml:8:",
            "chains cannot form cycles",
        ),
        (
            GOOD.replace("rule: pw", "match: { eventName: X }"),
            "c.yaml:8:",
            "must name its eventSource exactly",
        ),
        (
            GOOD.replace("gte: 2,", "gte: 2, colour: red,"),
            "c.yaml:12:",
            "unknown field `colour`",
        ),
        (
            GOOD.replace("threshold:", "sequence:"),
            "c.yaml:12:",
            "unknown field",
        ),
    ];
    for (text, at, message) in cases {
        let e = load(&text).unwrap_err();
        assert!(e.starts_with(at) && e.contains(message), "{e}");
    }
}

#[test]
fn fields_read_what_cloudtrail_spells_several_ways() {
    let raw = json!({
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/r/s", "accountId": "111122223333"},
        "eventSource": "cognito-idp.amazonaws.com", "eventName": "InitiateAuth",
        "requestParameters": {"clientId": "abc", "username": "HIDDEN_DUE_TO_SECURITY_REASONS"},
        "additionalEventData": {"sub": "u-1"}
    })
    .to_string();
    let r = Record::parse(raw.as_bytes()).unwrap();
    let v = |f: &str| Field::parse(f).unwrap().value(&r);
    assert_eq!(
        v("actor").as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/r/s")
    );
    assert_eq!(v("user").as_deref(), Some("/u-1"));
    assert_eq!(v("pool").as_deref(), Some("client:abc"));
    assert_eq!(
        v("operation").as_deref(),
        Some("cognito-idp.amazonaws.com:InitiateAuth")
    );
    assert_eq!(
        v("requestParameters.username"),
        None,
        "a redaction marker is no value"
    );
    assert_eq!(v("userIdentity.accountId").as_deref(), Some("111122223333"));
    let anonymous =
        Record::parse(br#"{"userIdentity":{"type":"Unknown","principalId":"Anonymous"}}"#).unwrap();
    assert_eq!(Field::Actor.value(&anonymous), None);
    assert!(Field::parse("requestParameters.").is_err());
}

#[test]
fn repeat_entries_expand_into_a_burst() {
    let entries = [
        json!({"eventID": "one", "eventTime": "2026-11-10T09:00:00Z"}),
        json!({"repeat": 3, "every": "30s", "record": {"eventID": "b", "eventTime": "2026-11-10T09:59:50Z"}}),
    ];
    let out = expand(&entries).unwrap();
    let ids: Vec<&str> = out.iter().map(|r| r["eventID"].as_str().unwrap()).collect();
    assert_eq!(ids, ["one", "b-0", "b-1", "b-2"]);
    assert_eq!(out[3]["eventTime"], "2026-11-10T10:00:50Z");
    let bad =
        [json!({"repeat": 0, "every": "1s", "record": {"eventTime": "2026-11-10T09:00:00Z"}})];
    assert!(expand(&bad).is_err());
}

#[test]
fn a_hit_needs_every_by_value() {
    let set = load(GOOD).unwrap();
    let with = |identity: serde_json::Value| {
        let raw = json!({"userIdentity": identity, "eventSource": "cognito-idp.amazonaws.com",
            "eventName": "AdminSetUserPassword", "eventTime": "2026-11-10T09:00:00Z", "eventID": "e"})
        .to_string();
        let r = Record::parse(raw.as_bytes()).unwrap();
        set.chain_hits(&r, set.evaluate(&r).as_ref()).len()
    };
    assert_eq!(
        with(json!({"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"})),
        1
    );
    assert_eq!(
        with(json!({"type": "Unknown", "principalId": "Anonymous"})),
        0
    );
}
