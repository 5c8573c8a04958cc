//! Change sets (issue 22): the alerts one actor (same account, principal and
//! session) made within a short window, in one file or one invocation (one
//! `terraform apply`, one stack update, one console session), published as one
//! message per channel instead of one message per alert.
//!
//! - [`change_sets`] groups alerts ([`Window`], 2 minutes by default);
//! - a [`ChangeSet`] renders as a subject (the highest severity first), an email
//!   (a header, each alert's subject line, then each alert's text), a Chatbot
//!   notification (a header, each alert a short line) and machine JSON (the header
//!   and an `alerts` array holding each alert whole, as its own message would);
//! - [`sns_parts`] builds the SNS messages of a set, split into numbered parts
//!   that each fit SNS and Chatbot, never dropping an alert, each listing its
//!   members' claim keys so the publisher keeps exactly-once per alert.
//!
//! A change set of one alert renders exactly as that alert's own notice does. The
//! [`Notice`] type is unchanged: change sets are a way to publish alert notices.

mod chatbot;
mod group;
mod render;
mod sns;
mod tool;

use std::collections::BTreeMap;

use serde::Serialize;

pub use chatbot::CHATBOT_DESCRIPTION_MAX;
pub use group::{change_sets, Window, DEFAULT_WINDOW_SECS, MAX_WINDOW_SECS};
pub use sns::{sns_parts, sns_parts_with, ChangeSetPart};
pub use tool::{detect, detect_from, Tool};

use super::Notice;
use crate::chains::parse_event_time;
use crate::claim::{claim_key, Key};
use crate::{Alert, Severity};

/// The alerts of one actor's burst of changes, in event-time order (never empty).
/// Each member is kept as the alert notice it would otherwise be sent as.
#[derive(Debug, Clone)]
pub struct ChangeSet {
    members: Vec<Notice>,
}

impl ChangeSet {
    /// A change set of `alerts`, in the order given.
    ///
    /// # Panics
    /// When `alerts` is empty: a change set has at least one member.
    pub fn of(alerts: Vec<Alert>) -> ChangeSet {
        assert!(!alerts.is_empty(), "a change set has at least one alert");
        ChangeSet {
            members: alerts
                .into_iter()
                .map(|a| Notice::Alert(Box::new(a)))
                .collect(),
        }
    }

    /// The members, in order.
    pub fn alerts(&self) -> impl Iterator<Item = &Alert> + '_ {
        self.members.iter().filter_map(|n| match n {
            Notice::Alert(a) => Some(a.as_ref()),
            _ => None,
        })
    }

    /// The members as the alert notices each would be sent as alone.
    pub fn notices(&self) -> &[Notice] {
        &self.members
    }

    /// The members, taken out.
    pub fn into_alerts(self) -> Vec<Alert> {
        self.members
            .into_iter()
            .filter_map(|n| match n {
                Notice::Alert(a) => Some(*a),
                _ => None,
            })
            .collect()
    }

    /// How many alerts.
    pub fn count(&self) -> usize {
        self.members.len()
    }

    /// The highest severity of the members.
    pub fn severity(&self) -> Severity {
        self.alerts()
            .map(|a| a.severity)
            .max()
            .unwrap_or(Severity::Info)
    }

    /// The tool most members' records name ([`Tool::Unknown`] if none does).
    pub fn tool(&self) -> Tool {
        tool::most_named(self.alerts().map(detect))
    }

    /// Each member's claim key (see [`claim_key`]), in member order: what the
    /// publisher claims, one per alert, before sending.
    pub fn claim_keys(&self, version: Option<&str>) -> Vec<Key> {
        self.members.iter().map(|n| claim_key(n, version)).collect()
    }

    /// The set without the members `keep` refuses (given each member's position
    /// and alert), or `None` when none is left: what a retry sends once some
    /// members' claims say they were delivered.
    pub fn retain(self, mut keep: impl FnMut(usize, &Alert) -> bool) -> Option<ChangeSet> {
        let members: Vec<Notice> = self
            .members
            .into_iter()
            .enumerate()
            .filter(|(i, n)| matches!(n, Notice::Alert(a) if keep(*i, a)))
            .map(|(_, n)| n)
            .collect();
        (!members.is_empty()).then_some(ChangeSet { members })
    }

    /// What the whole set is: who, how many, how severe, with which tool, when.
    pub fn header(&self) -> Header {
        let first = self.alerts().next().expect("never empty");
        let mut by_severity = BTreeMap::new();
        let mut regions: Vec<String> = Vec::new();
        for a in self.alerts() {
            *by_severity.entry(a.severity).or_insert(0) += 1;
            if let Some(r) = a.region.as_ref().filter(|r| !regions.contains(r)) {
                regions.push(r.clone());
            }
        }
        let times: Vec<(i64, &str)> = self
            .alerts()
            .filter_map(|a| a.event_time.as_deref())
            .filter_map(|t| parse_event_time(t).ok().map(|s| (s, t)))
            .collect();
        let first_time = times.iter().min().map(|t| t.1.to_string());
        let last_time = times.iter().max().map(|t| t.1.to_string());
        let span_secs = times
            .iter()
            .max()
            .zip(times.iter().min())
            .map(|(l, f)| l.0 - f.0);
        let tool = self.tool();
        Header {
            kind: "change_set",
            id: first.event_id.clone(),
            count: self.count(),
            failed: self.alerts().filter(|a| a.failed()).count(),
            severity: self.severity(),
            by_severity,
            tool,
            tool_name: tool.name(),
            user_agent: self
                .alerts()
                .find(|a| detect(a) == tool)
                .and_then(|a| a.user_agent.clone()),
            who: Who::of(first),
            account_id: first.account_id.clone(),
            account_name: first.account_name.clone(),
            regions,
            first_event_time: first_time,
            last_event_time: last_time,
            span_secs,
        }
    }
}

