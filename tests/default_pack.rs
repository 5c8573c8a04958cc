//! The bundled rules pack (`rules/cognito.yaml`): its inline cases pass, it covers
//! every Cognito write operation under the right event source, and it stays quiet on
//! reads, end-user calls and other services.

use cognito_trail_alerts::rules::Verdict;
use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::{RuleSet, Severity};
use serde_json::{json, Value};

const IDP: &str = "cognito-idp.amazonaws.com";
const IDENTITY: &str = "cognito-identity.amazonaws.com";
const SYNC: &str = "cognito-sync.amazonaws.com";

/// cognito-idp configuration changes.
const IDP_CONFIG_OPS: &[&str] = &[
    "CreateUserPool",
    "UpdateUserPool",
    "DeleteUserPool",
    "AddCustomAttributes",
    "SetUserPoolMfaConfig",
    "SetRiskConfiguration",
    "SetUICustomization",
    "SetLogDeliveryConfiguration",
    "TagResource",
    "UntagResource",
    "CreateUserImportJob",
    "StartUserImportJob",
    "StopUserImportJob",
    "CreateUserPoolClient",
    "UpdateUserPoolClient",
    "DeleteUserPoolClient",
    "AddUserPoolClientSecret",
    "DeleteUserPoolClientSecret",
    "CreateUserPoolDomain",
    "UpdateUserPoolDomain",
    "DeleteUserPoolDomain",
    "CreateIdentityProvider",
    "UpdateIdentityProvider",
    "DeleteIdentityProvider",
    "CreateResourceServer",
    "UpdateResourceServer",
    "DeleteResourceServer",
    "CreateGroup",
    "UpdateGroup",
    "DeleteGroup",
    "CreateManagedLoginBranding",
    "UpdateManagedLoginBranding",
    "DeleteManagedLoginBranding",
    "CreateTerms",
    "UpdateTerms",
    "DeleteTerms",
    "CreateUserPoolReplica",
    "UpdateUserPoolReplica",
    "DeleteUserPoolReplica",
    "UpdateProvisionedLimit",
];

/// cognito-idp admin writes on users.
const IDP_ADMIN_OPS: &[&str] = &[
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminConfirmSignUp",
    "AdminCreateUser",
    "AdminDeleteUser",
    "AdminDeleteUserAttributes",
    "AdminDisableProviderForUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminForgetDevice",
    "AdminLinkProviderForUser",
    "AdminResetUserPassword",
    "AdminSetUserMFAPreference",
    "AdminSetUserPassword",
    "AdminSetUserSettings",
    "AdminUpdateAuthEventFeedback",
    "AdminUpdateDeviceStatus",
    "AdminUpdateUserAttributes",
    "AdminUserGlobalSignOut",
];

/// cognito-identity writes.
const IDENTITY_OPS: &[&str] = &[
    "CreateIdentityPool",
    "UpdateIdentityPool",
    "DeleteIdentityPool",
    "SetIdentityPoolRoles",
    "SetPrincipalTagAttributeMap",
    "DeleteIdentities",
    "MergeDeveloperIdentities",
    "UnlinkDeveloperIdentity",
    "UnlinkIdentity",
    "TagResource",
    "UntagResource",
];

/// cognito-sync writes.
const SYNC_OPS: &[&str] = &[
    "SetCognitoEvents",
    "SetIdentityPoolConfiguration",
    "BulkPublish",
    "DeleteDataset",
    "UpdateRecords",
    "RegisterDevice",
    "SubscribeToDataset",
    "UnsubscribeFromDataset",
];

