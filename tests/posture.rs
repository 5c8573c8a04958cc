//! Posture checks through the bundled pack: streams of realistic Terraform,
//! CloudFormation and console updates judged file after file (restatements,
//! partial updates, single weakenings, fixes, first sightings), and overlays that
//! turn a check off, change its severity or threshold, or add one.

mod pack;

use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::settings::LocalCache;
use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::{RuleSet, Severity};
use pack::*;
use serde_json::{json, Value};

const POOL: &str = "eu-west-1_Ab12Cd34E";

/// A hardened pool as Terraform states it in every apply.
fn hardened() -> Value {
    json!({
        "userPoolId": POOL,
        "mfaConfiguration": "ON",
        "deletionProtection": "ACTIVE",
        "userPoolTier": "PLUS",
        "userPoolAddOns": {"advancedSecurityMode": "ENFORCED"},
        "adminCreateUserConfig": {"allowAdminCreateUserOnly": true},
        "policies": {"passwordPolicy": {"minimumLength": 14, "requireUppercase": true, "requireLowercase": true,
            "requireNumbers": true, "requireSymbols": true, "temporaryPasswordValidityDays": 7}},
        "accountRecoverySetting": {"recoveryMechanisms": [{"name": "verified_email", "priority": 1}]},
        "deviceConfiguration": {"challengeRequiredOnNewDevice": true, "deviceOnlyRememberedOnUserPrompt": true},
        "userAttributeUpdateSettings": {"attributesRequireVerificationBeforeUpdate": ["email"]}
    })
}

/// Judges `records` in order with one cache, as a scan over a trail bucket does.
fn stream(rules: &RuleSet, records: &[Vec<u8>]) -> Vec<Option<(Severity, Vec<String>, String)>> {
    let mut cache = LocalCache::new();
    records
        .iter()
        .map(|bytes| {
            let record = Record::parse(bytes).unwrap();
            let verdict = rules.evaluate_with(&record, &mut cache)?;
            let failed: Vec<String> = verdict
                .finding
                .assessments
                .iter()
                .filter(|a| {
                    matches!(
                        a.transition,
                        cognito_trail_alerts::rules::posture::Transition::Failed { .. }
                    )
                })
                .map(|a| a.check.clone())
                .collect();
            let out = (verdict.finding.severity, failed, verdict.rule.id.clone());
            verdict.changes.commit(&mut cache);
            Some(out)
        })
        .collect()
}

fn update(params: Value, minute: u32) -> Vec<u8> {
    let mut r: Value =
        serde_json::from_slice(&record(IDP, "UpdateUserPool", ops_role(), params, None)).unwrap();
    r["eventTime"] = json!(format!("2026-11-20T09:{minute:02}:00Z"));
    r["eventID"] = json!(format!("tf-{minute}"));
    serde_json::to_vec(&r).unwrap()
}

fn with(mut params: Value, path: &[&str], value: Value) -> Value {
    let mut at = &mut params;
    for key in &path[..path.len() - 1] {
        at = &mut at[*key];
    }
    at[path[path.len() - 1]] = value;
    params
}

#[test]
fn terraform_restatements_are_quiet_and_each_weakening_alerts() {
    let rules = bundled();
    let records = vec![
        update(hardened(), 0), // first sighting
        update(hardened(), 5), // restated
        update(
            with(hardened(), &["mfaConfiguration"], json!("OPTIONAL")),
            10,
        ), // weakened
        update(
            with(hardened(), &["mfaConfiguration"], json!("OPTIONAL")),
            15,
        ), // restated weak
        update(
            with(
                hardened(),
                &["accountRecoverySetting", "recoveryMechanisms"],
                json!([{"name": "verified_phone_number", "priority": 1}]),
            ),
            20,
        ), // MFA fixed, recovery by SMS
        update(
            with(
                hardened(),
                &["deviceConfiguration", "challengeRequiredOnNewDevice"],
                json!(false),
            ),
            25,
        ),
        update(hardened(), 30), // everything fixed
        update(hardened(), 35), // restated
    ];
    let out = stream(&rules, &records);
    let sev = |i: usize| out[i].as_ref().unwrap().0;
    let failed = |i: usize| out[i].as_ref().unwrap().1.clone();
    // A first sighting of a hardened pool: the rule's own severity, nothing failing.
    assert_eq!(sev(0), Severity::Medium);
    assert!(failed(0).is_empty(), "{:?}", failed(0));
    // Restatements: info (not sent).
    for i in [1, 3, 7] {
        assert_eq!(sev(i), Severity::Info, "record {i}");
    }
    // MFA ON -> OPTIONAL: the MFA check fails, at its own severity (high).
    assert_eq!(sev(2), Severity::High);
    assert_eq!(failed(2), ["user-pool.mfa-on"]);
    // Recovery switched to SMS first: medium, that check only.
    assert!(sev(4) >= Severity::Medium);
    assert_eq!(failed(4), ["user-pool.recovery-not-sms-first"]);
    // New devices no longer challenged.
    assert!(sev(5) >= Severity::Medium);
    assert_eq!(failed(5), ["user-pool.new-devices-challenged"]);
    // Back to the hardened configuration: a change that fixes, medium (the rule's).
    assert!(failed(6).is_empty());
}

