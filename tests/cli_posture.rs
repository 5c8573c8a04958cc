//! `scan --posture` and `--posture-format json`: after the alerts, each resource
//! the run saw with its last known settings and failing checks, worst first.

use assert_cmd::Command;
use serde_json::Value;

fn scan(args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "events/"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_json_report_lists_resources_worst_first() {
    let (stdout, _) = scan(&["--format", "jsonl", "--posture-format", "json"]);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let report = lines.last().unwrap()["posture"].as_array().unwrap().clone();
    // The alerts come first, one per line.
    assert!(lines[..lines.len() - 1]
        .iter()
        .all(|a| a.get("rule_id").is_some()));
    assert!(report.len() >= 3, "{report:?}");
    let worst = |r: &Value| {
        r["failing"]
            .get(0)
            .map(|c| c["severity"].as_str().unwrap().to_string())
    };
    let order: Vec<Option<String>> = report.iter().map(worst).collect();
    assert_eq!(order[0].as_deref(), Some("critical"), "{order:?}");
    let pool = report
        .iter()
        .find(|r| r["resource"]["kind"] == "user-pool")
        .expect("a user pool");
    assert_eq!(pool["settings"]["MFA"], "OFF");
    let ids: Vec<&str> = pool["failing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"user-pool.mfa-on"), "{ids:?}");
    let mfa = pool["failing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "user-pool.mfa-on")
        .unwrap();
    assert_eq!(mfa["prowler"], "cognito_user_pool_mfa_enabled");
}

#[test]
fn the_text_report_follows_the_alerts() {
    let (stdout, _) = scan(&["--posture"]);
    let at = stdout.find("posture: ").expect("a posture report");
    assert!(stdout[..at].contains("rule cognito-idp.user-pool.update"));
    let report = &stdout[at..];
    assert!(
        report.contains("[CRITICAL] Guest (unauthenticated) access is off"),
        "{report}"
    );
    assert!(report.contains("fix: Set MFA to ON"), "{report}");
    // Without the flag, no report.
    let (plain, _) = scan(&[]);
    assert!(!plain.contains("posture: "));
}
