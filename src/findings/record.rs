//! The CloudTrail record behind an alert, written back in CloudTrail's spelling
//! for the findings' evidence.

use serde_json::{Map, Value};

use crate::Alert;

/// The alert's record as CloudTrail spells it (`eventTime`, `userIdentity`,
/// `requestParameters`...), from the fields the alert keeps: event id, time,
/// source, name, region, source IP, user agent, caller (type, principal, ARN,
/// account, access key, user name, session issuer, invoking service, Identity
/// Center user), request parameters (as logged, or as shortened to fit a
/// message), error code and message, recipient account, and the user's `sub`
/// under `additionalEventData`. Fields an alert does not keep (`responseElements`,
/// `requestID`, `eventVersion`, `tlsDetails`...) are absent; missing values are
/// left out rather than written as null.
pub fn cloudtrail_record(alert: &Alert) -> Value {
    let mut record = Map::new();
    put(&mut record, "eventID", &alert.event_id);
    put(&mut record, "eventTime", &alert.event_time);
    put(&mut record, "eventSource", &alert.event_source);
    put(&mut record, "eventName", &alert.event_name);
    put(&mut record, "awsRegion", &alert.region);
    put(&mut record, "sourceIPAddress", &alert.source_ip);
    put(&mut record, "userAgent", &alert.user_agent);
    let identity = user_identity(alert);
    if !identity.is_empty() {
        record.insert("userIdentity".into(), Value::Object(identity));
    }
    if let Some(params) = &alert.request_parameters {
        record.insert("requestParameters".into(), params.clone());
    }
    put(&mut record, "errorCode", &alert.outcome.error_code);
    put(&mut record, "errorMessage", &alert.outcome.error_message);
    put(&mut record, "recipientAccountId", &alert.account_id);
    if let Some(sub) = &alert.actor.user_sub {
        let mut extra = Map::new();
        extra.insert("sub".into(), Value::String(sub.clone()));
        record.insert("additionalEventData".into(), Value::Object(extra));
    }
    Value::Object(record)
}

/// Sets `key` when there is a value.
fn put(map: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        map.insert(key.to_string(), Value::String(v.clone()));
    }
}

fn user_identity(alert: &Alert) -> Map<String, Value> {
    let a = &alert.actor;
    let mut id = Map::new();
    put(&mut id, "type", &a.identity_type);
    put(&mut id, "principalId", &a.principal_id);
    put(&mut id, "arn", &a.arn);
    put(&mut id, "accountId", &a.account_id);
    put(&mut id, "accessKeyId", &a.access_key_id);
    put(&mut id, "userName", &a.user_name);
    put(&mut id, "invokedBy", &a.invoked_by);
    if let Some(issuer) = &a.session_issuer {
        let mut i = Map::new();
        put(&mut i, "type", &issuer.kind);
        put(&mut i, "arn", &issuer.arn);
        put(&mut i, "userName", &issuer.user_name);
        let mut context = Map::new();
        context.insert("sessionIssuer".into(), Value::Object(i));
        id.insert("sessionContext".into(), Value::Object(context));
    }
    if let Some(user) = &a.identity_center_user_id {
        let mut on_behalf = Map::new();
        on_behalf.insert("userId".into(), Value::String(user.clone()));
        id.insert("onBehalfOf".into(), Value::Object(on_behalf));
    }
    id
}