/// Reads and end-user / runtime calls of the three Cognito sources: never alerts.
const NOT_CHANGES: &[(&str, &str)] = &[
    (IDP, "DescribeUserPool"),
    (IDP, "DescribeUserPoolClient"),
    (IDP, "DescribeUserPoolDomain"),
    (IDP, "DescribeIdentityProvider"),
    (IDP, "DescribeRiskConfiguration"),
    (IDP, "ListUserPools"),
    (IDP, "ListUserPoolClients"),
    (IDP, "ListUsers"),
    (IDP, "ListGroups"),
    (IDP, "ListTagsForResource"),
    (IDP, "GetUser"),
    (IDP, "GetUserPoolMfaConfig"),
    (IDP, "GetUICustomization"),
    (IDP, "GetLogDeliveryConfiguration"),
    (IDP, "GetProvisionedLimit"),
    (IDP, "AdminGetUser"),
    (IDP, "AdminListGroupsForUser"),
    (IDP, "AdminInitiateAuth"),
    (IDP, "AdminRespondToAuthChallenge"),
    (IDP, "InitiateAuth"),
    (IDP, "RespondToAuthChallenge"),
    (IDP, "SignUp"),
    (IDP, "ConfirmSignUp"),
    (IDP, "ForgotPassword"),
    (IDP, "ConfirmForgotPassword"),
    (IDP, "ChangePassword"),
    (IDP, "UpdateUserAttributes"),
    (IDP, "SetUserMFAPreference"),
    (IDP, "GlobalSignOut"),
    (IDP, "RevokeToken"),
    (IDP, "Login_GET"),
    (IDP, "Token_POST"),
    (IDENTITY, "DescribeIdentityPool"),
    (IDENTITY, "GetIdentityPoolRoles"),
    (IDENTITY, "ListIdentityPools"),
    (IDENTITY, "ListTagsForResource"),
    (IDENTITY, "GetPrincipalTagAttributeMap"),
    (IDENTITY, "GetId"),
    (IDENTITY, "GetCredentialsForIdentity"),
    (IDENTITY, "GetOpenIdToken"),
    (IDENTITY, "GetOpenIdTokenForDeveloperIdentity"),
    (SYNC, "DescribeIdentityPoolUsage"),
    (SYNC, "ListIdentityPoolUsage"),
    (SYNC, "GetCognitoEvents"),
    (SYNC, "GetBulkPublishDetails"),
    (SYNC, "GetIdentityPoolConfiguration"),
    (SYNC, "ListDatasets"),
    (SYNC, "ListRecords"),
];

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

fn write_ops() -> Vec<(&'static str, &'static str)> {
    let idp = IDP_CONFIG_OPS
        .iter()
        .chain(IDP_ADMIN_OPS)
        .map(|op| (IDP, *op));
    let identity = IDENTITY_OPS.iter().map(|op| (IDENTITY, *op));
    let sync = SYNC_OPS.iter().map(|op| (SYNC, *op));
    idp.chain(identity).chain(sync).collect()
}

fn bundled() -> RuleSet {
    RuleSet::bundled().expect("the bundled pack loads")
}

fn ops_role() -> Value {
    json!({
        "type": "AssumedRole",
        "principalId": "AROA3XFRBF535EXAMPLE1:jdoe@example.com",
        "arn": "arn:aws:sts::111122223333:assumed-role/platform-admin/jdoe@example.com",
        "accountId": "111122223333",
        "accessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA3XFRBF535EXAMPLE1",
                "arn": "arn:aws:iam::111122223333:role/platform-admin",
                "accountId": "111122223333",
                "userName": "platform-admin"
            },
            "webIdFederationData": {},
            "attributes": {"creationDate": "2025-03-04T08:55:10Z", "mfaAuthenticated": "false"}
        }
    })
}

fn root_user() -> Value {
    json!({
        "type": "Root",
        "principalId": "111122223333",
        "arn": "arn:aws:iam::111122223333:root",
        "accountId": "111122223333",
        "accessKeyId": "ASIAQXEXAMPLE7ROOT01",
        "sessionContext": {
            "attributes": {"creationDate": "2025-03-07T21:40:55Z", "mfaAuthenticated": "true"}
        }
    })
}

/// Plausible request parameters for an operation of `source`.
fn params_for(source: &str) -> Value {
    match source {
        IDP => json!({"userPoolId": "eu-west-1_Ab12Cd34E"}),
        SYNC => json!({
            "identityPoolId": "eu-west-1:7d3c1f0e-6a2b-4c8d-9e1f-0a1b2c3d4e5f",
            "identityId": "eu-west-1:2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
            "datasetName": "preferences"
        }),
        _ => json!({"identityPoolId": "eu-west-1:7d3c1f0e-6a2b-4c8d-9e1f-0a1b2c3d4e5f"}),
    }
}

/// A CloudTrail record as CloudTrail writes it; `error` makes it a failed call.
fn record(
    source: &str,
    name: &str,
    identity: Value,
    params: Value,
    error: Option<&str>,
) -> Vec<u8> {
    let mut r = json!({
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": "2025-03-04T10:15:22Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off",
        "requestParameters": params,
        "responseElements": null,
        "requestID": "9b2f1c3d-4e5a-4b6c-8d7e-0f1a2b3c4d5e",
        "eventID": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management"
    });
    if let Some(code) = error {
        let service = source.trim_end_matches(".amazonaws.com");
        r["errorCode"] = json!(code);
        r["errorMessage"] = json!(format!(
            "User: arn:aws:sts::111122223333:assumed-role/platform-admin/jdoe@example.com \
             is not authorized to perform: {service}:{name}"
        ));
    }
    serde_json::to_vec(&r).unwrap()
}

