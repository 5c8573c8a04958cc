//! CloudTrail records as CloudTrail logs them: the fields every management event
//! has, lowerCamelCase request keys, one builder per operation.
//!
//! Builders return a [`Value`]; [`RecordExt`] changes one (`.at(time)`,
//! `.by(identity)`, `.with_params(...)`, `.set(field, value)`) so that a test
//! states only what matters to it.

use serde_json::{json, Value};

/// The account of every record, key and envelope here.
pub const ACCOUNT: &str = "111122223333";
/// The region of every record, key and envelope here.
pub const REGION: &str = "eu-west-1";
/// The user pool [`update_user_pool`] changes.
pub const USER_POOL_ID: &str = "eu-west-1_Ab12Cd34E";
/// The identity pool [`update_identity_pool`] changes.
pub const IDENTITY_POOL_ID: &str = "eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-3f0bEXAMPLE";
/// The `eventTime` of every record unless [`RecordExt::at`] says otherwise.
pub const EVENT_TIME: &str = "2026-11-20T09:02:41Z";

/// An assumed-role caller (`role`, session `{role}-session`), as most API calls have.
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

/// An IAM user caller (`Alice` in the Cognito CloudTrail documentation).
pub fn iam_user(name: &str) -> Value {
    json!({
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLEUSERID001",
        "arn": format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        "accountId": ACCOUNT,
        "accessKeyId": "AKIAEXAMPLEKEY000001",
        "userName": name
    })
}

/// A successful management call `source`/`name` with request `params`, by the
/// `platform-admin` role, at [`EVENT_TIME`] in [`ACCOUNT`] and [`REGION`].
pub fn record(source: &str, name: &str, params: Value, event_id: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": assumed_role("platform-admin"),
        "eventTime": EVENT_TIME,
        "eventSource": source,
        "eventName": name,
        "awsRegion": REGION,
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

/// UpdateUserPool on [`USER_POOL_ID`] setting MFA to `mfa` (`ON`, `OFF`,
/// `OPTIONAL`), deletion protection on, no triggers, admin-only sign-up.
pub fn update_user_pool(event_id: &str, mfa: &str) -> Value {
    record(
        "cognito-idp.amazonaws.com",
        "UpdateUserPool",
        json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": mfa,
               "deletionProtection": "ACTIVE", "lambdaConfig": {},
               "adminCreateUserConfig": {"allowAdminCreateUserOnly": true}}),
        event_id,
    )
}

/// UpdateIdentityPool on [`IDENTITY_POOL_ID`] (named `shop`), allowing
/// unauthenticated (guest) identities or not.
pub fn update_identity_pool(event_id: &str, unauthenticated: bool) -> Value {
    record(
        "cognito-identity.amazonaws.com",
        "UpdateIdentityPool",
        json!({"identityPoolId": IDENTITY_POOL_ID, "identityPoolName": "shop",
               "allowUnauthenticatedIdentities": unauthenticated}),
        event_id,
    )
}

/// A sign-in call (InitiateAuth): Cognito's source, but never an alert (the
/// exact prefilter skips it unparsed).
pub fn sign_in(event_id: &str) -> Value {
    record(
        "cognito-idp.amazonaws.com",
        "InitiateAuth",
        json!({"authFlow": "USER_SRP_AUTH", "clientId": "4tq8nexampleclient"}),
        event_id,
    )
}

/// An ordinary record of another service (KMS Decrypt): never an alert.
pub fn noise(event_id: &str) -> Value {
    record(
        "kms.amazonaws.com",
        "Decrypt",
        json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:lambda:FunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:orders"}}),
        event_id,
    )
}

/// Changes to a built record, each returning it.
pub trait RecordExt {
    /// Sets `eventTime`.
    fn at(self, time: &str) -> Value;
    /// Sets `userIdentity` (see [`assumed_role`], [`iam_user`]).
    fn by(self, identity: Value) -> Value;
    /// Adds (or replaces) the fields of `extra`, an object, in `requestParameters`.
    fn with_params(self, extra: Value) -> Value;
    /// Sets the top-level `field` to `value` (`null` included).
    fn set(self, field: &str, value: Value) -> Value;
}

impl RecordExt for Value {
    fn at(self, time: &str) -> Value {
        self.set("eventTime", json!(time))
    }

    fn by(self, identity: Value) -> Value {
        self.set("userIdentity", identity)
    }

    fn with_params(mut self, extra: Value) -> Value {
        let Value::Object(extra) = extra else {
            panic!("with_params takes an object, got {extra}");
        };
        let params = &mut self["requestParameters"];
        if !params.is_object() {
            *params = json!({});
        }
        let params = params.as_object_mut().expect("an object");
        params.extend(extra);
        self
    }

    fn set(mut self, field: &str, value: Value) -> Value {
        self[field] = value;
        self
    }
}

/// The user agent Terraform's AWS provider logs.
pub const TERRAFORM_AGENT: &str =
    "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) \
     terraform-provider-aws/5.80.0 (+https://registry.terraform.io/providers/hashicorp/aws) \
     aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.3";

/// `role`'s `terraform apply` with the temporary key `key`: twelve Cognito writes
/// on [`USER_POOL_ID`] over 40 s (clients, groups, a domain, a resource server, MFA
/// off, then UpdateUserPool), `start` seconds after 09:10; event ids
/// `{prefix}-01`..`{prefix}-12`.
pub fn terraform_apply(role: &str, key: &str, prefix: &str, start: u32) -> Vec<Value> {
    let mut who = assumed_role(role);
    who["accessKeyId"] = json!(key);
    let idp = "cognito-idp.amazonaws.com";
    let mut calls: Vec<(&str, Value)> = Vec::new();
    for name in ["web", "mobile", "backoffice", "partner"] {
        calls.push((
            "CreateUserPoolClient",
            json!({"userPoolId": USER_POOL_ID, "clientName": name}),
        ));
    }
    for name in ["admins", "support", "customers", "partners"] {
        calls.push((
            "CreateGroup",
            json!({"userPoolId": USER_POOL_ID, "groupName": name}),
        ));
    }
    calls.push((
        "CreateUserPoolDomain",
        json!({"userPoolId": USER_POOL_ID, "domain": "shop-auth"}),
    ));
    calls.push((
        "CreateResourceServer",
        json!({"userPoolId": USER_POOL_ID,
        "identifier": "https://api.shop.example", "name": "shop-api"}),
    ));
    calls.push((
        "SetUserPoolMfaConfig",
        json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OFF"}),
    ));
    calls.push((
        "UpdateUserPool",
        json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OFF",
        "deletionProtection": "INACTIVE"}),
    ));
    let offsets = [0, 3, 7, 10, 14, 17, 21, 25, 29, 33, 37, 40];
    calls
        .into_iter()
        .zip(offsets)
        .enumerate()
        .map(|(i, ((name, params), secs))| {
            let t = 600 + start + secs;
            record(idp, name, params, &format!("{prefix}-{:02}", i + 1))
                .by(who.clone())
                .at(&format!("2026-11-20T09:{:02}:{:02}Z", t / 60, t % 60))
                .set("userAgent", json!(TERRAFORM_AGENT))
        })
        .collect()
}
