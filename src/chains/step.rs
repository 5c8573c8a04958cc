//! [`step`], the pure function every evaluator runs on one hit: in memory for the
//! CLI, or around a store for the Lambda.

use super::chain::{Chain, Kind};
use super::state::{GroupState, Kept, Outcome};
use super::{sequence, threshold, Fired, Hit};

/// The result of [`step`].
#[derive(Debug, Clone)]
pub struct Stepped {
    /// The state to store (delete the item when [`GroupState::is_empty`]).
    pub state: GroupState,
    /// At most one fired chain.
    pub fired: Vec<Fired>,
    /// What happened to the hit.
    pub outcome: Outcome,
    /// Hits dropped to keep the group within its bound.
    pub trimmed: usize,
}

/// Judges one hit against one group's stored state. `watermark` is the latest
/// event time the caller knows (the in-memory evaluator's maximum; the Lambda may
/// pass the invocation's clock, with a lateness that covers delivery delays); the
/// state's own and the hit's time are taken into account too.
pub fn step(chain: &Chain, state: Option<GroupState>, hit: &Hit, watermark: i64) -> Stepped {
    let mut state = state.unwrap_or_default();
    state.watermark = state.watermark.max(watermark).max(hit.time);
    state.prune(chain);
    let done = |state, outcome| Stepped {
        state,
        fired: Vec::new(),
        outcome,
        trimmed: 0,
    };
    if usize::from(hit.step) >= chain.step_names().len() {
        return done(state, Outcome::UnknownStep);
    }
    if hit.time < chain.drop_horizon(state.watermark) {
        return done(state, Outcome::Late);
    }
    let seen = |k: &Kept| k.step == hit.step && k.event_id == hit.event_id;
    if state.hits.iter().any(seen) {
        return done(state, Outcome::Duplicate);
    }
    let kept = Kept {
        time: hit.time,
        event_id: hit.event_id.clone(),
        step: hit.step,
        value: hit.distinct.clone(),
        detail: hit.detail.clone(),
        used: false,
    };
    let (outcome, members, count, trimmed) = match &chain.kind {
        Kind::Threshold { gte, .. } => threshold::add(chain, *gte, &mut state, kept),
        Kind::Sequence { .. } => sequence::add(chain, &mut state, kept),
    };
    let fired = members
        .map(|members| Fired {
            chain: chain.id.clone(),
            group: hit.group.clone(),
            members,
            count,
        })
        .into_iter()
        .collect();
    Stepped {
        state,
        fired,
        outcome,
        trimmed,
    }
}
