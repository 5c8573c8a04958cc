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
        for fired in evaluator.push(h.hit.chain, h.hit.hit.clone()) {
            alerts.push(h.chain_alert(rules, &fired));
        }
    }
    let stats = evaluator.stats().clone();
    (ChainRun { alerts, stats }, evaluator)
}
