//! Chains evaluated in memory over a run's hits (the CLI, `rules explain`, the
//! inline cases): sorted by event time first, since a backfill reads files
//! region by region and the evaluator drops what is older than its watermark
//! allows.

use super::judge::StepHit;
use crate::alert::Alert;
use crate::chains::{Evaluator, Stats};
use crate::rules::RuleSet;

/// What evaluating a run's hits gave.
#[derive(Debug, Default)]
pub struct ChainRun {
    /// The chains' alerts, in the order they fired.
    pub alerts: Vec<Alert>,
    /// The evaluator's counters.
    pub stats: Stats,
}

/// Evaluates `hits` (any order) against the set's chains; the evaluator is
/// returned too, for `rules explain`'s progress.
pub fn evaluate_hits(rules: &RuleSet, mut hits: Vec<StepHit>) -> (ChainRun, Evaluator) {
    // Stable: hits of one record (same time) keep their order.
    hits.sort_by_key(|h| h.hit.hit.time);
    let chains = rules.chains();
    let mut evaluator = Evaluator::new(chains.iter().map(|c| c.chain.clone()).collect());
    let mut alerts = Vec::new();
    for h in hits {
        let index = h.hit.chain;
        for fired in evaluator.push(index, h.hit.hit) {
            let base = h.record.alert(rules);
            let mut alert = Alert::for_chain(&chains[index], &fired, &base);
            if let Some(s) = &h.hit.suppression {
                match s.expired {
                    false => alert.suppressed_by = Some(s.id.clone()),
                    true => alert.expired_suppression = Some(s.id.clone()),
                }
            }
            alerts.push(alert);
        }
    }
    let stats = evaluator.stats().clone();
    (ChainRun { alerts, stats }, evaluator)
}
