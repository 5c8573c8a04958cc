//! The engine over whole files: counters, duplicates, record and file errors.

mod common;

use std::io::Cursor;

use cognito_trail_alerts::{engine, Alert, FileStats, Origin, RuleSet};
use common::*;
use serde_json::json;

fn origin() -> Origin {
    Origin::File {
        file: "test.json.gz".into(),
    }
}

/// The engine's behaviour does not depend on the pack: a small rule set of its own.
fn rules() -> RuleSet {
    RuleSet::from_yaml(
        "rules:\n  - id: identity-pool-writes\n    title: Identity pool changed\n    severity: medium\n    description: D\n    match:\n      eventSource: cognito-identity.amazonaws.com\n      eventName: [CreateIdentityPool, UpdateIdentityPool, DeleteIdentityPool]\n",
        "engine-test.yaml",
    )
    .unwrap()
}

fn run(bytes: Vec<u8>) -> (Vec<Alert>, Result<FileStats, engine::FileError>) {
    let rules = rules();
    let mut alerts = Vec::new();
    let result = engine::scan(&rules, Cursor::new(bytes), &origin(), |a| alerts.push(a));
    (alerts, result)
}

fn assert_adds_up(s: &FileStats) {
    assert_eq!(
        s.records,
        s.matched + s.unmatched + s.duplicates + s.record_errors,
        "{s:?}"
    );
}

#[test]
fn counters_add_up_and_duplicates_are_dropped() {
    let records = vec![
        noise("e-1"),
        update_identity_pool("e-2", true),
        noise("e-3"),
        update_identity_pool("e-2", true), // CloudTrail repeats records
        json!(42),
        json!({"eventSource": "cognito-identity.amazonaws.com", "eventName": ["UpdateIdentityPool"]}),
        seed_record(),
    ];
    let (alerts, stats) = run(gz(&trail(&records)));
    let stats = stats.unwrap();
    assert_eq!(
        (
            stats.records,
            stats.matched,
            stats.duplicates,
            stats.record_errors
        ),
        (7, 2, 1, 2)
    );
    assert_adds_up(&stats);
    let names: Vec<_> = alerts
        .iter()
        .map(|a| a.event_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["UpdateIdentityPool", "CreateIdentityPool"]);
    assert_eq!(alerts[0].source.record_index, 1);
    assert_eq!(alerts[1].source.record_index, 6);
    let issues: Vec<_> = stats
        .issues
        .iter()
        .map(|i| (i.index, i.reason.as_str()))
        .collect();
    assert_eq!(issues[0], (4, "not an object (found a number)"));
    assert_eq!(issues[1].0, 5);
    assert!(
        issues[1]
            .1
            .contains("invalid type: sequence, expected a string"),
        "{issues:?}"
    );
}

#[test]
fn plain_and_gzip_give_the_same_result() {
    let doc = trail(&[noise("a"), update_identity_pool("b", true), seed_record()]);
    let (plain, s1) = run(doc.clone());
    let (zipped, s2) = run(gz(&doc));
    let ids = |v: &[Alert]| v.iter().map(|a| a.event_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&plain), ids(&zipped));
    assert_eq!(s1.unwrap().records, s2.unwrap().records);
}

#[test]
fn concatenated_gzip_members_are_one_stream() {
    let doc = trail(&[update_identity_pool("a", true), seed_record()]);
    let (first, second) = doc.split_at(doc.len() / 2);
    let mut bytes = gz(first);
    bytes.extend(gz(second));
    let (alerts, stats) = run(bytes);
    assert_eq!(stats.unwrap().matched, 2);
    assert_eq!(alerts.len(), 2);
}

#[test]
fn a_truncated_file_keeps_the_alerts_before_the_cut() {
    let mut records = vec![update_identity_pool("first", true)];
    records.extend((0..2000).map(|i| noise(&format!("n-{i}"))));
    let bytes = gz(&trail(&records));
    let (alerts, result) = run(bytes[..bytes.len() / 2].to_vec());
    let err = result.unwrap_err();
    assert_eq!(err.reason, "truncated gzip: the compressed data ends early");
    assert!(err.to_string().starts_with("test.json.gz: truncated gzip"));
    assert_eq!(alerts.len(), 1);
    assert!(
        err.partial.records > 100,
        "records before the cut are counted: {:?}",
        err.partial.records
    );
    assert_adds_up(&err.partial);
}

