//! Overlays through the binary: `--overlay` on scan, rules test and rules list,
//! `--show-suppressed`, the summary's suppression counts, and `rules explain`;
//! and the worked example of docs/tuning.md against the bundled pack on a fixed day.

mod common;

use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use assert_cmd::Command;
use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::RuleSet;
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

/// The date `days` from today (UTC), as the binary will see it.
fn from_today(days: i32) -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Date::from_unix_seconds(secs as i64)
        .add_days(days)
        .to_string()
}

fn put(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// An identity pool update by `role`, in `account`.
fn update_by(role: &str, account: &str, event_id: &str) -> Value {
    let mut r = update_identity_pool(event_id, true);
    r["userIdentity"] = assumed_role(role);
    r["recipientAccountId"] = json!(account);
    r["requestParameters"]["allowUnauthenticatedIdentities"] = json!(false);
    r
}

/// A rules file, a trail with three updates (sandbox, terraform, a person) and
/// noise, and an overlay suppressing the sandbox account until `expires`.
fn world(expires: &str) -> (TempDir, String, String, String) {
    let dir = TempDir::new().unwrap();
    let rules = put(dir.path(), "rules.yaml", RULES);
    let trail_file = dir.path().join("trail.json.gz");
    let records = [
        update_by(
            "sandbox-builder",
            "444455556666",
            "5b0c1e2d-0000-4000-8000-000000000001",
        ),
        noise("5b0c1e2d-0000-4000-8000-000000000002"),
        update_by(
            "terraform-apply",
            ACCOUNT,
            "5b0c1e2d-0000-4000-8000-000000000003",
        ),
        update_by(
            "platform-admin",
            ACCOUNT,
            "5b0c1e2d-0000-4000-8000-000000000004",
        ),
    ];
    fs::write(&trail_file, gz(&trail(&records))).unwrap();
    let overlay = format!(
        "version: 1
deployers:
  - name: terraform-apply
    when: {{ principalArn: \"arn:aws:iam::*:role/terraform-apply\" }}
    effect: lower
suppressions:
  - id: sandbox
    match: {{ account: \"444455556666\" }}
    rules: [\"identity-pool-*\"]
    reason: sandbox account, rebuilt nightly
    owner: platform-security@example.com
    expires: {expires}
  - id: stale-exception
    match: {{ principalArn: \"arn:aws:iam::*:role/retired-role\" }}
    reason: the old deploy role
    owner: platform-security@example.com
    expires: {expires}
"
    );
    let overlay = put(dir.path(), "tuning.yaml", &overlay);
    let trail_path = trail_file.display().to_string();
    (dir, rules, overlay, trail_path)
}

fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn suppressed_alerts_are_counted_and_shown_only_on_request() {
    let (_dir, rules, overlay, trail) = world(&from_today(30));
    let base = [
        "scan",
        "--rules",
        &rules,
        "--overlay",
        &overlay,
        "--format",
        "jsonl",
    ];
    let (code, stdout, stderr) = run(&[&base[..], &["--fail-on", "critical", &trail]].concat());
    assert_eq!(code, 0, "{stderr}");
    let alerts = jsonl(&stdout);
    let who: Vec<(&str, &str)> = alerts
        .iter()
        .map(|a| {
            (
                a["severity"].as_str().unwrap(),
                a["event_id"].as_str().unwrap(),
            )
        })
        .collect();
    // The deployer's update is lowered a level and says so; the person's is not.
    assert_eq!(
        who,
        [
            ("low", "5b0c1e2d-0000-4000-8000-000000000003"),
            ("medium", "5b0c1e2d-0000-4000-8000-000000000004")
        ]
    );
    assert_eq!(alerts[0]["risks"][0], "Made by deployer terraform-apply: base severity lowered from medium to low (escalations still apply).");
    assert!(alerts.iter().all(|a| a.get("suppressed_by").is_none()));
    assert!(
        stderr.contains("2 alerts (critical 0, high 0, medium 1, low 1, info 0)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(", 1 suppressed (sandbox 1; not shown)"),
        "{stderr}"
    );
    assert!(stderr.contains("tuning.yaml:13: suppression stale-exception (owner platform-security@example.com) matched no record in this run"), "{stderr}");

    let (_, stdout, stderr) = run(&[&base[..], &["--show-suppressed", &trail]].concat());
    let shown = jsonl(&stdout);
    assert_eq!(shown.len(), 3);
    assert_eq!(shown[0]["suppressed_by"], "sandbox");
    assert_eq!(shown[0]["account_id"], "444455556666");
    assert!(
        stderr.contains("1 suppressed (sandbox 1; shown)"),
        "{stderr}"
    );
    let (_, text, _) = run(&[
        "scan",
        "--rules",
        &rules,
        "--overlay",
        &overlay,
        "--show-suppressed",
        &trail,
    ]);
    assert!(text.starts_with("[suppressed by sandbox]\n"), "{text}");
}

#[test]
fn an_expired_suppression_lets_the_alert_through_and_names_its_owner() {
    let (_dir, rules, overlay, trail) = world(&from_today(0));
    let (code, stdout, stderr) = run(&[
        "scan",
        "--rules",
        &rules,
        "--overlay",
        &overlay,
        "--format",
        "jsonl",
        &trail,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let alerts = jsonl(&stdout);
    assert_eq!(alerts.len(), 3);
    let risks = alerts[0]["risks"].to_string();
    assert!(
        risks.contains("Suppression sandbox (owner platform-security@example.com) expired on"),
        "{risks}"
    );
    assert!(
        stderr.contains("suppression sandbox (owner platform-security@example.com) expired on"),
        "{stderr}"
    );
    assert!(!stderr.contains("suppressed ("), "{stderr}");
}

#[test]
fn overlay_errors_name_the_file_and_line_and_stop_the_scan() {
    let (dir, rules, _, trail) = world(&from_today(30));
    let bad = put(dir.path(), "bad.yaml", "overrides:\n  - rule: identity-pool-writes\n    severity: low\nsuppressions:\n  - id: forever\n    match: {}\n    reason: r\n    owner: o@example.com\n    expires: 2099-01-01\n");
    let (code, stdout, stderr) = run(&["scan", "--rules", &rules, "--overlay", &bad, &trail]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains(&format!("error: {bad}:5:5: suppression \"forever\": expires 2099-01-01 is more than a year away")), "{stderr}");
    let (code, _, stderr) = run(&["rules", "list", &rules, "--overlay", &bad]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn rules_test_runs_the_overlay_cases_and_rules_list_shows_the_tuning() {
    let dir = TempDir::new().unwrap();
    let rules = put(dir.path(), "rules.yaml", RULES);
    let overlay = put(dir.path(), "o.yaml", &format!("overrides:
  - rule: identity-pool-writes
    severity: low
suppressions:
  - id: sandbox
    match: {{ account: \"444455556666\" }}
    reason: sandbox
    owner: platform-security@example.com
    expires: {}
tests:
  - name: sandbox hidden
    record: {{ eventSource: cognito-identity.amazonaws.com, eventName: UpdateIdentityPool, recipientAccountId: \"444455556666\" }}
    expect: {{ suppressedBy: sandbox, severity: low }}
  - name: production wrongly expected hidden
    record: {{ eventSource: cognito-identity.amazonaws.com, eventName: UpdateIdentityPool, recipientAccountId: \"111122223333\" }}
    expect: {{ suppressedBy: sandbox }}
", from_today(5)));
    let (code, stdout, stderr) = run(&["rules", "test", &rules, "--overlay", &overlay]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("ok    overlay case: sandbox hidden"),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("FAIL  overlay case: production wrongly expected hidden ({overlay}:14): expected suppression sandbox, the alert of identity-pool-writes (low) is sent")), "{stdout}");
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
    assert!(stderr.contains(&format!("warning: {overlay}:5: suppression sandbox (owner platform-security@example.com) expires in 5 days")), "{stderr}");
    let (code, stdout, _) = run(&["rules", "list", &rules, "--overlay", &overlay]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("LOW       identity-pool-writes")
            && stdout.contains(&format!("[severity medium at {overlay}:2]")),
        "{stdout}"
    );
    assert!(
        stdout.contains("suppression sandbox owner platform-security@example.com"),
        "{stdout}"
    );
}

#[test]
fn rules_explain_tells_why_for_one_event() {
    let (_dir, rules, overlay, trail) = world(&from_today(30));
    let id = "5b0c1e2d-0000-4000-8000-000000000001";
    let (code, stdout, stderr) = run(&[
        "rules",
        "explain",
        &trail,
        "--event-id",
        id,
        "--rules",
        &rules,
        "--overlay",
        &overlay,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "record 0: UpdateIdentityPool (cognito-identity.amazonaws.com) eventID {id}"
        )),
        "{stdout}"
    );
    for want in [
        "rule identity-pool-writes (fired)",
        "suppression sandbox (",
        "matches (owner platform-security@example.com",
        "suppression stale-exception (",
        "does not match: principalArn is arn:aws:sts::111122223333:assumed-role/sandbox-builder/sandbox-builder-session, arn:aws:iam::111122223333:role/sandbox-builder (wants arn:aws:iam::*:role/retired-role)",
        "result: alert medium from identity-pool-writes, suppressed by sandbox",
    ] {
        assert!(stdout.contains(want), "{want:?} not in\n{stdout}");
    }
    let (code, _, stderr) = run(&[
        "rules",
        "explain",
        &trail,
        "--event-id",
        "nope",
        "--rules",
        &rules,
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no record has eventID nope"), "{stderr}");
    // Without --event-id: every record, the noise included.
    let (_, stdout, _) = run(&["rules", "explain", &trail, "--rules", &rules]);
    assert!(
        stdout.contains("record 1: Decrypt (kms.amazonaws.com)")
            && stdout.contains("no rule names this event source and name"),
        "{stdout}"
    );
}

#[test]
fn the_worked_example_holds_on_the_bundled_pack() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/examples/terraform.yaml");
    let overlay = Overlay::load(Path::new(path)).unwrap();
    let set = RuleSet::bundled()
        .unwrap()
        .with_overlays(vec![overlay], Date::parse("2026-12-01").unwrap())
        .unwrap();
    let cases = set.run_overlay_tests();
    assert_eq!(cases.len(), 4);
    for case in &cases {
        assert_eq!(case.failure, None, "{}", case.name);
    }
    // The pack's own cases still pass: they test the rules as the pack wrote them.
    assert_eq!(set.run_tests().failed(), 0);
    assert_eq!(set.disabled()[0].0, "cognito.resource.tags");
}
