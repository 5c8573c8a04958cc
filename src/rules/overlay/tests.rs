use serde_json::{json, Value};

use super::*;
use crate::trail::Record;

const BASE: &str = r#"
rules:
  - id: cognito-idp.user-pool.update
    title: User pool configuration replaced
    severity: medium
    description: UpdateUserPool replaces the whole configuration.
    match: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool }
    escalate:
      - severity: high
        when: { requestParameters: { mfaConfiguration: { equals: "OFF" } } }
        say: MFA is OFF after this update.
  - id: cognito-idp.client.update
    title: App client updated
    severity: medium
    description: UpdateUserPoolClient replaces the client's settings.
    match: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPoolClient }
  - id: cognito.resource.tags
    title: Tags changed
    severity: info
    description: Tags changed.
    match: { eventSource: [cognito-idp.amazonaws.com, cognito-identity.amazonaws.com], eventName: TagResource }
  - id: cognito-identity.identity-pool.update
    title: Identity pool updated
    severity: medium
    description: UpdateIdentityPool replaces the configuration.
    match: { eventSource: cognito-identity.amazonaws.com, eventName: UpdateIdentityPool }
"#;

const TERRAFORM: &str = "arn:aws:sts::111122223333:assumed-role/terraform-apply/run-42";
const HUMAN: &str = "arn:aws:sts::111122223333:assumed-role/platform-admin/jane.doe@example.com";

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The base set with `overlays` (name, text) applied on 2026-11-30.
fn tuned(overlays: &[(&str, &str)]) -> Result<RuleSet, RulesError> {
    tuned_on(overlays, "2026-11-30")
}

fn tuned_on(overlays: &[(&str, &str)], today: &str) -> Result<RuleSet, RulesError> {
    let parsed = overlays
        .iter()
        .map(|(name, text)| Overlay::from_yaml(text, name))
        .collect::<Result<Vec<_>, _>>()?;
    RuleSet::from_yaml(BASE, "base.yaml")?.with_overlays(parsed, day(today))
}

/// A CloudTrail record of `name` by the role session `arn`.
fn record(source: &str, name: &str, arn: &str, params: Value) -> Vec<u8> {
    let role = arn.split('/').nth(1).unwrap();
    serde_json::to_vec(&json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "AssumedRole", "principalId": "AROAEXAMPLE:run-42", "arn": arn,
            "accountId": "111122223333",
            "sessionContext": { "sessionIssuer": { "type": "Role", "principalId": "AROAEXAMPLE",
                "arn": format!("arn:aws:iam::111122223333:role/{role}"), "accountId": "111122223333",
                "userName": role } }
        },
        "eventTime": "2026-11-20T09:02:41Z", "eventSource": source, "eventName": name,
        "awsRegion": "eu-west-1", "sourceIPAddress": "198.51.100.23", "userAgent": "aws-cli/2.22.0",
        "requestParameters": params, "responseElements": null,
        "eventID": "9ce4aa5f-de27-4851-a18a-d43850d00787", "eventType": "AwsApiCall",
        "recipientAccountId": "111122223333"
    }))
    .unwrap()
}

fn pool_update(arn: &str, mfa: &str) -> Vec<u8> {
    let params = json!({"userPoolId": "eu-west-1_Sh0pPoo1", "mfaConfiguration": mfa});
    record("cognito-idp.amazonaws.com", "UpdateUserPool", arn, params)
}

/// (rule, severity, suppressed by, risks) of the set's verdict.
fn judge(set: &RuleSet, raw: &[u8]) -> Option<(String, Severity, Option<String>, Vec<String>)> {
    let record = Record::parse(raw).unwrap();
    let v = set.evaluate(&record)?;
    let hidden = v.suppression.filter(|h| !h.expired).map(|h| h.id);
    Some((
        v.rule.id.clone(),
        v.finding.severity,
        hidden,
        v.finding.risks,
    ))
}

