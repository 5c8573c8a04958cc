//! A chain's alert: built on the record that completed the chain, naming every
//! member ([`ChainDetail`]).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Alert;
use crate::chains::{format_event_time, format_span, Fired};
use crate::rules::chain::ChainRule;

/// What a chain's alert adds: the chain, its group and every member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainDetail {
    /// `threshold`, `sequence` or `all`.
    pub kind: &'static str,
    /// The values of the chain's `by` fields the members share.
    pub group: BTreeMap<String, String>,
    /// The chain's window, like `15m`.
    pub window: String,
    /// A threshold: hits (or distinct values) counted; a sequence: its steps.
    pub count: usize,
    /// Every member, oldest first.
    pub members: Vec<ChainMember>,
}

/// One record of a fired chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainMember {
    pub event_id: String,
    pub event_time: String,
    /// The step it matched.
    pub step: String,
    /// What it did: operation, who, on what, outcome, and the alert it made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did: Option<String>,
    /// Its `distinct` value, for a threshold that counts them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl ChainDetail {
    /// The key that makes two firings of a chain the same (exactly-once): the
    /// chain, its group and its first member.
    pub fn key(&self, chain: &str) -> String {
        let first = self.members.first().map_or("", |m| m.event_id.as_str());
        let group: Vec<&str> = self.group.values().map(String::as_str).collect();
        format!("{chain}#{}#{first}", group.join("#"))
    }
}

impl Alert {
    /// The alert of `rule`'s chain that fired (`fired`), on the record that
    /// completed it (`base`, from [`Alert::of_record`]).
    pub fn for_chain(rule: &ChainRule, fired: &Fired, base: &Alert) -> Alert {
        let mut alert = base.clone();
        alert.rule_id = rule.id.clone();
        alert.rule_title = rule.title.clone();
        alert.severity = rule.tuned_severity();
        alert.description = rule.description.clone();
        alert.runbook = rule.runbook.clone();
        alert.risks = rule.risks.clone();
        let members: Vec<ChainMember> = fired
            .members
            .iter()
            .map(|m| ChainMember {
                event_id: m.event_id.clone(),
                event_time: format_event_time(m.time),
                // `all` counts its steps by name: the value is the step.
                step: match rule.kind {
                    "all" => m.value.clone().unwrap_or_default(),
                    _ => m.step_name.clone(),
                },
                did: m.detail.clone(),
                value: m.value.clone().filter(|_| rule.kind != "all"),
            })
            .collect();
        let alerted = members
            .iter()
            .filter(|m| {
                m.did
                    .as_deref()
                    .is_some_and(|d| d.contains("; its own alert: "))
            })
            .count();
        if alerted > 0 {
            alert.risks.push(format!(
                "This chain includes {alerted} record(s) that were alerted on by themselves; \
                 those alerts went out separately."
            ));
        }
        let names = rule.by_names();
        alert.chain = Some(ChainDetail {
            kind: rule.kind,
            group: names
                .iter()
                .cloned()
                .zip(fired.group.0.iter().cloned())
                .collect(),
            window: format_span(rule.chain.window()),
            count: fired.count,
            members,
        });
        alert
    }
}
