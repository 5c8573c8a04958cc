//! `scan --posture`: every resource seen, its last known settings and the checks
//! they fail.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{CheckRef, CheckSpec, State};
use crate::settings::ResourceKey;

/// One resource's posture at the end of a scan: its last known settings and the
/// checks they fail (`scan --posture`).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePosture {
    pub resource: ResourceKey,
    pub settings: BTreeMap<String, Value>,
    /// Failing checks, most severe first.
    pub failing: Vec<CheckRef>,
    /// Checks that could not be judged (a setting they read was never seen).
    pub unknown: Vec<String>,
}

/// Judges every resource's last known settings; resources with the most severe
/// failing check come first (then by key).
pub fn report(
    checks: &[CheckSpec],
    resources: impl IntoIterator<Item = (ResourceKey, BTreeMap<String, Value>)>,
) -> Vec<ResourcePosture> {
    let mut out: Vec<ResourcePosture> = resources
        .into_iter()
        .map(|(resource, settings)| {
            let account = Some(resource.account.as_str());
            let mut failing = Vec::new();
            let mut unknown = Vec::new();
            for c in checks.iter().filter(|c| c.resource == resource.kind) {
                match c.state(|n| settings.get(n), account) {
                    State::Fail => failing.push(c.reference()),
                    State::Unknown => unknown.push(c.id.clone()),
                    State::Pass => {}
                }
            }
            failing.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
            ResourcePosture {
                resource,
                settings,
                failing,
                unknown,
            }
        })
        .collect();
    let worst = |p: &ResourcePosture| p.failing.first().map(|f| f.severity);
    out.sort_by(|a, b| {
        worst(b)
            .cmp(&worst(a))
            .then_with(|| b.failing.len().cmp(&a.failing.len()))
            .then_with(|| a.resource.cmp(&b.resource))
    });
    out
}
