//! The alert model: what changed, who did it, when, where, with what outcome and
//! which risks, built from one record and the rule that matched it.

pub mod account;
mod chain;
mod checks;
mod resource;
mod text;
mod user;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use account::AccountNames;
pub use chain::ChainDetail;
pub use checks::{CheckLine, PostureChange};
pub use resource::Resource;
pub(crate) use text::clean as clean_text;
pub use text::render_text;
pub use user::{describe_user, CognitoUser, LookupStatus, UserLookup};

use crate::rules::Verdict;
use crate::settings::Change;
use crate::trail::Record;
use crate::Severity;

/// Where a record came from: a local file, a log file in S3, or an EventBridge
/// "AWS API Call via CloudTrail" event (the fast path). Serialized with `path`
/// (`file`, `s3`, `eventbridge`) beside the variant's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File { file: String },
    S3 { bucket: String, key: String },
    EventBridge { event_id: String },
}

impl Origin {
    /// Which delivery path: `file`, `s3` or `eventbridge` (a metric dimension too).
    pub fn path(&self) -> &'static str {
        match self {
            Origin::File { .. } => "file",
            Origin::S3 { .. } => "s3",
            Origin::EventBridge { .. } => "eventbridge",
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("path", self.path())?;
        match self {
            Origin::File { file } => map.serialize_entry("file", file)?,
            Origin::S3 { bucket, key } => {
                map.serialize_entry("bucket", bucket)?;
                map.serialize_entry("key", key)?;
            }
            Origin::EventBridge { event_id } => map.serialize_entry("event_id", event_id)?,
        }
        map.end()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { file } => f.write_str(file),
            Origin::S3 { bucket, key } => write!(f, "s3://{bucket}/{key}"),
            Origin::EventBridge { event_id } => write!(f, "EventBridge event {event_id}"),
        }
    }
}

/// The origin plus the record's position in the `Records` array (0-based).
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    #[serde(flatten)]
    pub origin: Origin,
    pub record_index: u64,
}

/// Whether the call succeeded.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// `success` or `failed`.
    pub status: &'static str,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// The role or user behind an assumed-role session.
#[derive(Debug, Clone, Serialize)]
pub struct Issuer {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub arn: Option<String>,
    pub user_name: Option<String>,
}

/// Who made the call.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Actor {
    pub identity_type: Option<String>,
    pub arn: Option<String>,
    pub account_id: Option<String>,
    pub principal_id: Option<String>,
    pub user_name: Option<String>,
    pub access_key_id: Option<String>,
    pub session_issuer: Option<Issuer>,
    /// The AWS service that made the call on the principal's behalf.
    pub invoked_by: Option<String>,
    /// IAM Identity Center user id, for `IdentityCenterUser` sessions.
    pub identity_center_user_id: Option<String>,
    /// Cognito logs the user's `sub`, not the user name, for user-specific requests.
    pub user_sub: Option<String>,
    /// How to find that user, and what a lookup found (`ENRICH_USERS`).
    pub user_lookup: Option<UserLookup>,
}

/// One alert: one record, judged by the rule that won.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub rule_id: String,
    pub rule_title: String,
    pub severity: Severity,
    pub description: String,
    pub runbook: Option<String>,
    pub risks: Vec<String>,
    /// Other rules that also fired on this record (lower or equal severity).
    pub also_matched: Vec<String>,
    pub event_id: Option<String>,
    pub event_time: Option<String>,
    pub event_source: Option<String>,
    pub event_name: Option<String>,
    pub account_id: Option<String>,
    /// The account's name, from the overlays' `accounts:` or a later source
    /// ([`Alert::name_account`]); shown beside the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub region: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub outcome: Outcome,
    pub actor: Actor,
    pub resource: Resource,
    /// As logged, redaction markers (`HIDDEN_DUE_TO_SECURITY_REASONS`) included.
    pub request_parameters: Option<Value>,
    /// The tracked settings the request changes (or sets on a resource never seen),
    /// each with what it was before; restated values are left out.
    pub changes: Vec<Change>,
    /// Why the previous values are unknown, when the settings cache could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes_unavailable: Option<String>,
    /// The posture checks the change breaks, fixes, or leaves failing.
    #[serde(skip_serializing_if = "PostureChange::is_empty")]
    pub checks: PostureChange,
    /// A chain's alert: the chain and every member (`None` for one record's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<ChainDetail>,
    pub source: Source,
    /// The overlay suppression that hides this alert (only shown on request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed_by: Option<String>,
    /// An expired suppression that would have hidden it (the risks say so).
    #[serde(skip)]
    pub expired_suppression: Option<String>,
}

