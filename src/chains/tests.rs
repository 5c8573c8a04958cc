//! The evaluator's behaviour through its public API, with synthetic times.

use super::*;

/// 2026-11-10T09:00:00Z
pub(super) const T0: i64 = 1_794_301_200;

pub(super) fn min(m: i64) -> i64 {
    T0 + m * 60
}

pub(super) fn chain(yaml: &str) -> Chain {
    let spec: ChainSpec = serde_yaml_ng::from_str(yaml).unwrap();
    Chain::new("test.chain", &spec).unwrap()
}

pub(super) fn hit(step: u16, actor: &str, time: i64, id: &str) -> Hit {
    Hit {
        step,
        group: GroupKey::new([actor]),
        distinct: None,
        time,
        event_id: id.to_owned(),
        detail: None,
    }
}

fn ids(fired: &[Fired]) -> Vec<Vec<&str>> {
    fired
        .iter()
        .map(|f| f.members.iter().map(|m| m.event_id.as_str()).collect())
        .collect()
}

const DELETES: &str = "threshold: {by: [actor], window: 10m, gte: 3}";
const MFA_THEN_ADMIN: &str = "sequence:
  by: [actor]
  window: 30m
  steps: [{name: mfa-off}, {name: admin-created}]
  absent: mfa-on";

#[test]
fn a_threshold_fires_once_when_a_window_reaches_gte() {
    let mut ev = Evaluator::new(vec![chain(DELETES)]);
    assert!(ev.push(0, hit(0, "alice", min(0), "a")).is_empty());
    assert!(ev.push(0, hit(0, "alice", min(2), "b")).is_empty());
    let fired = ev.push(0, hit(0, "alice", min(4), "c"));
    assert_eq!(ids(&fired), [["a", "b", "c"]]);
    assert_eq!(fired[0].count, 3);
    assert_eq!(fired[0].group, GroupKey::new(["alice"]));
    assert_eq!(fired[0].members[2].time, min(4));
    // More of the same burst, and up to the end of the fired window: quiet.
    for (m, id) in [(5, "d"), (6, "e"), (7, "f"), (10, "g")] {
        assert!(ev.push(0, hit(0, "alice", min(m), id)).is_empty());
    }
    assert_eq!(ev.stats().muted, 4);
    // Once the window that fired has passed, a new burst fires again.
    assert!(ev.push(0, hit(0, "alice", min(11), "h")).is_empty());
    assert!(ev.push(0, hit(0, "alice", min(12), "i")).is_empty());
    assert_eq!(
        ids(&ev.push(0, hit(0, "alice", min(13), "j"))),
        [["h", "i", "j"]]
    );
    assert_eq!(ev.stats().fired, 2);
}

#[test]
fn a_threshold_counts_by_event_time_whatever_the_arrival_order_and_once_per_event() {
    let mut ev = Evaluator::new(vec![chain(DELETES)]);
    // The fast path's event, then the file's records (late and in reverse), then
    // the same file again: one alert.
    assert!(ev.push(0, hit(0, "alice", min(8), "c")).is_empty());
    assert!(ev.push(0, hit(0, "alice", min(8), "c")).is_empty());
    assert!(ev.push(0, hit(0, "alice", min(5), "b")).is_empty());
    assert!(ev.push(0, hit(0, "alice", min(5), "b")).is_empty());
    let fired = ev.push(0, hit(0, "alice", min(1), "a"));
    assert_eq!(ids(&fired), [["a", "b", "c"]]);
    for (m, id) in [(1, "a"), (5, "b"), (8, "c")] {
        assert!(ev.push(0, hit(0, "alice", min(m), id)).is_empty());
    }
    assert_eq!(
        (ev.stats().fired, ev.stats().duplicates + ev.stats().muted),
        (1, 5)
    );
}

#[test]
fn a_threshold_spread_beyond_its_window_or_over_two_actors_does_not_fire() {
    let mut ev = Evaluator::new(vec![chain(DELETES)]);
    for (m, id) in [(0, "a"), (6, "b"), (12, "c"), (18, "d"), (24, "e")] {
        assert!(ev.push(0, hit(0, "alice", min(m), id)).is_empty(), "{id}");
    }
    let mut ev = Evaluator::new(vec![chain(DELETES)]);
    assert!(ev.push(0, hit(0, "alice", min(0), "a")).is_empty());
    assert!(ev.push(0, hit(0, "alice", min(1), "b")).is_empty());
    assert!(ev.push(0, hit(0, "bob", min(2), "c")).is_empty());
    assert!(ev.push(0, hit(0, "bob", min(3), "d")).is_empty());
    assert_eq!(ev.stats().fired, 0);
    // The window's bounds are inclusive: 0, 5 and 10 minutes are within 10m.
    let fired = ev.push(0, hit(0, "alice", min(10), "e"));
    assert_eq!(ids(&fired), [["a", "b", "e"]]);
}

