//! Routes and account names through the binary, on the bundled pack: `scan
//! --overlay` shows the overlays' account names (a later overlay's name wins),
//! `rules test` and `scan` refuse a bad route with its file:line:column, and
//! `rules list` shows the routes and names.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

/// Runs the binary; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap(),
        text(out.stdout),
        text(out.stderr),
    )
}

fn put(dir: &Path, name: &str, text: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

const NAMES: &str = r#"version: 1
accounts:
  "111122223333": prod-payments
  "444455556666": sandbox
routes:
  - name: paging
    severity: critical
    topics: ["arn:aws:sns:eu-west-1:111122223333:cognito-critical"]
  - name: payments-team
    accounts: ["111122223333"]
    rules: ["cognito-idp.*"]
    topics: ["arn:aws:sns:eu-west-1:111122223333:payments-security"]
    tag: payments
"#;

/// A trail of an UpdateUserPool in 111122223333, an UpdateIdentityPool in an
/// account no overlay names, and noise.
fn world() -> (TempDir, String) {
    let dir = TempDir::new().unwrap();
    let unnamed = update_identity_pool("7d1e0c2b-0000-4000-8000-000000000002", false)
        .set("recipientAccountId", json!("999988887777"));
    let trail = trail_gz(&[
        update_user_pool("7d1e0c2b-0000-4000-8000-000000000001", "ON"),
        noise("7d1e0c2b-0000-4000-8000-000000000003"),
        unnamed,
    ]);
    let path = put(dir.path(), "trail.json.gz", &trail);
    (dir, path)
}

fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn scan_shows_the_overlays_account_names_beside_the_ids() {
    let (dir, trail) = world();
    let names = put(dir.path(), "names.yaml", NAMES.as_bytes());
    let (code, stdout, stderr) = run(&["scan", "--overlay", &names, &trail]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  where      account 111122223333 (prod-payments) region eu-west-1\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  where      account 999988887777 region eu-west-1\n"),
        "{stdout}"
    );
    let (_, stdout, _) = run(&["scan", "--overlay", &names, "--format", "jsonl", &trail]);
    let alerts = jsonl(&stdout);
    assert_eq!(alerts.len(), 2, "{stdout}");
    assert_eq!(alerts[0]["account_name"], "prod-payments");
    assert!(alerts[1].get("account_name").is_none(), "{}", alerts[1]);
    // Without the overlay: as before.
    let (_, stdout, _) = run(&["scan", &trail]);
    assert!(
        stdout.contains("  where      account 111122223333 region eu-west-1\n"),
        "{stdout}"
    );
}

#[test]
fn a_later_overlay_renames_an_account() {
    let (dir, trail) = world();
    let names = put(dir.path(), "names.yaml", NAMES.as_bytes());
    let team = put(
        dir.path(),
        "team.yaml",
        b"accounts: { 111122223333: payments-prod }\n",
    );
    let (_, stdout, _) = run(&[
        "scan",
        "--overlay",
        &names,
        "--overlay",
        &team,
        "--format",
        "jsonl",
        &trail,
    ]);
    assert_eq!(jsonl(&stdout)[0]["account_name"], "payments-prod");
    let (_, stdout, _) = run(&[
        "scan",
        "--overlay",
        &team,
        "--overlay",
        &names,
        "--format",
        "jsonl",
        &trail,
    ]);
    assert_eq!(jsonl(&stdout)[0]["account_name"], "prod-payments");
}

#[test]
fn a_bad_route_is_refused_with_its_place() {
    let (dir, trail) = world();
    let bad = NAMES.replace(
        ":sns:eu-west-1:111122223333:payments-security",
        ":sns:eu-west-1:11112222333:payments-security",
    );
    let bad = put(dir.path(), "bad.yaml", bad.as_bytes());
    let want = format!("error: {bad}:12:15: route \"payments-team\": topic \"arn:aws:sns:eu-west-1:11112222333:payments-security\" is not an SNS topic ARN (the account is not 12 digits");
    let (code, stdout, stderr) = run(&["rules", "test", "--overlay", &bad]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(&want), "{stderr}");
    let (code, stdout, stderr) = run(&["scan", "--overlay", &bad, &trail]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains(&want), "{stderr}");
    let unknown = put(dir.path(), "unknown.yaml", b"routes:\n  - name: x\n    rules: [cognito-idp.user-pool.updat]\n    topics: [arn:aws:sns:eu-west-1:111122223333:t]\n");
    let (code, _, stderr) = run(&["rules", "test", "--overlay", &unknown]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{unknown}:2:5: route \"x\": `rules` matches no rule id of the set"
        )),
        "{stderr}"
    );
}

