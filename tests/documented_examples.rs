//! The guard for the fallback: every bundled and documented example record of each
//! Cognito service goes through the bundled pack, and none of them may alert as
//! `cognito.unknown-operation` — end users' API calls, managed-login and OAuth
//! endpoint service events, failed calls, records missing `userIdentity.type` or
//! `readOnly`. The fallback is the net for operations newer than the catalogue;
//! an alert from it on these records is a false medium alert.

mod pack;

use std::fs::File;
use std::path::{Path, PathBuf};

use cognito_trail_alerts::{engine, Alert, Origin, RuleSet};
use pack::*;
use serde_json::Value;

const FALLBACK: &str = "cognito.unknown-operation";

fn scan_file(rules: &RuleSet, path: &Path) -> Vec<Alert> {
    let mut alerts = Vec::new();
    let origin = Origin::File {
        file: path.display().to_string(),
    };
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    engine::scan(rules, file, &origin, |a| alerts.push(a))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    alerts
}

fn trail_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            trail_files(&path, out);
        } else if path.to_string_lossy().contains("_CloudTrail_") {
            out.push(path);
        }
    }
}

/// Records in the shape of the Cognito Developer Guide's examples (our own values):
/// a managed-login sign-up and sign-in, SAML, the token endpoint's three grants, a
/// logout, a future endpoint; identity pools' end-user calls; a failed sign-in; a
/// caller without `type`; and one administrator's `CreateIdentityPool`.
#[test]
fn documented_examples_alert_only_on_the_identity_pool_creation() {
    let rules = bundled();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cognito-docs-shapes.json");
    let alerts = scan_file(&rules, &path);
    let ids: Vec<_> = alerts.iter().map(|a| a.rule_id.as_str()).collect();
    assert_eq!(ids, ["cognito-identity.identity-pool.create"]);
}

#[test]
fn bundled_trail_files_never_hit_the_fallback() {
    let rules = bundled();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    trail_files(&root.join("events"), &mut files);
    assert_eq!(files.len(), 3, "{files:?}");
    for path in files {
        for alert in scan_file(&rules, &path) {
            assert_ne!(alert.rule_id, FALLBACK, "{}: {alert:?}", path.display());
        }
    }
    // The seed's record (AWS's own CreateIdentityPool example) alerts as itself.
    let seed = std::fs::read(root.join("tests/fixtures/seed-create-identity-pool.json")).unwrap();
    let v = evaluate(&rules, &seed).expect("the seed's CreateIdentityPool alerts");
    assert_eq!(v.rule.id, "cognito-identity.identity-pool.create");
}

/// Every inline case of the pack (but the fallback's own), also with its caller's
/// `type` and its `readOnly` removed, judged by the whole pack.
#[test]
fn the_packs_own_examples_never_hit_the_fallback() {
    let rules = bundled();
    let mut problems = Vec::new();
    for rule in rules.rules().iter().filter(|r| !r.fallback) {
        for case in &rule.tests {
            for variant in variants(&case.record) {
                let bytes = serde_json::to_vec(&variant).unwrap();
                if let Some(v) = evaluate(&rules, &bytes) {
                    if v.rule.fallback {
                        problems.push(format!("{} / {}", rule.id, case.name));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "fallback alerts: {problems:#?}");
}

fn variants(record: &Value) -> Vec<Value> {
    let mut bare = record.clone();
    if let Some(identity) = bare.get_mut("userIdentity").and_then(Value::as_object_mut) {
        identity.remove("type");
    }
    if let Some(r) = bare.as_object_mut() {
        r.remove("readOnly");
    }
    vec![record.clone(), bare]
}
