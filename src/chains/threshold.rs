//! Thresholds: `gte` hits, or hits with `gte` distinct values, within a window.
//!
//! Invariant: outside fired windows, no window of kept hits reaches `gte` (each
//! insertion checks the windows containing the new hit), so a new hit fires at
//! most one window, the earliest one it completes. After firing, hits within a
//! window of its start (either side) are muted: they belong to the same burst,
//! whichever order they arrive in.

use std::collections::HashMap;

use super::chain::Chain;
use super::state::{GroupState, Kept, Outcome};
use super::Member;

/// How many hits a threshold group keeps: `4 × gte`, at least 16. Outside fired
/// windows a window holds fewer than `gte` counted hits, and kept hits span two
/// windows and the lateness, so this is what the window needs unless the lateness
/// is much longer than the window; a distinct count evicts repeated values first.
pub(super) fn cap(gte: u32) -> usize {
    (gte as usize * 4).max(16)
}

/// Adds a hit; fires when a window containing it reaches `gte`.
pub(super) fn add(
    chain: &Chain,
    gte: u32,
    state: &mut GroupState,
    kept: Kept,
) -> (Outcome, Option<Vec<Member>>, usize, usize) {
    let w = chain.window;
    if state
        .fired
        .iter()
        .any(|&start| (kept.time - start).abs() <= w)
    {
        return (Outcome::Muted, None, 0, 0);
    }
    let t = kept.time;
    state.insert(kept);
    let trimmed = trim(state, cap(gte), chain.distinct().is_some());
    let Some((start, end, count)) = window_reaching(state, t, w, gte as usize, chain) else {
        return (Outcome::Kept, None, 0, trimmed);
    };
    let members = state.hits[start..end]
        .iter()
        .map(|k| k.member(chain))
        .collect();
    let fired_at = state.hits[start].time;
    state.fired.push(fired_at);
    state.hits.retain(|k| (k.time - fired_at).abs() > w);
    (Outcome::Kept, Some(members), count, trimmed)
}

/// The earliest window `[s, s + w]` containing `t` whose hits reach `gte`: the
/// range of hits in it and their count (of hits, or of distinct values).
fn window_reaching(
    state: &GroupState,
    t: i64,
    w: i64,
    gte: usize,
    chain: &Chain,
) -> Option<(usize, usize, usize)> {
    let hits = &state.hits;
    let distinct = chain.distinct().is_some();
    let first = hits.partition_point(|k| k.time < t - w);
    // Values are tracked only for a distinct count: counting hits needs none.
    let mut values: HashMap<&str, u32> = HashMap::new();
    let mut end = first;
    for start in first..hits.len() {
        let s = hits[start].time;
        if s > t {
            break;
        }
        while end < hits.len() && hits[end].time <= s + w {
            if distinct {
                *values.entry(value(&hits[end])).or_default() += 1;
            }
            end += 1;
        }
        let count = if distinct { values.len() } else { end - start };
        if count >= gte {
            return Some((start, end, count));
        }
        if !distinct {
            continue;
        }
        let v = value(&hits[start]);
        if let Some(n) = values.get_mut(v) {
            *n -= 1;
            if *n == 0 {
                values.remove(v);
            }
        }
    }
    None
}

/// A hit without a value counts as the empty value.
fn value(k: &Kept) -> &str {
    k.value.as_deref().unwrap_or("")
}

/// Keeps at most `cap` hits: drops the oldest, or for a distinct count the
/// oldest whose value a newer hit repeats (so a flood of one value cannot push
/// the other values out).
fn trim(state: &mut GroupState, cap: usize, distinct: bool) -> usize {
    let mut trimmed = 0;
    while state.hits.len() > cap {
        let repeated = distinct.then(|| first_repeated(&state.hits)).flatten();
        state.hits.remove(repeated.unwrap_or(0));
        trimmed += 1;
    }
    trimmed
}

/// The oldest hit whose value a newer hit has too.
fn first_repeated(hits: &[Kept]) -> Option<usize> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for k in hits {
        *counts.entry(value(k)).or_default() += 1;
    }
    hits.iter().position(|k| counts[value(k)] > 1)
}
