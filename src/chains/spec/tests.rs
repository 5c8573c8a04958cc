use super::*;
use crate::chains::Chain;

fn load(yaml: &str) -> Result<Chain, String> {
    let spec: ChainSpec = serde_yaml_ng::from_str(yaml).map_err(|e| e.to_string())?;
    Chain::new("cognito.test", &spec)
}

#[test]
fn reads_both_kinds_as_a_rules_file_would_write_them() {
    let t = load(
        "threshold:\n  by: [userIdentity.arn]\n  window: 10m\n  gte: 5\n  distinct: requestParameters.userPoolId\n",
    )
    .unwrap();
    assert_eq!(
        (t.window(), t.lateness(), t.max_groups()),
        (600, 900, 10_000)
    );
    assert_eq!(t.by(), ["userIdentity.arn"]);
    assert_eq!(t.distinct(), Some("requestParameters.userPoolId"));
    assert_eq!(t.step_names(), ["count"]);
    let s = load(
        "sequence:
  by: [userIdentity.arn, requestParameters.userPoolId]
  window: 1h30m
  lateness: 30m
  maxGroups: 500
  steps:
    - name: mfa-off
    - name: admin-created
      within: 15m
  absent: mfa-on
",
    )
    .unwrap();
    assert_eq!(
        (s.window(), s.lateness(), s.max_groups()),
        (5400, 1800, 500)
    );
    assert_eq!(s.step_names(), ["mfa-off", "admin-created", "mfa-on"]);
    assert_eq!(
        (s.step_index("mfa-on"), s.step_index("nope")),
        (Some(2), None)
    );
    assert_eq!(s.id(), "cognito.test");
}

#[test]
fn refuses_unknown_keys_and_bad_durations() {
    for (yaml, says) in [
        (
            "threshold: {window: 10m, gte: 1, groupBy: [a]}",
            "unknown field `groupBy`",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a, when: x}, {name: b}]}",
            "unknown field `when`",
        ),
        (
            "threshold: {window: ten minutes, gte: 1}",
            "is not a duration",
        ),
        ("threshold: {window: 10, gte: 1}", "is not a duration"),
        (
            "threshold: {window: 5m, gte: 1, lateness: 1w}",
            "is not a duration",
        ),
        ("count: {window: 10m, gte: 1}", "unknown field `count`"),
    ] {
        let err = load(yaml).unwrap_err();
        assert!(err.contains(says), "{yaml}: {err}");
    }
}

#[test]
fn refuses_specs_the_evaluator_cannot_keep_or_that_mean_nothing() {
    for (yaml, says) in [
        (
            "threshold: {window: 25h, gte: 1}",
            "window 25h is not allowed: it must be from 1s to 24h",
        ),
        (
            "threshold: {window: 0s, gte: 1}",
            "window 0s is not allowed",
        ),
        (
            "threshold: {window: 10m, gte: 0}",
            "gte is 0; it must be from 1 to 1000",
        ),
        ("threshold: {window: 10m, gte: 1001}", "gte is 1001"),
        (
            "threshold: {window: 10m, gte: 2, distinct: ''}",
            "distinct names no field",
        ),
        (
            "threshold: {window: 10m, gte: 2, lateness: 2d}",
            "lateness 48h is over 24h",
        ),
        (
            "threshold: {window: 10m, gte: 2, maxGroups: 0}",
            "maxGroups must be at least 1",
        ),
        (
            "threshold: {by: [a, a], window: 10m, gte: 2}",
            "by lists \"a\" twice or empty",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a}]}",
            "a sequence needs 2 to 8 steps; this one has 1",
        ),
        ("sequence: {window: 10m, steps: []}", "this one has 0"),
        (
            "sequence: {window: 10m, steps: [{name: a}, {name: b}], absent: [c, d]}",
            "at most one absent step is allowed; this one has 2 (c, d)",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a}, {name: a}]}",
            "step name \"a\" is used twice",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a}, {name: b}], absent: a}",
            "step name \"a\" is used twice",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a}, {name: ' '}]}",
            "a step has an empty name",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a, within: 1m}, {name: b}]}",
            "the first step (a) has no previous step",
        ),
        (
            "sequence: {window: 10m, steps: [{name: a}, {name: b, within: 11m}]}",
            "step b: within 11m is longer than the window",
        ),
        (
            "sequence: {window: 2d, steps: [{name: a}, {name: b}]}",
            "window 48h is not allowed",
        ),
    ] {
        let err = load(yaml).unwrap_err();
        assert!(err.starts_with("chain cognito.test: "), "{err}");
        assert!(err.contains(says), "{yaml}: {err}");
    }
    for yaml in [
        "{}",
        "{threshold: {window: 1m, gte: 1}, sequence: {window: 1m, steps: []}}",
    ] {
        assert_eq!(
            load(yaml).unwrap_err(),
            "chain cognito.test: give one of threshold or sequence"
        );
    }
    // The edges are allowed.
    load("threshold: {window: 24h, gte: 1000, lateness: 24h}").unwrap();
    load("sequence: {window: 1s, steps: [{name: a}, {name: b}], absent: [c]}").unwrap();
}
