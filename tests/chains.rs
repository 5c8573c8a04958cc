//! Chains across the files of one `scan` run: the CLI evaluates the run's hits in
//! event time, whatever order the files come in.

mod common;

use assert_cmd::Command;
use cognito_trail_alerts::rules::Date;
use cognito_trail_alerts_testkit::chains::*;
use common::*;
use serde_json::Value;
use tempfile::TempDir;

const TAKEOVER: &str = "cognito.chain.account-takeover";

fn scan(dir: &TempDir, extra: &[&str]) -> (Vec<Value>, String) {
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .args(["scan", "--format", "jsonl"])
        .args(extra)
        .arg(dir.path())
        .output()
        .unwrap();
    let alerts = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (alerts, String::from_utf8(out.stderr).unwrap())
}

fn chains(alerts: &[Value]) -> Vec<&Value> {
    alerts.iter().filter(|a| a.get("chain").is_some()).collect()
}

fn trail_dir(files: &[(&str, Vec<Value>)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    write_logs(dir.path(), files);
    dir
}

#[test]
fn a_takeover_split_across_files_fires_once_with_every_member() {
    // The file delivered first (path order) holds the later event.
    let dir = trail_dir(&[
        (
            "0905",
            vec![admin_disable_totp("ev-2", USER_SUB).at("2026-11-20T09:06:40Z")],
        ),
        (
            "0910",
            vec![admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z")],
        ),
    ]);
    let (alerts, stderr) = scan(&dir, &[]);
    let found = chains(&alerts);
    assert_eq!(found.len(), 1, "{stderr}");
    let chain = found[0];
    assert_eq!(chain["rule_id"], TAKEOVER);
    assert_eq!(chain["severity"], "critical");
    let members: Vec<&str> = chain["chain"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["ev-1", "ev-2"]);
    let did = chain["chain"]["members"][0]["did"].as_str().unwrap();
    assert!(
        did.starts_with(
            "AdminUpdateUserAttributes by arn:aws:sts::111122223333:assumed-role/platform-admin"
        ),
        "{did}"
    );
    assert!(
        did.contains(USER_SUB)
            && did.contains("its own alert: cognito-idp.admin.user-attributes-update"),
        "{did}"
    );
    // The members still alert as themselves.
    let own = alerts.iter().filter(|a| a.get("chain").is_none()).count();
    assert_eq!(own, 2);
    assert!(chain["risks"]
        .to_string()
        .contains("2 record(s) that were alerted on by themselves"));
    assert!(stderr.contains("1 of them from chains"), "{stderr}");
}

#[test]
fn no_chain_beyond_the_window_or_across_actors_or_users() {
    let late = trail_dir(&[(
        "0930",
        vec![
            admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z"),
            admin_disable_totp("ev-2", USER_SUB).at("2026-11-20T09:15:01Z"),
        ],
    )]);
    assert!(chains(&scan(&late, &[]).0).is_empty());
    let two_actors = trail_dir(&[(
        "0910",
        vec![
            admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z"),
            admin_disable_totp("ev-2", USER_SUB)
                .at("2026-11-20T09:01:00Z")
                .by(iam_user("bob")),
        ],
    )]);
    assert!(chains(&scan(&two_actors, &[]).0).is_empty());
    let two_users = trail_dir(&[(
        "0910",
        vec![
            admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z"),
            admin_disable_totp("ev-2", "0b1c2d3e-0000-4000-8000-000000000000")
                .at("2026-11-20T09:01:00Z"),
        ],
    )]);
    assert!(chains(&scan(&two_users, &[]).0).is_empty());
}

#[test]
fn the_same_events_delivered_twice_fire_once() {
    let a = admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z");
    let b = admin_disable_totp("ev-2", USER_SUB).at("2026-11-20T09:03:00Z");
    let dir = trail_dir(&[("0905", vec![a.clone(), b.clone()]), ("0910", vec![b, a])]);
    assert_eq!(chains(&scan(&dir, &[]).0).len(), 1);
}

#[test]
fn failed_sign_ins_are_counted_per_app_client() {
    let records: Vec<Value> = (0..50)
        .map(|i| {
            failed_sign_in(&format!("si-{i}")).at(&format!(
                "2026-11-20T09:0{}:{:02}Z",
                i / 30,
                i % 30
            ))
        })
        .collect();
    let dir = trail_dir(&[("0905", records)]);
    let (alerts, _) = scan(&dir, &[]);
    let found = chains(&alerts);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["rule_id"], "cognito.chain.sign-in-failures");
    assert_eq!(
        found[0]["chain"]["group"]["pool"],
        "client:1example23456789abcdefghij"
    );
    // End users' sign-ins have no rule of their own.
    assert_eq!(alerts.len(), 1);
}

#[test]
fn an_overlay_can_disable_retune_and_suppress_a_chain() {
    let dir = trail_dir(&[(
        "0910",
        vec![
            admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z"),
            admin_disable_totp("ev-2", USER_SUB).at("2026-11-20T09:03:00Z"),
        ],
    )]);
    let overlay = dir.path().join("overlay.yaml");
    let write = |text: &str| std::fs::write(&overlay, text).unwrap();
    let path = overlay.to_str().unwrap();
    write("version: 1\noverrides:\n  - rule: cognito.chain.account-takeover\n    enabled: false\n");
    assert!(chains(&scan(&dir, &["--overlay", path]).0).is_empty());
    write("version: 1\noverrides:\n  - rule: cognito.chain.account-takeover\n    severity: high\n");
    let (alerts, _) = scan(&dir, &["--overlay", path]);
    assert_eq!(chains(&alerts)[0]["severity"], "high");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let expires = Date::from_unix_seconds(now.as_secs() as i64 + 100 * 86_400);
    write(&format!(
        "version: 1\nsuppressions:\n  - id: support-desk-drill\n    rules: [cognito.chain.account-takeover]\n    match: {{ principalArn: \"arn:aws:sts::111122223333:assumed-role/platform-admin/*\" }}\n    reason: quarterly drill\n    owner: secops\n    expires: {expires}\n",
    ));
    let (alerts, stderr) = scan(&dir, &["--overlay", path, "--show-suppressed"]);
    assert_eq!(
        chains(&alerts)[0]["suppressed_by"],
        "support-desk-drill",
        "{stderr}"
    );
}

#[test]
fn the_bundled_samples_and_documented_shapes_give_no_chain_alert() {
    let root = env!("CARGO_MANIFEST_DIR");
    for input in ["events", "tests/fixtures/cognito-docs-shapes.json"] {
        let out = Command::cargo_bin("cognito-trail-alerts")
            .unwrap()
            .args(["scan", "--format", "jsonl"])
            .arg(format!("{root}/{input}"))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("\"chain\":"), "{input}: a chain fired");
    }
}

