use std::collections::HashMap;

use super::super::tests::{chain, hit, min};
use super::*;
use crate::chains::{step, Evaluator, Fired, GroupKey, Hit};

const SEQ: &str = "sequence: {by: [actor], window: 30m, steps: [{name: mfa-off}, {name: admin-created}], absent: mfa-on}";

/// A key-value store of JSON items, as the Lambda keeps them (one per group),
/// counting its calls.
#[derive(Default)]
struct Store {
    items: HashMap<String, String>,
    gets: usize,
    puts: usize,
}

impl Store {
    /// One hit: one read, one write (or delete).
    fn judge(&mut self, chain: &Chain, h: &Hit, now: i64) -> Vec<Fired> {
        let key = store_key(chain, &h.group);
        self.gets += 1;
        let state = self
            .items
            .get(&key)
            .map(|json| serde_json::from_str(json).unwrap());
        let out = step(chain, state, h, now);
        self.puts += 1;
        if out.state.is_empty() {
            self.items.remove(&key);
        } else {
            self.items
                .insert(key, serde_json::to_string(&out.state).unwrap());
        }
        out.fired
    }
}

#[test]
fn a_store_backed_evaluator_matches_the_in_memory_one_with_one_read_and_write_per_hit() {
    let c = chain(SEQ);
    let hits = [
        hit(1, "alice", min(5), "create"),
        hit(0, "bob", min(1), "bob-off"),
        hit(0, "alice", min(0), "off"),
        hit(1, "alice", min(5), "create"),
        hit(2, "bob", min(2), "bob-on"),
        hit(1, "bob", min(3), "bob-create"),
        hit(0, "alice", min(0), "off"),
    ];
    let mut store = Store::default();
    let mut memory = Evaluator::new(vec![c.clone()]);
    let (mut from_store, mut from_memory) = (Vec::new(), Vec::new());
    let mut watermark = i64::MIN;
    for h in &hits {
        watermark = watermark.max(h.time);
        from_store.extend(store.judge(&c, h, watermark));
        from_memory.extend(memory.push(0, h.clone()));
    }
    assert_eq!(from_store, from_memory);
    assert_eq!(from_store.len(), 1);
    assert_eq!((store.gets, store.puts), (hits.len(), hits.len()));
    assert_eq!(store.items.len(), 2);
}

#[test]
fn the_state_is_compact_json_and_reads_back_the_same() {
    let c = chain(SEQ);
    let h = Hit {
        distinct: None,
        ..hit(0, "alice", min(0), "3f1c9a52-6f0e-4e43-9d7a-1b2c3d4e5f60")
    };
    let state = step(&c, None, &h, min(0)).state;
    let json = serde_json::to_string(&state).unwrap();
    assert_eq!(
        json,
        r#"{"w":1794301200,"h":[{"t":1794301200,"e":"3f1c9a52-6f0e-4e43-9d7a-1b2c3d4e5f60"}]}"#
    );
    let h2 = hit(2, "alice", min(1), "9b2d4e6f-0a1b-4c3d-8e5f-6a7b8c9d0e1f");
    let state = step(&c, Some(state), &h2, min(1)).state;
    let json = serde_json::to_string(&state).unwrap();
    assert!(json.len() < 160, "{} bytes: {json}", json.len());
    assert_eq!(serde_json::from_str::<GroupState>(&json).unwrap(), state);
    assert_eq!(state.expires_at(&c), min(1) + 2 * 1800 + 900 + 1);
}

#[test]
fn a_stored_watermark_outlives_a_callers_older_one() {
    let c = chain("threshold: {by: [actor], window: 10m, gte: 2}");
    let state = step(&c, None, &hit(0, "alice", min(60), "new"), min(60)).state;
    // Another invocation, which knows only older events, cannot reopen 0m.
    let out = step(&c, Some(state), &hit(0, "alice", min(0), "old"), min(0));
    assert_eq!(out.outcome, Outcome::Late);
    assert_eq!(out.state.hit_count(), 1);
}

#[test]
fn a_late_hit_for_a_new_group_leaves_nothing_to_store() {
    let c = chain("threshold: {by: [actor], window: 10m, gte: 2}");
    let out = step(&c, None, &hit(0, "alice", min(0), "old"), min(60));
    assert_eq!(out.outcome, Outcome::Late);
    assert!(out.state.is_empty());
    let out = step(&c, None, &hit(5, "alice", min(60), "x"), min(60));
    assert_eq!(out.outcome, Outcome::UnknownStep);
}

#[test]
fn store_keys_tell_every_group_apart() {
    let c = chain(SEQ);
    let a = store_key(&c, &GroupKey::new(["a#1:b"]));
    let b = store_key(&c, &GroupKey::new(["a", "b"]));
    assert_ne!(a, b);
    assert_eq!(b, "chain#test.chain#1:a#1:b");
}
