//! Sequences: ordered steps within a window, each within its `within` of the
//! previous one, with no `absent` hit strictly between the first and the last.
//!
//! Each fired instance consumes its members (marked used, kept for dedupe), so a
//! hit is in at most one instance. A new hit can only complete an instance that
//! contains it (any other would have fired before), so a search starts from the
//! openers (unused first-step hits) within a window of it, earliest first, with
//! the new hit forced at its own step.

use super::chain::{Chain, Kind};
use super::spec::HITS_PER_STEP;
use super::state::{GroupState, Kept, Outcome};
use super::Member;

/// One layer of the search: for each hit reachable at a step, its index in the
/// state's hits and the position of its predecessor in the previous layer.
pub(super) type Layer = Vec<(usize, usize)>;

/// Adds a hit; fires when it completes an instance.
pub(super) fn add(
    chain: &Chain,
    state: &mut GroupState,
    kept: Kept,
) -> (Outcome, Option<Vec<Member>>, usize, usize) {
    let (step, id) = (kept.step, kept.event_id.clone());
    state.insert(kept);
    let trimmed = trim(state, step);
    if Some(step) == chain.absent_index() {
        return (Outcome::Kept, None, 0, trimmed);
    }
    let Some(new) = state
        .hits
        .iter()
        .position(|k| k.step == step && k.event_id == id)
    else {
        return (Outcome::Kept, None, 0, trimmed);
    };
    let t = state.hits[new].time;
    let openers: Vec<usize> = if step == 0 {
        vec![new]
    } else {
        (0..state.hits.len())
            .filter(|&i| {
                let k = &state.hits[i];
                k.step == 0 && !k.used && k.time <= t && k.time >= t - chain.window
            })
            .collect()
    };
    for opener in openers {
        let layers = layers(chain, &state.hits, opener, Some((step, new)));
        let Some(path) = complete(chain, &state.hits, &layers) else {
            continue;
        };
        for &i in &path {
            state.hits[i].used = true;
        }
        let members: Vec<Member> = path.iter().map(|&i| state.hits[i].member(chain)).collect();
        let count = members.len();
        return (Outcome::Kept, Some(members), count, trimmed);
    }
    (Outcome::Kept, None, 0, trimmed)
}

/// The steps reachable from `opener`, layer by layer, stopping at the first step
/// no hit reaches. `forced`: a step whose only candidate is that hit.
pub(super) fn layers(
    chain: &Chain,
    hits: &[Kept],
    opener: usize,
    forced: Option<(u16, usize)>,
) -> Vec<Layer> {
    let Kind::Sequence { steps, .. } = &chain.kind else {
        return Vec::new();
    };
    let t0 = hits[opener].time;
    let mut layers: Vec<Layer> = vec![vec![(opener, usize::MAX)]];
    for (i, (_, within)) in steps.iter().enumerate().skip(1) {
        let candidates: Vec<usize> = match forced {
            Some((s, idx)) if usize::from(s) == i => vec![idx],
            _ => (0..hits.len())
                .filter(|&c| usize::from(hits[c].step) == i && !hits[c].used)
                .collect(),
        };
        let prev = &layers[i - 1];
        let mut layer = Layer::new();
        for c in candidates {
            let ct = hits[c].time;
            if ct < t0 || ct - t0 > chain.window {
                continue;
            }
            // The first predecessor that fits: which one does not change what
            // the following steps can reach.
            let pred = prev.iter().position(|&(p, _)| {
                let pt = hits[p].time;
                ct >= pt
                    && within.is_none_or(|w| ct - pt <= w)
                    && !on_path(hits, &layers, i - 1, p, &hits[c].event_id)
            });
            if let Some(pred) = pred {
                layer.push((c, pred));
            }
        }
        if layer.is_empty() {
            break;
        }
        layers.push(layer);
    }
    layers
}

/// Whether the path ending at `hits[at]` in layer `layer` already holds `id`
/// (one record matching two steps is not two members).
fn on_path(hits: &[Kept], layers: &[Layer], layer: usize, at: usize, id: &str) -> bool {
    let mut pos = layers[layer].iter().position(|&(i, _)| i == at);
    for l in (0..=layer).rev() {
        let Some(p) = pos else { return false };
        let (idx, pred) = layers[l][p];
        if hits[idx].event_id == id {
            return true;
        }
        pos = (pred != usize::MAX).then_some(pred);
    }
    false
}

/// The members of a complete instance: the earliest last step (the shortest
/// span, so the fewest `absent` hits inside), if no `absent` hit falls strictly
/// between the opener and it.
pub(super) fn complete(chain: &Chain, hits: &[Kept], layers: &[Layer]) -> Option<Vec<usize>> {
    let Kind::Sequence { steps, .. } = &chain.kind else {
        return None;
    };
    if layers.len() < steps.len() {
        return None;
    }
    let t0 = hits[layers[0][0].0].time;
    let last = layers.last()?.iter().min_by_key(|&&(i, _)| hits[i].time)?;
    let t_last = hits[last.0].time;
    let absent = chain.absent_index();
    if hits
        .iter()
        .any(|k| Some(k.step) == absent && k.time > t0 && k.time < t_last)
    {
        return None;
    }
    let mut path = vec![last.0];
    let mut pred = last.1;
    for layer in layers[..layers.len() - 1].iter().rev() {
        let (idx, p) = layer[pred];
        path.push(idx);
        pred = p;
    }
    path.reverse();
    Some(path)
}

/// Keeps at most [`HITS_PER_STEP`] hits of `step`: drops its oldest used hit
/// (kept only to recognise a second delivery), else its oldest.
fn trim(state: &mut GroupState, step: u16) -> usize {
    let mut trimmed = 0;
    loop {
        let of_step = || {
            state
                .hits
                .iter()
                .enumerate()
                .filter(|(_, k)| k.step == step)
        };
        if of_step().count() <= HITS_PER_STEP {
            return trimmed;
        }
        let victim = of_step()
            .find(|(_, k)| k.used)
            .or_else(|| of_step().next())
            .map(|(i, _)| i);
        if let Some(i) = victim {
            state.hits.remove(i);
            trimmed += 1;
        }
    }
}