#[test]
fn unreadable_files_name_the_cause() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"PK\x03\x04zipdata".to_vec(),
            "neither gzip nor JSON: the file starts with 'P'",
        ),
        (vec![0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad], "truncated gzip"),
        (
            vec![
                0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xff, 0xff, 0xff, 0xff,
            ],
            "corrupt gzip data",
        ),
        (
            gz(br#"{"awsAccountId":"1","digestStartTime":"x","logFiles":[]}"#),
            "no \"Records\" array",
        ),
        (gz(br#"{"Records":"none"}"#), "\"Records\" is not an array"),
        (Vec::new(), "the file is empty"),
        (gz(b""), "the gzip data decompresses to nothing"),
    ];
    for (bytes, want) in cases {
        let (_, result) = run(bytes);
        let err = result.expect_err(want);
        assert!(
            err.reason.starts_with(want),
            "want {want:?}, got {:?}",
            err.reason
        );
    }
}

#[test]
fn every_optional_field_may_be_missing_or_null() {
    let records = vec![
        json!({"eventSource": "cognito-identity.amazonaws.com", "eventName": "UpdateIdentityPool"}),
        json!({"eventVersion": "1.0", "eventSource": "cognito-identity.amazonaws.com", "eventName": "DeleteIdentityPool",
               "userIdentity": null, "requestParameters": null, "sourceIPAddress": null, "eventID": null}),
        json!({"eventVersion": "1.11", "eventSource": "cognito-identity.amazonaws.com", "eventName": "UpdateIdentityPool",
               "userIdentity": {"type": "Root"}, "futureField": {"nested": [1, 2, 3]}, "eventID": "x"}),
    ];
    let (alerts, stats) = run(gz(&trail(&records)));
    let stats = stats.unwrap();
    assert_eq!((stats.matched, stats.record_errors), (3, 0));
    assert!(alerts.iter().all(|a| a.source_ip.is_none()));
}

#[test]
fn newest_event_time_is_tracked_across_all_records() {
    let mut late = noise("late");
    late["eventTime"] = json!("2026-11-20T09:59:59Z");
    let (_, stats) = run(gz(&trail(&[
        noise("a"),
        late,
        update_identity_pool("b", true),
    ])));
    assert_eq!(
        stats.unwrap().newest_event_time.as_deref(),
        Some("2026-11-20T09:59:59Z")
    );
}

#[test]
fn the_seed_alert_explains_itself() {
    let (alerts, _) = run(gz(&trail(&[seed_record()])));
    let a = &alerts[0];
    assert_eq!(a.actor.identity_type.as_deref(), Some("IAMUser"));
    assert_eq!(a.actor.user_name.as_deref(), Some("Alice"));
    assert_eq!(
        a.resource.identity_pool_id.as_deref(),
        Some("us-east-1:1cf667a2-49a6-454b-9e45-23199EXAMPLE")
    );
    assert_eq!(a.resource.identity_pool_name.as_deref(), Some("TestPool"));
    assert_eq!(a.outcome.status, "success");
    assert_eq!(
        a.request_parameters.as_ref().unwrap()["allowUnauthenticatedIdentities"],
        json!(true)
    );
}

#[test]
fn user_specific_requests_carry_the_sub_and_lookup_hint() {
    let mut r = record(
        "cognito-idp.amazonaws.com",
        "AdminSetUserPassword",
        json!({"userPoolId": "eu-west-1_Sh0pPoo1", "username": "HIDDEN_DUE_TO_SECURITY_REASONS", "permanent": true}),
        "sub-1",
    );
    r["additionalEventData"] = json!({"sub": "5f3c2d1e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"});
    let rules = RuleSet::from_yaml(
        "rules:\n  - {id: t, title: T, severity: low, description: D, match: {eventSource: cognito-idp.amazonaws.com}}\n",
        "t.yaml",
    )
    .unwrap();
    let mut alerts = Vec::new();
    engine::scan(&rules, Cursor::new(trail(&[r])), &origin(), |a| {
        alerts.push(a)
    })
    .unwrap();
    let actor = &alerts[0].actor;
    assert_eq!(
        actor.user_sub.as_deref(),
        Some("5f3c2d1e-8a7b-4c6d-9e0f-1a2b3c4d5e6f")
    );
    let lookup = actor.user_lookup.as_ref().unwrap();
    assert_eq!(
        (
            lookup.status,
            lookup.user.as_ref(),
            lookup.reason.as_deref()
        ),
        (
            cognito_trail_alerts::alert::LookupStatus::Skipped,
            None,
            None
        ),
        "the engine alone looks nobody up"
    );
    let hint = lookup.hint.as_str();
    assert!(
        hint.contains("ListUsers")
            && hint.contains(r#"sub = "5f3c2d1e-8a7b-4c6d-9e0f-1a2b3c4d5e6f""#),
        "{hint}"
    );
    assert!(hint.contains("--user-pool-id eu-west-1_Sh0pPoo1"), "{hint}");
    assert_eq!(
        actor.session_issuer.as_ref().unwrap().arn.as_deref(),
        Some("arn:aws:iam::111122223333:role/platform-admin")
    );
    assert_eq!(
        alerts[0].request_parameters.as_ref().unwrap()["username"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
}
