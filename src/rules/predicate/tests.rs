use super::*;
use serde_json::json;

fn pred(yaml: &str) -> Predicate {
    serde_yaml_ng::from_str(yaml).unwrap()
}

fn path(p: &str) -> Vec<String> {
    p.split('.').map(String::from).collect()
}

#[test]
fn table() {
    let params = json!({
        "mfaConfiguration": "OFF",
        "allowUnauthenticatedIdentities": true,
        "callbackURLs": ["https://ok.example", "http://plain.example"],
        "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"],
        "roles": {"authenticated": "arn:aws:iam::1:role/a"},
        "providers": [{"name": "x", "clientId": "c1"}, {"name": "y"}],
        "roleMappings": {"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A:client": {"type": "Token"}},
        "lambdaConfig": null,
        "refreshTokenValidity": 3650,
        "validityAsText": "90",
        "triggers": {
            "preSignUp": "arn:aws:lambda:eu-west-1:111122223333:function:ok",
            "customSMSSender": {"lambdaVersion": "V1_0",
                "lambdaArn": "arn:aws:lambda:eu-west-1:444455556666:function:sms"}
        },
        "managed": ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:s3:::bucket"],
    });
    let cases = [
        ("equals: 'OFF'", "mfaConfiguration", true),
        ("equals: 'ON'", "mfaConfiguration", false),
        ("in: [OPTIONAL, 'OFF']", "mfaConfiguration", true),
        ("equals: true", "allowUnauthenticatedIdentities", true),
        ("glob: 'http://*'", "callbackURLs", true),
        (
            "contains: ALLOW_USER_PASSWORD_AUTH",
            "explicitAuthFlows",
            true,
        ),
        ("contains: plain", "mfaConfiguration", false),
        ("exists: true", "roles.authenticated", true),
        ("exists: true", "roles.unauthenticated", false),
        ("absent: true", "roles.unauthenticated", true),
        ("absent: true", "lambdaConfig", true),
        ("exists: true", "providers.clientId", true),
        ("equals: y", "providers.name", true),
        ("exists: true\nequals: x", "providers.name", true),
        (
            "in: [ALLOW_USER_PASSWORD_AUTH, USER_PASSWORD_AUTH]",
            "explicitAuthFlows",
            true,
        ),
        (
            "equals: [ALLOW_USER_PASSWORD_AUTH]",
            "explicitAuthFlows",
            true,
        ),
        (
            "equals: ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "explicitAuthFlows",
            false,
        ),
        ("equals: Token", "roleMappings.*.type", true),
        ("equals: Rules", "roleMappings.*.type", false),
        ("exists: true", "providers.*.clientId", true),
        ("iglob: NAME", "providers.name", false),
        ("iglob: [Y, z*]", "providers.name", true),
        ("above: 7", "refreshTokenValidity", true),
        ("above: 3650", "refreshTokenValidity", false),
        ("below: 60", "refreshTokenValidity", false),
        ("above: 30", "validityAsText", true),
        ("above: 1", "mfaConfiguration", false),
        ("foreignAccount: true", "lambdaConfig", false),
        ("foreignAccount: true", "triggers", true),
        ("foreignAccount: true", "triggers.preSignUp", false),
        ("foreignAccount: true", "triggers.customSMSSender", true),
        ("foreignAccount: true", "roles", false),
        ("foreignAccount: true", "managed", false),
    ];
    for (yaml, field, want) in cases {
        assert_eq!(
            pred(yaml).holds(Some(&params), &path(field), Some("111122223333")),
            want,
            "{yaml} on {field}"
        );
    }
}

#[test]
fn foreign_account_needs_the_records_account() {
    let params = json!({"role": "arn:aws:iam::444455556666:role/x"});
    let p = pred("foreignAccount: true");
    assert!(p.holds(Some(&params), &path("role"), Some("111122223333")));
    assert!(!p.holds(Some(&params), &path("role"), Some("444455556666")));
    assert!(!p.holds(Some(&params), &path("role"), None));
}

#[test]
fn arn_accounts() {
    assert_eq!(
        arn_account("arn:aws:lambda:eu-west-1:444455556666:function:f"),
        Some("444455556666")
    );
    assert_eq!(
        arn_account("arn:aws-cn:iam::444455556666:role/r"),
        Some("444455556666")
    );
    for no in [
        "arn:aws:s3:::bucket",
        "arn:aws:iam::aws:policy/X",
        "444455556666",
        "arn:aws:iam::4444:role/r",
    ] {
        assert_eq!(arn_account(no), None, "{no}");
    }
}

#[test]
fn absent_needs_a_container() {
    assert!(!pred("absent: true").holds(None, &path("lambdaConfig"), None));
    assert!(!pred("absent: true").holds(Some(&json!("x")), &path("lambdaConfig"), None));
}

#[test]
fn invalid_predicates_are_rejected() {
    for bad in [
        "{}",
        "exists: true\nabsent: true",
        "absent: true\nequals: 1",
        "equal: 1",
        "foreignAccount: false",
        "absent: true\nabove: 1",
        "iglob: []",
    ] {
        assert!(serde_yaml_ng::from_str::<Predicate>(bad).is_err(), "{bad}");
    }
}
