//! Shared by the bundled-pack tests: the operation catalogue, callers as CloudTrail
//! logs them, and a record builder.
#![allow(dead_code)] // each test binary uses a different subset

use cognito_trail_alerts::rules::Verdict;
use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::RuleSet;
use serde_json::{json, Value};

pub const IDP: &str = "cognito-idp.amazonaws.com";
pub const IDENTITY: &str = "cognito-identity.amazonaws.com";
pub const SYNC: &str = "cognito-sync.amazonaws.com";
pub const SOURCES: [&str; 3] = [IDP, IDENTITY, SYNC];

pub use cognito_trail_alerts::rules::catalogue::{Catalogue, Class, Operation as Op};

/// Every operation of the three Cognito sources and the endpoint events, from the
/// committed catalogue (the one compiled into the binary).
pub fn catalogue() -> Vec<Op> {
    Catalogue::bundled()
        .expect("rules/catalogue.json parses")
        .operations
        .clone()
}

/// The catalogue's operations of one class.
pub fn ops(class: Class) -> Vec<Op> {
    catalogue()
        .into_iter()
        .filter(|o| o.class == class)
        .collect()
}

/// Configuration and admin writes: every one must have a rule.
pub fn writes() -> Vec<Op> {
    catalogue()
        .into_iter()
        .filter(|o| matches!(o.class, Class::ConfigWrite | Class::AdminWrite))
        .collect()
}

pub fn bundled() -> RuleSet {
    RuleSet::bundled().expect("the bundled pack loads")
}

/// An administrator's SSO session.
pub fn ops_role() -> Value {
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

pub fn root_user() -> Value {
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

/// A public (unsigned) call, as CloudTrail logs SignUp, InitiateAuth or UnlinkIdentity.
pub fn anonymous() -> Value {
    json!({"type": "Unknown", "principalId": "Anonymous"})
}

/// An app's user with identity-pool credentials (the enhanced flow's role session).
pub fn app_user() -> Value {
    json!({
        "type": "AssumedRole",
        "principalId": "AROA3XFRBF535EXAMPLE4:CognitoIdentityCredentials",
        "arn": "arn:aws:sts::111122223333:assumed-role/Cognito_PhotoAppAuth_Role/CognitoIdentityCredentials",
        "accountId": "111122223333",
        "accessKeyId": "ASIAR7EXAMPLEAPPUSER",
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROA3XFRBF535EXAMPLE4",
                "arn": "arn:aws:iam::111122223333:role/Cognito_PhotoAppAuth_Role",
                "accountId": "111122223333",
                "userName": "Cognito_PhotoAppAuth_Role"
            },
            "webIdFederationData": {
                "federatedProvider": "cognito-identity.amazonaws.com",
                "attributes": {}
            },
            "attributes": {"creationDate": "2025-03-08T11:30:00Z", "mfaAuthenticated": "false"}
        }
    })
}

/// Plausible request parameters for an operation of `source`.
pub fn params_for(source: &str) -> Value {
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
pub fn record(
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

pub fn evaluate<'s>(rules: &'s RuleSet, bytes: &[u8]) -> Option<Verdict<'s>> {
    let record = Record::parse(bytes).expect("test record parses");
    rules.evaluate(&record)
}

/// A managed-login or OAuth endpoint request as Cognito logs it: a service event
/// whose `userIdentity` holds only `accountId`, the request under
/// `additionalEventData` with list values, no `readOnly` when `read_only` is `None`.
pub fn service_event(source: &str, name: &str, read_only: Option<bool>, error: &str) -> Vec<u8> {
    let mut r = json!({
        "eventVersion": "1.08",
        "userIdentity": {"accountId": "111122223333"},
        "eventTime": "2026-11-28T08:00:01Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.41",
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
        "errorCode": error,
        "errorMessage": error,
        "requestParameters": null,
        "responseElements": null,
        "additionalEventData": {
            "responseParameters": {"status": 302},
            "requestParameters": {
                "client_id": ["4kq1n0v2l7c8b5r3t6y9u0i2o1"],
                "redirect_uri": ["https://shop.example.com/callback"],
                "response_type": ["code"],
                "_csrf": ["HIDDEN_DUE_TO_SECURITY_REASONS"]
            },
            "userPoolDomain": "auth-shop.auth.eu-west-1.amazoncognito.com",
            "userPoolId": "eu-west-1_Ab12Cd34E"
        },
        "requestID": "7a63e7c2-b057-4f3d-a171-9d9113264aaa",
        "eventID": "5e7b27a0-6870-4226-adb4-f86cd51ac5aa",
        "eventType": "AwsServiceEvent",
        "managementEvent": true,
        "recipientAccountId": "111122223333",
        "serviceEventDetails": {"serviceAccountId": "999988887777"},
        "eventCategory": "Management"
    });
    if let Some(read_only) = read_only {
        r["readOnly"] = json!(read_only);
    }
    serde_json::to_vec(&r).unwrap()
}
