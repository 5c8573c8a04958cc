//! Chains across files, invocations, containers and both paths: a file's (or an
//! API event's) chain hits stepped against the state table.
//!
//! Per (chain, group) the hits touch: one read, then the step of every hit (in
//! event time) in memory, then, once the file's notices are delivered, one
//! write conditional on the version read. Writing after delivery is what makes
//! a chain's alert exactly-once with the claims: a failed delivery fails the
//! invocation before any state is written, so the retry steps the same hits
//! again, fires the same chain and the claim store drops what was already sent.
//! A write that finds another invocation's version reads again and steps the
//! hits on that state; what fires then is delivered at once (its state is
//! already written: the one window where an alert could be lost, counted as
//! `ChainConflicts`). A read or write that fails leaves the chain unevaluated
//! (`ChainsUnevaluated`); the file's own alerts go out regardless.

use std::collections::BTreeMap;

use cognito_trail_alerts::chains::{step, store_key, GroupKey};
use cognito_trail_alerts::engine::StepHit;
use cognito_trail_alerts::{Alert, RuleSet};
use tracing::warn;

use crate::ports::{ChainStore, StoredGroup, Written};

/// Extra time a state is kept past its last event (delivery delays, backfills).
const TTL_SLACK_SECS: u64 = 86_400;
/// Reads of one group after a conflicting write, at most.
const CONFLICT_ROUNDS: usize = 3;

/// One group's hits and what stepping them made.
#[derive(Debug)]
pub struct Group {
    chain: usize,
    key: String,
    hits: Vec<StepHit>,
    stored: Option<StoredGroup>,
    state: cognito_trail_alerts::chains::GroupState,
}

/// A file's hits, stepped but not yet written.
#[derive(Debug, Default)]
pub(crate) struct FileChains {
    /// The chains' alerts, to deliver with the file's own.
    pub alerts: Vec<Alert>,
    pub(crate) groups: Vec<Group>,
    /// Hits whose group could not be read.
    pub unevaluated: u64,
}

/// What writing a file's groups gave.
#[derive(Debug, Default)]
pub(crate) struct Committed {
    /// Alerts that fired on another invocation's newer state: deliver them now.
    pub late_alerts: Vec<Alert>,
    /// Groups whose hits could not be saved.
    pub unevaluated: u64,
    pub conflicts: u64,
}

/// Steps `hits` against `store`: one read per group.
pub(crate) async fn step_hits<S: ChainStore>(
    store: &S,
    rules: &RuleSet,
    hits: Vec<StepHit>,
) -> FileChains {
    let mut by_group: BTreeMap<(usize, GroupKey), Vec<StepHit>> = BTreeMap::new();
    for h in hits {
        let key = (h.hit.chain, h.hit.hit.group.clone());
        by_group.entry(key).or_default().push(h);
    }
    let mut out = FileChains::default();
    for ((chain, group), mut hits) in by_group {
        hits.sort_by_key(|h| h.hit.hit.time);
        let key = store_key(&rules.chains()[chain].chain, &group);
        match store.load(&key).await {
            Ok(stored) => {
                let (state, alerts) = run(rules, chain, stored.as_ref(), &hits);
                out.alerts.extend(alerts);
                out.groups.push(Group {
                    chain,
                    key,
                    hits,
                    stored,
                    state,
                });
            }
            Err(e) => {
                warn!(chain = %rules.chains()[chain].id, error = %e, "chain state cannot be read");
                out.unevaluated += hits.len() as u64;
            }
        }
    }
    out
}

/// Steps a group's hits on its stored state: the new state and what fired.
fn run(
    rules: &RuleSet,
    chain: usize,
    stored: Option<&StoredGroup>,
    hits: &[StepHit],
) -> (cognito_trail_alerts::chains::GroupState, Vec<Alert>) {
    let rule = &rules.chains()[chain];
    let mut state = stored.map(|s| s.state.clone());
    let mut alerts = Vec::new();
    for h in hits {
        let stepped = step(&rule.chain, state.take(), &h.hit.hit, h.hit.hit.time);
        alerts.extend(stepped.fired.iter().map(|f| h.chain_alert(rules, f)));
        state = Some(stepped.state);
    }
    (state.unwrap_or_default(), alerts)
}

/// Writes each group stepped (after the file's notices were delivered).
pub(crate) async fn write<S: ChainStore>(
    store: &S,
    rules: &RuleSet,
    groups: Vec<Group>,
    now: u64,
) -> Committed {
    let mut out = Committed::default();
    for mut g in groups {
        let rule = &rules.chains()[g.chain];
        for round in 0..CONFLICT_ROUNDS {
            let expires = (g.state.expires_at(&rule.chain).max(0) as u64).max(now) + TTL_SLACK_SECS;
            let version = g.stored.as_ref().map(|s| s.version);
            match store.save(&g.key, &g.state, version, expires).await {
                Ok(Written::Saved) => break,
                Ok(Written::Conflict) if round + 1 < CONFLICT_ROUNDS => {
                    out.conflicts += 1;
                    match store.load(&g.key).await {
                        Ok(stored) => {
                            let (state, alerts) = run(rules, g.chain, stored.as_ref(), &g.hits);
                            out.late_alerts.extend(alerts);
                            (g.stored, g.state) = (stored, state);
                        }
                        Err(e) => {
                            warn!(chain = %rule.id, error = %e, "chain state cannot be read again");
                            out.unevaluated += g.hits.len() as u64;
                            break;
                        }
                    }
                }
                Ok(Written::Conflict) | Err(_) => {
                    warn!(chain = %rule.id, key = %g.key, "chain state not saved");
                    out.unevaluated += g.hits.len() as u64;
                    break;
                }
            }
        }
    }
    out
}