#[test]
fn rules_explain_shows_how_far_a_chain_got_for_a_record() {
    let dir = trail_dir(&[(
        "0910",
        vec![admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z")],
    )]);
    let file = walk_first(dir.path());
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .args(["rules", "explain", "--event-id", "ev-1"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "chain {TAKEOVER}: this record is a hit of step \"sign-in factor changed\""
        )),
        "{text}"
    );
    assert!(
        text.contains("seen sign-in factor changed: 2026-11-20T09:00:00Z (ev-1)"),
        "{text}"
    );
    assert!(
        text.contains("still needs: second factor removed (by 2026-11-20T09:15:00Z)"),
        "{text}"
    );
}

/// The one log file under `root`.
fn walk_first(root: &std::path::Path) -> std::path::PathBuf {
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.to_string_lossy().ends_with(".json.gz") {
                return p;
            }
        }
    }
    panic!("no log file under {}", root.display());
}

#[test]
fn mfa_removed_first_then_the_email_moved_is_the_same_takeover() {
    let dir = trail_dir(&[(
        "0910",
        vec![
            admin_disable_totp("ev-2", USER_SUB).at("2026-11-20T09:01:00Z"),
            admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:09:00Z"),
        ],
    )]);
    let (alerts, _) = scan(&dir, &[]);
    let found = chains(&alerts);
    assert_eq!(found.len(), 1);
    let steps: Vec<&str> = found[0]["chain"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["second factor removed", "sign-in factor changed"]);
    assert_eq!(found[0]["chain"]["kind"], "all");
}

#[test]
fn an_overlay_raises_a_thresholds_gte() {
    let records: Vec<Value> = (0..20)
        .map(|i| {
            let params = serde_json::json!({"userPoolId": USER_POOL_ID, "username": "HIDDEN_DUE_TO_SECURITY_REASONS"});
            record("cognito-idp.amazonaws.com", "AdminCreateUser", params, &format!("cu-{i}"))
                .at(&format!("2026-11-20T09:0{}:{:02}Z", i / 6, (i % 6) * 10))
        })
        .collect();
    let dir = trail_dir(&[("0905", records)]);
    assert_eq!(chains(&scan(&dir, &[]).0).len(), 1, "20 users in 4 minutes");
    let overlay = dir.path().join("bulk.yaml");
    std::fs::write(
        &overlay,
        "version: 1\noverrides:\n  - rule: cognito.chain.create-user-burst\n    gte: 50\n",
    )
    .unwrap();
    let (alerts, stderr) = scan(&dir, &["--overlay", overlay.to_str().unwrap()]);
    assert!(chains(&alerts).is_empty(), "{stderr}");
    std::fs::write(
        &overlay,
        "version: 1\noverrides:\n  - rule: cognito.chain.account-takeover\n    gte: 5\n",
    )
    .unwrap();
    let (_, stderr) = scan(&dir, &["--overlay", overlay.to_str().unwrap()]);
    assert!(
        stderr.contains("bulk.yaml:3:") && stderr.contains("`gte` belongs to threshold chains"),
        "{stderr}"
    );
}
