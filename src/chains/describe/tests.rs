use super::super::tests::{chain, hit, min};
use super::super::{Evaluator, GroupKey};

#[test]
fn a_sequence_says_which_steps_it_has_and_what_is_missing() {
    let c = chain(
        "sequence: {by: [actor], window: 30m, steps: [{name: a}, {name: b}, {name: c}], absent: x}",
    );
    let mut ev = Evaluator::new(vec![c]);
    ev.push(0, hit(0, "alice", min(0), "a-1"));
    ev.push(0, hit(1, "alice", min(2), "b-1"));
    let p = ev.describe(0, &GroupKey::new(["alice"])).unwrap();
    assert_eq!(p.missing, ["c"]);
    assert_eq!(p.window_closes, Some(min(30)));
    assert_eq!(p.steps[1].hits, [(min(2), "b-1".to_owned())]);
    assert!(!p.cancelled);
    assert_eq!(
        p.to_string(),
        "chain test.chain for [alice]: window closes 2026-11-10T09:30:00Z
  seen a: 2026-11-10T09:00:00Z (a-1)
  seen b: 2026-11-10T09:02:00Z (b-1)
  missing c: none
  absent x: none
  still needs: c
"
    );
    // An absent hit inside: all steps there, cancelled.
    ev.push(0, hit(3, "alice", min(3), "x-1"));
    ev.push(0, hit(2, "alice", min(4), "c-1"));
    let p = ev.describe(0, &GroupKey::new(["alice"])).unwrap();
    assert!(p.missing.is_empty() && p.cancelled);
    assert_eq!(p.steps[3].hits, [(min(3), "x-1".to_owned())]);
    assert!(ev.describe(0, &GroupKey::new(["bob"])).is_none());
}

#[test]
fn a_threshold_says_how_many_more_it_needs_and_when_it_fired() {
    let c = chain("threshold: {by: [actor], window: 10m, gte: 4, distinct: pool}");
    let mut ev = Evaluator::new(vec![c]);
    let pool = |m: i64, id: &str, p: &str| super::super::Hit {
        distinct: Some(p.into()),
        ..hit(0, "alice", min(m), id)
    };
    ev.push(0, pool(0, "a", "p1"));
    ev.push(0, pool(1, "b", "p1"));
    ev.push(0, pool(2, "c", "p2"));
    let p = ev.describe(0, &GroupKey::new(["alice"])).unwrap();
    assert_eq!(p.missing, ["2 more distinct values of pool"]);
    // Two windows hold two pools; the later one closes later.
    assert_eq!((p.window_closes, p.muted_until), (Some(min(11)), None));
    assert_eq!(
        p.steps[0].hits,
        [(min(1), "b".to_owned()), (min(2), "c".to_owned())]
    );
    ev.push(0, pool(3, "d", "p3"));
    ev.push(0, pool(4, "e", "p4"));
    assert_eq!(ev.stats().fired, 1);
    let p = ev.describe(0, &GroupKey::new(["alice"])).unwrap();
    assert_eq!(p.muted_until, Some(min(10)));
    assert!(
        p.to_string()
            .ends_with("  fired; quiet until 2026-11-10T09:10:00Z\n"),
        "{p}"
    );
}
