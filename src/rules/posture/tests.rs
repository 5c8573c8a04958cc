use serde_json::{json, Value};

use super::*;

fn check(yaml: &str) -> CheckSpec {
    let spec: CheckSpec = serde_yaml_ng::from_str(yaml).unwrap();
    spec.validate().unwrap();
    spec
}

fn state(spec: &CheckSpec, settings: Value) -> State {
    spec.state(|name| settings.get(name), Some("111122223333"))
}

const MFA: &str = "id: user-pool.mfa-on
resource: user-pool
title: MFA is ON
severity: high
fix: Set MFA to ON.
prowler: cognito_user_pool_mfa_enabled
pass: { MFA: { equals: \"ON\" } }
";

#[test]
fn a_check_passes_fails_or_is_unknown_on_known_values_only() {
    let mfa = check(MFA);
    assert_eq!(state(&mfa, json!({"MFA": "ON"})), State::Pass);
    assert_eq!(state(&mfa, json!({"MFA": "OPTIONAL"})), State::Fail);
    assert_eq!(
        state(&mfa, json!({"deletion protection": "ACTIVE"})),
        State::Unknown
    );
    assert_eq!(mfa.reads().collect::<Vec<_>>(), ["MFA"]);
}

#[test]
fn blocks_are_all_of_and_lists_of_blocks_any_of() {
    let guest = check(
        "id: identity-pool.guest-role-wanted
resource: identity-pool
title: An unauthenticated role only with guest access
severity: high
fix: Remove the unauthenticated role, or turn guest access on deliberately.
pass:
  - { guest access: { equals: true } }
  - { unauthenticated role: { absent: true } }
",
    );
    let on = json!({"guest access": true, "unauthenticated role": "arn:aws:iam::1:role/g"});
    assert_eq!(state(&guest, on), State::Pass);
    let off_with_role = json!({"guest access": false, "unauthenticated role": "arn:x"});
    assert_eq!(state(&guest, off_with_role), State::Fail);
    let off_no_role = json!({"guest access": false, "unauthenticated role": null});
    assert_eq!(state(&guest, off_no_role), State::Pass);
    // Guest access off, the roles never seen: not known.
    assert_eq!(
        state(&guest, json!({"guest access": false})),
        State::Unknown
    );

    let length = check(
        "id: user-pool.password-length
resource: user-pool
title: Passwords of 14 characters or more
severity: medium
fix: Set a minimum length of 14.
pass: { password minimum length: { above: 13 }, password requires symbols: { equals: true } }
",
    );
    let ok = json!({"password minimum length": 14, "password requires symbols": true});
    assert_eq!(state(&length, ok), State::Pass);
    let short = json!({"password minimum length": 8});
    // One known failure is enough, whatever else is unknown.
    assert_eq!(state(&length, short), State::Fail);
}

#[test]
fn a_fail_check_fails_when_a_block_holds_on_known_values() {
    let foreign = check(
        "id: user-pool.triggers-own-account
resource: user-pool
title: Triggers in the pool's own account
severity: high
fix: Use functions of the pool's own account.
fail:
  - { pre token generation trigger: { foreignAccount: true } }
  - { user migration trigger: { foreignAccount: true } }
",
    );
    let own = "arn:aws:lambda:eu-west-1:111122223333:function:ok";
    let other = "arn:aws:lambda:eu-west-1:444455556666:function:theirs";
    let both =
        |a: &str, b: &str| json!({"pre token generation trigger": a, "user migration trigger": b});
    assert_eq!(state(&foreign, both(own, own)), State::Pass);
    assert_eq!(state(&foreign, both(own, other)), State::Fail);
    assert_eq!(
        state(&foreign, json!({"pre token generation trigger": other})),
        State::Fail
    );
    // One trigger never seen: the other alone cannot make the check pass.
    assert_eq!(
        state(&foreign, json!({"pre token generation trigger": own})),
        State::Unknown
    );
    let no_triggers = json!({"pre token generation trigger": null, "user migration trigger": null});
    assert_eq!(state(&foreign, no_triggers), State::Pass);
}

#[test]
fn transitions() {
    use State::*;
    assert_eq!(
        transition(Pass, Fail),
        Transition::Failed { before_known: true }
    );
    assert_eq!(
        transition(Unknown, Fail),
        Transition::Failed {
            before_known: false
        }
    );
    assert_eq!(transition(Fail, Pass), Transition::Fixed);
    assert_eq!(transition(Fail, Fail), Transition::StillFailing);
    assert_eq!(transition(Pass, Pass), Transition::Quiet);
    assert_eq!(transition(Fail, Unknown), Transition::Quiet);
}

#[test]
fn bad_checks_are_refused() {
    let empty: CheckSpec = serde_yaml_ng::from_str(
        "{id: c, resource: user-pool, title: T, severity: low, fix: F, pass: {}}",
    )
    .unwrap();
    assert!(empty.validate().unwrap_err().contains("at least one test"));
    let both: CheckSpec = serde_yaml_ng::from_str(
        "{id: c, resource: user-pool, title: T, severity: low, fix: F, pass: {MFA: {equals: 1}}, fail: {MFA: {equals: 2}}}",
    )
    .unwrap();
    assert!(both
        .validate()
        .unwrap_err()
        .contains("one of `pass` and `fail`"));
    let unknown_field = serde_yaml_ng::from_str::<CheckSpec>(
        "{id: c, resource: user-pool, title: T, severity: low, fix: F, pass: {MFA: {equals: 1}}, when: {}}",
    );
    assert!(unknown_field.is_err());
}

#[test]
fn assess_answers_every_check_of_the_resource_kind() {
    use crate::settings::{ResourceKey, ResourceState};
    let checks = vec![
        check(MFA),
        check("{id: client.x, resource: app-client, title: T, severity: low, fix: F, pass: {MFA: {equals: 1}}}"),
    ];
    let key = ResourceKey {
        account: "111122223333".into(),
        region: "eu-west-1".into(),
        kind: "user-pool".into(),
        id: "eu-west-1_Ab12Cd34E".into(),
    };
    let state = ResourceState {
        resource: Some(key),
        before: [("MFA".to_string(), json!("ON"))].into_iter().collect(),
        after: [("MFA".to_string(), json!("OFF"))].into_iter().collect(),
        attempt: false,
    };
    let out = assess(&checks, &state);
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].check, "user-pool.mfa-on");
    assert_eq!(out[0].transition, Transition::Failed { before_known: true });
    assert_eq!(out[0].after, State::Fail);
    assert_eq!(
        out[0].prowler.as_deref(),
        Some("cognito_user_pool_mfa_enabled")
    );
}