#[test]
fn a_distinct_threshold_counts_values_not_hits() {
    let c = chain("threshold: {by: [actor], window: 10m, gte: 3, distinct: pool}");
    let mut ev = Evaluator::new(vec![c]);
    let pool = |m: i64, id: &str, p: &str| Hit {
        distinct: Some(p.into()),
        ..hit(0, "alice", min(m), id)
    };
    for (m, id) in [(0, "a"), (1, "b"), (2, "c"), (3, "d")] {
        assert!(ev.push(0, pool(m, id, "pool-1")).is_empty());
    }
    assert!(ev.push(0, pool(4, "e", "pool-2")).is_empty());
    let fired = ev.push(0, pool(5, "f", "pool-3"));
    assert_eq!(fired[0].count, 3);
    assert_eq!(fired[0].members.len(), 6);
    assert_eq!(fired[0].members[5].value.as_deref(), Some("pool-3"));
}

#[test]
fn a_distinct_threshold_keeps_rare_values_through_a_flood_of_one() {
    let c = chain("threshold: {by: [actor], window: 10m, gte: 3, distinct: pool}");
    let mut ev = Evaluator::new(vec![c]);
    let pool = |t: i64, id: String, p: &str| Hit {
        distinct: Some(p.into()),
        ..hit(0, "alice", t, &id)
    };
    assert!(ev.push(0, pool(min(0), "a".into(), "pool-1")).is_empty());
    for s in 0..200 {
        assert!(ev
            .push(0, pool(min(1) + s, format!("flood-{s}"), "pool-2"))
            .is_empty());
    }
    assert!(ev.stats().trimmed > 0);
    assert!(ev.state(0, &GroupKey::new(["alice"])).unwrap().hit_count() <= 16);
    let fired = ev.push(0, pool(min(5), "z".into(), "pool-3"));
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].members[0].event_id, "a");
}

#[test]
fn an_old_hit_never_opens_an_expired_window_and_is_counted() {
    // Window 10m, lateness 15m: at a watermark of 60m, hits before 35m are late.
    let mut ev = Evaluator::new(vec![chain(DELETES)]);
    ev.push(0, hit(0, "bob", min(60), "now"));
    for (m, id) in [(0, "a"), (1, "b"), (2, "c"), (34, "d")] {
        assert!(ev.push(0, hit(0, "alice", min(m), id)).is_empty());
    }
    assert_eq!(ev.stats().late, 4);
    assert_eq!(ev.state(0, &GroupKey::new(["alice"])), None);
    // Within the lateness they still count.
    for (m, id) in [(35, "e"), (36, "f")] {
        assert!(ev.push(0, hit(0, "alice", min(m), id)).is_empty());
    }
    assert_eq!(
        ids(&ev.push(0, hit(0, "alice", min(37), "g"))),
        [["e", "f", "g"]]
    );
    // A lateness of zero drops anything older than one window.
    let strict = chain("threshold: {by: [actor], window: 10m, gte: 3, lateness: 0s}");
    let mut ev = Evaluator::new(vec![strict]);
    ev.push(0, hit(0, "bob", min(60), "now"));
    ev.push(0, hit(0, "alice", min(49), "late"));
    ev.push(0, hit(0, "alice", min(50), "kept"));
    assert_eq!(ev.stats().late, 1);
}

#[test]
fn a_sequence_fires_once_whichever_step_arrives_first() {
    for order in [[0, 1], [1, 0]] {
        let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
        let hits = [
            hit(0, "alice", min(0), "off"),
            hit(1, "alice", min(5), "create"),
        ];
        let mut fired = ev.push(0, hits[order[0]].clone());
        assert!(fired.is_empty());
        fired = ev.push(0, hits[order[1]].clone());
        assert_eq!(ids(&fired), [["off", "create"]], "{order:?}");
        assert_eq!(fired[0].members[1].step_name, "admin-created");
        assert_eq!(fired[0].count, 2);
        // The file after the fast path, or a retry: nothing more.
        for h in hits.iter().chain(hits.iter()) {
            assert!(ev.push(0, h.clone()).is_empty());
        }
        assert_eq!((ev.stats().fired, ev.stats().duplicates), (1, 4));
    }
}