#[test]
fn rules_list_shows_routes_and_account_names() {
    let dir = TempDir::new().unwrap();
    let names = put(dir.path(), "names.yaml", NAMES.as_bytes());
    let (code, stdout, stderr) = run(&["rules", "list", "--overlay", &names]);
    assert_eq!(code, 0, "{stderr}");
    for want in [
        format!("route paging at {names}:6: arn:aws:sns:eu-west-1:111122223333:cognito-critical"),
        format!(
            "route payments at {names}:9: arn:aws:sns:eu-west-1:111122223333:payments-security"
        ),
        format!("account 111122223333 prod-payments at {names}:3"),
        format!("account 444455556666 sandbox at {names}:4"),
    ] {
        assert!(stdout.contains(&want), "{want:?} not in\n{stdout}");
    }
}

/// The YAML blocks of docs/tuning.md's "Routes" and "Account names" sections.
fn documented_blocks() -> Vec<String> {
    let doc = include_str!("../docs/tuning.md");
    let from = doc.find("## Routes").expect("a Routes section");
    doc[from..]
        .split("```yaml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_documented_routes_and_accounts_load_on_the_bundled_pack_and_route_as_said() {
    use cognito_trail_alerts::routes::{facts_of_alert, RouteTable, TopicArn};
    use cognito_trail_alerts::rules::{Date, Overlay};
    use cognito_trail_alerts::{scan_record, settings::LocalCache, Origin, RuleSet};

    let blocks = documented_blocks();
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let overlays = blocks
        .iter()
        .enumerate()
        .map(|(i, text)| Overlay::from_yaml(text, &format!("doc{i}.yaml")).unwrap())
        .collect();
    let set = RuleSet::bundled()
        .unwrap()
        .with_overlays(overlays, Date::parse("2026-11-30").unwrap())
        .unwrap();
    let default = "arn:aws:sns:eu-west-1:111122223333:cognito-alerts";
    let table = RouteTable::new(TopicArn::parse(default).unwrap(), set.routes().to_vec());
    let alert_of = |record: Value| {
        let raw = serde_json::to_vec(&record).unwrap();
        let origin = Origin::File {
            file: "t.json".into(),
        };
        let mut out = Vec::new();
        scan_record(&set, &raw, &origin, &mut LocalCache::new(), |a| out.push(a));
        out.pop().expect("an alert")
    };
    let topics = |a: &cognito_trail_alerts::Alert| -> Vec<String> {
        table.topics_for(a).iter().map(|t| t.to_string()).collect()
    };
    // A shop pool's MFA turned off in 111122223333 (medium: its previous value is
    // unknown here): the payments team's topic and the default.
    let off = alert_of(
        update_user_pool("7d1e0c2b-0000-4000-8000-000000000010", "OFF")
            .with_params(json!({"userPoolId": "eu-west-1_Sh0pPoo1"})),
    );
    assert_eq!(off.account_name.as_deref(), Some("prod-payments"));
    assert_eq!(
        (off.severity.as_str(), topics(&off)),
        (
            "medium",
            vec![
                default.to_string(),
                "arn:aws:sns:eu-west-1:111122223333:payments-security".to_string()
            ]
        ),
        "{:?}",
        table.route(&facts_of_alert(&off))
    );
    // A deleted pool in the sandbox: critical, yet only the sandbox topic.
    let delete = record(
        "cognito-idp.amazonaws.com",
        "DeleteUserPool",
        json!({"userPoolId": "eu-west-1_Sandb0x"}),
        "7d1e0c2b-0000-4000-8000-000000000011",
    )
    .set("recipientAccountId", json!("444455556666"));
    let sandbox = alert_of(delete.clone());
    assert_eq!(sandbox.severity.as_str(), "critical");
    assert_eq!(
        topics(&sandbox),
        ["arn:aws:sns:eu-west-1:444455556666:sandbox-alerts"]
    );
    // The same in production: the paging topic and the default.
    let prod = alert_of(delete.set("recipientAccountId", json!("111122223333")));
    assert_eq!(
        topics(&prod),
        [
            default,
            "arn:aws:sns:eu-west-1:111122223333:cognito-critical"
        ]
    );
    // Another pool of the same account: no team route, the default only.
    let other = alert_of(update_user_pool(
        "7d1e0c2b-0000-4000-8000-000000000012",
        "ON",
    ));
    assert_eq!(topics(&other), [default]);
}
