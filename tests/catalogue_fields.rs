//! Every request member of a tracked operation is read: for each operation a rule
//! with a `track:` block names, each leaf member of its input shape in the
//! committed catalogue (`inputs`, from botocore's models) must be a tracked
//! setting's field (or inside one), the resource id, or listed under the track's
//! `ignored:` with why. A member AWS adds shows up here the day the catalogue is
//! refreshed (scripts/cognito-catalogue.py prints it as `new input:`).

mod pack;

use cognito_trail_alerts::rules::BUNDLED_FILES;
use cognito_trail_alerts::RuleSet;
use pack::*;

/// "Operation member" for every member of a tracked operation no track covers.
fn uncovered(rules: &RuleSet, catalogue: &[Op]) -> Vec<String> {
    let mut out = Vec::new();
    for rule in rules.rules() {
        let Some(track) = &rule.track else { continue };
        let names = rule.event_names().unwrap_or_default();
        let sources = rule.event_sources().unwrap_or_default();
        let covered = |member: &str| {
            let inside = |field: &str| member == field || member.starts_with(&format!("{field}."));
            let deeper = |field: &str| field.starts_with(&format!("{member}."));
            track
                .settings
                .iter()
                .any(|s| inside(&s.field) || deeper(&s.field))
                || track.ignored.keys().any(|f| inside(f))
                || track
                    .id
                    .iter()
                    .filter_map(|p| p.strip_prefix("requestParameters."))
                    .any(inside)
        };
        let ops = catalogue.iter().filter(|o| {
            names.contains(&o.event_name.as_str()) && sources.contains(&o.event_source.as_str())
        });
        for op in ops {
            for member in op.inputs.iter().filter(|m| !covered(m)) {
                out.push(format!(
                    "{} {} {member} ({})",
                    op.event_name, rule.id, rule.file
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_member_of_a_tracked_operation_is_tracked_or_ignored_with_a_reason() {
    let missing = uncovered(&bundled(), &catalogue());
    assert!(
        missing.is_empty(),
        "members no track reads:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_operations_the_issue_names_are_tracked() {
    let rules = bundled();
    let mut tracked: Vec<(String, String)> = Vec::new();
    for rule in rules.rules() {
        let Some(track) = &rule.track else { continue };
        for name in rule.event_names().unwrap_or_default() {
            for s in &track.settings {
                tracked.push((name.to_string(), s.field.clone()));
            }
        }
    }
    let has = |op: &str, field: &str| tracked.iter().any(|(o, f)| o == op && f == field);
    for (op, field) in [
        ("UpdateUserPool", "keyConfiguration.kmsKeyArn"),
        ("UpdateUserPool", "issuerConfiguration.type"),
        ("UpdateUserPool", "acrConfiguration"),
        (
            "UpdateUserPool",
            "accountRecoverySetting.recoveryMechanisms",
        ),
        ("UpdateUserPool", "deviceConfiguration"),
        ("UpdateUserPool", "autoVerifiedAttributes"),
        (
            "UpdateUserPool",
            "userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode",
        ),
        ("UpdateUserPool", "smsConfiguration.snsCallerArn"),
        ("UpdateUserPool", "emailConfiguration.emailSendingAccount"),
        ("UpdateUserPool", "lambdaConfig.preAuthentication"),
        ("UpdateUserPool", "lambdaConfig.postAuthentication"),
        ("UpdateUserPool", "lambdaConfig.customMessage"),
        (
            "UpdateUserPool",
            "policies.passwordPolicy.passwordHistorySize",
        ),
        (
            "UpdateUserPool",
            "policies.passwordPolicy.temporaryPasswordValidityDays",
        ),
        (
            "UpdateUserPool",
            "adminCreateUserConfig.unusedAccountValidityDays",
        ),
        ("CreateUserPool", "keyConfiguration.kmsKeyArn"),
        ("CreateUserPool", "deviceConfiguration"),
        ("UpdateUserPoolClient", "accessTokenValidity"),
        ("UpdateUserPoolClient", "idTokenValidity"),
        ("UpdateUserPoolClient", "refreshTokenRotation.feature"),
        ("UpdateUserPoolClient", "analyticsConfiguration"),
        ("UpdateUserPoolClient", "supportedIdentityProviders"),
        ("UpdateUserPoolClient", "readAttributes"),
        ("CreateUserPoolClient", "generateSecret"),
        ("SetUserPoolMfaConfig", "smsMfaConfiguration"),
        ("SetUserPoolMfaConfig", "emailMfaConfiguration"),
        (
            "SetUserPoolMfaConfig",
            "softwareTokenMfaConfiguration.enabled",
        ),
        ("UpdateUserPoolDomain", "routing.failover.secondaryRegion"),
    ] {
        assert!(has(op, field), "{op} {field} is not tracked");
    }
}

/// The test fails when a tracked setting is taken out of its track.
#[test]
fn removing_a_tracked_setting_is_caught() {
    let line = "        - { name: email sending account, field: emailConfiguration.emailSendingAccount, omitted: COGNITO_DEFAULT }\n";
    let files: Vec<(&str, String)> = BUNDLED_FILES
        .iter()
        .map(|(name, text)| (*name, text.replacen(line, "", 1)))
        .collect();
    assert!(
        files
            .iter()
            .zip(BUNDLED_FILES)
            .any(|((_, a), (_, b))| a != b),
        "the line moved"
    );
    let rules = RuleSet::from_files("pack without a setting", &files).unwrap();
    let missing = uncovered(&rules, &catalogue());
    assert!(
        missing.iter().any(|m| m.starts_with(
            "UpdateUserPool cognito-idp.user-pool.update emailConfiguration.emailSendingAccount"
        )),
        "{missing:?}"
    );
}

/// The test fails when the catalogue gains a member (a refresh after AWS ships one).
#[test]
fn a_member_added_to_the_catalogue_is_caught() {
    let mut catalogue = catalogue();
    let op = catalogue
        .iter_mut()
        .find(|o| o.event_name == "UpdateUserPoolClient")
        .unwrap();
    op.inputs.push("quantumSessionBinding.mode".into());
    let missing = uncovered(&bundled(), &catalogue);
    assert_eq!(
        missing,
        ["UpdateUserPoolClient cognito-idp.client.update quantumSessionBinding.mode (rules/cognito/client.yaml)"]
    );
}
