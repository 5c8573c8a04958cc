//! An alert as an OCSF 1.6 Detection Finding (class 2004, category Findings) with
//! the cloud profile: the finding, the Cognito resources, the cloud account and
//! region, and the CloudTrail call as its evidence (caller, API, source, record).

use std::net::IpAddr;

use serde_json::{json, Map, Value};

use super::{cloudtrail_record, cognito_resources, event_millis, finding_types, finding_uid};
use super::{partition, PRODUCT_NAME};
use crate::notice::{sns_message_with, Notice, SnsMessage};
use crate::{Alert, Severity};

mod actor;

use actor::{account, actor};

/// The OCSF schema version the findings follow (`metadata.version`); the one the
/// new Security Hub reads.
pub const OCSF_VERSION: &str = "1.6.0";

const CLASS_UID: u64 = 2004;
const CATEGORY_UID: u64 = 2;
/// `activity_id` Create: each alert is a new finding.
const ACTIVITY_CREATE: u64 = 1;

/// The alert as one OCSF Detection Finding (see `docs/findings.md` for every
/// field). `time` is the event's time (0 when the record had none); the caller of
/// the API is the evidence's `actor` (OCSF 1.6 gives this class a top-level actor
/// only through the host profile, which describes a device).
pub fn ocsf_finding(alert: &Alert) -> Value {
    let uid = finding_uid(alert);
    let time = event_millis(alert);
    let (severity_id, severity) = severity(alert.severity);
    let suppressed = alert.suppressed_by.is_some();
    let (status_id, status) = if suppressed {
        (3, "Suppressed")
    } else {
        (1, "New")
    };
    let mut finding = json!({
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "time": time.unwrap_or(0),
        "timezone_offset": 0,
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "is_alert": !suppressed,
        "message": alert.rule_title,
        "metadata": metadata(alert, &uid),
        "finding_info": finding_info(alert, &uid, time),
        "cloud": cloud(alert),
        "api": api(alert, &uid),
        "resources": resources(alert),
        "evidences": [evidence(alert, &uid)],
        "unmapped": unmapped(alert),
    });
    if !alert.risks.is_empty() {
        finding["risk_details"] = Value::String(alert.risks.join("\n"));
    }
    finding
}

/// The `sqs` and `lambda` bodies of [`sns_message_ocsf`]: an alert as
/// [`ocsf_finding`] with `metadata.is_truncated`; a digest or an unreadable-file
/// notice (no OCSF class fits them) as in the default message, with `truncated`.
pub fn ocsf_machine_body(notice: &Notice, truncated: bool) -> Value {
    match notice {
        Notice::Alert(alert) => {
            let mut finding = ocsf_finding(alert);
            finding["metadata"]["is_truncated"] = Value::Bool(truncated);
            finding
        }
        _ => {
            let mut body = notice.json();
            body["truncated"] = Value::Bool(truncated);
            body
        }
    }
}

/// `notice::sns_message` with the OCSF form in the `sqs` and `lambda` bodies (the
/// email, default and Chatbot bodies unchanged), shortened to fit the same way.
pub fn sns_message_ocsf(notice: &Notice) -> SnsMessage {
    sns_message_with(notice, ocsf_machine_body)
}

