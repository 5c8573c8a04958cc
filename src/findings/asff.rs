//! An alert as a Security Hub finding in the AWS Security Finding Format (ASFF,
//! schema `2018-10-08`) for `BatchImportFindings` through the importing account's
//! default product (a custom integration), within Security Hub's limits.

use serde_json::{json, Map, Value};

use super::PRODUCT_NAME;
use super::{clip, cloudtrail_record, cognito_resources, finding_types, finding_uid, partition};
use crate::claim::fnv1a;
use crate::{Alert, Severity};

/// Security Hub's limit for one finding (240 KB), counted in bytes of JSON.
pub const MAX_FINDING_BYTES: usize = 240_000;
/// ASFF's limits on single fields, in characters.
const MAX_ID: usize = 512;
const MAX_TITLE: usize = 256;
const MAX_DESCRIPTION: usize = 1024;
/// `ProductFields`: at most 50 pairs, values of at most 2,048 characters. Security
/// Hub adds three of its own (`aws/securityhub/...`), so at most 47 are sent.
const MAX_PRODUCT_FIELDS: usize = 47;
const MAX_FIELD_VALUE: usize = 2048;
/// `Details.Other` values: fewer than 1,024 characters.
const MAX_OTHER_VALUE: usize = 1023;
/// Room kept below [`MAX_FINDING_BYTES`] when filling in the record.
const SLACK_BYTES: usize = 1024;

/// Where a finding is imported: the account whose Security Hub receives it
/// (`AwsAccountId`, and the account of the default product's ARN), the region of
/// the Security Hub endpoint, and the time of the import (`UpdatedAt`, ISO 8601,
/// passed in: the library never reads the clock).
#[derive(Debug, Clone, Copy)]
pub struct Importer<'a> {
    pub account_id: &'a str,
    pub region: &'a str,
    pub updated_at: &'a str,
}

/// The ARN of an account's default product in a region, which a custom
/// integration imports its findings under:
/// `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`.
pub fn product_arn(account_id: &str, region: &str) -> String {
    let partition = partition(region);
    format!("arn:{partition}:securityhub:{region}:{account_id}:product/{account_id}/default")
}

/// The finding's `Id`: [`finding_uid`](super::finding_uid), fixed per alert, so
/// importing it again updates the finding. Over 512 characters (an alert keyed by
/// a very long S3 key), its first 495 characters and a hash of the whole.
pub fn finding_id(alert: &Alert) -> String {
    let uid = finding_uid(alert);
    if uid.chars().count() <= MAX_ID {
        return uid;
    }
    let head: String = uid.chars().take(MAX_ID - 17).collect();
    format!("{head}#{:016x}", fnv1a(uid.as_bytes()))
}

/// The alert as an ASFF finding imported by `importer` (see `docs/findings.md`
/// for every field). The record goes to `ProductFields` in pieces of 2,048
/// characters (`cognito-trail-alerts/Record/00`, `/01`...), as many as fit in 47
/// fields and 240 KB; `cognito-trail-alerts/RecordTruncated` says whether some
/// were left out. `Note` is left to analysts: an import would overwrite theirs.
pub fn asff_finding(alert: &Alert, importer: Importer<'_>) -> Value {
    let created = alert.event_time.as_deref().unwrap_or(importer.updated_at);
    let mut description = clip(&alert.description, MAX_DESCRIPTION);
    if description.trim().is_empty() {
        description = clip(&alert.rule_title, MAX_DESCRIPTION);
    }
    let mut finding = json!({
        "SchemaVersion": "2018-10-08",
        "Id": finding_id(alert),
        "ProductArn": product_arn(importer.account_id, importer.region),
        "ProductName": PRODUCT_NAME,
        "CompanyName": PRODUCT_NAME,
        "GeneratorId": clip(&alert.rule_id, MAX_ID),
        "AwsAccountId": importer.account_id,
        "Types": finding_types(alert),
        "CreatedAt": created,
        "UpdatedAt": importer.updated_at,
        "FirstObservedAt": created,
        "LastObservedAt": created,
        "Severity": {"Label": label(alert.severity), "Original": alert.severity.as_str()},
        "Title": clip(&alert.rule_title, MAX_TITLE),
        "Description": description,
        "Resources": resources(alert),
        "RecordState": "ACTIVE",
    });
    if let Some(url) = &alert.runbook {
        finding["SourceUrl"] = Value::String(url.clone());
        finding["Remediation"] = json!({"Recommendation": {"Url": url}});
    }
    if let Some(action) = action(alert) {
        finding["Action"] = action;
    }
    finding["ProductFields"] = Value::Object(Map::new());
    let mut fields = product_fields(alert);
    let size = serde_json::to_vec(&finding).map_or(0, |b| b.len()) + entries_bytes(&fields);
    add_record(&mut fields, &cloudtrail_record(alert).to_string(), size);
    finding["ProductFields"] = Value::Object(fields);
    finding
}

/// ASFF `Severity.Label`.
fn label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "INFORMATIONAL",
        Severity::Low => "LOW",
        Severity::Medium => "MEDIUM",
        Severity::High => "HIGH",
        Severity::Critical => "CRITICAL",
    }
}