/// The header of a change set, as its machine JSON carries it (`kind`:
/// `change_set`).
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub kind: &'static str,
    /// The event id of the set's first alert: the same set of the same file has
    /// the same id on a retry.
    pub id: Option<String>,
    pub count: usize,
    /// Members whose call failed (attempts, not changes).
    pub failed: usize,
    /// The highest severity of the members.
    pub severity: Severity,
    pub by_severity: BTreeMap<Severity, usize>,
    pub tool: Tool,
    pub tool_name: &'static str,
    /// The user agent of a member made with that tool, as logged.
    pub user_agent: Option<String>,
    pub who: Who,
    pub account_id: Option<String>,
    /// The account's name (an overlay's `accounts:` or Organizations), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    pub regions: Vec<String>,
    pub first_event_time: Option<String>,
    pub last_event_time: Option<String>,
    /// Seconds from the first member's event time to the last's.
    pub span_secs: Option<i64>,
}

/// Who made a change set's changes.
#[derive(Debug, Clone, Serialize)]
pub struct Who {
    pub identity_type: Option<String>,
    pub arn: Option<String>,
    pub principal_id: Option<String>,
    pub access_key_id: Option<String>,
    /// The role behind an assumed-role session.
    pub role: Option<String>,
    /// A short name: `role/deployer`, `user/Alice`, `root`, `federated-user/Bob`.
    pub short: String,
}

impl Who {
    fn of(a: &Alert) -> Who {
        let actor = &a.actor;
        Who {
            identity_type: actor.identity_type.clone(),
            arn: actor.arn.clone(),
            principal_id: actor.principal_id.clone(),
            access_key_id: actor.access_key_id.clone(),
            role: actor.session_issuer.as_ref().and_then(|i| i.arn.clone()),
            short: short_name(actor.arn.as_deref(), actor.principal_id.as_deref()),
        }
    }
}

/// `role/ROLE` for `arn:...:assumed-role/ROLE/SESSION`, `user/NAME` for a user
/// (its path left out), the resource part of other ARNs, else the principal id.
fn short_name(arn: Option<&str>, principal_id: Option<&str>) -> String {
    let resource = arn.and_then(|arn| arn.splitn(6, ':').nth(5));
    match resource {
        Some(r) if r.starts_with("assumed-role/") => {
            let role = r.split('/').nth(1).unwrap_or("");
            format!("role/{role}")
        }
        Some(r) if r.starts_with("user/") => {
            format!("user/{}", r.rsplit('/').next().unwrap_or(""))
        }
        Some(r) if !r.is_empty() => r.to_string(),
        _ => principal_id
            .filter(|p| !p.is_empty())
            .unwrap_or("an unknown actor")
            .to_string(),
    }
}

#[cfg(test)]
mod tests;