#[test]
fn overlays_apply_in_order_and_the_last_override_wins() {
    let first = "overrides:\n  - rule: cognito-idp.user-pool.update\n    severity: low\nrules:\n  - id: local.pool.delete\n    title: Pool deleted\n    severity: critical\n    description: D\n    match: { eventSource: cognito-idp.amazonaws.com, eventName: DeleteUserPool }\n";
    let second = "overrides:\n  - rule: cognito-idp.user-pool.update\n    severity: info\n  - rule: local.pool.delete\n    severity: high\n";
    let set = tuned(&[("first.yaml", first), ("second.yaml", second)]).unwrap();
    let routine = judge(&set, &pool_update(HUMAN, "ON")).unwrap();
    assert_eq!(routine.1, Severity::Info);
    let delete = record(
        "cognito-idp.amazonaws.com",
        "DeleteUserPool",
        HUMAN,
        json!({"userPoolId": "p"}),
    );
    assert_eq!(judge(&set, &delete).unwrap().1, Severity::High);
    // An override sees only what was loaded before its overlay.
    let err = tuned(&[("second.yaml", second), ("first.yaml", first)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "second.yaml:4:5: override of \"local.pool.delete\": names no rule of the set it is applied to"
    );
}

#[test]
fn each_override_kind_changes_only_what_it_says() {
    let overlay = r#"
overrides:
  - rule: cognito-idp.user-pool.update
    severity: low
  - rule: cognito.resource.tags
    enabled: false
  - rule: cognito-idp.client.update
    unless:
      - principalArn: "arn:aws:iam::*:role/terraform-apply"
"#;
    let set = tuned(&[("o.yaml", overlay)]).unwrap();
    // severity: the base goes down, an escalation keeps its level.
    assert_eq!(
        judge(&set, &pool_update(HUMAN, "ON")).unwrap().1,
        Severity::Low
    );
    let off = judge(&set, &pool_update(HUMAN, "OFF")).unwrap();
    assert_eq!((off.1, off.3.len()), (Severity::High, 1));
    // enabled: false removes the rule (and says where).
    let tag = record(
        "cognito-idp.amazonaws.com",
        "TagResource",
        HUMAN,
        json!({"resourceArn": "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_Sh0pPoo1"}),
    );
    assert_eq!(judge(&set, &tag), None);
    assert_eq!(set.tuning.disabled[0].0, "cognito.resource.tags");
    assert_eq!(set.tuning.disabled[0].1.to_string(), "o.yaml:5");
    // unless: appended to the rule's own; other callers still alert.
    let client = |arn| {
        record(
            "cognito-idp.amazonaws.com",
            "UpdateUserPoolClient",
            arn,
            json!({"userPoolId": "eu-west-1_Sh0pPoo1", "clientId": "3n4b5urk1ft4fl3mg5e62d9ado"}),
        )
    };
    assert_eq!(judge(&set, &client(TERRAFORM)), None);
    assert_eq!(judge(&set, &client(HUMAN)).unwrap().1, Severity::Medium);
    // The rule's own cases still see the rule as its file wrote it.
    let rule = set
        .rules()
        .iter()
        .find(|r| r.id == "cognito-idp.user-pool.update")
        .unwrap();
    assert_eq!(rule.severity, Severity::Medium);
}

const SANDBOX: &str = r#"
suppressions:
  - id: sandbox-pools
    match: { account: "444455556666" }
    rules: ["cognito-idp.*"]
    reason: sandbox account, rebuilt nightly
    owner: platform-security@example.com
    expires: 2027-03-31
"#;

fn in_sandbox(raw: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(raw).unwrap();
    text.replace("111122223333", "444455556666").into_bytes()
}

#[test]
fn suppressions_hide_only_the_rules_their_glob_names() {
    let set = tuned(&[("s.yaml", SANDBOX)]).unwrap();
    let pool = judge(&set, &in_sandbox(pool_update(HUMAN, "ON"))).unwrap();
    assert_eq!(pool.2.as_deref(), Some("sandbox-pools"));
    // Same account, a rule outside `cognito-idp.*`: sent.
    let ip = record(
        "cognito-identity.amazonaws.com",
        "UpdateIdentityPool",
        HUMAN,
        json!({"identityPoolId": "eu-west-1:0f6d5c2b-4c1e-4d3a-9a57-3c2b1a0f9e8d", "allowUnauthenticatedIdentities": false}),
    );
    assert_eq!(judge(&set, &in_sandbox(ip)).unwrap().2, None);
    // Another account: sent.
    assert_eq!(judge(&set, &pool_update(HUMAN, "ON")).unwrap().2, None);
}

#[test]
fn an_expired_suppression_stops_on_its_date_and_the_alert_names_it() {
    let raw = in_sandbox(pool_update(HUMAN, "ON"));
    let set = tuned_on(&[("s.yaml", SANDBOX)], "2027-03-30").unwrap();
    assert_eq!(
        judge(&set, &raw).unwrap().2.as_deref(),
        Some("sandbox-pools")
    );
    set.set_today(day("2027-03-31"));
    let (_, severity, hidden, risks) = judge(&set, &raw).unwrap();
    assert_eq!((severity, hidden), (Severity::Medium, None));
    assert_eq!(
        risks,
        ["Suppression sandbox-pools (owner platform-security@example.com) expired on 2027-03-31: it no longer hides this alert; renew or remove it (s.yaml:3; reason: sandbox account, rebuilt nightly)."]
    );
    let record = Record::parse(&raw).unwrap();
    let hit = set.evaluate(&record).unwrap().suppression.unwrap();
    assert!(hit.expired);
    // Warned about from 14 days before.
    assert_eq!(set.expiring().len(), 1);
    set.set_today(day("2027-03-16"));
    assert!(set.expiring().is_empty());
}

const DEPLOYERS: &str = r#"
deployers:
  - name: terraform-apply
    when: { principalArn: "arn:aws:iam::*:role/terraform-apply" }
    effect: lower
  - name: cloudformation
    when: { invokedBy: cloudformation.amazonaws.com }
    rules: ["cognito-identity.*"]
"#;

#[test]
fn a_deployer_lowers_routine_changes_but_a_control_turned_off_stays_high() {
    let set = tuned(&[("d.yaml", DEPLOYERS)]).unwrap();
    let routine = judge(&set, &pool_update(TERRAFORM, "ON")).unwrap();
    assert_eq!(routine.1, Severity::Low);
    assert_eq!(routine.3, ["Made by deployer terraform-apply: base severity lowered from medium to low (escalations still apply)."]);
    let off = judge(&set, &pool_update(TERRAFORM, "OFF")).unwrap();
    assert_eq!(off.1, Severity::High);
    assert!(off.3[0].starts_with("MFA is OFF") && off.3[1].contains("deployer terraform-apply"));
    assert_eq!(judge(&set, &pool_update(HUMAN, "ON")).unwrap().3.len(), 0);
    // CloudFormation calling with the caller's credentials: annotated, same level.
    let mut cfn: Value = serde_json::from_slice(&record(
        "cognito-identity.amazonaws.com",
        "UpdateIdentityPool",
        HUMAN,
        json!({"identityPoolId": "eu-west-1:0f6d5c2b-4c1e-4d3a-9a57-3c2b1a0f9e8d"}),
    ))
    .unwrap();
    cfn["userIdentity"]["invokedBy"] = json!("cloudformation.amazonaws.com");
    cfn["sourceIPAddress"] = json!("cloudformation.amazonaws.com");
    let annotated = judge(&set, &serde_json::to_vec(&cfn).unwrap()).unwrap();
    assert_eq!(
        (annotated.1, annotated.3),
        (
            Severity::Medium,
            vec!["Made by deployer cloudformation.".to_string()]
        )
    );
}

#[test]
fn overlay_tests_check_suppressions_through_the_merged_set() {
    let pass = format!("{SANDBOX}tests:\n  - name: sandbox update hidden\n    record: {{ eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool, recipientAccountId: \"444455556666\", requestParameters: {{ userPoolId: p }} }}\n    expect: {{ suppressedBy: sandbox-pools, severity: medium }}\n  - name: production update sent\n    record: {{ eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool, recipientAccountId: \"111122223333\", requestParameters: {{ userPoolId: p }} }}\n    expect: {{ alert: false }}\n");
    let set = tuned(&[("t.yaml", &pass)]).unwrap();
    let cases = set.run_overlay_tests();
    assert_eq!(cases[0].failure, None);
    assert_eq!(cases[0].place.to_string(), "t.yaml:10");
    assert_eq!(
        cases[1].failure.as_deref(),
        Some("expected no alert, got one at medium")
    );
}

#[test]
fn load_errors_name_file_line_and_column() {
    let sup = |body: &str| {
        format!("suppressions:\n  - id: sandbox-pools\n    match: {{ account: \"444455556666\" }}\n{body}")
    };
    let full = "    reason: r\n    owner: o@example.com\n    expires: 2027-03-31\n";
    let cases = [
        ("version: 1\nsuppresions: []\n".to_string(), "o.yaml:2:1: unknown field `suppresions`"),
        ("overrides:\n  - rule: nope\n    enabled: false\n".into(), "o.yaml:2:5: override of \"nope\": names no rule"),
        ("overrides:\n  - rule: cognito.resource.tags\n".into(), "o.yaml:2:5: override of \"cognito.resource.tags\": changes nothing"),
        ("overrides:\n  - rule: cognito.resource.tags\n    severity: urgent\n".into(), "o.yaml:3:15: overrides[0].severity: unknown variant `urgent`"),
        (sup("    owner: o@example.com\n    expires: 2027-03-31\n"), "o.yaml:2:5: suppressions[0]: missing field `reason`"),
        (sup("    reason: r\n    expires: 2027-03-31\n"), "missing field `owner`"),
        (sup("    reason: r\n    owner: o@example.com\n"), "missing field `expires`"),
        (sup("    reason: r\n    owner: ' '\n    expires: 2027-03-31\n"), "o.yaml:2:5: suppression \"sandbox-pools\": `owner` must not be empty"),
        (sup("    reason: r\n    owner: o@example.com\n    expires: 2027-12-02\n"), "o.yaml:2:5: suppression \"sandbox-pools\": expires 2027-12-02 is more than a year away"),
        (sup("    reason: r\n    owner: o@example.com\n    expires: 2027-02-30\n"), "o.yaml:6:14: suppressions[0].expires: \"2027-02-30\" is not a date"),
        (sup(&format!("{full}    rules: [cognito-idp.user-pool.updat]\n")), "`rules` matches no rule id"),
        (format!("{}{}", sup(full), &sup(full)["suppressions:\n".len()..]), "o.yaml:7:5: suppression \"sandbox-pools\": duplicate id (first at o.yaml:2)"),
        ("deployers:\n  - name: tf\n    when: {}\n    effect: hide\n".into(), "o.yaml:4:13: deployers[0].effect: unknown variant `hide`"),
        ("rules:\n  - id: cognito.resource.tags\n    title: T\n    severity: low\n    description: D\n    match: { eventName: X }\n".into(), "o.yaml:2:5: duplicate rule id \"cognito.resource.tags\""),
    ];
    for (text, want) in cases {
        let got = tuned(&[("o.yaml", &text)]).unwrap_err().to_string();
        assert!(
            got.starts_with(want) || got.contains(want),
            "want {want:?}, got {got:?}"
        );
    }
}

#[test]
fn explain_names_the_failed_test_the_deployer_and_the_suppression() {
    let set = tuned(&[("d.yaml", DEPLOYERS), ("s.yaml", SANDBOX)]).unwrap();
    let raw = in_sandbox(pool_update(TERRAFORM, "OFF"));
    let text = set.explain(&Record::parse(&raw).unwrap()).to_string();
    for want in [
        "rule cognito-idp.user-pool.update (fired)",
        "deployer terraform-apply (d.yaml:3) holds: Lower",
        "escalation to high holds: MFA is OFF after this update.",
        "suppression sandbox-pools (s.yaml:3): matches (owner platform-security@example.com, expires 2027-03-31)",
        "result: alert high from cognito-idp.user-pool.update, suppressed by sandbox-pools",
    ] {
        assert!(text.contains(want), "{want:?} not in\n{text}");
    }
    let client = record(
        "cognito-idp.amazonaws.com",
        "UpdateUserPoolClient",
        HUMAN,
        json!({"userPoolId": "p"}),
    );
    let text = set.explain(&Record::parse(&client).unwrap()).to_string();
    assert!(text.contains("suppression sandbox-pools (s.yaml:3): does not match: account is \"111122223333\" (wants 444455556666)"), "{text}");
}
