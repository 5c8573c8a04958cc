//! The bundled rules pack (`rules/cognito/`, the files its `pack.yaml` lists): its
//! inline cases pass, every rule is documented, severities follow the scheme, and
//! other services never match.
//! Coverage against the operation catalogue is in tests/catalogue.rs.

mod pack;

use cognito_trail_alerts::Severity;
use pack::*;
use serde_json::json;

/// Other services, some with Cognito-like operation names.
const OTHER_SERVICES: &[(&str, &str)] = &[
    ("iam.amazonaws.com", "DeleteUser"),
    ("iam.amazonaws.com", "CreateUser"),
    ("iam.amazonaws.com", "TagResource"),
    ("ec2.amazonaws.com", "CreateTags"),
    ("lambda.amazonaws.com", "TagResource"),
    ("lambda.amazonaws.com", "UntagResource"),
    ("s3.amazonaws.com", "PutBucketPolicy"),
    ("sts.amazonaws.com", "AssumeRole"),
    ("sts.amazonaws.com", "AssumeRoleWithWebIdentity"),
    ("sso.amazonaws.com", "CreateGroup"),
    ("kinesis.amazonaws.com", "UpdateRecords"),
    ("signin.amazonaws.com", "ConsoleLogin"),
];

#[test]
fn inline_cases_all_pass_and_every_rule_has_one() {
    let rules = bundled();
    let report = rules.run_tests();
    let failures: Vec<String> = report
        .cases
        .iter()
        .filter_map(|c| {
            c.failure
                .as_ref()
                .map(|why| format!("{} (line {}): {}: {why}", c.rule_id, c.rule_line, c.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} inline cases failed:\n{}",
        failures.len(),
        report.cases.len(),
        failures.join("\n")
    );
    assert_eq!(report.failed(), 0);
    assert_eq!(report.passed(), report.cases.len());

    let untested: Vec<&str> = rules
        .rules()
        .iter()
        .filter(|r| r.tests.is_empty())
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        untested.is_empty(),
        "rules without inline cases: {untested:?}"
    );
}

/// Each sentence a rule can say is produced by one of its own inline cases whose
/// expectation would fail without it (a `riskCount`), so no risk or escalation goes
/// untested. The two shared escalations are tested across every write below.
#[test]
fn every_sentence_is_exercised_by_an_inline_case() {
    let shared = ["root user", "another AWS account"];
    let mut untested = Vec::new();
    let rules = bundled();
    for rule in rules.rules() {
        let said: Vec<String> = rule
            .tests
            .iter()
            .filter(|t| t.expect.risk_count.is_some())
            .filter_map(|t| {
                rule.evaluate_case(t, rules.checks())
                    .unwrap()
                    .map(|f| f.risks)
            })
            .flatten()
            .collect();
        let mut sentences: Vec<&str> = rule.sentences().collect();
        // Branches that say the same sentence (two spellings of one field) count once.
        sentences.sort_unstable();
        sentences.dedup();
        for sentence in sentences {
            if !shared.iter().any(|s| sentence.contains(s)) && !said.iter().any(|r| r == sentence) {
                untested.push(format!("{}: {sentence}", rule.id));
            }
        }
    }
    assert!(
        untested.is_empty(),
        "sentences no inline case checks:\n{}",
        untested.join("\n")
    );
}

#[test]
fn an_arn_of_another_account_makes_every_write_high() {
    let rules = bundled();
    for op in writes() {
        let src = op.event_source.as_str();
        let mut params = params_for(src);
        params["roleArn"] = json!("arn:aws:iam::444455556666:role/partner-access");
        let bytes = record(src, &op.event_name, ops_role(), params, None);
        let v = evaluate(&rules, &bytes).expect("matches");
        assert!(
            v.finding.severity >= Severity::High,
            "{src} {}",
            op.event_name
        );
        assert!(
            v.finding
                .risks
                .iter()
                .any(|r| r.contains("another AWS account")),
            "{src} {}: {:?}",
            op.event_name,
            v.finding.risks
        );
        // The same ARN in the record's own account is not a finding.
        let mut params = params_for(src);
        params["roleArn"] = json!("arn:aws:iam::111122223333:role/own-access");
        let bytes = record(src, &op.event_name, ops_role(), params, None);
        let v = evaluate(&rules, &bytes).expect("matches");
        assert!(!v
            .finding
            .risks
            .iter()
            .any(|r| r.contains("another AWS account")));
    }
}

#[test]
fn every_rule_is_documented() {
    let rules = bundled();
    for rule in rules.rules() {
        // Ids start with their service (`cognito-idp.`), or `cognito.` when shared.
        let sources = rule.event_sources().unwrap_or_default();
        let prefix = match sources.as_slice() {
            [one] => one.trim_end_matches(".amazonaws.com"),
            _ => "cognito",
        };
        assert!(
            rule.id.starts_with(&format!("{prefix}.")),
            "{}: id must start with {prefix}.",
            rule.id
        );
        assert!(!rule.title.trim().is_empty(), "{}: title is empty", rule.id);
        assert!(
            rule.description.split_whitespace().count() >= 10,
            "{}: description too short",
            rule.id
        );
        let runbook = rule.runbook.as_deref().unwrap_or_default();
        assert!(
            runbook.starts_with("https://docs.aws.amazon.com/"),
            "{}: runbook {runbook:?} is not AWS documentation",
            rule.id
        );
    }
}

#[test]
fn operations_of_one_source_are_unknown_writes_under_another() {
    // A write name under a source that has no such operation is not its rule's
    // business: only that source's fallback (an operation this version does not
    // know) may take it.
    let rules = bundled();
    let all = catalogue();
    for op in writes() {
        for other in SOURCES {
            if all
                .iter()
                .any(|o| o.event_source == other && o.event_name == op.event_name)
            {
                continue;
            }
            let bytes = record(other, &op.event_name, ops_role(), params_for(other), None);
            if let Some(v) = evaluate(&rules, &bytes) {
                assert!(
                    v.rule.fallback,
                    "{} under {other} matched {}",
                    op.event_name, v.rule.id
                );
            }
        }
    }
}

#[test]
fn other_services_do_not_match_and_are_not_even_parsed() {
    let rules = bundled();
    for (source, name) in OTHER_SERVICES {
        let params = json!({"resourceArn": "arn:aws:lambda:eu-west-1:111122223333:function:f"});
        let bytes = record(source, name, ops_role(), params, None);
        if let Some(v) = evaluate(&rules, &bytes) {
            panic!("{source} {name} matched {}", v.rule.id);
        }
        // Every rule names exact event sources, so the byte prefilter is active.
        assert!(
            !rules.may_match(&bytes),
            "prefilter lets {source} {name} through"
        );
    }
}

#[test]
fn match_blocks_name_exact_sources_and_events() {
    // Globs would make reads or other services candidates (and disable the prefilter).
    for rule in bundled().rules() {
        assert!(
            rule.event_sources().is_some(),
            "{}: eventSource must be exact",
            rule.id
        );
        assert!(
            rule.event_names().is_some() || rule.fallback,
            "{}: eventName must be exact",
            rule.id
        );
    }
}

#[test]
fn base_severities_follow_the_scheme() {
    let rules = bundled();
    let cases: &[(&str, &str, Severity)] = &[
        (IDP, "DeleteUserPool", Severity::Critical),
        (IDENTITY, "DeleteIdentityPool", Severity::Critical),
        (IDP, "DeleteUserPoolClient", Severity::High),
        (IDP, "DeleteUserPoolDomain", Severity::High),
        (IDP, "DeleteIdentityProvider", Severity::High),
        (IDP, "CreateIdentityProvider", Severity::High),
        (IDP, "AddUserPoolClientSecret", Severity::High),
        (IDP, "UpdateResourceServer", Severity::Medium),
        (IDP, "CreateGroup", Severity::Medium),
        (IDP, "AdminSetUserPassword", Severity::Medium),
        (IDP, "AdminResetUserPassword", Severity::Medium),
        (IDP, "AdminUpdateUserAttributes", Severity::Medium),
        (IDP, "AdminSetUserMFAPreference", Severity::Medium),
        (IDP, "AdminLinkProviderForUser", Severity::High),
        (IDP, "CreateCIMDPolicy", Severity::High),
        (IDP, "UpdateCIMDPolicy", Severity::High),
        (IDP, "DeleteCIMDPolicy", Severity::Medium),
        (IDP, "UpdateClientMetadataURLState", Severity::Medium),
        (IDP, "StartPointInTimeRecovery", Severity::High),
        (IDP, "InitiatePointInTimeRecovery", Severity::Medium),
        (IDP, "CancelPointInTimeRecovery", Severity::Medium),
        (IDP, "SetUserPoolSessionConfiguration", Severity::Medium),
        (
            IDP,
            "SetUserPoolClientSessionConfiguration",
            Severity::Medium,
        ),
        (IDP, "AdminDeleteSoftwareToken", Severity::Medium),
        (IDP, "AdminRevokeUserSession", Severity::Low),
        (IDP, "AdminCreateUser", Severity::Medium),
        (IDP, "AdminConfirmSignUp", Severity::Medium),
        (IDP, "AdminEnableUser", Severity::Medium),
        (IDP, "AdminDeleteUser", Severity::Low),
        (IDP, "AdminAddUserToGroup", Severity::Medium),
        (IDP, "AdminDisableUser", Severity::Low),
        (IDP, "AdminUserGlobalSignOut", Severity::Low),
        (IDP, "TagResource", Severity::Info),
        (IDENTITY, "UntagResource", Severity::Info),
    ];
    for (source, name, want) in cases {
        let bytes = record(source, name, ops_role(), params_for(source), None);
        let v = evaluate(&rules, &bytes).expect("matches");
        assert_eq!(v.finding.severity, *want, "{source} {name} ({})", v.rule.id);
    }
    for name in [
        "UpdateRecords",
        "RegisterDevice",
        "SubscribeToDataset",
        "UnsubscribeFromDataset",
        "DeleteDataset",
    ] {
        let bytes = record(SYNC, name, ops_role(), params_for(SYNC), None);
        let v = evaluate(&rules, &bytes).expect("matches");
        assert!(
            v.finding.severity <= Severity::Low,
            "{name}: {}",
            v.finding.severity
        );
    }
}

#[test]
fn seed_create_identity_pool_is_critical() {
    // The CreateIdentityPool example of the Amazon Cognito developer guide.
    let seed = json!({
        "eventVersion": "1.03",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "PRINCIPAL_ID",
            "arn": "arn:aws:iam::123456789012:user/Alice",
            "accountId": "123456789012",
            "accessKeyId": "['EXAMPLE_KEY_ID']",
            "userName": "Alice"
        },
        "eventTime": "2016-01-07T02:04:30Z",
        "eventSource": "cognito-identity.amazonaws.com",
        "eventName": "CreateIdentityPool",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "127.0.0.1",
        "userAgent": "USER_AGENT",
        "requestParameters": {
            "identityPoolName": "TestPool",
            "allowUnauthenticatedIdentities": true,
            "supportedLoginProviders": {"graph.facebook.com": "000000000000000"}
        },
        "responseElements": {
            "identityPoolName": "TestPool",
            "identityPoolId": "us-east-1:1cf667a2-49a6-454b-9e45-23199EXAMPLE",
            "allowUnauthenticatedIdentities": true,
            "supportedLoginProviders": {"graph.facebook.com": "000000000000000"}
        },
        "requestID": "15cc73a1-0780-460c-91e8-e12ef034e116",
        "eventID": "f1d47f93-c708-495b-bff1-cb935a6064b2",
        "eventType": "AwsApiCall",
        "recipientAccountId": "123456789012"
    });
    let rules = bundled();
    let bytes = serde_json::to_vec(&seed).unwrap();
    let v = evaluate(&rules, &bytes).expect("the seed record alerts");
    assert_eq!(v.rule.id, "cognito-identity.identity-pool.create");
    assert_eq!(v.finding.severity, Severity::Critical);
    assert!(
        v.finding
            .risks
            .iter()
            .any(|r| r.contains("Unauthenticated")),
        "{:?}",
        v.finding.risks
    );
    assert!(v.also_matched.is_empty(), "{:?}", v.also_matched);
}