/// The Cognito resources as `Other` (ASFF has no Cognito resource type), each
/// with its CloudFormation type and identifiers under `Details.Other`; the
/// account (`AwsAccount`, `AWS::::Account:<id>`) when the request named none.
fn resources(alert: &Alert) -> Vec<Value> {
    let region = alert.region.as_deref();
    let place = |v: &mut Value| {
        if let Some(region) = region {
            v["Partition"] = Value::String(partition(region).into());
            v["Region"] = Value::String(region.into());
        }
    };
    let mut out: Vec<Value> = cognito_resources(alert)
        .into_iter()
        .take(32)
        .map(|r| {
            let mut other = Map::new();
            let mut put = |key: &str, value: &str| {
                other.insert(key.into(), Value::String(clip(value, MAX_OTHER_VALUE)));
            };
            put("Type", r.kind.cloudformation_type());
            put("Id", &r.id);
            if let Some(name) = &r.name {
                put("Name", name);
            }
            if let Some(pool) = &r.user_pool_id {
                put("UserPoolId", pool);
            }
            let mut v = json!({"Type": "Other", "Id": r.uid(), "Details": {"Other": other}});
            place(&mut v);
            v
        })
        .collect();
    if out.is_empty() {
        let account = alert.account_id.as_deref().unwrap_or("unknown");
        let mut v = json!({"Type": "AwsAccount", "Id": format!("AWS::::Account:{account}")});
        place(&mut v);
        out.push(v);
    }
    out
}

/// The call as an `AWS_API_CALL` action: API, service, caller (IPv4 address, or
/// the AWS service's domain) and time.
fn action(alert: &Alert) -> Option<Value> {
    let mut call = json!({
        "Api": alert.event_name.as_deref()?,
        "ServiceName": alert.event_source.as_deref()?,
    });
    if let Some(t) = &alert.event_time {
        call["FirstSeen"] = Value::String(t.clone());
        call["LastSeen"] = Value::String(t.clone());
    }
    if let Some(source) = &alert.source_ip {
        match source.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(_)) => {
                call["CallerType"] = json!("remoteip");
                call["RemoteIpDetails"] = json!({"IpAddressV4": source});
            }
            Ok(std::net::IpAddr::V6(_)) => call["CallerType"] = json!("remoteip"),
            Err(_) => {
                call["CallerType"] = json!("domain");
                call["DomainDetails"] = json!({"Domain": source});
            }
        }
    }
    Some(json!({"ActionType": "AWS_API_CALL", "AwsApiCallAction": call}))
}

/// The `ProductFields` key of `field`.
fn key(field: &str) -> String {
    format!("{PRODUCT_NAME}/{field}")
}

/// What the alert says beyond ASFF's own fields, one value of at most 2,048
/// characters each (lists one item a line).
fn product_fields(alert: &Alert) -> Map<String, Value> {
    let mut fields = Map::new();
    let mut put = |field: &str, value: Option<String>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            fields.insert(key(field), Value::String(clip(&v, MAX_FIELD_VALUE)));
        }
    };
    let changes: Vec<String> = alert.changes.iter().map(|c| c.describe()).collect();
    put("RuleId", Some(alert.rule_id.clone()));
    put("EventId", alert.event_id.clone());
    put("EventSource", alert.event_source.clone());
    put("EventName", alert.event_name.clone());
    put("AccountId", alert.account_id.clone());
    put("AccountName", alert.account_name.clone());
    put("Region", alert.region.clone());
    put("SourceIp", alert.source_ip.clone());
    put("UserAgent", alert.user_agent.clone());
    put("ActorArn", alert.actor.arn.clone());
    put("Outcome", Some(alert.outcome.status.to_string()));
    put("ErrorCode", alert.outcome.error_code.clone());
    put("Risks", Some(alert.risks.join("\n")));
    put("Changes", Some(changes.join("\n")));
    put("AlsoMatched", Some(alert.also_matched.join(", ")));
    put("Origin", Some(alert.source.origin.to_string()));
    put("Chain", alert.chain.as_ref().map(chain_members));
    fields
}

/// A chain alert's members, one a line: time, event id, step.
fn chain_members(chain: &crate::alert::ChainDetail) -> String {
    let lines: Vec<String> = chain
        .members
        .iter()
        .map(|m| format!("{} {} {}", m.event_time, m.event_id, m.step))
        .collect();
    lines.join("\n")
}

/// Bytes `fields` adds to a finding's JSON (each `"key":"value",`).
fn entries_bytes(fields: &Map<String, Value>) -> usize {
    fields.iter().map(|(k, v)| entry_bytes(k, v)).sum()
}

fn entry_bytes(key: &str, value: &Value) -> usize {
    let text = |v: &Value| serde_json::to_string(v).map_or(0, |s| s.len());
    text(&Value::String(key.into())) + 1 + text(value) + 1
}

/// Adds `record` in pieces of 2,048 characters while they fit both the field
/// count and the finding's byte budget (`size`: the finding without them), then
/// how many pieces there are and whether any were left out.
fn add_record(fields: &mut Map<String, Value>, record: &str, mut size: usize) {
    let reserved = 2; // RecordPieces and RecordTruncated
    let room = MAX_PRODUCT_FIELDS.saturating_sub(fields.len() + reserved);
    let budget = MAX_FINDING_BYTES - SLACK_BYTES;
    let chars: Vec<char> = record.chars().collect();
    let pieces = chars.chunks(MAX_FIELD_VALUE);
    let total = pieces.len();
    let mut added = 0;
    for piece in pieces.take(room) {
        let (k, v) = (
            key(&format!("Record/{added:02}")),
            Value::String(piece.iter().collect()),
        );
        let bytes = entry_bytes(&k, &v);
        if size + bytes > budget {
            break;
        }
        size += bytes;
        fields.insert(k, v);
        added += 1;
    }
    fields.insert(key("RecordPieces"), json!(added.to_string()));
    fields.insert(key("RecordTruncated"), json!((added < total).to_string()));
}