#[test]
fn a_partial_update_by_the_console_that_drops_settings_alerts() {
    let rules = bundled();
    // The console sends only what its page shows: the rest resets to defaults.
    let partial = json!({"userPoolId": POOL, "emailVerificationSubject": "Your code",
                         "adminCreateUserConfig": {"allowAdminCreateUserOnly": true}});
    let out = stream(&rules, &[update(hardened(), 0), update(partial, 5)]);
    let (severity, failed, _) = out[1].clone().unwrap();
    assert_eq!(severity, Severity::High);
    for check in [
        "user-pool.mfa-on",
        "user-pool.deletion-protection",
        "user-pool.threat-protection-enforced",
    ] {
        assert!(failed.contains(&check.to_string()), "{check}: {failed:?}");
    }
}

#[test]
fn cloudformation_client_updates_weaken_tokens_and_rotation() {
    let rules = bundled();
    let client = |access: u32, rotation: &str, minute: u32| {
        let params = json!({"userPoolId": POOL, "clientId": "4kq1n0v2l7c8b5r3t6y9u0i2o1", "clientName": "web",
            "accessTokenValidity": access, "idTokenValidity": 60, "tokenValidityUnits": {"accessToken": "minutes", "idToken": "minutes"},
            "refreshTokenRotation": {"feature": rotation, "retryGracePeriodSeconds": 10},
            "preventUserExistenceErrors": "ENABLED", "enableTokenRevocation": true,
            "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]});
        let mut r: Value = serde_json::from_slice(&record(
            IDP,
            "UpdateUserPoolClient",
            ops_role(),
            params,
            None,
        ))
        .unwrap();
        r["eventTime"] = json!(format!("2026-11-20T10:{minute:02}:00Z"));
        r["eventID"] = json!(format!("cfn-{minute}"));
        r["userIdentity"]["invokedBy"] = json!("cloudformation.amazonaws.com");
        serde_json::to_vec(&r).unwrap()
    };
    let out = stream(
        &rules,
        &[
            client(60, "ENABLED", 0),
            client(60, "ENABLED", 1),
            client(1440, "DISABLED", 2),
        ],
    );
    assert_eq!(out[1].as_ref().unwrap().0, Severity::Info);
    let (severity, failed, _) = out[2].clone().unwrap();
    assert!(severity >= Severity::Medium);
    assert_eq!(
        failed,
        ["client.access-token-1h", "client.refresh-token-rotation"]
    );
}

fn tuned(overlay: &str) -> RuleSet {
    let overlay = Overlay::from_yaml(overlay, "team.yaml").unwrap();
    bundled()
        .with_overlays(vec![overlay], Date::parse("2026-12-04").unwrap())
        .unwrap()
}

#[test]
fn overlays_turn_a_check_off_change_its_severity_and_threshold_and_add_one() {
    let weak = with(
        hardened(),
        &["policies", "passwordPolicy", "minimumLength"],
        json!(12),
    );
    let records = [update(hardened(), 0), update(weak.clone(), 5)];
    // The pack: 12 < 14 fails.
    let out = stream(&bundled(), &records);
    assert_eq!(
        out[1].as_ref().unwrap().1,
        ["user-pool.password-min-length-14"]
    );
    // A threshold of 12 (AWS Security Hub asks 8; this team asks 12): passes.
    let twelve = tuned("version: 1\noverrides:\n  - check: user-pool.password-min-length-14\n    pass: { password minimum length: { above: 11 } }\n");
    assert!(stream(&twelve, &records)[1].as_ref().unwrap().1.is_empty());
    // Off: not judged.
    let off = tuned(
        "version: 1\noverrides:\n  - check: user-pool.password-min-length-14\n    enabled: false\n",
    );
    assert!(stream(&off, &records)[1].as_ref().unwrap().1.is_empty());
    assert_eq!(
        off.disabled_checks()[0].0,
        "user-pool.password-min-length-14"
    );
    // Severity raised: the weakening is critical.
    let critical = tuned("version: 1\noverrides:\n  - check: user-pool.password-min-length-14\n    severity: critical\n");
    assert_eq!(
        stream(&critical, &records)[1].as_ref().unwrap().0,
        Severity::Critical
    );
    // An added check of the team's own.
    let added = tuned("version: 1\nchecks:\n  - id: team.password-history\n    resource: user-pool\n    title: Passwords are not reused\n    severity: high\n    fix: Set passwordHistorySize to 5 or more.\n    pass: { password history size: { above: 4 } }\n");
    let history = with(
        hardened(),
        &["policies", "passwordPolicy", "passwordHistorySize"],
        json!(6),
    );
    let out = stream(&added, &[update(history, 0), update(hardened(), 5)]);
    let (severity, failed, _) = out[1].clone().unwrap();
    assert_eq!(
        (severity, failed),
        (Severity::High, vec!["team.password-history".to_string()])
    );
}

#[test]
fn overlay_check_errors_name_the_place() {
    let err = |text: &str| {
        let overlay = Overlay::from_yaml(text, "team.yaml").unwrap();
        bundled()
            .with_overlays(vec![overlay], Date::parse("2026-12-04").unwrap())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        err("version: 1\noverrides:\n  - check: user-pool.nope\n    enabled: false\n"),
        "team.yaml:3:5: override of check \"user-pool.nope\": names no check of the set it is applied to"
    );
    let typo = err("version: 1\nchecks:\n  - id: team.x\n    resource: user-pool\n    title: T\n    severity: low\n    fix: F\n    pass: { pasword history size: { above: 4 } }\n");
    assert!(
        typo.starts_with("team.yaml:3:")
            && typo.contains("no rule tracks a setting \"pasword history size\" of a user-pool"),
        "{typo}"
    );
}
