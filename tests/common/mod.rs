//! Builders for realistic CloudTrail records and log files, shared by the tests.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};

pub const ACCOUNT: &str = "111122223333";

/// A small rule set independent of the bundled pack's contents: identity pool
/// writes, critical when they allow unauthenticated identities.
pub const RULES: &str = "rules:
  - id: identity-pool-writes
    title: Identity pool changed
    severity: medium
    description: An identity pool was changed.
    match:
      eventSource: cognito-identity.amazonaws.com
      eventName: [CreateIdentityPool, UpdateIdentityPool, DeleteIdentityPool]
    escalate:
      - severity: critical
        when: { requestParameters: { allowUnauthenticatedIdentities: { equals: true } } }
        say: Unauthenticated identities allowed.
";

/// The CreateIdentityPool record from the Cognito CloudTrail documentation (IAM user Alice).
pub fn seed_record() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/seed-create-identity-pool.json"
    ))
    .expect("seed fixture");
    serde_json::from_str(&text).expect("seed fixture is JSON")
}

/// An assumed-role caller, as most API calls have.
pub fn assumed_role(role: &str) -> Value {
    json!({
        "type": "AssumedRole",
        "principalId": format!("AROAEXAMPLEROLEID01:{role}-session"),
        "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{role}-session"),
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEKEY000001",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEROLEID01",
                "arn": format!("arn:aws:iam::{ACCOUNT}:role/{role}"), "accountId": ACCOUNT, "userName": role},
            "attributes": {"creationDate": "2026-11-20T08:58:11Z", "mfaAuthenticated": "false"}
        }
    })
}

/// A record for `source`/`name` with the given request parameters and event id.
pub fn record(source: &str, name: &str, params: Value, event_id: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": assumed_role("platform-admin"),
        "eventTime": "2026-11-20T09:02:41Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "198.51.100.23",
        "userAgent": "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64",
        "requestParameters": params,
        "responseElements": null,
        "requestID": "0b6c2d4e-1f3a-4b5c-8d7e-9f0a1b2c3d4e",
        "eventID": event_id,
        "readOnly": false,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management"
    })
}

/// An ordinary record of another service: never alerts.
pub fn noise(event_id: &str) -> Value {
    record(
        "kms.amazonaws.com",
        "Decrypt",
        json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:orders"}}),
        event_id,
    )
}

/// A Cognito change the bundled pack alerts on.
pub fn identity_pool_update(event_id: &str) -> Value {
    record(
        "cognito-identity.amazonaws.com",
        "UpdateIdentityPool",
        json!({"identityPoolId": "eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-3f0bEXAMPLE", "identityPoolName": "shop",
               "allowUnauthenticatedIdentities": true}),
        event_id,
    )
}

/// `{"Records": [...]}` as compact JSON bytes.
pub fn trail(records: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "Records": records })).unwrap()
}

/// Gzip-compresses `bytes`.
pub fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}