/// OCSF `severity_id` and its caption.
fn severity(s: Severity) -> (u64, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

fn metadata(alert: &Alert, uid: &str) -> Value {
    let mut metadata = json!({
        "version": OCSF_VERSION,
        "product": {
            "name": PRODUCT_NAME,
            "vendor_name": PRODUCT_NAME,
            "version": env!("CARGO_PKG_VERSION"),
        },
        "profiles": ["cloud"],
        "uid": uid,
    });
    if let Some(t) = &alert.event_time {
        metadata["original_time"] = Value::String(t.clone());
    }
    metadata
}

fn finding_info(alert: &Alert, uid: &str, time: Option<i64>) -> Value {
    let rule = |id: &str| json!({"uid": id, "type_id": 1, "type": "Rule"});
    let mut analytic = rule(&alert.rule_id);
    analytic["name"] = Value::String(alert.rule_title.clone());
    let mut info = json!({
        "uid": uid,
        "title": alert.rule_title,
        "desc": alert.description,
        "types": finding_types(alert),
        "analytic": analytic,
        "data_sources": ["AWS CloudTrail"],
    });
    if let Some(t) = time {
        for key in ["created_time", "first_seen_time", "last_seen_time"] {
            info[key] = json!(t);
        }
    }
    if let Some(url) = &alert.runbook {
        info["src_url"] = Value::String(url.clone());
    }
    if !alert.also_matched.is_empty() {
        let related: Vec<Value> = alert.also_matched.iter().map(|id| rule(id)).collect();
        info["related_analytics"] = Value::Array(related);
    }
    info
}

fn cloud(alert: &Alert) -> Value {
    let mut cloud = json!({"provider": "AWS"});
    if let Some(region) = &alert.region {
        cloud["region"] = Value::String(region.clone());
        cloud["cloud_partition"] = Value::String(partition(region).into());
    }
    if let Some(id) = &alert.account_id {
        cloud["account"] = account(id);
        if let Some(name) = &alert.account_name {
            cloud["account"]["name"] = Value::String(name.clone());
        }
    }
    cloud
}

/// The call: operation, service, request (its uid is the event id: the alert
/// keeps no `requestID`), and the error of a refused call.
fn api(alert: &Alert, uid: &str) -> Value {
    let mut api = json!({
        "operation": alert.event_name.as_deref().unwrap_or("unknown"),
        "request": {"uid": alert.event_id.as_deref().unwrap_or(uid)},
    });
    if let Some(source) = &alert.event_source {
        api["service"] = json!({"name": source});
    }
    if let Some(code) = &alert.outcome.error_code {
        let mut response = json!({"error": code});
        if let Some(message) = &alert.outcome.error_message {
            response["error_message"] = Value::String(message.clone());
        }
        api["response"] = response;
    }
    api
}

fn resources(alert: &Alert) -> Vec<Value> {
    let region = alert.region.as_deref();
    let mut out: Vec<Value> = cognito_resources(alert)
        .into_iter()
        .map(|r| {
            let mut v = json!({"type": r.kind.cloudformation_type(), "uid": r.uid()});
            if let Some(name) = &r.name {
                v["name"] = Value::String(name.clone());
            }
            if let Some(region) = region {
                v["region"] = Value::String(region.into());
                v["cloud_partition"] = Value::String(partition(region).into());
            }
            let mut data = Map::new();
            data.insert("id".into(), Value::String(r.id.clone()));
            if let Some(pool) = &r.user_pool_id {
                data.insert("userPoolId".into(), Value::String(pool.clone()));
            }
            v["data"] = Value::Object(data);
            v
        })
        .collect();
    if out.is_empty() {
        if let Some(id) = &alert.account_id {
            out.push(json!({"type": "AWS Account", "uid": id}));
        }
    }
    out
}

/// The CloudTrail call as evidence: who (`actor`), what (`api`), from where
/// (`src_endpoint`, `http_request.user_agent`), and the record itself (`data`).
fn evidence(alert: &Alert, uid: &str) -> Value {
    let mut evidence = json!({
        "name": "CloudTrail record",
        "api": api(alert, uid),
        "data": cloudtrail_record(alert),
    });
    if let Some(id) = &alert.event_id {
        evidence["uid"] = Value::String(id.clone());
    }
    if let Some(actor) = actor(alert) {
        evidence["actor"] = actor;
    }
    if let Some(source) = &alert.source_ip {
        evidence["src_endpoint"] = match source.parse::<IpAddr>() {
            Ok(_) => json!({"ip": source}),
            // An AWS service calling on a principal's behalf logs its own name.
            Err(_) => json!({"domain": source}),
        };
    }
    if let Some(agent) = &alert.user_agent {
        evidence["http_request"] = json!({"user_agent": agent});
    }
    evidence
}

/// What the alert says that OCSF has no attribute for.
fn unmapped(alert: &Alert) -> Value {
    let mut out = json!({
        "rule_id": alert.rule_id,
        "source": to_value(&alert.source),
        "outcome": alert.outcome.status,
    });
    let mut put = |key: &str, value: Value| {
        out[key] = value;
    };
    if !alert.changes.is_empty() {
        put("changes", to_value(&alert.changes));
    }
    if let Some(why) = &alert.changes_unavailable {
        put("changes_unavailable", to_value(why));
    }
    if !alert.checks.is_empty() {
        put("checks", to_value(&alert.checks));
    }
    if let Some(chain) = &alert.chain {
        put("chain", to_value(chain));
    }
    if let Some(id) = &alert.suppressed_by {
        put("suppressed_by", to_value(id));
    }
    if let Some(sub) = &alert.actor.user_sub {
        put("user_sub", to_value(sub));
    }
    if let Some(lookup) = &alert.actor.user_lookup {
        put("user_lookup", to_value(lookup));
    }
    out
}

/// A serialized alert part (these plain structs always serialize).
fn to_value<T: serde::Serialize + ?Sized>(part: &T) -> Value {
    serde_json::to_value(part).unwrap_or(Value::Null)
}
