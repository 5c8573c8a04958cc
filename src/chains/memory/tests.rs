use super::super::tests::{chain, hit, min};
use super::*;

#[test]
fn a_full_chain_evicts_its_oldest_group_and_counts_it() {
    let c =
        chain("sequence: {by: [actor], window: 30m, steps: [{name: a}, {name: b}], maxGroups: 3}");
    let mut ev = Evaluator::new(vec![c]);
    // user-0 is the oldest by event time though it arrives last.
    for (i, m) in [(1, 2), (2, 3), (0, 1)] {
        ev.push(0, hit(0, &format!("user-{i}"), min(m), &format!("a-{i}")));
    }
    assert_eq!((ev.open_groups(0), ev.stats().evicted), (3, 0));
    ev.push(0, hit(0, "user-3", min(4), "a-3"));
    assert_eq!((ev.open_groups(0), ev.stats().evicted), (3, 1));
    assert!(ev.state(0, &GroupKey::new(["user-0"])).is_none());
    // The evicted group's chain cannot complete: the cost of the bound.
    assert!(ev.push(0, hit(1, "user-0", min(5), "b-0")).is_empty());
    assert_eq!(ev.push(0, hit(1, "user-3", min(5), "b-3")).len(), 1);
}

#[test]
fn groups_expire_with_their_window() {
    let c = chain("threshold: {by: [actor], window: 10m, gte: 5, lateness: 5m}");
    let mut ev = Evaluator::new(vec![c]);
    for i in 0..100 {
        ev.push(0, hit(0, &format!("user-{i}"), min(0), &format!("e-{i}")));
    }
    assert_eq!(ev.open_groups(0), 100);
    // Kept hits span two windows and the lateness: 25 minutes.
    ev.push(0, hit(0, "late-riser", min(25), "x"));
    assert_eq!(ev.open_groups(0), 101);
    ev.push(0, hit(0, "late-riser", min(26), "y"));
    assert_eq!((ev.open_groups(0), ev.stats().expired), (1, 100));
}

#[test]
fn a_sequence_group_keeps_a_bounded_number_of_hits() {
    let c = chain("sequence: {by: [actor], window: 1h, steps: [{name: a}, {name: b}]}");
    let mut ev = Evaluator::new(vec![c]);
    for s in 0..100 {
        ev.push(0, hit(0, "alice", min(0) + s, &format!("a-{s}")));
    }
    let state = ev.state(0, &GroupKey::new(["alice"])).unwrap();
    assert_eq!(state.hit_count(), crate::chains::HITS_PER_STEP);
    assert_eq!(
        ev.stats().trimmed,
        100 - crate::chains::HITS_PER_STEP as u64
    );
    // The newest openers are the ones kept.
    let fired = ev.push(0, hit(1, "alice", min(5), "b"));
    assert_eq!(fired[0].members[0].event_id, "a-84");
}

#[test]
fn unknown_chains_and_steps_are_counted_not_kept() {
    let mut ev = Evaluator::new(vec![chain("threshold: {window: 10m, gte: 2}")]);
    assert!(ev.push(1, hit(0, "", min(0), "a")).is_empty());
    assert!(ev.push(0, hit(1, "", min(0), "b")).is_empty());
    assert_eq!((ev.stats().unknown, ev.open_groups(0)), (2, 0));
    assert_eq!(ev.watermark(), Some(min(0)));
}
