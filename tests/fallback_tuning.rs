//! Tuning a known rule never wakes the fallback: an overlay that disables a rule,
//! or gives it an `unless` covering a record, leaves that record quiet (the rule
//! still names the operation), for a rule of each Cognito source; an operation no
//! rule names still reaches the fallback at medium.

mod pack;

use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::{RuleSet, Severity};
use pack::*;
use serde_json::{json, Value};

/// One rule of each source, the operation it names, and that operation's request.
fn tuned_rules() -> [(&'static str, &'static str, &'static str, Value); 3] {
    [
        (
            "cognito-idp.user-pool.mfa-config",
            IDP,
            "SetUserPoolMfaConfig",
            json!({"userPoolId": "eu-west-1_Ab12Cd34E", "mfaConfiguration": "OFF"}),
        ),
        (
            "cognito-identity.identity-pool.update",
            IDENTITY,
            "UpdateIdentityPool",
            json!({
                "identityPoolId": "eu-west-1:7d3c1f0e-6a2b-4c8d-9e1f-0a1b2c3d4e5f",
                "identityPoolName": "shop", "allowUnauthenticatedIdentities": false
            }),
        ),
        (
            "cognito-sync.bulk-publish",
            SYNC,
            "BulkPublish",
            json!({"identityPoolId": "eu-west-1:7d3c1f0e-6a2b-4c8d-9e1f-0a1b2c3d4e5f"}),
        ),
    ]
}

fn tuned(overlay: &str) -> RuleSet {
    let overlay = Overlay::from_yaml(overlay, "team.yaml").expect("overlay loads");
    bundled()
        .with_overlays(vec![overlay], Date::parse("2026-12-04").unwrap())
        .expect("overlay applies")
}

#[test]
fn a_disabled_rule_leaves_its_records_quiet() {
    for (id, source, name, params) in tuned_rules() {
        let bytes = record(source, name, ops_role(), params, None);
        assert!(evaluate(&bundled(), &bytes).is_some(), "{id} fires untuned");
        let rules = tuned(&format!(
            "version: 1\noverrides:\n  - rule: {id}\n    enabled: false\n"
        ));
        if let Some(v) = evaluate(&rules, &bytes) {
            panic!(
                "{source} {name} with {id} disabled: alerts as {}",
                v.rule.id
            );
        }
    }
}

#[test]
fn an_unless_covering_a_record_leaves_it_quiet() {
    for (id, source, name, params) in tuned_rules() {
        let bytes = record(source, name, ops_role(), params.clone(), None);
        let rules = tuned(&format!(
            "version: 1\noverrides:\n  - rule: {id}\n    unless:\n      \
             - {{principalArn: 'arn:aws:iam::111122223333:role/platform-admin'}}\n"
        ));
        if let Some(v) = evaluate(&rules, &bytes) {
            panic!(
                "{source} {name} excepted from {id}: alerts as {}",
                v.rule.id
            );
        }
        // Another caller is not excepted: the tuned rule still fires.
        let other = record(source, name, root_user(), params, None);
        let v = evaluate(&rules, &other).expect("another caller still alerts");
        assert_eq!(v.rule.id, id);
    }
}

#[test]
fn an_operation_no_rule_names_still_reaches_the_fallback() {
    let rules = tuned(
        "version: 1\noverrides:\n  - rule: cognito-sync.bulk-publish\n    enabled: false\n  \
         - rule: cognito-idp.user-pool.mfa-config\n    unless:\n      - {userIdentityType: AssumedRole}\n",
    );
    for source in SOURCES {
        let bytes = record(
            source,
            "StartQuantumExport",
            ops_role(),
            params_for(source),
            None,
        );
        let v = evaluate(&rules, &bytes).unwrap_or_else(|| panic!("{source}: silent"));
        assert_eq!(v.rule.id, "cognito.unknown-operation");
        assert_eq!(v.finding.severity, Severity::Medium);
    }
}

#[test]
fn rules_explain_says_why_the_fallback_was_not_tried() {
    let rules =
        tuned("version: 1\noverrides:\n  - rule: cognito-sync.bulk-publish\n    enabled: false\n");
    let bytes = record(SYNC, "BulkPublish", ops_role(), params_for(SYNC), None);
    let record = cognito_trail_alerts::trail::Record::parse(&bytes).unwrap();
    let text = rules.explain(&record).to_string();
    assert!(
        text.contains("fallback rule, not tried: a rule of this set names the operation"),
        "{text}"
    );
    assert!(text.contains("result: no alert"), "{text}");
}