#[test]
fn a_sequence_out_of_order_beyond_its_window_or_over_two_actors_does_not_fire() {
    let cases: [[Hit; 2]; 3] = [
        [
            hit(0, "alice", min(0), "off"),
            hit(1, "alice", min(31), "create"),
        ],
        [
            hit(1, "alice", min(0), "create"),
            hit(0, "alice", min(5), "off"),
        ],
        [
            hit(0, "alice", min(0), "off"),
            hit(1, "bob", min(5), "create"),
        ],
    ];
    for case in cases {
        let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
        for h in case.iter().chain(case.iter().rev()) {
            assert!(ev.push(0, h.clone()).is_empty(), "{case:?}");
        }
    }
    // Exactly the window apart still fires.
    let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
    ev.push(0, hit(0, "alice", min(0), "off"));
    assert_eq!(ev.push(0, hit(1, "alice", min(30), "create")).len(), 1);
}

#[test]
fn an_absent_step_between_cancels_the_chain_in_any_arrival_order() {
    let off = hit(0, "alice", min(0), "off");
    let on = hit(2, "alice", min(2), "on");
    let create = hit(1, "alice", min(5), "create");
    for order in [
        [&off, &on, &create],
        [&on, &create, &off],
        [&create, &on, &off],
    ] {
        let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
        for h in order {
            assert!(ev.push(0, h.clone()).is_empty());
        }
    }
    // Before the first step or after the last, it cancels nothing.
    let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
    ev.push(0, hit(2, "alice", min(0), "on-before"));
    ev.push(0, hit(0, "alice", min(1), "off"));
    ev.push(0, hit(2, "alice", min(9), "on-after"));
    assert_eq!(
        ids(&ev.push(0, hit(1, "alice", min(5), "create"))),
        [["off", "create"]]
    );
    // A later first step starts an instance the absent hit is not inside.
    let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
    for h in [off, on, hit(0, "alice", min(3), "off-2")] {
        assert!(ev.push(0, h).is_empty());
    }
    assert_eq!(ids(&ev.push(0, create.clone())), [["off-2", "create"]]);
}

#[test]
fn each_step_keeps_its_transition_limit() {
    let c = chain(
        "sequence: {by: [actor], window: 1h, steps: [{name: a}, {name: b, within: 2m}, {name: c}]}",
    );
    let mut ev = Evaluator::new(vec![c]);
    ev.push(0, hit(0, "alice", min(0), "a"));
    ev.push(0, hit(2, "alice", min(6), "c"));
    assert!(ev.push(0, hit(1, "alice", min(5), "b-too-late")).is_empty());
    assert_eq!(
        ids(&ev.push(0, hit(1, "alice", min(1), "b"))),
        [["a", "b", "c"]]
    );
}

#[test]
fn members_are_used_once_and_one_record_is_one_member() {
    let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
    ev.push(0, hit(0, "alice", min(0), "off-1"));
    ev.push(0, hit(0, "alice", min(1), "off-2"));
    assert_eq!(
        ids(&ev.push(0, hit(1, "alice", min(5), "create-1"))),
        [["off-1", "create-1"]]
    );
    assert_eq!(
        ids(&ev.push(0, hit(1, "alice", min(6), "create-2"))),
        [["off-2", "create-2"]]
    );
    assert!(ev.push(0, hit(1, "alice", min(7), "create-3")).is_empty());
    // One record matching both steps does not complete the chain by itself.
    let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
    assert!(ev.push(0, hit(0, "bob", min(0), "both")).is_empty());
    assert!(ev.push(0, hit(1, "bob", min(0), "both")).is_empty());
    assert_eq!(ev.stats().duplicates, 0);
}

#[test]
fn an_absent_hit_after_the_chain_fired_takes_nothing_back() {
    let mut ev = Evaluator::new(vec![chain(MFA_THEN_ADMIN)]);
    ev.push(0, hit(0, "alice", min(0), "off"));
    assert_eq!(ev.push(0, hit(1, "alice", min(5), "create")).len(), 1);
    assert!(ev
        .push(0, hit(2, "alice", min(2), "on-from-a-late-file"))
        .is_empty());
    assert_eq!(ev.stats().fired, 1);
}
