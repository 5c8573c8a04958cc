//! Alerts as findings for other tools (issue 22, parts 4 and 5), pure: no SDK, no
//! clock. Two forms of one alert:
//!
//! - an OCSF 1.6 **Detection Finding** (class 2004, [`ocsf_finding`]): what
//!   `scan --format ocsf` prints and what [`sns_message_ocsf`] puts in the SNS
//!   message's `sqs` and `lambda` bodies;
//! - an ASFF finding for Security Hub's `BatchImportFindings` ([`asff_finding`]),
//!   with the batching that call needs ([`import_batches`]).
//!
//! Both name the finding by the alert's claim key ([`finding_uid`]), so the same
//! event seen twice (by EventBridge, then in its log file) is one finding, and a
//! retried import updates the finding instead of adding a second one. Both classify
//! it the same way ([`finding_types`]) and name the same Cognito resources
//! ([`cognito_resources`]). The field-by-field mapping is in `docs/findings.md`.

mod asff;
mod batch;
mod ocsf;
mod record;
mod resources;

pub use asff::{asff_finding, finding_id, product_arn, Importer, MAX_FINDING_BYTES};
pub use batch::{import_batches, ImportBatch, MAX_BATCH_BYTES, MAX_FINDINGS_PER_BATCH};
pub use ocsf::{ocsf_finding, ocsf_machine_body, sns_message_ocsf, OCSF_VERSION};
pub use record::cloudtrail_record;
pub use resources::{cognito_resources, CognitoResource, ResourceKind};

use crate::claim::alert_key;
use crate::rules::catalogue::{Catalogue, Class};
use crate::Alert;

/// The product both formats name as the finding's source (OCSF
/// `metadata.product`, ASFF `ProductName` and `CompanyName`, the prefix of ASFF
/// `ProductFields` keys).
pub const PRODUCT_NAME: &str = "cognito-trail-alerts";

/// The finding type of a change that breaks or leaves failing a posture check:
/// this prefix, then the check's title.
pub const TYPE_CHECK: &str = "Software and Configuration Checks/AWS Security Best Practices";
/// The finding type of any other configuration change (and of an operation the
/// catalogue does not know).
pub const TYPE_CONFIG_CHANGE: &str =
    "Software and Configuration Checks/AWS Security Best Practices/Cognito Configuration Change";
/// The finding type of an administrator's write on a user or identity
/// (`Class::AdminWrite`: passwords, groups, attributes, links): MITRE ATT&CK's
/// Account Manipulation, a persistence technique.
pub const TYPE_ACCOUNT_MANIPULATION: &str = "TTPs/Persistence/Account Manipulation";

/// The finding's one name in both formats: the alert's claim key (the same key
/// the state table claims its notice under, without an object version), written
/// `alert#<account>#<eventID>`, `chainalert#<chain>#<group>#<first member>` for a
/// chain's alert, or `object#<origin>#record#<index>` for an alert whose record
/// has no usable event id.
pub fn finding_uid(alert: &Alert) -> String {
    let key = alert_key(alert, None);
    if key.sk == "alert" {
        key.pk
    } else {
        format!("{}#{}", key.pk, key.sk)
    }
}

/// How both formats classify the alert, as ASFF `Types` (`namespace/category/
/// classifier`; OCSF `finding_info.types` carries the same strings): one type per
/// posture check the change breaks or leaves failing ([`TYPE_CHECK`]`/<title>`),
/// then [`TYPE_ACCOUNT_MANIPULATION`] for an administrator's write on a user, or
/// [`TYPE_CONFIG_CHANGE`] for anything else that broke no check. Never empty.
pub fn finding_types(alert: &Alert) -> Vec<String> {
    let mut types: Vec<String> = alert
        .checks
        .failed
        .iter()
        .chain(&alert.checks.still_failing)
        .map(|line| format!("{TYPE_CHECK}/{}", line.check.title))
        .collect();
    types.dedup();
    if operation_class(alert) == Some(Class::AdminWrite) {
        types.push(TYPE_ACCOUNT_MANIPULATION.to_string());
    } else if types.is_empty() {
        types.push(TYPE_CONFIG_CHANGE.to_string());
    }
    types
}

/// What the alert's operation is, by the bundled catalogue; `None` for an
/// operation it does not list (a fallback alert, another service).
fn operation_class(alert: &Alert) -> Option<Class> {
    let (source, name) = (alert.event_source.as_deref()?, alert.event_name.as_deref()?);
    let catalogue = Catalogue::bundled().ok()?;
    catalogue.find(source, name).map(|op| op.class)
}

pub use crate::trail::layout::partition;

/// The alert's `eventTime` in milliseconds since the Unix epoch (OCSF's
/// `timestamp_t`); `None` when missing or not CloudTrail's format.
fn event_millis(alert: &Alert) -> Option<i64> {
    let time = alert.event_time.as_deref()?;
    crate::chains::parse_event_time(time).ok().map(|s| s * 1000)
}

/// `text` cut to at most `max` characters (Unicode scalar values), ending in `…`
/// when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => {
            let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
            out.push('…');
            out
        }
    }
}

#[cfg(test)]
mod tests;