#[test]
fn root_caller_makes_every_change_critical() {
    let rules = bundled();
    // An ordinary change first: medium for an operator, critical for root.
    let params = json!({"userPoolId": "eu-west-1_Ab12Cd34E", "identifier": "https://api.example.com",
               "name": "orders-api", "scopes": [{"scopeName": "read", "scopeDescription": "Read orders"}]});
    let bytes = record(
        IDP,
        "UpdateResourceServer",
        ops_role(),
        params.clone(),
        None,
    );
    let v = evaluate(&rules, &bytes).unwrap();
    assert_eq!(v.finding.severity, Severity::Medium);
    assert!(v.finding.risks.is_empty(), "{:?}", v.finding.risks);
    let bytes = record(IDP, "UpdateResourceServer", root_user(), params, None);
    let v = evaluate(&rules, &bytes).unwrap();
    assert_eq!(v.finding.severity, Severity::Critical);
    assert!(
        v.finding.risks.iter().any(|r| r.contains("root user")),
        "{:?}",
        v.finding.risks
    );

    // Then every write operation, succeeded or denied.
    for op in writes() {
        let (source, name) = (op.event_source.as_str(), op.event_name.as_str());
        for error in [None, Some("AccessDenied")] {
            let bytes = record(source, name, root_user(), params_for(source), error);
            let v = evaluate(&rules, &bytes).expect("matches");
            assert_eq!(v.finding.severity, Severity::Critical, "{source} {name}");
            assert!(
                v.finding.risks.iter().any(|r| r.contains("root user")),
                "{source} {name}: {:?}",
                v.finding.risks
            );
        }
    }
}