#[test]
fn a_test_can_look_inside_a_structured_setting() {
    let devices = check(
        "id: user-pool.new-devices-challenged
resource: user-pool
title: Remembered devices are challenged when new
severity: medium
fix: Set deviceConfiguration.challengeRequiredOnNewDevice to true.
fail:
  - { device remembering: { exists: true }, device remembering.challengeRequiredOnNewDevice: { equals: false } }
  - { device remembering: { exists: true }, device remembering.challengeRequiredOnNewDevice: { absent: true } }
",
    );
    let with = |config: Value| json!({ "device remembering": config });
    assert_eq!(state(&devices, with(json!(null))), State::Pass);
    assert_eq!(
        state(
            &devices,
            with(json!({"challengeRequiredOnNewDevice": true}))
        ),
        State::Pass
    );
    assert_eq!(
        state(
            &devices,
            with(json!({"challengeRequiredOnNewDevice": false}))
        ),
        State::Fail
    );
    assert_eq!(
        state(
            &devices,
            with(json!({"deviceOnlyRememberedOnUserPrompt": true}))
        ),
        State::Fail
    );
    assert_eq!(state(&devices, json!({})), State::Unknown);
}

#[test]
fn the_report_puts_the_worst_resources_first() {
    use crate::settings::ResourceKey;
    let key = |id: &str| ResourceKey {
        account: "111122223333".into(),
        region: "eu-west-1".into(),
        kind: "user-pool".into(),
        id: id.into(),
    };
    let deletion = check(
        "{id: user-pool.deletion-protection, resource: user-pool, title: Deletion protection is ACTIVE, \
         severity: medium, fix: F, pass: {deletion protection: {equals: ACTIVE}}}",
    );
    let checks = [check(MFA), deletion];
    let settings =
        |pairs: Value| -> BTreeMap<String, Value> { serde_json::from_value(pairs).unwrap() };
    let report = report(
        &checks,
        [
            (
                key("a-good"),
                settings(json!({"MFA": "ON", "deletion protection": "ACTIVE"})),
            ),
            (
                key("b-medium"),
                settings(json!({"MFA": "ON", "deletion protection": "INACTIVE"})),
            ),
            (key("c-high"), settings(json!({"MFA": "OFF"}))),
        ],
    );
    let order: Vec<_> = report.iter().map(|p| p.resource.id.as_str()).collect();
    assert_eq!(order, ["c-high", "b-medium", "a-good"]);
    assert_eq!(report[0].failing[0].id, "user-pool.mfa-on");
    assert_eq!(report[0].unknown, ["user-pool.deletion-protection"]);
    assert!(report[2].failing.is_empty());
}