fn own(s: &Option<std::borrow::Cow<'_, str>>) -> Option<String> {
    s.as_deref().map(str::to_string)
}

impl Alert {
    /// Builds the alert for `record`, which `verdict` judged.
    pub fn new(verdict: &Verdict, record: &Record, source: Source) -> Alert {
        let mut alert = Alert::of_record(record, source);
        let failed = alert.failed();
        alert.rule_id = verdict.rule.id.clone();
        alert.rule_title = verdict.rule.title.clone();
        alert.severity = verdict.finding.severity;
        alert.description = verdict.rule.description.trim().to_string();
        alert.runbook = verdict.rule.runbook.clone();
        alert.risks = verdict.finding.risks.clone();
        alert.also_matched = verdict.also_matched.iter().map(|s| s.to_string()).collect();
        alert.changes = verdict
            .changes
            .items
            .iter()
            .filter(|c| c.is_news())
            .cloned()
            .collect();
        alert.changes_unavailable = verdict.changes.cache_error.as_ref().map(|e| e.to_string());
        alert.checks = PostureChange::from_assessments(&verdict.finding.assessments, failed);
        alert.suppressed_by = suppression(verdict, false);
        alert.expired_suppression = suppression(verdict, true);
        alert
    }

    /// What `record` says about itself (the event, who, where, the outcome), with
    /// no rule yet: the base of [`Alert::new`] and of a chain's alert.
    pub fn of_record(record: &Record, source: Source) -> Alert {
        let request = record.request_parameters.clone();
        let resource = Resource::extract(request.as_ref(), record.response_elements.as_ref());
        let mut actor = actor(record);
        actor.user_sub = record
            .additional_event_data
            .as_ref()
            .and_then(|e| e.get("sub").or_else(|| e.get("userSub")))
            .and_then(Value::as_str)
            .map(str::to_string);
        actor.user_lookup = actor.user_sub.as_deref().map(|sub| {
            UserLookup::hint_only(user::hint(
                sub,
                resource.user_pool_id.as_deref(),
                record.aws_region.as_deref(),
            ))
        });
        let failed = record.error_code().is_some();
        Alert {
            rule_id: String::new(),
            rule_title: String::new(),
            severity: Severity::Info,
            description: String::new(),
            runbook: None,
            risks: Vec::new(),
            also_matched: Vec::new(),
            event_id: own(&record.event_id),
            event_time: own(&record.event_time),
            event_source: own(&record.event_source),
            event_name: own(&record.event_name),
            account_id: record.account_id().map(str::to_string),
            account_name: None,
            region: own(&record.aws_region),
            source_ip: own(&record.source_ip_address),
            user_agent: own(&record.user_agent),
            outcome: Outcome {
                status: if failed { "failed" } else { "success" },
                error_code: record.error_code().map(str::to_string),
                error_message: own(&record.error_message).filter(|m| !m.is_empty()),
            },
            actor,
            resource,
            request_parameters: request,
            changes: Vec::new(),
            changes_unavailable: None,
            checks: PostureChange::default(),
            chain: None,
            source,
            suppressed_by: None,
            expired_suppression: None,
        }
    }

    /// Whether the call behind this alert failed (an attempt, not a change).
    pub fn failed(&self) -> bool {
        self.outcome.error_code.is_some()
    }
}

/// The id of the verdict's suppression, if it is (not) expired.
fn suppression(verdict: &Verdict, expired: bool) -> Option<String> {
    let hit = verdict.suppression.as_ref()?;
    (hit.expired == expired).then(|| hit.id.clone())
}

fn actor(record: &Record) -> Actor {
    let Some(id) = &record.user_identity else {
        return Actor::default();
    };
    let issuer = id
        .session_context
        .as_ref()
        .and_then(|s| s.session_issuer.as_ref());
    Actor {
        identity_type: own(&id.kind),
        arn: own(&id.arn),
        account_id: own(&id.account_id),
        principal_id: own(&id.principal_id),
        user_name: own(&id.user_name),
        access_key_id: own(&id.access_key_id),
        session_issuer: issuer.map(|i| Issuer {
            kind: own(&i.kind),
            arn: own(&i.arn),
            user_name: own(&i.user_name),
        }),
        invoked_by: own(&id.invoked_by),
        identity_center_user_id: id.on_behalf_of.as_ref().and_then(|o| own(&o.user_id)),
        user_sub: None,
        user_lookup: None,
    }
}
