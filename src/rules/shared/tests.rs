use serde_json::json;

use crate::rules::{Date, Overlay, RuleSet};
use crate::trail::Record;
use crate::Severity;

const SHARED: &str = "\
shared:
  lists:
    hidden: [HIDDEN_DUE_TO_SECURITY_REASONS]
    admins: [\"*admin*\"]
    deploy-roles: [\"arn:aws:iam::*:role/ci-*\"]
  escalations:
    root-caller:
      severity: critical
      when: { userIdentityType: Root }
      say: Made with the root user.
  risks:
    hidden-note:
      when: { requestParameters: { \"*\": { in: { $ref: hidden } } } }
      say: CloudTrail hid part of this request.
  conditions:
    end-users:
      - { userIdentityType: Unknown }
    quiet-callers:
      - end-users
      - { principalArn: { $ref: deploy-roles } }
  tracks:
    pool:
      kind: user-pool
      id: [requestParameters.userPoolId]
      settings:
        - { name: MFA, field: mfaConfiguration }
  test-values:
    root-user: { type: Root, accountId: \"111122223333\" }
    caller: { type: IAMUser, nested: { $ref: root-user } }
";

const RULES: &str = "\
rules:
  - id: pool.update
    title: T
    severity: medium
    description: D
    match: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool }
    track: pool
    unless: quiet-callers
    escalate: [root-caller]
    risks:
      - hidden-note
      - when: { requestParameters: { groupName: { iglob: { $ref: admins } } } }
        say: Admin group.
    tests:
      - name: root
        record: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool,
                  userIdentity: { $ref: root-user }, requestParameters: { userPoolId: p } }
        expect: { severity: critical, riskCount: 1 }
      - name: nested value
        record: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool,
                  userIdentity: { $ref: caller }, requestParameters: { userPoolId: p, groupName: Admins } }
        expect: { severity: medium, risks: [Admin group] }
      - name: deployer is quiet
        record: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool,
                  userIdentity: { type: AssumedRole, arn: \"arn:aws:iam::111122223333:role/ci-deploy\" } }
        expect: { alert: false }
";

fn pack(files: &[(&str, &str)]) -> Result<RuleSet, String> {
    RuleSet::from_files("pack", files).map_err(|e| e.to_string())
}

#[test]
fn rules_use_definitions_of_an_earlier_file() {
    let set = pack(&[("s.yaml", SHARED), ("r.yaml", RULES)]).unwrap();
    let report = set.run_tests();
    assert_eq!(report.failed(), 0, "{:?}", report.cases);
    assert_eq!(report.passed(), 3);
    let rule = &set.rules()[0];
    assert_eq!((rule.file.as_str(), rule.line), ("r.yaml", 2));
    assert!(rule.track.is_some());
    // A test value is copied where it is used.
    assert_eq!(
        rule.tests[1].record["userIdentity"]["nested"],
        json!({"type": "Root", "accountId": "111122223333"})
    );
}

#[test]
fn the_same_file_may_define_above_its_rules() {
    let set = pack(&[("one.yaml", &format!("{SHARED}{RULES}"))]).unwrap();
    assert_eq!(set.run_tests().failed(), 0);
}

fn err(files: &[(&str, &str)]) -> String {
    pack(files).unwrap_err()
}

#[test]
fn a_bad_reference_is_located() {
    let bad = |from: &str, to: &str| RULES.replacen(from, to, 1);
    let cases = [
        (
            bad("escalate: [root-caller]", "escalate: [root-calller]"),
            "r.yaml:9:16: rules[0].escalate[0]: no shared definition \"root-calller\" above this point (an escalation expected)",
        ),
        (
            bad("escalate: [root-caller]", "escalate: [hidden]"),
            "r.yaml:9:16: rules[0].escalate[0]: \"hidden\" is a list (shared in s.yaml), not an escalation",
        ),
        (
            bad("track: pool", "track: admins"),
            "r.yaml:7:12: rules[0].track: \"admins\" is a list (shared in s.yaml), not a track",
        ),
        (
            bad("unless: quiet-callers", "unless: root-caller"),
            "r.yaml:8:13: rules[0].unless: \"root-caller\" is an escalation (shared in s.yaml), not a set of conditions",
        ),
        (
            bad("{ $ref: admins }", "{ $ref: root-user }"),
            "\"root-user\" is a test value (shared in s.yaml), not a list",
        ),
        (
            bad("{ $ref: root-user }", "{ $ref: admins }"),
            "\"admins\" is a list (shared in s.yaml), not a test value",
        ),
        (
            bad("{ $ref: root-user }", "{ $ref: root-user, type: Root }"),
            "`$ref` stands alone: unexpected key \"type\" beside it",
        ),
    ];
    for (rules, want) in cases {
        let got = err(&[("s.yaml", SHARED), ("r.yaml", &rules)]);
        assert!(got.contains(want), "want {want:?}, got {got:?}");
    }
}

#[test]
fn a_later_file_is_not_in_scope() {
    let got = err(&[("r.yaml", RULES), ("s.yaml", SHARED)]);
    assert!(
        got.starts_with(
            "r.yaml:7:12: rules[0].track: no shared definition \"pool\" above this point"
        ),
        "{got}"
    );
}

#[test]
fn cycles_and_duplicates_are_errors() {
    let cycle = "shared:\n  test-values:\n    a: { x: { $ref: a } }\n";
    let got = err(&[("c.yaml", cycle)]);
    assert!(
        got.starts_with("c.yaml:3:")
            && got.contains("\"a\" uses itself: shared definitions cannot form a cycle"),
        "{got}"
    );
    let forward = "shared:\n  conditions:\n    a: [b]\n    b: [a]\n";
    let got = err(&[("c.yaml", forward)]);
    assert!(
        got.starts_with("c.yaml:3:9:")
            && got.contains("no shared definition \"b\" above this one (a set of conditions expected): a definition can only use those written before it, so definitions never form a cycle"),
        "{got}"
    );
    let twice = "shared:\n  lists:\n    a: [x]\n  test-values:\n    a: 1\n";
    let got = err(&[("d.yaml", twice)]);
    assert!(
        got.starts_with("d.yaml:5:5:")
            && got.contains("\"a\" is already shared (a list in d.yaml)"),
        "{got}"
    );
    let across = err(&[
        ("s.yaml", SHARED),
        ("t.yaml", "shared:\n  lists:\n    hidden: [y]\n"),
    ]);
    assert!(across.starts_with("t.yaml:3:5:"), "{across}");
}

#[test]
fn rule_ids_are_unique_across_files() {
    let got = err(&[("s.yaml", SHARED), ("r.yaml", RULES), ("r2.yaml", RULES)]);
    assert!(
        got.starts_with("r2.yaml:2:5: duplicate rule id \"pool.update\""),
        "{got}"
    );
}

#[test]
fn overlays_use_the_packs_definitions_and_may_add_their_own() {
    let set = pack(&[("s.yaml", SHARED), ("r.yaml", RULES)]).unwrap();
    let overlay = "\
shared:
  lists:
    break-glass: [\"arn:aws:iam::*:role/break-glass\"]
overrides:
  - rule: pool.update
    unless: [end-users, { principalArn: { $ref: break-glass } }]
tests:
  - name: root still critical
    record: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool,
              userIdentity: { $ref: root-user }, requestParameters: { userPoolId: p } }
    expect: { severity: critical }
";
    let day = Date::parse("2026-12-01").unwrap();
    let tuned = set
        .with_overlays(vec![Overlay::from_yaml(overlay, "o.yaml").unwrap()], day)
        .unwrap();
    let cases = tuned.run_overlay_tests();
    assert!(cases.iter().all(|c| c.failure.is_none()), "{cases:?}");
    let raw = json!({"eventSource": "cognito-idp.amazonaws.com", "eventName": "UpdateUserPool",
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:iam::111122223333:role/break-glass"}})
    .to_string();
    let record = Record::parse(raw.as_bytes()).unwrap();
    assert!(tuned.evaluate(&record).is_none());
    let root = json!({"eventSource": "cognito-idp.amazonaws.com", "eventName": "UpdateUserPool",
        "userIdentity": {"type": "Root"}})
    .to_string();
    let record = Record::parse(root.as_bytes()).unwrap();
    let verdict = tuned.evaluate(&record).unwrap();
    assert_eq!(verdict.finding.severity, Severity::Critical);

    let unknown = "overrides:\n  - rule: pool.update\n    unless: [nobody]\n";
    let set = pack(&[("s.yaml", SHARED), ("r.yaml", RULES)]).unwrap();
    let got = set
        .with_overlays(vec![Overlay::from_yaml(unknown, "u.yaml").unwrap()], day)
        .unwrap_err()
        .to_string();
    assert!(
        got.starts_with("u.yaml:3:14: overrides[0].unless[0]: no shared definition \"nobody\""),
        "{got}"
    );
}

#[test]
fn anchors_in_definitions_still_load() {
    let legacy = "\
definitions:
  root: &root { severity: high, when: { userIdentityType: Root }, say: Root. }
rules:
  - { id: a, title: T, severity: low, description: D, match: { eventName: X }, escalate: [*root] }
";
    let set = pack(&[("legacy.yaml", legacy)]).unwrap();
    assert_eq!(set.rules()[0].sentences().collect::<Vec<_>>(), ["Root."]);
}