#[test]
fn update_user_pool_without_lambda_config_says_which_triggers_are_left() {
    let rules = bundled();
    let partial = json!({
        "userPoolId": "eu-west-1_Ab12Cd34E",
        "userPoolTier": "PLUS",
        "userAttributeUpdateSettings": {"attributesRequireVerificationBeforeUpdate": ["email"]},
        "mfaConfiguration": "ON",
        "deletionProtection": "ACTIVE",
        "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"},
        "adminCreateUserConfig": {"allowAdminCreateUserOnly": true}
    });
    let bytes = record(IDP, "UpdateUserPool", ops_role(), partial, None);
    let v = evaluate(&rules, &bytes).unwrap();
    assert_eq!(v.rule.id, "cognito-idp.user-pool.update");
    assert_eq!(v.finding.severity, Severity::Medium);
    // UpdateUserPool replaces the whole configuration: each trigger left out is
    // gone after it, and the changes say so trigger by trigger (no sentence
    // repeats it).
    assert!(v.finding.risks.is_empty(), "{:?}", v.finding.risks);
    for trigger in [
        "pre sign-up trigger",
        "user migration trigger",
        "pre token generation trigger (v2)",
    ] {
        let change = v
            .changes
            .get(trigger)
            .unwrap_or_else(|| panic!("{trigger}"));
        assert_eq!(change.after, json!("none"), "{trigger}");
    }
}

#[test]
fn unauthenticated_role_on_an_identity_pool_is_critical() {
    let rules = bundled();
    let params = json!({
        "identityPoolId": "eu-west-1:7d3c1f0e-6a2b-4c8d-9e1f-0a1b2c3d4e5f",
        "roles": {
            "authenticated": "arn:aws:iam::111122223333:role/Cognito_AppAuth_Role",
            "unauthenticated": "arn:aws:iam::111122223333:role/Cognito_AppUnauth_Role"
        }
    });
    let bytes = record(IDENTITY, "SetIdentityPoolRoles", ops_role(), params, None);
    let v = evaluate(&rules, &bytes).unwrap();
    assert_eq!(v.rule.id, "cognito-identity.identity-pool.roles-set");
    assert_eq!(v.finding.severity, Severity::Critical);
    assert!(
        v.finding
            .risks
            .iter()
            .any(|r| r.contains("Unauthenticated role")),
        "{:?}",
        v.finding.risks
    );
}
