//! The caller of the API, as the OCSF evidence's `actor`, and the OCSF form of an
//! AWS account.

use serde_json::{json, Map, Value};

use crate::Alert;

/// `account.type_id` AWS Account.
const AWS_ACCOUNT: u64 = 10;

/// An AWS account as OCSF's `account` object (the caller's, and the cloud's).
pub(super) fn account(uid: &str) -> Value {
    json!({"uid": uid, "type": "AWS Account", "type_id": AWS_ACCOUNT})
}

/// The caller: `user` (CloudTrail's identity: ARN, principal, name, access key,
/// account), the session's issuer, and the service that made the call on its
/// behalf; `None` when the record had no `userIdentity`.
pub(super) fn actor(alert: &Alert) -> Option<Value> {
    let a = &alert.actor;
    let mut user = Map::new();
    let (type_id, kind) = user_type(a.identity_type.as_deref());
    let uid = a.arn.as_ref().or(a.principal_id.as_ref());
    if let Some(uid) = uid {
        user.insert("uid".into(), Value::String(uid.clone()));
    }
    if a.arn.is_some() {
        if let Some(principal) = &a.principal_id {
            user.insert("uid_alt".into(), Value::String(principal.clone()));
        }
    }
    let name = a.user_name.clone().or_else(|| {
        let arn = a.arn.as_deref()?;
        arn.rsplit_once('/').map(|(_, last)| last.to_string())
    });
    if let Some(name) = name {
        user.insert("name".into(), Value::String(name));
    }
    if let Some(key) = &a.access_key_id {
        user.insert("credential_uid".into(), Value::String(key.clone()));
    }
    if let Some(id) = &a.account_id {
        user.insert("account".into(), account(id));
    }
    let mut actor = Map::new();
    if !user.is_empty() {
        user.insert("type_id".into(), json!(type_id));
        user.insert("type".into(), Value::String(kind));
        actor.insert("user".into(), Value::Object(user));
    }
    if let Some(arn) = a.session_issuer.as_ref().and_then(|i| i.arn.as_ref()) {
        actor.insert("session".into(), json!({"issuer": arn}));
    }
    if let Some(service) = &a.invoked_by {
        actor.insert("invoked_by".into(), Value::String(service.clone()));
    }
    (!actor.is_empty()).then_some(Value::Object(actor))
}

/// OCSF `user.type_id` and `type` for CloudTrail's `userIdentity.type`: the root
/// user is an admin, an AWS service a service, other principals users; an
/// unknown type keeps its name as `Other`.
fn user_type(identity_type: Option<&str>) -> (u64, String) {
    match identity_type {
        None => (0, "Unknown".into()),
        Some("Root") => (2, "Admin".into()),
        Some("AWSService") => (4, "Service".into()),
        Some(
            "IAMUser" | "AssumedRole" | "FederatedUser" | "IdentityCenterUser" | "SAMLUser"
            | "WebIdentityUser" | "Directory",
        ) => (1, "User".into()),
        Some(other) => (99, other.into()),
    }
}