fn evaluate<'s>(rules: &'s RuleSet, bytes: &[u8]) -> Option<Verdict<'s>> {
    let record = Record::parse(bytes).expect("test record parses");
    rules.evaluate(&record)
}

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
fn every_write_operation_matches_a_rule_of_its_source() {
    let rules = bundled();
    let mut problems = Vec::new();
    for (source, name) in write_ops() {
        for error in [None, Some("AccessDenied")] {
            let bytes = record(source, name, ops_role(), params_for(source), error);
            assert!(rules.may_match(&bytes), "prefilter drops {source} {name}");
            match evaluate(&rules, &bytes) {
                None => problems.push(format!("{source} {name} (error {error:?}): no rule")),
                Some(v) if !v.rule.event_sources().unwrap_or_default().contains(&source) => {
                    problems.push(format!(
                    "{source} {name} (error {error:?}): matched by {}, a rule of another source",
                    v.rule.id
                ))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn operations_do_not_match_under_another_cognito_source() {
    let rules = bundled();
    let ops = write_ops();
    for &(_, name) in &ops {
        for other in [IDP, IDENTITY, SYNC] {
            if ops.contains(&(other, name)) {
                continue;
            }
            let bytes = record(other, name, ops_role(), params_for(other), None);
            if let Some(v) = evaluate(&rules, &bytes) {
                panic!("{name} under {other} matched {}", v.rule.id);
            }
        }
    }
}

#[test]
fn reads_and_end_user_calls_do_not_match() {
    let rules = bundled();
    for (source, name) in NOT_CHANGES {
        for error in [None, Some("AccessDenied")] {
            let bytes = record(source, name, ops_role(), params_for(source), error);
            if let Some(v) = evaluate(&rules, &bytes) {
                panic!("{source} {name} matched {}", v.rule.id);
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
            rule.event_names().is_some(),
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
        (IDP, "AdminLinkProviderForUser", Severity::Medium),
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
    let params =
        json!({"userPoolId": "eu-west-1_Ab12Cd34E", "identifier": "https://api.example.com"});
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
    for (source, name) in write_ops() {
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
fn update_user_pool_without_lambda_config_warns_about_triggers() {
    let rules = bundled();
    let partial = json!({
        "userPoolId": "eu-west-1_Ab12Cd34E",
        "mfaConfiguration": "ON",
        "deletionProtection": "ACTIVE",
        "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"},
        "adminCreateUserConfig": {"allowAdminCreateUserOnly": true}
    });
    let bytes = record(IDP, "UpdateUserPool", ops_role(), partial, None);
    let v = evaluate(&rules, &bytes).unwrap();
    assert_eq!(v.rule.id, "cognito-idp.user-pool.update");
    assert_eq!(v.finding.severity, Severity::Medium);
    assert_eq!(v.finding.risks.len(), 1, "{:?}", v.finding.risks);
    assert!(
        v.finding.risks[0].contains("Lambda triggers"),
        "{:?}",
        v.finding.risks
    );

    // With lambdaConfig present the warning goes away; turning MFA off is high.
    let complete = json!({
        "userPoolId": "eu-west-1_Ab12Cd34E",
        "lambdaConfig": {"preSignUp": "arn:aws:lambda:eu-west-1:111122223333:function:pre-signup"},
        "mfaConfiguration": "OFF",
        "deletionProtection": "ACTIVE",
        "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"},
        "adminCreateUserConfig": {"allowAdminCreateUserOnly": true}
    });
    let bytes = record(IDP, "UpdateUserPool", ops_role(), complete, None);
    let v = evaluate(&rules, &bytes).unwrap();
    assert_eq!(v.finding.severity, Severity::High);
    assert!(
        !v.finding
            .risks
            .iter()
            .any(|r| r.contains("Lambda triggers")),
        "{:?}",
        v.finding.risks
    );
    assert!(
        v.finding.risks.iter().any(|r| r.contains("MFA turned OFF")),
        "{:?}",
        v.finding.risks
    );
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
